/**
 * The byte-level NDJSON path (projection and predicate pushdown) against the general path
 * (JSON.parse of every line, typing every column, filtering in the executor): same rows, same
 * rejections at the same lines, same warnings. A `.json` file holding NDJSON is read by the general
 * path with the same line numbers, so the same text under both names must give the same answers —
 * and so must worker threads scanning ranges of the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runQuery } from '../run-query.js';

const NOW = '2026-11-28T00:00:00Z';

/** Lines that exercise every decision of the fast path; the first must be a valid record. */
const TRICKY_LINES = [
  String.raw`{"Timestamp":"2026-11-27T10:00:00.1234567Z","DeviceName":"wks-1","ActionType":"FileCreated","FileName":"a.zip","FolderPath":"C:\\Users\\Public\\a.zip","FileSize":10,"ReportId":1}`,
  String.raw`{"Timestamp":"2026-11-27T11:00:00Z","DeviceName":"wks-\u00e9","ActionType":"FileCreated","FileName":"\ud83d\ude00.7z","FolderPath":"C:\\Temp\\\ud83d\ude00.7z","ReportId":2}`,
  '{"Timestamp":"2026-11-27T12:00:00Z","ActionType":"FileModified","FileName":"no-device.txt","FolderPath":"/tmp/x","ReportId":3}',
  '{"Timestamp":"2026-11-27T12:30:00Z","DeviceName":"first","DeviceName":"last","ActionType":"FileCreated","FileName":"dup.txt","ReportId":4}',
  '{"Timestamp":"2026-11-27T13:00:00Z","DeviceName":"wks-2","ActionType":"FileCreated","FileSize":"123","ReportId":5}',
  '{"Timestamp":"2026-11-27T13:00:00Z","DeviceName":"wks-2","ActionType":"FileCreated","FileSize":1.5,"ReportId":6}',
  '{"Timestamp":"2026-11-27T13:00:00Z","DeviceName":"wks-2","ActionType":"FileDeleted","FileSize":"abc","ReportId":7}',
  '{"Timestamp":"2026-11-27 14:00:00","DeviceName":"wks-3","ActionType":"FileCreated","FileName":"spaced-time.txt","ReportId":8}',
  '{"Timestamp":"11/27/2026 3:00:00 PM","DeviceName":"wks-3","ActionType":"FileDeleted","FileName":"us-time.txt","ReportId":9}',
  '{"Timestamp":"nope","DeviceName":"wks-3","ActionType":"FileCreated","ReportId":10}',
  '{"TimeGenerated":"2026-11-27T16:00:00Z","DeviceName":"sentinel","ActionType":"FileCreated","FileName":"tg.txt","ReportId":11}',
  '{"Timestamp":"2026-11-27T17:00:00Z","DeviceName":"wks-4","ActionType":"FileCreated","Extra":"surprise","ReportId":12}',
  '{"Timestamp":"2026-11-27T17:30:00Z","DeviceName":"wks-4","ActionType":"FileCreated","Quiet":null,"Blank":"","ReportId":13}',
  '{"Timestamp":"2026-11-27T18:00:00Z","DeviceName":"wks-4", broken',
  '[1,2,3]',
  '',
  '   ',
  '{"Timestamp":"2026-11-27T19:00:00Z","DeviceName":"crlf","ActionType":"FileCreated","FileName":"crlf.txt","ReportId":14}\r',
  '{"Timestamp":"2026-11-27T20:00:00Z","DeviceName":"wks-5","ActionType":"FileCreated","AdditionalFields":{"k":[1,{"z":"}"}]},"ReportId":15}',
  '{"Timestamp":"2026-11-27T20:00:00Z","DeviceName":"wks-5","ActionType":"FileCreated","IsAzureInfoProtectionApplied":"true","ReportId":16}',
  '{"Timestamp":"2026-11-27T20:00:00Z","DeviceName":"wks-5","ActionType":"FileCreated","IsAzureInfoProtectionApplied":"yes","ReportId":17}',
  '{"Timestamp":"2026-11-27T20:00:00Z","DeviceName":"wks-5","SHA1":"raw\ttab","ActionType":"FileCreated","ReportId":18}',
  '{"Timestamp":"2026-11-27T21:00:00Z","DeviceName":"wks-6","ActionType":"FileCreated","RequestSourcePort":99999999999,"ReportId":19}',
  '{"Timestamp":"2026-11-27T21:00:00Z","DeviceName":"wks-6","ActionType":"FileCreated","InitiatingProcessCommandLine":"cmd /c \\"copy\\" x","ReportId":20}',
  '{"Timestamp":"2025-01-01T00:00:00Z","DeviceName":"old","ActionType":"FileCreated","FolderPath":"C:\\\\Windows\\\\Temp\\\\old.zip","ReportId":21}',
];

