/** The added aggregates; expected values from each aggregate's Kusto docs page (cited per test). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArgInfo } from './registry.js';
import type { ScalarType, Value } from '../values/types.js';
import { aggregate, aggregateEntry } from './test-support.js';

const args = (...types: ScalarType[]): ArgInfo[] => types.map((type) => ({ type }));
const withConstants = (type: ScalarType, ...constants: Value[]): ArgInfo[] =>
  [{ type }, ...constants.map((value): ArgInfo => ({ type: typeof value === 'number' ? 'long' : 'dynamic', constant: { value } }))];
const column = (...values: Value[]) => values.map((v) => [v]);
const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

describe('count_distinct, make_bag, make_list_with_nulls', () => {
  test('count_distinct / count_distinctif count exactly, nulls ignored', () => {
    assert.equal(aggregate('count_distinct', args('string'), column('a', 'b', 'a', '')), 3);
    assert.equal(aggregate('count_distinct', args('long'), column(1, null, 1, 2)), 2);
    assert.equal(aggregate('count_distinctif', args('long', 'bool'), [[1, true], [2, false], [3, true], [1, true]]), 2);
    assert.equal(aggregate('count_distinct', args('long'), []), 0);
  });
  test('make_bag / make_bag_if (make-bag-aggregation-function.md, make-bag-if-aggregation-function.md)', () => {
    const bags: Value[] = [{ prop01: 'val_a' }, { prop02: 'val_b' }, { prop03: 'val_c' }];
    assert.deepEqual(aggregate('make_bag', args('dynamic'), bags.map((b) => [b])), { prop01: 'val_a', prop02: 'val_b', prop03: 'val_c' });
    assert.deepEqual(aggregate('make_bag_if', args('dynamic', 'bool'), bags.map((b, i) => [b, i !== 1])), { prop01: 'val_a', prop03: 'val_c' });
    assert.deepEqual(aggregate('make_bag', args('dynamic'), [[null], ['text'], [[1]]]), {}, 'non-bags are ignored');
    assert.match((aggregateEntry('make_bag').bind(args('string')) as { error: string }).error, /argument 1 must be dynamic/);
  });
  test('make_list_with_nulls keeps nulls (make-list-with-nulls-aggregation-function.md)', () => {
    assert.deepEqual(aggregate('make_list_with_nulls', args('long'), column(1, null, 3)), [1, null, 3]);
  });
});

describe('percentiles (nearest rank)', () => {
  test('percentile / percentiles of 1..100', () => {
    const rows = column(...oneToHundred);
    assert.equal(aggregate('percentile', withConstants('long', 50), rows), 50);
    assert.equal(aggregate('percentile', withConstants('long', 95), rows), 95);
    assert.equal(aggregate('percentile', withConstants('long', 0), rows), 1);
    assert.equal(aggregate('percentile', withConstants('long', 100), rows), 100);
    assert.deepEqual(aggregate('percentiles', withConstants('long', 5, 50, 95), rows), [5, 50, 95]);
    assert.deepEqual(aggregate('percentiles_array', withConstants('long', [5, 50, 95]), rows), [5, 50, 95]);
  });
  test('nearest rank on a small set; nulls ignored; empty → null', () => {
    assert.equal(aggregate('percentile', withConstants('real', 50), column(15, 20, 35, 40, 50)), 35);
    assert.equal(aggregate('percentile', withConstants('real', 30), column(15, null, 20, 35, 40, 50)), 20);
    assert.equal(aggregate('percentile', withConstants('real', 50), []), null);
  });
  test('automatic names: percentile_x_95, percentile_x_99_5 (Kusto.Language)', () => {
    const agg = aggregateEntry('percentiles');
    assert.deepEqual([0, 1].map((i) => agg.outputName!(i, ['x'], withConstants('long', 95, 99.5))), ['percentile_x_95', 'percentile_x_99_5']);
  });
  test('the percentile must be a constant number', () => {
    const bound = aggregateEntry('percentile').bind([{ type: 'long' }, { type: 'long' }]);
    assert.match((bound as { error: string }).error, /argument 2 must be a constant/);
  });
});

describe('variance and standard deviation', () => {
  test('variance / stdev of 1..5 (variance-aggregation-function.md, stdev-aggregation-function.md)', () => {
    assert.equal(aggregate('variance', args('long'), column(1, 2, 3, 4, 5)), 2.5);
    assert.ok(Math.abs((aggregate('stdev', args('long'), column(1, 2, 3, 4, 5)) as number) - 1.58113883008419) < 1e-12);
    assert.equal(aggregate('variancep', args('long'), column(1, 2, 3, 4, 5)), 2);
    assert.ok(Math.abs((aggregate('stdevp', args('long'), column(1, 2, 3, 4, 5)) as number) - 1.4142135623731) < 1e-12);
  });
  test('stdevif over 1..100 where x % 2 == 0 (stdevif-aggregation-function.md: 29.1547594742265)', () => {
    const rows = oneToHundred.map((x) => [x, x % 2 === 0]);
    assert.ok(Math.abs((aggregate('stdevif', args('long', 'bool'), rows) as number) - 29.1547594742265) < 1e-9);
  });
  test('one value → 0; no value → 0 for variance/stdev, null for the population forms (summarize-operator.md)', () => {
    assert.equal(aggregate('variance', args('real'), column(7)), 0);
    assert.equal(aggregate('stdev', args('real'), column(null)), 0);
    assert.equal(aggregate('variancep', args('real'), []), null);
  });
});

describe('take_anyif and binary_all_*', () => {
  test('take_anyif picks a row whose predicate is true', () => {
    assert.equal(aggregate('take_anyif', args('string', 'bool'), [['a', false], ['b', true], ['c', true]]), 'b');
    assert.equal(aggregate('take_anyif', args('string', 'bool'), [['a', false]]), '');
  });
  test('binary_all_and / _or / _xor (their docs pages: each gives CAFEF00D)', () => {
    const CAFEF00D = 0xcafef00d;
    assert.equal(aggregate('binary_all_and', args('long'), column(0xffffffff, 0xfffff00f, 0xcffffffd, 0xfafeffff)), CAFEF00D);
    assert.equal(aggregate('binary_all_or', args('long'), column(0x88888008, 0x42000000, 0x00767000, 0x00000005)), CAFEF00D);
    assert.equal(aggregate('binary_all_xor', args('long'), column(0x44404440, 0x1e1e1e1e, 0x90abba09, 0x000b105a)), CAFEF00D);
    assert.equal(aggregate('binary_all_or', args('long'), column(null)), null);
  });
});

describe('deprecated aliases', () => {
  test('any, makeset, makelist behave as take_any, make_set, make_list', () => {
    assert.deepEqual(aggregate('makeset', args('long'), column(1, 1, 2)), [1, 2]);
    assert.deepEqual(aggregate('makelist', args('long'), column(1, 1, 2)), [1, 1, 2]);
    assert.deepEqual(aggregate('any', args('string'), column('', 'x')), ['x']);
    assert.equal(aggregateEntry('any').outputName!(0, ['s'], args('string')), 'any_s');
  });
});
