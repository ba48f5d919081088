/**
 * The sketch functions: tdigest / tdigest_merge (alias merge_tdigest) aggregates with the
 * percentile_tdigest, percentiles_array_tdigest, rank_tdigest and merge_tdigest scalars, and the hll /
 * hll_if / hll_merge aggregates with the dcount_hll and hll_merge scalars.
 *
 * Kusto's sketches are estimates (a T-Digest, a HyperLogLog) in an undocumented binary layout. Here
 * they are EXACT, consistent with this engine's exact dcount() and nearest-rank percentile(): a
 * tdigest keeps every distinct value with its total weight, an hll keeps every distinct value's key.
 * So dcount_hll(hll(x)) = dcount(x) and percentile_tdigest(tdigest(x), P) = percentile(x, P); results
 * can differ from Kusto's estimates on large groups, and the sketches' dynamic values are larger than
 * Kusto's and not interchangeable with sketches produced by Kusto (estimate_data_size of them differs).
 *
 * Layouts (dynamic arrays, tagged so that a wrong argument is recognised and gives null):
 *   tdigest: ["tdigest", "<value type>", [[value, weight], …]]  — values ascending, as dynamic
 *   hll:     ["hll", <accuracy>, ["<value key>", …]]
 * An aggregate over no rows gives null (summarize-operator.md, "Default values of aggregations").
 */
import type { AggregateFunction, Aggregator, ArgInfo, BindResult, ScalarFunction } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { isIntegerType, isNumericType, parseTypeName } from '../values/types.js';
import { dynamicKey, fromDynamic, isDynamicArray, toDynamic } from '../values/dynamic.js';
import { arityError, convertValue, defineScalar } from './common.js';
import type { OrderedValue, WeightedEntry } from './weighted-values.js';
import { RANKABLE_TYPES, WeightedValues, weightedPercentile, weightedRank } from './weighted-values.js';

function typeError(fn: string, index: number, expected: string, got: ScalarType): BindResult {
  return { error: `${fn}(): argument ${index + 1} must be ${expected}, got ${got}`, argIndex: index };
}

function checkArity(fn: string, args: readonly ArgInfo[], min: number, max: number): BindResult | undefined {
  return args.length < min || args.length > max ? arityError(fn, min, max, args.length) : undefined;
}

