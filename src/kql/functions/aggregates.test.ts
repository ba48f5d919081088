import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArgInfo } from './registry.js';
import type { ScalarType } from '../values/types.js';
import { TICKS_PER_HOUR, parseDatetime } from '../values/datetime.js';
import { aggregate, aggregateEntry } from './test-support.js';

const dt = (s: string) => parseDatetime(s)!;
const args = (...types: ScalarType[]): ArgInfo[] => types.map((type) => ({ type }));
const bind = (name: string, info: ArgInfo[]) => aggregateEntry(name).bind(info);
const bindErrorOf = (name: string, info: ArgInfo[]) => {
  const r = bind(name, info);
  assert.ok('error' in r, `${name} rejects`);
  return (r as { error: string }).error;
};

describe('result name prefixes and types (Kusto.Language)', () => {
  const cases: [string, ScalarType[], string, ScalarType | ScalarType[]][] = [
    ['count', [], 'count', 'long'],
    ['countif', ['bool'], 'countif', 'long'],
    ['dcount', ['string'], 'dcount', 'long'],
    ['dcountif', ['string', 'bool'], 'dcountif', 'long'],
    ['sum', ['int'], 'sum', 'long'],
    ['sum', ['real'], 'sum', 'real'],
    ['sum', ['timespan'], 'sum', 'timespan'],
    ['sumif', ['long', 'bool'], 'sumif', 'long'],
    ['avg', ['int'], 'avg', 'real'],
    ['avg', ['decimal'], 'avg', 'decimal'],
    ['avgif', ['timespan', 'bool'], 'avgif', 'timespan'],
    ['min', ['datetime'], 'min', 'datetime'],
    ['max', ['string'], 'max', 'string'],
    ['minif', ['long', 'bool'], 'minif', 'long'],
    ['maxif', ['datetime', 'bool'], 'maxif', 'datetime'],
    ['make_set', ['string'], 'set', 'dynamic'],
    ['make_list', ['long'], 'list', 'dynamic'],
    ['make_set_if', ['string', 'bool'], 'set', 'dynamic'],
    ['make_list_if', ['long', 'bool'], 'list', 'dynamic'],
    ['take_any', ['string', 'long'], 'any', ['string', 'long']],
    ['arg_max', ['datetime', 'string', 'long'], 'max', ['datetime', 'string', 'long']],
    ['arg_min', ['long', 'dynamic'], 'min', ['long', 'dynamic']],
  ];
  for (const [name, types, prefix, result] of cases) {
    test(`${name}(${types.join(', ')})`, () => {
      const agg = aggregateEntry(name);
      assert.equal(agg.resultNamePrefix, prefix);
      const bound = agg.bind(args(...types));
      assert.deepEqual(bound, Array.isArray(result) ? { types: result } : { type: result });
    });
  }
  test('naming style: take_any and arg_max/arg_min are named after their arguments', () => {
    for (const name of ['take_any', 'arg_max', 'arg_min']) {
      assert.equal(aggregateEntry(name).outputNaming, 'arguments');
      assert.equal(aggregateEntry(name).multiOutput, true);
    }
    assert.equal(aggregateEntry('make_set').outputNaming ?? 'prefix', 'prefix');
  });
});

describe('argument errors', () => {
  test('wrong counts and types', () => {
    assert.match(bindErrorOf('count', args('long')), /count\(\): expects 0 arguments, got 1/);
    assert.match(bindErrorOf('countif', args('long')), /countif\(\): argument 1 must be bool, got long/);
    assert.match(bindErrorOf('sum', args('string')), /sum\(\): argument 1 must be a number, timespan or datetime, got string/);
    assert.match(bindErrorOf('min', args('dynamic')), /min\(\): argument 1 must be orderable/);
    assert.match(bindErrorOf('make_set_if', args('string', 'long')), /argument 2 must be bool, got long/);
    assert.match(bindErrorOf('make_set', args('string', 'string')), /argument 2 must be an integer maximum size/);
    assert.match(bindErrorOf('arg_max', args('dynamic', 'long')), /arg_max\(\): argument 1 must be orderable/);
    assert.match(bindErrorOf('dcount', args('string', 'real')), /accuracy/);
  });
});

