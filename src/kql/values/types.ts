/**
 * Kusto scalar types and their runtime representation.
 *
 * One representation per type, shared by readers, functions and operators:
 *   bool                 → boolean | null
 *   int, long, real,
 *   decimal              → number | null   (long/decimal are exact only within ±2^53; see docs/limitations)
 *   string               → string           (never null: Kusto strings have no null, "" stands in)
 *   datetime             → bigint | null    (100 ns ticks since 1970-01-01T00:00:00Z, may be negative)
 *   timespan             → bigint | null    (100 ns ticks)
 *   guid                 → string | null    (lower-case canonical 8-4-4-4-12 form)
 *   dynamic              → DynamicValue     (JSON-like; JS null is dynamic null)
 * Ticks are bigint because a double cannot hold 100 ns ticks of present-day instants exactly.
 */
export type ScalarType =
  | 'bool'
  | 'int'
  | 'long'
  | 'real'
  | 'decimal'
  | 'string'
  | 'datetime'
  | 'timespan'
  | 'guid'
  | 'dynamic';

export const SCALAR_TYPES: readonly ScalarType[] = [
  'bool', 'int', 'long', 'real', 'decimal', 'string', 'datetime', 'timespan', 'guid', 'dynamic',
];

export type DynamicValue =
  | null
  | boolean
  | number
  | string
  | DynamicValue[]
  | { [key: string]: DynamicValue };

/** Any runtime scalar value of any type (see the table above). */
export type Value = null | boolean | number | string | bigint | DynamicValue;

/** Type names and the aliases Kusto accepts in `datatable(x:typename)`, `to typeof(...)` and casts. */
const TYPE_ALIASES: Record<string, ScalarType> = {
  bool: 'bool', boolean: 'bool',
  int: 'int', int32: 'int',
  long: 'long', int64: 'long',
  real: 'real', double: 'real',
  decimal: 'decimal',
  string: 'string',
  datetime: 'datetime', date: 'datetime',
  timespan: 'timespan', time: 'timespan',
  guid: 'guid', uniqueid: 'guid',
  dynamic: 'dynamic',
};

export function parseTypeName(name: string): ScalarType | undefined {
  return TYPE_ALIASES[name.toLowerCase()];
}

export function isNumericType(t: ScalarType): boolean {
  return t === 'int' || t === 'long' || t === 'real' || t === 'decimal';
}

export function isIntegerType(t: ScalarType): boolean {
  return t === 'int' || t === 'long';
}

/** Kusto's numeric promotion: int < long < decimal < real... except decimal wins over real. */
export function promoteNumeric(a: ScalarType, b: ScalarType): ScalarType {
  if (a === 'decimal' || b === 'decimal') return 'decimal';
  if (a === 'real' || b === 'real') return 'real';
  if (a === 'long' || b === 'long') return 'long';
  return 'int';
}

export interface ColumnSchema {
  name: string;
  type: ScalarType;
}

export type Schema = ColumnSchema[];

/** Kusto's name for a type in result schemas (`typeof()`, `getschema`, union `_type` suffixes). */
export function kustoTypeName(t: ScalarType): string {
  return t;
}
