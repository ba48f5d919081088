import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { join } from 'node:path';
import { RULES_DIR } from './builtin-rules.js';
import { ContentError, parseValidatedYaml } from './validate.js';

const RULE_SCHEMA = join(RULES_DIR, 'schema', 'rule.schema.json');

const VALID = `id: 0f8fad5b-d9cb-469f-a165-70867728950e
name: my-rule
title: My staging rule
description: A rule that is long enough to describe itself.
attack: { tactics: [Collection], technique: T1074 }
severity: medium
confidence: low
dataSources: [Sysmon]
requiredTables: [DeviceFileEvents]
entities: { host: [DeviceName] }
query: query.kql
schedule: { frequency: 1h, lookback: 24h }
falsePositives: []
references: []
`;

function problems(text: string): string[] {
  try {
    parseValidatedYaml(text, 'rules/my-rule/rule.yaml', RULE_SCHEMA);
  } catch (e) {
    assert.ok(e instanceof ContentError, `expected a ContentError, got ${String(e)}`);
    return e.problems;
  }
  return [];
}

describe('rule.yaml validation (ajv) — messages name file, line, field and fix', () => {
  test('a valid rule passes and is returned as data', () => {
    const rule = parseValidatedYaml<{ severity: string; schedule: { lookback: string } }>(VALID, 'r.yaml', RULE_SCHEMA);
    assert.equal(rule.severity, 'medium');
    assert.equal(rule.schedule.lookback, '24h');
  });

  test('a wrong enum value is located on its line and the fix lists the allowed values', () => {
    const [problem, ...rest] = problems(VALID.replace('severity: medium', 'severity: severe'));
    assert.equal(rest.length, 0);
    assert.equal(problem, 'rules/my-rule/rule.yaml:6:1: severity: is not one of "informational", "low", "medium", "high" — fix: write one of informational, low, medium, high');
  });

  test('a missing field names the field and says to add it', () => {
    const text = VALID.replace('title: My staging rule\n', '');
    assert.deepEqual(problems(text), ['rules/my-rule/rule.yaml:1:1: title: is missing — fix: add `title:` (see rules/schema for what it holds)']);
  });

  test('an id that is not a UUID explains the expected form', () => {
    const [problem] = problems(VALID.replace(/^id: .*$/m, 'id: T1074-rule'));
    assert.match(problem!, /^rules\/my-rule\/rule\.yaml:1:1: id: does not have the expected form/);
    assert.match(problem!, /fix: write a lower-case UUID/);
  });

  test('nested fields are located precisely, unknown fields are named', () => {
    const text = VALID.replace('schedule: { frequency: 1h, lookback: 24h }', 'schedule:\n  frequency: hourly\n  lookback: 24h\nowner: me');
    const found = problems(text);
    assert.ok(found.includes('rules/my-rule/rule.yaml:13:3: schedule.frequency: does not have the expected form (^\\d+(m|h|d)$) — fix: write a KQL-style timespan such as 5m, 1h, 1d'), found.join('\n'));
    assert.ok(found.includes('rules/my-rule/rule.yaml:1:1: owner: is not a known field — fix: remove `owner` or correct its spelling'), found.join('\n'));
  });

  test('every problem is reported at once', () => {
    assert.equal(problems(VALID.replace('severity: medium', 'severity: 3').replace('confidence: low', 'confidence: sure')).length, 2);
  });

  test('broken YAML is reported with its position, not thrown as a parser exception', () => {
    const [problem] = problems('id: [unclosed\nname: x\n');
    assert.match(problem!, /^rules\/my-rule\/rule\.yaml:\d+:\d+: not valid YAML: .* — fix: correct the YAML syntax at that position$/);
  });
});
