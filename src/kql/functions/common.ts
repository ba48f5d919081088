/**
 * Shared building blocks for built-in functions: argument type checks with clear messages,
 * type unification, conversions between Kusto types, and the constant-argument helpers.
 */
import type { ArgInfo, BindResult, EvalContext, RowKernel, ScalarFunction } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { isNumericType, promoteNumeric } from '../values/types.js';
import { fromDynamic, normalizeGuid, parseBoolText, parseNumberText, toDynamic, truncateToInteger } from '../values/dynamic.js';
import { MIN_DATETIME_TICKS, formatDatetimeRoundTrip, isValidDatetime, parseDatetime, parseTimespan } from '../values/datetime.js';
import { valueToText } from '../values/format.js';

/** A set of accepted types for one parameter, with the wording used in error messages. */
export interface TypeSet {
  types: readonly ScalarType[];
  description: string;
}

export const NUMBER: TypeSet = { types: ['int', 'long', 'real', 'decimal'], description: 'a number' };
export const INTEGER: TypeSet = { types: ['int', 'long'], description: 'an integer (int or long)' };
export const STRING: TypeSet = { types: ['string'], description: 'string' };
export const STRING_OR_DYNAMIC: TypeSet = { types: ['string', 'dynamic'], description: 'string or dynamic' };
export const BOOL: TypeSet = { types: ['bool'], description: 'bool' };
export const DATETIME: TypeSet = { types: ['datetime'], description: 'datetime' };
export const TIMESPAN: TypeSet = { types: ['timespan'], description: 'timespan' };
export const DYNAMIC: TypeSet = { types: ['dynamic'], description: 'dynamic' };
export const ANY: TypeSet = {
  types: ['bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic'],
  description: 'a scalar',
};

export function argTypeError(fn: string, index: number, expected: TypeSet, got: ScalarType): BindResult {
  return { error: `${fn}(): argument ${index + 1} must be ${expected.description}, got ${got}`, argIndex: index };
}

export function arityError(fn: string, min: number, max: number, got: number): BindResult {
  const expected = min === max ? `${min} argument${min === 1 ? '' : 's'}` :
    max === Infinity ? `at least ${min} arguments` : `between ${min} and ${max} arguments`;
  return { error: `${fn}(): expects ${expected}, got ${got}` };
}

/** Checks each argument against its parameter's accepted types; `rest` covers arguments past `params`. */
export function checkArgs(fn: string, args: ArgInfo[], params: readonly TypeSet[], rest?: TypeSet): BindResult | undefined {
  for (let i = 0; i < args.length; i++) {
    const expected = params[i] ?? rest;
    if (expected && !expected.types.includes(args[i]!.type)) return argTypeError(fn, i, expected, args[i]!.type);
  }
  return undefined;
}

/** The value of a constant argument, or undefined when the argument varies per row. */
export function constantValue(arg: ArgInfo | undefined): Value | undefined {
  return arg?.constant === undefined ? undefined : arg.constant.value;
}

export function requireConstant(fn: string, args: ArgInfo[], index: number): BindResult | undefined {
  return args[index] && args[index]!.constant === undefined
    ? { error: `${fn}(): argument ${index + 1} must be a constant`, argIndex: index }
    : undefined;
}

/**
 * The common type of branches (iff, case): equal types; numbers promote; a dynamic branch takes the
 * other branch's type; anything else is dynamic — as Kusto.Language types `iff(b, "a", 1)`.
 */
export function unifyBranchTypes(types: readonly ScalarType[]): ScalarType {
  let result = types[0]!;
  for (const t of types.slice(1)) {
    if (t === result) continue;
    if (isNumericType(t) && isNumericType(result)) result = promoteNumeric(result, t);
    else if (t === 'dynamic') continue;
    else if (result === 'dynamic') result = t;
    else return 'dynamic';
  }
  return result;
}

/** Strict common type (coalesce): equal types or numbers; undefined when there is none. */
export function commonType(types: readonly ScalarType[]): ScalarType | undefined {
  let result = types[0]!;
  for (const t of types.slice(1)) {
    if (t === result) continue;
    if (isNumericType(t) && isNumericType(result)) result = promoteNumeric(result, t);
    else return undefined;
  }
  return result;
}

/** .NET DateTime.Ticks (since 0001-01-01) of a datetime, as tolong(datetime) reports it. */
export function dotnetTicks(ticks: bigint): bigint {
  return ticks - MIN_DATETIME_TICKS;
}

/**
 * Converts a value between Kusto types with the `to*()` functions' rules: failed conversions are
 * null; strings become "" for null. Used by the conversion functions and wherever a branch or
 * argument must take a result type.
 */
