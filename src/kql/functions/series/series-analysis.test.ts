/**
 * Regression, period detection, seasonality, outliers and decomposition, on the Kusto docs examples
 * and on series built so that the documented algorithm has an exact answer.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DynamicValue } from '../../values/types.js';
import { BUILTINS } from '../builtins.js';
import { bindError, bindScalar, callScalar } from '../test-support.js';

const dyn = (v: DynamicValue): [DynamicValue, 'dynamic'] => [v, 'dynamic'];
const long = (v: number): [number, 'long'] => [v, 'long'];
const real = (v: number): [number, 'real'] => [v, 'real'];
const str = (v: string): [string, 'string'] => [v, 'string'];
type Bag = Record<string, unknown>;

function assertClose(actual: unknown, expected: number[], tolerance = 1e-9): void {
  assert.ok(Array.isArray(actual), `expected an array, got ${JSON.stringify(actual)}`);
  assert.equal(actual.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs((actual[i] as number) - e) <= tolerance, `element ${i}: ${actual[i]} ≈ ${e}`));
}

const TRAFFIC = [80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61, 50, 54, 47, 133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103, 189, 108, 183, 113, 175, 113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121, 178, 114, 170];

describe('series_fit_line / series_fit_poly', () => {
  const y = dyn([2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30]);
  test('series_fit_line_dynamic docs example (the docs round to 3 decimals)', () => {
    const fit = callScalar('series_fit_line_dynamic', [y]) as Bag;
    // The docs print the values truncated to 3 decimals (slope 2.7307… shows as 2.730).
    const near = (v: unknown, e: number) => assert.equal(Math.trunc((v as number) * 1000) / 1000, e, `${v} ≈ ${e}`);
    near(fit.rsquare, 0.982);
    near(fit.slope, 2.730);
    near(fit.variance, 98.628);
    near(fit.rvariance, 1.686);
    near(fit.interception, -1.666);
    const line = fit.line_fit as number[];
    near(line[0], 1.064);
    near(line[11], 31.102);
  });
  test('series_fit_poly with degree 1 matches series_fit_line (docs example 2); coefficients highest power first', () => {
    const line = callScalar('series_fit_line_dynamic', [y]) as Bag;
    const poly = callScalar('series_fit_poly', [y]) as Bag;
    const [slope, interception] = poly.coefficients as number[];
    assert.ok(Math.abs(slope! - (line.slope as number)) < 1e-12);
    assert.ok(Math.abs(interception! - (line.interception as number)) < 1e-12);
    assertClose(poly.poly_fit, line.line_fit as number[]);
    assert.ok(Math.abs((poly.rsquare as number) - (line.rsquare as number)) < 1e-12);
  });
  test('series_fit_poly recovers an exact quadratic over a given x', () => {
    const xs = [0, 0.5, 1, 2, 3, 5];
    const ys = xs.map((x) => 3 * x * x - 2 * x + 1);
    const fit = callScalar('series_fit_poly', [dyn(ys), dyn(xs), [2, 'int']]) as Bag;
    assertClose(fit.coefficients, [3, -2, 1]);
    assert.ok(Math.abs((fit.rsquare as number) - 1) < 1e-12);
    assert.ok(Math.abs(fit.rvariance as number) < 1e-12);
  });
  test('series_fit_poly: x of another length, or a non-numeric element, gives null', () => {
    assert.equal(callScalar('series_fit_poly', [dyn([1, 2, 3]), dyn([1, 2]), [1, 'int']]), null);
    assert.equal(callScalar('series_fit_poly', [dyn([1, 'a', 3])]), null);
  });
  test('series_fit_2lines_dynamic splits a broken line where it breaks', () => {
    const broken = [1, 2, 3, 4, 5, 11, 16, 21, 26, 31];
    const fit = callScalar('series_fit_2lines_dynamic', [dyn(broken)]) as Bag;
    assert.equal(fit.split_idx, 5);
    assert.ok(Math.abs((fit.rsquare as number) - 1) < 1e-12);
    assert.ok(Math.abs((fit.left_slope as number) - 1) < 1e-12);
    assert.ok(Math.abs((fit.right_slope as number) - 5) < 1e-12);
    assertClose(fit.line_fit, broken);
  });
});

describe('series_periods_detect / series_periods_validate / series_seasonal', () => {
  test('docs: the traffic series has one significant period, 14 (the second slot is 0)', () => {
    const found = callScalar('series_periods_detect', [dyn(TRAFFIC), real(0), real(50), long(2)]) as Bag;
    const periods = found.periods as number[];
    const scores = found.scores as number[];
    assert.deepEqual(periods, [14, 0]);
    assert.ok(scores[0]! > 0.7 && scores[0]! <= 1, String(scores[0]));
    assert.equal(scores[1], 0);
  });
  test('docs: with num_periods 1 the period is 14', () => {
    assert.deepEqual((callScalar('series_periods_detect', [dyn(TRAFFIC), real(0), real(50), long(1)]) as Bag).periods, [14]);
  });
  test('periods outside [min_period, max_period] are not reported', () => {
    assert.deepEqual((callScalar('series_periods_detect', [dyn(TRAFFIC), real(20), real(25), long(1)]) as Bag).periods, [0]);
  });
  test('series_periods_validate docs: 14 scores high, 10 scores low', () => {
    const result = callScalar('series_periods_validate', [dyn(TRAFFIC), real(14), real(10)]) as Bag;
    assert.deepEqual(result.periods, [14, 10]);
    const [s14, s10] = result.scores as number[];
    assert.ok(s14! > 0.7, String(s14));
    assert.ok(s10! < 0.2, String(s10));
    assert.match(bindError(bindScalar('series_periods_validate', ['dynamic'])), /expects between 2 and 17 arguments, got 1/);
  });
  test('series_seasonal docs: periods 6 and 5 are detected; a 12-point series is too short', () => {
    const first = [2, 5, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1];
    const second = [8, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10];
    const third = [1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6];
    assert.deepEqual(callScalar('series_seasonal', [dyn(first)]),
      [1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1]);
    assert.deepEqual(callScalar('series_seasonal', [dyn(second)]),
      [10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10]);
    assert.deepEqual(callScalar('series_seasonal', [dyn(third)]), new Array(12).fill(0));
  });
  test('series_seasonal docs: a forced period 3 takes phase medians', () => {
    assert.deepEqual(callScalar('series_seasonal', [dyn([1, 3, 5, 1, 3, 5, 2, 4, 6]), long(3)]), [1, 3, 5, 1, 3, 5, 1, 3, 5]);
    assert.deepEqual(callScalar('series_seasonal', [dyn([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]), long(3)]),
      [1.5, 3.5, 5.5, 1.5, 3.5, 5.5, 1.5, 3.5, 5.5, 1.5, 3.5, 5.5]);
  });
  test('series_seasonal: period 0 gives zeros; a non-array gives null', () => {
    assert.deepEqual(callScalar('series_seasonal', [dyn([1, 2, 3]), long(0)]), [0, 0, 0]);
    assert.equal(callScalar('series_seasonal', [dyn('x')]), null);
  });
});

describe('series_outliers (Tukey fences as scores)', () => {
  const series = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
  test('tukey: quartiles 3.25 and 7.75 (IQR 4.5); 100 scores (100 − 7.75) / 4.5', () => {
    const scores = callScalar('series_outliers', [dyn(series), str('tukey')]) as number[];
    assertClose(scores, [-2.25 / 4.5, -1.25 / 4.5, -0.25 / 4.5, 0, 0, 0, 0, 0.25 / 4.5, 1.25 / 4.5, 92.25 / 4.5]);
    assert.ok(scores[9]! > 1.5 && scores[0]! > -1.5);
  });
  test('ctukey (default): 10th/90th percentiles 1.9 and 18.1', () => {
    const scores = callScalar('series_outliers', [dyn(series)]) as number[];
    const range = 18.1 - 1.9;
    assertClose(scores, [(1 - 1.9) / range, 0, 0, 0, 0, 0, 0, 0, 0, (100 - 18.1) / range]);
  });
  test('nulls and the ignore value score 0 and do not move the percentiles', () => {
    const scores = callScalar('series_outliers', [dyn([...series, null, -999]), str('tukey'), real(-999)]) as number[];
    assert.equal(scores[10], 0);
    assert.equal(scores[11], 0);
    assert.ok(Math.abs(scores[9]! - 92.25 / 4.5) < 1e-9);
  });
  test('an unknown kind is rejected at bind time; percentiles outside [2, 98] give null', () => {
    const bound = BUILTINS.scalar('series_outliers')!.bind([{ type: 'dynamic' }, { type: 'string', constant: { value: 'zscore' } }]);
    assert.match(bindError(bound), /must be one of 'ctukey', 'tukey'/);
    assert.equal(callScalar('series_outliers', [dyn(series), str('ctukey'), real(-1), real(1), real(90)]), null);
  });
});


describe('series_decompose family', () => {
  const pattern = [10, 20, 30, 40];
  const seasonalOnly = Array.from({ length: 24 }, (_, i) => pattern[i % 4]!);
  test('explicit period, avg trend: seasonal = phase medians, trend = mean of the rest, residual 0', () => {
    const parts = callScalar('series_decompose', [dyn(seasonalOnly), long(4), str('avg')]) as Bag;
    assert.deepEqual(parts.seasonal, seasonalOnly);
    assert.deepEqual(parts.trend, new Array(24).fill(0));
    assert.deepEqual(parts.baseline, seasonalOnly);
    assert.deepEqual(parts.residual, new Array(24).fill(0));
  });
  test('the period is detected by default', () => {
    const parts = callScalar('series_decompose', [dyn(seasonalOnly)]) as Bag;
    assert.deepEqual(parts.seasonal, seasonalOnly);
  });
  test('linefit trend on a line without seasonality; test points are extrapolated', () => {
    const line = Array.from({ length: 12 }, (_, i) => 2 * (i + 1) + 1);
    const withTestPoints = [...line.slice(0, 9), 0, 0, 0];
    const parts = callScalar('series_decompose', [dyn(withTestPoints), long(0), str('linefit'), long(3)]) as Bag;
    assertClose(parts.baseline, line);
    assertClose(parts.residual, [0, 0, 0, 0, 0, 0, 0, 0, 0, -line[9]!, -line[10]!, -line[11]!]);
  });
  test('series_decompose_forecast: the baseline continues the learnt line over the test points', () => {
    const line = Array.from({ length: 12 }, (_, i) => 0.5 * (i + 1) - 3);
    const parts = callScalar('series_decompose_forecast', [dyn([...line.slice(0, 8), 0, 0, 0, 0]), long(4), long(0)]) as Bag;
    assertClose(parts.baseline, line);
  });
  test('trend none with no seasonality: baseline 0, residual = x', () => {
    const parts = callScalar('series_decompose', [dyn([1, 5, 2]), long(0), str('none')]) as Bag;
    assert.deepEqual(parts.baseline, [0, 0, 0]);
    assert.deepEqual(parts.residual, [1, 5, 2]);
  });
  test('series_decompose_anomalies flags the spike whose residual score passes 1.5', () => {
    const x = Array.from({ length: 30 }, (_, i) => i % 3);
    x[10] = 20;
    // Residual = x (no season, no trend); ctukey percentiles 10%/90% = 0 and 2; the spike scores (20 − 2) / 2.
    const result = callScalar('series_decompose_anomalies', [dyn(x), real(1.5), long(0), str('none')]) as Bag;
    const expectedScores = new Array(30).fill(0);
    expectedScores[10] = 9;
    assert.deepEqual(result.ad_score, expectedScores);
    assert.deepEqual(result.ad_flag, expectedScores.map((s) => (s > 1.5 ? 1 : 0)));
    assert.deepEqual(result.baseline, new Array(30).fill(0));
  });
  test('an unknown trend is rejected at bind time when constant, and gives null per row', () => {
    const fn = BUILTINS.scalar('series_decompose')!;
    const bound = fn.bind([{ type: 'dynamic' }, { type: 'long' }, { type: 'string', constant: { value: 'cubic' } }]);
    assert.match(bindError(bound), /argument 3 must be one of 'avg', 'linefit', 'none'/);
    const kernel = fn.prepare([{ type: 'dynamic' }, { type: 'long' }, { type: 'string' }], { now: 0n });
    assert.equal(kernel([[1, 2, 3], 0, 'cubic']), null);
  });
});
