/** Array, set, bag and JSON functions; expected values from each function's Kusto docs page. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTINS } from './builtins.js';
import { TEST_NOW, bindError, bindScalar, callScalar, resultType } from './test-support.js';

const s = (v: string): [string, 'string'] => [v, 'string'];
const l = (v: number): [number, 'long'] => [v, 'long'];
const dyn = (v: unknown): [never, 'dynamic'] => [v as never, 'dynamic'];

describe('arrays', () => {
  test('array_concat (array-concat-function.md); a non-array argument → null', () => {
    assert.deepEqual(callScalar('array_concat', [dyn([1, 2, 4]), dyn([1, 2])]), [1, 2, 4, 1, 2]);
    assert.equal(callScalar('array_concat', [dyn([1]), dyn('x')]), null);
  });
  test('array_slice: inclusive end, negative indexes from the end (array-slice-function.md)', () => {
    assert.deepEqual(callScalar('array_slice', [dyn([1, 2, 3]), l(1), l(2)]), [2, 3]);
    assert.deepEqual(callScalar('array_slice', [dyn([1, 2, 3, 4, 5]), l(2), l(-1)]), [3, 4, 5]);
    assert.deepEqual(callScalar('array_slice', [dyn([1, 2, 3, 4, 5]), l(-3), l(-2)]), [3, 4]);
    assert.deepEqual(callScalar('array_slice', [dyn([1, 2, 3]), l(2), l(1)]), []);
  });
  test('array_index_of (array-index-of-function.md)', () => {
    const arr = dyn(['this', 'is', 'an', 'example', 'an', 'example']);
    assert.equal(callScalar('array_index_of', [arr, s('an')]), 2);
    assert.equal(callScalar('array_index_of', [arr, s('example'), l(1), l(3)]), 3);
    assert.equal(callScalar('array_index_of', [arr, s('example'), l(1), l(2)]), -1);
    assert.equal(callScalar('array_index_of', [arr, s('is'), l(2), l(4)]), -1);
    assert.equal(callScalar('array_index_of', [arr, s('example'), l(2), l(-1)]), 3);
    assert.equal(callScalar('array_index_of', [arr, s('an'), l(1), l(-1), l(2)]), 4);
    assert.equal(callScalar('array_index_of', [arr, s('an'), l(1), l(-1), l(3)]), -1);
    assert.equal(callScalar('array_index_of', [arr, s('an'), l(-3)]), 4);
    assert.equal(callScalar('array_index_of', [arr, s('is'), l(-4)]), -1);
  });
  test('array_sort_asc / array_sort_desc (array-sort-asc-function.md, array-sort-desc-function.md)', () => {
    assert.deepEqual(callScalar('array_sort_asc', [dyn(['John', 'Paul', 'Jane', 'Kao'])]), ['Jane', 'John', 'Kao', 'Paul']);
    assert.deepEqual(callScalar('array_sort_desc', [dyn(['John', 'Paul', 'Jane', 'Kayo'])]), ['Paul', 'Kayo', 'John', 'Jane']);
    assert.deepEqual(callScalar('array_sort_asc', [dyn([null, 'blue', 'yellow', 'green', null])]), ['blue', 'green', 'yellow', null, null]);
    assert.deepEqual(callScalar('array_sort_asc', [dyn([null, 'blue', 'yellow', 'green', null]), [false, 'bool']]), [null, null, 'blue', 'green', 'yellow']);
    assert.deepEqual(callScalar('array_sort_desc', [dyn([null, 'blue', 'yellow', 'green', null])]), ['yellow', 'green', 'blue', null, null]);
    // Several arrays: the later ones follow the first one's order (returned together, see the function's note).
    assert.deepEqual(callScalar('array_sort_asc', [dyn([1, 3, 4, 5, 2]), dyn(['a', 'b', 'c', 'd', 'e'])]), [[1, 2, 3, 4, 5], ['a', 'e', 'b', 'c', 'd']]);
    assert.deepEqual(callScalar('array_sort_desc', [dyn([1, 3, 4, 5, 2]), dyn(['a', 'b', 'c', 'd', 'e'])]), [[5, 4, 3, 2, 1], ['d', 'c', 'b', 'e', 'a']]);
    assert.equal(callScalar('array_sort_asc', [dyn([1, 2]), dyn([1])]), null, 'arrays of different lengths');
  });
  test('array_reverse, rotations, shifts, split, sum (their docs pages)', () => {
    assert.deepEqual(callScalar('array_reverse', [dyn(['this', 'is', 'an', 'example'])]), ['example', 'an', 'is', 'this']);
    assert.deepEqual(callScalar('array_rotate_left', [dyn([1, 2, 3, 4, 5]), l(2)]), [3, 4, 5, 1, 2]);
    assert.deepEqual(callScalar('array_rotate_left', [dyn([1, 2, 3, 4, 5]), l(-2)]), [4, 5, 1, 2, 3]);
    assert.deepEqual(callScalar('array_rotate_right', [dyn([1, 2, 3, 4, 5]), l(2)]), [4, 5, 1, 2, 3]);
    assert.deepEqual(callScalar('array_shift_right', [dyn([1, 2, 3, 4, 5]), l(2)]), [null, null, 1, 2, 3]);
    assert.deepEqual(callScalar('array_shift_right', [dyn([1, 2, 3, 4, 5]), l(2), l(-1)]), [-1, -1, 1, 2, 3]);
    assert.deepEqual(callScalar('array_shift_right', [dyn([1, 2, 3, 4, 5]), l(-2), l(-1)]), [3, 4, 5, -1, -1]);
    assert.deepEqual(callScalar('array_shift_left', [dyn([1, 2, 3, 4, 5]), l(2)]), [3, 4, 5, null, null]);
    assert.deepEqual(callScalar('array_split', [dyn([1, 2, 3, 4, 5]), l(2)]), [[1, 2], [3, 4, 5]]);
    assert.deepEqual(callScalar('array_split', [dyn([1, 2, 3, 4, 5]), dyn([1, 3])]), [[1], [2, 3], [4, 5]]);
    assert.equal(callScalar('array_sum', [dyn([1, 2, 3, 4])]), 10);
    assert.equal(resultType(bindScalar('array_sum', ['dynamic'])), 'real');
  });
  test('zip pads with null (zip-function.md)', () => {
    assert.deepEqual(callScalar('zip', [dyn([1, 3, 5]), dyn([2, 4, 6])]), [[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(callScalar('zip', [dyn([1, 3, 5]), dyn([2, 4])]), [[1, 2], [3, 4], [5, null]]);
  });
  test('range (range-function.md): numbers, datetimes and timespans', () => {
    assert.deepEqual(callScalar('range', [l(1), l(8), l(3)]), [1, 4, 7]);
    assert.deepEqual(callScalar('range', [l(1), l(3)]), [1, 2, 3]);
    assert.deepEqual(callScalar('range', [[36_000_000_000n, 'timespan'], [180_000_000_000n, 'timespan']]),
      ['01:00:00', '02:00:00', '03:00:00', '04:00:00', '05:00:00']);
    const days = callScalar('range', [[1167609600_0000000n, 'datetime'], [1199059200_0000000n, 'datetime'], [864_000_000_000n, 'timespan']]) as string[];
    assert.equal(days.length, 365);
    assert.equal(days[0], '2007-01-01T00:00:00.0000000Z');
    assert.equal(days[364], '2007-12-31T00:00:00.0000000Z');
    assert.equal((callScalar('range', [l(1), l(1_000_000_000)]) as number[]).length, 1_048_576, 'capped at 1,048,576 elements');
    assert.match(bindError(bindScalar('range', ['datetime', 'long'])), /datetime stop and a timespan step/);
  });
});

describe('sets', () => {
  test('set_has_element (set-has-element-function.md)', () => {
    assert.equal(callScalar('set_has_element', [dyn(['this', 'is', 'an', 'example']), s('example')]), true);
    assert.equal(callScalar('set_has_element', [dyn(['this', 'is', 'an', 'example']), s('test')]), false);
    assert.equal(callScalar('set_has_element', [dyn([1, 2, 3]), l(2)]), true);
    assert.equal(callScalar('set_has_element', [dyn('x'), l(2)]), null);
  });
  test('set_union / set_intersect / set_difference (their docs pages)', () => {
    assert.deepEqual(callScalar('set_union', [dyn([1, 2, 4]), dyn([1, 2, 1]), dyn([1, 4])]), [1, 2, 4]);
    assert.deepEqual(callScalar('set_union', [dyn(['a', 'b']), dyn(['b', 'c'])]), ['a', 'b', 'c']);
    assert.deepEqual(callScalar('set_intersect', [dyn([1, 2, 3]), dyn([2, 3, 4]), dyn([3, 2])]), [2, 3]);
    assert.deepEqual(callScalar('set_difference', [dyn([1, 2, 3, 3]), dyn([2]), dyn([5])]), [1, 3]);
    assert.deepEqual(callScalar('set_difference', [dyn([1, 2]), dyn([1, 2])]), []);
    assert.equal(callScalar('set_union', [dyn([1]), dyn(null)]), null);
  });
});

describe('property bags', () => {
  test('bag_pack / pack / pack_dictionary (bag-pack-function.md)', () => {
    assert.deepEqual(callScalar('bag_pack', [s('Level'), s('Information'), s('ProcessID'), l(1234), s('Data'), dyn({ url: 'www.bing.com' })]),
      { Level: 'Information', ProcessID: 1234, Data: { url: 'www.bing.com' } });
    assert.deepEqual(callScalar('pack', [s('a'), l(1)]), { a: 1 });
    assert.deepEqual(callScalar('pack_dictionary', [s('a'), [17958600000000000n, 'datetime']]), { a: '2026-11-28T10:00:00.0000000Z' });
    assert.match(bindError(bindScalar('bag_pack', ['string'])), /even number of arguments/);
    assert.match(bindError(bindScalar('bag_pack', ['long', 'long'])), /argument 1 \(a key\) must be string/);
  });
  test('bag_pack_columns keys by column names', () => {
    const fn = BUILTINS.scalar('bag_pack_columns')!;
    const args = [{ type: 'string' as const, columnName: 'Id' }, { type: 'string' as const, columnName: 'Value' }];
    assert.deepEqual(fn.bind(args), { type: 'dynamic' });
    assert.deepEqual(fn.prepare(args, TEST_NOW)(['A', 'val_a']), { Id: 'A', Value: 'val_a' });
    assert.match(bindError(fn.bind([{ type: 'string' }])), /argument 1 must be a column/);
  });
  test('bag_keys (bag-keys-function.md)', () => {
    assert.deepEqual(callScalar('bag_keys', [dyn({ a: 'b', c: 123 })]), ['a', 'c']);
    assert.deepEqual(callScalar('bag_keys', [dyn({})]), []);
    assert.equal(callScalar('bag_keys', [dyn(null)]), null);
    assert.equal(callScalar('bag_keys', [dyn('a')]), null);
    assert.equal(callScalar('bag_keys', [dyn([])]), null);
  });
  test('bag_merge: the first bag wins (bag-merge-function.md)', () => {
    assert.deepEqual(callScalar('bag_merge', [dyn({ A1: 12, B1: 2, C1: 3 }), dyn({ A2: 81, B2: 82, A1: 1 })]),
      { A1: 12, B1: 2, C1: 3, A2: 81, B2: 82 });
  });
  test('bag_has_key / bag_remove_keys / bag_set_key with JSONPath keys (their docs pages)', () => {
    const nested = { key1: 123, key2: { prop1: 'abc', prop2: 'xyz' }, key3: [100, 200] };
    assert.equal(callScalar('bag_has_key', [dyn({ key1: 123, key2: 'abc' }), s('key2')]), true);
    assert.equal(callScalar('bag_has_key', [dyn({ key1: 123, key3: 'abc' }), s('key2')]), false);
    assert.equal(callScalar('bag_has_key', [dyn(nested), s('$.key2.prop1')]), true);
    assert.deepEqual(callScalar('bag_remove_keys', [dyn({ key1: 123, key2: 'abc' }), dyn(['key2', 'key4'])]), { key1: 123 });
    assert.deepEqual(callScalar('bag_remove_keys', [dyn(nested), dyn(['$.key2.prop1', 'key3'])]), { key1: 123, key2: { prop2: 'xyz' } });
    assert.deepEqual(callScalar('bag_set_key', [dyn({ key1: 1, key2: 2 }), s('key3'), l(3)]), { key1: 1, key2: 2, key3: 3 });
    assert.deepEqual(callScalar('bag_set_key', [dyn({ key1: 1, key3: 'abc' }), s('key3'), l(3)]), { key1: 1, key3: 3 });
    assert.deepEqual(callScalar('bag_set_key', [dyn({ key1: 123 }), s('$.key2.prop1'), s('abc')]), { key1: 123, key2: { prop1: 'abc' } });
  });
});

describe('JSON and types', () => {
  test('extract_json with a path and a type literal (extractjson-function.md)', () => {
    const json = '{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}}';
    assert.equal(callScalar('extract_json', [s('$.duration.value'), s(json)]), '118');
    assert.equal(callScalar('extractjson', [s("$['duration']['min']"), s(json)]), '100');
    assert.equal(callScalar('extract_json', [s('$.missing'), s(json)]), '');
    const fn = BUILTINS.scalar('extract_json')!;
    const args = [{ type: 'string' as const }, { type: 'string' as const }, { type: 'long' as const, typeLiteral: 'long' as const }];
    assert.deepEqual(fn.bind(args), { type: 'long' });
    assert.equal(fn.prepare(args, TEST_NOW)(['$.duration.max', json, null]), 150);
    assert.equal(fn.prepare(args, TEST_NOW)(['$.nothing', json, null]), null);
    assert.match(bindError(fn.bind([{ type: 'string', constant: { value: 'duration' } }, { type: 'string' }])), /invalid JSONPath/);
  });
  test('dynamic_to_json sorts keys (dynamic-to-json-function.md)', () => {
    assert.equal(callScalar('dynamic_to_json', [dyn({ Y10: {}, X8: { c3: 1, d8: 5, a4: 6 }, D1: 114, A1: 12, B1: 2, C1: 3, A14: [15, 13, 18] })]),
      '{"A1":12,"A14":[15,13,18],"B1":2,"C1":3,"D1":114,"X8":{"a4":6,"c3":1,"d8":5},"Y10":{}}');
    assert.equal(callScalar('dynamic_to_json', [dyn([1, 2, 3])]), '[1,2,3]');
  });
  test('parse_csv reads one record ("" escapes a quote) (parse-csv-function.md)', () => {
    assert.deepEqual(callScalar('parse_csv', [s('aaa,"b""bb",ccc')]), ['aaa', 'b"bb', 'ccc']);
    assert.deepEqual(callScalar('parse_csv', [s('record1,a,b,c\nrecord2,x,y,z')]), ['record1', 'a', 'b', 'c']);
  });
  test('gettype (gettype-function.md)', () => {
    assert.equal(callScalar('gettype', [s('a')]), 'string');
    assert.equal(callScalar('gettype', [l(111)]), 'long');
    assert.equal(callScalar('gettype', [[true, 'bool']]), 'bool');
    assert.equal(callScalar('gettype', [[17958600000000000n, 'datetime']]), 'datetime');
    assert.equal(callScalar('gettype', [[10_000_000n, 'timespan']]), 'timespan');
    assert.equal(callScalar('gettype', [dyn(1)]), 'int');
    assert.equal(callScalar('gettype', [dyn('abc')]), 'string');
    assert.equal(callScalar('gettype', [dyn({ abc: 1 })]), 'dictionary');
    assert.equal(callScalar('gettype', [dyn([1, 2, 3])]), 'array');
    assert.equal(callScalar('gettype', [[123.45, 'real']]), 'real');
    assert.equal(callScalar('gettype', [['7b5e7e1b-1d2f-4f33-9a2e-6f4e6e1a7c44', 'guid']]), 'guid');
    assert.equal(callScalar('gettype', [dyn(null)]), 'null');
  });
});

describe('series', () => {
  test('series_stats_dynamic (series-stats-dynamic-function.md)', () => {
    const stats = callScalar('series_stats_dynamic', [dyn([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29])]) as Record<string, number>;
    assert.equal(stats.min, 2);
    assert.equal(stats.min_idx, 8);
    assert.equal(stats.max, 87);
    assert.equal(stats.max_idx, 3);
    assert.equal(stats.avg, 32.8);
    assert.ok(Math.abs(stats.stdev! - 28.503633853548269) < 1e-9);
    assert.ok(Math.abs(stats.variance! - 812.45714285714291) < 1e-9);
    assert.equal(stats.sum, 492);
    assert.equal(stats.len, 15);
  });
  test('series_fit_line_dynamic (series-fit-line-dynamic-function.md)', () => {
    const fit = callScalar('series_fit_line_dynamic', [dyn([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30])]) as Record<string, number & number[]>;
    const near = (a: number, b: number, eps = 1e-3) => assert.ok(Math.abs(a - b) < eps, `${a} ≈ ${b}`);
    near(fit.rsquare, 0.982, 1e-3);
    near(fit.slope, 2.730, 1e-3);
    near(fit.variance, 98.628, 1e-3);
    near(fit.rvariance, 1.686, 1e-3);
    near(fit.interception, -1.666, 1e-3);
    [1.064, 3.7945, 6.526, 9.256, 11.987, 14.718, 17.449, 20.180, 22.910, 25.641, 28.371, 31.102].forEach((v, i) => near(fit.line_fit[i]!, v, 2e-3));
  });
  test('series_fit_2lines finds the break of a two-slope series', () => {
    const fit = callScalar('series_fit_2lines_dynamic', [dyn([0, 1, 2, 3, 10, 10, 10])]) as Record<string, number>;
    assert.equal(fit.split_idx, 4, 'the only split where both parts are straight lines');
    assert.ok(Math.abs(fit.rsquare! - 1) < 1e-12);
    assert.ok(Math.abs(fit.left_slope! - 1) < 1e-12);
    assert.ok(Math.abs(fit.right_slope!) < 1e-12);
  });
});
