/**
 * Raw telemetry files as a catalog of Defender tables, normalised on the fly when a table is
 * scanned (the same pipeline as `stagehunt ingest`). Each file's format is detected once, here;
 * a file whose format cannot be told is skipped with a warning naming it. Defender/Sentinel Device*
 * exports that are not named after their table are read by the data layer's file reader.
 *
 * Wiring (src/run-query.ts): open the named data files with `openCatalog`, then
 *   const raw = await openTelemetryCatalog(loaded.otherFiles(), { onReject, onWarning });
 *   const catalog = mergeCatalogs([loaded, raw]);
 */
import { stat } from 'node:fs/promises';
import type { Catalog } from '../data/catalog.js';
import type { DataFile } from '../data/discovery.js';
import type { RawItem } from '../data/formats.js';
import { IssueLog, type DataIssues, type LoadOptions } from '../data/issues.js';
import { builtinSchema } from '../data/schemas.js';
import { fileTableSource, streamTableSource, type RawRowSource, type TableSource } from '../data/table-source.js';
import { detectFormat, FORMAT_DESCRIPTIONS, type Detected } from './detect.js';
import { DEFENDER_TABLES } from './fields.js';
import { readTelemetry, type TelemetryItem } from './pipeline.js';

export interface TelemetryProgress {
  file: string;
  /** File bytes read so far (compressed bytes for gzip) and the file's size. */
  bytes: number;
  totalBytes: number;
}

export interface TelemetryCatalogOptions extends LoadOptions {
  /** Format for every file, overriding detection (see detect.ts INPUT_FORMATS). */
  inputFormat?: string;
  onProgress?: (progress: TelemetryProgress) => void;
}

export interface TelemetryCatalog extends Catalog {
  issues(): DataIssues;
  /** The files read and the format each was read as. */
  files(): Array<{ path: string; detected: Detected }>;
}

interface RawFile {
  path: string;
  detected: Detected;
  size: number;
}

export async function openTelemetryCatalog(files: readonly string[], options: TelemetryCatalogOptions = {}): Promise<TelemetryCatalog> {
  const log = new IssueLog(options);
  const raw: RawFile[] = [];
  const exports = new Map<string, DataFile[]>();
  for (const path of files) {
    let detected: Detected;
    try {
      detected = await detectFormat(path, options.inputFormat);
    } catch (error) {
      log.warn(`${(error as Error).message}; skipped`);
      continue;
    }
    if (detected.table) {
      const list = exports.get(detected.table) ?? [];
      list.push({ path, format: detected.format === 'defender-csv' ? 'csv' : 'json' });
      exports.set(detected.table, list);
    } else {
      raw.push({ path, detected, size: (await stat(path)).size });
    }
  }
  const sources = new Map<string, TableSource>();
  for (const [table, list] of exports) sources.set(table, await fileTableSource(table, list, log));
  if (raw.length > 0) {
    const reader = new RawFilesReader(raw, log, options);
    for (const table of DEFENDER_TABLES) {
      const exported = sources.get(table);
      const normalised = streamTableSource(table, () => reader.rowsOf(table), log, exported?.schema ?? builtinSchema(table));
      sources.set(table, exported ? concat(exported, normalised) : normalised);
    }
  }
  return {
    table: (name) => sources.get(name),
    tableNames: () => [...sources.keys()],
    issues: () => log.snapshot(),
    files: () => [
      ...raw.map((r) => ({ path: r.path, detected: r.detected })),
      ...[...exports].flatMap(([table, list]) => list.map((f) => ({
        path: f.path, detected: { format: f.format === 'csv' ? 'defender-csv' as const : 'defender-json' as const, table, evidence: 'Device* columns' },
      }))),
    ],
  };
}

function concat(first: TableSource, second: TableSource): TableSource {
  return {
    name: first.name,
    schema: first.schema,
    async *scan(columns, filter) {
      yield* first.scan(columns, filter);
      yield* second.scan(columns, filter);
    },
  };
}

/** Per-file tallies, reported once after a file has been read through. */
class FileTally {
  records = 0;
  rows = new Map<string, number>();
  skipped = 0;
  broken = 0;
  cut = 0;

  add(item: TelemetryItem): void {
    this.records++;
    if (item.kind === 'row') {
      this.rows.set(item.table, (this.rows.get(item.table) ?? 0) + 1);
      if (item.note) this.cut++;
    } else if (item.kind === 'skipped') this.skipped++;
    else this.broken++;
  }

  summary(file: RawFile): string {
    const rows = [...this.rows].map(([t, n]) => `${n} ${t}`).join(', ') || 'no rows';
    const cut = this.cut > 0 ? `; ${this.cut} kept though cut short` : '';
    return `${file.path}: read as ${FORMAT_DESCRIPTIONS[file.detected.format]}: ${this.records} records → ${rows}; `
      + `${this.skipped} without a Defender table mapping; ${this.broken} broken${cut}`;
  }
}

/** Streams the raw files, keeping the rows of one table; broken records go to every table's stream (reported once). */
class RawFilesReader {
  constructor(private readonly files: RawFile[], private readonly log: IssueLog, private readonly options: TelemetryCatalogOptions) {}

  async *rowsOf(table: string): AsyncGenerator<RawRowSource> {
    for (const file of this.files) yield { label: file.path, items: this.itemsOf(file, table) };
  }

  private async *itemsOf(file: RawFile, table: string): AsyncGenerator<RawItem> {
    const tally = new FileTally();
    const onBytes = (bytes: number) => this.options.onProgress?.({ file: file.path, bytes, totalBytes: file.size });
    try {
      for await (const item of readTelemetry(file.path, file.detected, { onBytes })) {
        tally.add(item);
        if (item.kind === 'bad') yield { kind: 'bad', line: item.record, reason: item.reason };
        else if (item.kind === 'row' && item.table === table) yield { kind: 'record', line: item.record, record: item.row };
      }
    } catch (error) {
      // A reader that cannot go on (an unreadable file, a missing EVTX reader) loses the rest of the file, said once.
      this.log.warn(`${file.path}: ${(error as Error).message}; the rest of the file is not read`);
      return;
    }
    this.log.warn(tally.summary(file));
  }
}
