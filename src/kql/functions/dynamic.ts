/**
 * Dynamic (array and property-bag) functions. An argument that must be an array (or a bag) but is
 * not gives null, as the Kusto docs state for each function. Elements compare with dynamic equality
 * (set_* functions, array_index_of); a typed scalar argument is first stored as a dynamic value.
 */
import type { ScalarFunction } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import {
  compareDynamic, dynamicEquals, dynamicKey, dynamicToJson, isDynamicBag, parseDynamic, toDynamic,
} from '../values/dynamic.js';
import { TICKS_PER_HOUR, formatDatetimeRoundTrip, formatTimespan } from '../values/datetime.js';
import {
  ANY, DYNAMIC, INTEGER, STRING, STRING_OR_DYNAMIC, checkArgs, constantValue, convertValue, defineScalar,
  simpleScalar, textOf,
} from './common.js';
import { MAX_COLLECTION_SIZE } from './aggregates.js';

type Bag = { [key: string]: DynamicValue };

const asArray = (v: Value): DynamicValue[] | null => (Array.isArray(v) ? v : null);

// ---------------------------------------------------------------------------------------------
// Arrays

/** Resolves a possibly negative index against a length (negative counts from the end). */
function resolveIndex(i: number, length: number): number {
  return i < 0 ? length + i : i;
}

/** array_slice(arr, start, end): inclusive end, negative indexes from the end, clipped; empty when start > end. */
export function arraySlice(arr: DynamicValue[], start: number, end: number): DynamicValue[] {
  const from = Math.max(0, resolveIndex(start, arr.length));
  const to = Math.min(arr.length - 1, resolveIndex(end, arr.length));
  return from > to ? [] : arr.slice(from, to + 1);
}

/** array_index_of(arr, value [, start [, length [, occurrence]]]) as the docs examples define. */
function arrayIndexOf(): ScalarFunction {
  return simpleScalar({
    name: 'array_index_of',
    params: [DYNAMIC, ANY, INTEGER, INTEGER, INTEGER],
    optional: 3,
    result: 'long',
    nullPropagating: false,
    kernel: (args) => ([arr, value, start, length, occurrence]) => {
      if (!Array.isArray(arr) || start === null || length === null || occurrence === null) return null;
      let from = start === undefined ? 0 : (start as number);
      if (from < 0) from = Math.max(0, arr.length + from);
      const count = length === undefined ? -1 : (length as number);
      const nth = occurrence === undefined ? 1 : (occurrence as number);
      if (count < -1 || nth < 1) return null;
      const to = count === -1 ? arr.length : Math.min(arr.length, from + count);
      const needle = toDynamic(value!, args[1]!.type);
      let seen = 0;
      for (let i = from; i < to; i++) if (dynamicEquals(arr[i]!, needle) && ++seen === nth) return i;
      return -1;
    },
  });
}

/** Orders dynamic scalars: nulls by the caller; numbers < strings < bools < others, then by value. */
function elementOrder(a: DynamicValue, b: DynamicValue): number {
  const rank = (v: DynamicValue) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'boolean' ? 2 : 3);
  const [ra, rb] = [rank(a), rank(b)];
  if (ra !== rb) return ra - rb;
  return compareDynamic(a, b) ?? dynamicKey(a).localeCompare(dynamicKey(b));
}

/**
 * array_sort_asc / array_sort_desc (arr1 [, arr2 …] [, nulls_last]): arr1 sorted, later arrays
 * reordered the same way; arrays of different lengths give null. With one array the result is the
 * sorted array; with several, an array of the sorted arrays [binder support needed to spread them
 * into `<name>_sorted` columns as Kusto does].
 */
