/**
 * Writing one table as a Parquet file (`stagehunt ingest --parquet`), typed exactly as the same rows
 * would be when read from NDJSON: the schema is the table's built-in one plus the columns its first
 * SAMPLE_RECORDS rows add, and every row is typed by it (a row that does not fit is rejected, with
 * its source, instead of written). Types are stored as parquet-schema.ts describes. Rows are written
 * in row groups of `rowGroupRows`; only the current group is held in memory.
 */
import { ParquetWriter, fileWriter, type ColumnSource } from 'hyparquet-writer';
import type { Schema, ScalarType, Value } from '../kql/values/types.js';
import type { RawRecord } from './formats.js';
import {
  kustoSchemaMetadata, parquetElementOf, MAX_NANOSECOND_TICKS, MIN_NANOSECOND_TICKS,
} from './parquet-schema.js';
import { builtinSchema } from './schemas.js';
import { RecordTyper, SAMPLE_RECORDS, SchemaSampler } from './table-source.js';

export const DEFAULT_ROW_GROUP_ROWS = 65_536;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

export interface ParquetTableWriterOptions {
  /** Rows per row group (default 65 536). */
  rowGroupRows?: number;
  /** Columns every row is typed by, before those the first rows add (default: the table's built-in schema). */
  baseSchema?: Schema;
  /** A row that does not fit the table's schema: `source` and `line` are what `add` was given. */
  onReject?: (source: string, line: number, reason: string) => void;
}

/** What was written: rows, rows rejected, and values Parquet cannot hold, written as null (datetimes outside 1677–2262, longs beyond 64 bits). */
export interface ParquetWriteSummary {
  rows: number;
  rejected: number;
  valuesOutOfRange: number;
}

interface PendingRow { record: RawRecord; source: string; line: number }

export class ParquetTableWriter {
  private readonly rowGroupRows: number;
  private readonly sampler: SchemaSampler;
  private pending: PendingRow[] = [];
  private schema?: Schema;
  private typer?: RecordTyper;
  private writer?: ParquetWriter;
  private group: Value[][] = [];
  private readonly summary: ParquetWriteSummary = { rows: 0, rejected: 0, valuesOutOfRange: 0 };

  constructor(private readonly path: string, private readonly table: string, private readonly options: ParquetTableWriterOptions = {}) {
    this.rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
    this.sampler = new SchemaSampler(options.baseSchema ?? builtinSchema(table) ?? []);
  }

  /** Adds a row (raw values, as a normaliser or an export gives them); `source`/`line` locate it for rejections. */
  add(record: RawRecord, source: string, line: number): void {
    if (!this.typer) {
      this.pending.push({ record, source, line });
      this.sampler.addRecord(record, false);
      if (this.pending.length >= SAMPLE_RECORDS) this.fixSchema();
      return;
    }
    this.typeAndKeep({ record, source, line });
  }

  /** Writes what is left and the file footer. A table given no rows still gets a valid (empty) file. */
  close(): ParquetWriteSummary {
    if (!this.typer) this.fixSchema();
    this.flushGroup();
    this.writer!.finish();
    return { ...this.summary };
  }

  private fixSchema(): void {
    this.schema = this.sampler.schema();
    this.typer = new RecordTyper(this.table, this.schema);
    this.writer = new ParquetWriter({
      writer: fileWriter(this.path),
      schema: [{ name: 'root', num_children: this.schema.length }, ...this.schema.map((c) => parquetElementOf(c.name, c.type))],
      kvMetadata: [kustoSchemaMetadata(this.schema)],
      createdBy: 'stagehunt',
    });
    for (const row of this.pending.splice(0)) this.typeAndKeep(row);
  }

  private typeAndKeep({ record, source, line }: PendingRow): void {
    const row = this.typer!.type(record);
    if (typeof row === 'string') {
      this.summary.rejected++;
      this.options.onReject?.(source, line, row);
      return;
    }
    this.group.push(row);
    if (this.group.length >= this.rowGroupRows) this.flushGroup();
  }

  private flushGroup(): void {
    if (this.group.length === 0) return;
    const rows = this.group;
    this.group = [];
    const columnData: ColumnSource[] = this.schema!.map((column, c) => ({
      name: column.name,
      data: this.parquetValues(column.type, rows, c) as ColumnSource['data'],
    }));
    void this.writer!.write({ columnData, rowGroupSize: rows.length });
    this.summary.rows += rows.length;
  }

  /** Column `c` of the rows in the form the Parquet element of `type` takes. */
  private parquetValues(type: ScalarType, rows: Value[][], c: number): unknown[] {
    const values = new Array<unknown>(rows.length);
    for (let r = 0; r < rows.length; r++) values[r] = this.parquetValue(type, rows[r]![c]!);
    return values;
  }

  private parquetValue(type: ScalarType, value: Value): unknown {
    if (value === null) return null;
    switch (type) {
      case 'long': {
        const long = BigInt(value as number);
        return long >= INT64_MIN && long <= INT64_MAX ? long : this.outOfRange();
      }
      case 'datetime': {
        const ticks = value as bigint;
        return ticks >= MIN_NANOSECOND_TICKS && ticks <= MAX_NANOSECOND_TICKS ? ticks * 100n : this.outOfRange();
      }
      default: return value;
    }
  }

  private outOfRange(): null {
    this.summary.valuesOutOfRange++;
    return null;
  }
}
