/**
 * Aggregate functions. Names, result types and column-name prefixes were checked against
 * Kusto.Language (`T | summarize count(), dcount(s), take_any(s), make_set(s), arg_max(d, *)` →
 * `count_:long, dcount_s:long, s:string, set_s:dynamic, d:datetime, …`).
 *
 * Nulls are ignored by every aggregate except count(). Defaults for groups with no usable value
 * (summarize-operator.md, "Default values of aggregations"): count, countif, dcount, dcountif,
 * count_distinct, sum, sumif, variance(if), stdev(if) → 0; make_set/make_list/make_bag → []; others → null
 * (so avg of nothing is null; a sum of datetimes, meaningless as 0, stays null).
 * dcount is EXACT here (a Set of distinct values); Kusto's dcount is a HyperLogLog estimate, so
 * Kusto may differ slightly on large cardinalities.
 * make_set/make_list add the elements of a dynamic array argument (one level), as the make_set docs
 * example shows (`make_set(Arr1)` over arrays gives the union of elements); order is first occurrence.
 * min/max over strings ignore empty strings, Kusto's stand-in for a null string [UNCERTAIN].
 */
import type { AggregateFunction, Aggregator, ArgInfo, BindResult } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { isNumericType } from '../values/types.js';
import { dynamicKey, toDynamic } from '../values/dynamic.js';
import { floorDiv, isValidDatetime } from '../values/datetime.js';
import { arityError, constantValue } from './common.js';
import { comparisonPlan } from './comparison.js';

/** Default and maximal size of make_set/make_list results (docs: 1048576). */
export const MAX_COLLECTION_SIZE = 1_048_576;

function typeError(fn: string, index: number, expected: string, got: ScalarType): BindResult {
  return { error: `${fn}(): argument ${index + 1} must be ${expected}, got ${got}`, argIndex: index };
}

function checkArity(fn: string, args: ArgInfo[], min: number, max: number): BindResult | undefined {
  return args.length < min || args.length > max ? arityError(fn, min, max, args.length) : undefined;
}

function checkPredicate(fn: string, args: ArgInfo[], index: number): BindResult | undefined {
  return args[index] && args[index]!.type !== 'bool' ? typeError(fn, index, 'bool', args[index]!.type) : undefined;
}

// ---------------------------------------------------------------------------------------------
// count, countif

