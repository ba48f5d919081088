/**
 * The catalog: the tables a query can name, fed by exported files (`openCatalog`, the CLI's `--data`)
 * or by JS rows (`catalogFromRows`, the library's `tables` option). Both type rows the same way:
 * by the built-in schema when the table has one, with inferred types for every other column.
 */
import { fileTableSource, rowsTableSource, type TableSource } from './table-source.js';
import { discoverData } from './discovery.js';
import { IssueLog, type DataIssues, type LoadOptions } from './issues.js';
import { missingValue } from './coerce.js';
import { type Batch, filterBatch } from '../kql/values/batch.js';
import type { Schema } from '../kql/values/types.js';

export type { TableSource } from './table-source.js';
export type { DataIssues, LoadOptions, RejectedRecord, RejectReporter } from './issues.js';
export { createRejectReporter } from './issues.js';

export interface Catalog {
  table(name: string): TableSource | undefined;
  tableNames(): string[];
}

/** A catalog built here also reports what went wrong while reading its data (so far). */
export interface LoadedCatalog extends Catalog {
  issues(): DataIssues;
  /**
   * Files found under the data paths that are not named as data files (`x.evtx`, `audit.log`,
   * `sysmon.xml`, …), in discovery order: raw telemetry for the telemetry layer to detect and
   * normalise (telemetry/catalog.ts), or files nothing reads. Not warned about here.
   */
  otherFiles(): string[];
}

function catalogOf(sources: TableSource[], log: IssueLog, otherFiles: string[] = []): LoadedCatalog {
  const byName = new Map(sources.map((s) => [s.name, s]));
  return {
    // Table names are case-sensitive, as in Kusto.
    table: (name) => byName.get(name),
    tableNames: () => [...byName.keys()],
    issues: () => log.snapshot(),
    otherFiles: () => [...otherFiles],
  };
}

/**
 * Opens files and folders of exported telemetry (see discovery.ts for the naming rules). Each table's
 * schema is fixed here, from a sample of its first records; records are read and typed when scanned.
 * Throws when a path does not exist.
 */
export async function openCatalog(paths: string[], options: LoadOptions = {}): Promise<LoadedCatalog> {
  const log = new IssueLog(options);
  const { tables, otherFiles } = await discoverData(paths, (message) => log.warn(message), options.isRawTelemetry);
  const sources: TableSource[] = [];
  for (const [name, files] of tables) sources.push(await fileTableSource(name, files, log));
  return catalogOf(sources, log, otherFiles);
}

/** Tables given as arrays of row objects; rejected rows are reported with file `tables.<Name>` and their 1-based index. */
export function catalogFromRows(tables: Record<string, object[]>, options: LoadOptions = {}): LoadedCatalog {
  const log = new IssueLog(options);
  const sources = Object.entries(tables).map(([name, rows]) => {
    if (!Array.isArray(rows)) throw new Error(`tables.${name} must be an array of row objects`);
    return rowsTableSource(name, rows, log);
  });
  return catalogOf(sources, log);
}

/**
 * Several catalogs as one: a table present in more than one is read from each in turn (a folder may
 * hold `DeviceFileEvents.csv` and raw Sysmon logs that also feed DeviceFileEvents). The merged
 * schema is the first catalog's plus the columns only later ones have; a later source's batches are
 * re-laid by column name, and a column whose type differs from the merged one reads as missing there.
 */
export function mergeCatalogs(catalogs: readonly Catalog[]): Catalog {
  const names = [...new Set(catalogs.flatMap((c) => c.tableNames()))];
  const merged = new Map<string, TableSource>();
  for (const name of names) {
    const sources = catalogs.map((c) => c.table(name)).filter((s): s is TableSource => s !== undefined);
    merged.set(name, sources.length === 1 ? sources[0]! : concatenatedSource(name, sources));
  }
  return { table: (name) => merged.get(name), tableNames: () => [...merged.keys()] };
}

function concatenatedSource(name: string, sources: TableSource[]): TableSource {
  const schema = sources[0]!.schema.map((c) => ({ ...c }));
  for (const source of sources.slice(1)) {
    for (const column of source.schema) if (!schema.some((c) => c.name === column.name)) schema.push({ ...column });
  }
  return {
    name,
    schema,
    async *scan(columns, filter) {
      // The filter's predicates read the merged schema, so they run on the re-laid batches.
      for (const source of sources) {
        for await (const batch of source.scan(columns)) {
          const kept = filter ? filterBatch(relaid(batch, schema), filter) : relaid(batch, schema);
          if (kept.length > 0) yield kept;
        }
      }
    },
  };
}

/** A batch re-laid into `schema` by column name; absent or differently typed columns hold their missing value. */
function relaid(batch: Batch, schema: Schema): Batch {
  if (batch.schema.length === schema.length && batch.schema.every((c, i) => c.name === schema[i]!.name && c.type === schema[i]!.type)) {
    return { schema, columns: batch.columns, length: batch.length };
  }
  const columns = schema.map((column) => {
    const index = batch.schema.findIndex((c) => c.name === column.name && c.type === column.type);
    return index >= 0 ? batch.columns[index]! : new Array(batch.length).fill(missingValue(column.type));
  });
  return { schema, columns, length: batch.length };
}
