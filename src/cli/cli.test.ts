/**
 * The command line as a user runs it: the built `stagehunt` binary, its exit codes, stdout and stderr.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../testing/repo.js';

const CLI = repoPath('dist', 'cli', 'main.js');

function stagehunt(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, cwd: repoPath() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function dataDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagehunt-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const PROCESS_ROWS = [
  { Timestamp: '2026-11-27T10:00:00Z', DeviceName: 'wks1', FileName: 'cmd.exe', ProcessCommandLine: '=HYPERLINK("http://x")', AccountName: 'bob' },
  { Timestamp: '2026-11-27T11:00:00Z', DeviceName: 'wks2', FileName: 'robocopy.exe', ProcessCommandLine: 'robocopy C:\\a C:\\Windows\\Temp\\s /E', AccountName: 'eve' },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

describe('stagehunt query', () => {
  test('runs an inline query over a data folder and prints JSON rows', () => {
    const dir = dataDir({ 'DeviceProcessEvents.ndjson': PROCESS_ROWS });
    const r = stagehunt(['query', '--data', dir, '--format', 'json', 'DeviceProcessEvents | project DeviceName, FileName | sort by DeviceName asc']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      { DeviceName: 'wks1', FileName: 'cmd.exe' },
      { DeviceName: 'wks2', FileName: 'robocopy.exe' },
    ]);
  });

  test('csv output defuses formula cells', () => {
    const dir = dataDir({ 'DeviceProcessEvents.ndjson': PROCESS_ROWS });
    const r = stagehunt(['query', '--data', dir, '--format', 'csv', 'DeviceProcessEvents | where DeviceName == "wks1" | project ProcessCommandLine']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'ProcessCommandLine\r\n"\'=HYPERLINK(""http://x"")"\r\n');
  });

  test('reads the query from a file and pins now()', () => {
    const dir = dataDir({ 'DeviceProcessEvents.ndjson': PROCESS_ROWS, 'q.kql': 'DeviceProcessEvents\n| where Timestamp > ago(1h)\n| project DeviceName' });
    const r = stagehunt(['query', '--data', dir, '--now', '2026-11-27T11:30:00Z', '--format', 'ndjson', '--query-file', join(dir, 'q.kql')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '{"DeviceName":"wks2"}\n');
  });

  test('a query error exits 1 with file:line:column and a caret', () => {
    const dir = dataDir({ 'DeviceProcessEvents.ndjson': PROCESS_ROWS, 'bad.kql': 'DeviceProcessEvents\n| where FileNme == "x"' });
    const r = stagehunt(['query', '--data', dir, '--query-file', join(dir, 'bad.kql')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.kql:2:9: error KB001: The name 'FileNme'/);
    assert.match(r.stderr, /\^\^\^\^\^\^\^/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
  });

  test('usage errors exit 2', () => {
    assert.equal(stagehunt(['query']).code, 2);
    assert.equal(stagehunt(['query', '--format', 'xml', 'print 1']).code, 2);
    assert.equal(stagehunt(['query', '--query-file', 'x.kql', 'print 1']).code, 2);
    assert.equal(stagehunt(['frobnicate']).code, 2);
  });

  test('--max-memory: over the limit exits 1 naming the operator; a bad size is a usage error', () => {
    const dir = dataDir({ 'DeviceProcessEvents.ndjson': PROCESS_ROWS });
    const over = stagehunt(['query', '--data', dir, '--max-memory', '300', 'DeviceProcessEvents | summarize count() by DeviceName, ProcessCommandLine']);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /summarize held about .* \(2 groups\), over the memory limit of 300 B \(--max-memory\)/);
    assert.doesNotMatch(over.stderr, /at .*\.js:\d+/, 'no stack trace');
    const within = stagehunt(['query', '--data', dir, '--max-memory', '16M', '--format', 'json', 'DeviceProcessEvents | summarize n = count()']);
    assert.equal(within.code, 0, within.stderr);
    assert.deepEqual(JSON.parse(within.stdout), [{ n: 2 }]);
    const bad = stagehunt(['query', '--data', dir, '--max-memory', 'lots', 'print 1']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-memory.*expected a size/);
  });

  test('a missing data path exits 1 naming the path', () => {
    const r = stagehunt(['query', '--data', '/nonexistent/stagehunt-data', 'print 1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\/nonexistent\/stagehunt-data/);
  });

  test('bad records are reported with file and line, and the rest is processed', () => {
    const dir = dataDir({ 'DeviceProcessEvents.ndjson': `${PROCESS_ROWS}\n{not json\n` });
    const r = stagehunt(['query', '--data', dir, '--format', 'json', 'DeviceProcessEvents | count']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [{ Count: 2 }]);
    assert.match(r.stderr, /DeviceProcessEvents\.ndjson:3/);
  });

  test('--help teaches with examples', () => {
    const r = stagehunt(['query', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Examples:/);
    assert.match(r.stdout, /--now/);
  });
});

describe('stagehunt hunt', () => {
  test('runs the seed rule over the bundled examples, says which now() it used and how long it took', () => {
    const r = stagehunt(['hunt', '--data', 'examples/seed-tests', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const alerts = JSON.parse(r.stdout) as { StagingType: string }[];
    assert.ok(alerts.length > 0, 'the examples produce alerts');
    assert.match(r.stderr, /--now latest/);
    assert.match(r.stderr, /evaluated in \d+ ms/);
  });

  test('needs --data', () => {
    assert.equal(stagehunt(['hunt']).code, 2);
  });
});
