/**
 * The catalog: the tables a query can name, fed by exported files (`openCatalog`, the CLI's `--data`)
 * or by JS rows (`catalogFromRows`, the library's `tables` option). Both type rows the same way:
 * by the built-in schema when the table has one, with inferred types for every other column.
 */
import { fileTableSource, rowsTableSource, type TableSource } from './table-source.js';
import { discoverTableFiles } from './discovery.js';
import { IssueLog, type DataIssues, type LoadOptions } from './issues.js';

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
}

function catalogOf(sources: TableSource[], log: IssueLog): LoadedCatalog {
  const byName = new Map(sources.map((s) => [s.name, s]));
  return {
    // Table names are case-sensitive, as in Kusto.
    table: (name) => byName.get(name),
    tableNames: () => [...byName.keys()],
    issues: () => log.snapshot(),
  };
}

/**
 * Opens files and folders of exported telemetry (see discovery.ts for the naming rules). Each table's
 * schema is fixed here, from a sample of its first records; records are read and typed when scanned.
 * Throws when a path does not exist.
 */
export async function openCatalog(paths: string[], options: LoadOptions = {}): Promise<LoadedCatalog> {
  const log = new IssueLog(options);
  const tableFiles = await discoverTableFiles(paths, (message) => log.warn(message));
  const sources: TableSource[] = [];
  for (const [name, files] of tableFiles) sources.push(await fileTableSource(name, files, log));
  return catalogOf(sources, log);
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