describe('count, countif, dcount', () => {
  test('count counts rows including nulls; empty input gives 0', () => {
    assert.equal(aggregate('count', [], [[], [], []]), 3);
    assert.equal(aggregate('count', [], []), 0);
  });
  test('countif counts true predicates only', () => {
    assert.equal(aggregate('countif', args('bool'), [[true], [false], [null], [true]]), 2);
  });
  test('dcount counts distinct non-null values exactly', () => {
    assert.equal(aggregate('dcount', args('string'), [['a'], ['b'], ['a'], ['A']]), 3);
    assert.equal(aggregate('dcount', args('long'), [[1], [null], [1], [2]]), 2);
    assert.equal(aggregate('dcount', args('dynamic'), [[{ a: 1, b: 2 }], [{ b: 2, a: 1 }], [[1]]]), 2);
    assert.equal(aggregate('dcountif', args('string', 'bool'), [['a', true], ['b', false], ['c', true], ['a', true]]), 2);
    assert.equal(aggregate('dcount', args('string'), []), 0);
  });
});

describe('sum, avg', () => {
  test('nulls are ignored; sum of nothing is 0, avg of nothing null (summarize-operator.md, default values)', () => {
    assert.equal(aggregate('sum', args('long'), [[1], [null], [2]]), 3);
    assert.equal(aggregate('sum', args('long'), [[null], [null]]), 0);
    assert.equal(aggregate('sumif', args('real', 'bool'), [[1.5, false]]), 0);
    assert.equal(aggregate('sum', args('timespan'), []), 0n);
    assert.equal(aggregate('avg', args('long'), [[null]]), null);
    assert.equal(aggregate('avg', args('long'), [[1], [null], [2]]), 1.5);
    assert.equal(aggregate('avg', args('real'), []), null);
  });
  test('timespans sum and average exactly', () => {
    assert.equal(aggregate('sum', args('timespan'), [[TICKS_PER_HOUR], [1n]]), TICKS_PER_HOUR + 1n);
    assert.equal(aggregate('avg', args('timespan'), [[TICKS_PER_HOUR], [3n * TICKS_PER_HOUR]]), 2n * TICKS_PER_HOUR);
  });
  test('avg of datetimes is the mean instant (floored to a tick)', () => {
    assert.equal(aggregate('avg', args('datetime'), [[dt('2026-11-28T10:00:00Z')], [dt('2026-11-28T12:00:00Z')], [null]]), dt('2026-11-28T11:00:00Z'));
    assert.equal(aggregate('avg', args('datetime'), [[1n], [2n]]), 1n);
  });
  test('sumif / avgif', () => {
    assert.equal(aggregate('sumif', args('long', 'bool'), [[1, true], [10, false], [100, true], [5, null]]), 101);
    assert.equal(aggregate('avgif', args('long', 'bool'), [[1, true], [10, false], [3, true]]), 2);
  });
});

describe('min, max', () => {
  test('datetimes (the seed rule\'s FirstSeen/LastSeen)', () => {
    const rows = [[dt('2026-11-28T10:00:00Z')], [null], [dt('2026-11-28T09:00:00.0000001Z')], [dt('2026-11-28T11:00:00Z')]];
    assert.equal(aggregate('min', args('datetime'), rows), dt('2026-11-28T09:00:00.0000001Z'));
    assert.equal(aggregate('max', args('datetime'), rows), dt('2026-11-28T11:00:00Z'));
    assert.equal(aggregate('max', args('datetime'), [[null]]), null);
  });
  test('strings are ordinal, empty strings ignored', () => {
    assert.equal(aggregate('min', args('string'), [['b'], [''], ['B'], ['a']]), 'B');
    assert.equal(aggregate('max', args('string'), [['b'], ['B'], ['a']]), 'b');
    assert.equal(aggregate('max', args('string'), [['']]), '');
  });
  test('NaN is ignored; minif/maxif', () => {
    assert.equal(aggregate('max', args('real'), [[NaN], [1], [2]]), 2);
    assert.equal(aggregate('minif', args('long', 'bool'), [[5, true], [1, false], [7, true]]), 5);
    assert.equal(aggregate('maxif', args('long', 'bool'), [[5, true], [9, false], [7, true]]), 7);
  });
});

