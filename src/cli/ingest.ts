/**
 * `stagehunt ingest INPUT... --out DIR`: raw telemetry (EVTX, Sysmon XML/JSON, Sentinel Syslog,
 * auditd/AUOMS, Device* exports) → one NDJSON file (or, with `--parquet`, one Parquet file typed by
 * the table's schema) per Defender table in DIR, readable back with `--data DIR`. The same pipeline
 * as raw files given to `--data` (telemetry/pipeline.ts).
 * Results (the summary) go to stdout; progress and broken-record reports to stderr.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { Command, Option } from 'commander';
import { createRejectReporter, type RejectReporter } from '../data/catalog.js';
import { ParquetTableWriter } from '../data/parquet-writer.js';
import { detectFormat, INPUT_FORMATS, type Detected } from '../telemetry/detect.js';
import { readTelemetry } from '../telemetry/pipeline.js';

/** Where ingest writes (tests pass their own streams). */
export interface IngestOutput {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

interface IngestOptions {
  out: string;
  inputFormat?: string;
  quiet?: boolean;
  parquet?: boolean;
}

export function registerIngestCommand(program: Command, output: IngestOutput = { stdout: process.stdout, stderr: process.stderr }): void {
  program
    .command('ingest')
    .description('normalise raw telemetry into Defender tables (one NDJSON or Parquet file per table)')
    .argument('<input...>', 'files or folders: EVTX, Sysmon XML/JSON, Sentinel Syslog JSON, auditd/AUOMS logs, Device* exports')
    .requiredOption('--out <dir>', 'folder to write DeviceProcessEvents.ndjson, DeviceFileEvents.ndjson, … into (tables written are replaced, in either format)')
    .addOption(new Option('--input-format <format>', 'read every input as this format instead of detecting it').choices([...INPUT_FORMATS, 'xml', 'json', 'auoms', 'csv']))
    .option('--quiet', 'no progress bar and no per-record reports on stderr')
    .option('--parquet', 'write <Table>.parquet files (typed by the table schema) instead of NDJSON')
    .addHelpText('after', `
Examples:
  $ stagehunt ingest Sysmon.evtx Security.evtx --out tables/
  $ stagehunt ingest sysmon.xml audit.log --out tables/ && stagehunt hunt --data tables/
  $ stagehunt ingest logs/ --out tables/ --parquet

Formats are detected from magic bytes, then content, then extension; --input-format overrides.
A file whose format cannot be told is named and skipped (exit code 1 at the end).`)
    .action(async (inputs: string[], opts: IngestOptions) => {
      const failures = await ingest(inputs, opts, output);
      if (failures > 0) throw new Error(`${failures} input file${failures === 1 ? '' : 's'} could not be read (see above)`);
    });
}

/** Files under the inputs, folders walked in name order, hidden entries skipped. */
async function inputFiles(inputs: string[]): Promise<string[]> {
  const files: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new Error(`input not found: ${path}`);
    if (!info.isDirectory()) {
      files.push(path);
      return;
    }
    const entries = (await readdir(path)).filter((e) => !e.startsWith('.')).sort();
    for (const entry of entries) await visit(join(path, entry));
  };
  for (const input of inputs) await visit(input);
  return files;
}

const TABLE_FILE_EXTENSIONS = { ndjson: 'ndjson', parquet: 'parquet' } as const;
type TableFileFormat = keyof typeof TABLE_FILE_EXTENSIONS;

/**
 * Lazily opened outputs, one per table. Opening a table's file removes the table's file in the other
 * format, so that `--data DIR` never reads a table twice after a run in each format.
 */
class TableWriters {
  private readonly ndjson = new Map<string, WriteStream>();
  private readonly parquet = new Map<string, ParquetTableWriter>();
  readonly counts = new Map<string, number>();
  /** Values Parquet cannot hold, written as null, over all tables. */
  outOfRange = 0;

