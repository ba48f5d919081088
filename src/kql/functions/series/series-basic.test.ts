/**
 * Element-wise, reduction, fill and filter series functions, on the Kusto docs examples
 * (expected values are the docs' output tables).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DynamicValue } from '../../values/types.js';
import { bindError, bindScalar, callScalar, resultType } from '../test-support.js';

const dyn = (v: DynamicValue): [DynamicValue, 'dynamic'] => [v, 'dynamic'];
const long = (v: number): [number, 'long'] => [v, 'long'];
const real = (v: number | null): [number | null, 'real'] => [v, 'real'];

/** Element-wise closeness for real-valued arrays (the docs print 15–17 digits). */
function assertClose(actual: unknown, expected: (number | null)[], tolerance = 1e-12): void {
  assert.ok(Array.isArray(actual), `expected an array, got ${JSON.stringify(actual)}`);
  assert.equal(actual.length, expected.length, `length of ${JSON.stringify(actual)}`);
  expected.forEach((e, i) => {
    const a = actual[i] as number | null;
    if (e === null) assert.equal(a, null, `element ${i}`);
    else assert.ok(Math.abs(a! - e) <= tolerance * Math.max(1, Math.abs(e)), `element ${i}: ${a} ≈ ${e}`);
  });
}

describe('element-wise arithmetic (series_add docs: s1 = [1,2,4], s2 = [4,2,1])', () => {
  const [s1, s2] = [dyn([1, 2, 4]), dyn([4, 2, 1])];
  test('add, subtract, multiply, divide', () => {
    assert.deepEqual(callScalar('series_add', [s1, s2]), [5, 4, 5]);
    assert.deepEqual(callScalar('series_subtract', [s1, s2]), [-3, 0, 3]);
    assert.deepEqual(callScalar('series_multiply', [s1, s2]), [4, 4, 4]);
    assert.deepEqual(callScalar('series_divide', [s1, s2]), [0.25, 1, 4]);
  });
  test('series_pow docs: [1,2,3,4] ^ [1,2,3,0.5] = [1,4,27,2]', () => {
    assert.deepEqual(callScalar('series_pow', [dyn([1, 2, 3, 4]), dyn([1, 2, 3, 0.5])]), [1, 4, 27, 2]);
  });
  test('a number is broadcast to the series length, on either side', () => {
    assert.deepEqual(callScalar('series_add', [dyn([1, 2, 3]), long(10)]), [11, 12, 13]);
    assert.deepEqual(callScalar('series_subtract', [long(10), dyn([1, 2, 3])]), [9, 8, 7]);
    assert.deepEqual(callScalar('series_greater_equals', [dyn([1, 1.5, 2]), real(1.5)]), [false, true, true]);
  });
  test('arrays of different sizes and non-numeric elements give null elements', () => {
    assert.deepEqual(callScalar('series_add', [dyn([1, 2, 3]), dyn([10, 20])]), [11, 22, null]);
    assert.deepEqual(callScalar('series_multiply', [dyn([1, 'x', null, 4]), dyn([2, 2, 2, 2])]), [2, null, null, 8]);
  });
  test('a null number operand gives null elements; a non-array dynamic gives null', () => {
    assert.deepEqual(callScalar('series_add', [dyn([1, 2]), real(null)]), [null, null]);
    assert.equal(callScalar('series_add', [dyn({ a: 1 }), dyn([1])]), null);
    assert.equal(callScalar('series_add', [dyn(null), dyn([1])]), null);
  });
  test('binding: result dynamic; two numbers or a string are rejected', () => {
    assert.equal(resultType(bindScalar('series_add', ['dynamic', 'long'])), 'dynamic');
    assert.match(bindError(bindScalar('series_add', ['long', 'long'])), /at least one argument must be a dynamic array/);
    assert.match(bindError(bindScalar('series_divide', ['dynamic', 'string'])), /argument 2 must be a dynamic array \(series\) or a number/);
    assert.match(bindError(bindScalar('series_add', ['dynamic'])), /expects 2 arguments, got 1/);
  });
});

