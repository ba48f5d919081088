/**
 * The built-in catalogue: every scalar function, operator and aggregate the engine knows, in one
 * registry read by both the binder (bind) and the executor (prepare/create).
 */
import { FunctionRegistry } from './registry.js';
import { aggregateFunctions } from './aggregates.js';
import { moreAggregateFunctions } from './aggregates-more.js';
import { arithmeticOperators } from './arithmetic.js';
import { comparisonOperators } from './comparison.js';
import { conditionalFunctions } from './conditional.js';
import { conversionFunctions } from './conversion.js';
import { datetimeFunctions } from './datetime.js';
import { hashFunctions } from './hashing.js';
import { ipFunctions } from './ip.js';
import { dynamicFunctions } from './dynamic.js';
import { mathFunctions } from './math.js';
import { parsingFunctions } from './parsing.js';
import { regexFunctions } from './regex-functions.js';
import { seriesFunctions } from './series/index.js';
import { stringOperators } from './string-operators.js';
import { stringFunctions } from './strings.js';
import { textFunctions } from './text.js';
import { xmlFunctions } from './xml.js';
import { geoFunctions } from './geo/index.js';
import { compressionFunctions } from './compression.js';
import { environmentFunctions } from './environment.js';
import { sketchAggregates, sketchScalars } from './sketches.js';
import { statisticsAggregates } from './statistics.js';
import { timeZoneFunctions } from './timezones.js';

function buildRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const op of [...comparisonOperators(), ...arithmeticOperators(), ...stringOperators()]) registry.addOperator(op);
  const scalars = [
    ...conversionFunctions(), ...stringFunctions(), ...conditionalFunctions(), ...mathFunctions(),
    ...datetimeFunctions(), ...dynamicFunctions(), ...regexFunctions(), ...textFunctions(), ...parsingFunctions(),
    ...hashFunctions(), ...ipFunctions(), ...seriesFunctions(), ...xmlFunctions(),
    ...geoFunctions(), ...compressionFunctions(), ...environmentFunctions(), ...sketchScalars(), ...timeZoneFunctions(),
  ];
  for (const fn of scalars) registry.addScalar(fn);
  for (const agg of [...aggregateFunctions(), ...moreAggregateFunctions(), ...sketchAggregates(), ...statisticsAggregates()]) registry.addAggregate(agg);
  // Deprecated names Kusto still accepts.
  registry.addScalar(registry.scalar('unicode_codepoints_to_string')!, 'make_string');
  registry.addScalar(registry.scalar('isnotempty')!, 'notempty');
  return registry;
}

export const BUILTINS: FunctionRegistry = buildRegistry();