export function convertValue(value: Value, from: ScalarType, to: ScalarType): Value {
  if (from === to) return value;
  if (to === 'string') return textOf(value, from);
  if (value === null) return null;
  if (to === 'dynamic') return toDynamic(value, from);
  if (from === 'dynamic') return fromDynamic(value as DynamicValue, to);
  switch (to) {
    case 'int':
    case 'long':
      return toInteger(value, from, to);
    case 'real':
    case 'decimal':
      return toReal(value, from);
    case 'bool':
      return toBool(value, from);
    case 'datetime':
      return toDatetime(value, from);
    case 'timespan':
      return toTimespan(value, from);
    case 'guid':
      return from === 'string' ? normalizeGuid(value as string) : null;
  }
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

function toInteger(value: Value, from: ScalarType, to: 'int' | 'long'): number | null {
  switch (from) {
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return truncateToInteger(value as number, to);
    case 'bool':
      return value ? 1 : 0;
    case 'string':
      return INTEGER_TEXT.test(value as string) ? truncateToInteger(Number(value), to) : null;
    case 'datetime':
      return truncateToInteger(Number(dotnetTicks(value as bigint)), to);
    case 'timespan':
      return truncateToInteger(Number(value as bigint), to);
    default:
      return null;
  }
}

function toReal(value: Value, from: ScalarType): number | null {
  switch (from) {
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return value as number;
    case 'bool':
      return value ? 1 : 0;
    case 'string':
      return parseNumberText(value as string);
    case 'datetime':
      return Number(dotnetTicks(value as bigint));
    case 'timespan':
      return Number(value as bigint);
    default:
      return null;
  }
}

function toBool(value: Value, from: ScalarType): boolean | null {
  if (isNumericType(from)) return Number.isNaN(value as number) ? null : (value as number) !== 0;
  if (from === 'string') return parseBoolText(value as string);
  return null;
}

function toDatetime(value: Value, from: ScalarType): bigint | null {
  if (from === 'string') return parseDatetime(value as string);
  if (from === 'int' || from === 'long') {
    const ticks = BigInt(value as number) + MIN_DATETIME_TICKS; // a number is read as .NET ticks
    return isValidDatetime(ticks) ? ticks : null;
  }
  return null;
}

function toTimespan(value: Value, from: ScalarType): bigint | null {
  if (from === 'string') return parseTimespan(value as string);
  if (isNumericType(from)) return Number.isFinite(value as number) ? BigInt(Math.trunc(value as number)) : null;
  return null;
}

/**
 * tostring() of a value, as functions see it: like the display text, except that a datetime takes
 * its round-trip form with 7 fractional digits (see formatDatetimeRoundTrip).
 */
export function textOf(value: Value, type: ScalarType): string {
  if (type === 'datetime' && value !== null) return formatDatetimeRoundTrip(value as bigint);
  return valueToText(value, type);
}

/** Builds a scalar function entry from its parts; `deterministic` defaults to true. */
export function defineScalar(spec: {
  name: string;
  minArgs: number;
  maxArgs: number;
  bind(args: ArgInfo[]): BindResult;
  prepare(args: ArgInfo[], ctx: EvalContext): RowKernel;
  deterministic?: boolean;
}): ScalarFunction {
  const { name, minArgs, maxArgs } = spec;
  return {
    name,
    minArgs,
    maxArgs,
    deterministic: spec.deterministic ?? true,
    bind(args) {
      if (args.length < minArgs || args.length > maxArgs) return arityError(name, minArgs, maxArgs, args.length);
      return spec.bind(args);
    },
    prepare: spec.prepare,
  };
}

/**
 * The common case: fixed parameter types, a result type, and a kernel that sees non-null arguments
 * (any null argument gives a null result — Kusto's null propagation; strings are never null).
 */
export function simpleScalar(spec: {
  name: string;
  params: readonly TypeSet[];
  optional?: number;
  rest?: TypeSet;
  maxArgs?: number;
  result: ScalarType | ((args: ArgInfo[]) => ScalarType);
  kernel: (args: ArgInfo[], ctx: EvalContext) => RowKernel;
  nullPropagating?: boolean;
}): ScalarFunction {
  const minArgs = spec.params.length - (spec.optional ?? 0);
  const maxArgs = spec.maxArgs ?? (spec.rest ? Infinity : spec.params.length);
  return defineScalar({
    name: spec.name,
    minArgs,
    maxArgs,
    bind(args) {
      const err = checkArgs(spec.name, args, spec.params, spec.rest);
      if (err) return err;
      return { type: typeof spec.result === 'function' ? spec.result(args) : spec.result };
    },
    prepare(args, ctx) {
      const kernel = spec.kernel(args, ctx);
      if (spec.nullPropagating === false) return kernel;
      return (values) => {
        for (let i = 0; i < values.length; i++) if (values[i] === null) return nullResult(spec, args);
        return kernel(values);
      };
    },
  });
}

function nullResult(spec: { result: ScalarType | ((args: ArgInfo[]) => ScalarType) }, args: ArgInfo[]): Value {
  const type = typeof spec.result === 'function' ? spec.result(args) : spec.result;
  return type === 'string' ? '' : null;
}

/** ASCII-only case folding (Kusto's case-insensitive operators fold only A–Z). */
export function asciiLower(s: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      out += s.slice(start, i) + String.fromCharCode(c + 32);
      start = i + 1;
    }
  }
  return start === 0 ? s : out + s.slice(start);
}
