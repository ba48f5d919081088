import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery, type TableSource } from '../index.js';
import type { Schema } from '../values/types.js';

const SCHEMA: Schema = [{ name: 'x', type: 'long' }, { name: 's', type: 'string' }];

/** A table of `rows` rows in batches of 1000, counting how often it is scanned. */
function countingTable(rows: number): { tables: TableSource; scans: () => number } {
  let scans = 0;
  const tables: TableSource = {
    tableSchema: (name) => (name === 'T' ? SCHEMA : undefined),
    tableNames: () => ['T'],
    async *scan() {
      scans++;
      for (let start = 0; start < rows; start += 1000) {
        const n = Math.min(1000, rows - start);
        yield { schema: SCHEMA, columns: [Array.from({ length: n }, (_, i) => start + i), Array.from({ length: n }, (_, i) => `s${(start + i) % 7}`)], length: n };
      }
    },
  };
  return { tables, scans: () => scans };
}

const run = async (kql: string, rows = 5000, maxMemory?: number) => {
  const { tables, scans } = countingTable(rows);
  const result = await executeQuery(kql, { tables, now: 0n, maxMemory });
  return { rows: result.rows, scans: scans() };
};

describe('a let read by several branches runs once', () => {
  const shared = 'let Odd = T | where x % 2 == 1 | extend y = x * 10;';

  test('same rows as writing the branches out, with one scan instead of three', async () => {
    const viaLet = await run(`${shared} union (Odd | summarize c = count()), (Odd | where s == "s3" | count), (Odd | summarize m = max(y))`);
    const inline = await run(`union (T | where x % 2 == 1 | extend y = x * 10 | summarize c = count()),
      (T | where x % 2 == 1 | extend y = x * 10 | where s == "s3" | count), (T | where x % 2 == 1 | extend y = x * 10 | summarize m = max(y))`);
    assert.deepEqual(viaLet.rows, inline.rows);
    assert.deepEqual(viaLet.rows.map((r) => r.filter((v) => v !== null)), [[2500], [357], [49990]]);
    assert.equal(viaLet.scans, 1);
    assert.equal(inline.scans, 3);
  });

  test('a join of a let with itself', async () => {
    const r = await run(`${shared} Odd | where x < 20 | join kind=inner (Odd | project x, t = s) on x | count`);
    assert.deepEqual(r.rows, [[10]]);
  });

  test('a reader that stops early (take) does not leave a partial result behind', async () => {
    const r = await run(`${shared} union (Odd | take 3 | count), (Odd | count), (Odd | count)`);
    assert.deepEqual(r.rows, [[3], [2500], [2500]]);
    assert.equal(r.scans, 2, 'the first (stopped) reader and the second (kept); the third replays');
  });

  test('non-deterministic parts are not kept: each reference runs', async () => {
    const r = await run('let R = T | extend r = rand(); union (R | count), (R | count)');
    assert.deepEqual(r.rows, [[5000], [5000]]);
    assert.equal(r.scans, 2);
  });

  test('a result over its share of the memory limit is dropped and the plan runs again, with the same answers', async () => {
    const r = await run(`${shared} union (Odd | count), (Odd | count), (Odd | summarize max(x))`, 20000, 256 * 1024);
    assert.deepEqual(r.rows, [[10000, null], [10000, null], [null, 19999]]);
    assert.equal(r.scans, 3);
  });

  test('a kept result is given back when another operator needs the room, instead of failing the query', async () => {
    const kql = 'let A = T | where x >= 0 | extend y = strcat(s, "-", tostring(x)); union (A | summarize c = count() by y), (A | count)';
    const roomy = await run(kql, 5000, 1_400_000);
    const tight = await run(kql, 5000, 1_000_000);
    assert.equal(roomy.scans, 1);
    assert.equal(tight.scans, 2, 'dropped while the summarize grew; the second reader ran the plan again');
    assert.deepEqual(tight.rows, roomy.rows);
    assert.equal(tight.rows.length, 5001);
  });
});
