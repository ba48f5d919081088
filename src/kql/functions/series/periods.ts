/**
 * Period detection and seasonality: series_periods_detect, series_periods_validate, series_seasonal.
 *
 * Kusto does not publish its period-detection algorithm, only its contract: periods of at least 4
 * points and less than half the series, scores in [0, 1], the most significant first. This
 * implementation removes the linear trend, scores a candidate period p by the Pearson correlation of
 * the series with itself shifted by p (negative correlation scores 0), keeps the local maxima of that score, prefers a
 * fundamental period over its multiples, and takes the best periods one by one, removing each found
 * seasonal pattern before looking for the next. It reproduces the periods of every docs example
 * (14 for the traffic series; 6, 5 and none for the series_seasonal examples) but not Kusto's exact
 * scores (0.97 where the docs print 0.84) [UNCERTAIN: scores differ from Kusto's].
 */
import type { ScalarFunction } from '../registry.js';
import type { DynamicValue } from '../../values/types.js';
import { INTEGER, NUMBER, simpleScalar } from '../common.js';
import { SERIES, type SeriesElement, median, seriesOf } from './series-values.js';

/** The shortest period the detection considers (series_periods_detect docs: "at least 4 points"). */
export const MIN_DETECTABLE_PERIOD = 4;
/** A multiple of a period scoring at most this much better is a harmonic of it, not a period of its own. */
const HARMONIC_TOLERANCE = 0.1;
/** Below this score a peak of the autocorrelation is noise, not a period [UNCERTAIN: Kusto's cut-off is unknown]. */
const MIN_SIGNIFICANT_SCORE = 0.5;

/** Pearson correlation of x[0..n−lag) with x[lag..n), over pairs where both are present; 0 when undefined or negative. */
export function lagScore(x: readonly SeriesElement[], lag: number): number {
  const pairs: [number, number][] = [];
  for (let i = 0; i + lag < x.length; i++) {
    const [a, b] = [x[i], x[i + lag]];
    if (a !== null && a !== undefined && b !== null && b !== undefined) pairs.push([a, b]);
  }
  if (pairs.length < 2) return 0;
  const [ma, mb] = [pairs.reduce((s, p) => s + p[0], 0) / pairs.length, pairs.reduce((s, p) => s + p[1], 0) / pairs.length];
  let [sab, saa, sbb] = [0, 0, 0];
  for (const [a, b] of pairs) {
    sab += (a - ma) * (b - mb);
    saa += (a - ma) ** 2;
    sbb += (b - mb) ** 2;
  }
  const r = saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
  return Math.max(0, Math.min(1, r));
}

/**
 * The series minus its least-squares line (over the present points): a trend correlates the series
 * with itself at every lag and would hide the periods.
 */
export function detrend(x: readonly SeriesElement[]): SeriesElement[] {
  const points = x.flatMap((v, i) => (v === null ? [] : [[i, v] as const]));
  if (points.length < 2) return [...x];
  const [mi, mv] = [points.reduce((s, p) => s + p[0], 0) / points.length, points.reduce((s, p) => s + p[1], 0) / points.length];
  let [siv, sii] = [0, 0];
  for (const [i, v] of points) {
    siv += (i - mi) * (v - mv);
    sii += (i - mi) ** 2;
  }
  const slope = sii === 0 ? 0 : siv / sii;
  return x.map((v, i) => (v === null ? null : v - (mv + slope * (i - mi))));
}

/** Integer periods the detection may report for a series of length n within [minPeriod, maxPeriod]. */
function candidateRange(n: number, minPeriod: number, maxPeriod: number): [number, number] {
  return [Math.max(MIN_DETECTABLE_PERIOD, Math.ceil(minPeriod)), Math.min(Math.floor(maxPeriod), Math.ceil(n / 2) - 1)];
}

/** The strongest period of x in [low, high] (a local maximum of the score, fundamental over harmonics), if any. */
function strongestPeriod(x: readonly SeriesElement[], low: number, high: number): { period: number; score: number } | undefined {
  const scores = new Map<number, number>();
  for (let p = low; p <= high; p++) scores.set(p, lagScore(x, p));
  const peaks = [...scores].filter(([p, s]) => s > 0 && s >= (scores.get(p - 1) ?? 0) && s >= (scores.get(p + 1) ?? 0));
  peaks.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const best = peaks[0];
  if (!best || best[1] < MIN_SIGNIFICANT_SCORE) return undefined;
  const fundamental = peaks.find(([p, s]) => p < best[0] && best[0] % p === 0 && s >= best[1] - HARMONIC_TOLERANCE);
  const [period, score] = fundamental ?? best;
  return { period, score };
}