describe('element-wise comparisons (docs: s1 = [1,2,4], s2 = [4,2,1])', () => {
  const [s1, s2] = [dyn([1, 2, 4]), dyn([4, 2, 1])];
  const cases: [string, boolean[]][] = [
    ['series_equals', [false, true, false]],
    ['series_not_equals', [true, false, true]],
    ['series_greater', [false, false, true]],
    ['series_greater_equals', [false, true, true]],
    ['series_less', [true, false, false]],
    ['series_less_equals', [true, true, false]],
  ];
  for (const [name, expected] of cases) {
    test(name, () => assert.deepEqual(callScalar(name, [s1, s2]), expected));
  }
});

describe('element-wise math functions (docs examples)', () => {
  test('series_abs([-6.5,0,8.2]) = [6.5,0,8.2]', () => {
    assert.deepEqual(callScalar('series_abs', [dyn([-6.5, 0, 8.2])]), [6.5, 0, 8.2]);
  });
  test('series_acos / series_asin / series_cos / series_sin / series_tan of [-1,0,1]', () => {
    const arr = dyn([-1, 0, 1]);
    assertClose(callScalar('series_acos', [arr]), [3.1415926535897931, 1.5707963267948966, 0]);
    assertClose(callScalar('series_asin', [arr]), [-1.5707963267948966, 0, 1.5707963267948966]);
    assertClose(callScalar('series_cos', [arr]), [0.54030230586813976, 1, 0.54030230586813976]);
    assertClose(callScalar('series_sin', [arr]), [-0.8414709848078965, 0, 0.8414709848078965]);
    assertClose(callScalar('series_tan', [arr]), [-1.5574077246549023, 0, 1.5574077246549023]);
  });
  test('series_ceiling([-1.5,1,2.5]) = [-1,1,3]; series_floor; series_sign', () => {
    assert.deepEqual(callScalar('series_ceiling', [dyn([-1.5, 1, 2.5])]), [-1, 1, 3]);
    assert.deepEqual(callScalar('series_floor', [dyn([-1.5, 1, 2.5])]), [-2, 1, 2]);
    assert.deepEqual(callScalar('series_sign', [dyn([-3, 0, 2.5])]), [-1, 0, 1]);
  });
  test('series_log([1,2,3]) and series_exp', () => {
    assertClose(callScalar('series_log', [dyn([1, 2, 3])]), [0, 0.69314718055994529, 1.0986122886681098]);
    assertClose(callScalar('series_exp', [dyn([0, 1])]), [1, Math.E]);
  });
  test('missing elements stay null; a non-array argument gives null; a string argument does not bind', () => {
    assert.deepEqual(callScalar('series_abs', [dyn([-1, null, 'a'])]), [1, null, null]);
    assert.equal(callScalar('series_abs', [dyn('text')]), null);
    assert.match(bindError(bindScalar('series_abs', ['string'])), /argument 1 must be a dynamic array/);
  });
});

