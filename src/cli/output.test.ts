import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cellText, csvCell, formatResult } from './output.js';

const columns = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'ProcessCommandLine', type: 'string' },
  { name: 'FileCount', type: 'long' },
  { name: 'Extensions', type: 'dynamic' },
];
const rows = [
  ['2026-11-27T10:00:00Z', '=cmd|\' /C calc\'!A0', 10, ['zip', 'txt']],
  ['2026-11-27T09:00:00.1234567Z', 'robocopy a "b c"', null, null],
];

describe('csv output', () => {
  test('cells that spreadsheets would evaluate are prefixed with a quote', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      assert.ok(csvCell(`${start}SUM(A1)`).replace(/^"/, '').startsWith(`'${start}`), `cell starting with ${JSON.stringify(start)}`);
    }
    assert.equal(csvCell('robocopy /E'), 'robocopy /E');
  });

  test('quotes, commas and line breaks are quoted per RFC 4180', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\nlines'), '"two\nlines"');
    assert.equal(csvCell(''), '');
  });

  test('a whole result: header, escaped command line, dynamic as JSON, null as empty', () => {
    const csv = formatResult(columns, rows, 'csv');
    assert.equal(
      csv,
      'Timestamp,ProcessCommandLine,FileCount,Extensions\r\n' +
        `2026-11-27T10:00:00Z,'=cmd|' /C calc'!A0,10,"[""zip"",""txt""]"\r\n` +
        '2026-11-27T09:00:00.1234567Z,"robocopy a ""b c""",,\r\n',
    );
  });
});

describe('json and ndjson output', () => {
  test('json is one array of row objects with keys in column order', () => {
    const parsed = JSON.parse(formatResult(columns, rows, 'json')) as Record<string, unknown>[];
    assert.equal(parsed.length, 2);
    assert.deepEqual(Object.keys(parsed[0]!), ['Timestamp', 'ProcessCommandLine', 'FileCount', 'Extensions']);
    assert.deepEqual(parsed[0]!.Extensions, ['zip', 'txt']);
    assert.equal(parsed[1]!.FileCount, null);
  });

  test('an empty result is an empty array / no lines', () => {
    assert.deepEqual(JSON.parse(formatResult(columns, [], 'json')), []);
    assert.equal(formatResult(columns, [], 'ndjson'), '');
  });

  test('ndjson is one object per line', () => {
    const lines = formatResult(columns, rows, 'ndjson').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.equal((JSON.parse(lines[1]!) as { ProcessCommandLine: string }).ProcessCommandLine, 'robocopy a "b c"');
  });
});

describe('table output', () => {
  test('shows headers, values and the row count', () => {
    const text = formatResult(columns, rows, 'table');
    assert.match(text, /Timestamp/);
    assert.match(text, /robocopy a "b c"/);
    assert.match(text, /\["zip","txt"\]/);
    assert.match(text, /2 rows\n$/);
  });

  test('long values are shortened with an ellipsis and the output says so', () => {
    const long = `robocopy ${'C:\\very\\long\\path\\'.repeat(10)}`;
    const text = formatResult([{ name: 'cmd', type: 'string' }], [[long]], 'table');
    assert.doesNotMatch(text, new RegExp(long.replace(/[\\]/g, '\\\\')));
    assert.match(text, /…/);
    assert.match(text, /1 row \(values over 60 characters shortened/);
  });

  test('cell text of JSON-form values', () => {
    assert.equal(cellText(null), '');
    assert.equal(cellText(true), 'true');
    assert.equal(cellText({ a: 1 }), '{"a":1}');
    assert.equal(cellText(1.5), '1.5');
  });
});
