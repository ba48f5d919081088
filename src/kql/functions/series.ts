/**
 * Series functions over dynamic numeric arrays: series_stats(_dynamic), series_fit_line(_dynamic),
 * series_fit_2lines(_dynamic). The x coordinates are 1, 2, …, n: the series_fit_line docs example
 * (y = [2, 5, …, 30]) gives interception −1.666 and a first fitted value 1.064 = −1.666 + 2.730 × 1.
 * Variances are sample variances (n − 1): that example's variance is 98.628.
 *
 * series_stats, series_fit_line and series_fit_2lines return several columns in Kusto
 * (`series_stats_x_min`, …); here they return the same property bag as their `_dynamic` forms, and the
 * binder spreads it into `<function>_<argument>_<key>` columns [binder support needed].
 */
import type { ScalarFunction } from './registry.js';
import type { DynamicValue } from '../values/types.js';
import { BOOL, DYNAMIC, simpleScalar } from './common.js';

type Bag = { [key: string]: DynamicValue };

function numbersOf(series: DynamicValue): (number | null)[] | null {
  if (!Array.isArray(series)) return null;
  return series.map((v) => (typeof v === 'number' ? v : null));
}

const sampleVariance = (sumSquares: number, n: number) => (n > 1 ? sumSquares / (n - 1) : 0);

/** series_stats_dynamic(series [, ignore_nonfinite]): min, min_idx, max, max_idx, avg, stdev, variance, sum, len. */
export function seriesStats(series: DynamicValue, ignoreNonFinite: boolean): Bag | null {
  const values = numbersOf(series);
  if (values === null) return null;
  const finite = values.map((v, i) => ({ v, i })).filter((p): p is { v: number; i: number } => p.v !== null && Number.isFinite(p.v));
  const empty = { min: null, min_idx: null, max: null, max_idx: null, avg: null, stdev: null, variance: null, sum: null, len: values.length };
  if (finite.length === 0 || (!ignoreNonFinite && finite.length !== values.length)) return empty;
  let [min, max] = [finite[0]!, finite[0]!];
  for (const p of finite) {
    if (p.v < min.v) min = p;
    if (p.v > max.v) max = p;
  }
  const sum = finite.reduce((a, p) => a + p.v, 0);
  const avg = sum / finite.length;
  const variance = sampleVariance(finite.reduce((a, p) => a + (p.v - avg) ** 2, 0), finite.length);
  return {
    min: min.v, min_idx: min.i, max: max.v, max_idx: max.i, avg, stdev: Math.sqrt(variance), variance, sum,
    len: values.length,
  };
}

interface LineFit {
  slope: number;
  interception: number;
  fit: number[];
  sumSquares: number;
  residualSquares: number;
}

/** Least-squares line through (x0 + 1, y0), (x0 + 2, y1), …. */
function fitLine(y: number[], x0 = 0): LineFit {
  const n = y.length;
  const xs = y.map((_, i) => x0 + i + 1);
  const [mx, my] = [xs.reduce((a, b) => a + b, 0) / n, y.reduce((a, b) => a + b, 0) / n];
  let [sxy, sxx] = [0, 0];
  xs.forEach((x, i) => {
    sxy += (x - mx) * (y[i]! - my);
    sxx += (x - mx) ** 2;
  });
  const slope = sxx === 0 ? 0 : sxy / sxx;
  const interception = my - slope * mx;
  const fit = xs.map((x) => interception + slope * x);
  return {
    slope, interception, fit,
    sumSquares: y.reduce((a, v) => a + (v - my) ** 2, 0),
    residualSquares: y.reduce((a, v, i) => a + (v - fit[i]!) ** 2, 0),
  };
}

const rsquare = (f: LineFit) => (f.sumSquares === 0 ? 1 : 1 - f.residualSquares / f.sumSquares);

export function seriesFitLine(series: DynamicValue): Bag | null {
  const values = numbersOf(series);
  if (values === null || values.length === 0 || values.some((v) => v === null)) return null;
  const f = fitLine(values as number[]);
  const n = values.length;
  return {
    rsquare: rsquare(f), slope: f.slope, variance: sampleVariance(f.sumSquares, n),
    rvariance: sampleVariance(f.residualSquares, n), interception: f.interception, line_fit: f.fit,
  };
}

/**
 * series_fit_2lines: for each split index s (1 … n−1), a line through [0, s) and one through [s, n),
 * both on the same x axis; the split with the largest total r-square (1 − residual / total sum of
 * squares of the whole series) wins [UNCERTAIN: the docs give no numeric example to confirm the split
 * and x conventions].
 */
export function seriesFit2Lines(series: DynamicValue): Bag | null {
  const values = numbersOf(series);
  if (values === null || values.length < 2 || values.some((v) => v === null)) return null;
  const y = values as number[];
  const n = y.length;
  const whole = fitLine(y);
  let best: { split: number; left: LineFit; right: LineFit; rsq: number } | undefined;
  for (let split = 1; split < n; split++) {
    const [left, right] = [fitLine(y.slice(0, split)), fitLine(y.slice(split), split)];
    const rsq = whole.sumSquares === 0 ? 1 : 1 - (left.residualSquares + right.residualSquares) / whole.sumSquares;
    if (!best || rsq > best.rsq) best = { split, left, right, rsq };
  }
  const { split, left, right, rsq } = best!;
  const side = (f: LineFit, count: number) => ({
    rsquare: rsquare(f), slope: f.slope, interception: f.interception,
    variance: sampleVariance(f.sumSquares, count), rvariance: sampleVariance(f.residualSquares, count),
  });
  const [l, r] = [side(left, split), side(right, n - split)];
  return {
    rsquare: rsq, split_idx: split, variance: sampleVariance(whole.sumSquares, n),
    rvariance: sampleVariance(left.residualSquares + right.residualSquares, n), line_fit: [...left.fit, ...right.fit],
    right_rsquare: r.rsquare, right_slope: r.slope, right_interception: r.interception, right_variance: r.variance, right_rvariance: r.rvariance,
    left_rsquare: l.rsquare, left_slope: l.slope, left_interception: l.interception, left_variance: l.variance, left_rvariance: l.rvariance,
  };
}

export function seriesFunctions(): ScalarFunction[] {
  const stats = (name: string) => simpleScalar({
    name, params: [DYNAMIC, BOOL], optional: 1, result: 'dynamic',
    kernel: () => ([s, ignore]) => seriesStats(s as DynamicValue, ignore === true),
  });
  const fit = (name: string, f: (s: DynamicValue) => Bag | null) => simpleScalar({
    name, params: [DYNAMIC], result: 'dynamic', kernel: () => ([s]) => f(s as DynamicValue),
  });
  return [
    stats('series_stats_dynamic'), stats('series_stats'),
    fit('series_fit_line_dynamic', seriesFitLine), fit('series_fit_line', seriesFitLine),
    fit('series_fit_2lines_dynamic', seriesFit2Lines), fit('series_fit_2lines', seriesFit2Lines),
  ];
}