  constructor(private readonly dir: string, readonly format: TableFileFormat, private readonly rejects: RejectReporter) {}

  fileOf(table: string): string {
    return join(this.dir, `${table}.${TABLE_FILE_EXTENSIONS[this.format]}`);
  }

  async write(table: string, row: Record<string, unknown>, source: string, line: number): Promise<void> {
    this.counts.set(table, (this.counts.get(table) ?? 0) + 1);
    if (this.format === 'parquet') {
      (this.parquet.get(table) ?? (await this.openParquet(table))).add(row, source, line);
      return;
    }
    const stream = this.ndjson.get(table) ?? (await this.openNdjson(table));
    if (!stream.write(`${JSON.stringify(row)}\n`)) await once(stream, 'drain');
  }

  private async removeOtherFormat(table: string): Promise<void> {
    const other: TableFileFormat = this.format === 'parquet' ? 'ndjson' : 'parquet';
    await rm(join(this.dir, `${table}.${TABLE_FILE_EXTENSIONS[other]}`), { force: true });
  }

  private async openNdjson(table: string): Promise<WriteStream> {
    await this.removeOtherFormat(table);
    const stream = createWriteStream(this.fileOf(table), { flags: 'w' });
    this.ndjson.set(table, stream);
    return stream;
  }

  private async openParquet(table: string): Promise<ParquetTableWriter> {
    await this.removeOtherFormat(table);
    const writer = new ParquetTableWriter(this.fileOf(table), table, {
      // A row the schema refuses is not written: it counts as broken, like a record that could not be read.
      onReject: (file, line, reason) => {
        this.counts.set(table, this.counts.get(table)! - 1);
        this.rejects.onReject({ file, line, reason: `${table} row not written: ${reason}` });
      },
    });
    this.parquet.set(table, writer);
    return writer;
  }

  async close(): Promise<void> {
    for (const writer of this.parquet.values()) this.outOfRange += writer.close().valuesOutOfRange;
    await Promise.all([...this.ndjson.values()].map((s) => new Promise<void>((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())))));
  }
}

interface FileSummary {
  path: string;
  detected: Detected;
  records: number;
  rows: Map<string, number>;
  skipped: Map<string, number>;
  broken: number;
  cut: number;
  bytes: number;
  seconds: number;
}

async function ingest(inputs: string[], opts: IngestOptions, output: IngestOutput): Promise<number> {
  const files = await inputFiles(inputs);
  await mkdir(opts.out, { recursive: true });
  const progress = new Progress(output.stderr, !opts.quiet && output.stderr.isTTY === true);
  const rejects = createRejectReporter(opts.quiet ? nullStream() : output.stderr);
  const writers = new TableWriters(opts.out, opts.parquet ? 'parquet' : 'ndjson', rejects);
  const summaries: FileSummary[] = [];
  let failures = 0;
  try {
    for (const path of files) {
      let detected: Detected;
      try {
        detected = await detectFormat(path, opts.inputFormat);
      } catch (error) {
        failures++;
        output.stderr.write(`error: ${(error as Error).message}\n`);
        continue;
      }
      try {
        summaries.push(await ingestFile(path, detected, writers, progress, rejects));
      } catch (error) {
        failures++;
        progress.clear();
        output.stderr.write(`error: ${path}: ${(error as Error).message}\n`);
      }
    }
  } finally {
    progress.clear();
    await writers.close();
  }
  const rejectSummary = rejects.summary();
  if (rejectSummary) output.stderr.write(`${rejectSummary}\n`);
  output.stdout.write(renderSummary(summaries, writers));
  return failures;
}