function arraySort(name: string, descending: boolean): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 1,
    maxArgs: 64,
    bind(args) {
      const last = args[args.length - 1]!;
      const arrays = last.type === 'bool' ? args.slice(0, -1) : args;
      if (arrays.length === 0) return { error: `${name}(): expects at least one array`, argIndex: 0 };
      return checkArgs(name, arrays, [], DYNAMIC) ?? { type: 'dynamic' };
    },
    prepare(args) {
      const hasFlag = args[args.length - 1]!.type === 'bool';
      return (values) => {
        const nullsLast = hasFlag ? values[values.length - 1] !== false : true;
        const arrays = (hasFlag ? values.slice(0, -1) : values).map(asArray);
        if (arrays.some((a) => a === null) || arrays.some((a) => a!.length !== arrays[0]!.length)) return null;
        const keys = arrays[0]!;
        const order = keys.map((_, i) => i).sort((i, j) => {
          const [a, b] = [keys[i]!, keys[j]!];
          if (a === null || b === null) return a === b ? 0 : (a === null) === nullsLast ? 1 : -1;
          return descending ? elementOrder(b, a) : elementOrder(a, b);
        });
        const sorted = arrays.map((arr) => order.map((i) => arr![i]!));
        return sorted.length === 1 ? sorted[0]! : sorted;
      };
    },
  });
}

function rotate(arr: DynamicValue[], left: number): DynamicValue[] {
  if (arr.length === 0) return arr;
  const k = ((left % arr.length) + arr.length) % arr.length;
  return [...arr.slice(k), ...arr.slice(0, k)];
}

function shift(arr: DynamicValue[], left: number, fill: DynamicValue): DynamicValue[] {
  const n = arr.length;
  return arr.map((_, i) => {
    const from = i + left;
    return from >= 0 && from < n ? arr[from]! : fill;
  });
}

