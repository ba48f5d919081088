/**
 * Missing-value interpolation: series_fill_backward, series_fill_forward, series_fill_const,
 * series_fill_linear. An element is missing when it equals *missing_value_placeholder* — by default
 * null (`double(null)`, `long(null)` and `int(null)` mean the same, as the docs say).
 *
 * Known limitation: "if series contains only int or long elements, series_fill_linear returns rounded
 * interpolated values"; a dynamic number here does not remember whether it was written 111 or 111.0,
 * so interpolated values are never rounded.
 */
import type { ScalarFunction } from '../registry.js';
import type { DynamicValue, Value } from '../../values/types.js';
import { BOOL, NUMBER, simpleScalar } from '../common.js';
import { SERIES } from './series-values.js';

type Missing = (v: DynamicValue) => boolean;

function missingTest(placeholder: Value | undefined): Missing {
  if (placeholder === undefined || placeholder === null) return (v) => v === null;
  return (v) => v === placeholder;
}

export function fillForward(series: readonly DynamicValue[], isMissing: Missing): DynamicValue[] {
  const out = [...series];
  for (let i = 1; i < out.length; i++) if (isMissing(out[i]!) && !isMissing(out[i - 1]!)) out[i] = out[i - 1]!;
  return out;
}

export function fillBackward(series: readonly DynamicValue[], isMissing: Missing): DynamicValue[] {
  const out = [...series];
  for (let i = out.length - 2; i >= 0; i--) if (isMissing(out[i]!) && !isMissing(out[i + 1]!)) out[i] = out[i + 1]!;
  return out;
}

export function fillConst(series: readonly DynamicValue[], constant: DynamicValue, isMissing: Missing): DynamicValue[] {
  return series.map((v) => (isMissing(v) ? constant : v));
}

/**
 * Linear interpolation between the nearest present neighbours; leading/trailing gaps take the nearest
 * present value when `fillEdges`; an array with no present value is filled with `constant`.
 */
export function fillLinear(series: readonly DynamicValue[], isMissing: Missing, fillEdges: boolean, constant: DynamicValue): DynamicValue[] {
  const present = series.flatMap((v, i) => (!isMissing(v) && typeof v === 'number' ? [i] : []));
  if (present.length === 0) return series.map((v) => (isMissing(v) ? constant : v));
  const out = [...series];
  for (let k = 0; k + 1 < present.length; k++) {
    const [from, to] = [present[k]!, present[k + 1]!];
    const [a, b] = [series[from] as number, series[to] as number];
    for (let i = from + 1; i < to; i++) if (isMissing(out[i]!)) out[i] = a + ((b - a) * (i - from)) / (to - from);
  }
  if (fillEdges) {
    const [first, last] = [present[0]!, present[present.length - 1]!];
    for (let i = 0; i < first; i++) if (isMissing(out[i]!)) out[i] = series[first]!;
    for (let i = last + 1; i < out.length; i++) if (isMissing(out[i]!)) out[i] = series[last]!;
  }
  return out;
}

const asArray = (v: Value): DynamicValue[] | null => (Array.isArray(v) ? v : null);

export function fillFunctions(): ScalarFunction[] {
  const directional = (name: string, fill: typeof fillForward) => simpleScalar({
    name,
    params: [SERIES, NUMBER],
    optional: 1,
    result: 'dynamic',
    nullPropagating: false,
    kernel: () => ([s, placeholder]) => {
      const series = asArray(s!);
      return series === null ? null : fill(series, missingTest(placeholder));
    },
  });
  return [
    directional('series_fill_forward', fillForward),
    directional('series_fill_backward', fillBackward),
    simpleScalar({
      name: 'series_fill_const',
      params: [SERIES, NUMBER, NUMBER],
      optional: 2,
      result: 'dynamic',
      nullPropagating: false,
      kernel: () => ([s, constant, placeholder]) => {
        const series = asArray(s!);
        return series === null ? null : fillConst(series, (constant ?? 0) as number, missingTest(placeholder));
      },
    }),
    simpleScalar({
      name: 'series_fill_linear',
      params: [SERIES, NUMBER, BOOL, NUMBER],
      optional: 3,
      result: 'dynamic',
      nullPropagating: false,
      kernel: (args) => {
        const constantGiven = args.length >= 4;
        return ([s, placeholder, fillEdges, constant]) => {
          const series = asArray(s!);
          if (series === null) return null;
          // Docs: the constant defaults to 0; an explicit double(null) keeps the nulls.
          const fill = constantGiven ? ((constant ?? null) as number | null) : 0;
          return fillLinear(series, missingTest(placeholder), fillEdges !== false, fill);
        };
      },
    }),
  ];
}