async function ingestFile(path: string, detected: Detected, writers: TableWriters, progress: Progress, rejects: RejectReporter): Promise<FileSummary> {
  const size = (await stat(path)).size;
  const summary: FileSummary = { path, detected, records: 0, rows: new Map(), skipped: new Map(), broken: 0, cut: 0, bytes: size, seconds: 0 };
  const started = performance.now();
  let bytes = 0;
  const onBytes = (n: number) => {
    bytes = n;
    progress.update(path, bytes, size, summary.records, started);
  };
  for await (const item of readTelemetry(path, detected, { onBytes })) {
    summary.records++;
    if (item.kind === 'row') {
      summary.rows.set(item.table, (summary.rows.get(item.table) ?? 0) + 1);
      if (item.note) summary.cut++;
      await writers.write(item.table, item.row, path, item.record);
    } else if (item.kind === 'skipped') {
      summary.skipped.set(item.reason, (summary.skipped.get(item.reason) ?? 0) + 1);
    } else {
      summary.broken++;
      rejects.onReject({ file: path, line: item.record, reason: item.reason });
    }
    if ((summary.records & 1023) === 0) progress.update(path, bytes, size, summary.records, started);
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

const MAX_REASONS_SHOWN = 8;

function renderSummary(files: FileSummary[], writers: TableWriters): string {
  const lines: string[] = [];
  let records = 0;
  let bytes = 0;
  let seconds = 0;
  for (const f of files) {
    records += f.records;
    bytes += f.bytes;
    seconds += f.seconds;
    lines.push(`${f.path} (${f.detected.format}${f.detected.table ? ` → ${f.detected.table}` : ''}): ${f.records} records read in ${f.seconds.toFixed(2)} s`);
    const mapped = [...f.rows].map(([t, n]) => `${t} ${n}`).join(', ');
    lines.push(`  mapped:  ${mapped || 'none'}`);
    const reasons = [...f.skipped].sort((a, b) => b[1] - a[1]);
    const skippedTotal = reasons.reduce((sum, [, n]) => sum + n, 0);
    lines.push(`  skipped: ${skippedTotal}${skippedTotal > 0 ? ':' : ''}`);
    for (const [reason, n] of reasons.slice(0, MAX_REASONS_SHOWN)) lines.push(`    ${String(n).padStart(7)}  ${reason}`);
    if (reasons.length > MAX_REASONS_SHOWN) {
      const rest = reasons.slice(MAX_REASONS_SHOWN).reduce((sum, [, n]) => sum + n, 0);
      lines.push(`    ${String(rest).padStart(7)}  (${reasons.length - MAX_REASONS_SHOWN} other reasons)`);
    }
    lines.push(`  broken:  ${f.broken}${f.cut > 0 ? `; ${f.cut} events kept though cut short` : ''}`);
  }
  const written = [...writers.counts].map(([t, n]) => `${writers.fileOf(t)} (${n} rows)`).join(', ');
  lines.push(`total: ${files.length} file${files.length === 1 ? '' : 's'}, ${records} records; wrote ${written || 'no rows'}`);
  if (writers.outOfRange > 0) {
    lines.push(`note: ${writers.outOfRange} values Parquet cannot hold written as null (datetimes outside 1677-09-21…2262-04-11, longs beyond 64 bits)`);
  }
  if (seconds > 0) lines.push(`rate: ${Math.round(records / seconds)} records/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s`);
  return `${lines.join('\n')}\n`;
}

/** A one-line progress display on stderr (TTY only), redrawn at most every 100 ms. */
class Progress {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WritableStream, private readonly enabled: boolean) {}

  update(file: string, bytes: number, total: number, events: number, started: number): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    const share = total > 0 ? Math.min(1, bytes / total) : 0;
    const width = 24;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const name = file.length > 40 ? `…${file.slice(-39)}` : file;
    this.stream.write(`\r[${bar}] ${(bytes / 1e6).toFixed(1)}/${(total / 1e6).toFixed(1)} MB  ${events} events  ${Math.round(events / seconds)} ev/s  ${name}\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

function nullStream(): NodeJS.WritableStream {
  return { write: () => true } as unknown as NodeJS.WritableStream;
}
