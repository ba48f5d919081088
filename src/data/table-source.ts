/**
 * Tables as streams of typed column batches: the schema is fixed from the built-in schema plus a
 * sample of the data, then every record is typed by it (coerce.ts); a record that does not fit is
 * rejected with its location, never dropped silently and never half-kept.
 */
import { BATCH_SIZE, type Batch, type ScanFilter } from '../kql/values/batch.js';
import type { ScalarType, Schema, Value } from '../kql/values/types.js';
import { TypeGuesser, coerceValue, describeRaw } from './coerce.js';
import {
  csvItems, csvRowItem, isBlankRow, isGzipped, ndjsonLineItem, normaliseHeader, openRecordStream, unreadableFrom,
  withoutCarriageReturn, type ColumnBlock, type CsvResume, type RawItem, type RawRecord, type ReaderHooks, type RecordStream, type ScanRequest,
} from './formats.js';
import { CsvRecordScanner, CsvRowTyper } from './csv-rows.js';
import type { DataFile } from './discovery.js';
import type { IssueLog } from './issues.js';
import { builtinSchema } from './schemas.js';
import { isAbsent, timeFallbacks } from './time-fallbacks.js';
import { lineBlocks, type LineBlock } from './line-blocks.js';
import { NdjsonRowTyper } from './ndjson-rows.js';
import { RowCollector } from './row-collector.js';
import { type ParallelItem, parallelScanOf } from './parallel-scan.js';

export interface TableSource {
  name: string;
  /** Fixed before scanning. */
  schema: Schema;
  /** Streams batches (BATCH_SIZE rows max). `columns`: names the query needs — only those must be correct;
   *  others may be left as empty-string/null arrays (projection pushdown; the batch schema is still the full schema).
   *  `filter`: only rows its predicates keep are yielded (predicate pushdown). */
  scan(columns?: readonly string[], filter?: ScanFilter): AsyncIterable<Batch>;
}

/** Records sampled to fix the types of columns no schema declares. */
export const SAMPLE_RECORDS = 1000;

const LF = 0x0a;

/** Guesses the columns a sample adds to a table's base (built-in) schema, in order of first appearance. */
export class SchemaSampler {
  private readonly baseNames: Set<string>;
  private readonly guessers = new Map<string, TypeGuesser>();
  private readonly declared = new Map<string, ScalarType>();
  records = 0;

  constructor(private readonly base: Schema) {
    this.baseNames = new Set(base.map((c) => c.name));
  }

  addDeclared(types: Map<string, ScalarType>, textual: boolean): void {
    for (const [name, type] of types) {
      if (this.baseNames.has(name) || this.declared.has(name)) continue;
      this.declared.set(name, type);
      this.guesserOf(name, textual);
    }
  }

  addRecord(record: RawRecord, textual: boolean): void {
    this.records++;
    for (const name in record) {
      if (!this.baseNames.has(name)) this.guesserOf(name, textual).add(record[name]);
    }
  }

  private guesserOf(name: string, textual: boolean): TypeGuesser {
    let guesser = this.guessers.get(name);
    if (!guesser) {
      guesser = new TypeGuesser(textual);
      this.guessers.set(name, guesser);
    }
    return guesser;
  }

  schema(): Schema {
    const extras = [...this.guessers].map(([name, guesser]) => ({
      name,
      type: this.declared.get(name) ?? guesser.guess(),
    }));
    return [...this.base.map((c) => ({ ...c })), ...extras];
  }
}

/** A row RecordTyper types into: its values, and which slots the last record set. */
export interface TypedRow {
  values: Value[];
  set: number[];
}

/** Types records by a fixed schema into rows, or says why a record does not fit. */
export class RecordTyper {
  private readonly names: string[];
  private readonly types: ScalarType[];
  private readonly fallbacks: Array<[number, number]>;

  /** Schema index by column name. */
  private readonly indexOf: Map<string, number>;
  /** What each column reads as when the record lacks it. */
  private readonly absentRow: Value[];

