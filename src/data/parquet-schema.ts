/**
 * How Kusto column types are stored in Parquet, and which Kusto type a Parquet column reads as.
 *
 * Written (parquet-writer.ts):
 *   bool → BOOLEAN; int → INT32; long → INT64; real, decimal → DOUBLE;
 *   datetime → INT64 TIMESTAMP(NANOS, UTC): 100 ns ticks × 100, so every Kusto digit is kept — but only
 *     for instants between 1677-09-21 and 2262-04-11 (the signed 64-bit nanosecond range);
 *   timespan → INT64 holding 100 ns ticks (Parquet has no duration type);
 *   string, guid → BYTE_ARRAY UTF8; dynamic → BYTE_ARRAY JSON (UTF-8 JSON text).
 * The file's key-value metadata `stagehunt.kusto_schema` records each column's Kusto type, so that
 * what Parquet cannot say (timespan vs long, guid vs string, int vs long for DOUBLE…) reads back exactly.
 *
 * Read (parquet-reader.ts), for files from any writer: the Kusto type recorded in the metadata when it
 * fits the physical type; else BOOLEAN → bool, INT32/INT16/INT8 → int, INT64 and UINT32 → long,
 * FLOAT/DOUBLE/DECIMAL → real, TIMESTAMP (any unit), DATE, INT96 → datetime, UUID → guid,
 * JSON and nested groups/lists/maps → dynamic, anything else (UTF8, ENUM, plain binary) → string.
 */
import type { SchemaElement, SchemaTree } from 'hyparquet';
import { parseTypeName, type ScalarType, type Schema } from '../kql/values/types.js';

export const KUSTO_SCHEMA_KEY = 'stagehunt.kusto_schema';

/** 1677-09-21 … 2262-04-11: the ticks whose nanosecond count fits a signed 64-bit integer. */
export const MIN_NANOSECOND_TICKS = -(2n ** 63n) / 100n;
export const MAX_NANOSECOND_TICKS = (2n ** 63n - 1n) / 100n;

/** The Parquet schema element a Kusto column is written as (every column optional: Kusto has nulls). */
export function parquetElementOf(name: string, type: ScalarType): SchemaElement {
  const optional = { name, repetition_type: 'OPTIONAL' as const };
  switch (type) {
    case 'bool': return { ...optional, type: 'BOOLEAN' };
    case 'int': return { ...optional, type: 'INT32' };
    case 'long': case 'timespan': return { ...optional, type: 'INT64' };
    case 'real': case 'decimal': return { ...optional, type: 'DOUBLE' };
    case 'datetime':
      return { ...optional, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } };
    case 'string': case 'guid':
      return { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'dynamic':
      return { ...optional, type: 'BYTE_ARRAY', converted_type: 'JSON', logical_type: { type: 'JSON' } };
  }
}

/** The key-value metadata entry recording the Kusto schema of a file written here. */
export function kustoSchemaMetadata(schema: Schema): { key: string; value: string } {
  return { key: KUSTO_SCHEMA_KEY, value: JSON.stringify(schema.map((c) => ({ name: c.name, type: c.type }))) };
}

/** The Kusto types a file's metadata records, by column name (empty when it records none or garbage). */
export function recordedKustoTypes(keyValues: ReadonlyArray<{ key: string; value?: string }> | undefined): Map<string, ScalarType> {
  const types = new Map<string, ScalarType>();
  const entry = keyValues?.find((kv) => kv.key === KUSTO_SCHEMA_KEY);
  if (!entry?.value) return types;
  let parsed: unknown;
  try {
    parsed = JSON.parse(entry.value);
  } catch {
    return types;
  }
  if (!Array.isArray(parsed)) return types;
  for (const column of parsed) {
    const name: unknown = column?.name;
    const type = typeof column?.type === 'string' ? parseTypeName(column.type) : undefined;
    if (typeof name === 'string' && type) types.set(name, type);
  }
  return types;
}

/** The Kusto type a leaf (non-nested) Parquet column naturally reads as. */
function naturalLeafType(element: SchemaElement): ScalarType {
  const { type, converted_type: converted, logical_type: logical } = element;
  if (logical?.type === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS'
    || logical?.type === 'DATE' || converted === 'DATE' || type === 'INT96') return 'datetime';
  if (logical?.type === 'UUID') return 'guid';
  if (logical?.type === 'JSON' || converted === 'JSON') return 'dynamic';
  if (logical?.type === 'DECIMAL' || converted === 'DECIMAL') return 'real';
  switch (type) {
    case 'BOOLEAN': return 'bool';
    case 'INT32': return converted === 'UINT_32' || (logical?.type === 'INTEGER' && !logical.isSigned) ? 'long' : 'int';
    case 'INT64': return 'long';
    case 'FLOAT': case 'DOUBLE': return 'real';
    default: return 'string';
  }
}

/** Kusto types a leaf's physical values can be read as without loss (the recorded type must be one). */
function fitsPhysical(recorded: ScalarType, element: SchemaElement): boolean {
  const natural = naturalLeafType(element);
  if (recorded === natural) return true;
  switch (element.type) {
    case 'INT64': return natural === 'long' && recorded === 'timespan';
    case 'DOUBLE': return natural === 'real' && recorded === 'decimal';
    case 'BYTE_ARRAY': return natural === 'string' && recorded === 'guid';
    default: return false;
  }
}

/** The Kusto type of a top-level column: nested ones are dynamic; a recorded type wins when it fits. */
export function kustoTypeOf(column: SchemaTree, recorded: ScalarType | undefined): ScalarType {
  if (column.children.length > 0 || column.element.repetition_type === 'REPEATED') return 'dynamic';
  if (recorded && fitsPhysical(recorded, column.element)) return recorded;
  return naturalLeafType(column.element);
}
