/**
 * Scalar functions whose result Kusto spreads over several columns (`extend series_stats(x)` gives
 * `series_stats_x_min`, `series_stats_x_min_idx`, …; `array_sort_asc(a, b)` gives `a_sorted`, `b_sorted`).
 * Their kernels return one dynamic value (a bag keyed by suffix, or an array per argument); the binder
 * reads each column out of it. Names and types as Kusto.Language gives them.
 */
import type { ScalarType } from '../values/types.js';

export interface OutputColumn {
  /** Where the column's value is in the function's dynamic result. */
  key: string | number;
  type: ScalarType;
  /** The automatic column name, given the function name and its arguments' names. */
  name(functionName: string, argNames: readonly (string | undefined)[]): string;
}

const real = 'real' as const;
const long = 'long' as const;
const dynamic = 'dynamic' as const;

/** `<function>_<first argument>_<suffix>` columns from a bag keyed by suffix. */
function suffixed(spec: [string, ScalarType][]): OutputColumn[] {
  return spec.map(([suffix, type]) => ({ key: suffix, type, name: (fn, args) => `${fn}_${args[0] ?? ''}_${suffix}` }));
}

const SERIES_OUTPUTS: Record<string, [string, ScalarType][]> = {
  series_stats: [['min', real], ['min_idx', long], ['max', real], ['max_idx', long], ['avg', real], ['stdev', real], ['variance', real]],
  series_fit_line: [['rsquare', real], ['slope', real], ['variance', real], ['rvariance', real], ['interception', real], ['line_fit', dynamic]],
  series_fit_2lines: [
    ['rsquare', real], ['split_idx', long], ['variance', real], ['rvariance', real], ['line_fit', dynamic],
    ['right_rsquare', real], ['right_slope', real], ['right_interception', real], ['right_variance', real], ['right_rvariance', real],
    ['left_rsquare', real], ['left_slope', real], ['left_interception', real], ['left_variance', real], ['left_rvariance', real],
  ],
  series_fit_poly: [['rsquare', real], ['coefficients', dynamic], ['variance', real], ['rvariance', real], ['poly_fit', dynamic]],
  series_periods_detect: [['periods', dynamic], ['scores', dynamic]],
  series_periods_validate: [['periods', dynamic], ['scores', dynamic]],
  series_decompose: [['baseline', dynamic], ['seasonal', dynamic], ['trend', dynamic], ['residual', dynamic]],
  series_decompose_forecast: [['baseline', dynamic], ['seasonal', dynamic], ['trend', dynamic], ['residual', dynamic]],
  series_decompose_anomalies: [['ad_flag', dynamic], ['ad_score', dynamic], ['baseline', dynamic]],
};

/** Whether calls of this function can spread over several columns (depending on their arguments). */
export function mayOutputColumns(functionName: string): boolean {
  return functionName in SERIES_OUTPUTS || functionName === 'array_sort_asc' || functionName === 'array_sort_desc';
}

/** The output columns of a call, or undefined when the call gives one ordinary value. */
export function multiOutputColumns(functionName: string, argTypes: readonly ScalarType[]): OutputColumn[] | undefined {
  const series = SERIES_OUTPUTS[functionName];
  if (series) return suffixed(series);
  const arrays = argTypes.filter((t) => t === 'dynamic').length;
  if ((functionName === 'array_sort_asc' || functionName === 'array_sort_desc') && arrays > 1) {
    // Every array argument is sorted along the first; a trailing bool (nulls_last) is an option.
    return Array.from({ length: arrays }, (_, i) => ({
      key: i,
      type: dynamic,
      name: (_fn: string, args: readonly (string | undefined)[]) => `${args[i] ?? `array${i + 1}`}_sorted`,
    }));
  }
  return undefined;
}