  constructor(tableName: string, schema: Schema) {
    this.names = schema.map((c) => c.name);
    this.types = schema.map((c) => c.type);
    this.fallbacks = timeFallbacks(tableName, schema);
    this.indexOf = new Map(this.names.map((name, i) => [name, i]));
    this.absentRow = this.types.map((type) => {
      const absent = coerceValue(type, undefined);
      if (!absent.ok) throw new Error(`internal: an absent ${type} value is refused`);
      return absent.value;
    });
  }

  /**
   * The typed row, or the reason the record is rejected. Only the record's own keys are typed (a
   * Parquet record holds the columns a scan reads, a JSON line often a few of the schema's): the
   * others read as absent. A rejected record is typed again column by column, so the message names
   * the first refused column in schema order, as always.
   */
  type(record: RawRecord): Value[] | string {
    const row = this.newRow();
    return this.typeInto(record, row) ?? row.values;
  }

  /** A row to type records into again and again (typeInto). */
  newRow(): TypedRow {
    return { values: this.absentRow.slice(), set: [] };
  }

  /**
   * Types the record into `row` (a row of this typer's, holding the last record typed into it):
   * undefined when accepted, else the reason. Only the slots the last record set are reset.
   */
  typeInto(record: RawRecord, row: TypedRow): string | undefined {
    const { values, set } = row;
    for (const i of set) values[i] = this.absentRow[i]!;
    set.length = 0;
    for (const name in record) {
      const i = this.indexOf.get(name);
      const raw = record[name];
      if (i === undefined || raw === undefined) continue;
      const result = coerceValue(this.types[i]!, raw);
      if (!result.ok) return this.rejection(record);
      values[i] = result.value;
      set.push(i);
    }
    for (const [target, source] of this.fallbacks) {
      if (!isAbsent(record[this.names[target]!])) continue;
      values[target] = values[source]!;
      set.push(target);
    }
    return undefined;
  }

  /** Why the record is rejected: its first refused column in schema order. */
  private rejection(record: RawRecord): string {
    for (let i = 0; i < this.names.length; i++) {
      const raw = record[this.names[i]!];
      const result = coerceValue(this.types[i]!, raw);
      if (!result.ok) return this.refusal(i, raw, result.error);
    }
    throw new Error('internal: a record refused by one column is accepted by all');
  }

  private refusal(column: number, raw: unknown, error: string): string {
    return `column ${this.names[column]} (${this.types[column]}): ${describeRaw(raw)} is ${error}`;
  }

  /**
   * Types records `from`… `from + length - 1` of a block given column by column, as type() types
   * each of them: `accept` gets each accepted row (the same array, typed again for the next one),
   * `reject` each refused record's index in the block and the reason (its first refused column in
   * schema order, as type() words it).
   */
  typeColumns(block: ColumnBlock, from: number, length: number, row: TypedRow, accept: (values: Value[]) => void, reject: (index: number, reason: string) => void): void {
    const present: Array<{ column: number; raw: ArrayLike<unknown>; typed: Value[] }> = [];
    for (const [name, raw] of block.columns) {
      const column = this.indexOf.get(name);
      if (column !== undefined) present.push({ column, raw, typed: new Array<Value>(length) });
    }
    present.sort((a, b) => a.column - b.column);
    let reasons: Array<string | undefined> | undefined;
    for (const { column, raw, typed } of present) {
      const type = this.types[column]!;
      for (let r = 0; r < length; r++) {
        const value = raw[from + r];
        if (value === undefined) {
          typed[r] = this.absentRow[column]!;
          continue;
        }
        const result = coerceValue(type, value);
        if (result.ok) typed[r] = result.value;
        else if ((reasons ??= new Array<string | undefined>(length))[r] === undefined) reasons[r] = this.refusal(column, value, result.error);
      }
    }
    const { values, set } = row;
    for (const i of set) values[i] = this.absentRow[i]!;
    set.length = 0;
    const rawOf = (column: number, r: number) => present.find((p) => p.column === column)?.raw[from + r];
    for (let r = 0; r < length; r++) {
      const reason = reasons?.[r];
      if (reason !== undefined) {
        reject(r, reason);
        continue;
      }
      for (const { column, typed } of present) values[column] = typed[r]!;
      for (const [target, source] of this.fallbacks) {
        if (isAbsent(rawOf(target, r))) values[target] = values[source]!;
        else values[target] = present.find((p) => p.column === target)!.typed[r]!;
      }
      accept(values);
    }
    for (const { column } of present) set.push(column);
    for (const [target] of this.fallbacks) set.push(target);
  }
}

