/**
 * Linear filters: series_fir (finite impulse response) and series_iir (infinite impulse response).
 * Samples before the start of the series count as 0, as in any causal filter: the series_iir docs
 * example with numerators [1] and denominators [1, -1] is a running sum starting from the first value.
 * A missing (non-numeric) sample also counts as 0 [UNCERTAIN: the docs do not say].
 */
import type { ScalarFunction } from '../registry.js';
import type { Value } from '../../values/types.js';
import { BOOL, simpleScalar } from '../common.js';
import { SERIES, type SeriesElement, seriesOf } from './series-values.js';

const sampleAt = (x: readonly SeriesElement[], i: number) => (i >= 0 && i < x.length ? (x[i] ?? 0) : 0);

/**
 * y[i] = Σ_k filter[k] · x[i − k] (+ a shift of ⌊(m − 1) / 2⌋ when centered, so a symmetric filter
 * keeps peaks in place). Normalizing divides by the sum of the coefficients; it defaults to true
 * unless a coefficient is negative, and asking for it with a negative coefficient gives null (docs).
 */
export function fir(x: readonly SeriesElement[], filter: readonly number[], normalize: boolean | undefined, center: boolean): number[] | null {
  const hasNegative = filter.some((c) => c < 0);
  const shouldNormalize = normalize ?? !hasNegative;
  if (shouldNormalize && hasNegative) return null;
  const total = filter.reduce((a, b) => a + b, 0);
  if (shouldNormalize && total === 0) return null;
  const scale = shouldNormalize ? 1 / total : 1;
  const shift = center ? Math.floor((filter.length - 1) / 2) : 0;
  return x.map((_, i) => {
    let acc = 0;
    for (let k = 0; k < filter.length; k++) acc += filter[k]! * sampleAt(x, i + shift - k);
    return acc * scale;
  });
}

/**
 * a[0]·y[n] = Σ_k b[k]·x[n − k] − Σ_{k≥1} a[k]·y[n − k] (the standard difference equation, as the
 * series_iir docs give it); a[0] = 0 has no solution and gives null.
 */
export function iir(x: readonly SeriesElement[], numerators: readonly number[], denominators: readonly number[]): number[] | null {
  const a0 = denominators[0];
  if (a0 === undefined || a0 === 0 || numerators.length === 0) return null;
  const y: number[] = [];
  for (let n = 0; n < x.length; n++) {
    let acc = 0;
    for (let k = 0; k < numerators.length; k++) acc += numerators[k]! * sampleAt(x, n - k);
    for (let k = 1; k < denominators.length; k++) acc -= denominators[k]! * (n - k >= 0 ? y[n - k]! : 0);
    y.push(acc / a0);
  }
  return y;
}

/** Coefficients must all be numbers; anything else makes the call null. */
function coefficientsOf(value: Value): number[] | null {
  const series = seriesOf(value);
  return series === null || series.some((c) => c === null) ? null : (series as number[]);
}

export function filterFunctions(): ScalarFunction[] {
  return [
    simpleScalar({
      name: 'series_fir',
      params: [SERIES, SERIES, BOOL, BOOL],
      optional: 2,
      result: 'dynamic',
      kernel: () => ([s, f, normalize, center]) => {
        const [x, filter] = [seriesOf(s!), coefficientsOf(f!)];
        if (x === null || filter === null || filter.length === 0) return null;
        return fir(x, filter, normalize as boolean | undefined, center === true);
      },
    }),
    simpleScalar({
      name: 'series_iir',
      params: [SERIES, SERIES, SERIES],
      result: 'dynamic',
      kernel: () => ([s, b, a]) => {
        const [x, numerators, denominators] = [seriesOf(s!), coefficientsOf(b!), coefficientsOf(a!)];
        return x === null || numerators === null || denominators === null ? null : iir(x, numerators, denominators);
      },
    }),
  ];
}
