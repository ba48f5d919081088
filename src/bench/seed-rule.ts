/**
 * `npm run bench`: the seed rule's evaluation time and peak memory over generated
 * DeviceFileEvents rows (default one million), written as NDJSON first.
 *   node dist/bench/seed-rule.js [--events N] [--out DIR]
 * The generator is deterministic (seeded), so runs are comparable.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { runQuery } from '../run-query.js';
import { RULES_DIR } from '../detections/builtin-rules.js';

const NOW = '2026-11-28T00:00:00Z';

/** mulberry32: a small, fast, seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FOLDERS = [
  'C:\\Users\\{u}\\AppData\\Local\\Temp\\',
  'C:\\Users\\{u}\\Documents\\',
  'C:\\Windows\\Temp\\',
  'C:\\ProgramData\\Microsoft\\Windows Defender\\Scans\\',
  'C:\\Program Files\\App\\',
  'C:\\Users\\{u}\\AppData\\Roaming\\Microsoft\\Office\\',
  'C:\\Users\\Public\\',
  'C:\\Windows\\System32\\',
];
const EXTENSIONS = ['txt', 'tmp', 'log', 'dll', 'exe', 'zip', 'docx', 'xlsx', 'json', 'dat', '7z', 'cab'];
const PROCESSES: [string, string][] = [
  ['chrome.exe', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=utility'],
  ['winword.exe', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n'],
  ['msiexec.exe', 'C:\\Windows\\system32\\msiexec.exe /V'],
  ['svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p'],
  ['robocopy.exe', 'robocopy C:\\Users\\alice\\Documents C:\\Users\\alice\\AppData\\Local\\Temp\\stage /E'],
  ['7z.exe', '7z.exe a -pSecret C:\\Users\\Public\\out.7z C:\\data'],
];
const ACTIONS = ['FileCreated', 'FileModified', 'FileDeleted', 'FileRenamed'];

async function generate(path: string, events: number): Promise<void> {
  const random = prng(20261128);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const end = Date.parse(NOW);
  const out = createWriteStream(path);
  for (let i = 0; i < events; i++) {
    const user = `user${Math.floor(random() * 200)}`;
    const device = `wks-${Math.floor(random() * 2000)}.corp.example`;
    const folder = pick(FOLDERS).replace('{u}', user);
    // A few recurring file names per folder, so that some (device, process, path) groups reach 10 events.
    const fileName = `file${Math.floor(random() * 50)}.${pick(EXTENSIONS)}`;
    const [process, commandLine] = pick(PROCESSES);
    const timestamp = new Date(end - Math.floor(random() * 36 * 3600 * 1000)).toISOString().replace('Z', '1234Z');
    const row = {
      Timestamp: timestamp,
      DeviceId: `dev${device.length}`,
      DeviceName: device,
      ActionType: pick(ACTIONS),
      FileName: fileName,
      FolderPath: `${folder}${fileName}`,
      SHA1: '',
      FileSize: Math.floor(random() * 1e6),
      InitiatingProcessAccountDomain: 'corp',
      InitiatingProcessAccountName: user,
      InitiatingProcessFileName: process,
      InitiatingProcessCommandLine: commandLine,
      InitiatingProcessId: Math.floor(random() * 60000),
      ReportId: i,
    };
    if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function argument(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function main(): Promise<void> {
  const events = Number(argument('--events', '1000000'));
  const dir = argument('--out', join('bench', 'out', `seed-${events}`));
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'DeviceFileEvents.ndjson');
  const exists = await stat(file).then((s) => s.size > 0, () => false);
  if (!exists) {
    process.stderr.write(`generating ${events} DeviceFileEvents rows into ${file} …\n`);
    await generate(file, events);
  }
  const bytes = (await stat(file)).size;
  const query = await readFile(join(RULES_DIR, 't1074-seed', 'query.kql'), 'utf8');
  const started = performance.now();
  const result = await runQuery(query, { data: dir, now: NOW });
  const seconds = (performance.now() - started) / 1000;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  const lines = [
    `seed rule over ${events.toLocaleString('en-US')} DeviceFileEvents rows (NDJSON, ${(bytes / 2 ** 20).toFixed(0)} MiB)`,
    `  alerts:      ${result.rows.length}`,
    `  time:        ${seconds.toFixed(2)} s`,
    `  throughput:  ${(events / seconds / 1e6).toFixed(2)} M events/s, ${(bytes / 2 ** 20 / seconds).toFixed(0)} MiB/s`,
    `  peak RSS:    ${peakRssMiB.toFixed(0)} MiB`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