export function neededColumns(schema: Schema, columns: readonly string[] | undefined): boolean[] {
  if (!columns) return schema.map(() => true);
  const wanted = new Set(columns);
  return schema.map((c) => wanted.has(c.name));
}

/** What one scan of a table asks for. */
export interface TableScan {
  table: string;
  schema: Schema;
  columns: readonly string[] | undefined;
  filter: ScanFilter | undefined;
}

/** Where a record came from, for rejections and warnings. */
interface LabelledItems {
  label: string;
  items: AsyncIterable<RawItem> | Iterable<RawItem>;
  /** Its records hold only columns of the table's schema: no record needs the unknown-column check. */
  onlyTableColumns?: boolean;
}

/** An NDJSON file (or a range of one) read as bytes, typed line by line without building objects (ndjson-rows.ts). */
export interface LabelledLines {
  label: string;
  lines: AsyncIterable<LineBlock>;
  /** Told how many lines were read, once all were. */
  onEnd?: (lines: number) => void;
}

/** A file scanned by worker threads (parallel-scan.ts): filtered batches and issues, in file order. */
interface LabelledParallel {
  label: string;
  parallel: AsyncIterable<ParallelItem>;
}

/** A CSV file (not gzip) read as bytes (csv-rows.ts). */
interface LabelledCsv {
  label: string;
  csv: AsyncIterable<LineBlock>;
  hooks: ReaderHooks;
}

/** A file whose records come column by column (Parquet row groups). */
interface LabelledBlocks {
  label: string;
  blocks: AsyncIterable<ColumnBlock | Extract<RawItem, { kind: 'bad' }>>;
}

type LabelledSource = LabelledItems | LabelledLines | LabelledParallel | LabelledCsv | LabelledBlocks;

/**
 * The shared scan loop: type each record, reject what does not fit, warn once about columns the fixed
 * schema lacks, and yield full batches. Every column is typed even when the scan does not need it, so
 * which records are rejected never depends on which columns a query mentions.
 */
