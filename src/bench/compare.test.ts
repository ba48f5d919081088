import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, compareResults, normaliseCell, normaliseInstant, type EngineResult } from './compare.js';

const ours = (rows: unknown[][], types = ['datetime', 'string', 'long', 'dynamic']): EngineResult => ({
  columns: ['Timestamp', 'DeviceName', 'FileCount', 'Extensions'].slice(0, types.length).map((name, i) => ({ name, type: types[i] })),
  rows,
});
const duckdb = (rows: unknown[][], names = ['Timestamp', 'DeviceName', 'FileCount', 'Extensions']): EngineResult => ({
  columns: names.map((name) => ({ name })),
  rows,
});

describe('normalisation', () => {
  test('Kusto and DuckDB instants meet at microseconds', () => {
    assert.equal(normaliseInstant('2026-11-27T10:00:00.1234567Z'), '2026-11-27T10:00:00.123456Z');
    assert.equal(normaliseInstant('2026-11-27 10:00:00.1234567'), '2026-11-27T10:00:00.123456Z');
    assert.equal(normaliseInstant('2026-11-27 10:00:00.123456+00'), '2026-11-27T10:00:00.123456Z');
    assert.equal(normaliseInstant('2026-11-27T10:00:00Z'), '2026-11-27T10:00:00.000000Z');
    assert.equal(normaliseInstant('not a date'), 'not a date');
  });
  test('cells by type: numbers from text, null strings as empty, booleans, dynamic JSON text parsed', () => {
    assert.equal(normaliseCell('42', 'long'), 42);
    assert.equal(normaliseCell(null, 'long'), null);
    assert.equal(normaliseCell(null, 'string'), '');
    assert.equal(normaliseCell('true', 'bool'), true);
    assert.equal(normaliseCell(false, 'bool'), false);
    assert.deepEqual(normaliseCell('{"b":1,"a":[2]}', 'dynamic'), { b: 1, a: [2] });
    assert.equal(normaliseCell('', 'dynamic'), null);
  });
  test('canonical JSON sorts object keys at every depth', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 1 }], c: null } }), '{"a":{"c":null,"d":[1,{"y":1,"z":0}]},"b":1}');
    assert.equal(canonicalJson(10n), '10');
  });
});

describe('compareResults', () => {
  const a = ours([
    ['2026-11-27T10:00:00.1234567Z', 'wks-1', 12, ['zip', 'txt']],
    ['2026-11-27T09:00:00Z', 'wks-2', 10, []],
  ]);
  test('same rows in another order, typed differently, sets in another order → match', () => {
    const b = duckdb([
      ['2026-11-27 09:00:00', 'wks-2', '10', []],
      ['2026-11-27 10:00:00.1234567', 'wks-1', '12', ['txt', 'zip']],
    ]);
    assert.deepEqual(compareResults(a, b, ['exact', 'exact', 'exact', 'set']), { match: true, difference: '' });
  });
  test('a set compared exactly keeps its order', () => {
    const b = duckdb([['2026-11-27 09:00:00', 'wks-2', '10', []], ['2026-11-27 10:00:00.1234567', 'wks-1', '12', ['txt', 'zip']]]);
    assert.equal(compareResults(a, b).match, false);
  });
  test('a different value is reported with the row', () => {
    const b = duckdb([['2026-11-27 09:00:00', 'wks-2', '11', []], ['2026-11-27 10:00:00.1234567', 'wks-1', '12', ['txt', 'zip']]]);
    const result = compareResults(a, b, ['exact', 'exact', 'exact', 'set']);
    assert.equal(result.match, false);
    assert.match(result.difference, /row 1 \(sorted\): ours .*FileCount=10.* \| DuckDB .*FileCount=11/);
  });
  test('row counts and column names must agree', () => {
    const short = compareResults(a, duckdb([['2026-11-27 09:00:00', 'wks-2', '10', []]]), ['exact', 'exact', 'exact', 'set']);
    assert.equal(short.match, false);
    assert.match(short.difference, /^2 rows \(ours\) vs 1 \(DuckDB\); first row only ours has: .*wks-1/);
    const renamed = compareResults(a, duckdb(a.rows, ['Timestamp', 'Device', 'FileCount', 'Extensions']));
    assert.match(renamed.difference, /^columns differ/);
  });
  test('anyOf: our pick must be one of DuckDB\'s candidates; take_anyif of nothing is empty', () => {
    const picked = ours([['2026-11-27T09:00:00Z', 'cmd /c copy a b']], ['datetime', 'string']);
    const names = ['Timestamp', 'DeviceName'];
    assert.equal(compareResults(picked, duckdb([['2026-11-27 09:00:00', ['cmd /c copy x y', 'cmd /c copy a b']]], names), ['exact', 'anyOf']).match, true);
    const miss = compareResults(picked, duckdb([['2026-11-27 09:00:00', ['other']]], names), ['exact', 'anyOf']);
    assert.match(miss.difference, /DeviceName: "cmd \/c copy a b" is not among DuckDB's "other"/);
    const empty = ours([['2026-11-27T09:00:00Z', null]], ['datetime', 'string']);
    assert.equal(compareResults(empty, duckdb([['2026-11-27 09:00:00', ['']]], names), ['exact', 'anyOf']).match, true);
  });
  test('cappedSet: our first N values must come from DuckDB\'s full set and number min(N, all)', () => {
    const types = ['datetime', 'dynamic'];
    const names = ['Timestamp', 'DeviceName'];
    const checks = ['exact', { cappedSet: 2 }] as const;
    const full = duckdb([['2026-11-27 09:00:00', ['a', 'b', 'c']]], names);
    assert.equal(compareResults(ours([['2026-11-27T09:00:00Z', ['c', 'a']]], types), full, [...checks]).match, true);
    assert.match(compareResults(ours([['2026-11-27T09:00:00Z', ['a']]], types), full, [...checks]).difference, /1 values, expected 2 \(cap 2 of 3\)/);
    assert.match(compareResults(ours([['2026-11-27T09:00:00Z', ['a', 'x']]], types), full, [...checks]).difference, /"x" not in DuckDB's set/);
  });
});