function arrayFunctions(): ScalarFunction[] {
  const rotation = (name: string, sign: number) => simpleScalar({
    name, params: [DYNAMIC, INTEGER], result: 'dynamic',
    kernel: () => ([arr, n]) => (Array.isArray(arr) ? rotate(arr, sign * (n as number)) : null),
  });
  const shifting = (name: string, sign: number) => simpleScalar({
    name, params: [DYNAMIC, INTEGER, ANY], optional: 1, result: 'dynamic', nullPropagating: false,
    kernel: (args) => ([arr, n, fill]) => (Array.isArray(arr) && n !== null
      ? shift(arr, sign * (n as number), fill === undefined ? null : toDynamic(fill, args[2]!.type)) : null),
  });
  return [
    simpleScalar({
      name: 'array_concat', params: [DYNAMIC], rest: DYNAMIC, maxArgs: 64, result: 'dynamic', nullPropagating: false,
      kernel: () => (values) => (values.every(Array.isArray) ? (values as DynamicValue[][]).flat(1) : null),
    }),
    simpleScalar({
      name: 'array_slice', params: [DYNAMIC, INTEGER, INTEGER], result: 'dynamic',
      kernel: () => ([arr, start, end]) => (Array.isArray(arr) ? arraySlice(arr, start as number, end as number) : null),
    }),
    arrayIndexOf(),
    arraySort('array_sort_asc', false),
    arraySort('array_sort_desc', true),
    simpleScalar({
      name: 'array_reverse', params: [DYNAMIC], result: 'dynamic',
      kernel: () => ([arr]) => (Array.isArray(arr) ? [...arr].reverse() : null),
    }),
    rotation('array_rotate_left', 1),
    rotation('array_rotate_right', -1),
    shifting('array_shift_left', 1),
    shifting('array_shift_right', -1),
    simpleScalar({
      name: 'array_split', params: [DYNAMIC, { types: ['int', 'long', 'dynamic'], description: 'an index or an array of indexes' }], result: 'dynamic',
      kernel: () => ([arr, at]) => {
        if (!Array.isArray(arr)) return null;
        const cuts = (Array.isArray(at) ? at : [at as DynamicValue]).map((c) => resolveIndex(Number(c), arr.length));
        const bounds = [0, ...cuts.map((c) => Math.min(Math.max(c, 0), arr.length)), arr.length];
        return bounds.slice(1).map((end, i) => arr.slice(bounds[i]!, Math.max(end, bounds[i]!)));
      },
    }),
    simpleScalar({
      name: 'array_sum', params: [DYNAMIC], result: 'real',
      kernel: () => ([arr]) => (Array.isArray(arr) && arr.every((x) => typeof x === 'number')
        ? (arr as number[]).reduce((a, b) => a + b, 0) : null),
    }),
    simpleScalar({
      name: 'array_iff', params: [DYNAMIC, ANY, ANY], result: 'dynamic', nullPropagating: false,
      kernel: (args) => ([cond, yes, no]) => {
        if (!Array.isArray(cond)) return null;
        const pick = (v: Value, type: ScalarType, i: number): DynamicValue =>
          (type === 'dynamic' && Array.isArray(v) ? (v[i] ?? null) : type === 'dynamic' ? null : toDynamic(v, type));
        return cond.map((c, i) => (c === true || (typeof c === 'number' && c !== 0) ? pick(yes!, args[1]!.type, i)
          : c === null ? null : pick(no!, args[2]!.type, i)));
      },
    }),
    simpleScalar({
      name: 'zip', params: [DYNAMIC, DYNAMIC], rest: DYNAMIC, maxArgs: 16, result: 'dynamic', nullPropagating: false,
      kernel: () => (values) => {
        if (!values.every(Array.isArray)) return null;
        const arrays = values as DynamicValue[][];
        const length = Math.max(...arrays.map((a) => a.length));
        return Array.from({ length }, (_, i) => arrays.map((a) => a[i] ?? null));
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Sets

function distinct(items: DynamicValue[]): DynamicValue[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = dynamicKey(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function setFunction(name: string, combine: (first: DynamicValue[], rest: DynamicValue[][]) => DynamicValue[]): ScalarFunction {
  return simpleScalar({
    name, params: [DYNAMIC, DYNAMIC], rest: DYNAMIC, maxArgs: 64, result: 'dynamic', nullPropagating: false,
    kernel: () => (values) => {
      if (!values.every(Array.isArray)) return null;
      const [first, ...rest] = values as DynamicValue[][];
      return combine(first!, rest);
    },
  });
}

const keysOf = (arrays: DynamicValue[][]) => arrays.map((a) => new Set(a.map(dynamicKey)));

function setFunctions(): ScalarFunction[] {
  return [
    simpleScalar({
      name: 'set_has_element', params: [DYNAMIC, ANY], result: 'bool', nullPropagating: false,
      kernel: (args) => ([set, value]) => {
        if (!Array.isArray(set)) return null;
        const needle = toDynamic(value!, args[1]!.type);
        return set.some((e) => dynamicEquals(e, needle));
      },
    }),
    setFunction('set_union', (first, rest) => distinct([first, ...rest].flat(1))),
    setFunction('set_intersect', (first, rest) => {
      const others = keysOf(rest);
      return distinct(first).filter((e) => others.every((s) => s.has(dynamicKey(e))));
    }),
    setFunction('set_difference', (first, rest) => {
      const others = keysOf(rest);
      return distinct(first).filter((e) => !others.some((s) => s.has(dynamicKey(e))));
    }),
    simpleScalar({
      // Kusto.Language types the result as dynamic (holding a real).
      name: 'jaccard_index', params: [DYNAMIC, DYNAMIC], result: 'dynamic',
      kernel: () => ([a, b]) => {
        if (!Array.isArray(a) || !Array.isArray(b)) return null;
        const [x, y] = keysOf([a, b]);
        const union = new Set([...x!, ...y!]);
        if (union.size === 0) return NaN;
        return [...x!].filter((k) => y!.has(k)).length / union.size;
      },
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// Property bags

/** A key argument: `a.b` paths written `$.a.b` / `$['a']` (bag_has_key docs), else the literal key. */
export function keyPath(key: string): string[] {
  if (!key.startsWith('$')) return [key];
  const path = jsonPath(key);
  return path === null ? [key] : path.map(String);
}

function readPath(value: DynamicValue, path: (string | number)[]): DynamicValue | undefined {
  let current: DynamicValue | undefined = value;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      const items: DynamicValue[] = current;
      const i: number = step < 0 ? items.length + step : step;
      current = i >= 0 && i < items.length ? items[i] : undefined;
    } else {
      if (!isDynamicBag(current ?? null)) return undefined;
      const bag = current as Bag;
      current = Object.prototype.hasOwnProperty.call(bag, step) ? bag[step] : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

function withoutPath(bag: Bag, path: string[]): Bag {
  const [head, ...rest] = path;
  if (head === undefined || !Object.prototype.hasOwnProperty.call(bag, head)) return bag;
  const copy = { ...bag };
  if (rest.length === 0) delete copy[head];
  else if (isDynamicBag(copy[head]!)) copy[head] = withoutPath(copy[head] as Bag, rest);
  return copy;
}

function withPath(bag: Bag, path: string[], value: DynamicValue): Bag {
  const [head, ...rest] = path;
  if (head === undefined) return bag;
  const child = bag[head];
  return { ...bag, [head]: rest.length === 0 ? value : withPath(isDynamicBag(child ?? null) ? (child as Bag) : {}, rest, value) };
}

function bagPack(name: string): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 0,
    maxArgs: 1000,
    bind(args) {
      if (args.length % 2 !== 0) return { error: `${name}(): expects key/value pairs (an even number of arguments), got ${args.length}` };
      for (let i = 0; i < args.length; i += 2) {
        if (args[i]!.type !== 'string' && args[i]!.type !== 'dynamic') return { error: `${name}(): argument ${i + 1} (a key) must be string, got ${args[i]!.type}`, argIndex: i };
      }
      return { type: 'dynamic' };
    },
    prepare(args) {
      return (values) => {
        const bag: Bag = {};
        for (let i = 0; i < values.length; i += 2) bag[textOf(values[i]!, args[i]!.type)] = toDynamic(values[i + 1]!, args[i + 1]!.type);
        return bag;
      };
    },
  });
}

/** bag_pack_columns(c1, c2, …): a bag keyed by the argument columns' names (needs ArgInfo.columnName from the binder). */
function bagPackColumns(): ScalarFunction {
  return defineScalar({
    name: 'bag_pack_columns',
    minArgs: 1,
    maxArgs: 1000,
    bind(args) {
      const i = args.findIndex((a) => a.columnName === undefined);
      return i === -1 ? { type: 'dynamic' } : { error: `bag_pack_columns(): argument ${i + 1} must be a column`, argIndex: i };
    },
    prepare(args) {
      return (values) => {
        const bag: Bag = {};
        values.forEach((v, i) => (bag[args[i]!.columnName!] = toDynamic(v, args[i]!.type)));
        return bag;
      };
    },
  });
}

/**
 * pack_all(ignore_null_empty, c1, c2, …): the binder passes the flag and every column of the row (see
 * Binder.bindPackAll); with the flag, null and empty-string values are left out.
 */
function packAll(): ScalarFunction {
  return defineScalar({
    name: 'pack_all',
    minArgs: 1,
    maxArgs: 100000,
    bind(args) {
      if (args[0]!.type !== 'bool') return { error: `pack_all(): ignore_null_empty must be bool, got ${args[0]!.type}`, argIndex: 0 };
      const i = args.findIndex((a, k) => k > 0 && a.columnName === undefined);
      return i === -1 ? { type: 'dynamic' } : { error: `pack_all(): argument ${i + 1} must be a column`, argIndex: i };
    },
    prepare(args) {
      return ([ignore, ...values]) => {
        const bag: Bag = {};
        values.forEach((v, i) => {
          if (ignore === true && (v === null || v === '')) return;
          bag[args[i + 1]!.columnName!] = toDynamic(v!, args[i + 1]!.type);
        });
        return bag;
      };
    },
  });
}

function bagFunctions(): ScalarFunction[] {
  return [
    bagPack('bag_pack'), bagPack('pack'), bagPack('pack_dictionary'), bagPackColumns(), packAll(),
    simpleScalar({
      name: 'bag_keys', params: [DYNAMIC], result: 'dynamic',
      kernel: () => ([bag]) => (isDynamicBag(bag as DynamicValue) ? Object.keys(bag as Bag) : null),
    }),
    simpleScalar({
      name: 'bag_merge', params: [DYNAMIC, DYNAMIC], rest: DYNAMIC, maxArgs: 64, result: 'dynamic', nullPropagating: false,
      kernel: () => (values) => {
        const out: Bag = {};
        for (const v of values) {
          if (!isDynamicBag(v as DynamicValue)) continue;
          for (const [k, x] of Object.entries(v as Bag)) if (!(k in out)) out[k] = x; // the first bag wins
        }
        return out;
      },
    }),
    simpleScalar({
      name: 'bag_has_key', params: [DYNAMIC, STRING], result: 'bool',
      kernel: () => ([bag, key]) => (isDynamicBag(bag as DynamicValue) ? readPath(bag as Bag, keyPath(key as string)) !== undefined : null),
    }),
    simpleScalar({
      name: 'bag_remove_keys', params: [DYNAMIC, DYNAMIC], result: 'dynamic',
      kernel: () => ([bag, keys]) => {
        if (!isDynamicBag(bag as DynamicValue) || !Array.isArray(keys)) return null;
        return keys.reduce<Bag>((b, k) => (typeof k === 'string' ? withoutPath(b, keyPath(k)) : b), bag as Bag);
      },
    }),
    simpleScalar({
      name: 'bag_set_key', params: [DYNAMIC, STRING, ANY], result: 'dynamic', nullPropagating: false,
      kernel: (args) => ([bag, key, value]) => (isDynamicBag(bag as DynamicValue) && typeof key === 'string'
        ? withPath(bag as Bag, keyPath(key), toDynamic(value!, args[2]!.type)) : null),
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// JSON path, text formats, type names

/** Parses a JSONPath of `$`, `.name`, `['name']`, `["name"]`, `[n]` steps; null when malformed. */
export function jsonPath(path: string): (string | number)[] | null {
  const t = path.trim();
  if (!t.startsWith('$')) return null;
  const steps: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[\s*(-?\d+)\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < t.length) {
    const m = re.exec(t);
    if (!m) return null;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push((m[3] ?? m[4])!);
  }
  return steps;
}

/** extract_json(path, json [, typeof(T)]): the element at the path, as text by default; missing → "" / null. */
function extractJson(name: string): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 3,
    bind(args) {
      const err = checkArgs(name, args.slice(0, 2), [STRING, STRING_OR_DYNAMIC]);
      if (err) return err;
      const path = constantValue(args[0]);
      if (typeof path === 'string' && jsonPath(path) === null) return { error: `${name}(): invalid JSONPath '${path}'`, argIndex: 0 };
      if (args.length === 3 && args[2]!.typeLiteral === undefined) return { error: `${name}(): argument 3 must be a type literal such as typeof(long)`, argIndex: 2 };
      return { type: args[2]?.typeLiteral ?? 'string' };
    },
    prepare(args) {
      const target: ScalarType = args[2]?.typeLiteral ?? 'string';
      const sourceType = args[1]!.type;
      return ([path, source]) => {
        const steps = jsonPath(textOf(path!, 'string'));
        const json = sourceType === 'dynamic' ? (source as DynamicValue) : parseDynamic(textOf(source!, sourceType));
        const found = steps === null ? undefined : readPath(json, steps);
        if (found === undefined || found === null) return target === 'string' ? '' : null;
        return convertValue(found, 'dynamic', target);
      };
    },
  });
}

/** The first record of CSV text as an array of strings ("" escapes a quote inside quotes). */
export function parseCsvRecord(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { fields.push(field); field = ''; }
    else if (c === '\n' || c === '\r') break;
    else field += c;
  }
  fields.push(field);
  return fields;
}

/** gettype(): the type name; for dynamic, the JSON kind (`array`, `dictionary`, `int`/`long`/`real`, `null`). */
export function typeName(value: Value, type: ScalarType): string {
  if (type !== 'dynamic') return type;
  const v = value as DynamicValue;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'dictionary';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (!Number.isInteger(v)) return 'real';
  return v >= -2147483648 && v <= 2147483647 ? 'int' : 'long';
}

/**
 * range(start, stop [, step]): a dynamic array of numbers, datetimes or timespans, at most
 * 1,048,576 elements (range docs); step defaults to 1 for numbers and 1h for datetime/timespan.
 * An empty range is []; step 0 or a step pointing away from stop gives null.
 */
function rangeFunction(): ScalarFunction {
  const accepted = { types: ['int', 'long', 'real', 'decimal', 'datetime', 'timespan'] as ScalarType[], description: 'a number, datetime or timespan' };
  return defineScalar({
    name: 'range',
    minArgs: 2,
    maxArgs: 3,
    bind(args) {
      const err = checkArgs('range', args, [accepted, accepted, { ...accepted, types: [...accepted.types] }]);
      if (err) return err;
      const [start, stop] = [args[0]!.type, args[1]!.type];
      const temporal = start === 'datetime' || start === 'timespan';
      if (temporal && (stop !== start || (args[2] && args[2].type !== 'timespan'))) {
        return { error: `range(): a ${start} range needs a ${start} stop and a timespan step` };
      }
      if (!temporal && (stop === 'datetime' || stop === 'timespan' || args[2]?.type === 'timespan' || args[2]?.type === 'datetime')) {
        return { error: 'range(): a numeric range needs numeric stop and step' };
      }
      return { type: 'dynamic' };
    },
    prepare(args) {
      const type = args[0]!.type;
      return ([start, stop, step]) => {
        if (start === null || stop === null || step === null) return null;
        if (type === 'datetime' || type === 'timespan') {
          const s = (step as bigint | undefined) ?? TICKS_PER_HOUR;
          const items = temporalRange(start as bigint, stop as bigint, s);
          return items?.map((t) => (type === 'datetime' ? formatDatetimeRoundTrip(t) : formatTimespan(t))) ?? null;
        }
        return numericRange(start as number, stop as number, (step as number | undefined) ?? 1);
      };
    },
  });
}

function numericRange(start: number, stop: number, step: number): number[] | null {
  if (step === 0 || !Number.isFinite(step)) return null;
  const out: number[] = [];
  for (let i = 0; out.length < MAX_COLLECTION_SIZE; i++) {
    const v = start + i * step;
    if (step > 0 ? v > stop : v < stop) break;
    out.push(v);
  }
  return out;
}

function temporalRange(start: bigint, stop: bigint, step: bigint): bigint[] | null {
  if (step === 0n) return null;
  const out: bigint[] = [];
  for (let v = start; (step > 0n ? v <= stop : v >= stop) && out.length < MAX_COLLECTION_SIZE; v += step) out.push(v);
  return out;
}

function miscFunctions(): ScalarFunction[] {
  return [
    extractJson('extract_json'),
    extractJson('extractjson'),
    simpleScalar({
      name: 'dynamic_to_json', params: [ANY], result: 'string', nullPropagating: false,
      kernel: (args) => ([v]) => dynamicToJson(JSON.parse(dynamicKey(toDynamic(v!, args[0]!.type))) as DynamicValue),
    }),
    simpleScalar({
      name: 'parse_csv', params: [STRING_OR_DYNAMIC], result: 'dynamic',
      kernel: (args) => ([v]) => parseCsvRecord(textOf(v!, args[0]!.type)),
    }),
    simpleScalar({
      name: 'gettype', params: [ANY], result: 'string', nullPropagating: false,
      kernel: (args) => ([v]) => typeName(v!, args[0]!.type),
    }),
    rangeFunction(),
  ];
}

export function dynamicFunctions(): ScalarFunction[] {
  const arrayLength = simpleScalar({
    name: 'array_length',
    params: [DYNAMIC],
    result: 'long',
    kernel: () => ([v]) => (Array.isArray(v) ? v.length : null),
  });
  // A dynamic argument is returned as is; only text is parsed (non-JSON text stays a dynamic string).
  const parseJson = (name: string) => simpleScalar({
    name,
    params: [STRING_OR_DYNAMIC],
    result: 'dynamic',
    kernel: (args) => (args[0]!.type === 'dynamic' ? ([v]) => v! : ([v]) => parseDynamic(v as string)),
  });
  const packArray = simpleScalar({
    name: 'pack_array',
    params: [ANY],
    rest: ANY,
    maxArgs: 32767,
    result: 'dynamic',
    nullPropagating: false,
    kernel: (args) => (values) => values.map((v, i): DynamicValue => toDynamic(v, args[i]!.type)),
  });
  return [
    arrayLength, parseJson('parse_json'), parseJson('todynamic'), parseJson('parsejson'), packArray,
    ...arrayFunctions(), ...setFunctions(), ...bagFunctions(), ...miscFunctions(),
  ];
}

