/**
 * dynamic values: JSON text in and out, typed scalars in and out, indexing, equality and ordering.
 *
 * A dynamic value is a JSON-like tree (types.ts). Typed scalars stored into a dynamic take their
 * JSON form: datetime → ISO string with 7 fractional digits (`2007-01-01T00:00:00.0000000Z`, as Kusto
 * stores it), timespan → `[d.]hh:mm:ss[.fffffff]` string, guid → string.
 * Known limitation: a JS number cannot remember whether it was written `5` or `5.0`, so reals that
 * are whole numbers print without the `.0` Kusto keeps inside dynamic values.
 */
import type { DynamicValue, ScalarType, Value } from './types.js';
import { formatDatetimeRoundTrip, formatTimespan, parseDatetime, parseTimespan } from './datetime.js';

/** Compact JSON as Kusto prints dynamic values: `["a","b"]`, `{"k":1}`; NaN/±Infinity as JSON strings. */
export function dynamicToJson(value: DynamicValue): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/** parse_json / todynamic: JSON text → dynamic; text that is not JSON stays a dynamic string. */
export function parseDynamic(text: string): DynamicValue {
  try {
    return JSON.parse(text) as DynamicValue;
  } catch {
    return text;
  }
}

export function isDynamicArray(value: DynamicValue): value is DynamicValue[] {
  return Array.isArray(value);
}

export function isDynamicBag(value: DynamicValue): value is { [key: string]: DynamicValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `value[index]`: zero-based, negative counts from the end (`[-1]` is the last element);
 * out of range, or not an array → null. A string key on a property bag reads that property.
 */
export function dynamicIndex(value: DynamicValue, index: number | string): DynamicValue {
  if (typeof index === 'string') return dynamicMember(value, index);
  if (!Array.isArray(value) || !Number.isInteger(index)) return null;
  const i = index < 0 ? value.length + index : index;
  return i >= 0 && i < value.length ? value[i]! : null;
}

/** `value.key` / `value["key"]`: the property of a bag; null when absent or not a bag. */
export function dynamicMember(value: DynamicValue, key: string): DynamicValue {
  if (!isDynamicBag(value)) return null;
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key]! : null;
}

/** A typed scalar as a dynamic value (e.g. a datetime stored into `pack_array`/`make_set` → ISO string). */
export function toDynamic(value: Value, type: ScalarType): DynamicValue {
  if (value === null) return null;
  switch (type) {
    case 'datetime':
      return formatDatetimeRoundTrip(value as bigint);
    case 'timespan':
      return formatTimespan(value as bigint);
    default:
      return typeof value === 'bigint' ? Number(value) : (value as DynamicValue);
  }
}

/**
 * A dynamic value read as a typed scalar, as the `to*()` conversions of a dynamic do: a scalar of
 * a matching kind converts, anything else (arrays, bags, unparsable text) is null.
 */
export function fromDynamic(value: DynamicValue, type: ScalarType): Value {
  if (value === null) return type === 'string' ? '' : null;
  switch (type) {
    case 'dynamic':
      return value;
    case 'string':
      return dynamicToText(value);
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      if (typeof value === 'string') return parseBoolText(value);
      return null;
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return dynamicToNumber(value, type);
    case 'datetime':
      return typeof value === 'string' ? parseDatetime(value) : null;
    case 'timespan':
      if (typeof value === 'string') return parseTimespan(value);
      return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : null;
    case 'guid':
      return typeof value === 'string' ? normalizeGuid(value) : null;
  }
}

function dynamicToNumber(value: DynamicValue, type: ScalarType): number | null {
  let n: number | null = null;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'string') n = parseNumberText(value);
  if (n === null) return null;
  return type === 'int' || type === 'long' ? truncateToInteger(n, type) : n;
}

/** Truncates toward zero; int wraps to 32 bits as a .NET cast does; non-finite → null. */
export function truncateToInteger(n: number, type: 'int' | 'long'): number | null {
  if (!Number.isFinite(n)) return null;
  const t = Math.trunc(n);
  return type === 'int' ? t | 0 : t;
}

/** Numeric text as Kusto's toreal/tolong read it (invariant culture, optional exponent); null otherwise. */
export function parseNumberText(text: string): number | null {
  const t = text.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t, 16);
  const special = t.toLowerCase();
  if (special === 'nan') return NaN;
  if (special === 'infinity' || special === '+infinity') return Infinity;
  if (special === '-infinity') return -Infinity;
  return null;
}

/** `true`/`false` in any case; `1`/`0` are accepted by tobool() too. */
export function parseBoolText(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return null;
}

const GUID_PATTERN = /^[{(]?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})[)}]?$/i;

/** A guid in its canonical lower-case 8-4-4-4-12 form, or null when the text is not a guid. */
export function normalizeGuid(text: string): string | null {
  const m = GUID_PATTERN.exec(text.trim());
  return m ? m.slice(1, 6).join('-').toLowerCase() : null;
}

/** tostring() of a dynamic: a string's raw content, other scalars as JSON text, arrays/bags as compact JSON. */
export function dynamicToText(value: DynamicValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  return dynamicToJson(value);
}

/** Deep equality of dynamic values (object keys compared regardless of order). */
export function dynamicEquals(a: DynamicValue, b: DynamicValue): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => dynamicEquals(x, b[i]!));
  }
  if (isDynamicBag(a) && isDynamicBag(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && dynamicEquals(a[k]!, b[k]!));
  }
  return false;
}

/**
 * Orders two dynamic scalars of the same kind (numbers, strings ordinal, bools); null when they are
 * not comparable (different kinds, arrays, bags, nulls) — Kusto's `<` on such values yields null.
 */
export function compareDynamic(a: DynamicValue, b: DynamicValue): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

/** A stable key for sets and grouping of dynamic values (`make_set`, `dcount`, `summarize by`). */
export function dynamicKey(value: DynamicValue): string {
  return dynamicToJson(canonicalize(value));
}

function canonicalize(value: DynamicValue): DynamicValue {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (isDynamicBag(value)) {
    const out: { [key: string]: DynamicValue } = {};
    for (const k of Object.keys(value).sort()) out[k] = canonicalize(value[k]!);
    return out;
  }
  return value;
}

/** Flattens nested arrays into one list of scalars (how `in`/`has_any` read a dynamic array argument). */
export function flattenDynamic(value: DynamicValue, out: DynamicValue[] = []): DynamicValue[] {
  if (Array.isArray(value)) for (const v of value) flattenDynamic(v, out);
  else out.push(value);
  return out;
}