function expectDynamic(fn: string, args: readonly ArgInfo[], from: number): BindResult | undefined {
  for (let i = from; i < args.length; i++) if (args[i]!.type !== 'dynamic') return typeError(fn, i, 'dynamic', args[i]!.type);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// tdigest layout

const TDIGEST_TAG = 'tdigest';

export interface Digest {
  type: ScalarType;
  values: WeightedValues;
}

/** Numbers stay numbers; datetimes and timespans are read as bigint ticks. */
function orderedValue(value: Value, type: ScalarType): OrderedValue | null {
  if (value === null) return null;
  return type === 'datetime' || type === 'timespan' ? (value as bigint) : (value as number);
}

export function digestToDynamic(digest: Digest): DynamicValue {
  const entries = digest.values.sorted().map((e) => [toDynamic(e.value, digest.type), e.weight]);
  return [TDIGEST_TAG, digest.type, entries];
}

/** Reads a tdigest value; undefined when the value is not one. */
export function digestFromDynamic(value: DynamicValue): Digest | undefined {
  if (!isDynamicArray(value) || value.length !== 3 || value[0] !== TDIGEST_TAG) return undefined;
  const type = typeof value[1] === 'string' ? parseTypeName(value[1]) : undefined;
  if (!type || !RANKABLE_TYPES.has(type) || !isDynamicArray(value[2]!)) return undefined;
  const entries: WeightedEntry[] = [];
  for (const pair of value[2]) {
    if (!isDynamicArray(pair) || pair.length !== 2 || typeof pair[1] !== 'number') return undefined;
    const ordered = orderedValue(fromDynamic(pair[0]!, type), type);
    if (ordered === null) return undefined;
    entries.push({ value: ordered, weight: pair[1] });
  }
  return { type, values: WeightedValues.fromEntries(entries) };
}

/** Merges digests of one value type; undefined when their types differ (Kusto requires one type). */
function mergeDigests(digests: readonly Digest[]): Digest | undefined {
  const type = digests[0]!.type;
  if (digests.some((d) => d.type !== type)) return undefined;
  const values = new WeightedValues();
  for (const d of digests) values.addAll(d.values);
  return { type, values };
}

// ---------------------------------------------------------------------------------------------
// tdigest aggregates

/** tdigest(expr [, weight]): the digest of the group's values (each counted `weight` times). */
function tdigestAggregate(): AggregateFunction {
  const name = 'tdigest';
  return {
    name, minArgs: 1, maxArgs: 2, resultNamePrefix: 'tdigest',
    bind(args) {
      const err = checkArity(name, args, 1, 2);
      if (err) return err;
      if (!RANKABLE_TYPES.has(args[0]!.type)) return typeError(name, 0, 'a number, timespan or datetime', args[0]!.type);
      if (args[1] && !isIntegerType(args[1].type)) return typeError(name, 1, 'an integer weight', args[1].type);
      return { type: 'dynamic' };
    },
    create(args): Aggregator<WeightedValues> {
      const type = args[0]!.type;
      const weighted = args.length > 1;
      return {
        init: () => new WeightedValues(),
        step: (values, row) => values.add(orderedValue(row[0]!, type), weighted ? row[1]! : 1),
        merge: (a, b) => a.addAll(b),
        finish: (values) => (values.isEmpty ? null : digestToDynamic({ type: digestType(type), values })),
      };
    },
  };
}

/** The type a digest records: ints and longs rank alike, so an int column's digest reads back as long. */
function digestType(type: ScalarType): ScalarType {
  return type === 'int' ? 'long' : type;
}

/** tdigest_merge(digest) / merge_tdigest(digest): one digest of the group's digests. */
function tdigestMergeAggregate(name: 'tdigest_merge' | 'merge_tdigest'): AggregateFunction {
  return {
    name, minArgs: 1, maxArgs: 1, resultNamePrefix: 'merge_tdigests',
    bind: (args) => checkArity(name, args, 1, 1) ?? expectDynamic(name, args, 0) ?? { type: 'dynamic' },
    create(): Aggregator<{ digests: Digest[] }> {
      return {
        init: () => ({ digests: [] }),
        step: (s, row) => {
          const digest = row[0] === null ? undefined : digestFromDynamic(row[0] as DynamicValue);
          if (digest) s.digests.push(digest);
          return s;
        },
        merge: (a, b) => ({ digests: a.digests.concat(b.digests) }),
        finish: (s) => {
          const merged = s.digests.length === 0 ? undefined : mergeDigests(s.digests);
          return merged ? digestToDynamic(merged) : null;
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// tdigest scalars

function readDigest(value: Value): Digest | undefined {
  return value === null ? undefined : digestFromDynamic(value as DynamicValue);
}

/**
 * percentile_tdigest(digest, P [, typeof(T)]): the P-th percentile of the digest; of type T when
 * given (converted from the digest's type), else dynamic. Null for a value that is not a digest.
 */
function percentileTdigest(): ScalarFunction {
  const name = 'percentile_tdigest';
  return defineScalar({
    name, minArgs: 2, maxArgs: 3,
    bind(args) {
      if (args[0]!.type !== 'dynamic') return typeError(name, 0, 'dynamic', args[0]!.type);
      if (!isNumericType(args[1]!.type)) return typeError(name, 1, 'a number', args[1]!.type);
      const literal = args[2]?.typeLiteral;
      if (args[2] && !literal) return { error: `${name}(): argument 3 must be a type literal such as typeof(long)`, argIndex: 2 };
      return { type: literal ?? 'dynamic' };
    },
    prepare(args) {
      const resultType = args[2]?.typeLiteral ?? 'dynamic';
      return ([digestValue, percent]) => {
        const digest = readDigest(digestValue!);
        if (!digest || percent === null) return null;
        const result = weightedPercentile(digest.values.sorted(), percent as number);
        if (result === null) return null;
        return resultType === 'dynamic' ? toDynamic(result, digest.type) : convertValue(result, digest.type, resultType);
      };
    },
  });
}

/** percentiles_array_tdigest(digest, P1 [, P2 …]) or (digest, dynamic([P1, …])): the percentiles as an array. */
function percentilesArrayTdigest(): ScalarFunction {
  const name = 'percentiles_array_tdigest';
  return defineScalar({
    name, minArgs: 2, maxArgs: 64,
    bind(args) {
      if (args[0]!.type !== 'dynamic') return typeError(name, 0, 'dynamic', args[0]!.type);
      for (let i = 1; i < args.length; i++) {
        const ok = isNumericType(args[i]!.type) || (args.length === 2 && args[i]!.type === 'dynamic');
        if (!ok) return typeError(name, i, 'a number (or one dynamic array of numbers)', args[i]!.type);
      }
      return { type: 'dynamic' };
    },
    prepare: () => (values) => {
      const digest = readDigest(values[0]!);
      if (!digest) return null;
      const percents = values.slice(1).flatMap((p): Value[] => (Array.isArray(p) ? p : [p]));
      const sorted = digest.values.sorted();
      return percents.map((p) => {
        const result = typeof p === 'number' ? weightedPercentile(sorted, p) : null;
        return result === null ? null : toDynamic(result, digest.type);
      });
    },
  });
}

/**
 * rank_tdigest(digest, value): the rank of value — the total weight of the digest's values that are
 * ≤ value (docs example: the rank of 685 in 1..1000 is 685). Null when value's kind does not match the
 * digest's (a number against a datetime digest, …).
 */
function rankTdigest(): ScalarFunction {
  const name = 'rank_tdigest';
  return defineScalar({
    name, minArgs: 2, maxArgs: 2,
    bind(args) {
      if (args[0]!.type !== 'dynamic') return typeError(name, 0, 'dynamic', args[0]!.type);
      if (!RANKABLE_TYPES.has(args[1]!.type)) return typeError(name, 1, 'a number, timespan or datetime', args[1]!.type);
      return { type: 'real' };
    },
    prepare(args) {
      const valueType = args[1]!.type;
      return ([digestValue, value]) => {
        const digest = readDigest(digestValue!);
        if (!digest || value === null) return null;
        const comparable = isNumericType(digest.type) === isNumericType(valueType) && (isNumericType(valueType) || digest.type === valueType);
        return comparable ? weightedRank(digest.values.sorted(), orderedValue(value, valueType)!) : null;
      };
    },
  });
}

/** merge_tdigest(d1, d2 [, …]) (alias tdigest_merge): one digest of the row's digests; null if any is not one. */
function mergeTdigestScalar(name: 'merge_tdigest' | 'tdigest_merge'): ScalarFunction {
  return defineScalar({
    name, minArgs: 2, maxArgs: 16,
    bind: (args) => expectDynamic(name, args, 0) ?? { type: 'dynamic' },
    prepare: () => (values) => {
      const digests = values.map(readDigest);
      if (digests.some((d) => d === undefined)) return null;
      const merged = mergeDigests(digests as Digest[]);
      return merged ? digestToDynamic(merged) : null;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// hll

const HLL_TAG = 'hll';
const DEFAULT_ACCURACY = 1;

interface DistinctSet {
  accuracy: number;
  keys: Set<string>;
}

/** The distinct-value key: dynamic values by their canonical JSON, others by kind and value (as dcount). */
function distinctKey(value: Value, type: ScalarType): string {
  if (type === 'dynamic') return `dynamic:${dynamicKey(value as DynamicValue)}`;
  return `${typeof value}:${String(value)}`;
}

function hllToDynamic(set: DistinctSet): DynamicValue {
  return [HLL_TAG, set.accuracy, [...set.keys]];
}

function hllFromDynamic(value: Value): DistinctSet | undefined {
  if (value === null || !isDynamicArray(value as DynamicValue)) return undefined;
  const [tag, accuracy, keys] = value as DynamicValue[];
  if (tag !== HLL_TAG || typeof accuracy !== 'number' || !isDynamicArray(keys ?? null)) return undefined;
  const list = keys as DynamicValue[];
  if (list.some((k) => typeof k !== 'string')) return undefined;
  return { accuracy, keys: new Set(list as string[]) };
}

function unionInto(target: DistinctSet, other: DistinctSet): DistinctSet {
  for (const k of other.keys) target.keys.add(k);
  return target;
}

/** hll(expr [, accuracy]) and hll_if(expr, predicate [, accuracy]): the group's distinct values. */
function hllAggregate(name: 'hll' | 'hll_if'): AggregateFunction {
  const conditional = name === 'hll_if';
  const accuracyIndex = conditional ? 2 : 1;
  return {
    name, minArgs: accuracyIndex, maxArgs: accuracyIndex + 1, resultNamePrefix: name,
    bind(args) {
      const err = checkArity(name, args, accuracyIndex, accuracyIndex + 1);
      if (err) return err;
      if (conditional && args[1]!.type !== 'bool') return typeError(name, 1, 'bool', args[1]!.type);
      const accuracy = args[accuracyIndex];
      if (accuracy && !isIntegerType(accuracy.type)) return typeError(name, accuracyIndex, 'an integer accuracy level', accuracy.type);
      return { type: 'dynamic' };
    },
    create(args): Aggregator<DistinctSet> {
      const type = args[0]!.type;
      const requested = args[accuracyIndex]?.constant?.value;
      const accuracy = typeof requested === 'number' ? requested : DEFAULT_ACCURACY;
      return {
        init: () => ({ accuracy, keys: new Set<string>() }),
        step: (set, row) => {
          if (conditional && row[1] !== true) return set;
          if (row[0] !== null) set.keys.add(distinctKey(row[0]!, type));
          return set;
        },
        merge: unionInto,
        finish: (set) => (set.keys.size === 0 ? null : hllToDynamic(set)),
      };
    },
  };
}

/** hll_merge(hll): the union of the group's hll values; rows that hold no hll are skipped. */
function hllMergeAggregate(): AggregateFunction {
  const name = 'hll_merge';
  return {
    name, minArgs: 1, maxArgs: 1, resultNamePrefix: name,
    bind: (args) => checkArity(name, args, 1, 1) ?? expectDynamic(name, args, 0) ?? { type: 'dynamic' },
    create(): Aggregator<DistinctSet | undefined> {
      return {
        init: () => undefined,
        step: (acc, row) => {
          const set = hllFromDynamic(row[0]!);
          return !set ? acc : acc ? unionInto(acc, set) : set;
        },
        merge: (a, b) => (!a ? b : !b ? a : unionInto(a, b)),
        finish: (acc) => (acc ? hllToDynamic(acc) : null),
      };
    },
  };
}

/** hll_merge(h1, h2 [, …]): the union of the row's hll values; null if any is not one. */
function hllMergeScalar(): ScalarFunction {
  const name = 'hll_merge';
  return defineScalar({
    name, minArgs: 2, maxArgs: 16,
    bind: (args) => expectDynamic(name, args, 0) ?? { type: 'dynamic' },
    prepare: () => (values) => {
      const sets = values.map(hllFromDynamic);
      if (sets.some((s) => s === undefined)) return null;
      const [first, ...rest] = sets as DistinctSet[];
      const merged: DistinctSet = { accuracy: first!.accuracy, keys: new Set(first!.keys) };
      return hllToDynamic(rest.reduce(unionInto, merged));
    },
  });
}

/** dcount_hll(hll): the number of distinct values the hll holds; null for a value that is not one. */
function dcountHll(): ScalarFunction {
  const name = 'dcount_hll';
  return defineScalar({
    name, minArgs: 1, maxArgs: 1,
    bind: (args) => expectDynamic(name, args, 0) ?? { type: 'long' },
    prepare: () => ([value]) => hllFromDynamic(value!)?.keys.size ?? null,
  });
}

/**
 * The number of distinct values all the hll arguments hold (their intersection); null if one is not an
 * hll. Not a registered function: `evaluate dcount_intersect(h1, h2, …)` gives s0 … sN-1 as this over
 * h1 … h(i+1) (the plugin's definition). Kusto estimates the intersection from its sketches; these
 * sketches are exact (see the module note), so the count is too.
 */
export const DCOUNT_INTERSECTION: ScalarFunction = defineScalar({
  name: 'dcount_intersect',
  minArgs: 1,
  maxArgs: 16,
  bind: (args) => expectDynamic('dcount_intersect', args, 0) ?? { type: 'long' },
  prepare: () => (values) => {
    const sets = values.map(hllFromDynamic);
    if (sets.some((s) => s === undefined)) return null;
    const [first, ...rest] = sets as DistinctSet[];
    return [...first!.keys].filter((k) => rest.every((set) => set.keys.has(k))).length;
  },
});

export function sketchAggregates(): AggregateFunction[] {
  return [
    tdigestAggregate(), tdigestMergeAggregate('tdigest_merge'), tdigestMergeAggregate('merge_tdigest'),
    hllAggregate('hll'), hllAggregate('hll_if'), hllMergeAggregate(),
  ];
}

export function sketchScalars(): ScalarFunction[] {
  return [
    percentileTdigest(), percentilesArrayTdigest(), rankTdigest(),
    mergeTdigestScalar('merge_tdigest'), mergeTdigestScalar('tdigest_merge'),
    hllMergeScalar(), dcountHll(),
  ];
}
