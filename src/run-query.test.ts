/**
 * The library API as DESIGN.md states it: runQuery over in-memory tables and files, `now`,
 * rejected records, externaldata over local files, and errors that carry positions.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryError, runQuery, streamRows } from './run-query.js';
import { KqlError } from './kql/syntax/diagnostics.js';

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stagehunt-api-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('runQuery', () => {
  test('rows given for a built-in table are typed by its schema; missing columns read as "" or null', async () => {
    const r = await runQuery('DeviceProcessEvents | project Timestamp, FileName, ProcessId, AccountName', {
      tables: { DeviceProcessEvents: [{ Timestamp: '2026-11-27T10:00:00.1234567Z', FileName: 'cmd.exe' }] },
      now: '2026-11-28T00:00:00Z',
    });
    assert.deepEqual(r.columns, [
      { name: 'Timestamp', type: 'datetime' },
      { name: 'FileName', type: 'string' },
      { name: 'ProcessId', type: 'long' },
      { name: 'AccountName', type: 'string' },
    ]);
    assert.deepEqual(r.rows, [['2026-11-27T10:00:00.1234567Z', 'cmd.exe', null, '']]);
    assert.equal(r.now, '2026-11-28T00:00:00Z');
  });

  test('now: a Date, an ISO string, or latest (the newest Timestamp in the data)', async () => {
    const tables = { DeviceFileEvents: [{ Timestamp: '2026-11-27T10:00:00Z' }, { Timestamp: '2026-11-27T12:30:00Z' }] };
    assert.equal((await runQuery('print now()', { tables, now: 'latest' })).rows[0]![0], '2026-11-27T12:30:00Z');
    assert.equal((await runQuery('print now()', { tables, now: new Date('2026-01-02T03:04:05Z') })).rows[0]![0], '2026-01-02T03:04:05Z');
    await assert.rejects(runQuery('print 1', { tables, now: 'yesterday' }), QueryError);
  });

  test('a query error rejects with diagnostics carrying line and column', async () => {
    await assert.rejects(runQuery('DeviceFileEvents\n| where Nope == 1', { tables: { DeviceFileEvents: [] } }), (e: unknown) => {
      assert.ok(e instanceof KqlError);
      assert.equal(e.diagnostics[0]!.line, 2);
      assert.equal(e.diagnostics[0]!.column, 9);
      return true;
    });
  });

  test('a missing data path rejects naming it', async () => {
    await assert.rejects(runQuery('print 1', { data: '/nonexistent/stagehunt' }), /\/nonexistent\/stagehunt/);
  });

  test('bad input records are counted and reported; the rest is processed', async () => {
    const dir = tempDir({ 'DeviceFileEvents.ndjson': '{"FileName":"a"}\n{oops\n{"FileName":"b","Timestamp":"not a date"}\n{"FileName":"c"}\n' });
    const rejects: string[] = [];
    const r = await runQuery('DeviceFileEvents | project FileName', { data: dir, onReject: (x) => rejects.push(`${x.line}`) });
    assert.deepEqual(r.rows, [['a'], ['c']]);
    assert.equal(r.rejected, 2);
    assert.deepEqual(rejects, ['2', '3']);
  });

  test('a Defender table with no data reads as empty, with a note', async () => {
    const notes: string[] = [];
    const r = await runQuery('DeviceNetworkEvents | count', { tables: {}, onWarning: (m) => notes.push(m) });
    assert.deepEqual(r.rows, [[0]]);
    assert.match(notes.join('\n'), /no data for table DeviceNetworkEvents/);
  });
});

describe('externaldata', () => {
  test('local CSV (ignoreFirstRecord) and txt files, by path and file:// URI', async () => {
    const dir = tempDir({ 'iocs.csv': 'Hash,Score\nabc,5\ndef,7\n', 'lines.txt': 'one\ntwo\n' });
    const csv = await runQuery(`externaldata(Hash:string, Score:long) [@"${join(dir, 'iocs.csv')}"] with (format="csv", ignoreFirstRecord=true)`);
    assert.deepEqual(csv.rows, [['abc', 5], ['def', 7]]);
    const txt = await runQuery(`externaldata(Line:string) ["file://${join(dir, 'lines.txt')}"] with (format="txt") | count`);
    assert.deepEqual(txt.rows, [[2]]);
  });

  test('http(s) URLs are refused at their position: nothing is fetched', async () => {
    await assert.rejects(runQuery('externaldata(x:string) [@"https://example.com/feed.csv"] with (format="csv")'), (e: unknown) => {
      assert.ok(e instanceof KqlError);
      assert.equal(e.diagnostics[0]!.code, 'KB901');
      assert.match(e.diagnostics[0]!.message, /not reachable offline: download it and pass the file with --data/);
      assert.equal(e.diagnostics[0]!.column, 25);
      return true;
    });
  });

  test('a value that does not fit its column is a counted reject', async () => {
    const dir = tempDir({ 'iocs.csv': 'abc,5\ndef,many\n' });
    const r = await runQuery(`externaldata(Hash:string, Score:long) [@"${join(dir, 'iocs.csv')}"]`);
    assert.deepEqual(r.rows, [['abc', 5]]);
    assert.equal(r.rejected, 1);
  });
});

describe('runQuery maxMemory', () => {
  test('runQuery: maxMemory as a size; over it a QueryError; a bad size is refused', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ Name: `n${i}`, Size: i }));
    await assert.rejects(runQuery('Items | summarize count() by Name', { tables: { Items: rows }, maxMemory: '32k' }), (e: unknown) => {
      assert.ok(e instanceof QueryError);
      assert.match(e.message, /^query stopped: summarize held about .* over the memory limit of 32\.0 KiB/);
      return true;
    });
    const ok = await runQuery('Items | summarize count() by Name | count', { tables: { Items: rows }, maxMemory: '64M' });
    assert.deepEqual(ok.rows, [[3000]]);
    await assert.rejects(runQuery('print 1', { maxMemory: 'lots' }), /maxMemory: 'lots' is not a memory size/);
    await assert.rejects(runQuery('print 1', { maxMemory: 0 }), /maxMemory: '0' is not a memory size/);
  });
});

describe('streamRows', () => {
  const lines = Array.from({ length: 20000 }, (_, i) => JSON.stringify({ Timestamp: '2026-11-27T00:00:00Z', DeviceName: `h${i % 50}`, FileName: `f${i}.zip` }));
  const dir = tempDir({ 'DeviceFileEvents.ndjson': `${lines.join('\n')}\n` });

  test('yields the rows runQuery returns, in the same order, with the same columns', async () => {
    const kql = 'DeviceFileEvents | where FileName endswith "7.zip" | project DeviceName, FileName';
    const all = await runQuery(kql, { data: dir });
    const stream = await streamRows(kql, { data: dir });
    const rows: unknown[][] = [];
    for await (const row of stream.rows) rows.push(row);
    assert.deepEqual(stream.columns, all.columns);
    assert.deepEqual(rows, all.rows);
    assert.equal(rows.length, 2000);
  });

  test('rows arrive while the query runs: a reader that stops after the first never reaches the end of the input', async () => {
    const withBadLastLine = tempDir({ 'DeviceFileEvents.ndjson': `${lines.join('\n')}\n{not json\n` });
    const early = await streamRows('DeviceFileEvents | project FileName', { data: withBadLastLine });
    for await (const row of early.rows) {
      assert.deepEqual(row, ['f0.zip']);
      break;
    }
    assert.equal(early.rejected(), 0, 'the broken last line was never read');
    const whole = await streamRows('DeviceFileEvents | project FileName', { data: withBadLastLine });
    let count = 0;
    for await (const _ of whole.rows) count++;
    assert.equal(count, 20000);
    assert.equal(whole.rejected(), 1);
  });

  test('a memory limit reached while rows are read is a QueryError', async () => {
    const stream = await streamRows('DeviceFileEvents | summarize count() by FileName', { data: dir, maxMemory: '64k' });
    await assert.rejects(async () => {
      for await (const _ of stream.rows) void _;
    }, (e: unknown) => e instanceof QueryError && /^query stopped: summarize held/.test(e.message));
  });
});
