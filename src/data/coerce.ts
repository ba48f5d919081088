/**
 * Turning raw field values (JSON values, CSV text, JS values given to the library) into the runtime
 * representation of a column's Kusto type (see kql/values/types.ts), and guessing the type of columns
 * no schema declares.
 *
 * Decisions (documented here because readers, the catalog and tests rely on them):
 * - Missing values (`undefined`, `null`, and `""` for every type but string) read as null; strings read as "".
 * - datetime accepts the text forms `parseDatetime` knows and JS `Date` objects. Numbers are refused:
 *   an epoch number could be seconds, milliseconds or ticks, and guessing wrong silently shifts every event.
 * - long/int accept integral numbers and integer text; a fraction, other text, or an int out of range
 *   is an error (the record is rejected, never silently nulled).
 * - bool accepts true/false (any case), 1/0.
 * - dynamic keeps JSON values as they are and parses text as JSON (as `parse_json` does): text that is not
 *   JSON stays a dynamic string.
 * - string takes any scalar's text; objects and arrays become compact JSON.
 * - Typed sources (Parquet) hand over datetimes and timespans as `TickValue`s: exact 100 ns ticks,
 *   taken as they are by a column of the same type, and as their Kusto text by string/dynamic columns.
 */
import type { DynamicValue, ScalarType, Value } from '../kql/values/types.js';
import { datetimeFromDate, formatDatetimeRoundTrip, formatTimespan, parseDatetime, parseTimespan } from '../kql/values/datetime.js';
import { parseDynamic } from '../kql/values/dynamic.js';

/**
 * A datetime or timespan already in 100 ns ticks, from a source whose columns are typed (Parquet).
 * Wrapped rather than a bare bigint, which could not tell ticks from any other count.
 */
export class TickValue {
  constructor(readonly type: 'datetime' | 'timespan', readonly ticks: bigint) {}

  /** Kusto's text of the value (`2024-03-01T10:00:00.1234567Z`, `01:02:03`), as tostring() gives it. */
  text(): string {
    return this.type === 'datetime' ? formatDatetimeRoundTrip(this.ticks) : formatTimespan(this.ticks);
  }
}

/** Conversion result: the value, or what is wrong, phrased to follow "<value> is " (e.g. "not a long"). */
export type Coerced = { ok: true; value: Value } | { ok: false; error: string };

const INTEGER_TEXT = /^[+-]?\d+$/;
const REAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function ok(value: Value): Coerced {
  return { ok: true, value };
}

function fail(error: string): Coerced {
  return { ok: false, error };
}

/** A short, printable rendering of a raw value for rejection messages. */
export function describeRaw(raw: unknown, maxLength = 60): string {
  let text: string;
  if (typeof raw === 'string') text = JSON.stringify(raw);
  else if (raw instanceof Date) text = `Date(${isNaN(raw.getTime()) ? 'invalid' : raw.toISOString()})`;
  else if (typeof raw === 'bigint') text = `${raw}n`;
  else if (raw instanceof TickValue) text = `${raw.type}(${raw.text()})`;
  else text = JSON.stringify(raw) ?? String(raw);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

function isMissing(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}

export function coerceString(raw: unknown): Coerced {
  if (raw === undefined || raw === null) return ok('');
  if (typeof raw === 'string') return ok(raw);
  if (raw instanceof Date) {
    return isNaN(raw.getTime()) ? fail('an invalid Date') : ok(raw.toISOString());
  }
  if (raw instanceof TickValue) return ok(raw.text());
  if (typeof raw === 'object') return ok(JSON.stringify(raw));
  return ok(String(raw));
}

export function coerceDatetime(raw: unknown): Coerced {
  if (isMissing(raw)) return ok(null);
  if (raw instanceof Date) {
    return isNaN(raw.getTime()) ? fail('an invalid Date') : ok(datetimeFromDate(raw));
  }
  if (raw instanceof TickValue) return raw.type === 'datetime' ? ok(raw.ticks) : fail('a timespan, not a datetime');
  if (typeof raw !== 'string') return fail(`a ${typeof raw}, not datetime text (epoch units would be ambiguous)`);
  const ticks = parseDatetime(raw.trim());
  return ticks === null ? fail('not a datetime') : ok(ticks);
}

function coerceInteger(raw: unknown, type: 'int' | 'long'): Coerced {
  if (isMissing(raw)) return ok(null);
  let value: number;
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return fail('not an integer');
    value = raw;
  } else if (typeof raw === 'bigint') {
    value = Number(raw);
  } else if (typeof raw === 'string' && INTEGER_TEXT.test(raw.trim())) {
    value = Number(raw.trim());
  } else {
    return fail(`not a ${type}`);
  }
  if (type === 'int' && (value < INT32_MIN || value > INT32_MAX)) return fail('out of the int range');
  return ok(value);
}

const SPECIAL_REALS: Record<string, number> = {
  nan: NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity,
};

function coerceReal(raw: unknown, type: 'real' | 'decimal'): Coerced {
  if (isMissing(raw)) return ok(null);
  if (typeof raw === 'number') return ok(raw);
  if (typeof raw === 'bigint') return ok(Number(raw));
  if (typeof raw === 'string') {
    const text = raw.trim();
    if (REAL_TEXT.test(text)) return ok(Number(text));
    const special = SPECIAL_REALS[text.toLowerCase()];
    if (special !== undefined) return ok(special);
  }
  return fail(`not a ${type}`);
}