const ACTIONS = ['FileCreated', 'FileModified', 'FileDeleted', 'FileRenamed'];
const FOLDERS = ['C:\\\\Users\\\\u1\\\\AppData\\\\Local\\\\Temp\\\\', 'C:\\\\Windows\\\\Temp\\\\', 'C:\\\\Program Files\\\\App\\\\', '/var/tmp/'];

/** Many ordinary lines (more than a batch) around the tricky ones, keys in two different orders. */
function content(): string {
  const lines = [...TRICKY_LINES];
  for (let i = 0; i < 20_000; i++) {
    const time = new Date(Date.parse(NOW) - (i % 48) * 1_800_000).toISOString();
    const folder = FOLDERS[i % FOLDERS.length]!;
    const file = `f${i % 97}.${i % 3 === 0 ? 'zip' : 'txt'}`;
    const row = i % 5 === 0
      ? `{"ReportId":${1000 + i},"FileName":"${file}","ActionType":"${ACTIONS[i % 4]}","Timestamp":"${time}","DeviceName":"wks-${i % 13}","FolderPath":"${folder}${file}"}`
      : `{"Timestamp":"${time}","DeviceName":"wks-${i % 13}","ActionType":"${ACTIONS[i % 4]}","FileName":"${file}","FolderPath":"${folder}${file}","FileSize":${i * 7},"InitiatingProcessCommandLine":"cmd${i % 7}","ReportId":${1000 + i}}`;
    lines.push(row);
    if (i === 9000) lines.push(...TRICKY_LINES.slice(1));
  }
  return `${lines.join('\n')}\n`;
}

const QUERIES = [
  'DeviceFileEvents',
  'DeviceFileEvents | where ActionType in ("FileCreated", "FileModified") | project Timestamp, FolderPath, FileName, DeviceName',
  'DeviceFileEvents | where FolderPath has_any (dynamic(["\\\\Temp\\\\", "/tmp"])) | where Timestamp > ago(1d) | project FileName, InitiatingProcessCommandLine, TimeGenerated',
  'DeviceFileEvents | where FileSize > 100 | summarize count(), make_set(FileName) by DeviceName',
  'DeviceFileEvents | where 1 == 1 | count',
  'DeviceFileEvents | where isempty(DeviceName) | project ReportId, AdditionalFields, DeviceName',
  'DeviceFileEvents | where Timestamp between (datetime(2026-11-27) .. datetime(2026-11-28)) | take 3',
  'DeviceFileEvents | where ActionType == "FileCreated" | join kind=inner (DeviceFileEvents | where ActionType == "FileDeleted") on FileName | count',
  'DeviceFileEvents | where TimeGenerated > ago(2d) and DeviceName startswith "wks" | summarize min(Timestamp), max(TimeGenerated), dcount(FolderPath) by ActionType',
];

interface Outcome {
  rows: unknown[][];
  rejected: string[];
  warnings: string[];
}

/** Runs with the scan's thread settings for this variant (worker threads even for a small file). */
async function run(query: string, dir: string, file: string, threads: string): Promise<Outcome> {
  process.env['STAGEHUNT_SCAN_THREADS'] = threads;
  process.env['STAGEHUNT_SCAN_MIN_BYTES'] = '0';
  try {
    return await runOnce(query, dir, file);
  } finally {
    delete process.env['STAGEHUNT_SCAN_THREADS'];
    delete process.env['STAGEHUNT_SCAN_MIN_BYTES'];
  }
}

async function runOnce(query: string, dir: string, file: string): Promise<Outcome> {
  const rejected: string[] = [];
  const warnings: string[] = [];
  const result = await runQuery(query, {
    data: dir,
    now: NOW,
    onReject: (r) => rejected.push(`${r.file.replace(file, 'FILE')}:${r.line}: ${r.reason}`),
    onWarning: (w) => warnings.push(w.replace(file, 'FILE')),
  });
  return { rows: result.rows, rejected, warnings };
}

