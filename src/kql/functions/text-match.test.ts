import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { callOperator } from './test-support.js';
import { isTermChar, termMatch, TERM_PREFIX, TERM_SUFFIX, WHOLE_TERM } from './text-match.js';

const has = (lhs: string, needle: string) => callOperator('has', [[lhs, 'string'], [needle, 'string']]);

// kql-semantics.md §1.4, every row (runtime values, i.e. after literal decoding).
const TRUTH_TABLE: [string, string, boolean][] = [
  ['C:\\Users\\a\\AppData\\Local\\Temp\\x.txt', '\\Temp\\', true],
  ['C:\\Users\\a\\AppData\\Local\\Temp\\x.txt', '\\AppData\\Local\\Temp\\', true],
  ['C:\\Users\\a\\AppData\\Local\\Temp\\x.txt', '\\tmp\\', false],
  ['c:\\windows\\TEMP\\payload.zip', '\\Windows\\Temp\\', true],
  ['C:\\Windows\\Temp', '\\Temp\\', false],
  ['C:\\Temporary\\x', '\\Temp\\', false],
  ['C:\\Users\\Public\\Documents\\a.rar', '\\Users\\Public\\', true],
  ['archive.zip', '.zip', true],
  ['a.zipx', '.zip', false],
  ['a.zip.bak', '.zip', true],
  ['backup.tar.gz', '.tar', true],
  ['backup.tar.gz', '.gz', true],
  ['file.7z', '.7z', true],
  ['my.iso.txt', '.iso', true],
  ['x.ISO', '.iso', true],
  ['xcopy.exe /e', 'copy /', false],
  ['xcopy /e', 'copy /', false],
  ['robocopy /mir', 'copy /', false],
  ['robocopy', 'copy /', false],
  ['cmd.exe /c copy /y a b', 'copy /', true],
  ['cmd /c COPY /b a+b c', 'copy /', true],
  ['robocopy C:\\src D:\\dst /E', 'robocopy', true],
  ['C:\\Windows\\System32\\Robocopy.exe src dst', 'robocopy', true],
  ['myrobocopy.exe', 'robocopy', false],
  ['xcopy.exe a b', 'xcopy', true],
  ['powershell Copy-Item -Path a -Dest b', 'Copy-Item', true],
  ['Copy-Items x', 'Copy-Item', false],
  ['bash -c "cp -r /a /b"', 'cp -r', true],
  ['scp -r host:/a .', 'cp -r', false],
  ['cp -rf /a /b', 'cp -r', false],
  ['', '\\Temp\\', false],
  ['', 'robocopy', false],
];

describe('has: kql-semantics.md §1.4 truth table', () => {
  for (const [lhs, needle, expected] of TRUTH_TABLE) {
    test(`${JSON.stringify(lhs)} has ${JSON.stringify(needle)} → ${expected}`, () => assert.equal(has(lhs, needle), expected));
  }
});

describe('has: documented and community examples', () => {
  const url = 'https://management.azure.com/subscriptions/0000/resourcegroups/test.rg000001?api-version=2021-04-01';
  const cases: [string, string, boolean][] = [
    ['North America', 'america', true],
    ['North America', 'amer', false],
    ['North America', 'North America', true],
    ['KustoExplorerQueryRun', 'Explorer', false],
    ['_Hello_World_', 'hello', true],
    ['abcHello Worldxyz', 'hello', false],
    [url, 'resourcegroups/test.rg000001', true],
    [url, '/resourcegroups/test.rg000001?', true],
    ['Kusto: ad67d136-c1db-4f9f-88ef-d94f3b6b0b5a;KustoExplorerQueryRun', 'c1db', true],
    ['!@#$%^&*()', '@', true],
    ['abc', '', false],
  ];
  for (const [lhs, needle, expected] of cases) {
    test(`${JSON.stringify(lhs)} has ${JSON.stringify(needle)} → ${expected}`, () => assert.equal(has(lhs, needle), expected));
  }
  test('non-ASCII letters are not folded: only A-Z fold', () => {
    assert.equal(has('ÉCOLE', 'école'), false);
    assert.equal(has('École', 'École'), true);
  });
});

describe('termMatch alignment variants', () => {
  test('term characters', () => {
    assert.equal(isTermChar('a'.charCodeAt(0)), true);
    assert.equal(isTermChar('_'.charCodeAt(0)), false);
    assert.equal(isTermChar('é'.charCodeAt(0)), false);
  });
  test('prefix and suffix alignment', () => {
    assert.equal(termMatch('hello world', 'wor', TERM_PREFIX), true);
    assert.equal(termMatch('hello world', 'orld', TERM_PREFIX), false);
    assert.equal(termMatch('hello world', 'orld', TERM_SUFFIX), true);
    assert.equal(termMatch('hello world', 'wor', TERM_SUFFIX), false);
    assert.equal(termMatch('hello world', 'wor', WHOLE_TERM), false);
  });
  test('a later aligned occurrence is found after a misaligned one', () => {
    assert.equal(termMatch('xcopy /e copy /y', 'copy /', WHOLE_TERM), true);
  });
});
