/** Values in their output forms: the JSON form of results and the text form of tostring(). */
import type { DynamicValue, ScalarType, Value } from './types.js';
import { formatDatetime, formatTimespan } from './datetime.js';
import { dynamicToText } from './dynamic.js';

/**
 * The JSON form of a value in results (`--format json`, runQuery rows): datetime → Kusto ISO string,
 * timespan → `[d.]hh:mm:ss[.fffffff]`, numbers → JSON numbers except NaN/±Infinity, which Kusto's JSON
 * writer emits as the strings "NaN", "Infinity", "-Infinity"; string → string (never null);
 * guid → string or null; dynamic → the JSON value itself; null → null.
 */
export function valueToJson(value: Value, type: ScalarType): unknown {
  if (type === 'string') return value === null ? '' : String(value);
  if (value === null) return null;
  switch (type) {
    case 'datetime':
      return formatDatetime(value as bigint);
    case 'timespan':
      return formatTimespan(value as bigint);
    case 'int':
    case 'long':
    case 'real':
    case 'decimal':
      return jsonNumber(value as number);
    case 'dynamic':
      return dynamicJsonValue(value as DynamicValue);
    default:
      return value;
  }
}

function jsonNumber(n: number): number | string {
  return Number.isFinite(n) ? n : String(n);
}

function dynamicJsonValue(value: DynamicValue): unknown {
  if (typeof value === 'number') return jsonNumber(value);
  if (Array.isArray(value)) return value.map(dynamicJsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = dynamicJsonValue(v);
    return out;
  }
  return value;
}

/**
 * The text form of a value (tostring(), table and CSV cells): null → "", dynamic string → its raw
 * content, arrays/bags → compact JSON, real → .NET's shortest round-trip printing (`1.5`, `1E+20`).
 */
export function valueToText(value: Value, type: ScalarType): string {
  if (value === null) return '';
  switch (type) {
    case 'string':
    case 'guid':
      return String(value);
    case 'bool':
      return value ? 'true' : 'false';
    case 'datetime':
      return formatDatetime(value as bigint);
    case 'timespan':
      return formatTimespan(value as bigint);
    case 'real':
      return formatReal(value as number);
    case 'int':
    case 'long':
    case 'decimal':
      return formatPlainNumber(value as number);
    case 'dynamic':
      return dynamicToText(value as DynamicValue);
  }
}

/**
 * .NET Core 3.0+ `double.ToString()` (invariant culture, which Kusto uses): the shortest digits that
 * round-trip (the same digits JS picks), written positionally when the decimal exponent e satisfies
 * -5 < e < 15 and otherwise in scientific notation `d.dddE+XX` (`1E+15`, `1E-05`), as .NET's "G" rule. NaN → "NaN", ±∞ → "Infinity"/"-Infinity".
 */
export function formatReal(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, exponentText] = n.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent > -5 && exponent < 15) return formatPlainNumber(n);
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}E${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Positional decimal text without exponent (JS switches to exponent for |n| ≥ 1e21 or < 1e-6). */
export function formatPlainNumber(n: number): string {
  if (!Number.isFinite(n)) return formatReal(n);
  const text = String(n);
  if (!/e/i.test(text)) return text;
  const [mantissa, exponentText] = n.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  let body: string;
  if (exponent >= 0) {
    body = digits.length > exponent + 1 ? `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}` : digits.padEnd(exponent + 1, '0');
  } else {
    body = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return (negative ? '-' : '') + body;
}
