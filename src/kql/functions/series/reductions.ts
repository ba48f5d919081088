/**
 * Series reduced to one value: series_sum, series_product, series_magnitude, series_dot_product,
 * series_cosine_similarity, series_pearson_correlation, and the statistics bag series_stats(_dynamic).
 */
import type { ScalarFunction } from '../registry.js';
import type { DynamicValue } from '../../values/types.js';
import { BOOL, checkArgs, defineScalar, simpleScalar } from '../common.js';
import {
  SERIES, SERIES_OR_NUMBER, type Operand, type SeriesElement, operandAt, operandLength, operandOf, presentNumbers, seriesOf,
} from './series-values.js';

type Bag = { [key: string]: DynamicValue };

/** series_sum / series_product / series_magnitude: over the numeric elements; non-numeric ones are skipped. */
function reduction(name: string, f: (values: number[]) => number): ScalarFunction {
  return simpleScalar({
    name,
    params: [SERIES],
    result: 'real',
    kernel: () => ([s]) => {
      const series = seriesOf(s!);
      return series === null ? null : f(presentNumbers(series));
    },
  });
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const product = (values: number[]) => values.reduce((a, b) => a * b, 1);
const magnitude = (values: number[]) => Math.sqrt(values.reduce((a, b) => a + b * b, 0));

/**
 * The index pairs two operands share: the shorter series' length ("the longer series will be
 * truncated", series_dot_product docs); a number operand is broadcast.
 */
function pairedElements(left: Operand, right: Operand): [number, number][] {
  const lengths = [operandLength(left), operandLength(right)].filter((n): n is number => n !== undefined);
  const length = Math.min(...lengths);
  const pairs: [number, number][] = [];
  for (let i = 0; i < length; i++) {
    const [a, b] = [operandAt(left, i), operandAt(right, i)];
    if (a !== null && b !== null) pairs.push([a, b]); // non-numeric elements are ignored
  }
  return pairs;
}

export function dotProduct(left: Operand, right: Operand): number | null {
  if (operandLength(left) === 0 || operandLength(right) === 0) return null; // docs: empty input → null
  return pairedElements(left, right).reduce((acc, [a, b]) => acc + a * b, 0);
}

export function cosineSimilarity(left: SeriesElement[], right: SeriesElement[]): number | null {
  if (left.length === 0 || right.length === 0) return null;
  const pairs = pairedElements({ series: left }, { series: right });
  let [dot, normA, normB] = [0, 0, 0];
  for (const [a, b] of pairs) {
    dot += a * b;
    normA += a * a;
    normB += b * b;
  }
  return dot / Math.sqrt(normA * normB);
}

/** Pearson's r; "any non-numeric element or nonexisting element (arrays of different sizes) yields a null result". */
export function pearsonCorrelation(left: SeriesElement[], right: SeriesElement[]): number | null {
  if (left.length !== right.length || left.length === 0) return null;
  if (left.some((v) => v === null) || right.some((v) => v === null)) return null;
  const [xs, ys] = [left as number[], right as number[]];
  const [mx, my] = [sum(xs) / xs.length, sum(ys) / ys.length];
  let [sxy, sxx, syy] = [0, 0, 0];
  for (let i = 0; i < xs.length; i++) {
    const [dx, dy] = [xs[i]! - mx, ys[i]! - my];
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function pairFunction(name: string, f: (a: SeriesElement[], b: SeriesElement[]) => number | null): ScalarFunction {
  return simpleScalar({
    name,
    params: [SERIES, SERIES],
    result: 'real',
    kernel: () => ([a, b]) => {
      const [left, right] = [seriesOf(a!), seriesOf(b!)];
      return left === null || right === null ? null : f(left, right);
    },
  });
}

function dotProductFunction(): ScalarFunction {
  const name = 'series_dot_product';
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      const err = checkArgs(name, args, [SERIES_OR_NUMBER, SERIES_OR_NUMBER]);
      if (err) return err;
      if (args[0]!.type !== 'dynamic' && args[1]!.type !== 'dynamic') {
        return { error: `${name}(): at least one argument must be a dynamic array (series)`, argIndex: 0 };
      }
      return { type: 'real' };
    },
    prepare(args) {
      const [leftType, rightType] = [args[0]!.type, args[1]!.type];
      return ([a, b]) => {
        const [left, right] = [operandOf(a!, leftType), operandOf(b!, rightType)];
        return left === null || right === null ? null : dotProduct(left, right);
      };
    },
  });
}

const sampleVariance = (sumSquares: number, n: number) => (n > 1 ? sumSquares / (n - 1) : 0);

/**
 * series_stats_dynamic(series [, ignore_nonfinite]): min, min_idx, max, max_idx, avg, stdev, variance
 * (sample variance: the docs example gives 812.457 for 15 values), sum and len. With
 * ignore_nonfinite false (the default), any null/NaN/±inf element makes the statistics null.
 */
export function seriesStats(value: DynamicValue, ignoreNonFinite: boolean): Bag | null {
  const series = seriesOf(value);
  if (series === null) return null;
  const finite: { v: number; i: number }[] = [];
  series.forEach((v, i) => {
    if (v !== null && Number.isFinite(v)) finite.push({ v, i });
  });
  if (finite.length === 0 || (!ignoreNonFinite && finite.length !== series.length)) {
    return { min: null, min_idx: null, max: null, max_idx: null, avg: null, stdev: null, variance: null, sum: null, len: series.length };
  }
  let [min, max] = [finite[0]!, finite[0]!];
  for (const p of finite) {
    if (p.v < min.v) min = p;
    if (p.v > max.v) max = p;
  }
  const total = finite.reduce((a, p) => a + p.v, 0);
  const avg = total / finite.length;
  const variance = sampleVariance(finite.reduce((a, p) => a + (p.v - avg) ** 2, 0), finite.length);
  return {
    min: min.v, min_idx: min.i, max: max.v, max_idx: max.i, avg, stdev: Math.sqrt(variance), variance, sum: total,
    len: series.length,
  };
}

function statsFunction(name: string): ScalarFunction {
  return simpleScalar({
    name,
    params: [SERIES, BOOL],
    optional: 1,
    result: 'dynamic',
    kernel: () => ([s, ignore]) => seriesStats(s as DynamicValue, ignore === true),
  });
}

export function reductionFunctions(): ScalarFunction[] {
  return [
    reduction('series_sum', sum),
    reduction('series_product', product),
    reduction('series_magnitude', magnitude),
    dotProductFunction(),
    pairFunction('series_cosine_similarity', cosineSimilarity),
    pairFunction('series_pearson_correlation', pearsonCorrelation),
    statsFunction('series_stats_dynamic'),
    // Multi-column in Kusto (series_stats_<arg>_min, …); returns the same bag until the binder spreads it.
    statsFunction('series_stats'),
  ];
}
