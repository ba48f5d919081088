/**
 * `npm run corpus`: the real Defender hunting queries (`../shared/corpus/defender-hunting-queries.jsonl`)
 * measured in three steps:
 *   (a) which queries Kusto's own analyser accepts with the seven Device* schemas (no error diagnostics);
 *       queries it rejects because they name other tables are reported separately;
 *   (b) of those, which ones our engine parses and binds (`compileQuery`);
 *   (c) of those, which ones run without error over a synthetic dataset from the generator.
 * Every failure is listed with its diagnostic, grouped by cause, on stdout and in docs/corpus.md.
 *   node dist/conformance/corpus-runner.js [--corpus FILE] [--events N] [--timeout MS] [--out FILE]
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoPath, sharedPath } from '../testing/repo.js';
import { builtinTableSchemas, kustoResultColumns, type OracleDiagnostic } from '../testing/kusto-oracle.js';
import { generateTelemetry, type Manifest } from '../generator/generate.js';
import { QueryPool, type QueryOutcome } from './pool.js';
import { causeOf, cell, firstLine, groupBy, percent } from './report.js';

export interface CorpusQuery {
  id: string;
  source_repo: string;
  source_path: string;
  tables_used: string[];
  query: string;
}

export type OracleVerdict =
  | { status: 'accepted' }
  | { status: 'other-tables'; tables: string[] }
  | { status: 'rejected'; diagnostic: string };

const UNKNOWN_TABLE = /^The name '([^']+)' does not refer to any known table, tabular variable or function\.$/;

/** Kusto.Language's verdict: accepted, rejected because it names tables we do not have, or rejected. */
export function oracleVerdict(diagnostics: OracleDiagnostic[]): OracleVerdict {
  const errors = diagnostics.filter((d) => d.severity === 'Error');
  if (errors.length === 0) return { status: 'accepted' };
  const unknownTables = errors.map((e) => UNKNOWN_TABLE.exec(e.message)?.[1]).filter((t): t is string => t !== undefined);
  if (unknownTables.length > 0) return { status: 'other-tables', tables: [...new Set(unknownTables)] };
  return { status: 'rejected', diagnostic: `${errors[0]!.code} at ${errors[0]!.start}: ${errors[0]!.message}` };
}

/** Oracle verdicts take ~35 ms a query; they are cached beside the dataset, keyed by the corpus text. */
async function oracleVerdicts(queries: CorpusQuery[], corpusText: string, cacheDir: string): Promise<OracleVerdict[]> {
  const key = createHash('sha1').update(corpusText).digest('hex').slice(0, 16);
  const cachePath = join(cacheDir, `oracle-${key}.json`);
  if (existsSync(cachePath)) return JSON.parse(await readFile(cachePath, 'utf8')) as OracleVerdict[];
  const schemas = builtinTableSchemas();
  const verdicts = queries.map((q) => oracleVerdict(kustoResultColumns(q.query, schemas).diagnostics));
  await writeFile(cachePath, JSON.stringify(verdicts));
  return verdicts;
}

export const CORPUS_DATASET = { seed: 1074, devices: 60, window: '7d', end: '2026-11-28T00:00:00Z', attacks: 18 } as const;

/** The synthetic dataset the corpus runs over, generated once into the cache folder. */
async function dataset(cacheDir: string, events: number): Promise<{ dir: string; manifest: Manifest }> {
  const dir = join(cacheDir, `dataset-${CORPUS_DATASET.seed}-${events}`);
  const manifestPath = join(dir, 'manifest.json');
  if (existsSync(manifestPath)) return { dir, manifest: JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest };
  const { manifest } = await generateTelemetry({ ...CORPUS_DATASET, events, out: dir });
  return { dir, manifest };
}

interface Failure {
  query: CorpusQuery;
  diagnostic: string;
}

function diagnosticOf(outcome: QueryOutcome): string {
  if (outcome.ok) return '';
  const first = outcome.diagnostics[0];
  return first ? `${first.code} at ${first.start}: ${first.message}` : firstLine(outcome.message);
}

interface CorpusReport {
  total: number;
  accepted: CorpusQuery[];
  otherTables: { query: CorpusQuery; tables: string[] }[];
  rejected: Failure[];
  compiled: CorpusQuery[];
  compileFailures: Failure[];
  ran: CorpusQuery[];
  runFailures: Failure[];
  events: number;
  seconds: number;
}

