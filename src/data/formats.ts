/**
 * File formats: recognising data files by name, opening them (gzip detected by its magic bytes), and
 * reading them as a stream of raw records (plain objects keyed by column name) with their 1-based
 * line (NDJSON, CSV) or record number (JSON documents), or as bad items saying why a record is unusable.
 *
 * Memory: NDJSON and CSV are streamed (only the current chunk and record are held). A JSON document
 * (an array, or an API response object) is read whole, because its records are only known once the
 * closing bracket is seen; large exports should be NDJSON (`.ndjson`/`.jsonl`) or CSV.
 * Parquet (parquet-reader.ts) is read one row group at a time, decoding only the columns a scan needs.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { parse as parseCsv, type Options as CsvOptions } from 'csv-parse';
import { parseTypeName, type ScalarType } from '../kql/values/types.js';
import { parquetStream, type ScanRequest } from './parquet-reader.js';

export type { ScanRequest } from './parquet-reader.js';

export type DataFormat = 'csv' | 'json' | 'ndjson' | 'parquet';

const FORMAT_BY_EXTENSION: Record<string, DataFormat> = {
  csv: 'csv', json: 'json', ndjson: 'ndjson', jsonl: 'ndjson', parquet: 'parquet',
};

/** The data format a file name announces (`x.csv`, `x.jsonl.gz`, …) and the name without its extensions. */
export function dataFormatOf(fileName: string): { format: DataFormat; stem: string } | undefined {
  const withoutGz = fileName.replace(/\.gz$/i, '');
  const match = /^(.*)\.([A-Za-z]+)$/.exec(withoutGz);
  if (!match) return undefined;
  const format = FORMAT_BY_EXTENSION[match[2]!.toLowerCase()];
  return format ? { format, stem: match[1]! } : undefined;
}

export type RawRecord = Record<string, unknown>;

export type RawItem =
  | { kind: 'record'; line: number; record: RawRecord }
  | { kind: 'bad'; line: number; reason: string };

export interface RecordStream {
  /** Values are text whose type must be guessed (CSV), rather than typed JSON values. */
  textual: boolean;
  /** Column types the file itself declares (API responses carry a schema). */
  declaredTypes: Map<string, ScalarType>;
  /** The declared types cover every column (Parquet): no records need sampling to fix the schema. */
  declaresAllColumns?: boolean;
  /** Its records hold only columns of the table's schema (Parquet leaves the others unread, with a warning). */
  onlyTableColumns?: boolean;
  items: AsyncIterable<RawItem>;
  /**
   * The same records column by column, when the format stores them so (Parquet row groups): a scan
   * reads these instead of `items`, without an object per record.
   */
  blocks?: AsyncIterable<ColumnBlock | Extract<RawItem, { kind: 'bad' }>>;
}

/** Records `line`… `line + length - 1` given column by column: each column's values in record order. */
export interface ColumnBlock {
  kind: 'columns';
  line: number;
  length: number;
  columns: Map<string, ArrayLike<unknown>>;
}

export interface ReaderHooks {
  /** Reports something odd about the file that is not a bad record (e.g. duplicate CSV headers). */
  warn(message: string): void;
}

const GZIP_MAGIC = [0x1f, 0x8b];