describe('make_set, make_list', () => {
  test('make_set: distinct, first-occurrence order, nulls ignored, "" kept', () => {
    assert.deepEqual(aggregate('make_set', args('long'), [[1], [5], [7], [5], [null]]), [1, 5, 7]);
    assert.deepEqual(aggregate('make_set', args('string'), [['zip'], [''], ['zip'], ['7z']]), ['zip', '', '7z']);
    assert.deepEqual(aggregate('make_set', args('string'), []), []);
  });
  test('make_set of dynamic arrays unions their elements (docs example)', () => {
    const rows = [[['A1', 'A2', 'A3']], [['A2', 'C1']], [['C2', 'A3']], [['C2', 'A1']]];
    assert.deepEqual(aggregate('make_set', args('dynamic'), rows), ['A1', 'A2', 'A3', 'C1', 'C2']);
  });
  test('make_set stores datetimes as ISO strings', () => {
    assert.deepEqual(aggregate('make_set', args('datetime'), [[dt('2026-11-28')], [dt('2026-11-28')]]), ['2026-11-28T00:00:00.0000000Z']); // range-function.md: datetimes in dynamic have 7 digits
  });
  test('max size', () => {
    const maxThree: ArgInfo[] = [{ type: 'long' }, { type: 'long', constant: { value: 3 } }];
    assert.deepEqual(aggregate('make_set', maxThree, [[1], [2], [2], [3], [4]]), [1, 2, 3]);
    assert.deepEqual(aggregate('make_list', maxThree, [[1], [2], [2], [3], [4]]), [1, 2, 2]);
  });
  test('make_list keeps duplicates and order (docs example)', () => {
    const shapes = ['triangle', 'square', 'rectangle', 'pentagon'];
    assert.deepEqual(aggregate('make_list', args('string'), shapes.map((s) => [s])), shapes);
    assert.deepEqual(aggregate('make_list', args('long'), [[1], [null], [1]]), [1, 1]);
  });
  test('_if forms (docs example: names longer than 4 characters)', () => {
    const rows = ['John', 'Paul', 'George', 'Ringo'].map((n) => [n, n.length > 4]);
    assert.deepEqual(aggregate('make_list_if', args('string', 'bool'), rows), ['George', 'Ringo']);
    assert.deepEqual(aggregate('make_set_if', args('string', 'bool'), rows), ['George', 'Ringo']);
  });
});

describe('arg_max, arg_min, take_any', () => {
  const rows = [
    [dt('2026-11-28T10:00:00Z'), 'a', 1],
    [null, 'null-ts', 2],
    [dt('2026-11-28T12:00:00Z'), 'b', 3],
    [dt('2026-11-28T12:00:00Z'), 'b-tie', 4],
    [dt('2026-11-28T08:00:00Z'), 'c', 5],
  ];
  test('arg_max returns the row with the largest first value, first of ties', () => {
    assert.deepEqual(aggregate('arg_max', args('datetime', 'string', 'long'), rows), [dt('2026-11-28T12:00:00Z'), 'b', 3]);
  });
  test('arg_min ignores nulls in the minimised expression', () => {
    assert.deepEqual(aggregate('arg_min', args('datetime', 'string', 'long'), rows), [dt('2026-11-28T08:00:00Z'), 'c', 5]);
  });
  test('no value to maximise: the group\'s first row (arg-max-aggregation-function.md, Banana → null, "Yellow")', () => {
    assert.deepEqual(aggregate('arg_max', args('long', 'string'), [[null, 'Yellow'], [null, 'Green']]), [null, 'Yellow']);
    assert.deepEqual(aggregate('arg_min', args('long', 'string'), [[null, 'Yellow'], [null, 'Green']]), [null, 'Yellow']);
  });
  test('an empty group gives nulls ("" for strings)', () => {
    assert.deepEqual(aggregate('arg_max', args('long', 'string', 'long'), []), [null, '', null]);
  });
  test('take_any returns one row\'s values, preferring a present first value', () => {
    assert.deepEqual(aggregate('take_any', args('string', 'long'), [['', 1], ['x', 2], ['y', 3]]), ['x', 2]);
    assert.deepEqual(aggregate('take_any', args('long'), [[null], [null]]), [null]);
  });
});
