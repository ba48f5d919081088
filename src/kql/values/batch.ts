import type { Schema, Value } from './types.js';

/**
 * A batch of rows stored column by column: `columns[i]` holds the values of `schema[i]`,
 * every column array has exactly `length` entries. Operators pass batches, never single rows.
 */
export interface Batch {
  schema: Schema;
  columns: Value[][];
  length: number;
}

/** Rows per batch produced by readers and sources; large enough to amortise per-batch work. */
export const BATCH_SIZE = 8192;

export function emptyBatch(schema: Schema): Batch {
  return { schema, columns: schema.map(() => []), length: 0 };
}

/** Builds a batch from row arrays (each row in schema order). */
export function batchFromRows(schema: Schema, rows: Value[][]): Batch {
  const columns = schema.map((_, c) => rows.map((r) => r[c] ?? null));
  return { schema, columns, length: rows.length };
}

/** Returns the rows of a batch as arrays in schema order. */
export function batchRows(batch: Batch): Value[][] {
  const rows: Value[][] = new Array(batch.length);
  for (let r = 0; r < batch.length; r++) {
    const row: Value[] = new Array(batch.columns.length);
    for (let c = 0; c < batch.columns.length; c++) row[c] = batch.columns[c]![r]!;
    rows[r] = row;
  }
  return rows;
}

/** Row indexes of a batch, ascending: the rows an operator keeps or evaluates an expression on. */
export type Selection = readonly number[];

/**
 * Columns whose every entry is one value (constants, and the columns a scan was not asked for).
 * They are never written to, so selecting rows from one is a lookup, not a copy.
 */
const uniformColumns = new WeakMap<Value[], Value>();

/** Columns handed out by constantColumn for the most common fillers, by length. */
const sharedColumns = new Map<Value, Map<number, Value[]>>();
const SHARED_FILLERS = new Set<Value>(['', null, true, false]);

/** A column of `length` copies of `value`. Callers must not modify it (it may be shared). */
export function constantColumn(value: Value, length: number): Value[] {
  // Only columns up to a batch long are shared, so the cache is bounded (BATCH_SIZE + 1 lengths per filler).
  if (!SHARED_FILLERS.has(value) || length > BATCH_SIZE) return markUniform(new Array<Value>(length).fill(value), value);
  let byLength = sharedColumns.get(value);
  if (!byLength) sharedColumns.set(value, (byLength = new Map()));
  let column = byLength.get(length);
  if (!column) {
    column = markUniform(new Array<Value>(length).fill(value), value);
    byLength.set(length, column);
  }
  return column;
}

function markUniform(column: Value[], value: Value): Value[] {
  uniformColumns.set(column, value);
  return column;
}

/** Whether a column is one value repeated (handed out by constantColumn, or a scan's unread column). */
export function isUniformColumn(column: Value[]): boolean {
  return uniformColumns.has(column);
}

/** The values of `column` at `rows` (in that order). */
export function gather(column: Value[], rows: Selection): Value[] {
  if (uniformColumns.has(column)) return constantColumn(uniformColumns.get(column)!, rows.length);
  const out = new Array<Value>(rows.length);
  for (let j = 0; j < rows.length; j++) out[j] = column[rows[j]!]!;
  return out;
}

/** Keeps the rows whose index is listed (in that order). */
export function selectRows(batch: Batch, indexes: Selection): Batch {
  const columns = batch.columns.map((col) => gather(col, indexes));
  return { schema: batch.schema, columns, length: indexes.length };
}

/**
 * Row filters applied by a scan itself (predicate pushdown): `where` predicates directly over a table,
 * compiled by the executor. Each predicate reads only `columns` of the table's schema (a batch handed
 * to it may leave the others unfilled) and keeps the rows it answers `true` for; predicates run in
 * order, each on the rows the previous ones kept, as consecutive `where`s do.
 */
export interface ScanFilter {
  columns: readonly string[];
  predicates: ReadonlyArray<(batch: Batch) => Value[]>;
  /**
   * The same predicates in a structured-clone-able form a worker thread can compile again
   * (kql/exec/portable-filter.ts); absent when they cannot leave this thread.
   */
  portable?: unknown;
}

/** Indexes of the rows a predicate's values keep (exactly `true`: null and false drop the row). */
export function trueRows(values: readonly Value[], length: number): number[] {
  const keep: number[] = [];
  for (let i = 0; i < length; i++) if (values[i] === true) keep.push(i);
  return keep;
}

/** The rows of `batch` every predicate of `filter` keeps (the batch itself when all are kept). */
export function filterBatch(batch: Batch, filter: ScanFilter): Batch {
  let kept = batch;
  for (const predicate of filter.predicates) {
    if (kept.length === 0) return kept;
    const keep = trueRows(predicate(kept), kept.length);
    if (keep.length !== kept.length) kept = selectRows(kept, keep);
  }
  return kept;
}
