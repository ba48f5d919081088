/**
 * String predicate operators (has, contains, startswith, … and their `_cs` / `!` forms),
 * `matches regex`, and the list operators `in !in in~ !in~ has_any has_all`.
 *
 * Operands may be string or dynamic (a dynamic is read with tostring()); Kusto rejects other types.
 * Constant needles are folded and compiled once in `prepare`.
 */
import { RE2JS } from 're2js';
import type { ArgInfo, BindResult, RowKernel, ScalarFunction } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { isNumericType } from '../values/types.js';
import { dynamicKey, flattenDynamic, toDynamic } from '../values/dynamic.js';
import { asciiLower, checkArgs, constantValue, convertValue, defineScalar, STRING_OR_DYNAMIC, textOf } from './common.js';
import { regexPrefilter } from './regex-prefilter.js';
import { nativeRegexFits, nativeRegexFor } from './native-regex.js';
import { type MatchKind, NeedleSet, WHOLE_TERM, hasAll, hasAny, matchText, textTest } from './text-match.js';

function operandError(name: string, args: ArgInfo[]): BindResult {
  return { error: `The operator '${name}' is not defined for the operand types ${args.map((a) => a.type).join(' and ')}` };
}

/** One predicate operator: `kind`, case sensitivity and negation. */
function predicateOperator(name: string, kind: MatchKind, caseSensitive: boolean, negate: boolean): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      return checkArgs(name, args, [STRING_OR_DYNAMIC, STRING_OR_DYNAMIC]) ? operandError(name, args) : { type: 'bool' };
    },
    prepare(args) {
      const [lType, rType] = [args[0]!.type, args[1]!.type];
      const needle = constantValue(args[1]);
      if (needle !== undefined) {
        const test = textTest(kind, textOf(needle, rType), caseSensitive);
        return ([h]) => test(textOf(h!, lType)) !== negate;
      }
      return ([h, n]) => matchText(kind, textOf(h!, lType), textOf(n!, rType), caseSensitive) !== negate;
    },
  });
}

const PREDICATES: [string, MatchKind][] = [
  ['has', 'has'],
  ['hasprefix', 'hasprefix'],
  ['hassuffix', 'hassuffix'],
  ['contains', 'contains'],
  ['startswith', 'startswith'],
  ['endswith', 'endswith'],
];

function predicateOperators(): ScalarFunction[] {
  const out: ScalarFunction[] = [];
  for (const [name, kind] of PREDICATES) {
    out.push(predicateOperator(name, kind, false, false));
    out.push(predicateOperator(`!${name}`, kind, false, true));
    out.push(predicateOperator(`${name}_cs`, kind, true, false));
    out.push(predicateOperator(`!${name}_cs`, kind, true, true));
  }
  return out;
}

/** Compiles an RE2 pattern; throws a clear error for an invalid pattern. */
export function compileRegex(pattern: string, fn: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (e) {
    throw new Error(`${fn}: invalid regular expression '${pattern}': ${(e as Error).message}`);
  }
}

/** Checks a constant regex at bind time so a bad pattern is a query error, not a runtime one. */
export function regexBindError(fn: string, args: ArgInfo[], index: number): BindResult | undefined {
  const pattern = constantValue(args[index]);
  if (typeof pattern !== 'string') return undefined;
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return { error: `${fn}: invalid regular expression '${pattern}': ${(e as Error).message}`, argIndex: index };
  }
}

/** `matches regex`: true when the RE2 pattern matches anywhere in the value. */
function matchesRegex(): ScalarFunction {
  const name = 'matches regex';
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      if (checkArgs(name, args, [STRING_OR_DYNAMIC, STRING_OR_DYNAMIC])) return operandError(name, args);
      return regexBindError(name, args, 1) ?? { type: 'bool' };
    },
    prepare(args) {
      const [lType, rType] = [args[0]!.type, args[1]!.type];
      const pattern = constantValue(args[1]);
      if (pattern !== undefined) {
        const text = textOf(pattern, rType);
        const re = compileRegex(text, name);
        // Text without the literals every match needs is ruled out before the regex runs.
        const mayMatch = regexPrefilter(text) ?? (() => true);
        const native = nativeRegexFor(text);
        return ([s]) => {
          const value = textOf(s!, lType);
          // V8 finds the required literals itself as fast as the prefilter does; re2js gets the prefilter.
          if (native && nativeRegexFits(native, value)) return native.regex.test(value);
          return mayMatch(value) && re.matcher(value).find();
        };
      }
      const cache = new Map<string, RE2JS>();
      return ([s, p]) => {
        const text = textOf(p!, rType);
        let re = cache.get(text);
        if (!re) cache.set(text, (re = compileRegex(text, name)));
        return re.matcher(textOf(s!, lType)).find();
      };
    },
  });
}

// ---------------------------------------------------------------------------------------------
// List operators.

/** The items of a list operator as typed values, dynamic arrays flattened (`x in (dynamic([1,[2,3]]))` = 1,2,3). */
function listItems(values: readonly Value[], types: readonly ScalarType[]): { value: Value; type: ScalarType }[] {
  const out: { value: Value; type: ScalarType }[] = [];
  values.forEach((v, i) => {
    const t = types[i]!;
    if (t === 'dynamic' && Array.isArray(v)) for (const x of flattenDynamic(v as DynamicValue)) out.push({ value: x, type: 'dynamic' });
    else out.push({ value: v, type: t });
  });
  return out;
}