test('NDJSON read from bytes answers every query exactly as the general path does', async () => {
  const root = await mkdtemp(join(tmpdir(), 'scan-equivalence-'));
  try {
    const text = content();
    const variants = [
      { name: 'general', file: 'DeviceFileEvents.json', bytes: Buffer.from(text), threads: '1' },
      { name: 'fast', file: 'DeviceFileEvents.ndjson', bytes: Buffer.from(text), threads: '1' },
      { name: 'fast-gzip', file: 'DeviceFileEvents.ndjson.gz', bytes: gzipSync(text), threads: '1' },
      { name: 'parallel', file: 'DeviceFileEvents.ndjson', bytes: Buffer.from(text), threads: '3' },
    ];
    for (const variant of variants) {
      await mkdir(join(root, variant.name));
      await writeFile(join(root, variant.name, variant.file), variant.bytes);
    }
    for (const query of QUERIES) {
      const outcomes = [];
      for (const variant of variants) {
        outcomes.push(await run(query, join(root, variant.name), join(root, variant.name, variant.file), variant.threads));
      }
      const [general, ...fast] = outcomes;
      assert.ok(general!.rows.length > 0, `${query}: the general path returns rows`);
      assert.ok(general!.rejected.length >= 8, `${query}: the tricky lines are rejected`);
      for (const outcome of fast) assert.deepEqual(outcome, general, query);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

const CSV_HEADER = 'Timestamp [UTC],DeviceName,ActionType,FileName,FolderPath,FileSize,InitiatingProcessCommandLine,Extra,ReportId';

/** CSV records with every shape the byte reader takes itself or hands on; `eol` is the record delimiter. */
function csvContent(eol: string, irregularAt: number): string {
  const records: string[] = [CSV_HEADER];
  for (let i = 0; i < 20_000; i++) {
    const time = new Date(Date.parse(NOW) - (i % 48) * 1_800_000).toISOString();
    const folder = i % 2 === 0 ? 'C:\\Users\\u1\\AppData\\Local\\Temp\\' : '/var/tmp/';
    const file = `f${i % 97}.${i % 3 === 0 ? 'zip' : 'txt'}`;
    const command = i % 11 === 0 ? '"cmd /c ""copy"" a, b"' : i % 13 === 0 ? '"line one\nline two"' : `cmd${i % 7}`;
    const size = i % 17 === 0 ? '' : i % 19 === 0 ? 'abc' : String(i * 7);
    const extra = i % 23 === 0 ? 'surprise' : '';
    records.push(`${time},wks-${i % 13},${i % 4 === 0 ? 'FileCreated' : 'FileModified'},${file},${folder}${file},${size},${command},${extra},${i}`);
    if (i % 29 === 0) records.push('');
    if (i % 31 === 0) records.push(`${time},short,record`);
    if (i % 37 === 0) records.push(`"not a time",wks-x,FileCreated,é.txt,/tmp/é.txt,1,"x",,${i}`);
    if (i === irregularAt) records.push(`${time},wks-quote,FileCreated,a"b.txt,/tmp/a"b.txt,1,x,,${i}`);
  }
  return `${records.join(eol)}${eol}`;
}

test('CSV read from bytes answers every query exactly as csv-parse and the general typer do', async () => {
  const root = await mkdtemp(join(tmpdir(), 'scan-equivalence-csv-'));
  try {
    const cases = [
      { name: 'lf', text: csvContent('\n', 15_000) },
      { name: 'crlf', text: csvContent('\r\n', 500) },
      { name: 'lf-regular', text: csvContent('\n', -1) },
    ];
    for (const { name, text } of cases) {
      const general = join(root, `${name}-general`);
      const fast = join(root, `${name}-fast`);
      await mkdir(general);
      await mkdir(fast);
      await writeFile(join(general, 'DeviceFileEvents.csv.gz'), gzipSync(text));
      await writeFile(join(fast, 'DeviceFileEvents.csv'), text);
      let withRows = 0;
      for (const query of QUERIES) {
        const expected = await run(query, general, join(general, 'DeviceFileEvents.csv.gz'), '1');
        const actual = await run(query, fast, join(fast, 'DeviceFileEvents.csv'), '1');
        assert.ok(expected.rejected.length > 0, `${name}: ${query}: the test data reaches rejections`);
        if (expected.rows.length > 0) withRows++;
        assert.deepEqual(actual, expected, `${name}: ${query}`);
      }
      assert.ok(withRows >= QUERIES.length - 2, `${name}: most queries return rows`);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
