/** tdigest and hll sketches; expected values from the Kusto docs pages cited per test. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArgInfo } from './registry.js';
import type { ScalarType, Value } from '../values/types.js';
import { parseDatetime } from '../values/datetime.js';
import { aggregate as aggregateAny, aggregateEntry, bindError, bindScalar, callScalar, resultType } from './test-support.js';
import { BUILTINS } from './builtins.js';

const args = (...types: ScalarType[]): ArgInfo[] => types.map((type) => ({ type }));
const column = (...values: Value[]) => values.map((v) => [v]);
/** The sketch aggregates give one value. */
const aggregate = (name: string, infos: ArgInfo[], rows: Value[][]): Value => aggregateAny(name, infos, rows) as Value;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** percentile_tdigest with a type literal, the way the binder passes `typeof(T)`. */
function percentileTdigestAs(digest: Value, percent: number, type: ScalarType): Value {
  const fn = BUILTINS.scalar('percentile_tdigest')!;
  const infos: ArgInfo[] = [{ type: 'dynamic' }, { type: 'long' }, { type, typeLiteral: type }];
  assert.equal(resultType(fn.bind(infos)), type);
  return fn.prepare(infos, { now: 0n })([digest, percent, null]);
}

describe('tdigest family', () => {
  test('a weighted digest: P50 of 1.0 (weight 1) and 2.0 (weight 2) is 2 (tdigest-aggregation-function.md)', () => {
    const digest = aggregate('tdigest', args('real', 'long'), [[1.0, 1], [2.0, 2]]);
    assert.equal(callScalar('percentile_tdigest', [[digest, 'dynamic'], [50, 'long']]), 2);
    assert.equal(resultType(bindScalar('percentile_tdigest', ['dynamic', 'long'])), 'dynamic');
  });

  test('merge_tdigest of 1..10 and 11..20 has P100 = 20 as long (merge-tdigest-function.md)', () => {
    const x = aggregate('tdigest', args('long'), column(...range(1, 10)));
    const y = aggregate('tdigest', args('long'), column(...range(11, 20)));
    const merged = callScalar('merge_tdigest', [[x, 'dynamic'], [y, 'dynamic']]);
    assert.equal(percentileTdigestAs(merged, 100, 'long'), 20);
    assert.equal(percentileTdigestAs(merged, 50, 'long'), 10);
    assert.equal(percentileTdigestAs(merged, 0, 'long'), 1);
    assert.deepEqual(callScalar('tdigest_merge', [[x, 'dynamic'], [y, 'dynamic']]), merged);
    assert.deepEqual(aggregate('tdigest_merge', args('dynamic'), [[x], [null], [y]]), merged);
    assert.deepEqual(aggregate('merge_tdigest', args('dynamic'), [[x], [y]]), merged);
  });

  test('rank_tdigest: the rank of 685 in 1..1000 is 685 (rank-tdigest-function.md)', () => {
    const digest = aggregate('tdigest', args('long'), column(...range(1, 1000)));
    assert.equal(callScalar('rank_tdigest', [[digest, 'dynamic'], [685, 'long']]), 685);
    assert.equal(callScalar('rank_tdigest', [[digest, 'dynamic'], [0, 'long']]), 0);
    assert.equal(callScalar('rank_tdigest', [[digest, 'dynamic'], [5000.5, 'real']]), 1000);
    assert.equal(resultType(bindScalar('rank_tdigest', ['dynamic', 'long'])), 'real');
  });

  test('percentiles_array_tdigest takes several percentiles or one array of them', () => {
    const digest = aggregate('tdigest', args('long'), column(4, 1, 3, 2));
    assert.deepEqual(callScalar('percentiles_array_tdigest', [[digest, 'dynamic'], [25, 'long'], [50, 'long'], [100, 'long']]), [1, 2, 4]);
    assert.deepEqual(callScalar('percentiles_array_tdigest', [[digest, 'dynamic'], [[25, 75], 'dynamic']]), [1, 3]);
  });

  test('datetime digests: dynamic results are ISO strings, typeof(datetime) gives the datetime', () => {
    const days = ['2024-01-01', '2024-01-02', '2024-01-03'].map((d) => parseDatetime(d)!);
    const digest = aggregate('tdigest', args('datetime'), column(...days));
    assert.equal(callScalar('percentile_tdigest', [[digest, 'dynamic'], [50, 'long']]), '2024-01-02T00:00:00.0000000Z');
    assert.equal(percentileTdigestAs(digest, 100, 'datetime'), days[2]);
    assert.equal(callScalar('rank_tdigest', [[digest, 'dynamic'], [days[1]!, 'datetime']]), 2);
    assert.equal(callScalar('rank_tdigest', [[digest, 'dynamic'], [5, 'long']]), null, 'a number does not rank among datetimes');
  });

  test('no rows, nulls, non-digests and mixed types', () => {
    assert.equal(aggregate('tdigest', args('long'), []), null, 'summarize-operator.md: tdigest of no rows is null');
    assert.equal(aggregate('tdigest', args('long'), column(null, null)), null);
    assert.equal(callScalar('percentile_tdigest', [[[1, 2, 3], 'dynamic'], [50, 'long']]), null);
    assert.equal(callScalar('percentile_tdigest', [['tdigest', 'dynamic'], [50, 'long']]), null);
    const longs = aggregate('tdigest', args('long'), column(1));
    const reals = aggregate('tdigest', args('real'), column(1.5));
    assert.equal(callScalar('merge_tdigest', [[longs, 'dynamic'], [reals, 'dynamic']]), null);
  });

  test('binding errors', () => {
    assert.match((aggregateEntry('tdigest').bind(args('string')) as { error: string }).error, /number, timespan or datetime/);
    assert.match((aggregateEntry('tdigest').bind(args('long', 'real')) as { error: string }).error, /integer weight/);
    assert.match(bindError(bindScalar('percentile_tdigest', ['string', 'long'])), /argument 1 must be dynamic/);
    assert.match(bindError(bindScalar('merge_tdigest', ['dynamic'])), /expects between 2 and 16/);
  });
});

