/**
 * The built-in catalogue: every scalar function, operator and aggregate the engine knows, in one
 * registry read by both the binder (bind) and the executor (prepare/create).
 */
import { FunctionRegistry } from './registry.js';
import { aggregateFunctions } from './aggregates.js';
import { arithmeticOperators } from './arithmetic.js';
import { comparisonOperators } from './comparison.js';
import { conditionalFunctions } from './conditional.js';
import { conversionFunctions } from './conversion.js';
import { datetimeFunctions } from './datetime.js';
import { dynamicFunctions } from './dynamic.js';
import { mathFunctions } from './math.js';
import { stringOperators } from './string-operators.js';
import { stringFunctions } from './strings.js';

function buildRegistry(): FunctionRegistry {
  const registry = new FunctionRegistry();
  for (const op of [...comparisonOperators(), ...arithmeticOperators(), ...stringOperators()]) registry.addOperator(op);
  const scalars = [
    ...conversionFunctions(), ...stringFunctions(), ...conditionalFunctions(), ...mathFunctions(),
    ...datetimeFunctions(), ...dynamicFunctions(),
  ];
  for (const fn of scalars) registry.addScalar(fn);
  for (const agg of aggregateFunctions()) registry.addAggregate(agg);
  return registry;
}

export const BUILTINS: FunctionRegistry = buildRegistry();
