import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery, type TableSource } from '../index.js';
import type { Batch, ScanFilter } from '../values/batch.js';
import type { Schema } from '../values/types.js';

const SCHEMA: Schema = [{ name: 'x', type: 'long' }, { name: 's', type: 'string' }];

function batchesOf(rows: number): Batch[] {
  const batches: Batch[] = [];
  for (let start = 0; start < rows; start += 1000) {
    const n = Math.min(1000, rows - start);
    batches.push({ schema: SCHEMA, columns: [Array.from({ length: n }, (_, i) => start + i), Array.from({ length: n }, (_, i) => `s${(start + i) % 7}`)], length: n });
  }
  return batches;
}

/** Applies a scan filter as a reader does: every predicate in order, keeping rows where all are true. */
function filtered(batch: Batch, filter: ScanFilter): Batch {
  let rows = Array.from({ length: batch.length }, (_, i) => i);
  for (const predicate of filter.predicates) {
    const view: Batch = { schema: batch.schema, columns: batch.columns.map((c) => rows.map((r) => c[r]!)), length: rows.length };
    const values = predicate(view);
    rows = rows.filter((_, i) => values[i] === true);
  }
  return { schema: batch.schema, columns: batch.columns.map((c) => rows.map((r) => c[r]!)), length: rows.length };
}

/** A table that filters while scanning (as the file readers do), counting its scans and the rows it hands out. */
function filteringTable(rows: number, options: { filters?: boolean } = {}) {
  const seen = { scans: 0, rows: 0, filterColumns: [] as string[][] };
  const tables: TableSource = {
    tableSchema: (name) => (name === 'T' || name === 'U' ? SCHEMA : undefined),
    tableNames: () => ['T', 'U'],
    async *scan() {
      seen.scans++;
      for (const batch of batchesOf(rows)) {
        seen.rows += batch.length;
        yield batch;
      }
    },
  };
  if (options.filters !== false) {
    tables.scanFiltered = async function* (_table, _columns, _schema, filter) {
      seen.scans++;
      seen.filterColumns.push([...filter.columns]);
      for (const batch of batchesOf(rows)) {
        const kept = filtered(batch, filter);
        seen.rows += kept.length;
        yield kept;
      }
    };
  }
  return { tables, seen };
}

const run = async (kql: string, options: { rows?: number; maxMemory?: number; filters?: boolean } = {}) => {
  const { tables, seen } = filteringTable(options.rows ?? 5000, options);
  const result = await executeQuery(kql, { tables, now: 0n, maxMemory: options.maxMemory });
  return { rows: result.rows, scans: seen.scans, seenRows: seen.rows, filterColumns: seen.filterColumns };
};

const TWO_BRANCHES = `union
  (T | where x % 2 == 1 | where s == "s3" | summarize c = count(), m = max(x)),
  (T | where x < 100 | project x, s),
  (U | where x > 4990 | project x)`;

describe('where chains over the same table share one scan', () => {
  test('same rows as separate scans, one scan of T instead of two', async () => {
    const shared = await run(TWO_BRANCHES);
    const separate = await run(TWO_BRANCHES, { filters: false });
    assert.deepEqual(shared.rows, separate.rows);
    assert.equal(shared.rows.length, 1 + 100 + 9);
    assert.equal(shared.scans, 2, 'T once for both chains, U once');
    assert.equal(separate.scans, 3);
  });

  test('the shared scan reads the columns of every chain and hands out only rows some chain keeps', async () => {
    const r = await run(TWO_BRANCHES);
    assert.deepEqual(r.filterColumns[0], ['x', 's']);
    let keptByEither = 0;
    for (let x = 0; x < 5000; x++) if ((x % 2 === 1 && x % 7 === 3) || x < 100) keptByEither++;
    assert.equal(r.rows.length, 110);
    assert.equal(r.filterColumns.length, 2);
    assert.equal(r.seenRows, keptByEither + 9, 'T: rows either chain keeps; U: its 9 rows');
  });

  test('null predicate values drop a row in every chain (three-valued or/and)', async () => {
    const kql = `union (T | where iff(x < 10, bool(null), x < 20) | count), (T | where iff(x < 10, true, bool(null)) | count)`;
    const shared = await run(kql);
    assert.deepEqual(shared.rows, [[10], [10]]);
    assert.equal(shared.scans, 1);
  });

  test('a chain that stops early (take) leaves the other chains their rows', async () => {
    const r = await run('union (T | where x % 3 == 0 | take 2 | count), (T | where x % 3 == 1 | count), (T | where x > 10 | take 5 | count)');
    assert.deepEqual(r.rows, [[2], [1667], [5]]);
    assert.equal(r.scans, 1);
  });

  test('a waiting chain over the memory share is let go and scans on its own', async () => {
    const kql = 'union (T | where x >= 0 | summarize c = count()), (T | where x >= 0 | summarize d = dcount(s))';
    const roomy = await run(kql, { rows: 20000 });
    const tight = await run(kql, { rows: 20000, maxMemory: 400_000 });
    assert.deepEqual(tight.rows, roomy.rows);
    assert.equal(roomy.scans, 1);
    assert.equal(tight.scans, 2);
  });

  test('a chain read by several branches (a shared let) is one member; its result is kept as before', async () => {
    const r = await run('let A = T | where x % 5 == 0; union (A | count), (A | count), (T | where x < 3 | count)');
    assert.deepEqual(r.rows, [[1000], [1000], [3]]);
    assert.equal(r.scans, 1);
  });

  test('non-deterministic predicates are never shared', async () => {
    const r = await run('union (T | where rand() < 2.0 | count), (T | where x < 3 | count)');
    assert.deepEqual(r.rows, [[5000], [3]]);
    assert.equal(r.scans, 2);
  });

  test('a scan that fails fails every chain that reads it', async () => {
    const { tables } = filteringTable(3000);
    const failing: TableSource = {
      ...tables,
      async *scanFiltered() {
        yield { schema: SCHEMA, columns: [[1], ['a']], length: 1 };
        throw new Error('disk gone');
      },
    };
    await assert.rejects(executeQuery('union (T | where x > 0 | count), (T | where x < 0 | count)', { tables: failing, now: 0n }), /disk gone/);
  });
});
