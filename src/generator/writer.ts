/**
 * Streams generated rows to one file per table (`DeviceFileEvents.ndjson`, `DeviceFileEvents.csv`, …),
 * every column of the table's built-in schema in schema order, so the data layer reads them with no
 * guessing. Rows are serialised by hand from precomputed key prefixes (several times faster than
 * JSON.stringify of a 60-key object) and written in chunks, waiting for the file when it is behind.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Schema, ScalarType } from '../kql/values/types.js';

export type OutputFormat = 'ndjson' | 'csv';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['ndjson', 'csv'];

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

export class TableWriter {
  readonly path: string;
  rows = 0;
  private readonly stream: WriteStream;
  private readonly names: string[];
  private readonly types: ScalarType[];
  private readonly jsonPrefixes: string[];
  private buffer: string[] = [];

  constructor(directory: string, readonly table: string, schema: Schema, private readonly format: OutputFormat) {
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
