/**
 * Which files feed which table (the `--data` contract in DESIGN.md):
 * - a file named after a table feeds it: `DeviceFileEvents.csv`, `DeviceFileEvents.ndjson.gz`,
 *   `DeviceFileEvents.part1.jsonl`, `DeviceFileEvents-2026-11-27.csv` (built-in names match ignoring case);
 * - a folder named after a built-in table (`DeviceFileEvents/`) feeds that table from all data files in it;
 * - any other folder is searched recursively for such files and folders;
 * - another data file feeds a table named after its name up to the first dot (`MyTable.csv` → `MyTable`);
 * - other files (raw logs: EVTX, Sysmon XML/JSON, auditd, …) are returned as `otherFiles`, without a
 *   warning, for the telemetry layer to detect and normalise.
 * Folder entries are visited in name order, so several files feed one table in a stable order.
 * Hidden entries (names starting with '.') are skipped: they are tool metadata, not exports.
 */
import { realpath, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { BUILTIN_TABLES, builtinTableNameIgnoringCase } from './schemas.js';
import { dataFormatOf, type DataFormat } from './formats.js';

export interface DataFile {
  path: string;
  format: DataFormat;
}

/** Table name → its files in feeding order (tables in order of first discovery). */
export type TableFiles = Map<string, DataFile[]>;

const NAME_SEPARATORS = ['.', '-', '_', ' '];

/** The built-in table a file stem starts with (`DeviceFileEvents-2026-11-27` → DeviceFileEvents). */
function builtinTableOfStem(stem: string): string | undefined {
  const lower = stem.toLowerCase();
  let best: string | undefined;
  for (const table of Object.keys(BUILTIN_TABLES)) {
    const name = table.toLowerCase();
    const matches = lower === name || NAME_SEPARATORS.some((sep) => lower.startsWith(name + sep));
    if (matches && (!best || table.length > best.length)) best = table;
  }
  return best;
}

/** The built-in table a data file is named after (`DeviceFileEvents.part1.jsonl`), if any. */
export function builtinTableOfFile(fileName: string): string | undefined {
  const known = dataFormatOf(fileName);
  return known ? builtinTableOfStem(known.stem) : undefined;
}

/** The table a data file feeds when no table-named folder decides it. */
export function tableNameOfFile(fileName: string): string | undefined {
  const known = dataFormatOf(fileName);
  if (!known) return undefined;
  return builtinTableOfFile(fileName) ?? known.stem.split('.')[0]!;
}

class Discovery {
  readonly tables: TableFiles = new Map();
  readonly otherFiles: string[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly warn: (message: string) => void,
    private readonly isRawTelemetry?: (path: string) => Promise<boolean>,
  ) {}

  async addPath(path: string): Promise<void> {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new Error(`data path not found: ${path}`);
    if (info.isDirectory()) {
      await this.addFolder(path, builtinTableNameIgnoringCase(basename(path)));
    } else {
      // A file given directly inside a table folder (`DeviceFileEvents/part-1.json`) still feeds that table.
      await this.addFile(path, builtinTableNameIgnoringCase(basename(dirname(path))));
    }
  }

  private async addFolder(folder: string, folderTable: string | undefined): Promise<void> {
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        await this.addFolder(path, folderTable ?? builtinTableNameIgnoringCase(entry.name));
      } else if (entry.isFile()) {
        await this.addFile(path, folderTable);
      }
    }
  }

  private async addFile(path: string, folderTable: string | undefined): Promise<void> {
    const identity = await realpath(path);
    if (this.seen.has(identity)) return;
    this.seen.add(identity);
    const known = dataFormatOf(basename(path));
    if (!known) {
      this.otherFiles.push(path);
      return;
    }
    const table = folderTable ?? tableNameOfFile(basename(path))!;
    if (!BUILTIN_TABLES[table] && (await this.isRawTelemetry?.(path))) {
      this.otherFiles.push(path);
      return;
    }
    const files = this.tables.get(table) ?? [];
    files.push({ path, format: known.format });
    this.tables.set(table, files);
  }
}

export interface DiscoveredData {
  tables: TableFiles;
  /** Files that are not named as data files, in discovery order (raw telemetry, or nothing we read). */
  otherFiles: string[];
}

/** Finds the data files under `paths`, grouped by table, and the other files. Throws when a path does not exist. */
export async function discoverData(
  paths: readonly string[],
  warn: (message: string) => void,
  isRawTelemetry?: (path: string) => Promise<boolean>,
): Promise<DiscoveredData> {
  const discovery = new Discovery(warn, isRawTelemetry);
  for (const path of paths) await discovery.addPath(path);
  return { tables: discovery.tables, otherFiles: discovery.otherFiles };
}

/** Finds the data files under `paths` and groups them by table. Throws when a path does not exist. */
export async function discoverTableFiles(paths: readonly string[], warn: (message: string) => void): Promise<TableFiles> {
  return (await discoverData(paths, warn)).tables;
}
