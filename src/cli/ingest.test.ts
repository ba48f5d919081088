/** `stagehunt ingest`: NDJSON tables readable back with --data, the summary, and usage errors. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { openCatalog } from '../data/catalog.js';
import { runQuery } from '../run-query.js';
import { repoPath } from '../testing/repo.js';
import { asEventXml, asEvtx, securityScenario, sysmonScenario } from '../telemetry/e2e-scenarios.js';
import { registerIngestCommand } from './ingest.js';

async function runIngest(args: string[]): Promise<{ stdout: string; stderr: string; error?: unknown }> {
  const program = new Command('stagehunt').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _encoding, done) { append(String(chunk)); done(); } });
  registerIngestCommand(program, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) });
  try {
    await program.parseAsync(['node', 'stagehunt', 'ingest', ...args]);
    return { stdout, stderr };
  } catch (error) {
    return { stdout, stderr, error };
  }
}

const AUDIT = [
  'type=SYSCALL msg=audit(1700000000.000:7): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=2 uid=0 comm="tar" exe="/usr/bin/tar"',
  'type=EXECVE msg=audit(1700000000.000:7): argc=3 a0="tar" a1="czf" a2="/tmp/x.tgz"',
  'type=EOE msg=audit(1700000000.000:7):',
  'type=SYSCALL msg=audit(1700000001.000:8): arch=c000003e syscall=42 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=0 ppid=1 pid=2 uid=0 comm="x" exe="/x"',
  'this line is broken',
].join('\n');

/** The named columns of every row of a table read back with --data. */
async function tableRows(dir: string, table: string, names: string[]): Promise<unknown[][]> {
  const source = (await openCatalog([dir])).table(table)!;
  const indexes = names.map((name) => source.schema.findIndex((c) => c.name === name));
  const rows: unknown[][] = [];
  for await (const batch of source.scan(names)) {
    for (let r = 0; r < batch.length; r++) rows.push(indexes.map((i) => batch.columns[i]![r]));
  }
  return rows;
}

