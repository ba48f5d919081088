/** `stagehunt ingest`: NDJSON tables readable back with --data, the summary, and usage errors. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { openCatalog } from '../data/catalog.js';
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

  test('--parquet is a usage error saying it is not supported yet; --out is required', async () => {
    const parquet = await runIngest([join(root, 'audit.log'), '--out', join(root, 'p'), '--parquet']);
    assert.ok(parquet.error instanceof CommanderError);
    assert.equal((parquet.error as CommanderError).exitCode, 2);
    assert.match((parquet.error as CommanderError).message, /not supported yet/);
    const noOut = await runIngest([join(root, 'audit.log')]);
    assert.ok(noOut.error instanceof CommanderError);
    assert.equal((noOut.error as CommanderError).code, 'commander.missingMandatoryOptionValue');
  });
});
