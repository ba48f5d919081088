/**
 * Kusto's series_* functions (element-wise math, reductions, fills, filters, regression, periods,
 * decomposition) and the math, statistics and unit-conversion scalars that live beside them.
 *
 * Multi-column functions (series_stats, series_fit_line, series_fit_2lines, series_fit_poly,
 * series_periods_detect, series_periods_validate, series_decompose, series_decompose_anomalies,
 * series_decompose_forecast) return one property bag keyed by their output column suffixes; the
 * binder spreads it into `<function>_<argument>_<key>` columns.
 */
import type { ScalarFunction } from '../registry.js';
import { decomposeFunctions } from './decompose.js';
import { elementwiseFunctions } from './elementwise.js';
import { fillFunctions } from './fill.js';
import { filterFunctions } from './filters.js';
import { fitFunctions } from './fit.js';
import { periodFunctions } from './periods.js';
import { reductionFunctions } from './reductions.js';
import { specialMathFunctions } from './special-math.js';
import { unitFunctions } from './units.js';

export function seriesFunctions(): ScalarFunction[] {
  return [
    ...elementwiseFunctions(), ...reductionFunctions(), ...fillFunctions(), ...filterFunctions(), ...fitFunctions(),
    ...periodFunctions(), ...decomposeFunctions(), ...specialMathFunctions(), ...unitFunctions(),
  ];
}
