/**
 * Repeated timings of scan-heavy queries over the file `npm run bench` generates (run it first):
 * the seed rule and its first branch alone, each `--repeat` times in one process; prints the best
 * and median wall time, the CPU time of the best run, and peak RSS. The best of several runs is the
 * figure to compare on a busy machine.
 *   node dist/bench/scan-profile.js [--data DIR] [--repeat N] [--query seed|branch1|count|all]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runQuery } from '../run-query.js';
import { RULES_DIR } from '../detections/builtin-rules.js';

const NOW = '2026-11-28T00:00:00Z';

const BRANCH_1 = `DeviceFileEvents
| where Timestamp > ago(24h)
| where ActionType in ("FileCreated", "FileModified")
| where FolderPath has_any (dynamic(["\\\\Temp\\\\", "\\\\tmp\\\\", "\\\\AppData\\\\Local\\\\Temp\\\\", "\\\\AppData\\\\Roaming\\\\", "\\\\ProgramData\\\\", "\\\\Users\\\\Public\\\\", "\\\\Windows\\\\Temp\\\\"]))
| summarize FileCount=count(), FirstSeen=min(Timestamp), LastSeen=max(Timestamp)
    by DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, FolderPath
| where FileCount >= 10`;

const COUNT = 'DeviceFileEvents | summarize count()';

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function time(label: string, query: string, data: string, repeat: number): Promise<void> {
  const walls: number[] = [];
  let bestCpu = 0;
  let rows = 0;
  for (let r = 0; r < repeat; r++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await runQuery(query, { data, now: NOW });
    const wall = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    if (walls.length === 0 || wall < Math.min(...walls)) bestCpu = (cpu.user + cpu.system) / 1e6;
    walls.push(wall);
    rows = result.rows.length;
  }
  walls.sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)]!;
  process.stdout.write(`${label.padEnd(8)} rows ${String(rows).padStart(7)}  best ${walls[0]!.toFixed(2)} s  median ${median.toFixed(2)} s  cpu(best) ${bestCpu.toFixed(2)} s\n`);
}

async function main(): Promise<void> {
  const data = argument('--data', join('bench', 'out', 'seed-1000000'));
  const repeat = Number(argument('--repeat', '3'));
  const which = argument('--query', 'all');
  const seed = await readFile(join(RULES_DIR, 't1074-seed', 'query.kql'), 'utf8');
  const queries: Array<[string, string]> = [['seed', seed], ['branch1', BRANCH_1], ['count', COUNT]];
  for (const [label, query] of queries) if (which === 'all' || which === label) await time(label, query, data, repeat);
  process.stdout.write(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`scan-profile failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
