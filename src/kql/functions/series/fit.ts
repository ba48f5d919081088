/**
 * Regression over series: series_fit_line(_dynamic), series_fit_2lines(_dynamic), series_fit_poly.
 * The x coordinates are 1, 2, …, n: the series_fit_line docs example (y = [2, 5, …, 30]) gives
 * interception −1.666 and a first fitted value 1.064 = −1.666 + 2.730 × 1. Variances are sample
 * variances (n − 1): that example's variance is 98.628.
 *
 * series_fit_line, series_fit_2lines and series_fit_poly return several columns in Kusto
 * (`series_fit_line_<arg>_rsquare`, …); here they return the same property bag as the `_dynamic`
 * forms, for the binder to spread into columns.
 */
import type { ScalarFunction } from '../registry.js';
import type { DynamicValue } from '../../values/types.js';
import { INTEGER, simpleScalar } from '../common.js';
import { SERIES, seriesOf } from './series-values.js';

type Bag = { [key: string]: DynamicValue };

/** The series as numbers, or null when it is not an array or has a non-numeric element. */
function completeSeries(value: DynamicValue): number[] | null {
  const series = seriesOf(value);
  return series === null || series.some((v) => v === null) ? null : (series as number[]);
}

const sampleVariance = (sumSquares: number, n: number) => (n > 1 ? sumSquares / (n - 1) : 0);

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
  const y = completeSeries(series);
  if (y === null || y.length === 0) return null;
  const f = fitLine(y);
  return {
    rsquare: rsquare(f), slope: f.slope, variance: sampleVariance(f.sumSquares, y.length),
    rvariance: sampleVariance(f.residualSquares, y.length), interception: f.interception, line_fit: f.fit,
  };
}

/**
 * series_fit_2lines: for each split index s (1 … n−1), a line through [0, s) and one through [s, n),
 * both on the same x axis; the split with the largest total r-square (1 − residual / total sum of
 * squares of the whole series) wins [UNCERTAIN: the docs give no numeric example to confirm the split
 * and x conventions].
 */
export function seriesFit2Lines(series: DynamicValue): Bag | null {
  const y = completeSeries(series);
  if (y === null || y.length < 2) return null;
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

/**
 * Least squares for an overdetermined system A·c ≈ y by Householder QR (stable where the normal
 * equations of a high-degree Vandermonde matrix are not). Returns null when A is rank deficient.
 */
export function leastSquares(rows: number[][], y: number[]): number[] | null {
  const a = rows.map((r) => [...r]);
  const b = [...y];
  const [m, n] = [a.length, a[0]?.length ?? 0];
  if (m < n) return null;
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += a[i]![k]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return null;
    const alpha = a[k]![k]! > 0 ? -norm : norm;
    const v = a.map((row, i) => (i < k ? 0 : row[k]!));
    v[k]! -= alpha;
    const vv = v.reduce((s, x) => s + x * x, 0);
    if (vv === 0) continue;
    const reflect = (get: (i: number) => number, set: (i: number, x: number) => void) => {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i]! * get(i);
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) set(i, get(i) - f * v[i]!);
    };
    for (let j = k; j < n; j++) reflect((i) => a[i]![j]!, (i, x) => { a[i]![j] = x; });
    reflect((i) => b[i]!, (i, x) => { b[i] = x; });
  }
  const c = new Array<number>(n).fill(0);
  for (let k = n - 1; k >= 0; k--) {
    let s = b[k]!;
    for (let j = k + 1; j < n; j++) s -= a[k]![j]! * c[j]!;
    if (Math.abs(a[k]![k]!) < 1e-300) return null;
    c[k] = s / a[k]![k]!;
  }
  return c;
}

/**
 * series_fit_poly(y [, x [, degree]]): polynomial regression; x defaults to [1, 2, …, n] and degree
 * to 1. `coefficients` are "ordered from the highest power coefficient to the lowest" (docs).
 */
export function seriesFitPoly(ySeries: DynamicValue, xSeries: DynamicValue, degree: number): Bag | null {
  const y = completeSeries(ySeries);
  if (y === null || y.length === 0 || !Number.isInteger(degree) || degree < 0) return null;
  const x = xSeries === null ? y.map((_, i) => i + 1) : completeSeries(xSeries);
  if (x === null || x.length !== y.length) return null;
  const rows = x.map((xi) => Array.from({ length: degree + 1 }, (_, p) => xi ** p));
  const ascending = leastSquares(rows, y);
  if (ascending === null) return null;
  const fit = rows.map((row) => row.reduce((s, v, p) => s + v * ascending[p]!, 0));
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  const sumSquares = y.reduce((a, v) => a + (v - my) ** 2, 0);
  const residualSquares = y.reduce((a, v, i) => a + (v - fit[i]!) ** 2, 0);
  return {
    rsquare: sumSquares === 0 ? 1 : 1 - residualSquares / sumSquares,
    coefficients: [...ascending].reverse(),
    variance: sampleVariance(sumSquares, y.length),
    rvariance: sampleVariance(residualSquares, y.length),
    poly_fit: fit,
  };
}

export function fitFunctions(): ScalarFunction[] {
  const fit = (name: string, f: (s: DynamicValue) => Bag | null) => simpleScalar({
    name, params: [SERIES], result: 'dynamic', kernel: () => ([s]) => f(s as DynamicValue),
  });
  return [
    fit('series_fit_line_dynamic', seriesFitLine), fit('series_fit_line', seriesFitLine),
    fit('series_fit_2lines_dynamic', seriesFit2Lines), fit('series_fit_2lines', seriesFit2Lines),
    simpleScalar({
      name: 'series_fit_poly',
      params: [SERIES, SERIES, INTEGER],
      optional: 2,
      result: 'dynamic',
      nullPropagating: false,
      kernel: () => ([y, x, degree]) => (y === null
        ? null
        : seriesFitPoly(y as DynamicValue, (x ?? null) as DynamicValue, (degree ?? 1) as number)),
    }),
  ];
}
