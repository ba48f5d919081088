/**
 * Statistical aggregates: covariance / covariancep / covarianceif / covariancepif, the weighted
 * percentiles percentilew / percentilesw / percentilesw_array, and buildschema.
 *
 * Covariance follows variance's conventions (aggregates-more.ts): covariance is the sample covariance
 * (n − 1), 0 for a single pair and for no pairs; covariancep is the population covariance (n), null for
 * no pairs. The docs examples check both: over x = 1..100 step 3 (33 values) with y = iff(x % 2 == 0,
 * 2x, 3x), covarianceif = 2142 and covariancepif = 2077.0909… = 2142 × 32/33. A row with a null x or y
 * is skipped.
 *
 * percentilew(expr, weight, P) counts each row `weight` times; weights must be integers, rows with a
 * null or non-positive weight are skipped (see weighted-values.ts for the nearest-rank definition).
 */
import type { AggregateFunction, Aggregator, ArgInfo, BindResult } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { isIntegerType, isNumericType } from '../values/types.js';
import { isDynamicArray, isDynamicBag, toDynamic } from '../values/dynamic.js';
import { arityError } from './common.js';
import { percentName } from './aggregates-more.js';
import { RANKABLE_TYPES, WeightedValues, weightedPercentile } from './weighted-values.js';

function typeError(fn: string, index: number, expected: string, got: ScalarType): BindResult {
  return { error: `${fn}(): argument ${index + 1} must be ${expected}, got ${got}`, argIndex: index };
}

function checkArity(fn: string, args: readonly ArgInfo[], min: number, max: number): BindResult | undefined {
  return args.length < min || args.length > max ? arityError(fn, min, max, args.length) : undefined;
}

// ---------------------------------------------------------------------------------------------
// covariance

/**
 * Plain sums, as Kusto's docs formula reads — covariance = (Σxy − Σx·Σy / n) / (n − 1): merging
 * partial states is addition, so integer data gives the same exact result in any grouping
 * (covariancep of the docs table is exactly 16.4).
 */
interface CoSums {
  n: number;
  sumX: number;
  sumY: number;
  sumXY: number;
}

const NO_PAIRS: CoSums = { n: 0, sumX: 0, sumY: 0, sumXY: 0 };

function addSums(a: CoSums, b: CoSums): CoSums {
  return { n: a.n + b.n, sumX: a.sumX + b.sumX, sumY: a.sumY + b.sumY, sumXY: a.sumXY + b.sumXY };
}