export async function* typedBatches(
  table: string,
  schema: Schema,
  sources: AsyncIterable<LabelledSource> | Iterable<LabelledSource>,
  columns: readonly string[] | undefined,
  issues: IssueLog,
  warnedColumns: Set<string>,
  filter?: ScanFilter,
): AsyncGenerator<Batch> {
  const needed = neededColumns(schema, columns);
  const collector = new RowCollector(schema, needed, filter);
  const records = new RecordIntake(table, schema, collector, issues, warnedColumns);
  let lineTyper: NdjsonRowTyper | undefined;
  for await (const source of sources) {
    if ('parallel' in source) {
      // Rows read so far come first: batches must stay in file order.
      if (collector.length > 0) yield* nonEmpty(collector.take());
      for await (const item of source.parallel) {
        if (item.kind === 'batch') yield item.batch;
        else if (item.kind === 'reject') issues.reject({ file: source.label, line: item.line, reason: item.reason });
        else if (!warnedColumns.has(item.name)) {
          warnedColumns.add(item.name);
          issues.warn(unknownColumnWarning(table, item.name, source.label, item.line));
        }
      }
      continue;
    }
    if ('csv' in source) {
      for await (const _ of csvRecords(table, schema, needed, source, records, collector, warnedColumns)) {
        yield* nonEmpty(collector.take());
      }
      continue;
    }
    if ('blocks' in source) {
      for await (const block of source.blocks) {
        if (block.kind === 'bad') {
          records.take(source.label, block);
          continue;
        }
        // Typed a batch at a time, so batches stay within BATCH_SIZE rows.
        for (let from = 0; from < block.length; from += BATCH_SIZE) {
          records.takeColumns(source.label, block, from, Math.min(BATCH_SIZE, block.length - from));
          if (collector.length >= BATCH_SIZE) yield* nonEmpty(collector.take());
        }
      }
      continue;
    }
    if ('items' in source) {
      for await (const item of source.items) {
        records.take(source.label, item, source.onlyTableColumns);
        if (collector.length >= BATCH_SIZE) yield* nonEmpty(collector.take());
      }
      continue;
    }
    // With a filter, the string columns it does not read are decoded only for the rows it keeps.
    const filterColumns = new Set(filter?.columns ?? []);
    lineTyper ??= new NdjsonRowTyper(table, schema, needed, (c) => filter !== undefined && !filterColumns.has(schema[c]!.name));
    let line = 0;
    try {
      for await (const block of source.lines) {
        const { bytes, end } = block;
        for (let start = 0; start < end;) {
          const lf = bytes.indexOf(LF, start);
          const lineEnd = lf < 0 || lf >= end ? end : lf;
          line++;
          const result = lineTyper.typeLine(bytes, start, lineEnd);
          if (result === 'row') collector.pushDeferred(lineTyper, BATCH_SIZE);
          else if (result === 'general') records.takeLine(source.label, line, bytes, start, lineEnd, lineTyper);
          start = lineEnd + 1;
          if (collector.length >= BATCH_SIZE) yield* nonEmpty(collector.take());
        }
        // Deferred values point into this block, which the next read overwrites.
        if (collector.length > 0 && lineTyper.deferredColumns.length > 0) yield* nonEmpty(collector.take());
      }
    } catch (error) {
      // A truncated or corrupt gzip stream ends the file early; the loss is reported, not thrown.
      records.take(source.label, unreadableFrom(line + 1, error));
    }
    source.onEnd?.(line);
  }
  if (collector.length > 0) yield* nonEmpty(collector.take());
}

/**
 * Types the records of a CSV file into the collector, yielding whenever a batch is full. Records the
 * byte reader cannot take plainly go to the general typer; from the first record it cannot even split,
 * csv-parse reads the rest of the file.
 */
async function* csvRecords(
  table: string, schema: Schema, needed: boolean[], source: LabelledCsv, records: RecordIntake,
  collector: RowCollector, warnedColumns: Set<string>,
): AsyncGenerator<void> {
  const scanner = new CsvRecordScanner();
  const known = new Set(schema.map((c) => c.name));
  let header: string[] | undefined;
  let typer: CsvRowTyper | undefined;
  let line = 1;
  let resume: CsvResume | undefined;
  let restart = false;
  blocks: for await (const { bytes, end, offset } of source.csv) {
    for (let i = 0; i < end;) {
      const after = scanner.scanRecord(bytes, i, end);
      if (after < 0 || (!header && scanner.innerLines > 0)) {
        if (header) resume = { offset: offset + i, line, header, recordDelimiter: scanner.delimiter ?? '\n' };
        else restart = true;
        break blocks;
      }
      if (!header || !typer) {
        const fields = scanner.texts();
        if (!isBlankRow(fields)) {
          header = normaliseHeader(fields, source.hooks, source.label);
          typer = new CsvRowTyper(table, schema, needed, header, known);
        }
      } else {
        const result = typer.typeRecord(scanner);
        if (result === 'row') collector.push(typer.row);
        else if (result === 'general') {
          records.take(source.label, csvRowItem(header, { line, fields: scanner.texts() }));
          typer.ignoreWarned(warnedColumns);
        }
      }
      line += 1 + scanner.innerLines;
      i = after;
      if (collector.length >= BATCH_SIZE) yield;
    }
  }
  if (!resume && !restart) return;
  const rest = csvItems(source.label, source.hooks, resume);
  for await (const item of rest) {
    records.take(source.label, item);
    if (collector.length >= BATCH_SIZE) yield;
  }
}

function* nonEmpty(batch: Batch): Generator<Batch> {
  if (batch.length > 0) yield batch;
}

