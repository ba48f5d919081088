/**
 * The SQL side of the side-by-side benchmark: how DuckDB reads the generated files (typed explicitly
 * by the built-in Defender schemas, so every engine sees the same values) and small builders for the
 * KQL operators whose meaning SQL lacks (`has`, `has_any`: whole-term, ASCII-case-insensitive matching).
 */
import { join } from 'node:path';
import { builtinSchema } from '../data/schemas.js';
import type { ScalarType } from '../kql/values/types.js';

export type BenchFormat = 'ndjson' | 'csv' | 'parquet';
export const BENCH_FORMATS: readonly BenchFormat[] = ['ndjson', 'csv', 'parquet'];

const DUCKDB_TYPES: Record<ScalarType, string> = {
  bool: 'BOOLEAN', int: 'INTEGER', long: 'BIGINT', real: 'DOUBLE', decimal: 'DOUBLE', string: 'VARCHAR',
  // Kusto datetimes have 100 ns ticks; TIMESTAMP_NS keeps every digit of the text formats.
  datetime: 'TIMESTAMP_NS', timespan: 'BIGINT', guid: 'VARCHAR', dynamic: 'VARCHAR',
};

export function duckdbType(type: ScalarType): string {
  return DUCKDB_TYPES[type];
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The DuckDB table function reading one generated file, with the table's column types spelled out. */
function readerCall(path: string, format: BenchFormat, columns: ReadonlyArray<{ name: string; type: ScalarType }>): string {
  const struct = `{${columns.map((c) => `${quoteString(c.name)}: ${quoteString(duckdbType(c.type))}`).join(', ')}}`;
  switch (format) {
    case 'ndjson': return `read_json(${quoteString(path)}, format = 'newline_delimited', columns = ${struct})`;
    case 'csv': return `read_csv(${quoteString(path)}, header = true, auto_detect = false, columns = ${struct})`;
    // Parquet files carry their own types (written from the same schema).
    case 'parquet': return `read_parquet(${quoteString(path)})`;
  }
}

/** One column as the queries see it: Kusto strings are never null (empty instead); Parquet's UTC instants as plain timestamps. */
function columnExpression(name: string, type: ScalarType, format: BenchFormat): string {
  const column = quoteIdentifier(name);
  if (type === 'string' || type === 'guid' || type === 'dynamic') return `coalesce(${column}::VARCHAR, '') AS ${column}`;
  if (type === 'datetime' && format === 'parquet') return `CAST(${column} AS TIMESTAMP) AS ${column}`;
  return column;
}

/**
 * A sub-query standing for a Device* table read from `directory` in `format`: every schema column,
 * in schema order. DuckDB prunes the columns a query does not use, as our engine does.
 */
export function tableSourceSql(table: string, directory: string, format: BenchFormat): string {
  const schema = builtinSchema(table);
  if (!schema) throw new Error(`${table} is not a built-in Defender table`);
  const path = join(directory, `${table}.${format}`);
  const columns = schema.map((c) => columnExpression(c.name, c.type, format)).join(', ');
  return `(SELECT ${columns} FROM ${readerCall(path, format, schema)})`;
}

/** Replaces every `{Table}` placeholder in `sql` with that table's source sub-query. */
export function bindTables(sql: string, directory: string, format: BenchFormat): string {
  return sql.replace(/\{(Device[A-Za-z]+)\}/g, (_, table: string) => `${tableSourceSql(table, directory, format)} AS ${table}`);
}

const TERM_CHAR = /[0-9A-Za-z]/;
const RE2_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

/**
 * SQL for Kusto's `column has needle`: an ASCII-case-insensitive substring match that must be
 * term-aligned at each end where the needle starts or ends with a term character [0-9A-Za-z]
 * (docs/kql-semantics.md §1.3).
 */
export function hasSql(column: string, needle: string): string {
  const startBoundary = TERM_CHAR.test(needle.charAt(0));
  const endBoundary = TERM_CHAR.test(needle.charAt(needle.length - 1));
  if (!startBoundary && !endBoundary) return `contains(lower(${column}), ${quoteString(needle.toLowerCase())})`;
  const pattern = `(?i)${startBoundary ? '(^|[^0-9A-Za-z])' : ''}${needle.replace(RE2_SPECIAL, '\\$&')}${endBoundary ? '([^0-9A-Za-z]|$)' : ''}`;
  return `regexp_matches(${column}, ${quoteString(pattern)})`;
}

/** SQL for `column has_any (needles)`. */
export function hasAnySql(column: string, needles: readonly string[]): string {
  return `(${needles.map((n) => hasSql(column, n)).join(' OR ')})`;
}

/** SQL for `column in~ (values)` (ASCII-case-insensitive equality with any of them). */
export function inCaseInsensitiveSql(column: string, values: readonly string[]): string {
  return `lower(${column}) IN (${values.map((v) => quoteString(v.toLowerCase())).join(', ')})`;
}

/** A DuckDB TIMESTAMP literal for an ISO instant. */
export function timestampSql(iso: string): string {
  return `TIMESTAMP ${quoteString(iso.replace('T', ' ').replace(/Z$/, ''))}`;
}

const HOUR_MS = 3_600_000;

/** Kusto `ago(hours)` for a fixed now, as a SQL timestamp literal. */
export function agoSql(now: string, hours: number): string {
  return timestampSql(new Date(Date.parse(now) - hours * HOUR_MS).toISOString());
}