function causeOfFailure(f: Failure): string {
  return causeOf(f.diagnostic.replace(/^K[A-Z]\d+ at \d+: /, ''));
}

function where(q: CorpusQuery): string {
  return `${q.id} ${q.source_repo.split('/')[1]}/${q.source_path}`;
}

function printReport(r: CorpusReport): void {
  console.log(`Defender hunting query corpus: ${r.total} queries`);
  console.log(`  (a) accepted by Kusto.Language with the Device* schemas: ${r.accepted.length}`);
  console.log(`      rejected because they use other tables:            ${r.otherTables.length}`);
  console.log(`      rejected for other reasons (see docs/corpus.md):     ${r.rejected.length}`);
  console.log(`  (b) parse and bind in our engine: ${r.compiled.length}/${r.accepted.length} (${percent(r.compiled.length, r.accepted.length)})`);
  console.log(`  (c) run without error over ${r.events} synthetic events: ${r.ran.length}/${r.accepted.length} (${percent(r.ran.length, r.accepted.length)})`);
  for (const [title, failures] of [['parse/bind failures', r.compileFailures], ['run failures', r.runFailures]] as const) {
    console.log(`\n${title} by cause:`);
    for (const [cause, items] of groupBy(failures, causeOfFailure)) console.log(`  ${String(items.length).padStart(4)}  ${cause}`);
  }
  console.log('\nother tables used (queries):');
  for (const [table, items] of groupBy(r.otherTables.flatMap((o) => o.tables.map((t) => ({ t, q: o.query }))), (x) => x.t)) {
    console.log(`  ${String(items.length).padStart(4)}  ${table}`);
  }
  console.log('\nevery failure:');
  for (const f of [...r.compileFailures, ...r.runFailures]) console.log(`  ${where(f.query)}: ${firstLine(f.diagnostic).slice(0, 200)}`);
}

function markdown(r: CorpusReport): string {
  const groupTable = (failures: Failure[]) => [
    '| queries | cause |', '|---|---|',
    ...groupBy(failures, causeOfFailure).map(([cause, items]) => `| ${items.length} | ${cell(cause)} |`),
  ];
  const listTable = (failures: Failure[]) => [
    '| query | source | diagnostic |', '|---|---|---|',
    ...failures.map((f) => `| ${f.query.id} | ${cell(`${f.query.source_repo.split('/')[1]}/${f.query.source_path}`, 90)} | ${cell(firstLine(f.diagnostic))} |`),
  ];
  return [
    '# Real hunting queries: parse, bind and run',
    '',
    'Generated by `npm run corpus` (src/conformance/corpus-runner.ts) over `../shared/corpus/defender-hunting-queries.jsonl`',
    '(518 distinct Device* queries from microsoft/Microsoft-365-Defender-Hunting-Queries and reprise99/Sentinel-Queries, MIT).',
    '',
    '## Figures',
    '',
    '| step | queries |',
    '|---|---|',
    `| corpus | ${r.total} |`,
    `| (a) accepted by Kusto.Language with the seven Device* schemas | ${r.accepted.length} |`,
    `| rejected by Kusto.Language: use tables other than the seven Device* ones | ${r.otherTables.length} |`,
    `| rejected by Kusto.Language: other errors (broken at the source, \`FileProfile\`, or columns only \`evaluate bag_unpack\` creates, which static analysis cannot see) | ${r.rejected.length} |`,
    `| (b) of (a), parse and bind in our engine | ${r.compiled.length} (${percent(r.compiled.length, r.accepted.length)}) |`,
    `| (c) of (a), run without error over the synthetic dataset | ${r.ran.length} (${percent(r.ran.length, r.accepted.length)}) |`,
    '',
    `Dataset: \`npm run gen\` with seed ${CORPUS_DATASET.seed}, ${r.events} events, ${CORPUS_DATASET.devices} devices, a ${CORPUS_DATASET.window} window ending`,
    `${CORPUS_DATASET.end} (now() is pinned there), ${CORPUS_DATASET.attacks} injected attacks; each query runs in a worker with a timeout.`,
    '',
    '## Parse/bind failures by cause',
    '',
    ...groupTable(r.compileFailures),
    '',
    '## Run failures by cause (queries that compile but fail at run time)',
    '',
    ...groupTable(r.runFailures),
    '',
    '## Tables other than the seven Device* ones (reported separately)',
    '',
    '| queries | table |', '|---|---|',
    ...groupBy(r.otherTables.flatMap((o) => o.tables.map((t) => ({ t, q: o.query }))), (x) => x.t).map(([t, items]) => `| ${items.length} | ${cell(t)} |`),
    '',
    '## Rejected by Kusto.Language for other reasons',
    '',
    ...listTable(r.rejected),
    '',
    '## Every parse/bind failure',
    '',
    ...listTable(r.compileFailures),
    '',
    '## Every run failure',
    '',
    ...listTable(r.runFailures),
    '',
  ].join('\n');
}