/** Records that go the general way: parsed objects, typed by RecordTyper, rejected with their reason. */
class RecordIntake {
  private readonly typer: RecordTyper;
  private readonly row: TypedRow;
  private readonly known: Set<string>;

  constructor(
    private readonly table: string, schema: Schema, private readonly collector: RowCollector,
    private readonly issues: IssueLog, private readonly warnedColumns: Set<string>,
  ) {
    this.typer = new RecordTyper(table, schema);
    this.row = this.typer.newRow();
    this.known = new Set(schema.map((c) => c.name));
  }

  /** `onlyTableColumns`: the record's source holds no column outside the schema (nothing to warn about). */
  take(label: string, item: RawItem, onlyTableColumns = false): void {
    if (item.kind === 'bad') {
      this.issues.reject({ file: label, line: item.line, reason: item.reason });
      return;
    }
    if (!onlyTableColumns) warnAboutUnknownColumns(this.table, item.record, this.known, this.warnedColumns, label, item.line, this.issues);
    const reason = this.typer.typeInto(item.record, this.row);
    if (reason !== undefined) {
      this.issues.reject({ file: label, line: item.line, reason });
      return;
    }
    // The collector copies what it needs: the row is typed into again for the next record.
    this.collector.push(this.row.values);
  }

  /** Records `from`… of a column block (their columns are all in the schema: nothing to warn about). */
  takeColumns(label: string, block: ColumnBlock, from: number, length: number): void {
    this.typer.typeColumns(block, from, length, this.row,
      (values) => this.collector.push(values),
      (index, reason) => this.issues.reject({ file: label, line: block.line + from + index, reason }));
  }

  /** An NDJSON line the byte-level typer left to JSON.parse (bytes[start, end), without its LF). */
  takeLine(label: string, line: number, bytes: Buffer, start: number, end: number, lineTyper: NdjsonRowTyper): void {
    const item = ndjsonLineItem(withoutCarriageReturn(bytes.toString('utf8', start, end)), line);
    if (!item) return;
    this.take(label, item);
    if (item.kind !== 'record') return;
    for (const name in item.record) if (this.warnedColumns.has(name)) lineTyper.ignoreColumn(name);
  }
}

/** Warns once per table and column about a column the fixed schema lacks, naming where it first appeared. */
function warnAboutUnknownColumns(
  table: string, record: RawRecord, known: Set<string>, warned: Set<string>,
  file: string, line: number, issues: IssueLog,
): void {
  for (const name in record) {
    if (known.has(name) || warned.has(name) || isAbsent(record[name])) continue;
    warned.add(name);
    issues.unknownColumn(name, line, unknownColumnWarning(table, name, file, line));
  }
}

export function unknownColumnWarning(table: string, name: string, file: string, line: number): string {
  return `${table}: column "${name}" (first seen at ${file}:${line}) is not in the table's schema, `
    + `fixed from its first ${SAMPLE_RECORDS} records; its values are ignored`;
}

// ---------------------------------------------------------------------------------------------
// Tables fed by files

async function* fileItems(
  files: readonly DataFile[], issues: IssueLog, scan: ScanRequest, table: TableScan,
): AsyncGenerator<LabelledSource> {
  for (const file of files) {
    const hooks: ReaderHooks = { warn: (m) => issues.warn(m) };
    if (file.format === 'csv' && !(await isGzipped(file.path))) {
      yield { label: file.path, csv: lineBlocks(file.path, false), hooks };
      continue;
    }
    if (file.format === 'ndjson') {
      const gzipped = await isGzipped(file.path);
      const parallel = gzipped ? undefined : await parallelScanOf(file.path, table);
      if (parallel) yield { label: file.path, parallel };
      else yield { label: file.path, lines: lineBlocks(file.path, gzipped) };
      continue;
    }
    const stream = await openRecordStream(file.path, file.format, hooks, scan);
    if (stream.blocks && stream.onlyTableColumns) yield { label: file.path, blocks: stream.blocks };
    else yield { label: file.path, items: stream.items, onlyTableColumns: stream.onlyTableColumns === true };
  }
}

