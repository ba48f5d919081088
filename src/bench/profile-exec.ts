/**
 * Execution time of a rule with file reading taken out: every table under `--data` is read into
 * memory once, then the query runs `--repeat` times over the held batches. Run it under
 * `node --cpu-prof` to see where execution (not parsing) spends its time.
 *   node dist/bench/profile-exec.js --data DIR [--rule t1074-seed] [--repeat 3] [--now ISO] [--profile FILE]
 * `--profile FILE` records a CPU profile of the query runs only (not the loading) into FILE
 * (open it in Chrome DevTools) and prints the functions with the most self time.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { openCatalog } from '../data/catalog.js';
import { builtinSchema } from '../data/schemas.js';
import { RULES_DIR } from '../detections/builtin-rules.js';
import { executeQuery, formatBytes, type TableSource } from '../kql/index.js';
import type { Batch } from '../kql/values/batch.js';
import { parseDatetime } from '../kql/values/datetime.js';
import type { Schema } from '../kql/values/types.js';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

interface HeldTable {
  schema: Schema;
  batches: Batch[];
}

async function loadTables(dir: string): Promise<Map<string, HeldTable>> {
  const catalog = await openCatalog([dir]);
  const tables = new Map<string, HeldTable>();
  for (const name of catalog.tableNames()) {
    const source = catalog.table(name)!;
    const batches: Batch[] = [];
    for await (const batch of source.scan()) batches.push(batch);
    tables.set(name, { schema: source.schema, batches });
  }
  return tables;
}

function heldSource(tables: Map<string, HeldTable>): TableSource {
  return {
    tableSchema: (name) => tables.get(name)?.schema ?? builtinSchema(name),
    tableNames: () => [...tables.keys()],
    async *scan(name) {
      for (const batch of tables.get(name)?.batches ?? []) yield batch;
    },
  };
}

async function main(): Promise<void> {
  const dir = argument('--data', join('bench', 'out', 'seed-1000000'));
  const rule = argument('--rule', 't1074-seed');
  const repeat = Number(argument('--repeat', '3'));
  const now = parseDatetime(argument('--now', '2026-11-28T00:00:00Z'));
  if (now === null) throw new Error('--now: not an ISO datetime');
  const query = await readFile(join(RULES_DIR, rule, 'query.kql'), 'utf8');
  const loadStarted = performance.now();
  const tables = await loadTables(dir);
  const rows = [...tables.values()].reduce((n, t) => n + t.batches.reduce((m, b) => m + b.length, 0), 0);
  process.stdout.write(`loaded ${rows.toLocaleString('en-US')} rows in ${((performance.now() - loadStarted) / 1000).toFixed(2)} s\n`);
  const source = heldSource(tables);
  const profileFile = argument('--profile', '');
  const profiler = profileFile ? await startProfiler() : undefined;
  for (let run = 1; run <= repeat; run++) {
    const started = performance.now();
    const held = new Map<string, { rows: number; bytes: number }>();
    const onHolding = (operator: string, rows: number, bytes: number) => {
      const most = held.get(operator);
      if (!most || bytes > most.bytes) held.set(operator, { rows, bytes });
    };
    const result = await executeQuery(query, { tables: source, now, onHolding });
    const seconds = (performance.now() - started) / 1000;
    const holding = [...held].map(([op, h]) => `${op} ${h.rows.toLocaleString('en-US')} (${formatBytes(h.bytes)})`).join(', ');
    process.stdout.write(`run ${run}: ${rule} ${seconds.toFixed(3)} s, ${result.rows.length} rows; most held: ${holding || 'nothing'}\n`);
  }
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    await writeFile(profileFile, JSON.stringify(profile));
    process.stdout.write(`${selfTimeReport(profile, 25)}\n`);
  }
}

async function startProfiler(): Promise<Session> {
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
  await inspector.post('Profiler.start');
  return inspector;
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The functions with the most self time (time spent in their own code, not in what they call). */
function selfTimeReport(profile: CpuProfile, top: number): string {
  const names = new Map(profile.nodes.map((n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    return [n.id, `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`];
  }));
  const self = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  samples.forEach((id, i) => {
    const micros = profile.timeDeltas?.[i] ?? 0;
    total += micros;
    const name = names.get(id) ?? '?';
    self.set(name, (self.get(name) ?? 0) + micros);
  });
  const lines = [...self].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([name, micros]) => `${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [`self time over ${(total / 1e6).toFixed(2)} s of runs:`, ...lines].join('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`profile failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