function covarianceAggregate(name: 'covariance' | 'covariancep' | 'covarianceif' | 'covariancepif'): AggregateFunction {
  const conditional = name.endsWith('if');
  const population = name.startsWith('covariancep');
  const arity = conditional ? 3 : 2;
  return {
    name, minArgs: arity, maxArgs: arity, resultNamePrefix: name,
    bind(args) {
      const err = checkArity(name, args, arity, arity);
      if (err) return err;
      for (const i of [0, 1]) if (!isNumericType(args[i]!.type)) return typeError(name, i, 'a number', args[i]!.type);
      if (conditional && args[2]!.type !== 'bool') return typeError(name, 2, 'bool', args[2]!.type);
      return { type: 'real' };
    },
    create(): Aggregator<CoSums> {
      return {
        init: () => NO_PAIRS,
        step: (s, row) => {
          if ((conditional && row[2] !== true) || row[0] === null || row[1] === null) return s;
          const [x, y] = [row[0] as number, row[1] as number];
          return addSums(s, { n: 1, sumX: x, sumY: y, sumXY: x * y });
        },
        merge: addSums,
        finish: (s) => {
          if (s.n === 0) return population ? null : 0;
          const coSpread = s.sumXY - (s.sumX * s.sumY) / s.n;
          return population ? coSpread / s.n : s.n === 1 ? 0 : coSpread / (s.n - 1);
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// percentilew, percentilesw, percentilesw_array

/** The percentile's result type: Kusto reports ints as long and decimals as real. */
function percentileResultType(type: ScalarType): ScalarType {
  return type === 'int' ? 'long' : type === 'decimal' ? 'real' : type;
}

function weightedPercentileAggregate(name: 'percentilew' | 'percentilesw' | 'percentilesw_array'): AggregateFunction {
  const single = name === 'percentilew';
  const asArray = name === 'percentilesw_array';
  const maxArgs = single ? 3 : 1002;
  return {
    name, minArgs: 3, maxArgs, resultNamePrefix: 'percentile',
    multiOutput: name === 'percentilesw',
    bind(args) {
      const err = checkArity(name, args, 3, maxArgs);
      if (err) return err;
      if (!RANKABLE_TYPES.has(args[0]!.type)) return typeError(name, 0, 'a number, datetime or timespan', args[0]!.type);
      if (!isIntegerType(args[1]!.type)) return typeError(name, 1, 'an integer weight', args[1]!.type);
      for (let i = 2; i < args.length; i++) {
        const arrayOfPercents = asArray && args.length === 3 && args[i]!.type === 'dynamic';
        if (!isNumericType(args[i]!.type) && !arrayOfPercents) return typeError(name, i, 'a number', args[i]!.type);
        if (args[i]!.constant === undefined) return { error: `${name}(): argument ${i + 1} must be a constant`, argIndex: i };
      }
      const type = percentileResultType(args[0]!.type);
      if (asArray) return { type: 'dynamic' };
      return single ? { type } : { types: args.slice(2).map(() => type) };
    },
    outputName(i, argNames, args) {
      if (asArray) return `percentiles_${argNames[0] ?? ''}`;
      return `percentile_${argNames[0] ?? ''}_${percentName(args[i + 2]?.constant?.value ?? null)}`;
    },
    create(args): Aggregator<WeightedValues> {
      const type = args[0]!.type;
      const percents = args.slice(2).flatMap((a): Value[] => {
        const v = a.constant!.value;
        return Array.isArray(v) ? v : [v];
      });
      return {
        init: () => new WeightedValues(),
        step: (values, row) => values.add(row[0]!, row[1]!),
        merge: (a, b) => a.addAll(b),
        finish: (values) => {
          const sorted = values.sorted();
          const results: Value[] = percents.map((p) => (typeof p === 'number' ? weightedPercentile(sorted, p) : null));
          if (asArray) return sorted.length === 0 ? null : results.map((r) => toDynamic(r, type));
          return single ? results[0]! : results;
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// buildschema

/**
 * A schema is a union of alternatives in order of first appearance: primitive type names and at most
 * one container (property name → schema; arrays are containers with the single key "`indexer`").
 */
type Schema = Array<string | Container>;
type Container = Map<string, Schema>;

const INDEXER = '`indexer`';

function primitiveName(value: DynamicValue): string {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  return 'string';
}

/** Adds one value's shape to a schema (nulls add nothing: every property is implicitly optional). */
function admit(schema: Schema, value: DynamicValue): Schema {
  if (value === null) return schema;
  if (!isDynamicArray(value) && !isDynamicBag(value)) {
    const name = primitiveName(value);
    if (!schema.includes(name)) schema.push(name);
    return schema;
  }
  let container = schema.find((s): s is Container => typeof s !== 'string');
  if (!container) {
    container = new Map();
    schema.push(container);
  }
  const members: Array<[string, DynamicValue]> = isDynamicArray(value) ? value.map((v) => [INDEXER, v]) : Object.entries(value);
  for (const [key, member] of members) {
    const existing = container.get(key);
    if (existing) admit(existing, member);
    else if (member !== null) container.set(key, admit([], member));
  }
  return schema;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  for (const alternative of b) {
    if (typeof alternative === 'string') {
      if (!a.includes(alternative)) a.push(alternative);
      continue;
    }
    let container = a.find((s): s is Container => typeof s !== 'string');
    if (!container) a.push((container = new Map()));
    for (const [key, schema] of alternative) {
      const existing = container.get(key);
      container.set(key, existing ? mergeSchemas(existing, schema) : schema);
    }
  }
  return a;
}

function schemaToDynamic(schema: Schema): DynamicValue {
  const alternatives = schema.map((s): DynamicValue => {
    if (typeof s === 'string') return s;
    const bag: { [key: string]: DynamicValue } = {};
    for (const [key, member] of s) bag[key] = schemaToDynamic(member);
    return bag;
  });
  return alternatives.length === 1 ? alternatives[0]! : alternatives;
}

/** buildschema(dynamic): the minimal schema admitting every value of the group; null for no values. */
function buildschema(): AggregateFunction {
  const name = 'buildschema';
  return {
    name, minArgs: 1, maxArgs: 1, resultNamePrefix: 'schema',
    bind(args) {
      return checkArity(name, args, 1, 1) ?? (args[0]!.type === 'dynamic' ? { type: 'dynamic' } : typeError(name, 0, 'dynamic', args[0]!.type));
    },
    create(): Aggregator<Schema> {
      return {
        init: () => [],
        step: (schema, row) => admit(schema, row[0] as DynamicValue),
        merge: mergeSchemas,
        finish: (schema) => (schema.length === 0 ? null : schemaToDynamic(schema)),
      };
    },
  };
}

export function statisticsAggregates(): AggregateFunction[] {
  return [
    covarianceAggregate('covariance'), covarianceAggregate('covariancep'),
    covarianceAggregate('covarianceif'), covarianceAggregate('covariancepif'),
    weightedPercentileAggregate('percentilew'), weightedPercentileAggregate('percentilesw'),
    weightedPercentileAggregate('percentilesw_array'),
    buildschema(),
  ];
}
