import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { once } from 'node:events';
import { BATCH_SIZE, type Batch } from '../kql/values/batch.js';
import type { Value } from '../kql/values/types.js';
import { catalogFromRows, createRejectReporter, openCatalog, type Catalog, type RejectedRecord } from './catalog.js';

const root = mkdtempSync(join(tmpdir(), 'stagehunt-data-'));
after(() => rmSync(root, { recursive: true, force: true }));

let folderCount = 0;
/** A fresh folder holding the given files (path → content). */
function folder(files: Record<string, string | Buffer>): string {
  const dir = join(root, `case${++folderCount}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function ticks(iso: string): bigint {
  return BigInt(Date.parse(iso)) * 10_000n;
}

interface Loaded {
  catalog: Catalog & { issues(): { rejected: number; reportsShown: number; warnings: string[] }; otherFiles(): string[] };
  rejected: RejectedRecord[];
  warnings: string[];
}

async function load(paths: string[]): Promise<Loaded> {
  const rejected: RejectedRecord[] = [];
  const warnings: string[] = [];
  const catalog = await openCatalog(paths, { onReject: (r) => rejected.push(r), onWarning: (w) => warnings.push(w) });
  return { catalog, rejected, warnings };
}

async function batchesOf(catalog: Catalog, table: string, columns?: string[]): Promise<Batch[]> {
  const source = catalog.table(table);
  assert.ok(source, `table ${table} exists`);
  const batches: Batch[] = [];
  for await (const batch of source.scan(columns)) batches.push(batch);
  return batches;
}

/** Rows of a table as objects of the named columns. */
async function rowsOf(catalog: Catalog, table: string, names: string[]): Promise<Record<string, Value>[]> {
  const rows: Record<string, Value>[] = [];
  for (const batch of await batchesOf(catalog, table)) {
    const index = names.map((n) => batch.schema.findIndex((c) => c.name === n));
    for (let r = 0; r < batch.length; r++) {
      const row: Record<string, Value> = {};
      names.forEach((n, i) => (row[n] = index[i]! < 0 ? 'NO SUCH COLUMN' : batch.columns[index[i]!]![r]!));
      rows.push(row);
    }
  }
  return rows;
}

function ndjson(...records: unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

describe('NDJSON tables typed by the built-in schema', () => {
  test('values are typed; missing columns read as "" or null; extra columns are kept with inferred types', async () => {
    const dir = folder({
      'DeviceFileEvents.ndjson': ndjson(
        {
          Timestamp: '2026-11-27T10:00:00Z', FileName: 'loot.7z', FileSize: '1234', RequestSourcePort: 445,
          IsAzureInfoProtectionApplied: 'True', AdditionalFields: { FileType: '7z' }, InitiatingProcessId: 4242,
          BatchId: 7, Tags: ['a'], SeenAt: '2026-11-27T09:00:00Z',
        },
        { Timestamp: '2026-11-27T10:05:00.1234567Z', FileName: 'b.txt', BatchId: 8 },
      ),
    });
    const { catalog, rejected } = await load([dir]);
    assert.deepEqual(rejected, []);
    const schema = catalog.table('DeviceFileEvents')!.schema;
    assert.equal(schema.length, 58 + 3);
    assert.deepEqual(schema.slice(57), [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'BatchId', type: 'long' },
      { name: 'Tags', type: 'dynamic' },
      { name: 'SeenAt', type: 'datetime' },
    ]);
    const rows = await rowsOf(catalog, 'DeviceFileEvents', [
      'Timestamp', 'FileName', 'FileSize', 'RequestSourcePort', 'IsAzureInfoProtectionApplied', 'AdditionalFields',
      'InitiatingProcessId', 'SHA1', 'ReportId', 'TimeGenerated', 'BatchId', 'Tags', 'SeenAt',
    ]);
    assert.deepEqual(rows, [
      {
        Timestamp: ticks('2026-11-27T10:00:00Z'), FileName: 'loot.7z', FileSize: 1234, RequestSourcePort: 445,
        IsAzureInfoProtectionApplied: true, AdditionalFields: '{"FileType":"7z"}', InitiatingProcessId: 4242,
        SHA1: '', ReportId: null, TimeGenerated: ticks('2026-11-27T10:00:00Z'),
        BatchId: 7, Tags: ['a'], SeenAt: ticks('2026-11-27T09:00:00Z'),
      },
      {
        Timestamp: ticks('2026-11-27T10:05:00.123Z') + 4567n, FileName: 'b.txt', FileSize: null, RequestSourcePort: null,
        IsAzureInfoProtectionApplied: null, AdditionalFields: '', InitiatingProcessId: null,
        SHA1: '', ReportId: null, TimeGenerated: ticks('2026-11-27T10:05:00.123Z') + 4567n,
        BatchId: 8, Tags: null, SeenAt: null,
      },
    ]);
  });

  test('BOM, CRLF line ends and blank lines', async () => {
    const text = '\ufeff{"Timestamp":"2026-11-27T10:00:00Z","FileName":"a"}\r\n\r\n   \r\n{"FileName":"b"}\r\n';
    const { catalog, rejected } = await load([folder({ 'DeviceFileEvents.jsonl': text })]);
    assert.deepEqual(rejected, []);
    assert.deepEqual(await rowsOf(catalog, 'DeviceFileEvents', ['FileName']), [{ FileName: 'a' }, { FileName: 'b' }]);
  });

  test('Sentinel exports: TimeGenerated given, Timestamp read from it', async () => {
    const { catalog } = await load([folder({
      'DeviceProcessEvents.ndjson': ndjson({ TimeGenerated: '2026-11-27T08:00:00Z', ProcessId: 1 }),
    })]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceProcessEvents', ['Timestamp', 'TimeGenerated']), [
      { Timestamp: ticks('2026-11-27T08:00:00Z'), TimeGenerated: ticks('2026-11-27T08:00:00Z') },
    ]);
  });

  test('each kind of bad record is rejected with file, line and reason; the rest is kept', async () => {
    const lines = [
      '{"FileName":"ok1","FileSize":1}',
      '{"FileName": broken',
      '[1,2]',
      '{"FileName":"bad time","Timestamp":"27th of November"}',
      '{"FileName":"bad size","FileSize":"12 KB"}',
      '',
      '{"FileName":"fraction","FileSize":1.5}',
      '{"FileName":"epoch","Timestamp":1764237600}',
      '{"FileName":"port","RequestSourcePort":99999999999}',
      '"just a string"',
      '{"FileName":"ok2"}',
    ];
    const dir = folder({ 'DeviceFileEvents.ndjson': lines.join('\n') });
    const file = join(dir, 'DeviceFileEvents.ndjson');
    const { catalog, rejected } = await load([dir]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceFileEvents', ['FileName']), [{ FileName: 'ok1' }, { FileName: 'ok2' }]);
    assert.deepEqual(rejected.map((r) => [r.file, r.line]), [
      [file, 2], [file, 3], [file, 4], [file, 5], [file, 7], [file, 8], [file, 9], [file, 10],
    ]);
    assert.match(rejected[0]!.reason, /^invalid JSON/);
    assert.equal(rejected[1]!.reason, 'expected a JSON object, found array');
    assert.equal(rejected[2]!.reason, 'column Timestamp (datetime): "27th of November" is not a datetime');
    assert.equal(rejected[3]!.reason, 'column FileSize (long): "12 KB" is not a long');
    assert.equal(rejected[4]!.reason, 'column FileSize (long): 1.5 is not an integer');
    assert.match(rejected[5]!.reason, /^column Timestamp \(datetime\): 1764237600 is a number/);
    assert.equal(rejected[6]!.reason, 'column RequestSourcePort (int): 99999999999 is out of the int range');
    assert.equal(rejected[7]!.reason, 'expected a JSON object, found string');
    // 10 records in (the blank line is not a record) = 2 out + 8 rejected.
    assert.equal(catalog.issues().rejected, 8);
  });

  test('a table scanned twice reports its rejections once', async () => {
    const dir = folder({ 'DeviceFileEvents.ndjson': '{"FileSize":"x"}\n{"FileSize":2}\n' });
    const { catalog, rejected } = await load([dir]);
    await batchesOf(catalog, 'DeviceFileEvents');
    await batchesOf(catalog, 'DeviceFileEvents');
    assert.equal(rejected.length, 1);
    assert.deepEqual(catalog.issues(), { rejected: 1, reportsShown: 1, warnings: [] });
  });
});

describe('CSV', () => {
  test('Log Analytics header, RFC 4180 quoting with newlines and quotes, CRLF, BOM; bad rows located', async () => {
    const csv = '\ufeffTimeGenerated [UTC],DeviceName,ProcessCommandLine,ProcessId\r\n'
      + '2026-11-27T10:00:00Z,host1,"cmd.exe /c ""copy a b""",10\r\n'
      + '2026-11-27T10:01:00Z,host1,"line one\r\nline two",11\r\n'
      + '2026-11-27T10:02:00Z,host1,too,many,fields\r\n'
      + '2026-11-27T10:03:00Z,host1,"x",notanumber\r\n'
      + '2026-11-27T10:04:00Z,host2,last,13\r\n';
    const dir = folder({ 'DeviceProcessEvents.csv': csv });
    const file = join(dir, 'DeviceProcessEvents.csv');
    const { catalog, rejected } = await load([dir]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceProcessEvents', ['TimeGenerated', 'Timestamp', 'ProcessCommandLine', 'ProcessId']), [
      { TimeGenerated: ticks('2026-11-27T10:00:00Z'), Timestamp: ticks('2026-11-27T10:00:00Z'), ProcessCommandLine: 'cmd.exe /c "copy a b"', ProcessId: 10 },
      { TimeGenerated: ticks('2026-11-27T10:01:00Z'), Timestamp: ticks('2026-11-27T10:01:00Z'), ProcessCommandLine: 'line one\r\nline two', ProcessId: 11 },
      { TimeGenerated: ticks('2026-11-27T10:04:00Z'), Timestamp: ticks('2026-11-27T10:04:00Z'), ProcessCommandLine: 'last', ProcessId: 13 },
    ]);
    // The quoted field spans lines 3-4, so the bad rows are on lines 5 and 6.
    assert.deepEqual(rejected, [
      { file, line: 5, reason: 'expected 4 fields (as in the header), found 5' },
      { file, line: 6, reason: 'column ProcessId (long): "notanumber" is not a long' },
    ]);
    assert.equal(catalog.table('DeviceProcessEvents')!.schema.length, 67, 'no extra column from the [UTC] header');
  });

  test('an unterminated quote rejects the rest of the file as one record, located where it starts', async () => {
    const csv = 'FileName,FileSize\na,1\n"b,2\nc,3\n';
    const dir = folder({ 'DeviceFileEvents.csv': csv });
    const { catalog, rejected } = await load([dir]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceFileEvents', ['FileName', 'FileSize']), [{ FileName: 'a', FileSize: 1 }]);
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]!.line, 3);
    assert.match(rejected[0]!.reason, /^malformed CSV: .*Quote Not Closed/);
  });

  test('a table without a built-in schema: every column inferred from the text', async () => {
    const csv = 'Host,Count,Ratio,Admin,When,Code,Extra,Meta\n'
      + 'a,1,0.5,true,2026-11-27T10:00:00Z,007,x,"{""k"":1}"\n'
      + 'b,22,1,False,2026-11-28,010,5,[1]\n';
    const { catalog } = await load([join(folder({ 'MyTable.csv': csv }), 'MyTable.csv')]);
    assert.deepEqual(catalog.tableNames(), ['MyTable']);
    assert.deepEqual(catalog.table('MyTable')!.schema, [
      { name: 'Host', type: 'string' }, { name: 'Count', type: 'long' }, { name: 'Ratio', type: 'real' },
      { name: 'Admin', type: 'bool' }, { name: 'When', type: 'datetime' }, { name: 'Code', type: 'string' },
      { name: 'Extra', type: 'string' }, { name: 'Meta', type: 'dynamic' },
    ]);
    assert.deepEqual(await rowsOf(catalog, 'MyTable', ['Count', 'Admin', 'When', 'Code', 'Meta']), [
      { Count: 1, Admin: true, When: ticks('2026-11-27T10:00:00Z'), Code: '007', Meta: { k: 1 } },
      { Count: 22, Admin: false, When: ticks('2026-11-28T00:00:00Z'), Code: '010', Meta: [1] },
    ]);
  });
});

describe('gzip and JSON documents', () => {
  test('gzip is detected by its magic bytes, with or without .gz', async () => {
    const dir = folder({
      'DeviceFileEvents.ndjson.gz': gzipSync(ndjson({ FileName: 'from-gz' })),
      'DeviceNetworkEvents.csv': gzipSync('RemotePort,RemoteIP\n443,10.0.0.1\n'),
    });
    const { catalog, rejected } = await load([dir]);
    assert.deepEqual(rejected, []);
    assert.deepEqual(await rowsOf(catalog, 'DeviceFileEvents', ['FileName']), [{ FileName: 'from-gz' }]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceNetworkEvents', ['RemotePort', 'RemoteIP']), [{ RemotePort: 443, RemoteIP: '10.0.0.1' }]);
  });

  test('a corrupt gzip file: rows before the damage kept, the damage rejected', async () => {
    const whole = gzipSync(ndjson(...Array.from({ length: 2000 }, (_, i) => ({ FileName: `f${i}`, FileSize: i }))));
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    const dir = folder({ 'DeviceFileEvents.ndjson.gz': truncated });
    const { catalog, rejected } = await load([dir]);
    const rows = await rowsOf(catalog, 'DeviceFileEvents', ['FileName']);
    assert.ok(rows.length < 2000);
    assert.equal(rejected.length, 1);
    assert.match(rejected[0]!.reason, /^file unreadable from here on/);
    assert.equal(rejected[0]!.line, rows.length + 1);
  });

  test('JSON array, Defender API response, {"value": [...]}, Log Analytics tables, and NDJSON named .json', async () => {
    const dir = folder({
      'DeviceFileEvents.json': JSON.stringify([{ FileName: 'arr1' }, 5, { FileName: 'arr2' }], null, 2),
      'DeviceProcessEvents.json': JSON.stringify({
        Stats: {},
        Schema: [{ Name: 'Timestamp', Type: 'DateTime' }, { Name: 'ProcessId', Type: 'Int64' }, { Name: 'Score', Type: 'Double' }, { Name: 'Unused', Type: 'Boolean' }],
        Results: [{ Timestamp: '2026-11-27T10:00:00Z', ProcessId: 5, Score: 3 }],
      }),
      'DeviceRegistryEvents.json': JSON.stringify({ value: [{ RegistryKey: 'HKLM\\x' }] }),
      'DeviceLogonEvents.json': JSON.stringify({
        tables: [{ name: 'PrimaryResult', columns: [{ name: 'AccountName', type: 'string' }, { name: 'LogonId', type: 'long' }], rows: [['alice', 77]] }],
      }),
      'DeviceEvents.json': '{"ActionType":"A"}\n{"ActionType":"B"}\n',
    });
    const { catalog, rejected } = await load([dir]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceFileEvents', ['FileName']), [{ FileName: 'arr1' }, { FileName: 'arr2' }]);
    assert.deepEqual(rejected, [{ file: join(dir, 'DeviceFileEvents.json'), line: 2, reason: 'expected a JSON object, found number' }]);
    const processSchema = catalog.table('DeviceProcessEvents')!.schema;
    // Declared types win over what the sample suggests (Score holds 3, an integer) and declared columns exist even without values.
    assert.deepEqual(processSchema.slice(67), [{ name: 'Score', type: 'real' }, { name: 'Unused', type: 'bool' }]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceProcessEvents', ['Timestamp', 'ProcessId', 'Score']), [
      { Timestamp: ticks('2026-11-27T10:00:00Z'), ProcessId: 5, Score: 3 },
    ]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceRegistryEvents', ['RegistryKey']), [{ RegistryKey: 'HKLM\\x' }]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceLogonEvents', ['AccountName', 'LogonId']), [{ AccountName: 'alice', LogonId: 77 }]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceEvents', ['ActionType']), [{ ActionType: 'A' }, { ActionType: 'B' }]);
  });

  test('a broken JSON document is one rejected record at the line of the error', async () => {
    // V8 gives the error position for this kind of error (a trailing comma), not for every kind.
    const dir = folder({ 'DeviceFileEvents.json': '[\n {"FileName": "a"},\n {"FileName": "b",}\n]' });
    const { catalog, rejected } = await load([dir]);
    assert.deepEqual(await batchesOf(catalog, 'DeviceFileEvents'), []);
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]!.line, 3);
    assert.match(rejected[0]!.reason, /^invalid JSON document/);
  });
});

describe('files and folders', () => {
  test('table folders, dated and lower-case file names, other tables, recursion; other files handed on', async () => {
    const dir = folder({
      'DeviceFileEvents/b.csv': 'FileName\nfrom-b\n',
      'DeviceFileEvents/a.ndjson': ndjson({ FileName: 'from-a' }),
      'DeviceFileEvents/nested/c.jsonl': ndjson({ FileName: 'from-c' }),
      'DeviceProcessEvents-2026-11-27.csv': 'ProcessId\n1\n',
      'DeviceProcessEvents.part2.ndjson': ndjson({ ProcessId: 2 }),
      'devicenetworkevents.jsonl': ndjson({ RemotePort: 80 }),
      'MyTable.csv': 'x\n1\n',
      'sub/deeper/DeviceLogonEvents.json': '[{"AccountName":"bob"}]',
      'notes.txt': 'not data',
      '.hidden.json': '[]',
    });
    const { catalog, warnings } = await load([dir]);
    assert.deepEqual([...catalog.tableNames()].sort(), [
      'DeviceFileEvents', 'DeviceLogonEvents', 'DeviceNetworkEvents', 'DeviceProcessEvents', 'MyTable',
    ]);
    // Files in name order: a.ndjson, b.csv, nested/c.jsonl.
    assert.deepEqual(await rowsOf(catalog, 'DeviceFileEvents', ['FileName']), [
      { FileName: 'from-a' }, { FileName: 'from-b' }, { FileName: 'from-c' },
    ]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceProcessEvents', ['ProcessId']), [{ ProcessId: 1 }, { ProcessId: 2 }]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceNetworkEvents', ['RemotePort']), [{ RemotePort: 80 }]);
    assert.deepEqual(await rowsOf(catalog, 'DeviceLogonEvents', ['AccountName']), [{ AccountName: 'bob' }]);
    // notes.txt is not a data file: it is handed on (for raw-telemetry detection) without a warning.
    assert.deepEqual(warnings, []);
    assert.deepEqual(catalog.otherFiles(), [join(dir, 'notes.txt')]);
  });

  test('a file given inside a table folder feeds that table; the same file given twice is read once', async () => {
    const dir = folder({ 'DeviceFileEvents/part-0001.ndjson': ndjson({ FileName: 'p1' }) });
    const file = join(dir, 'DeviceFileEvents', 'part-0001.ndjson');
    const { catalog } = await load([file, dir]);
    assert.deepEqual(catalog.tableNames(), ['DeviceFileEvents']);
    assert.deepEqual(await rowsOf(catalog, 'DeviceFileEvents', ['FileName']), [{ FileName: 'p1' }]);
  });

  test('a missing path is an error naming it', async () => {
    const missing = join(root, 'does-not-exist.csv');
    await assert.rejects(openCatalog([missing]), (error: Error) => error.message.includes(missing));
  });

  test('a column first seen after the sample: one warning with file and line; its values ignored', async () => {
    const records = Array.from({ length: 1005 }, (_, i) => (i === 1002 ? { FileName: `f${i}`, Late: 'x' } : { FileName: `f${i}` }));
    const dir = folder({ 'DeviceFileEvents.ndjson': ndjson(...records), 'DeviceFileEvents.z.ndjson': ndjson({ Late: 'y', Later: 1 }) });
    const { catalog, warnings, rejected } = await load([dir]);
    assert.equal(catalog.table('DeviceFileEvents')!.schema.length, 58);
    assert.equal((await rowsOf(catalog, 'DeviceFileEvents', ['FileName'])).length, 1006);
    await batchesOf(catalog, 'DeviceFileEvents');
    assert.deepEqual(rejected, []);
    const file = join(dir, 'DeviceFileEvents.ndjson');
    const second = join(dir, 'DeviceFileEvents.z.ndjson');
    assert.deepEqual(warnings, [
      `DeviceFileEvents: column "Late" (first seen at ${file}:1003) is not in the table's schema, fixed from its first 1000 records; its values are ignored`,
      `DeviceFileEvents: column "Later" (first seen at ${second}:1) is not in the table's schema, fixed from its first 1000 records; its values are ignored`,
    ]);
  });
});