export async function runCorpus(queries: CorpusQuery[], corpusText: string, options: { events: number; timeoutMs: number; cacheDir: string }): Promise<CorpusReport> {
  const started = performance.now();
  await mkdir(options.cacheDir, { recursive: true });
  const [verdicts, data] = await Promise.all([oracleVerdicts(queries, corpusText, options.cacheDir), dataset(options.cacheDir, options.events)]);
  const report: CorpusReport = {
    total: queries.length, accepted: [], otherTables: [], rejected: [], compiled: [], compileFailures: [], ran: [], runFailures: [],
    events: data.manifest.events, seconds: 0,
  };
  queries.forEach((q, i) => {
    const v = verdicts[i]!;
    if (v.status === 'accepted') report.accepted.push(q);
    else if (v.status === 'other-tables') report.otherTables.push({ query: q, tables: v.tables });
    else report.rejected.push({ query: q, diagnostic: v.diagnostic });
  });
  const pool = new QueryPool(options.timeoutMs);
  try {
    await Promise.all(report.accepted.map(async (q) => {
      const compiled = await pool.run({ mode: 'compile', query: q.query });
      // KB902: an operator whose columns come from the data (evaluate bag_unpack) binds once its
      // input has run, so such a query is bound (or not) by running it over the dataset.
      const dataDependent = !compiled.ok && compiled.diagnostics.length > 0 && compiled.diagnostics.every((d) => d.code === 'KB902');
      const bound = compiled.ok ? compiled : dataDependent ? await pool.run({ mode: 'run', query: q.query, data: data.dir, now: CORPUS_DATASET.end, keepRows: false }) : compiled;
      if (!bound.ok && (!dataDependent || bound.diagnostics.some((d) => d.code.startsWith('KB') || d.code.startsWith('KS')))) {
        report.compileFailures.push({ query: q, diagnostic: diagnosticOf(bound) });
        return;
      }
      report.compiled.push(q);
      const ran = await pool.run({ mode: 'run', query: q.query, data: data.dir, now: CORPUS_DATASET.end, keepRows: false });
      if (ran.ok) report.ran.push(q);
      else report.runFailures.push({ query: q, diagnostic: diagnosticOf(ran) });
    }));
  } finally {
    await pool.close();
  }
  const byId = (a: Failure, b: Failure) => a.query.id.localeCompare(b.query.id);
  report.compileFailures.sort(byId);
  report.runFailures.sort(byId);
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      events: { type: 'string', default: '20000' },
      timeout: { type: 'string', default: '20000' },
      out: { type: 'string', default: repoPath('docs', 'corpus.md') },
      cache: { type: 'string', default: join(tmpdir(), 'stagehunt-corpus-cache') },
    },
  });
  const corpusPath = values.corpus ?? sharedPath('corpus', 'defender-hunting-queries.jsonl');
  if (!corpusPath) {
    console.log('corpus: SKIPPED — ../shared/corpus/defender-hunting-queries.jsonl is absent (pass --corpus FILE)');
    return;
  }
  const text = await readFile(corpusPath, 'utf8');
  const queries = text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as CorpusQuery);
  const report = await runCorpus(queries, text, { events: Number(values.events), timeoutMs: Number(values.timeout), cacheDir: values.cache! });
  printReport(report);
  console.log(`\n${queries.length} queries in ${report.seconds.toFixed(1)} s`);
  await mkdir(dirname(values.out!), { recursive: true });
    await writeFile(values.out!, markdown(report));
  console.log(`written: ${values.out}`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'))) {
  main().catch((error: unknown) => {
    console.error(`corpus: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}
