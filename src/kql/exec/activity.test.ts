/** evaluate activity_counts_metrics / sliding_window_counts: expected values worked out from their docs pages. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery, compileQuery, KqlError, type TableSource } from '../index.js';
import { parseDatetime } from '../values/datetime.js';

const NO_TABLES: TableSource = { tableSchema: () => undefined, tableNames: () => [], scan: () => { throw new Error('no tables'); } };
const NOW = parseDatetime('2026-01-01T00:00:00Z')!;
const day = (d: number) => parseDatetime(`2017-08-0${d}T00:00:00Z`)!;

async function run(kql: string) {
  const r = await executeQuery(kql, { tables: NO_TABLES, now: NOW });
  return { columns: r.schema.map((c) => `${c.name}:${c.type}`), rows: r.rows };
}

function errorOf(kql: string) {
  try {
    compileQuery(kql, { tables: NO_TABLES, now: NOW });
  } catch (e) {
    if (e instanceof KqlError) return e.diagnostics[0]!;
    throw e;
  }
  return assert.fail(`expected an error for ${kql}`);
}

const EVENTS = `datatable(UserId:string, Timestamp:datetime, Team:string) [
  'A', datetime(2017-08-01), 'x', 'D', datetime(2017-08-01), 'x', 'J', datetime(2017-08-01), 'y',
  'C', datetime(2017-08-02), 'x', 'J', datetime(2017-08-02), 'y', 'J', datetime(2017-08-02 10:00), 'y',
  'A', datetime(2017-08-04), 'x', 'Z', datetime(2017-07-31), 'x', 'Z', datetime(2017-08-06), 'x']`;

describe('activity_counts_metrics', () => {
  test('count, dcount, new and aggregated distinct ids per window; empty windows count zero; rows outside are left out', async () => {
    const r = await run(`${EVENTS} | evaluate activity_counts_metrics(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-04), 1d)`);
    assert.deepEqual(r.columns, ['Timestamp:datetime', 'count:long', 'dcount:long', 'new_dcount:long', 'aggregated_dcount:long']);
    assert.deepEqual(r.rows, [[day(1), 3, 3, 3, 3], [day(2), 3, 2, 1, 4], [day(3), 0, 0, 0, 4], [day(4), 1, 1, 0, 4]]);
  });
  test('dimensions: one series per value, named after the column', async () => {
    const r = await run(`${EVENTS} | evaluate activity_counts_metrics(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-02), 1d, Team) | order by Team asc, Timestamp asc`);
    assert.deepEqual(r.columns, ['Timestamp:datetime', 'Team:string', 'count:long', 'dcount:long', 'new_dcount:long', 'aggregated_dcount:long']);
    assert.deepEqual(r.rows, [[day(1), 'x', 2, 2, 2, 2], [day(2), 'x', 1, 1, 1, 3], [day(1), 'y', 1, 1, 1, 1], [day(2), 'y', 2, 1, 0, 1]]);
  });
});

describe('sliding_window_counts', () => {
  test('Count and Dcount over the lookback ending with each bin', async () => {
    const r = await run(`${EVENTS} | evaluate sliding_window_counts(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-04), 2d, 1d)`);
    assert.deepEqual(r.columns, ['Timestamp:datetime', 'Count:long', 'Dcount:long']);
    assert.deepEqual(r.rows, [[day(1), 3, 3], [day(2), 6, 4], [day(3), 3, 2], [day(4), 1, 1]]);
  });
  test('wrong arguments: too few, a non-constant bound, a timeline that is not a datetime', () => {
    assert.equal(errorOf(`${EVENTS} | evaluate sliding_window_counts(UserId, Timestamp, datetime(2017-08-01))`).code, 'KB004');
    const bound = errorOf(`${EVENTS} | evaluate sliding_window_counts(UserId, Timestamp, toscalar(print datetime(2017-08-01)), datetime(2017-08-04), 2d, 1d)`);
    assert.equal(bound.code, 'KB010');
    assert.equal(bound.message, 'sliding_window_counts(): argument 3 must be a constant datetime.');
    assert.equal(errorOf(`${EVENTS} | evaluate activity_counts_metrics(UserId, Team, datetime(2017-08-01), datetime(2017-08-04), 1d)`).code, 'KB005');
    assert.equal(errorOf(`${EVENTS} | evaluate activity_counts_metrics(UserId, Timestamp, datetime(2017-08-01), datetime(2017-08-04), 0d)`).code, 'KB004');
  });
});
