/**
 * More aggregates: count_distinct(if), make_bag(_if), make_list_with_nulls, percentile(s)(_array),
 * stdev/stdevp/variance/variancep and their _if forms, take_anyif, binary_all_and/or/xor, and the
 * deprecated aliases any / makeset / makelist.
 *
 * percentile follows the docs' nearest-rank definition exactly (the value at rank ⌈P/100 × N⌉ of
 * the sorted non-null values, rank 1 for P = 0); Kusto computes an estimate (T-Digest) for large
 * groups, so results can differ slightly there. Variance is the sample variance (n − 1) with the
 * docs' example variance(1..5) = 2.5; one value gives 0. With no value, variance/stdev(if) give 0 and
 * variancep/stdevp null (summarize-operator.md, "Default values of aggregations").
 */
import type { AggregateFunction, Aggregator, ArgInfo, BindResult } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { isIntegerType, isNumericType } from '../values/types.js';
import { dynamicKey, isDynamicBag, toDynamic } from '../values/dynamic.js';
import { arityError, constantValue } from './common.js';
import { MAX_COLLECTION_SIZE, aggregateFunctions } from './aggregates.js';
import { comparisonPlan } from './comparison.js';

function typeError(fn: string, index: number, expected: string, got: ScalarType): BindResult {
  return { error: `${fn}(): argument ${index + 1} must be ${expected}, got ${got}`, argIndex: index };
}

function checkArity(fn: string, args: readonly ArgInfo[], min: number, max: number): BindResult | undefined {
  return args.length < min || args.length > max ? arityError(fn, min, max, args.length) : undefined;
}

function predicateError(fn: string, args: readonly ArgInfo[], index: number): BindResult | undefined {
  return args[index] && args[index]!.type !== 'bool' ? typeError(fn, index, 'bool', args[index]!.type) : undefined;
}

/** An aggregate that skips rows whose predicate (argument `predicateIndex`) is not true. */
function gated<S>(agg: Aggregator<S>, predicateIndex: number | undefined): Aggregator<S> {
  if (predicateIndex === undefined) return agg;
  return { ...agg, step: (s, values) => (values[predicateIndex] === true ? agg.step(s, values) : s) };
}

// ---------------------------------------------------------------------------------------------
// count_distinct