function countAggregate(name: 'count' | 'countif'): AggregateFunction {
  const conditional = name === 'countif';
  return {
    name,
    minArgs: conditional ? 1 : 0,
    maxArgs: conditional ? 1 : 0,
    resultNamePrefix: name,
    bind(args) {
      return checkArity(name, args, conditional ? 1 : 0, conditional ? 1 : 0) ?? checkPredicate(name, args, 0) ?? { type: 'long' };
    },
    create(): Aggregator<number> {
      return {
        init: () => 0,
        step: (n, args) => (conditional && args[0] !== true ? n : n + 1),
        merge: (a, b) => a + b,
        finish: (n) => n,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// dcount, dcountif

function distinctKey(value: Value, type: ScalarType): string {
  if (type === 'dynamic') return dynamicKey(value as DynamicValue);
  return `${typeof value}:${String(value)}`;
}

function dcountAggregate(name: 'dcount' | 'dcountif'): AggregateFunction {
  const conditional = name === 'dcountif';
  const [min, max] = conditional ? [2, 3] : [1, 2];
  return {
    name,
    minArgs: min,
    maxArgs: max,
    resultNamePrefix: name,
    // Measured with V8 (heap per group of a summarize): a Set and its first entries.
    stateBytes: 160,
    bind(args) {
      const accuracyIndex = conditional ? 2 : 1;
      const accuracy = args[accuracyIndex];
      if (accuracy && accuracy.type !== 'int' && accuracy.type !== 'long') return typeError(name, accuracyIndex, 'an integer accuracy level', accuracy.type);
      return checkArity(name, args, min, max) ?? (conditional ? checkPredicate(name, args, 1) : undefined) ?? { type: 'long' };
    },
    create(args): Aggregator<Set<unknown>> {
      const type = args[0]!.type;
      // Within one scalar type, Set equality (SameValueZero) is the same as comparing distinctKey
      // texts (-0 and 0, and all NaNs, are one value either way), so only dynamics need a key.
      const key = type === 'dynamic' ? (v: Value) => distinctKey(v, type) : (v: Value) => v;
      return {
        init: () => new Set<unknown>(),
        step: (set, values) => {
          if (conditional && values[1] !== true) return set;
          if (values[0] !== null) set.add(key(values[0]!));
          return set;
        },
        merge: (a, b) => {
          for (const k of b) a.add(k);
          return a;
        },
        finish: (set) => set.size,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// sum, sumif, avg, avgif

interface SumState {
  /** Sum of numbers (number) or of ticks (bigint); null until a value is seen. */
  total: number | bigint | null;
  count: number;
}

/** sum/avg result types; Kusto.Language also sums and averages datetimes (as ticks). */
function sumResultType(t: ScalarType): ScalarType | undefined {
  if (t === 'int') return 'long';
  if (isNumericType(t) || t === 'timespan' || t === 'datetime') return t;
  return undefined;
}

function addToSum(state: SumState, v: Value): SumState {
  if (v === null) return state;
  if (typeof v === 'bigint') state.total = ((state.total as bigint | null) ?? 0n) + v;
  else state.total = ((state.total as number | null) ?? 0) + (v as number);
  state.count++;
  return state;
}

function mergeSums(a: SumState, b: SumState): SumState {
  if (b.total === null) return a;
  if (a.total === null) return b;
  a.total = typeof a.total === 'bigint' ? a.total + (b.total as bigint) : a.total + (b.total as number);
  a.count += b.count;
  return a;
}

function sumAggregate(name: 'sum' | 'sumif' | 'avg' | 'avgif'): AggregateFunction {
  const conditional = name.endsWith('if');
  const average = name.startsWith('avg');
  const arity = conditional ? 2 : 1;
  return {
    name,
    minArgs: arity,
    maxArgs: arity,
    resultNamePrefix: name,
    bind(args) {
      const err = checkArity(name, args, arity, arity) ?? (conditional ? checkPredicate(name, args, 1) : undefined);
      if (err) return err;
      const sumType = sumResultType(args[0]!.type);
      if (!sumType) return typeError(name, 0, 'a number, timespan or datetime', args[0]!.type);
      return { type: average && isNumericType(sumType) && sumType !== 'decimal' ? 'real' : sumType };
    },
    create(args): Aggregator<SumState> {
      const type = args[0]!.type;
      const isDatetime = type === 'datetime';
      return {
        init: () => ({ total: null, count: 0 }),
        step: (s, values) => (conditional && values[1] !== true ? s : addToSum(s, values[0]!)),
        merge: mergeSums,
        finish: (s) => {
          if (s.total === null) return average || isDatetime ? null : type === 'timespan' ? 0n : 0;
          if (typeof s.total === 'number') return average ? s.total / s.count : s.total;
          const ticks = average ? floorDiv(s.total, BigInt(s.count)) : s.total;
          return isDatetime && !isValidDatetime(ticks) ? null : ticks;
        },
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// min, max, minif, maxif, arg_min, arg_max

const ORDERABLE = new Set<ScalarType>(['int', 'long', 'real', 'decimal', 'datetime', 'timespan', 'string', 'bool']);

/** Orders two non-null values of one type (strings ordinal). */
function orderOf(type: ScalarType): (a: Value, b: Value) => number {
  if (type === 'string') return (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
  const plan = comparisonPlan(type, type, false)!;
  return (a, b) => plan.order(a, b);
}

function counts(v: Value, type: ScalarType): boolean {
  if (v === null) return false;
  if (type === 'string' && v === '') return false;
  return !(typeof v === 'number' && Number.isNaN(v));
}

function extremeAggregate(name: 'min' | 'max' | 'minif' | 'maxif'): AggregateFunction {
  const conditional = name.endsWith('if');
  const wantMax = name.startsWith('max');
  const arity = conditional ? 2 : 1;
  return {
    name,
    minArgs: arity,
    maxArgs: arity,
    resultNamePrefix: name,
    bind(args) {
      const err = checkArity(name, args, arity, arity) ?? (conditional ? checkPredicate(name, args, 1) : undefined);
      if (err) return err;
      const t = args[0]!.type;
      return ORDERABLE.has(t) ? { type: t } : typeError(name, 0, 'orderable (a number, timespan, datetime, string or bool)', t);
    },
    create(args): Aggregator<{ best: Value }> {
      const type = args[0]!.type;
      const order = orderOf(type);
      const better = (candidate: Value, best: Value) => best === null || (wantMax ? order(candidate, best) > 0 : order(candidate, best) < 0);
      return {
        init: () => ({ best: null }),
        step: (s, values) => {
          if (conditional && values[1] !== true) return s;
          const v = values[0]!;
          if (counts(v, type) && better(v, s.best)) s.best = v;
          return s;
        },
        merge: (a, b) => (b.best !== null && better(b.best, a.best) ? b : a),
        finish: (s) => (s.best === null && type === 'string' ? '' : s.best),
      };
    },
  };
}

/** A row kept by arg_max/arg_min/take_any: its values for every argument. */
interface KeptRow {
  values: Value[] | null;
}

function emptyOutputs(args: ArgInfo[]): Value[] {
  return args.map((a) => (a.type === 'string' ? '' : null));
}

/**
 * arg_max(maximize, ret1, …) / arg_min: the row where the first expression is largest (smallest);
 * nulls in that expression are ignored; ties keep the first row seen. When no row has a value, the
 * first row of the group is returned (arg_max docs example: Banana, whose versions are all null,
 * gives Version null and Color "Yellow", its first row). Outputs one value per argument.
 * (`*` is expanded by the binder into the input columns.)
 */
function argExtremeAggregate(name: 'arg_max' | 'arg_min'): AggregateFunction {
  const wantMax = name === 'arg_max';
  return {
    name,
    minArgs: 1,
    maxArgs: Infinity,
    resultNamePrefix: wantMax ? 'max' : 'min',
    multiOutput: true,
    outputNaming: 'arguments',
    bind(args) {
      if (args.length < 1) return arityError(name, 1, Infinity, args.length);
      const t = args[0]!.type;
      if (!ORDERABLE.has(t)) return typeError(name, 0, 'orderable (a number, timespan, datetime, string or bool)', t);
      return { types: args.map((a) => a.type) };
    },
    create(args): Aggregator<KeptRow & { fallback: Value[] | null }> {
      const type = args[0]!.type;
      const order = orderOf(type);
      const better = (candidate: Value, kept: KeptRow) =>
        kept.values === null || (wantMax ? order(candidate, kept.values[0]!) > 0 : order(candidate, kept.values[0]!) < 0);
      return {
        init: () => ({ values: null, fallback: null }),
        step: (s, values) => {
          const v = values[0]!;
          if (counts(v, type) && better(v, s)) s.values = values.slice();
          else if (s.fallback === null) s.fallback = values.slice();
          return s;
        },
        merge: (a, b) => {
          const winner = b.values !== null && better(b.values[0]!, a) ? b : a;
          return { values: winner.values, fallback: a.fallback ?? b.fallback };
        },
        finish: (s) => s.values ?? s.fallback ?? emptyOutputs(args),
      };
    },
  };
}

/**
 * take_any(e1, e2, …): the values of one arbitrary row of the group; this implementation keeps the
 * first row whose first value is present (not null, not empty), falling back to the first row.
 */
function takeAnyAggregate(): AggregateFunction {
  return {
    name: 'take_any',
    minArgs: 1,
    maxArgs: Infinity,
    resultNamePrefix: 'any',
    multiOutput: true,
    outputNaming: 'arguments',
    bind(args) {
      if (args.length < 1) return arityError('take_any', 1, Infinity, args.length);
      return { types: args.map((a) => a.type) };
    },
    create(args): Aggregator<{ row: Value[] | null; settled: boolean }> {
      return {
        init: () => ({ row: null, settled: false }),
        step: (s, values) => {
          if (s.settled) return s;
          const usable = values[0] !== null && values[0] !== '';
          if (usable) return { row: values.slice(), settled: true };
          if (s.row === null) s.row = values.slice();
          return s;
        },
        merge: (a, b) => (a.settled || !b.row ? a : b.settled || !a.row ? b : a),
        finish: (s) => s.row ?? emptyOutputs(args),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// make_set, make_list and their _if forms

interface CollectionState {
  items: DynamicValue[];
  /** make_set: the items seen (see `addIfUnseen`), from the second item on; null for make_list. */
  seen: SeenItems | null;
}

/** Strings by themselves, any other item by its canonical JSON (dynamicKey; the set is made on first use). */
interface SeenItems {
  strings: Set<string>;
  others?: Set<string>;
}

/**
 * Records an item as seen; false when it was already. Equal to comparing dynamicKey texts, without
 * building one per string: non-finite numbers print as strings in JSON (`"NaN"`), so they count
 * as the string they print as, as they do when keys are compared.
 */
function addIfUnseen(seen: SeenItems, item: DynamicValue): boolean {
  if (typeof item === 'string') return addKey(seen.strings, item);
  if (typeof item === 'number' && !Number.isFinite(item)) return addKey(seen.strings, String(item));
  return addKey((seen.others ??= new Set<string>()), dynamicKey(item));
}

function addKey(set: Set<string>, key: string): boolean {
  if (set.has(key)) return false;
  set.add(key);
  return true;
}

function collectionAggregate(name: 'make_set' | 'make_list' | 'make_set_if' | 'make_list_if'): AggregateFunction {
  const distinct = name.startsWith('make_set');
  const conditional = name.endsWith('_if');
  const maxSizeIndex = conditional ? 2 : 1;
  return {
    name,
    minArgs: maxSizeIndex,
    maxArgs: maxSizeIndex + 1,
    resultNamePrefix: distinct ? 'set' : 'list',
    // The state and its one-item list (V8 heap per group of a summarize; a second item adds the seen-set).
    stateBytes: 96,
    bind(args) {
      const err = checkArity(name, args, maxSizeIndex, maxSizeIndex + 1) ?? (conditional ? checkPredicate(name, args, 1) : undefined);
      if (err) return err;
      const size = args[maxSizeIndex];
      if (size && size.type !== 'int' && size.type !== 'long') return typeError(name, maxSizeIndex, 'an integer maximum size', size.type);
      return { type: 'dynamic' };
    },
    create(args): Aggregator<CollectionState> {
      const type = args[0]!.type;
      const requested = constantValue(args[maxSizeIndex]);
      const limit = typeof requested === 'number' && requested > 0 ? Math.min(requested, MAX_COLLECTION_SIZE) : MAX_COLLECTION_SIZE;
      const shared = new SharedStrings();
      const add = (s: CollectionState, item: DynamicValue) => {
        if (s.items.length >= limit) return;
        if (typeof item === 'string') item = shared.of(item);
        if (distinct && s.items.length > 0) {
          // The seen-set is made when a second item arrives: most groups of a wide summarize hold one.
          if (!s.seen) {
            s.seen = { strings: new Set<string>() };
            for (const earlier of s.items) addIfUnseen(s.seen, earlier);
          }
          if (!addIfUnseen(s.seen, item)) return;
        }
        // A one-item list is made exactly that size: an empty array that is pushed to reserves room
        // for 17, and most groups of a wide summarize keep one item.
        if (s.items.length === 0) s.items = [item];
        else s.items.push(item);
      };
      return {
        init: () => ({ items: NO_ITEMS, seen: null }),
        step: (s, values) => {
          if (conditional && values[1] !== true) return s;
          const v = values[0]!;
          if (v === null) return s;
          const d = toDynamic(v, type);
          if (Array.isArray(d)) for (const item of d) add(s, item);
          else add(s, d);
          return s;
        },
        merge: (a, b) => {
          for (const item of b.items) add(a, item);
          return a;
        },
        finish: (s) => (s.items === NO_ITEMS ? [] : s.items),
      };
    },
  };
}

/**
 * One string object per distinct short text kept by a collection aggregate: `make_set(tolower(…))`
 * makes a new string per row, and a summarize with millions of groups would keep a copy of "zip" in
 * each. Bounded: past MAX_SHARED texts, new ones are kept as they are.
 */
class SharedStrings {
  private static readonly MAX_LENGTH = 16;
  private static readonly MAX_SHARED = 4096;
  private readonly texts = new Map<string, string>();

  of(text: string): string {
    if (text.length > SharedStrings.MAX_LENGTH) return text;
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    if (this.texts.size < SharedStrings.MAX_SHARED) this.texts.set(text, text);
    return text;
  }
}

/** The items of a collection that has none yet: shared, never written to (the first add replaces it). */
const NO_ITEMS: DynamicValue[] = [];

export function aggregateFunctions(): AggregateFunction[] {
  return [
    countAggregate('count'),
    countAggregate('countif'),
    dcountAggregate('dcount'),
    dcountAggregate('dcountif'),
    sumAggregate('sum'),
    sumAggregate('sumif'),
    sumAggregate('avg'),
    sumAggregate('avgif'),
    extremeAggregate('min'),
    extremeAggregate('max'),
    extremeAggregate('minif'),
    extremeAggregate('maxif'),
    argExtremeAggregate('arg_max'),
    argExtremeAggregate('arg_min'),
    takeAnyAggregate(),
    collectionAggregate('make_set'),
    collectionAggregate('make_list'),
    collectionAggregate('make_set_if'),
    collectionAggregate('make_list_if'),
  ];
}
