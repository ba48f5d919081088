/**
 * The library API (DESIGN.md "Contracts"): run KQL over files, folders or in-memory rows.
 * Wires the data layer's catalog to the KQL engine and turns results into their JSON form.
 */
import { type Catalog, type LoadOptions, catalogFromRows, mergeCatalogs, openCatalog } from './data/catalog.js';
import { type TelemetryCatalogOptions, openTelemetryCatalog } from './telemetry/catalog.js';
import { detectFormat } from './telemetry/detect.js';
import { builtinSchema, BUILTIN_TABLES } from './data/schemas.js';
import { readExternalData } from './data/external.js';
import { MemoryLimitError, type TableSource, parseByteSize, streamQuery } from './kql/index.js';
import type { Diagnostic } from './kql/syntax/diagnostics.js';
import type { Batch, ScanFilter } from './kql/values/batch.js';
import { datetimeFromDate, parseDatetime } from './kql/values/datetime.js';
import { valueToJson } from './kql/values/format.js';
import type { Schema } from './kql/values/types.js';

export interface RunQueryOptions {
  /** Files or folders (see DESIGN.md): `DeviceFileEvents.ndjson`, `DeviceProcessEvents.csv.gz`, `exports/`. */
  data?: string | string[];
  /** In-memory rows per table; rows for a built-in table are typed by its schema. */
  tables?: Record<string, object[]>;
  /** now() for the query: an ISO datetime, a Date, or `latest` (the newest Timestamp in the data). Default: the clock. */
  now?: string | Date;
  /** Called for every input record that could not be read (the rest is still processed). */
  onReject?: LoadOptions['onReject'];
  /** Called for notes about the input (unrecognised files, columns that appear late, empty tables). */
  onWarning?: (message: string) => void;
  /** Format of every raw telemetry file, overriding detection (`evtx`, `sysmon-xml`, `sysmon-json`, `auditd`, …). */
  inputFormat?: string;
  /** Progress while raw telemetry is read and normalised. */
  onProgress?: TelemetryCatalogOptions['onProgress'];
  /**
   * The most summarize, sort, join and distinct may hold together: bytes, or a size such as `512M`
   * or `2GiB`. Over it the query fails with a QueryError naming the operator. Default: 70% of the
   * V8 heap limit.
   */
  maxMemory?: number | string;
}

export interface QueryColumn {
  name: string;
  type: string;
}

export interface QueryResult {
  columns: QueryColumn[];
  rows: unknown[][];
  /** now() the query ran with, as a Kusto datetime string. */
  now: string;
  /** Input records rejected while reading (each one was reported through onReject). */
  rejected: number;
}

/** An error with the positions of what went wrong (empty when the problem is not in the query text). */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export async function runQuery(kql: string, options: RunQueryOptions = {}): Promise<QueryResult> {
  const stream = await streamRows(kql, options);
  const rows: unknown[][] = [];
  for await (const row of stream.rows) rows.push(row);
  return { columns: stream.columns, rows, now: stream.now, rejected: stream.rejected() };
}

/** A query's rows as they are produced (a streaming query holds a batch at a time, whatever the input size). */
export interface QueryRowStream {
  columns: QueryColumn[];
  /** Rows in the JSON form runQuery gives. */
  rows: AsyncIterable<unknown[]>;
  now: string;
  /** Input records rejected so far (final once `rows` is exhausted). */
  rejected: () => number;
}

/** runQuery without collecting: the rows are yielded while the query runs. */
export async function streamRows(kql: string, options: RunQueryOptions = {}): Promise<QueryRowStream> {
  let rejected = 0;
  const loadOptions: LoadOptions = {
    onReject: (r) => {
      rejected++;
      options.onReject?.(r);
    },
    onWarning: options.onWarning,
  };
  const maxMemory = memoryLimit(options.maxMemory);
  const catalogs = await openCatalogs(options, loadOptions);
  const tables = tableSource(catalogs, options.onWarning, loadOptions.onReject);
  const now = await resolveNow(options.now, catalogs);
  const result = await streamQuery(kql, { tables, now, maxMemory }).catch(asQueryError);
  for (const note of result.notes) options.onWarning?.(note);
  return {
    columns: result.schema.map((c) => ({ name: c.name, type: c.type })),
    rows: jsonRows(result.batches, result.schema),
    now: valueToJson(now, 'datetime') as string,
    rejected: () => rejected,
  };
}

async function* jsonRows(batches: AsyncIterable<Batch>, schema: Schema): AsyncIterable<unknown[]> {
  try {
    for await (const batch of batches) {
      for (let r = 0; r < batch.length; r++) yield batch.columns.map((column, c) => valueToJson(column[r]!, schema[c]!.type));
    }
  } catch (e) {
    asQueryError(e);
  }
}