export async function isGzipped(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** The file's bytes, decompressed when they are gzip, as a stream of UTF-8 text. */
export async function openText(path: string): Promise<Readable> {
  const raw = createReadStream(path);
  let text: Readable = raw;
  if (await isGzipped(path)) {
    // pipeline() forwards a read error of the file to the gunzip stream its consumer iterates.
    text = pipeline(raw, createGunzip(), () => {});
  }
  text.setEncoding('utf8');
  return text;
}

async function readWholeText(path: string): Promise<string> {
  const bytes = await readFile(path);
  const plain = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1] ? await promisify(gunzip)(bytes) : bytes;
  return stripBom(plain.toString('utf8'));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isPlainObject(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOfJsonValue(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** One parsed JSON line or element → a record item, or a bad item when it is not an object. */
function jsonValueItem(value: unknown, line: number): RawItem {
  if (isPlainObject(value)) return { kind: 'record', line, record: value };
  return { kind: 'bad', line, reason: `expected a JSON object, found ${typeOfJsonValue(value)}` };
}

/** One NDJSON line (without its line end) → its item; undefined for a blank line. */
export function ndjsonLineItem(text: string, line: number): RawItem | undefined {
  if (text.trim() === '') return undefined;
  try {
    return jsonValueItem(JSON.parse(text), line);
  } catch (error) {
    return { kind: 'bad', line, reason: `invalid JSON: ${describeError(error)}` };
  }
}

export function withoutCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Splits streamed text into lines (LF or CRLF), keeping the line number; only a partial last line is carried over. */
export async function* textLines(text: AsyncIterable<string>): AsyncGenerator<{ line: number; text: string }> {
  let carried = '';
  let line = 0;
  let first = true;
  for await (const chunk of text) {
    const buffer = carried + (first ? stripBom(chunk) : chunk);
    first = false;
    let start = 0;
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n', start)) {
      yield { line: ++line, text: withoutCarriageReturn(buffer.slice(start, newline)) };
      start = newline + 1;
    }
    carried = buffer.slice(start);
  }
  if (carried !== '') yield { line: ++line, text: withoutCarriageReturn(carried) };
}

/** The item reporting that a file could not be read past `line` (a damaged gzip stream). */
export function unreadableFrom(line: number, error: unknown): RawItem {
  return { kind: 'bad', line, reason: `file unreadable from here on: ${describeError(error)}` };
}

async function* ndjsonItems(path: string): AsyncGenerator<RawItem> {
  const text = await openText(path);
  let lastLine = 0;
  try {
    for await (const { line, text: lineText } of textLines(text)) {
      lastLine = line;
      const item = ndjsonLineItem(lineText, line);
      if (item) yield item;
    }
  } catch (error) {
    // A truncated or corrupt gzip stream ends the file early; the loss is reported, not thrown.
    yield unreadableFrom(lastLine + 1, error);
  } finally {
    text.destroy();
  }
}

export function ndjsonStream(path: string): RecordStream {
  return { textual: false, declaredTypes: new Map(), items: ndjsonItems(path) };
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Log Analytics exports name columns `TimeGenerated [UTC]`; the column is `TimeGenerated`. */
export function normaliseHeader(headers: string[], hooks: ReaderHooks, path: string): string[] {
  const seen = new Set<string>();
  return headers.map((header, index) => {
    let name = header.trim().replace(/\s*\[UTC\]$/i, '');
    if (name === '') name = `Column${index + 1}`;
    if (seen.has(name)) {
      let suffix = 1;
      while (seen.has(`${name}${suffix}`)) suffix++;
      hooks.warn(`${path}: duplicate CSV column "${name}" renamed to "${name}${suffix}"`);
      name = `${name}${suffix}`;
    }
    seen.add(name);
    return name;
  });
}

/** How many lines a raw CSV record covers (its own line end excluded). */
function lineSpan(raw: string): number {
  const body = raw.replace(/\r?\n$|\r$/, '');
  let span = 1;
  for (let i = body.indexOf('\n'); i >= 0; i = body.indexOf('\n', i + 1)) span++;
  return span;
}

interface CsvRow {
  line: number;
  fields: string[];
  /** Malformed records csv-parse skipped just before this one (kept in order with it). */
  skippedBefore: RawItem[];
}

export function isBlankRow(fields: string[]): boolean {
  return fields.length === 1 && fields[0]!.trim() === '';
}

/**
 * Where csv-parse takes over a CSV file another reader began (csv-rows.ts): at a record boundary,
 * `offset` bytes into the file (not gzip), at line `line`, with the header and the record delimiter
 * the beginning of the file established.
 */
export interface CsvResume {
  offset: number;
  line: number;
  header: string[];
  recordDelimiter: '\n' | '\r\n';
}

/** The CSV parser, tracking the first line of every record (csv-parse's own counter miscounts CRLF in quotes). */
function csvParser(resume?: CsvResume): { parser: ReturnType<typeof parseCsv>; leftovers: RawItem[] } {
  let nextLine = resume?.line ?? 1;
  const leftovers: RawItem[] = [];
  const options: CsvOptions<CsvRow, { record: string[]; raw: string }> = {
    bom: !resume,
    ...(resume ? { record_delimiter: resume.recordDelimiter } : {}),
    raw: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    on_skip: (error: Error | undefined, raw: string | undefined) => {
      const line = nextLine;
      nextLine += lineSpan(raw ?? '');
      leftovers.push({ kind: 'bad', line, reason: `malformed CSV: ${describeError(error)}` });
      return undefined;
    },
    // With `raw: true`, on_record receives `{ record, raw }`; what it returns is what the parser emits.
    on_record: (parsed) => {
      const line = nextLine;
      nextLine += lineSpan(parsed.raw);
      return { line, fields: parsed.record, skippedBefore: leftovers.splice(0) };
    },
  };
  // csv-parse's typings accept a custom record type only together with `columns`; we map headers ourselves.
  const parser = parseCsv(options as unknown as CsvOptions);
  return { parser, leftovers };
}

export async function* csvItems(path: string, hooks: ReaderHooks, resume?: CsvResume): AsyncGenerator<RawItem> {
  const text = resume ? createReadStream(path, { start: resume.offset, encoding: 'utf8' }) : await openText(path);
  const { parser, leftovers } = csvParser(resume);
  pipeline(text, parser, () => {});
  let header: string[] | undefined = resume?.header;
  let lastLine = (resume?.line ?? 1) - 1;
  try {
    for await (const row of parser as AsyncIterable<CsvRow>) {
      yield* row.skippedBefore;
      lastLine = row.line;
      if (isBlankRow(row.fields)) continue;
      if (!header) {
        header = normaliseHeader(row.fields, hooks, path);
        continue;
      }
      yield csvRowItem(header, row);
    }
    yield* leftovers.splice(0);
  } catch (error) {
    yield* leftovers.splice(0);
    yield unreadableFrom(lastLine + 1, error);
  } finally {
    text.destroy();
    parser.destroy();
  }
}

export function csvRowItem(header: string[], row: Pick<CsvRow, 'line' | 'fields'>): RawItem {
  if (row.fields.length !== header.length) {
    return {
      kind: 'bad',
      line: row.line,
      reason: `expected ${header.length} fields (as in the header), found ${row.fields.length}`,
    };
  }
  const record: RawRecord = {};
  for (let i = 0; i < header.length; i++) record[header[i]!] = row.fields[i];
  return { kind: 'record', line: row.line, record };
}

export function csvStream(path: string, hooks: ReaderHooks): RecordStream {
  return { textual: true, declaredTypes: new Map(), items: csvItems(path, hooks) };
}

// ---------------------------------------------------------------------------------------------
// JSON documents

/** .NET type names used by the Defender advanced-hunting API schema, and Kusto's own names. */
const API_TYPE_NAMES: Record<string, ScalarType> = {
  datetime: 'datetime', string: 'string', int64: 'long', int32: 'int', boolean: 'bool', sbyte: 'bool',
  double: 'real', single: 'real', decimal: 'decimal', sqldecimal: 'decimal', object: 'dynamic',
  guid: 'guid', timespan: 'timespan',
};

function apiTypeName(name: unknown): ScalarType | undefined {
  if (typeof name !== 'string') return undefined;
  const lower = name.toLowerCase().replace(/^system\./, '');
  return API_TYPE_NAMES[lower] ?? parseTypeName(lower);
}

/** `[{Name, Type}]` (Defender API) or `[{name, type}]` (Graph, Log Analytics) → declared types. */
function declaredTypesOf(schema: unknown): Map<string, ScalarType> {
  const types = new Map<string, ScalarType>();
  if (!Array.isArray(schema)) return types;
  for (const column of schema) {
    if (!isPlainObject(column)) continue;
    const name = column['Name'] ?? column['name'] ?? column['ColumnName'];
    const type = apiTypeName(column['Type'] ?? column['type'] ?? column['DataType'] ?? column['ColumnType']);
    if (typeof name === 'string' && type) types.set(name, type);
  }
  return types;
}

interface JsonDocument {
  records: unknown[];
  declaredTypes: Map<string, ScalarType>;
}

/** Log Analytics query API: `{"tables":[{"columns":[{name,type}],"rows":[[…]]}]}` → row objects. */
function logAnalyticsTable(doc: RawRecord): JsonDocument | undefined {
  const tables = doc['tables'] ?? doc['Tables'];
  if (!Array.isArray(tables) || tables.length === 0 || !isPlainObject(tables[0])) return undefined;
  const table = tables[0];
  const columns = table['columns'] ?? table['Columns'];
  const rows = table['rows'] ?? table['Rows'];
  if (!Array.isArray(columns) || !Array.isArray(rows)) return undefined;
  const names = columns.map((c) => (isPlainObject(c) ? String(c['name'] ?? c['ColumnName'] ?? '') : ''));
  const records = rows.map((row) => {
    if (!Array.isArray(row)) return row;
    const record: RawRecord = {};
    names.forEach((name, i) => (record[name] = row[i]));
    return record;
  });
  return { records, declaredTypes: declaredTypesOf(columns) };
}

/** The records of a JSON document: an array, an API response envelope, or one object. */
function jsonDocumentRecords(doc: unknown): JsonDocument {
  if (Array.isArray(doc)) return { records: doc, declaredTypes: new Map() };
  if (!isPlainObject(doc)) return { records: [doc], declaredTypes: new Map() };
  const results = doc['Results'] ?? doc['results'];
  if (Array.isArray(results)) {
    return { records: results, declaredTypes: declaredTypesOf(doc['Schema'] ?? doc['schema']) };
  }
  if (Array.isArray(doc['value'])) return { records: doc['value'], declaredTypes: new Map() };
  return logAnalyticsTable(doc) ?? { records: [doc], declaredTypes: new Map() };
}

async function* arrayItems(records: unknown[]): AsyncGenerator<RawItem> {
  for (let i = 0; i < records.length; i++) yield jsonValueItem(records[i], i + 1);
}

async function* textNdjsonItems(text: string): AsyncGenerator<RawItem> {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const item = ndjsonLineItem(lines[i]!.replace(/\r$/, ''), i + 1);
    if (item) yield item;
  }
}

async function* singleBad(line: number, reason: string): AsyncGenerator<RawItem> {
  yield { kind: 'bad', line, reason };
}

/** Line (1-based) of a JSON.parse error, when V8's message gives its position (not all messages do); else 1. */
function jsonErrorLine(text: string, error: unknown): number {
  const position = /position (\d+)/.exec(describeError(error));
  if (!position) return 1;
  const offset = Number(position[1]);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * A `.json` file: a JSON document read whole, or — since many tools write one object per line
 * under a `.json` name — NDJSON when the whole text is not one JSON value but its first line is.
 */
export async function jsonStream(path: string): Promise<RecordStream> {
  const text = await readWholeText(path);
  try {
    const { records, declaredTypes } = jsonDocumentRecords(JSON.parse(text));
    return { textual: false, declaredTypes, items: arrayItems(records) };
  } catch (error) {
    const firstNewline = text.indexOf('\n');
    const firstLine = (firstNewline < 0 ? text : text.slice(0, firstNewline)).trim();
    if (firstLine.startsWith('{') && ndjsonLineItem(firstLine, 1)?.kind === 'record') {
      return { textual: false, declaredTypes: new Map(), items: textNdjsonItems(text) };
    }
    const reason = `invalid JSON document: ${describeError(error)}`;
    return { textual: false, declaredTypes: new Map(), items: singleBad(jsonErrorLine(text, error), reason) };
  }
}

/**
 * Opens a data file of a known format as a record stream. `scan` lets a columnar format (Parquet)
 * decode only the columns the scan needs; text formats read everything regardless.
 */
export async function openRecordStream(path: string, format: DataFormat, hooks: ReaderHooks, scan?: ScanRequest): Promise<RecordStream> {
  switch (format) {
    case 'ndjson': return ndjsonStream(path);
    case 'csv': return csvStream(path, hooks);
    case 'json': return jsonStream(path);
    case 'parquet': return parquetStream(path, hooks, scan);
  }
}