describe('scanning', () => {
  test('projection: the batch keeps the full schema; only the named columns are filled', async () => {
    const dir = folder({ 'DeviceFileEvents.ndjson': ndjson({ FileName: 'a', FolderPath: 'C:\\a', FileSize: 3 }) });
    const { catalog } = await load([dir]);
    const [batch] = await batchesOf(catalog, 'DeviceFileEvents', ['FileName', 'FileSize']);
    assert.equal(batch!.schema.length, 58);
    const col = (name: string) => batch!.columns[batch!.schema.findIndex((c) => c.name === name)]!;
    assert.deepEqual(col('FileName'), ['a']);
    assert.deepEqual(col('FileSize'), [3]);
    assert.deepEqual(col('FolderPath'), ['']);
  });

  test('100k rows are streamed in batches of at most BATCH_SIZE', async () => {
    const path = join(root, 'big', 'DeviceFileEvents.ndjson');
    mkdirSync(dirname(path), { recursive: true });
    const out = createWriteStream(path);
    for (let i = 0; i < 100_000; i++) {
      if (!out.write(`{"Timestamp":"2026-11-27T10:00:00Z","FileName":"f${i}.txt","FileSize":${i}}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const { catalog, rejected } = await load([path]);
    let rows = 0;
    let sizeSum = 0;
    let batches = 0;
    const sizeIndex = catalog.table('DeviceFileEvents')!.schema.findIndex((c) => c.name === 'FileSize');
    for await (const batch of catalog.table('DeviceFileEvents')!.scan(['FileSize'])) {
      assert.ok(batch.length <= BATCH_SIZE);
      batches++;
      rows += batch.length;
      for (const v of batch.columns[sizeIndex]!) sizeSum += v as number;
    }
    assert.deepEqual(rejected, []);
    assert.equal(rows, 100_000);
    assert.equal(batches, Math.ceil(100_000 / BATCH_SIZE));
    assert.equal(sizeSum, (99_999 * 100_000) / 2);
  });
});

describe('catalogFromRows', () => {
  test('rows typed like files: ISO strings and Dates as datetimes, missing and extra columns, bad rows located', () => {
    const rejected: RejectedRecord[] = [];
    const catalog = catalogFromRows({
      DeviceFileEvents: [
        { Timestamp: '2026-11-27T10:00:00Z', FileName: 'a.zip', FileSize: 10, Note: 'x' },
        { Timestamp: new Date(Date.UTC(2026, 10, 27, 11)), FileName: 'b.zip' },
        'not a row' as unknown as object,
        { Timestamp: 'soon', FileName: 'c.zip' },
      ],
      Custom: [{ n: 1, when: new Date(Date.UTC(2026, 0, 1)), flag: false }],
    }, { onReject: (r) => rejected.push(r) });
    assert.deepEqual(catalog.tableNames(), ['DeviceFileEvents', 'Custom']);
    assert.deepEqual(catalog.table('DeviceFileEvents')!.schema.at(-1), { name: 'Note', type: 'string' });
    assert.deepEqual(catalog.table('Custom')!.schema, [
      { name: 'n', type: 'long' }, { name: 'when', type: 'datetime' }, { name: 'flag', type: 'bool' },
    ]);
    return (async () => {
      assert.deepEqual(await rowsOf(catalog, 'DeviceFileEvents', ['Timestamp', 'FileName', 'FileSize', 'SHA1', 'Note']), [
        { Timestamp: ticks('2026-11-27T10:00:00Z'), FileName: 'a.zip', FileSize: 10, SHA1: '', Note: 'x' },
        { Timestamp: ticks('2026-11-27T11:00:00Z'), FileName: 'b.zip', FileSize: null, SHA1: '', Note: '' },
      ]);
      assert.deepEqual(rejected, [
        { file: 'tables.DeviceFileEvents', line: 3, reason: 'expected a row object, found string' },
        { file: 'tables.DeviceFileEvents', line: 4, reason: 'column Timestamp (datetime): "soon" is not a datetime' },
      ]);
      assert.deepEqual(await rowsOf(catalog, 'Custom', ['n', 'when', 'flag']), [
        { n: 1, when: ticks('2026-01-01T00:00:00Z'), flag: false },
      ]);
    })();
  });
});

describe('createRejectReporter', () => {
  function sink(): { stream: NodeJS.WritableStream; text: () => string } {
    const chunks: string[] = [];
    const stream = { write: (chunk: string) => (chunks.push(chunk), true) } as unknown as NodeJS.WritableStream;
    return { stream, text: () => chunks.join('') };
  }

  test('prints the first N as file:line: reason, then counts the rest', () => {
    const { stream, text } = sink();
    const reporter = createRejectReporter(stream, 2);
    for (let line = 1; line <= 5; line++) reporter.onReject({ file: 'x.csv', line, reason: `bad ${line}` });
    assert.equal(text(), 'x.csv:1: bad 1\nx.csv:2: bad 2\n');
    assert.equal(reporter.summary(), '… and 3 more; 5 records rejected in total');
    assert.equal(reporter.count(), 5);
  });

  test('nothing rejected → empty summary; one → singular', () => {
    const { stream } = sink();
    const reporter = createRejectReporter(stream);
    assert.equal(reporter.summary(), '');
    reporter.onReject({ file: 'y.json', line: 1, reason: 'r' });
    assert.equal(reporter.summary(), '1 record rejected in total');
  });
});
