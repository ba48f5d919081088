/**
 * Outlier scoring and time-series decomposition: series_outliers, series_decompose,
 * series_decompose_anomalies, series_decompose_forecast.
 *
 * series_decompose follows the documented component order: (1) the seasonal series — median of the
 * points in the same phase of the detected or given period, (2) deseasonal = x − seasonal, (3) the
 * trend of the deseasonal series — its average (`avg`), a least-squares line (`linefit`) or none,
 * (4) baseline = seasonal + trend, (5) residual = x − baseline. The last `test_points` values are
 * left out of the learning and extrapolated (forecast).
 *
 * series_decompose, _anomalies and _forecast return several columns in Kusto
 * (`series_decompose_<arg>_baseline`, …); here they return a property bag with the same keys.
 */
import type { ArgInfo, BindResult, ScalarFunction } from '../registry.js';
import type { DynamicValue } from '../../values/types.js';
import { INTEGER, NUMBER, STRING, checkArgs, constantValue, defineScalar } from '../common.js';
import { SERIES, type SeriesElement, seriesOf } from './series-values.js';
import { detectSeasonality, seasonalComponent } from './periods.js';

type Bag = { [key: string]: DynamicValue };

/** Percentile by linear interpolation between closest ranks [UNCERTAIN: Kusto's interpolation is undocumented]. */
export function percentile(sorted: readonly number[], percent: number): number {
  const rank = (percent / 100) * (sorted.length - 1);
  const [lo, hi] = [Math.floor(rank), Math.ceil(rank)];
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export interface OutlierOptions {
  /** Percentiles bounding the "normal" range: 25/75 for `tukey`, 10/90 (adjustable) for `ctukey`. */
  lowPercentile: number;
  highPercentile: number;
  ignoreValue?: number | null;
}

/**
 * Tukey's fences as a score: (x − Q_high) / (Q_high − Q_low) above the range, (x − Q_low) / (Q_high − Q_low)
 * below it, 0 inside — so a score beyond ±1.5 is exactly a point beyond Tukey's 1.5·IQR fence, as the
 * series_outliers docs read the scores. Nulls and ignored values score 0; with no spread (Q_high = Q_low)
 * every score is 0. `learnFrom` limits the quantiles to the first points (test points excluded).
 */
export function outlierScores(x: readonly SeriesElement[], options: OutlierOptions, learnFrom = x.length): number[] {
  const skip = (v: SeriesElement) => v === null || (options.ignoreValue !== undefined && options.ignoreValue !== null && v === options.ignoreValue);
  const sorted = x.slice(0, learnFrom).filter((v): v is number => !skip(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return x.map(() => 0);
  const [qLow, qHigh] = [percentile(sorted, options.lowPercentile), percentile(sorted, options.highPercentile)];
  const range = qHigh - qLow;
  return x.map((v) => {
    if (skip(v) || range === 0) return 0;
    if (v! > qHigh) return (v! - qHigh) / range;
    if (v! < qLow) return (v! - qLow) / range;
    return 0;
  });
}

export type TrendKind = 'avg' | 'linefit' | 'none';

export interface DecomposeOptions {
  /** −1 detects the period, 0 means no seasonality, a positive number is the period in bins. */
  seasonality: number;
  trend: TrendKind;
  testPoints: number;
  seasonalityThreshold: number;
}

export interface Decomposition {
  baseline: number[];
  seasonal: number[];
  trend: number[];
  residual: (number | null)[];
}

/** Least-squares line through the present points of y at x = 1, 2, …, evaluated at x = 1 … length. */
function lineTrend(y: readonly SeriesElement[], length: number): number[] {
  const points = y.flatMap((v, i) => (v === null ? [] : [[i + 1, v] as const]));
  if (points.length === 0) return new Array<number>(length).fill(0);
  const [mx, my] = [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
  let [sxy, sxx] = [0, 0];
  for (const [x, v] of points) {
    sxy += (x - mx) * (v - my);
    sxx += (x - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return Array.from({ length }, (_, i) => my + slope * (i + 1 - mx));
}

function trendComponent(deseasonal: readonly SeriesElement[], kind: TrendKind, length: number): number[] {
  if (kind === 'none') return new Array<number>(length).fill(0);
  if (kind === 'linefit') return lineTrend(deseasonal, length);
  const present = deseasonal.filter((v): v is number => v !== null);
  const avg = present.length === 0 ? 0 : present.reduce((a, b) => a + b, 0) / present.length;
  return new Array<number>(length).fill(avg);
}

export function decompose(x: readonly SeriesElement[], options: DecomposeOptions): Decomposition {
  const n = x.length;
  const training = x.slice(0, Math.max(0, n - Math.max(0, options.testPoints)));
  const period = options.seasonality === -1 ? detectSeasonality(training, options.seasonalityThreshold) : options.seasonality;
  const seasonal = period > 0 ? seasonalComponent(training, period, n) : new Array<number>(n).fill(0);
  const deseasonal = training.map((v, i) => (v === null ? null : v - seasonal[i]!));
  const trend = trendComponent(deseasonal, options.trend, n);
  const baseline = seasonal.map((s, i) => s + trend[i]!);
  const residual = x.map((v, i) => (v === null ? null : v - baseline[i]!));
  return { baseline, seasonal, trend, residual };
}

const TRENDS: readonly string[] = ['avg', 'linefit', 'none'];

/** Anomaly flags and scores: residual outlier scores beyond ±threshold flag +1 / −1. */
export function decomposeAnomalies(
  x: readonly SeriesElement[], threshold: number, options: DecomposeOptions, method: 'ctukey' | 'tukey',
): { ad_flag: number[]; ad_score: number[]; baseline: number[] } {
  const parts = decompose(x, options);
  const [low, high] = method === 'tukey' ? [25, 75] : [10, 90];
  const learnFrom = Math.max(0, x.length - Math.max(0, options.testPoints));
  const scores = outlierScores(parts.residual, { lowPercentile: low, highPercentile: high }, learnFrom);
  const flags = scores.map((s) => (s > threshold ? 1 : s < -threshold ? -1 : 0));
  return { ad_flag: flags, ad_score: scores, baseline: parts.baseline };
}

// ------------------------------------------------------------------------------------------ binding

/** A string option must be one of `allowed` when it is a constant (checked at bind time, as Kusto does). */
function checkChoice(fn: string, args: ArgInfo[], index: number, allowed: readonly string[]): BindResult | undefined {
  const value = constantValue(args[index]);
  if (typeof value === 'string' && !allowed.includes(value)) {
    return { error: `${fn}(): argument ${index + 1} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${value}'`, argIndex: index };
  }
  return undefined;
}

function trendOf(value: unknown, fallback: TrendKind): TrendKind | undefined {
  if (value === undefined || value === null || value === '') return fallback;
  return TRENDS.includes(value as string) ? (value as TrendKind) : undefined;
}

function decomposeFunction(): ScalarFunction {
  const name = 'series_decompose';
  return defineScalar({
    name,
    minArgs: 1,
    maxArgs: 5,
    bind: (args) => checkArgs(name, args, [SERIES, INTEGER, STRING, INTEGER, NUMBER]) ?? checkChoice(name, args, 2, TRENDS) ?? { type: 'dynamic' },
    prepare: () => ([s, seasonality, trend, testPoints, threshold]) => {
      const x = seriesOf(s!);
      const trendKind = trendOf(trend, 'avg');
      if (x === null || trendKind === undefined) return null;
      const options = {
        seasonality: (seasonality ?? -1) as number, trend: trendKind,
        testPoints: (testPoints ?? 0) as number, seasonalityThreshold: (threshold ?? 0.6) as number,
      };
      return decompose(x, options) as unknown as Bag;
    },
  });
}

function forecastFunction(): ScalarFunction {
  const name = 'series_decompose_forecast';
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 5,
    bind: (args) => checkArgs(name, args, [SERIES, INTEGER, INTEGER, STRING, NUMBER]) ?? checkChoice(name, args, 3, TRENDS) ?? { type: 'dynamic' },
    prepare: () => ([s, testPoints, seasonality, trend, threshold]) => {
      const x = seriesOf(s!);
      const trendKind = trendOf(trend, 'linefit');
      if (x === null || trendKind === undefined || testPoints === null) return null;
      const options = {
        seasonality: (seasonality ?? -1) as number, trend: trendKind,
        testPoints: testPoints as number, seasonalityThreshold: (threshold ?? 0.6) as number,
      };
      return decompose(x, options) as unknown as Bag;
    },
  });
}

function anomaliesFunction(): ScalarFunction {
  const name = 'series_decompose_anomalies';
  const methods = ['ctukey', 'tukey'];
  return defineScalar({
    name,
    minArgs: 1,
    maxArgs: 7,
    bind: (args) => checkArgs(name, args, [SERIES, NUMBER, INTEGER, STRING, INTEGER, STRING, NUMBER])
      ?? checkChoice(name, args, 3, TRENDS) ?? checkChoice(name, args, 5, methods) ?? { type: 'dynamic' },
    prepare: () => ([s, threshold, seasonality, trend, testPoints, method, seasonalityThreshold]) => {
      const x = seriesOf(s!);
      const trendKind = trendOf(trend, 'linefit');
      const kind = method === undefined || method === null || method === '' ? 'ctukey' : method;
      if (x === null || trendKind === undefined || !methods.includes(kind as string)) return null;
      const options = {
        seasonality: (seasonality ?? -1) as number, trend: trendKind,
        testPoints: (testPoints ?? 0) as number, seasonalityThreshold: (seasonalityThreshold ?? 0.6) as number,
      };
      return decomposeAnomalies(x, (threshold ?? 1.5) as number, options, kind as 'ctukey' | 'tukey') as unknown as Bag;
    },
  });
}

function outliersFunction(): ScalarFunction {
  const name = 'series_outliers';
  const kinds = ['ctukey', 'tukey'];
  return defineScalar({
    name,
    minArgs: 1,
    maxArgs: 5,
    bind: (args) => checkArgs(name, args, [SERIES, STRING, NUMBER, NUMBER, NUMBER]) ?? checkChoice(name, args, 1, kinds) ?? { type: 'dynamic' },
    prepare: () => ([s, kind, ignoreValue, minPercentile, maxPercentile]) => {
      const x = seriesOf(s!);
      const k = kind === undefined || kind === '' ? 'ctukey' : kind;
      if (x === null || !kinds.includes(k as string)) return null;
      const [low, high] = k === 'tukey' ? [25, 75] : [(minPercentile ?? 10) as number, (maxPercentile ?? 90) as number];
      // Docs: the percentiles must lie in [2, 98].
      if (low < 2 || high > 98 || low >= high) return null;
      return outlierScores(x, { lowPercentile: low, highPercentile: high, ignoreValue: (ignoreValue ?? null) as number | null });
    },
  });
}

export function decomposeFunctions(): ScalarFunction[] {
  return [outliersFunction(), decomposeFunction(), anomaliesFunction(), forecastFunction()];
}