describe('reductions', () => {
  test('series_sum([1,2,3,4]) = 10, series_product = 24, series_magnitude = 5.4772255750516612', () => {
    const arr = dyn([1, 2, 3, 4]);
    assert.equal(callScalar('series_sum', [arr]), 10);
    assert.equal(callScalar('series_product', [arr]), 24);
    assert.ok(Math.abs((callScalar('series_magnitude', [arr]) as number) - 5.4772255750516612) < 1e-15);
    assert.equal(resultType(bindScalar('series_sum', ['dynamic'])), 'real');
  });
  test('reductions skip non-numeric elements; a non-array gives null', () => {
    assert.equal(callScalar('series_sum', [dyn([1, null, 'x', 2])]), 3);
    assert.equal(callScalar('series_sum', [dyn(5)]), null);
  });
  test('series_dot_product docs: [1,2,4]·[4,2,1] = 12, [2,4,8]·[8,4,2] = 48, [1,2,4]·1 = 7, [3,6,12]·3 = 63', () => {
    assert.equal(callScalar('series_dot_product', [dyn([1, 2, 4]), dyn([4, 2, 1])]), 12);
    assert.equal(callScalar('series_dot_product', [dyn([2, 4, 8]), dyn([8, 4, 2])]), 48);
    assert.equal(callScalar('series_dot_product', [dyn([1, 2, 4]), long(1)]), 7);
    assert.equal(callScalar('series_dot_product', [dyn([3, 6, 12]), long(3)]), 63);
  });
  test('series_dot_product truncates the longer series, ignores non-numeric elements, and is null for an empty one', () => {
    assert.equal(callScalar('series_dot_product', [dyn([1, 2, 3]), dyn([10, 10])]), 30);
    assert.equal(callScalar('series_dot_product', [dyn([1, 'a', 3]), dyn([10, 10, 10])]), 40);
    assert.equal(callScalar('series_dot_product', [dyn([]), dyn([1])]), null);
  });
  test('series_cosine_similarity docs', () => {
    const first = callScalar('series_cosine_similarity', [dyn([0.1, 0.2, 0.1, 0.2]), dyn([0.11, 0.2, 0.11, 0.21])]) as number;
    const second = callScalar('series_cosine_similarity', [dyn([0.1, 0.2, 0.1, 0.2]), dyn([1, 2, 3, 4])]) as number;
    assert.ok(Math.abs(first - 0.99935343825504) < 1e-13, String(first));
    assert.ok(Math.abs(second - 0.923760430703401) < 1e-13, String(second));
    assert.equal(callScalar('series_cosine_similarity', [dyn([]), dyn([1])]), null);
  });
  test('series_pearson_correlation docs: [1..5] vs [2,4,..,10] = 1; different sizes or non-numeric → null', () => {
    assert.ok(Math.abs((callScalar('series_pearson_correlation', [dyn([1, 2, 3, 4, 5]), dyn([2, 4, 6, 8, 10])]) as number) - 1) < 1e-15);
    assert.equal(callScalar('series_pearson_correlation', [dyn([1, 2, 3]), dyn([1, 2])]), null);
    assert.equal(callScalar('series_pearson_correlation', [dyn([1, null, 3]), dyn([1, 2, 3])]), null);
    assert.ok(Math.abs((callScalar('series_pearson_correlation', [dyn([1, 2, 3]), dyn([3, 2, 1])]) as number) + 1) < 1e-15);
  });
  test('series_stats_dynamic docs example', () => {
    const stats = callScalar('series_stats_dynamic', [dyn([23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29])]) as Record<string, number>;
    assert.equal(stats.min, 2);
    assert.equal(stats.min_idx, 8);
    assert.equal(stats.max, 87);
    assert.equal(stats.max_idx, 3);
    assert.equal(stats.avg, 32.8);
    assert.ok(Math.abs(stats.stdev! - 28.503633853548269) < 1e-12);
    assert.ok(Math.abs(stats.variance! - 812.45714285714291) < 1e-9);
    assert.equal(stats.sum, 492);
    assert.equal(stats.len, 15);
  });
  test('series_stats_dynamic: a null element makes the statistics null unless ignore_nonfinite', () => {
    const withNull = dyn([1, null, 3]);
    assert.equal((callScalar('series_stats_dynamic', [withNull]) as Record<string, unknown>).avg, null);
    assert.equal((callScalar('series_stats_dynamic', [withNull, [true, 'bool']]) as Record<string, unknown>).avg, 2);
  });
});

