/**
 * Collects typed rows into column batches, applying a scan's filter (predicate pushdown) when a batch
 * is taken. Rows typed from NDJSON bytes may arrive with some string columns still undecoded
 * (`pushDeferred`): the filter runs first, on the columns it reads, and only the rows it keeps have
 * their deferred values decoded — most of a record is never turned into strings when few rows pass.
 */
import { type Batch, type ScanFilter, constantColumn, trueRows } from '../kql/values/batch.js';
import type { Schema, Value } from '../kql/values/types.js';
import { missingValue } from './coerce.js';
import type { DeferredTokens, NdjsonRowTyper } from './ndjson-rows.js';

/** Stands in for the columns a filter does not read in the batches handed to its predicates. */
const UNREAD: Value[] = [];

export class RowCollector {
  private columns: Value[][];
  private readonly neededIndexes: number[];
  private readonly neededSet: Set<number>;
  private readonly filterColumns: Set<number>;
  /** Per pending row: its deferred values are still in `deferred` (else the row is complete). */
  private isDeferred = new Uint8Array(0);
  private deferred: DeferredTokens | undefined;
  private deferredBy: NdjsonRowTyper | undefined;
  length = 0;

  constructor(private readonly schema: Schema, needed: readonly boolean[], private readonly filter?: ScanFilter) {
    this.neededIndexes = needed.flatMap((isNeeded, c) => (isNeeded ? [c] : []));
    this.neededSet = new Set(this.neededIndexes);
    const names = new Set(filter?.columns ?? []);
    this.filterColumns = new Set(schema.flatMap((c, i) => (names.has(c.name) ? [i] : [])));
    this.columns = schema.map(() => []);
  }

  /** Appends a complete row given in schema order (only its needed columns are read). */
  push(row: readonly Value[]): void {
    for (const c of this.neededIndexes) this.columns[c]!.push(row[c]!);
    this.markDeferred(false);
    this.length++;
  }

  /** Appends the row `typer` just typed, whose deferred columns are decoded only if the filter keeps it. */
  pushDeferred(typer: NdjsonRowTyper, capacity: number): void {
    if (this.deferredBy !== typer || this.deferred === undefined || this.isDeferred.length < capacity) {
      this.deferredBy = typer;
      this.deferred = typer.deferredStore(capacity);
      this.isDeferred = new Uint8Array(capacity);
    }
    for (const c of this.neededIndexes) this.columns[c]!.push(typer.row[c]!);
    typer.saveDeferred(this.deferred, this.length);
    this.markDeferred(true);
    this.length++;
  }

  private markDeferred(deferred: boolean): void {
    if (this.length < this.isDeferred.length) this.isDeferred[this.length] = deferred ? 1 : 0;
    else if (deferred) throw new Error('internal: more deferred rows than the collector was sized for');
  }

  /** The rows collected so far that the filter keeps, as one batch; the collector starts afresh. */
  take(): Batch {
    const kept = this.filter ? this.keptRows() : undefined;
    if (this.deferredBy && this.deferred) this.decodeDeferred(kept);
    const length = kept ? kept.length : this.length;
    const columns = this.schema.map((column, c) => {
      if (!this.neededSet.has(c)) return constantColumn(missingValue(column.type), length);
      const values = this.columns[c]!;
      return kept ? kept.map((r) => values[r]!) : values;
    });
    this.columns = this.schema.map(() => []);
    this.length = 0;
    return { schema: this.schema, columns, length };
  }

  /** Indexes of the pending rows every predicate keeps, evaluated in order on what the previous kept. */
  private keptRows(): number[] {
    let rows = Array.from({ length: this.length }, (_, i) => i);
    let batch = this.filterView(undefined);
    for (const predicate of this.filter!.predicates) {
      if (rows.length === 0) break;
      const keep = trueRows(predicate(batch), batch.length);
      if (keep.length === batch.length) continue;
      rows = keep.map((i) => rows[i]!);
      batch = this.filterView(rows);
    }
    return rows;
  }

  /** A batch of the filter's columns over `rows` (all pending rows when undefined); the columns it does not read are left empty. */
  private filterView(rows: number[] | undefined): Batch {
    const columns = this.schema.map((_, c) => {
      if (!this.filterColumns.has(c)) return UNREAD;
      const values = this.columns[c]!;
      return rows ? rows.map((r) => values[r]!) : values;
    });
    return { schema: this.schema, columns, length: rows ? rows.length : this.length };
  }

  /** Decodes the deferred values of the rows kept (all rows without a filter) into their columns. */
  private decodeDeferred(kept: number[] | undefined): void {
    const typer = this.deferredBy!;
    const store = this.deferred!;
    const rows = kept ?? Array.from({ length: this.length }, (_, i) => i);
    typer.deferredColumns.forEach((c, k) => {
      const values = this.columns[c]!;
      for (const r of rows) if (this.isDeferred[r] === 1) values[r] = typer.decodeDeferred(store, r, k);
    });
  }
}