/**
 * A comparison key in the left operand's domain, so membership is one Set lookup: strings compare
 * as text (folded for `in~`), numbers numerically, datetimes/timespans by ticks, dynamics by JSON.
 * Items that cannot be read in that domain give undefined and match nothing.
 */
function membershipKey(value: Value, type: ScalarType, domain: ScalarType, fold: boolean): string | undefined {
  if (value === null) return undefined;
  if (domain === 'string') {
    const text = textOf(value, type);
    return fold ? asciiLower(text) : text;
  }
  if (domain === 'dynamic') return dynamicKey(toDynamic(value, type));
  const target = isNumericType(domain) ? 'real' : domain;
  const converted = convertValue(value, type, target);
  return converted === null ? undefined : `${typeof converted}:${String(converted)}`;
}

function membershipDomain(leftType: ScalarType, fold: boolean): ScalarType {
  if (fold) return 'string';
  return leftType;
}

function listOperator(name: string, fold: boolean, negate: boolean): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: Infinity,
    bind(args) {
      if (fold && args[0]!.type !== 'string' && args[0]!.type !== 'dynamic') {
        return { error: `${name}: the left operand must be string or dynamic, got ${args[0]!.type}`, argIndex: 0 };
      }
      return { type: 'bool' };
    },
    prepare(args) {
      const leftType = args[0]!.type;
      const domain = membershipDomain(leftType, fold);
      const itemArgs = args.slice(1);
      const itemTypes = itemArgs.map((a) => a.type);
      const buildSet = (values: readonly Value[]) => {
        const set = new Set<string>();
        for (const item of listItems(values, itemTypes)) {
          const key = membershipKey(item.value, item.type, domain, fold);
          if (key !== undefined) set.add(key);
        }
        return set;
      };
      const test = (set: Set<string>, left: Value) => {
        const key = membershipKey(left, leftType, domain, fold);
        return (key !== undefined && set.has(key)) !== negate;
      };
      if (itemArgs.every((a) => a.constant !== undefined)) {
        const set = buildSet(itemArgs.map((a) => a.constant!.value));
        // A string column against string keys: the key is the text itself (folded for in~).
        if (leftType === 'string' && domain === 'string') {
          const key = fold ? (left: Value) => (typeof left === 'string' ? asciiLower(left) : undefined) : (left: Value) => left;
          return ([left]) => set.has(key(left!) as string) !== negate;
        }
        return ([left]) => test(set, left!);
      }
      return (values) => test(buildSet(values.slice(1)), values[0]!);
    },
  });
}

/** has_any / has_all: the needles' texts (flattened, folded once); null items are skipped. */
function needleList(values: readonly Value[], types: readonly ScalarType[], caseSensitive: boolean): string[] {
  const out: string[] = [];
  for (const item of listItems(values, types)) {
    if (item.value === null) continue;
    const text = textOf(item.value, item.type);
    out.push(caseSensitive ? text : asciiLower(text));
  }
  return out;
}

function termListOperator(name: 'has_any' | 'has_all' | '!has_any'): ScalarFunction {
  const negate = name === '!has_any';
  const test = name === 'has_all' ? hasAll : hasAny;
  const match = (h: string, needles: readonly string[], cs: boolean) => test(h, needles, cs) !== negate;
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: Infinity,
    bind(args) {
      if (args[0]!.type !== 'string' && args[0]!.type !== 'dynamic') {
        return { error: `${name}: the left operand must be string or dynamic, got ${args[0]!.type}`, argIndex: 0 };
      }
      return { type: 'bool' };
    },
    prepare(args): RowKernel {
      const leftType = args[0]!.type;
      const itemArgs = args.slice(1);
      const itemTypes = itemArgs.map((a) => a.type);
      if (itemArgs.every((a) => a.constant !== undefined)) {
        const needles = needleList(itemArgs.map((a) => a.constant!.value), itemTypes, false);
        const set = new NeedleSet(needles, false, WHOLE_TERM);
        // has_all needs every needle to match, and an empty needle matches nothing.
        const impossible = name === 'has_all' && needles.some((n) => n.length === 0);
        const test = name === 'has_all' ? (h: string) => !impossible && set.matchesAll(h) : (h: string) => set.matchesAny(h);
        return ([left]) => test(typeof left === 'string' ? left : textOf(left!, leftType)) !== negate;
      }
      return (values) => match(textOf(values[0]!, leftType), needleList(values.slice(1), itemTypes, false), false);
    },
  });
}

export function stringOperators(): ScalarFunction[] {
  return [
    ...predicateOperators(),
    matchesRegex(),
    listOperator('in', false, false),
    listOperator('!in', false, true),
    listOperator('in~', true, false),
    listOperator('!in~', true, true),
    termListOperator('has_any'),
    termListOperator('has_all'),
    termListOperator('!has_any'),
    // `notcontains` / `notcontains_cs`: the legacy spellings of !contains / !contains_cs.
    predicateOperator('notcontains', 'contains', false, true),
    predicateOperator('notcontains_cs', 'contains', true, true),
  ];
}