/**
 * The columns a file must provide for a scan of `columns`: those, plus the time column a needed one
 * falls back to (a Sentinel export's TimeGenerated stands in for a missing Timestamp). All when absent.
 */
function columnsToProvide(table: string, schema: Schema, columns: readonly string[] | undefined): string[] | undefined {
  if (!columns) return undefined;
  const provide = new Set(columns);
  for (const [target, source] of timeFallbacks(table, schema)) {
    if (provide.has(schema[target]!.name)) provide.add(schema[source]!.name);
  }
  return [...provide];
}

/** Fixes a file-fed table's schema from the built-in one and the table's first SAMPLE_RECORDS records. */
async function sampleFileSchema(name: string, files: readonly DataFile[]): Promise<Schema> {
  const sampler = new SchemaSampler(builtinSchema(name) ?? []);
  for (const file of files) {
    // Warnings about the file are given when it is scanned, not twice.
    const stream: RecordStream = await openRecordStream(file.path, file.format, { warn: () => {} });
    sampler.addDeclared(stream.declaredTypes, stream.textual);
    if (stream.declaresAllColumns) continue;
    for await (const item of stream.items) {
      if (item.kind === 'record') sampler.addRecord(item.record, stream.textual);
      if (sampler.records >= SAMPLE_RECORDS) break;
    }
    if (sampler.records >= SAMPLE_RECORDS) break;
  }
  return sampler.schema();
}

export async function fileTableSource(name: string, files: readonly DataFile[], issues: IssueLog): Promise<TableSource> {
  const schema = await sampleFileSchema(name, files);
  const warnedColumns = new Set<string>();
  return {
    name,
    schema,
    scan: (columns, filter) => {
      const scan = { columns: columnsToProvide(name, schema, columns), schema };
      const items = fileItems(files, issues, scan, { table: name, schema, columns, filter });
      return typedBatches(name, schema, items, columns, issues, warnedColumns, filter);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Tables given as JS rows (the library's `tables` option)

function* rowItems(rows: readonly unknown[]): Generator<RawItem> {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (typeof row === 'object' && row !== null && !Array.isArray(row) && !(row instanceof Date)) {
      yield { kind: 'record', line: i + 1, record: row as RawRecord };
    } else {
      const found = row === null ? 'null' : Array.isArray(row) ? 'an array' : typeof row;
      yield { kind: 'bad', line: i + 1, reason: `expected a row object, found ${found}` };
    }
  }
}

export function rowsTableSource(name: string, rows: readonly unknown[], issues: IssueLog): TableSource {
  const sampler = new SchemaSampler(builtinSchema(name) ?? []);
  for (const item of rowItems(rows)) {
    if (sampler.records >= SAMPLE_RECORDS) break;
    if (item.kind === 'record') sampler.addRecord(item.record, false);
  }
  const schema = sampler.schema();
  const label = `tables.${name}`;
  const warnedColumns = new Set<string>();
  return {
    name,
    schema,
    scan: (columns, filter) => typedBatches(name, schema, [{ label, items: rowItems(rows) }], columns, issues, warnedColumns, filter),
  };
}

// ---------------------------------------------------------------------------------------------
// Tables fed by a stream of raw row objects (normalised raw telemetry)

/** One origin of raw rows: `label` names it in rejections (a file path), `items` are its rows in order. */
export interface RawRowSource {
  label: string;
  items: AsyncIterable<RawItem> | Iterable<RawItem>;
}

/**
 * A table whose rows come from `open()`, called afresh for every scan (so the rows are produced on
 * the fly, never held). Rows are typed by `schema` (default: the table's built-in schema) exactly as
 * file rows are; a row that does not fit, and every `bad` item, is rejected with its location.
 */
export function streamTableSource(
  name: string, open: () => AsyncIterable<RawRowSource>, issues: IssueLog, schema: Schema = builtinSchema(name) ?? [],
): TableSource {
  const warnedColumns = new Set<string>();
  return {
    name,
    schema,
    scan: (columns, filter) => typedBatches(name, schema, open(), columns, issues, warnedColumns, filter),
  };
}
