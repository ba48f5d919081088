import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Alert } from './alerts.js';
import { SCENARIOS_DIR } from './builtin-rules.js';
import { coverageMatrix, junitXml, ruleCoverageLines, summaryLine } from './coverage.js';
import { type CaseResult, compare, loadRecordings, replayInputs } from './replay.js';
import { loadScenarios } from './scenario.js';
import { REPO_ROOT } from '../testing/repo.js';

const alert = (over: Partial<Alert> = {}): Alert => ({
  ruleId: 'x', rule: 'r', title: 't', severity: 'medium', confidence: 'medium', technique: 'T1074', subTechniques: [],
  entities: { host: 'h', account: 'a', process: 'p', processPath: '', files: [], ips: [] }, branches: ['BulkCopyCommand'],
  start: '2026-11-27T10:00:00Z', end: '2026-11-27T10:00:00Z', evidence: [], ...over,
});

describe('expectations compared with alerts', () => {
  test('agreement gives no problem', () => {
    assert.deepEqual(compare({ fires: true, branches: ['BulkCopyCommand'], minSeverity: 'medium', alerts: 1, suppressed: false }, [alert()], []), []);
    assert.deepEqual(compare({ fires: false, suppressed: true }, [], [alert()]), []);
  });

  test('each kind of disagreement is named', () => {
    assert.deepEqual(compare({ fires: true }, [], []), ['expected an alert, the rule stayed silent']);
    assert.deepEqual(compare({ fires: false }, [alert(), alert({ branches: ['A', 'B'] })], []), ['expected silence, the rule raised 2 alert(s): BulkCopyCommand; A+B']);
    assert.deepEqual(compare({ fires: true, branches: ['PasswordArchive'] }, [alert()], []), ['branches missing: PasswordArchive (fired: BulkCopyCommand)']);
    assert.deepEqual(compare({ fires: true, minSeverity: 'high' }, [alert(), alert({ severity: 'low' })], []), ['severity medium, expected at least high']);
    assert.deepEqual(compare({ fires: true, alerts: 1 }, [alert(), alert()], []), ['2 alert(s), expected 1']);
    assert.deepEqual(compare({ fires: false, suppressed: true }, [], []), ['expected tuning to suppress an alert, none was suppressed']);
    assert.deepEqual(compare({ fires: false, suppressed: false }, [], [alert()]), ['tuning suppressed 1 alert(s), expected none']);
  });
});

const result = (scenario: string, kind: 'attack' | 'benign', rule: string, fired: boolean, passed = true): CaseResult => ({
  input: { scenario, kind, family: 'f', variant: 'defender', path: '' }, rule, alerts: fired ? [alert()] : [], suppressed: [],
  expected: { fires: passed ? fired : !fired }, passed, problems: passed ? [] : ['expected silence, the rule raised 1 alert(s): BulkCopyCommand'], ms: 12,
});

describe('coverage reports', () => {
  const results = [
    result('s1', 'attack', 'good', true), result('s1', 'attack', 'seed', false),
    result('s2', 'benign', 'good', false), result('s2', 'benign', 'seed', true, false),
  ];

  test('the summary line counts cases', () => {
    assert.equal(summaryLine(results), '3 passed, 1 failed');
  });

  test('the matrix marks expected outcomes, known misses, false alerts and failures', () => {
    assert.equal(coverageMatrix(results), [
      'scenario  kind      good      seed',
      '--------  --------  --------  ----------------------------',
      's1        attack/f  fired ✓   silent ✓ MISS',
      's2        benign/f  silent ✓  fired ✗ defender FALSE ALERT',
    ].join('\n'));
    assert.deepEqual(ruleCoverageLines(results), [
      'good: detects 1/1 attack scenarios; alerts on 0/1 benign',
      'seed: detects 0/1 attack scenarios (misses: s1); alerts on 1/1 benign (s2)',
    ]);
  });

  test('JUnit XML has a suite per rule and a failure element per mismatch', () => {
    const xml = junitXml(results);
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="stagehunt test" tests="4" failures="1">/);
    assert.match(xml, /<testsuite name="seed" tests="2" failures="1" errors="0" time="0.024">/);
    assert.match(xml, /<testcase classname="stagehunt.seed" name="s2 \[defender\]" time="0.012">\n {6}<failure message="expected silence, the rule raised 1 alert\(s\): BulkCopyCommand" type="ExpectationMismatch">expected silent; 1 alert\(s\), 0 suppressed<\/failure>/);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 4);
  });
});

describe('replay inputs', () => {
  test('each scenario contributes its variants (Linux three, Windows two); recordings that exist are added', () => {
    const scenarios = loadScenarios(SCENARIOS_DIR);
    const recordings = loadRecordings(join(SCENARIOS_DIR, 'recordings.yaml'));
    const { inputs, missing } = replayInputs(scenarios, recordings, REPO_ROOT);
    const linux = scenarios.filter((s) => s.spec.platform === 'linux').length;
    assert.equal(inputs.filter((i) => i.variant !== 'recording').length, linux * 3 + (scenarios.length - linux) * 2);
    assert.equal(inputs.filter((i) => i.variant === 'recording').length + missing.length, recordings.length);
    assert.ok(recordings.every((r) => r.path.startsWith('../shared/')), 'recordings are referenced in ../shared, never copied');
  });
});
