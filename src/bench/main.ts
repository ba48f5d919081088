/**
 * `npm run bench`: our engine side by side with DuckDB over the same generated files.
 *   node dist/bench/main.js [--sizes 1000000,10000000 | --events N] [--formats ndjson,csv,parquet]
 *     [--queries id,…] [--quick] [--data-root DIR] [--results FILE] [--timeout SECONDS]
 * Data is generated once per size and format into <data-root>/<size>/<format>/ and reused. Every run
 * (ours, DuckDB) is a child process, so time and peak RSS are its own; results are compared row by
 * row. Measurements accumulate in <data-root>/measurements.json, so sizes can be run separately and
 * still land in one bench/results.md.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus as cpus_, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_END, generateTelemetry, type Manifest } from '../generator/generate.js';
import { compareResults, type EngineResult } from './compare.js';
import { BENCH_FORMATS, type BenchFormat } from './duckdb-sql.js';
import type { RunMeasurement } from './engine-run.js';
import { BENCH_QUERIES, type BenchQuery } from './queries.js';
import {
  consoleTable, falsePositiveLines, falsePositives, markdownTable, sortMeasurements, targetVerdicts,
  type AlertSpan, type FalsePositiveFigure, type Measurement,
} from './report.js';

const DEVICES = 1000;
const QUICK_EVENTS = 20_000;
const ENGINE_RUN = join(dirname(fileURLToPath(import.meta.url)), 'engine-run.js');

interface Options {
  sizes: number[];
  formats: BenchFormat[];
  queries: BenchQuery[];
  dataRoot: string;
  results: string;
  timeoutSeconds: number;
  note?: string;
}

function commaList<T>(parse: (item: string) => T) {
  return (text: string): T[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '').map(parse);
}

function eventCount(text: string): number {
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 1000) throw new InvalidArgumentError(`'${text}' is not a whole number ≥ 1000`);
  return n;
}

function seconds(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`'${text}' is not a whole number of seconds ≥ 1`);
  return n;
}

function benchFormat(text: string): BenchFormat {
  if (!BENCH_FORMATS.includes(text as BenchFormat)) throw new InvalidArgumentError(`'${text}': expected ${BENCH_FORMATS.join(', ')}`);
  return text as BenchFormat;
}

function queryById(id: string): BenchQuery {
  const query = BENCH_QUERIES.find((q) => q.id === id);
  if (!query) throw new InvalidArgumentError(`unknown query '${id}' (known: ${BENCH_QUERIES.map((q) => q.id).join(', ')})`);
  return query;
}

function parseOptions(): Options {
  const program = new Command('bench')
    .description('Run the rules and five corpus queries in our engine and in DuckDB over the same generated files')
    .option('--sizes <list>', 'event counts, comma-separated', commaList(eventCount), [1_000_000, 10_000_000])
    .option('--events <n>', 'a single event count (same as --sizes N)', eventCount)
    .option('--formats <list>', 'ndjson,csv,parquet', commaList(benchFormat), [...BENCH_FORMATS])
    .option('--queries <list>', `query ids, comma-separated (default: all: ${BENCH_QUERIES.map((q) => q.id).join(', ')})`, commaList(queryById))
    .option('--quick', `smoke run: ${QUICK_EVENTS.toLocaleString('en-US')} events, results to <data-root>/quick-results.md`)
    .option('--data-root <dir>', 'where generated data and measurements live', join('bench', 'out'))
    .option('--results <file>', 'markdown report', join('bench', 'results.md'))
    .option('--timeout <seconds>', 'longest a single run may take', seconds, 3600)
    .option('--report-only', 'run nothing: rewrite the report from the measurements recorded so far')
    .option('--note <text>', 'a remark on how the figures were taken, kept in the report')
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
  program.parse();
  const o = program.opts<{ sizes: number[]; events?: number; formats: BenchFormat[]; queries?: BenchQuery[]; quick?: boolean; dataRoot: string; results: string; timeout: number; reportOnly?: boolean; note?: string }>();
  const dataRoot = o.quick ? join(o.dataRoot, 'quick') : o.dataRoot;
  return {
    sizes: o.reportOnly ? [] : o.quick ? [QUICK_EVENTS] : o.events ? [o.events] : o.sizes,
    formats: o.formats,
    queries: o.queries ?? BENCH_QUERIES,
    dataRoot,
    results: o.quick ? join(dataRoot, 'quick-results.md') : o.results,
    timeoutSeconds: o.timeout,
    note: o.note,
  };
}

/** The generated data for a size and format, generated when it is not there yet. */
async function dataset(root: string, size: number, format: BenchFormat): Promise<{ directory: string; manifest: Manifest }> {
  const directory = join(root, String(size), format);
  const manifestPath = join(directory, 'manifest.json');
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    if (manifest.events === size && manifest.format === format) return { directory, manifest };
  }
  process.stderr.write(`generating ${size.toLocaleString('en-US')} events as ${format} into ${directory} …\n`);
  const { manifest } = await generateTelemetry({ events: size, devices: DEVICES, out: directory, format });
  return { directory, manifest };
}

