import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runQuery } from '../run-query.js';
import { builtinTableSchemas, kustoResultColumns } from '../testing/kusto-oracle.js';
import { sharedPath } from '../testing/repo.js';
import { BUILTIN_RULES, DEFAULT_RULE_ID, findBuiltinRule, RULES_DIR } from './builtin-rules.js';
import { loadRule, loadRulePack, timespanMs } from './rules.js';
import { tempTree } from './test-support.js';
import { ContentError } from './validate.js';

describe('the rule pack', () => {
  test('holds the seed rule and the improved rule, both valid, the improved one the default', () => {
    const pack = loadRulePack();
    assert.deepEqual(pack.map((r) => r.meta.name), ['t1074-data-staged', 't1074-seed']);
    assert.equal(DEFAULT_RULE_ID, 't1074-data-staged');
    assert.deepEqual(BUILTIN_RULES.map((r) => r.id), ['t1074-data-staged', 't1074-seed']);
    assert.equal(findBuiltinRule('t1074-seed')?.queryFile, join(RULES_DIR, 't1074-seed', 'query.kql'));
    assert.equal(findBuiltinRule('nope'), undefined);
  });

  test('every pivot named by a rule exists and was read', () => {
    for (const rule of loadRulePack()) {
      assert.equal(rule.pivots.length, rule.meta.pivots?.length ?? 0);
      for (const pivot of rule.pivots) assert.match(pivot.text, /^let AlertDevice = /m, pivot.file);
    }
  });

  test('t1074-seed/query.kql is the seed page query byte for byte', (t) => {
    const seed = sharedPath('seed', '000_695ec8f7fecb77e9.txt');
    if (!seed) return t.skip('../shared/seed is absent');
    const page = readFileSync(seed, 'utf8');
    const query = page.slice(page.indexOf('kusto\n') + 'kusto\n'.length, page.indexOf('high severity medium confidence'));
    assert.equal(readFileSync(join(RULES_DIR, 't1074-seed', 'query.kql'), 'utf8'), query);
  });

  test('a folder whose name differs from rule.yaml name, and a missing query file, are both reported', () => {
    const rule = readFileSync(join(RULES_DIR, 't1074-seed', 'rule.yaml'), 'utf8').replace('query: query.kql', 'query: missing.kql').replace(/pivots:[\s\S]*$/, '');
    const root = tempTree({ 'other-name/rule.yaml': rule });
    assert.throws(() => loadRule(join(root, 'other-name')), (e: unknown) => {
      assert.ok(e instanceof ContentError);
      assert.equal(e.problems.length, 2);
      assert.match(e.problems[0]!, /name: "t1074-seed" differs from the folder "other-name" — fix: set name: other-name/);
      assert.match(e.problems[1]!, /query: file missing\.kql does not exist/);
      return true;
    });
  });

  test('two rules with one UUID are refused', () => {
    const seed = readFileSync(join(RULES_DIR, 't1074-seed', 'rule.yaml'), 'utf8').replace(/\.\.\/t1074-data-staged\/pivots/g, 'p');
    const root = tempTree({
      'a/rule.yaml': seed.replace('name: t1074-seed', 'name: a').replace(/pivots:[\s\S]*$/, ''), 'a/query.kql': 'print 1',
      'b/rule.yaml': seed.replace('name: t1074-seed', 'name: b').replace(/pivots:[\s\S]*$/, ''), 'b/query.kql': 'print 1',
    });
    assert.throws(() => loadRulePack(root), /id: a496b21f-8818-4f03-bbb1-7739433b3608 is also the id of a — fix: give each rule its own UUID/);
  });

  test('every rule query and pivot binds cleanly in Kusto.Language, with the result schema our engine gives', async () => {
    for (const rule of loadRulePack()) {
      for (const [file, text] of [[rule.queryFile, rule.query], ...rule.pivots.map((p) => [p.file, p.text])] as const) {
        const oracle = kustoResultColumns(text, builtinTableSchemas());
        assert.deepEqual(oracle.diagnostics.filter((d) => d.severity === 'Error'), [], file);
        const ours = await runQuery(text, { tables: {}, now: '2026-11-27T12:00:00Z' });
        assert.deepEqual(ours.columns, oracle.columns, file);
      }
    }
  });

  test('timespans', () => {
    assert.equal(timespanMs('5m'), 300_000);
    assert.equal(timespanMs('1h'), 3_600_000);
    assert.equal(timespanMs('2d'), 172_800_000);
    assert.throws(() => timespanMs('1w'), /not a timespan: 1w/);
  });
});
