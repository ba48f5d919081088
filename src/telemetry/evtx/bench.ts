/**
 * Read-rate measurement: `node dist/telemetry/evtx/bench.js [file.evtx …]` (default: the three largest
 * .evtx files under ../shared/data). Prints events/s and MB/s per file; no assertions.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { readEvtx } from './index.js';
import { sharedEvtxFiles } from './shared-samples.js';

const ROUNDS = 5;

async function measure(path: string): Promise<void> {
  await countEvents(path); // warm-up: JIT and file cache
  const started = performance.now();
  let events = 0;
  for (let round = 0; round < ROUNDS; round++) events += await countEvents(path);
  const seconds = (performance.now() - started) / 1000 / ROUNDS;
  const perRound = events / ROUNDS;
  const megabytes = statSync(path).size / (1024 * 1024);
  console.log(`${basename(path)}: ${perRound} events, ${(seconds * 1000).toFixed(1)} ms, ${Math.round(perRound / seconds)} events/s, ${(megabytes / seconds).toFixed(1)} MiB/s`);
}

async function countEvents(path: string): Promise<number> {
  let count = 0;
  for await (const _event of readEvtx(path)) count++;
  return count;
}

const requested = process.argv.slice(2);
const files = requested.length > 0 ? requested : (sharedEvtxFiles() ?? []).sort((a, b) => statSync(b).size - statSync(a).size).slice(0, 3);
if (files.length === 0) console.log('no .evtx files given and ../shared/data is absent');
for (const file of files) await measure(file);
