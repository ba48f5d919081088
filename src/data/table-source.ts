/**
 * Tables as streams of typed column batches: the schema is fixed from the built-in schema plus a
 * sample of the data, then every record is typed by it (coerce.ts); a record that does not fit is
 * rejected with its location, never dropped silently and never half-kept.
 */
import { BATCH_SIZE, type Batch } from '../kql/values/batch.js';
import type { ScalarType, Schema, Value } from '../kql/values/types.js';
import { TypeGuesser, coerceValue, describeRaw, missingValue } from './coerce.js';
import { openRecordStream, type RawItem, type RawRecord, type RecordStream, type ScanRequest } from './formats.js';
import type { DataFile } from './discovery.js';
import type { IssueLog } from './issues.js';
import { builtinSchema } from './schemas.js';

export interface TableSource {
  name: string;
  /** Fixed before scanning. */
  schema: Schema;
  /** Streams batches (BATCH_SIZE rows max). `columns`: names the query needs — only those must be correct;
   *  others may be left as empty-string/null arrays (projection pushdown; the batch schema is still the full schema). */
  scan(columns?: readonly string[]): AsyncIterable<Batch>;
}

/** Records sampled to fix the types of columns no schema declares. */
export const SAMPLE_RECORDS = 1000;

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

/**
 * Defender exports carry `Timestamp`, Sentinel exports `TimeGenerated`; for these tables both mean
 * the event time, so a record lacking one reads it from the other and a rule written against either
 * column works on either export. Only built-in tables get this (their schemas have both).
 */
function timeFallbacks(tableName: string, schema: Schema): Array<[target: number, source: number]> {
  if (!builtinSchema(tableName)) return [];
  const timestamp = schema.findIndex((c) => c.name === 'Timestamp');
  const timeGenerated = schema.findIndex((c) => c.name === 'TimeGenerated');
  if (timestamp < 0 || timeGenerated < 0) return [];
  return [[timeGenerated, timestamp], [timestamp, timeGenerated]];
}

function isAbsent(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}

/** Types records by a fixed schema into rows, or says why a record does not fit. */
export class RecordTyper {
  private readonly names: string[];
  private readonly types: ScalarType[];
  private readonly fallbacks: Array<[number, number]>;

  constructor(tableName: string, schema: Schema) {
    this.names = schema.map((c) => c.name);
    this.types = schema.map((c) => c.type);
    this.fallbacks = timeFallbacks(tableName, schema);
  }

  /** The typed row, or the reason the record is rejected. */
  type(record: RawRecord): Value[] | string {
    const row: Value[] = new Array(this.names.length);
    for (let i = 0; i < this.names.length; i++) {
      const raw = record[this.names[i]!];
      const result = coerceValue(this.types[i]!, raw);
      if (!result.ok) return `column ${this.names[i]} (${this.types[i]}): ${describeRaw(raw)} is ${result.error}`;
      row[i] = result.value;
    }
    for (const [target, source] of this.fallbacks) {
      if (isAbsent(record[this.names[target]!])) row[target] = row[source]!;
    }
    return row;
  }
}

/** Accumulates rows into column arrays; columns the scan does not need hold their missing value. */
class BatchBuilder {
  private columns: Value[][];
  length = 0;

  constructor(private readonly schema: Schema, private readonly needed: boolean[]) {
    this.columns = schema.map(() => []);
  }

  push(row: Value[]): void {
    for (let c = 0; c < row.length; c++) {
      this.columns[c]!.push(this.needed[c] ? row[c]! : missingValue(this.schema[c]!.type));
    }
    this.length++;
  }

  take(): Batch {
    const batch: Batch = { schema: this.schema, columns: this.columns, length: this.length };
    this.columns = this.schema.map(() => []);
    this.length = 0;
    return batch;
  }
}

function neededColumns(schema: Schema, columns: readonly string[] | undefined): boolean[] {
  if (!columns) return schema.map(() => true);
  const wanted = new Set(columns);
  return schema.map((c) => wanted.has(c.name));
}

/** Where a record came from, for rejections and warnings. */
interface LabelledItems {
  label: string;
  items: AsyncIterable<RawItem> | Iterable<RawItem>;
}

/**
 * The shared scan loop: type each record, reject what does not fit, warn once about columns the fixed
 * schema lacks, and yield full batches. Every column is typed even when the scan does not need it, so
 * which records are rejected never depends on which columns a query mentions.
 */
async function* typedBatches(
  table: string,
  schema: Schema,
  sources: AsyncIterable<LabelledItems> | Iterable<LabelledItems>,
  columns: readonly string[] | undefined,
  issues: IssueLog,
  warnedColumns: Set<string>,
): AsyncGenerator<Batch> {
  const typer = new RecordTyper(table, schema);
  const known = new Set(schema.map((c) => c.name));
  const builder = new BatchBuilder(schema, neededColumns(schema, columns));
  for await (const { label, items } of sources) {
    for await (const item of items) {
      if (item.kind === 'bad') {
        issues.reject({ file: label, line: item.line, reason: item.reason });
        continue;
      }
      warnAboutUnknownColumns(table, item.record, known, warnedColumns, label, item.line, issues);
      const row = typer.type(item.record);
      if (typeof row === 'string') {
        issues.reject({ file: label, line: item.line, reason: row });
        continue;
      }
      builder.push(row);
      if (builder.length >= BATCH_SIZE) yield builder.take();
    }
  }
  if (builder.length > 0) yield builder.take();
}

/** Warns once per table and column about a column the fixed schema lacks, naming where it first appeared. */
function warnAboutUnknownColumns(
  table: string, record: RawRecord, known: Set<string>, warned: Set<string>,
  file: string, line: number, issues: IssueLog,
): void {
  for (const name in record) {
    if (known.has(name) || warned.has(name) || isAbsent(record[name])) continue;
    warned.add(name);
    issues.warn(`${table}: column "${name}" (first seen at ${file}:${line}) is not in the table's schema, `
      + `fixed from its first ${SAMPLE_RECORDS} records; its values are ignored`);
  }
}

// ---------------------------------------------------------------------------------------------
// Tables fed by files

async function* fileItems(
  files: readonly DataFile[], issues: IssueLog, scan: ScanRequest,
): AsyncGenerator<LabelledItems> {
  for (const file of files) {
    const stream = await openRecordStream(file.path, file.format, { warn: (m) => issues.warn(m) }, scan);
    yield { label: file.path, items: stream.items };
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
    scan: (columns) => {
      const scan = { columns: columnsToProvide(name, schema, columns), schema };
      return typedBatches(name, schema, fileItems(files, issues, scan), columns, issues, warnedColumns);
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
    scan: (columns) => typedBatches(name, schema, [{ label, items: rowItems(rows) }], columns, issues, warnedColumns),
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
    scan: (columns) => typedBatches(name, schema, open(), columns, issues, warnedColumns),
  };
}