describe('stagehunt ingest', () => {
  const root = mkdtempSync(join(tmpdir(), 'stagehunt-ingest-'));

  test('writes one NDJSON file per table, readable back with --data, and summarises per file', async () => {
    const input = join(root, 'audit.log');
    writeFileSync(input, AUDIT);
    const out = join(root, 'out');
    const { stdout, error } = await runIngest([input, '--out', out, '--quiet']);
    assert.equal(error, undefined);
    assert.deepEqual(readdirSync(out), ['DeviceProcessEvents.ndjson']);
    assert.match(stdout, /audit\.log \(auditd\): 3 records read/);
    assert.match(stdout, /mapped: {2}DeviceProcessEvents 1/);
    assert.match(stdout, /skipped: 1:\n\s+1 {2}audit syscall 42 \(arch c000003e\) has no Defender table mapping/);
    assert.match(stdout, /broken: {2}1/);
    const catalog = await openCatalog([out]);
    const table = catalog.table('DeviceProcessEvents')!;
    const batches = [];
    for await (const b of table.scan(['ProcessCommandLine', 'Timestamp'])) batches.push(b);
    const commandLine = table.schema.findIndex((c) => c.name === 'ProcessCommandLine');
    const timestamp = table.schema.findIndex((c) => c.name === 'Timestamp');
    assert.deepEqual(batches[0]!.columns[commandLine], ['tar czf /tmp/x.tgz']);
    assert.equal(typeof batches[0]!.columns[timestamp]![0], 'bigint');
  });

  test('an unrecognised input is named and fails the run (exit 1) after the others are written', async () => {
    const good = join(root, 'good.log');
    writeFileSync(good, AUDIT);
    const bad = join(root, 'notes.txt');
    writeFileSync(bad, 'hello');
    const { stderr, error } = await runIngest([good, bad, '--out', join(root, 'out2'), '--quiet']);
    assert.match(stderr, new RegExp(`error: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: unrecognised telemetry format`));
    assert.ok(error instanceof Error && !(error instanceof CommanderError));
    assert.match((error as Error).message, /1 input file could not be read/);
    assert.deepEqual(readdirSync(join(root, 'out2')), ['DeviceProcessEvents.ndjson']);
  });

  test('--parquet writes one typed Parquet file per table, read back like the NDJSON ones', async () => {
    const input = join(root, 'audit.log');
    writeFileSync(input, AUDIT);
    const ndjsonOut = join(root, 'as-ndjson');
    const parquetOut = join(root, 'as-parquet');
    assert.equal((await runIngest([input, '--out', ndjsonOut, '--quiet'])).error, undefined);
    const { stdout, error } = await runIngest([input, '--out', parquetOut, '--quiet', '--parquet']);
    assert.equal(error, undefined);
    assert.deepEqual(readdirSync(parquetOut), ['DeviceProcessEvents.parquet']);
    assert.match(stdout, /wrote \S*DeviceProcessEvents\.parquet \(1 rows\)/);
    const columns = ['Timestamp', 'DeviceName', 'FileName', 'FolderPath', 'ProcessCommandLine', 'ProcessId', 'InitiatingProcessId', 'ReportId', 'AccountName'];
    const fromParquet = await tableRows(parquetOut, 'DeviceProcessEvents', columns);
    assert.deepEqual(fromParquet, await tableRows(ndjsonOut, 'DeviceProcessEvents', columns));
    // audit(1700000000.000:7) = 2023-11-14T22:13:20Z; serial 7 is the ReportId.
    assert.deepEqual(fromParquet, [[1_700_000_000n * 10_000_000n, '', 'tar', '/usr/bin/tar', 'tar czf /tmp/x.tgz', 2, 1, 7, 'root']]);
  });

  test('EVTX and event XML → Parquet → query gives the same rows as → NDJSON → query, 7-digit times kept', async () => {
    const inputs = join(root, 'windows');
    mkdirSync(inputs);
    writeFileSync(join(inputs, 'Security.evtx'), asEvtx(securityScenario()));
    writeFileSync(join(inputs, 'sysmon.xml'), asEventXml(sysmonScenario()));
    const ndjsonOut = join(root, 'windows-ndjson');
    const parquetOut = join(root, 'windows-parquet');
    assert.equal((await runIngest([inputs, '--out', ndjsonOut, '--quiet'])).error, undefined);
    assert.equal((await runIngest([inputs, '--out', parquetOut, '--quiet', '--parquet'])).error, undefined);
    assert.deepEqual(readdirSync(parquetOut), ['DeviceFileEvents.parquet', 'DeviceProcessEvents.parquet']);
    const seed = readFileSync(repoPath('rules', 't1074-seed', 'query.kql'), 'utf8');
    const queries = [
      'DeviceProcessEvents | sort by DeviceName asc, ReportId asc',
      'DeviceFileEvents | sort by DeviceName asc, ReportId asc',
      seed,
    ];
    for (const kql of queries) {
      const overParquet = await runQuery(kql, { data: parquetOut, now: '2024-03-01T12:00:00Z' });
      const overNdjson = await runQuery(kql, { data: ndjsonOut, now: '2024-03-01T12:00:00Z' });
      assert.equal(overParquet.rejected, 0);
      assert.deepEqual(overParquet.columns, overNdjson.columns);
      assert.deepEqual(overParquet.rows, overNdjson.rows);
      assert.ok(overParquet.rows.length > 0, kql);
    }
    const times = await runQuery('DeviceProcessEvents | where DeviceName startswith "FS01" and ReportId == 1 | project Timestamp, ProcessCreationTime', { data: parquetOut });
    assert.deepEqual(times.rows, [['2024-03-01T10:00:00.1234567Z', '2024-03-01T10:00:00.1234567Z']]);
  });

  test('Defender exports named after their table convert to Parquet and hunt the same', async () => {
    const out = join(root, 'seed-parquet');
    const { stdout, error } = await runIngest([repoPath('examples/seed-tests'), '--out', out, '--quiet', '--parquet']);
    assert.equal(error, undefined);
    assert.deepEqual(readdirSync(out).sort(), ['DeviceFileEvents.parquet', 'DeviceProcessEvents.parquet']);
    assert.match(stdout, /DeviceFileEvents\.parquet \(81 rows\)/);
    const query = readFileSync(repoPath('rules/t1074-seed/query.kql'), 'utf8');
    const fromExports = await runQuery(query, { data: repoPath('examples/seed-tests'), now: 'latest' });
    const fromParquet = await runQuery(query, { data: out, now: 'latest' });
    assert.ok(fromExports.rows.length > 0);
    assert.deepEqual(fromParquet.rows, fromExports.rows);
  });

  test('a table written in one format replaces its file in the other', async () => {
    const input = join(root, 'audit.log');
    writeFileSync(input, AUDIT);
    const out = join(root, 'switch');
    await runIngest([input, '--out', out, '--quiet']);
    await runIngest([input, '--out', out, '--quiet', '--parquet']);
    assert.deepEqual(readdirSync(out), ['DeviceProcessEvents.parquet']);
    await runIngest([input, '--out', out, '--quiet']);
    assert.deepEqual(readdirSync(out), ['DeviceProcessEvents.ndjson']);
  });

  test('--out is required', async () => {
    const noOut = await runIngest([join(root, 'audit.log')]);
    assert.ok(noOut.error instanceof CommanderError);
    assert.equal((noOut.error as CommanderError).code, 'commander.missingMandatoryOptionValue');
  });
});
