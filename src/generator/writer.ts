/**
 * Streams generated rows to one file per table (`DeviceFileEvents.ndjson`, `.csv`, `.parquet`), every
 * column of the table's built-in schema in schema order, so the data layer reads them with no
 * guessing. Text rows are serialised by hand from precomputed key prefixes (several times faster than
 * JSON.stringify of a 60-key object) and written in chunks, waiting for the file when it is behind.
 * Parquet rows go through the same writer as `stagehunt ingest --parquet`, typed by the built-in schema
 * (datetimes as TIMESTAMP(NANOS), longs as INT64, …), one row group at a time.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Schema, ScalarType } from '../kql/values/types.js';
import { ParquetTableWriter } from '../data/parquet-writer.js';

export type OutputFormat = 'ndjson' | 'csv' | 'parquet';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['ndjson', 'csv', 'parquet'];

/** A generated row: column name → value (strings, numbers, booleans; absent columns are written empty). */
export type Row = Record<string, unknown>;

/** Rows buffered before one write() call: large enough to amortise the call, small enough to stay bounded. */
const ROWS_PER_CHUNK = 256;

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function jsonValue(value: unknown, type: ScalarType): string {
  if (value === undefined || value === null) return type === 'string' ? '""' : 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/** One output file per table: rows are queued by `write` (await the promise it may return), `close` finishes the file. */
export interface TableSink {
  readonly path: string;
  readonly rows: number;
  write(row: Row): Promise<void> | undefined;
  close(): Promise<void>;
}

export function openTableSink(directory: string, table: string, schema: Schema, format: OutputFormat): TableSink {
  return format === 'parquet' ? new ParquetSink(directory, table, schema) : new TableWriter(directory, table, schema, format);
}

export class TableWriter implements TableSink {
  readonly path: string;
  rows = 0;
  private readonly stream: WriteStream;
  private readonly names: string[];
  private readonly types: ScalarType[];
  private readonly jsonPrefixes: string[];
  private buffer: string[] = [];

  constructor(directory: string, readonly table: string, schema: Schema, private readonly format: 'ndjson' | 'csv') {
    this.path = join(directory, `${table}.${format}`);
    this.stream = createWriteStream(this.path);
    this.names = schema.map((c) => c.name);
    this.types = schema.map((c) => c.type);
    this.jsonPrefixes = this.names.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
    if (format === 'csv') this.buffer.push(this.names.map(csvField).join(','));
  }

  /** Queues one row; returns a promise only when the file needs time to catch up (await it then). */
  write(row: Row): Promise<void> | undefined {
    this.rows++;
    if (row['ReportId'] === undefined) row['ReportId'] = this.rows;
    this.buffer.push(this.format === 'csv' ? this.csvLine(row) : this.jsonLine(row));
    if (this.buffer.length < ROWS_PER_CHUNK) return undefined;
    return this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }

  private flush(): Promise<void> | undefined {
    if (this.buffer.length === 0) return undefined;
    const chunk = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    return this.stream.write(chunk) ? undefined : once(this.stream, 'drain').then(() => undefined);
  }

  private jsonLine(row: Row): string {
    let line = '';
    for (let i = 0; i < this.names.length; i++) line += this.jsonPrefixes[i]! + jsonValue(row[this.names[i]!], this.types[i]!);
    return `${line}}`;
  }

  private csvLine(row: Row): string {
    let line = '';
    for (let i = 0; i < this.names.length; i++) line += (i === 0 ? '' : ',') + csvField(row[this.names[i]!]);
    return line;
  }
}

/**
 * A Parquet file typed by the table's built-in schema. Only the schema's columns are handed over, so the
 * file holds exactly the NDJSON/CSV columns; a row the schema cannot type is a generator bug and throws.
 */
export class ParquetSink implements TableSink {
  readonly path: string;
  rows = 0;
  private readonly writer: ParquetTableWriter;
  private readonly names: string[];
  private readonly emptyValues: unknown[];

  constructor(directory: string, table: string, schema: Schema) {
    this.path = join(directory, `${table}.parquet`);
    this.names = schema.map((c) => c.name);
    // As in the text formats, an absent string is empty (Kusto strings are never null), anything else null.
    this.emptyValues = schema.map((c) => (c.type === 'string' ? '' : null));
    this.writer = new ParquetTableWriter(this.path, table, {
      baseSchema: schema,
      onReject: (_source, line, reason) => {
        throw new Error(`${table} row ${line} does not fit the ${table} schema: ${reason}`);
      },
    });
  }

  write(row: Row): undefined {
    this.rows++;
    if (row['ReportId'] === undefined) row['ReportId'] = this.rows;
    const record: Row = {};
    for (let i = 0; i < this.names.length; i++) record[this.names[i]!] = row[this.names[i]!] ?? this.emptyValues[i];
    this.writer.add(record, this.path, this.rows);
    return undefined;
  }

  async close(): Promise<void> {
    this.writer.close();
  }
}
