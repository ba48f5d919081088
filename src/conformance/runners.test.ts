/**
 * The runners' machinery on a small sample (the full runs are `npm run conformance` / `npm run corpus`):
 * the worker pool's timeout and recovery, and a handful of docs cases through the docs runner.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { QueryPool } from './pool.js';
import { runDocsCases } from './docs-runner.js';
import { oracleVerdict } from './corpus-runner.js';
import type { DocsCase } from './compare.js';
import { sharedPath } from '../testing/repo.js';

describe('QueryPool', () => {
  test('runs queries in workers and returns rows in their JSON form', async () => {
    const pool = new QueryPool(10_000, 1);
    try {
      const outcome = await pool.run({ mode: 'run', query: 'print a = 1 + 1, b = "x"' });
      assert.deepEqual(outcome, { ok: true, columns: [{ name: 'a', type: 'long' }, { name: 'b', type: 'string' }], rows: [[2, 'x']], rowCount: 1 });
    } finally {
      await pool.close();
    }
  });

  test('an empty database has no tables: search reads only the views the query defines', async () => {
    const pool = new QueryPool(10_000, 1);
    try {
      const query = 'let V = view () { print a = 5 }; search a == 5';
      const empty = await pool.run({ mode: 'run', query, now: '2026-01-01T00:00:00Z', emptyDatabase: true });
      assert.deepEqual(empty, { ok: true, columns: [{ name: '$table', type: 'string' }, { name: 'a', type: 'long' }], rows: [['V', 5]], rowCount: 1 });
      const builtins = await pool.run({ mode: 'run', query, now: '2026-01-01T00:00:00Z' });
      assert.ok(builtins.ok && builtins.columns.some((c) => c.name === 'DeviceName'), 'the built-in Device* tables are searched too');
      const missing = await pool.run({ mode: 'run', query: 'DeviceFileEvents | count', emptyDatabase: true });
      assert.equal(missing.ok, false);
    } finally {
      await pool.close();
    }
  });

  test('a query error comes back with its diagnostics', async () => {
    const pool = new QueryPool(10_000, 1);
    try {
      const outcome = await pool.run({ mode: 'compile', query: 'DeviceProcessEvents | where NoSuchColumn == 1' });
      assert.equal(outcome.ok, false);
      if (!outcome.ok) {
        assert.equal(outcome.diagnostics[0]!.start, 28);
        assert.match(outcome.diagnostics[0]!.message, /NoSuchColumn/);
      }
    } finally {
      await pool.close();
    }
  });

  test('the timeout counts the query, not the worker loading the engine', async () => {
    // Loading the engine in a fresh worker takes far longer than 100 ms; a trivial query does not.
    const pool = new QueryPool(100, 1);
    try {
      const outcome = await pool.run({ mode: 'run', query: 'print 7' });
      assert.ok(outcome.ok && outcome.rows[0]![0] === 7, JSON.stringify(outcome));
    } finally {
      await pool.close();
    }
  });
  test('a query that overruns the timeout is stopped, and the pool goes on with a fresh worker', async () => {
    const pool = new QueryPool(300, 1);
    try {
      const started = performance.now();
      const hang = await pool.run({ mode: 'run', query: 'range x from 1 to 100000000000 step 1 | summarize count()' });
      assert.equal(hang.ok, false);
      assert.ok(!hang.ok && hang.timedOut, 'reported as a timeout');
      assert.ok(performance.now() - started < 5_000, 'stopped promptly');
      const next = await pool.run({ mode: 'run', query: 'print 7' });
      assert.ok(next.ok && next.rows[0]![0] === 7);
    } finally {
      await pool.close();
    }
  });
});

describe('oracleVerdict', () => {
  const diagnostic = (message: string, severity = 'Error') => ({ code: 'KS204', message, start: 3, length: 2, severity });
  test('no errors → accepted; warnings do not count', () => {
    assert.deepEqual(oracleVerdict([]), { status: 'accepted' });
    assert.deepEqual(oracleVerdict([diagnostic('something odd', 'Warning')]), { status: 'accepted' });
  });
  test('unknown tables → other tables, named once each', () => {
    const unknown = diagnostic("The name 'DeviceInfo' does not refer to any known table, tabular variable or function.");
    assert.deepEqual(oracleVerdict([unknown, unknown]), { status: 'other-tables', tables: ['DeviceInfo'] });
  });
  test('other errors → rejected with code, position and message', () => {
    assert.deepEqual(oracleVerdict([diagnostic('A value of type bool expected.')]), { status: 'rejected', diagnostic: 'KS204 at 3: A value of type bool expected.' });
  });
});

const casesPath = sharedPath('conformance', 'kusto-docs-cases.json');

describe('docs runner on a sample', { skip: casesPath ? false : 'SKIPPED: ../shared/conformance is absent' }, () => {
  test('core examples pass; an illustrative one is not comparable with its reason', async () => {
    const all = JSON.parse(readFileSync(casesPath!, 'utf8')) as DocsCase[];
    const pick = (page: string, queryStart: string) => {
      const found = all.find((c) => c.source_path.endsWith(`/${page}`) && c.query.startsWith(queryStart));
      assert.ok(found, `docs case ${page}: ${queryStart}`);
      return found;
    };
    const core = [
      pick('abs-function.md', 'print abs(-5)'),
      pick('strlen-function.md', 'print length = strlen("hello")'),
      pick('split-function.md', 'print\n    split("aa_bb", "_")'),
      pick('summarize-operator.md', 'range x from 1 to 4 step 1'),
      pick('make-set-aggregation-function.md', 'datatable (Val: int, Arr1: dynamic)'),
    ];
    const illustrative = all.find((c) => /\brand\(\)/.test(c.query))!;
    const outcomes = await runDocsCases([...core, illustrative], 10_000);
    for (const o of outcomes.slice(0, core.length)) assert.equal(o.verdict.status, 'pass', `${o.case.source_path}: ${JSON.stringify(o.verdict)}`);
    assert.deepEqual(outcomes[core.length]!.verdict, { status: 'not-comparable', reason: 'random or arbitrary values (rand, new_guid, sample, take_any)' });
  });
});