/** Phase medians of period p repeated over the series' length (series_seasonal docs). */
export function seasonalComponent(x: readonly SeriesElement[], period: number, length = x.length): number[] {
  const phases: number[] = [];
  for (let phase = 0; phase < period; phase++) {
    const values: number[] = [];
    for (let i = phase; i < x.length; i += period) if (x[i] !== null && x[i] !== undefined) values.push(x[i]!);
    phases.push(values.length === 0 ? 0 : median(values));
  }
  return Array.from({ length }, (_, i) => phases[i % period]!);
}

/** series_periods_detect: up to `count` periods and their scores, padded with zeros to `count` entries. */
export function detectPeriods(x: readonly SeriesElement[], minPeriod: number, maxPeriod: number, count: number): { periods: number[]; scores: number[] } {
  const [low, high] = candidateRange(x.length, minPeriod, maxPeriod);
  const periods: number[] = [];
  const scores: number[] = [];
  let remaining = detrend(x);
  while (periods.length < count) {
    const found = strongestPeriod(remaining, low, high);
    if (!found || periods.includes(found.period)) break;
    periods.push(found.period);
    scores.push(found.score);
    const seasonal = seasonalComponent(remaining, found.period);
    remaining = detrend(remaining.map((v, i) => (v === null ? null : v - seasonal[i]!)));
  }
  while (periods.length < count) {
    periods.push(0);
    scores.push(0);
  }
  return { periods, scores };
}

/** The single period series_seasonal / series_decompose use when asked to detect it, or 0. */
export function detectSeasonality(x: readonly SeriesElement[], threshold: number): number {
  const { periods, scores } = detectPeriods(x, 0, x.length, 1);
  return scores[0]! >= threshold ? periods[0]! : 0;
}

/** series_periods_validate: each given period's score (0 for periods the detection cannot consider). */
export function validatePeriods(series: readonly SeriesElement[], periods: readonly number[]): { periods: number[]; scores: number[] } {
  const x = detrend(series);
  const scores = periods.map((p) => {
    const lag = Math.round(p);
    return lag >= MIN_DETECTABLE_PERIOD && lag < x.length / 2 ? lagScore(x, lag) : 0;
  });
  return { periods: [...periods], scores };
}

/**
 * series_seasonal(series [, period [, test_points]]): −1 (default) detects the period with threshold
 * 0.7; other non-positive periods give zeros. The last `testPoints` values are left out of the
 * learning (as series_decompose's test_points) but still receive the seasonal pattern.
 */
export function seriesSeasonal(x: readonly SeriesElement[], period: number, testPoints = 0): number[] {
  const training = x.slice(0, Math.max(0, x.length - Math.max(0, testPoints)));
  const p = period === -1 ? detectSeasonality(training, 0.7) : period;
  return p > 0 ? seasonalComponent(training, p, x.length) : x.map(() => 0);
}

type Bag = { [key: string]: DynamicValue };

export function periodFunctions(): ScalarFunction[] {
  return [
    // Two columns in Kusto (series_periods_detect_<arg>_periods, …_scores): a bag until the binder spreads it.
    simpleScalar({
      name: 'series_periods_detect',
      params: [SERIES, NUMBER, NUMBER, INTEGER],
      result: 'dynamic',
      kernel: () => ([s, min, max, count]) => {
        const x = seriesOf(s!);
        return x === null ? null : (detectPeriods(x, min as number, max as number, Math.max(0, count as number)) as Bag);
      },
    }),
    simpleScalar({
      name: 'series_periods_validate',
      params: [SERIES, NUMBER],
      rest: NUMBER,
      maxArgs: 17,
      result: 'dynamic',
      kernel: () => ([s, ...periods]) => {
        const x = seriesOf(s!);
        return x === null ? null : (validatePeriods(x, periods as number[]) as Bag);
      },
    }),
    simpleScalar({
      name: 'series_seasonal',
      params: [SERIES, INTEGER, INTEGER],
      optional: 2,
      result: 'dynamic',
      kernel: () => ([s, period, testPoints]) => {
        const x = seriesOf(s!);
        return x === null ? null : seriesSeasonal(x, (period ?? -1) as number, (testPoints ?? 0) as number);
      },
    }),
  ];
}