function asQueryError(e: unknown): never {
  throw e instanceof MemoryLimitError ? new QueryError(`query stopped: ${e.message}`) : e;
}

function memoryLimit(limit: number | string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  const bytes = typeof limit === 'number' ? limit : parseByteSize(limit);
  if (bytes === undefined || !Number.isFinite(bytes) || bytes <= 0) {
    throw new QueryError(`maxMemory: '${limit}' is not a memory size (e.g. 512M, 2GiB, or a number of bytes)`);
  }
  return bytes;
}

async function openCatalogs(options: RunQueryOptions, loadOptions: LoadOptions): Promise<Catalog[]> {
  const catalogs: Catalog[] = [];
  const paths = options.data === undefined ? [] : Array.isArray(options.data) ? options.data : [options.data];
  if (paths.length > 0) {
    try {
      // Exports named after tables are read as tables; raw logs (EVTX, Sysmon, auditd) are normalised.
      const exported = await openCatalog(paths, { ...loadOptions, isRawTelemetry });
      const rawFiles = exported.otherFiles();
      if (rawFiles.length === 0) catalogs.push(exported);
      else {
        const raw = await openTelemetryCatalog(rawFiles, { ...loadOptions, inputFormat: options.inputFormat, onProgress: options.onProgress });
        catalogs.push(mergeCatalogs([exported, raw]));
      }
    } catch (e) {
      throw new QueryError((e as Error).message);
    }
  }
  if (options.tables) catalogs.push(catalogFromRows(options.tables, loadOptions));
  return catalogs;
}

/**
 * Tables come from the catalogs (files first, then in-memory rows); a built-in Defender table with
 * no data reads as empty, so a rule over several tables still runs where only some were exported.
 */
function tableSource(catalogs: Catalog[], onWarning?: (message: string) => void, onReject?: LoadOptions['onReject']): TableSource {
  const find = (name: string) => {
    for (const c of catalogs) {
      const t = c.table(name);
      if (t) return t;
    }
    return undefined;
  };
  const warned = new Set<string>();
  const scan = (name: string, columns: readonly string[] | undefined, schema: Schema, filter?: ScanFilter) => {
    const table = find(name);
    if (table) return table.scan(columns, filter);
    if (!warned.has(name)) {
      warned.add(name);
      onWarning?.(`no data for table ${name}: it reads as empty`);
    }
    return emptyStream(schema);
  };
  return {
    tableSchema: (name) => find(name)?.schema ?? builtinSchema(name),
    tableNames: () => [...new Set([...catalogs.flatMap((c) => c.tableNames()), ...Object.keys(BUILTIN_TABLES)])],
    external: (source) => readExternalData(source, onReject),
    scan: (name, columns, schema) => scan(name, columns, schema),
    scanFiltered: (name, columns, schema, filter) => scan(name, columns, schema, filter),
  };
}

async function* emptyStream(schema: Schema): AsyncIterable<Batch> {
  void schema;
}

/** A data file not named after a Defender table that holds raw telemetry (e.g. `sysmon.json`). */
async function isRawTelemetry(path: string): Promise<boolean> {
  try {
    return (await detectFormat(path)).table === undefined;
  } catch {
    return false;
  }
}

/** The time columns `latest` looks at, in order of preference. */
const TIME_COLUMNS = ['Timestamp', 'TimeGenerated'];

async function resolveNow(now: string | Date | undefined, catalogs: Catalog[]): Promise<bigint> {
  if (now === undefined) return datetimeFromDate(new Date());
  if (now instanceof Date) return datetimeFromDate(now);
  if (now.trim().toLowerCase() === 'latest') return latestTimestamp(catalogs);
  const ticks = parseDatetime(now);
  if (ticks === null) throw new QueryError(`--now: '${now}' is neither an ISO 8601 datetime nor 'latest'`);
  return ticks;
}

/** The newest event time across every table with data (its Timestamp, else TimeGenerated). */
export async function latestTimestamp(catalogs: Catalog[]): Promise<bigint> {
  let latest: bigint | null = null;
  for (const catalog of catalogs) {
    for (const name of catalog.tableNames()) {
      const table = catalog.table(name)!;
      const column = TIME_COLUMNS.find((c) => table.schema.some((s) => s.name === c && s.type === 'datetime'));
      if (!column) continue;
      const index = table.schema.findIndex((s) => s.name === column);
      for await (const batch of table.scan([column])) {
        for (const v of batch.columns[index]!) if (typeof v === 'bigint' && (latest === null || v > latest)) latest = v;
      }
    }
  }
  if (latest === null) throw new QueryError("--now latest: the data holds no Timestamp or TimeGenerated value to take 'latest' from");
  return latest;
}
