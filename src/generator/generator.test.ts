import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTelemetry, type Manifest } from './generate.js';
import { ATTACK_KINDS } from './attacks.js';
import { Random } from './random.js';
import { formatTicks, parseDuration, windowEndingAt } from './time.js';
import { BUILTIN_TABLES } from '../data/schemas.js';
import { runQuery } from '../run-query.js';

const TABLES = Object.keys(BUILTIN_TABLES);

async function generated(options: { events: number; devices: number; seed?: number; format?: 'ndjson' | 'csv' | 'parquet'; attacks?: number }) {
  const out = await mkdtemp(join(tmpdir(), 'stagehunt-gen-'));
  const result = await generateTelemetry({ ...options, out, window: '24h' });
  return { out, manifest: result.manifest };
}

async function filesOf(dir: string): Promise<Record<string, Buffer>> {
  const names = (await readdir(dir)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n))] as const)));
}

describe('Random', () => {
  test('the same seed gives the same sequence, different seeds differ', () => {
    const a = new Random(7), b = new Random(7), c = new Random(8);
    const seqA = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(seqA, Array.from({ length: 5 }, () => b.next()));
    assert.notDeepEqual(seqA, Array.from({ length: 5 }, () => c.next()));
    for (const x of seqA) assert.ok(x >= 0 && x < 1);
  });
  test('int stays within bounds and hex has the requested length', () => {
    const r = new Random(1);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 5);
      assert.ok(v >= 3 && v <= 5 && Number.isInteger(v));
    }
    assert.match(r.hex(40), /^[0-9a-f]{40}$/);
    assert.match(r.guid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('time', () => {
  test('ticks print with seven fractional digits, also before the window start', () => {
    const w = windowEndingAt(new Date('2026-11-28T00:00:00Z'), parseDuration('1d'));
    assert.equal(formatTicks(w, 0), '2026-11-27T00:00:00.0000000Z');
    assert.equal(formatTicks(w, 12_345_678), '2026-11-27T00:00:01.2345678Z');
    assert.equal(formatTicks(w, -1), '2026-11-26T23:59:59.9999999Z');
    assert.equal(formatTicks(w, w.lengthTicks), '2026-11-28T00:00:00.0000000Z');
  });
  test('durations and invalid windows', () => {
    assert.equal(parseDuration('90m'), 90 * 60 * 10_000_000);
    assert.throws(() => parseDuration('1w'), /not a duration/);
    assert.throws(() => windowEndingAt(new Date('2026-11-28T00:00:00.5Z'), parseDuration('1h')), /whole second/);
  });
});

describe('generateTelemetry', () => {
  let first: { out: string; manifest: Manifest };
  before(async () => {
    first = await generated({ events: 3000, devices: 12, seed: 42 });
  });

  test('same seed → byte-identical files; another seed → different data', async () => {
    const again = await generated({ events: 3000, devices: 12, seed: 42 });
    const other = await generated({ events: 3000, devices: 12, seed: 43 });
    const [a, b, c] = await Promise.all([filesOf(first.out), filesOf(again.out), filesOf(other.out)]);
    assert.deepEqual(Object.keys(a), [...TABLES.map((t) => `${t}.ndjson`), 'manifest.json'].sort());
    for (const name of Object.keys(a)) assert.ok(a[name]!.equals(b[name]!), `${name} differs between two runs with the same seed`);
    assert.ok(!a['DeviceFileEvents.ndjson']!.equals(c['DeviceFileEvents.ndjson']!));
    await Promise.all([again.out, other.out].map((d) => rm(d, { recursive: true })));
  });

  test('writes exactly --events rows, counted per table in the manifest and in the files', async () => {
    const { manifest, out } = first;
    const total = Object.values(manifest.counts).reduce((n, c) => n + c, 0);
    assert.equal(total, 3000);
    assert.equal(manifest.benignRows + manifest.attackRows, 3000);
    for (const table of TABLES) {
      const text = await readFile(join(out, `${table}.ndjson`), 'utf8');
      const lines = text.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, manifest.counts[table], table);
      assert.ok(lines.length > 0, `${table} has rows`);
    }
  });

  test('every row carries every schema column, in schema order, with 7-digit timestamps inside the window', async () => {
    const { manifest, out } = first;
    for (const table of TABLES) {
      const lines = (await readFile(join(out, `${table}.ndjson`), 'utf8')).split('\n').filter((l) => l !== '').slice(0, 200);
      for (const line of lines) {
        const row = JSON.parse(line) as Record<string, unknown>;
        assert.deepEqual(Object.keys(row), BUILTIN_TABLES[table]!.map((c) => c.name));
        assert.match(String(row['Timestamp']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
        assert.ok(String(row['Timestamp']) >= manifest.window.start && String(row['Timestamp']) <= manifest.window.end, String(row['Timestamp']));
        assert.equal(row['TimeGenerated'], row['Timestamp']);
      }
    }
  });

  test('reads back through runQuery with no rejected record, typed by the schema', async () => {
    const rejects: unknown[] = [];
    const result = await runQuery(
      'union withsource=Table DeviceFileEvents, DeviceProcessEvents, DeviceNetworkEvents, DeviceRegistryEvents, DeviceImageLoadEvents, DeviceLogonEvents, DeviceEvents | summarize count() by Table | sort by Table asc',
      { data: first.out, now: '2026-11-28T00:00:00Z', onReject: (r) => rejects.push(r) },
    ).catch(async () =>
      // `union withsource` may not be supported yet: count each table on its own then.
      ({ rows: await Promise.all(TABLES.map(async (t) => [t, (await runQuery(`${t} | count`, { data: first.out, onReject: (r) => rejects.push(r) })).rows[0]![0]])) }));
    assert.deepEqual(rejects, []);
    const counted = Object.fromEntries(result.rows.map((r) => [r[0], r[1]]));
    assert.deepEqual(counted, first.manifest.counts);
  });

  test('every attack kind is injected and found in the data on its device at its time', async () => {
    const { manifest, out } = first;
    assert.deepEqual(manifest.attacks.map((a) => a.kind), [...ATTACK_KINDS]);
    for (const attack of manifest.attacks) {
      // The attack's files: under its staging folder, or written by one of its commands (7z's archive sits beside the folder).
      const commands = attack.commandLines.map((c) => `@'${c.replace(/'/g, "''")}'`).join(', ') || "''";
      const query = `DeviceFileEvents
        | where DeviceName == '${attack.deviceName}'
        | where FolderPath startswith @'${attack.stagingFolder}' or InitiatingProcessCommandLine in (${commands})
        | where Timestamp between (datetime(${attack.start}) .. datetime(${attack.end}))
        | count`;
      const files = await runQuery(query, { data: out });
      assert.equal(files.rows[0]![0], attack.rows['DeviceFileEvents'] ?? 0, `${attack.kind}: file rows in ${attack.stagingFolder}`);
      assert.ok((attack.rows['DeviceFileEvents'] ?? 0) >= 1, attack.kind);
      for (const commandLine of attack.commandLines) {
        const escaped = commandLine.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
        const processes = await runQuery(`DeviceProcessEvents | where DeviceName == '${attack.deviceName}' and ProcessCommandLine == "${escaped}" | count`, { data: out });
        assert.equal(processes.rows[0]![0], 1, `${attack.kind}: process ${commandLine}`);
      }
    }
  });

  test('linux attack on a Linux host, SMB staging on a server, remote share copy also shows SMB traffic', () => {
    const byKind = new Map(first.manifest.attacks.map((a) => [a.kind, a]));
    assert.match(byKind.get('linux-cp-tar')!.deviceName, /^lnx-/);
    assert.equal(byKind.get('linux-cp-tar')!.stagingFolder, '/tmp/.df00tech_stage');
    assert.match(byKind.get('smb-staging')!.deviceName, /^srv-/);
    assert.equal(byKind.get('netuse-xcopy')!.rows['DeviceNetworkEvents'], 1);
    assert.match(byKind.get('7zip-password')!.commandLines[1]!, / a .* -p\S+ .*df00tech-exfil\.zip/);
    assert.match(byKind.get('rar-hp')!.commandLines[0]!, / -hp\S+ /);
  });

  test('CSV output holds the same rows as NDJSON for the same seed', async () => {
    const csv = await generated({ events: 600, devices: 5, seed: 9, format: 'csv' });
    const json = await generated({ events: 600, devices: 5, seed: 9, format: 'ndjson' });
    const query = 'DeviceProcessEvents | project Timestamp, DeviceName, ProcessCommandLine, ProcessId, InitiatingProcessCreationTime | sort by Timestamp asc, ProcessId asc';
    const [a, b] = await Promise.all([runQuery(query, { data: csv.out }), runQuery(query, { data: json.out })]);
    assert.ok(a.rows.length > 0);
    assert.deepEqual(a.rows, b.rows);
    await Promise.all([csv.out, json.out].map((d) => rm(d, { recursive: true })));
  });

  test('Parquet output holds the same rows and types as NDJSON for the same seed, one typed file per table', async () => {
    const parquet = await generated({ events: 800, devices: 6, seed: 11, format: 'parquet' });
    const json = await generated({ events: 800, devices: 6, seed: 11, format: 'ndjson' });
    assert.deepEqual((await readdir(parquet.out)).sort(), [...TABLES.map((t) => `${t}.parquet`), 'manifest.json'].sort());
    assert.deepEqual(parquet.manifest.counts, json.manifest.counts);
    assert.equal(parquet.manifest.files['DeviceFileEvents'], 'DeviceFileEvents.parquet');
    for (const table of TABLES) {
      const query = `${table} | sort by ReportId asc`;
      const [a, b] = await Promise.all([runQuery(query, { data: parquet.out }), runQuery(query, { data: json.out })]);
      assert.deepEqual(a.columns, b.columns, table);
      assert.equal(a.rows.length, parquet.manifest.counts[table], table);
      assert.deepEqual(a.rows, b.rows, table);
    }
    await Promise.all([parquet.out, json.out].map((d) => rm(d, { recursive: true })));
  });

  test('refuses impossible options with a clear message', async () => {
    const out = join(tmpdir(), 'stagehunt-gen-never-written');
    await assert.rejects(generateTelemetry({ events: 10, devices: 2, out, attacks: 9 }), /attacks need \d+ rows but --events is 10/);
    await assert.rejects(generateTelemetry({ events: 0, devices: 2, out }), /events must be an integer ≥ 1/);
    await assert.rejects(generateTelemetry({ events: 10, devices: 0, out }), /devices must be an integer ≥ 1/);
  });

  test('no attacks: only benign rows', async () => {
    const none = await generated({ events: 500, devices: 3, attacks: 0 });
    assert.equal(none.manifest.attackRows, 0);
    assert.equal(none.manifest.benignRows, 500);
    const hits = await runQuery("DeviceFileEvents | where FolderPath has 'df00tech' | count", { data: none.out });
    assert.equal(hits.rows[0]![0], 0);
    await rm(none.out, { recursive: true });
  });
});