function runChild(args: string[], timeoutSeconds: number): Promise<RunMeasurement> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [ENGINE_RUN, ...args], { timeout: timeoutSeconds * 1000, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) {
        const reason = error.killed ? `timed out after ${timeoutSeconds} s` : stderr.trim().split('\n').slice(0, 3).join(' ') || error.message;
        reject(new Error(reason));
        return;
      }
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as RunMeasurement);
    });
  });
}

async function inputSize(directory: string, query: BenchQuery, format: BenchFormat, manifest: Manifest): Promise<{ events: number; bytes: number }> {
  let bytes = 0;
  for (const table of query.tables) bytes += (await stat(join(directory, `${table}.${format}`))).size;
  return { events: query.tables.reduce((n, t) => n + (manifest.counts[t] ?? 0), 0), bytes };
}

async function measure(query: BenchQuery, format: BenchFormat, size: number, directory: string, manifest: Manifest, timeoutSeconds: number,
  scratch: string): Promise<{ measurement: Measurement; ours?: EngineResult }> {
  const now = manifest.window.end.replace(/\.0+Z$/, 'Z') || DEFAULT_END;
  const input = await inputSize(directory, query, format, manifest);
  const measurement: Measurement = {
    query: query.id, format, size, inputEvents: input.events, inputBytes: input.bytes, match: false, difference: '',
    streaming: query.streaming, restriction: query.restriction,
  };
  const files = { ours: join(scratch, `${query.id}.ours.json`), duckdb: join(scratch, `${query.id}.duckdb.json`) };
  const errors: string[] = [];
  for (const engine of ['ours', 'duckdb'] as const) {
    process.stderr.write(`  ${query.id} ${format} ${size.toLocaleString('en-US')}: ${engine} … `);
    try {
      measurement[engine] = await runChild([engine, query.id, format, directory, now, files[engine]], timeoutSeconds);
      process.stderr.write(`${measurement[engine]!.seconds.toFixed(2)} s\n`);
    } catch (e) {
      errors.push(`${engine}: ${(e as Error).message}`);
      process.stderr.write(`failed: ${(e as Error).message}\n`);
    }
  }
  if (errors.length > 0) {
    measurement.error = errors.join('; ');
    return { measurement };
  }
  const ours = JSON.parse(await readFile(files.ours, 'utf8')) as EngineResult;
  const theirs = JSON.parse(await readFile(files.duckdb, 'utf8')) as EngineResult;
  const comparison = compareResults(ours, theirs, query.checks);
  measurement.match = comparison.match;
  measurement.difference = comparison.difference;
  await rm(files.ours, { force: true });
  await rm(files.duckdb, { force: true });
  return { measurement, ours };
}

const key = (m: Pick<Measurement, 'query' | 'format' | 'size'>) => `${m.size}/${m.format}/${m.query}`;

interface Store {
  measurements: Measurement[];
  falsePositives: FalsePositiveFigure[];
  notes?: string[];
}

async function loadStore(path: string): Promise<Store> {
  if (!existsSync(path)) return { measurements: [], falsePositives: [] };
  return JSON.parse(await readFile(path, 'utf8')) as Store;
}

/** Alerts of a rule's result: device, first/last time (DeviceName, FirstSeen/LastSeen or Timestamp) and severity when graded. */
function alertsOf(result: EngineResult): AlertSpan[] {
  const index = (name: string) => result.columns.findIndex((c) => c.name === name);
  const device = index('DeviceName'), timestamp = index('Timestamp'), first = index('FirstSeen'), last = index('LastSeen');
  const severity = index('Severity');
  return result.rows.map((row) => {
    const at = String(row[timestamp]);
    const from = first >= 0 && row[first] ? String(row[first]) : at;
    const to = last >= 0 && row[last] ? String(row[last]) : at;
    return { device: String(row[device]), first: from, last: to, ...(severity >= 0 ? { severity: String(row[severity]) } : {}) };
  });
}

/** Query × format combinations measured at some size but not at another (e.g. for lack of time or disk). */
function notMeasured(measurements: Measurement[]): string[] {
  const sizes = [...new Set(measurements.map((m) => m.size))].sort((a, b) => a - b);
  const lines: string[] = [];
  for (const size of sizes) {
    const missing: string[] = [];
    for (const format of BENCH_FORMATS) {
      const queries = BENCH_QUERIES.filter((q) => !measurements.some((m) => m.size === size && m.format === format && m.query === q.id));
      if (queries.length === BENCH_QUERIES.length) missing.push(`${format}: all queries`);
      else if (queries.length > 0) missing.push(`${format}: ${queries.map((q) => q.id).join(', ')}`);
    }
    if (missing.length > 0) lines.push(`- ${size.toLocaleString('en-US')} events — ${missing.join('; ')}`);
  }
  return lines;
}