function countDistinct(name: 'count_distinct' | 'count_distinctif'): AggregateFunction {
  const conditional = name.endsWith('if');
  const arity = conditional ? 2 : 1;
  return {
    name, minArgs: arity, maxArgs: arity, resultNamePrefix: name,
    bind(args) {
      return checkArity(name, args, arity, arity) ?? (conditional ? predicateError(name, args, 1) : undefined) ?? { type: 'long' };
    },
    create(args): Aggregator<Set<string>> {
      const type = args[0]!.type;
      return gated({
        init: () => new Set<string>(),
        step: (set, values) => {
          if (values[0] !== null) set.add(dynamicKey(toDynamic(values[0]!, type)));
          return set;
        },
        merge: (a, b) => {
          for (const k of b) a.add(k);
          return a;
        },
        finish: (set) => set.size,
      }, conditional ? 1 : undefined);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// make_bag, make_list_with_nulls

type Bag = { [key: string]: DynamicValue };

/** make_bag(bag [, maxSize]): the union of the property bags; a key keeps its first value; non-bags are ignored. */
function makeBag(name: 'make_bag' | 'make_bag_if'): AggregateFunction {
  const conditional = name === 'make_bag_if';
  const sizeIndex = conditional ? 2 : 1;
  return {
    name, minArgs: sizeIndex, maxArgs: sizeIndex + 1, resultNamePrefix: 'bag',
    bind(args) {
      const err = checkArity(name, args, sizeIndex, sizeIndex + 1) ?? (conditional ? predicateError(name, args, 1) : undefined);
      if (err) return err;
      if (args[0]!.type !== 'dynamic') return typeError(name, 0, 'dynamic', args[0]!.type);
      const size = args[sizeIndex];
      return size && !isIntegerType(size.type) ? typeError(name, sizeIndex, 'an integer maximum size', size.type) : { type: 'dynamic' };
    },
    create(args): Aggregator<Bag> {
      const requested = constantValue(args[sizeIndex]);
      const limit = typeof requested === 'number' && requested > 0 ? Math.min(requested, MAX_COLLECTION_SIZE) : MAX_COLLECTION_SIZE;
      const add = (bag: Bag, other: Bag) => {
        for (const [k, v] of Object.entries(other)) {
          if (Object.keys(bag).length >= limit) break;
          if (!(k in bag)) bag[k] = v;
        }
        return bag;
      };
      return gated({
        init: () => ({}),
        step: (bag, values) => (isDynamicBag(values[0] as DynamicValue) ? add(bag, values[0] as Bag) : bag),
        merge: add,
        finish: (bag) => bag,
      }, conditional ? 1 : undefined);
    },
  };
}

/** make_list_with_nulls(x): every value, nulls included, in row order. */
function makeListWithNulls(): AggregateFunction {
  return {
    name: 'make_list_with_nulls', minArgs: 1, maxArgs: 2, resultNamePrefix: 'list',
    bind: (args) => checkArity('make_list_with_nulls', args, 1, 2) ?? { type: 'dynamic' },
    create(args): Aggregator<DynamicValue[]> {
      const type = args[0]!.type;
      return {
        init: () => [],
        step: (list, values) => {
          if (list.length < MAX_COLLECTION_SIZE) list.push(toDynamic(values[0]!, type));
          return list;
        },
        merge: (a, b) => a.concat(b).slice(0, MAX_COLLECTION_SIZE),
        finish: (list) => list,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// percentile, percentiles, percentiles_array

const PERCENTILE_TYPES = new Set<ScalarType>(['int', 'long', 'real', 'decimal', 'datetime', 'timespan']);

/** The nearest-rank percentile of ascending values. */
export function nearestRank<T>(sorted: readonly T[], percent: number): T | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** `95` → "95", `99.5` → "99_5" (Kusto's column-name form of a percentile). */
export function percentName(p: Value): string {
  return String(p).replace('.', '_');
}

function percentileAggregate(name: 'percentile' | 'percentiles' | 'percentiles_array'): AggregateFunction {
  const single = name === 'percentile';
  return {
    name, minArgs: 2, maxArgs: single ? 2 : 1000, resultNamePrefix: 'percentile',
    multiOutput: name === 'percentiles',
    bind(args) {
      const err = checkArity(name, args, 2, single ? 2 : 1000);
      if (err) return err;
      const t = args[0]!.type;
      if (!PERCENTILE_TYPES.has(t)) return typeError(name, 0, 'a number, datetime or timespan', t);
      for (let i = 1; i < args.length; i++) {
        if (!isNumericType(args[i]!.type) && !(name === 'percentiles_array' && args[i]!.type === 'dynamic')) return typeError(name, i, 'a number', args[i]!.type);
        if (args[i]!.constant === undefined) return { error: `${name}(): argument ${i + 1} must be a constant`, argIndex: i };
      }
      if (name === 'percentiles_array') return { type: 'dynamic' };
      return single ? { type: t } : { types: args.slice(1).map(() => t) };
    },
    outputName(i, argNames, args) {
      if (name === 'percentiles_array') return `percentiles_${argNames[0] ?? ''}`;
      return `percentile_${argNames[0] ?? ''}_${percentName(args[i + 1]?.constant?.value ?? null)}`;
    },
    create(args): Aggregator<Value[]> {
      const type = args[0]!.type;
      const order = comparisonPlan(type, type, false)!.order;
      const percents = args.slice(1).flatMap((a) => {
        const v = a.constant!.value;
        return Array.isArray(v) ? (v as number[]) : [v as number];
      });
      return {
        init: () => [],
        step: (values, row) => {
          const v = row[0]!;
          if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) values.push(v);
          return values;
        },
        merge: (a, b) => a.concat(b),
        finish: (values) => {
          const sorted = [...values].sort((a, b) => order(a, b));
          const results = percents.map((p) => nearestRank(sorted, p));
          if (name === 'percentiles_array') return sorted.length === 0 ? null : results.map((r) => toDynamic(r, type));
          return single ? results[0]! : results;
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// variance, stdev

interface Moments {
  n: number;
  mean: number;
  m2: number;
}

/** Chan et al.'s parallel update of count, mean and sum of squared deviations. */
function combine(a: Moments, b: Moments): Moments {
  if (b.n === 0) return a;
  if (a.n === 0) return b;
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  return { n, mean: a.mean + (delta * b.n) / n, m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n };
}

function spreadAggregate(name: string): AggregateFunction {
  const conditional = name.endsWith('if');
  const base = conditional ? name.slice(0, -2) : name;
  const population = base.endsWith('p');
  const root = base.startsWith('stdev');
  const arity = conditional ? 2 : 1;
  return {
    name, minArgs: arity, maxArgs: arity, resultNamePrefix: name,
    bind(args) {
      const err = checkArity(name, args, arity, arity) ?? (conditional ? predicateError(name, args, 1) : undefined);
      if (err) return err;
      return isNumericType(args[0]!.type) ? { type: 'real' } : typeError(name, 0, 'a number', args[0]!.type);
    },
    create(): Aggregator<Moments> {
      return gated({
        init: () => ({ n: 0, mean: 0, m2: 0 }),
        step: (s, values) => (values[0] === null ? s : combine(s, { n: 1, mean: values[0] as number, m2: 0 })),
        merge: combine,
        finish: (s) => {
          if (s.n === 0) return population ? null : 0;
          const variance = population ? s.m2 / s.n : s.n === 1 ? 0 : s.m2 / (s.n - 1);
          return root ? Math.sqrt(variance) : variance;
        },
      }, conditional ? 1 : undefined);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// take_anyif, binary_all_*

function takeAnyIf(): AggregateFunction {
  return {
    name: 'take_anyif', minArgs: 2, maxArgs: 2, resultNamePrefix: 'anyif',
    outputName: (_i, argNames) => argNames[0] ?? 'anyif_',
    bind: (args) => checkArity('take_anyif', args, 2, 2) ?? predicateError('take_anyif', args, 1) ?? { type: args[0]!.type },
    create(args): Aggregator<{ value: Value; seen: boolean }> {
      const empty: Value = args[0]!.type === 'string' ? '' : null;
      return {
        init: () => ({ value: empty, seen: false }),
        step: (s, values) => (s.seen || values[1] !== true || values[0] === null || values[0] === '' ? s : { value: values[0]!, seen: true }),
        merge: (a, b) => (a.seen ? a : b),
        finish: (s) => s.value,
      };
    },
  };
}

function binaryAll(name: string, f: (a: bigint, b: bigint) => bigint): AggregateFunction {
  return {
    name, minArgs: 1, maxArgs: 1, resultNamePrefix: name,
    outputName: (_i, argNames) => argNames[0] ?? `${name}_`,
    bind: (args) => checkArity(name, args, 1, 1) ?? (isIntegerType(args[0]!.type) ? { type: args[0]!.type } : typeError(name, 0, 'an integer', args[0]!.type)),
    create(): Aggregator<bigint | null> {
      const fold = (a: bigint | null, b: bigint | null) => (a === null ? b : b === null ? a : f(a, b));
      return {
        init: () => null,
        step: (acc, values) => fold(acc, values[0] === null ? null : BigInt(values[0] as number)),
        merge: fold,
        finish: (acc) => (acc === null ? null : Number(BigInt.asIntN(64, acc))), // an int's bits stay within 32
      };
    },
  };
}

/** The deprecated spellings any / makeset / makelist: the same aggregate under another name. */
function alias(name: string, of: string): AggregateFunction {
  const target = aggregateFunctions().find((a) => a.name === of)!;
  if (of !== 'take_any') return { ...target, name };
  // any(x) is named any_x (Kusto.Language), unlike take_any(x), which keeps x.
  return { ...target, name, outputNaming: 'prefix', outputName: (i, argNames) => `any_${argNames[i] ?? ''}` };
}

export function moreAggregateFunctions(): AggregateFunction[] {
  return [
    countDistinct('count_distinct'), countDistinct('count_distinctif'),
    makeBag('make_bag'), makeBag('make_bag_if'), makeListWithNulls(),
    percentileAggregate('percentile'), percentileAggregate('percentiles'), percentileAggregate('percentiles_array'),
    ...['stdev', 'stdevp', 'variance', 'variancep', 'stdevif', 'varianceif', 'variancepif'].map(spreadAggregate),
    takeAnyIf(),
    binaryAll('binary_all_and', (a, b) => a & b),
    binaryAll('binary_all_or', (a, b) => a | b),
    binaryAll('binary_all_xor', (a, b) => a ^ b),
    alias('any', 'take_any'), alias('makeset', 'make_set'), alias('makelist', 'make_list'),
    alias('argmax', 'arg_max'), alias('argmin', 'arg_min'),
  ];
}
