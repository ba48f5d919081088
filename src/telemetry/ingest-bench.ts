/**
 * Ingest figures for docs/telemetry-mapping.md ("Measured"): `node dist/telemetry/ingest-bench.js [DATA_DIR]`
 * (default ../shared/data).
 * 1. Rate of read + normalise (the pipeline behind `stagehunt ingest` and raw `--data`) for EVTX and for
 *    Sysmon JSON, over ≥ 50 MB inputs generated in a temp dir by repeating the shared samples: the
 *    Sysmon .evtx files copied as many times as needed, and their .jsonl conversions concatenated.
 * 2. Counts per raw data file under DATA_DIR: records, rows per Defender table, skipped, broken.
 * Prints the figures; asserts nothing.
 */
import { copyFileSync, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { SHARED_DIR } from '../testing/repo.js';
import { detectFormat } from './detect.js';
import { readTelemetry } from './pipeline.js';

const TARGET_BYTES = 50 * 1024 * 1024;

interface Tally { records: number; rows: Map<string, number>; skipped: number; broken: number }

async function tallyFile(path: string): Promise<Tally> {
  const tally: Tally = { records: 0, rows: new Map(), skipped: 0, broken: 0 };
  for await (const item of readTelemetry(path, await detectFormat(path))) {
    tally.records++;
    if (item.kind === 'row') tally.rows.set(item.table, (tally.rows.get(item.table) ?? 0) + 1);
    else if (item.kind === 'skipped') tally.skipped++;
    else tally.broken++;
  }
  return tally;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? allFiles(path) : [path];
  });
}

/** The Sysmon recordings among the shared .evtx files (their .jsonl twins are Sysmon JSON). */
function sysmonSamples(dataDir: string): string[] {
  return allFiles(dataDir).filter((path) => path.endsWith('.evtx') && /sysmon/i.test(basename(path)));
}

async function measure(label: string, files: string[]): Promise<void> {
  const bytes = files.reduce((sum, path) => sum + statSync(path).size, 0);
  const started = performance.now();
  let records = 0;
  let rows = 0;
  for (const path of files) {
    const tally = await tallyFile(path);
    records += tally.records;
    for (const n of tally.rows.values()) rows += n;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${files.length} file(s), ${(bytes / 1e6).toFixed(1)} MB, ${records} events (${rows} rows) in ${seconds.toFixed(2)} s`
    + ` → ${Math.round(records / seconds)} events/s, ${(bytes / 1e6 / seconds).toFixed(1)} MB/s`);
}

function generateEvtx(samples: string[], dir: string): string[] {
  const copies: string[] = [];
  let bytes = 0;
  for (let round = 0; bytes < TARGET_BYTES; round++) {
    for (const sample of samples) {
      const copy = join(dir, `${round}-${basename(sample)}`);
      copyFileSync(sample, copy);
      copies.push(copy);
      bytes += statSync(sample).size;
    }
  }
  return copies;
}

async function generateJson(samples: string[], dir: string): Promise<string> {
  const path = join(dir, 'sysmon.jsonl');
  const out = createWriteStream(path);
  const texts = samples.map((sample) => readFileSync(sample.replace(/\.evtx$/, '.jsonl'), 'utf8').replace(/\n?$/, '\n'));
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    for (const text of texts) {
      if (!out.write(text)) await once(out, 'drain');
      bytes += Buffer.byteLength(text);
    }
  }
  out.end();
  await once(out, 'finish');
  return path;
}

async function counts(dataDir: string): Promise<void> {
  console.log(`\ncounts per raw data file under ${dataDir} (records → rows per table; skipped; broken):`);
  for (const path of allFiles(dataDir)) {
    if (!/\.(evtx|jsonl|json|log)$/.test(path)) continue;
    let tally: Tally;
    try {
      tally = await tallyFile(path);
    } catch (error) {
      console.log(`  ${relative(dataDir, path)}: not read (${(error as Error).message.split('\n')[0]})`);
      continue;
    }
    const rows = [...tally.rows].map(([table, n]) => `${table} ${n}`).join(', ') || 'no rows';
    console.log(`  ${relative(dataDir, path)}: ${tally.records} records → ${rows}; ${tally.skipped} skipped; ${tally.broken} broken`);
  }
}

const dataDir = process.argv[2] ?? join(SHARED_DIR, 'data');
const samples = sysmonSamples(dataDir);
if (samples.length === 0) {
  console.log(`no Sysmon .evtx samples under ${dataDir}`);
} else {
  const work = mkdtempSync(join(tmpdir(), 'stagehunt-ingest-bench-'));
  try {
    const evtxCopies = generateEvtx(samples, work);
    await tallyFile(evtxCopies[0]!); // warm-up: JIT and file cache
    await measure('EVTX (Sysmon)', evtxCopies);
    const json = await generateJson(samples, work);
    await measure('Sysmon JSON (flattened, NDJSON)', [json]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  await counts(dataDir);
}