function environment(measurements: Measurement[]): string {
  const duckdbVersion = measurements.find((m) => m.duckdb?.engineVersion)?.duckdb?.engineVersion ?? 'unknown';
  const cpus = cpus_();
  return `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, `
    + `DuckDB ${duckdbVersion} (@duckdb/node-api). Each cell is one run, ours and DuckDB's one after the other on the `
    + 'same files; repeated runs differ by up to a few tens of percent, so ratios are the figures to read (the notes below '
    + 'say how the figures were taken).';
}

function report(store: Store): string {
  const ordered = sortMeasurements(store.measurements, BENCH_QUERIES.map((q) => q.id), BENCH_FORMATS);
  const missing = notMeasured(ordered);
  const mismatches = ordered.filter((m) => !m.match || m.error);
  const restrictions = BENCH_QUERIES.filter((q) => q.restriction);
  return [
    '# Benchmark: stagehunt side by side with DuckDB',
    '',
    'Generated by `npm run bench` (src/bench/). Data: `npm run gen` (seed 1074, 1,000 devices, 24 h window ending',
    `${DEFAULT_END}; now() pinned there), one file per Device* table, the same files for both engines. Times are`,
    'the query alone in a fresh child process (start-up excluded), peak RSS is that process\'s. DuckDB runs its',
    'hand-written SQL equivalent (src/bench/queries.ts, src/bench/improved-rule-sql.ts) with its default threads;',
    'our engine scans large NDJSON files with worker threads (one per core) and writes its result rows to the result',
    'file as they are produced (as `stagehunt query --format ndjson` prints them), while DuckDB\'s result is collected',
    'and then written. ev/s = rows of the tables the query reads / time; MB/s = bytes of those files / time.',
    '',
    environment(ordered),
    '',
    ...(store.notes?.length ? [...store.notes.map((n) => `- ${n}`), ''] : []),
    '## Queries',
    '',
    ...BENCH_QUERIES.map((q) => `- \`${q.id}\`: ${q.title}${q.streaming ? ' (streaming only)' : ''}`),
    '',
    '## Results',
    '',
    markdownTable(ordered),
    '',
    ...(missing.length ? ['Not measured:', '', ...missing, ''] : []),
    '## Targets',
    '',
    ...targetVerdicts(ordered),
    '',
    '## False positives on benign activity',
    '',
    'An alert counts for an attack when it is on the attack\'s device and its time span overlaps the attack\'s (manifest.json).',
    '',
    ...(store.falsePositives.length ? falsePositiveLines([...store.falsePositives].sort((a, b) => a.size - b.size || a.rule.localeCompare(b.rule))) : ['- not measured']),
    '',
    '## Differences between the engines',
    '',
    ...(mismatches.length ? mismatches.map((m) => `- ${m.query} ${m.format} ${m.size.toLocaleString('en-US')}: ${m.error ?? m.difference}`) : ['- none: every run returned the same rows']),
    ...(restrictions.length ? ['', ...restrictions.map((q) => `- ${q.id}: ${q.restriction}`)] : []),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions();
  await mkdir(options.dataRoot, { recursive: true });
  const storePath = join(options.dataRoot, 'measurements.json');
  const store = await loadStore(storePath);
  if (options.note && !store.notes?.includes(options.note)) {
    store.notes = [...(store.notes ?? []), options.note];
    await writeFile(storePath, JSON.stringify(store, null, 1));
  }
  const scratch = await mkdtemp(join(tmpdir(), 'stagehunt-bench-'));
  try {
    for (const size of options.sizes) {
      for (const format of options.formats) {
        const { directory, manifest } = await dataset(options.dataRoot, size, format);
        for (const query of options.queries) {
          const { measurement, ours } = await measure(query, format, size, directory, manifest, options.timeoutSeconds, scratch);
          store.measurements = [...store.measurements.filter((m) => key(m) !== key(measurement)), measurement];
          if (ours && (query.id === 'seed-rule' || query.id === 'improved-rule')) {
            const figure = falsePositives(query.id, size, manifest, alertsOf(ours));
            store.falsePositives = [...store.falsePositives.filter((f) => !(f.rule === figure.rule && f.size === figure.size)), figure];
          }
          await writeFile(storePath, JSON.stringify(store, null, 1));
          if (!measurement.match) process.stderr.write(`    ${measurement.error ? 'ERROR' : 'MISMATCH'}: ${measurement.error ?? measurement.difference}\n`);
        }
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const ordered = sortMeasurements(store.measurements, BENCH_QUERIES.map((q) => q.id), BENCH_FORMATS);
  process.stdout.write(`${consoleTable(ordered)}\n${targetVerdicts(ordered).join('\n')}\n${falsePositiveLines(store.falsePositives).join('\n')}\n`);
  await mkdir(dirname(options.results), { recursive: true });
  await writeFile(options.results, report(store));
  process.stdout.write(`→ ${options.results}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exit(1);
});