describe('hll family', () => {
  test('dcount_hll(hll_merge(hll(1..10), hll(11..20))) = 20 (hll-merge-function.md)', () => {
    const x = aggregate('hll', args('long'), column(...range(1, 10)));
    const y = aggregate('hll', args('long'), column(...range(11, 20)));
    const merged = callScalar('hll_merge', [[x, 'dynamic'], [y, 'dynamic']]);
    assert.equal(callScalar('dcount_hll', [[merged, 'dynamic']]), 20);
    assert.equal(callScalar('dcount_hll', [[x, 'dynamic']]), 10);
    assert.equal(resultType(bindScalar('dcount_hll', ['dynamic'])), 'long');
  });

  test('duplicates count once across merges; hll_merge aggregates a column of hlls', () => {
    const a = aggregate('hll', args('string'), column('a', 'b', 'a'));
    const b = aggregate('hll', args('string'), column('b', 'c'));
    const merged = aggregate('hll_merge', args('dynamic'), [[a], [null], [b]]);
    assert.equal(callScalar('dcount_hll', [[merged, 'dynamic']]), 3);
  });

  test('hll_if counts only rows whose predicate is true; the accuracy argument is accepted', () => {
    const rows = range(1, 100).map((x) => [x, x % 2 === 0, 2]);
    const evens = aggregate('hll_if', [{ type: 'long' }, { type: 'bool' }, { type: 'long', constant: { value: 2 } }], rows);
    assert.equal(callScalar('dcount_hll', [[evens, 'dynamic']]), 50);
  });

  test('no rows gives null; a value that is not an hll gives null', () => {
    assert.equal(aggregate('hll', args('long'), []), null, 'summarize-operator.md: hll of no rows is null');
    assert.equal(aggregate('hll_merge', args('dynamic'), [[null]]), null);
    assert.equal(callScalar('dcount_hll', [[{ a: 1 }, 'dynamic']]), null);
    assert.equal(callScalar('hll_merge', [[['hll', 1, ['x']], 'dynamic'], [[1], 'dynamic']]), null);
  });

  test('binding errors', () => {
    assert.match(bindError(bindScalar('dcount_hll', ['string'])), /argument 1 must be dynamic/);
    assert.match((aggregateEntry('hll').bind(args('long', 'real')) as { error: string }).error, /accuracy/);
    assert.match((aggregateEntry('hll_if').bind(args('long', 'long')) as { error: string }).error, /argument 2 must be bool/);
    assert.match(bindError(bindScalar('hll_merge', ['dynamic'])), /expects between 2 and 16/);
  });
});