export function coerceBool(raw: unknown): Coerced {
  if (isMissing(raw)) return ok(null);
  if (typeof raw === 'boolean') return ok(raw);
  if (raw === 1 || raw === 0) return ok(raw === 1);
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (text === 'true' || text === '1') return ok(true);
    if (text === 'false' || text === '0') return ok(false);
  }
  return fail('not a bool');
}

function coerceTimespan(raw: unknown): Coerced {
  if (isMissing(raw)) return ok(null);
  if (raw instanceof TickValue) return raw.type === 'timespan' ? ok(raw.ticks) : fail('a datetime, not a timespan');
  if (typeof raw !== 'string') return fail(`a ${typeof raw}, not timespan text`);
  const ticks = parseTimespan(raw.trim());
  return ticks === null ? fail('not a timespan') : ok(ticks);
}

function coerceGuid(raw: unknown): Coerced {
  if (isMissing(raw)) return ok(null);
  if (typeof raw === 'string') {
    const text = raw.trim().replace(/^\{(.*)\}$/, '$1');
    if (GUID_TEXT.test(text)) return ok(text.toLowerCase());
  }
  return fail('not a guid');
}

/** JSON-like JS value → dynamic; Dates become ISO text, bigints numbers, text is parsed as JSON. */
function toDynamic(raw: unknown): DynamicValue {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'string') return parseDynamic(raw);
  if (raw instanceof Date) return isNaN(raw.getTime()) ? null : raw.toISOString();
  if (raw instanceof TickValue) return raw.text();
  if (typeof raw === 'bigint') return Number(raw);
  if (Array.isArray(raw)) return raw.map(toNestedDynamic);
  if (typeof raw === 'object') {
    const out: { [key: string]: DynamicValue } = {};
    for (const [k, v] of Object.entries(raw as object)) out[k] = toNestedDynamic(v);
    return out;
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return String(raw);
}

/** Inside a dynamic value strings stay strings (only a top-level text is JSON-parsed). */
function toNestedDynamic(raw: unknown): DynamicValue {
  if (typeof raw === 'string') return raw;
  if (raw === undefined) return null;
  return toDynamic(raw);
}

export function coerceDynamic(raw: unknown): Coerced {
  return ok(toDynamic(raw));
}

/** Converts one raw value to the representation of `type`. */
export function coerceValue(type: ScalarType, raw: unknown): Coerced {
  switch (type) {
    case 'string': return coerceString(raw);
    case 'datetime': return coerceDatetime(raw);
    case 'long': case 'int': return coerceInteger(raw, type);
    case 'real': case 'decimal': return coerceReal(raw, type);
    case 'bool': return coerceBool(raw);
    case 'dynamic': return coerceDynamic(raw);
    case 'timespan': return coerceTimespan(raw);
    case 'guid': return coerceGuid(raw);
  }
}

/** The value an absent column reads as (Kusto strings are never null). */
export function missingValue(type: ScalarType): Value {
  return type === 'string' ? '' : null;
}

// ---------------------------------------------------------------------------------------------
// Type inference for columns without a declared type

type ValueKind = 'bool' | 'long' | 'real' | 'datetime' | 'dynamic' | 'string';

/** ISO 8601 date or date-time, the only text inferred as datetime (other forms are too ambiguous). */
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
/** Integer text with a leading zero ("007") is an identifier, not a number. */
const LEADING_ZERO = /^[+-]?0\d/;

function isIsoDatetimeText(text: string): boolean {
  return ISO_DATETIME.test(text) && parseDatetime(text) !== null;
}

/**
 * The kind of one sampled value, or undefined when it is missing (missing values say nothing).
 * `textual`: the value came from a text format (CSV), so "12" or "true" stand for a number or bool;
 * in JSON the producer chose a string, and it stays one.
 */
function kindOf(raw: unknown, textual: boolean): ValueKind | undefined {
  if (isMissing(raw)) return undefined;
  if (typeof raw === 'boolean') return 'bool';
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? 'long' : 'real';
  if (typeof raw === 'bigint') return 'long';
  if (raw instanceof Date) return 'datetime';
  if (raw instanceof TickValue) return raw.type === 'datetime' ? 'datetime' : 'string';
  if (typeof raw === 'object') return 'dynamic';
  const text = String(raw);
  if (textual) {
    const trimmed = text.trim();
    const lower = trimmed.toLowerCase();
    if (lower === 'true' || lower === 'false') return 'bool';
    if (INTEGER_TEXT.test(trimmed) && !LEADING_ZERO.test(trimmed)) {
      return Number.isSafeInteger(Number(trimmed)) ? 'long' : 'string';
    }
    if (REAL_TEXT.test(trimmed) && !LEADING_ZERO.test(trimmed)) return 'real';
    if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && isJson(trimmed)) return 'dynamic';
  }
  return isIsoDatetimeText(text.trim()) ? 'datetime' : 'string';
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Collects the kinds of sampled values of one column and names the type that holds them all. */
export class TypeGuesser {
  private readonly kinds = new Set<ValueKind>();

  constructor(private readonly textual: boolean) {}

  add(raw: unknown): void {
    const kind = kindOf(raw, this.textual);
    if (kind !== undefined) this.kinds.add(kind);
  }

  /** No values → string; one kind → it; long+real → real; any object/array → dynamic; else string. */
  guess(): ScalarType {
    const kinds = this.kinds;
    if (kinds.size === 0) return 'string';
    if (kinds.has('dynamic')) return 'dynamic';
    if (kinds.size === 1) return [...kinds][0]!;
    if (kinds.size === 2 && kinds.has('long') && kinds.has('real')) return 'real';
    return 'string';
  }
}