describe('fills (docs examples)', () => {
  test('series_fill_backward', () => {
    assert.deepEqual(
      callScalar('series_fill_backward', [dyn([111, null, 36, 41, null, null, 16, 61, 33, null, null])]),
      [111, 36, 36, 41, 16, 16, 16, 61, 33, null, null],
    );
  });
  test('series_fill_forward', () => {
    assert.deepEqual(
      callScalar('series_fill_forward', [dyn([null, null, 36, 41, null, null, 16, 61, 33, null, null])]),
      [null, null, 36, 41, 41, 41, 16, 61, 33, 33, 33],
    );
  });
  test('series_fill_const with 0.0 and -1', () => {
    const arr = dyn([111, null, 36, 41, 23, null, 16, 61, 33, null, null]);
    assert.deepEqual(callScalar('series_fill_const', [arr, real(0)]), [111, 0, 36, 41, 23, 0, 16, 61, 33, 0, 0]);
    assert.deepEqual(callScalar('series_fill_const', [arr, long(-1)]), [111, -1, 36, 41, 23, -1, 16, 61, 33, -1, -1]);
  });
  test('a missing_value_placeholder marks other values as missing', () => {
    assert.deepEqual(callScalar('series_fill_forward', [dyn([1, 0, 0, 2]), long(0)]), [1, 1, 1, 2]);
    assert.deepEqual(callScalar('series_fill_const', [dyn([1, -1, 2]), long(9), long(-1)]), [1, 9, 2]);
  });
  test('series_fill_linear docs example (array of double)', () => {
    const arr = dyn([null, 111.0, null, 36.0, 41.0, null, null, 16.0, 61.0, 33.0, null, null]);
    const filled = [111, 111, 73.5, 36, 41, 32.667, 24.333, 16, 61, 33, 33, 33];
    assertClose(callScalar('series_fill_linear', [arr]), filled, 1e-4);
    assertClose(callScalar('series_fill_linear', [arr, real(null), [true, 'bool']]), filled, 1e-4);
    assertClose(callScalar('series_fill_linear', [arr, real(null), [false, 'bool']]),
      [null, 111, 73.5, 36, 41, 32.667, 24.333, 16, 61, 33, null, null], 1e-4);
    assertClose(callScalar('series_fill_linear', [arr, real(null), [true, 'bool'], real(3.14159)]), filled, 1e-4);
  });
  test('series_fill_linear of an all-null array: 0 by default, the constant when given', () => {
    const arr = dyn([null, null, null, null]);
    assert.deepEqual(callScalar('series_fill_linear', [arr]), [0, 0, 0, 0]);
    assert.deepEqual(callScalar('series_fill_linear', [arr, real(null), [false, 'bool']]), [0, 0, 0, 0]);
    assert.deepEqual(callScalar('series_fill_linear', [arr, real(null), [true, 'bool'], real(3.14159)]), [3.14159, 3.14159, 3.14159, 3.14159]);
  });
  test('fills of a non-array are null', () => {
    assert.equal(callScalar('series_fill_forward', [dyn('x')]), null);
    assert.equal(callScalar('series_fill_linear', [dyn(null)]), null);
  });
});

describe('filters', () => {
  const spike = [0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 20, 40, 100, 40, 20, 10, 0, 0, 0, 0, 0, 0, 0, 0];
  test('series_fir docs: 5-point moving average, trailing and centered (peak 44 moves by 2 or stays)', () => {
    const trailing = callScalar('series_fir', [dyn(spike), dyn([1, 1, 1, 1, 1])]) as number[];
    // mean of x[i-4..i]: 10/5, 30/5, 70/5, 170/5, 210/5, 220/5, 210/5, 170/5, 70/5, 30/5, 10/5
    assertClose(trailing.slice(8, 21), [0, 2, 6, 14, 34, 42, 44, 42, 34, 14, 6, 2, 0]);
    const centered = callScalar('series_fir', [dyn(spike), dyn([1, 1, 1, 1, 1]), [true, 'bool'], [true, 'bool']]) as number[];
    assert.equal(centered.indexOf(Math.max(...centered)), 12);
    assert.equal(trailing.indexOf(Math.max(...trailing)), 14);
  });
  test('series_fir docs: filter [1,-1] gives the difference from the previous point', () => {
    const value = dyn([0, 0, 0, 0, 2, 2, 2, 2, 3, 3, 3, 3]);
    assert.deepEqual(callScalar('series_fir', [value, dyn([1, -1]), [false, 'bool'], [false, 'bool']]), [0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]);
    // Negative coefficients switch the default normalization off; asking for it gives null.
    assert.deepEqual(callScalar('series_fir', [value, dyn([1, -1])]), [0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]);
    assert.equal(callScalar('series_fir', [value, dyn([1, -1]), [true, 'bool']]), null);
  });
  test('series_iir docs: numerators [1], denominators [1,-1] is a running sum', () => {
    const x = dyn([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(callScalar('series_iir', [x, dyn([1]), dyn([1, -1])]), [1, 3, 6, 10, 15, 21, 28, 36, 45, 55]);
    assert.equal((callScalar('series_iir', [dyn([0, 1, 2, 3, 4]), dyn([1]), dyn([1, -1])]) as number[])[4], 10);
  });
  test('series_iir divides by the first denominator; a zero first denominator gives null', () => {
    assert.deepEqual(callScalar('series_iir', [dyn([2, 4]), dyn([1]), dyn([2])]), [1, 2]);
    assert.equal(callScalar('series_iir', [dyn([2, 4]), dyn([1]), dyn([0, 1])]), null);
    assert.equal(callScalar('series_iir', [dyn([2, 4]), dyn(['a']), dyn([1])]), null);
  });
});
