import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { coerceValue } from './coerce.js';
import { CsvRecordScanner } from './csv-rows.js';

/** Scans one record and returns the scanner (fields refer to its bytes). */
function scanned(record: string): CsvRecordScanner {
  const scanner = new CsvRecordScanner();
  const bytes = Buffer.from(record);
  assert.ok(scanner.scanRecord(bytes, 0, bytes.length) > 0, record);
  return scanner;
}

describe('CsvRecordScanner fields read from bytes', () => {
  test('fields are split at commas, quotes and line breaks the same with any run length before them', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'abcdefghij']) {
      const scanner = scanned(`${prefix},"${prefix}""q"",x",${prefix}é\r\n`);
      assert.deepEqual(scanner.texts(), [prefix, `${prefix}"q",x`, `${prefix}é`]);
    }
    const quotedBreak = scanned('"line one\nline two",z\n');
    assert.deepEqual(quotedBreak.texts(), ['line one\nline two', 'z']);
    assert.equal(quotedBreak.innerLines, 1);
  });

  test('plainInteger reads exactly the integers the coercion reads as the same number, and declines the rest', () => {
    const texts = ['0', '7', '007', '-0', '-42', '123456789012345', '1234567890123456', '+5', ' 5', '5 ', '1.5', '1e3', '-', '0x10', '١٢'];
    const scanner = scanned(texts.map((t) => `"${t}"`).join(','));
    texts.forEach((text, f) => {
      const fast = scanner.plainInteger(f);
      if (Number.isNaN(fast)) return;
      for (const type of ['long', 'real'] as const) {
        const general = coerceValue(type, text);
        assert.ok(general.ok, `${type} ${text}`);
        assert.ok(Object.is(general.value, fast), `${type} ${text}: ${String(general.value)} vs ${fast}`);
      }
    });
    assert.ok(Number.isNaN(scanner.plainInteger(6)), 'sixteen digits are left to the coercion');
    assert.ok(Number.isNaN(scanner.plainInteger(7)), '+5 is left to the coercion');
  });

  test('isIsoDatetime agrees with isoDatetime', () => {
    const texts = ['2026-11-27T10:00:00Z', '2026-11-27T10:00:00.1234567Z', '2026-02-30T00:00:00Z', '2026-11-27 10:00:00', ''];
    const scanner = scanned(texts.join(','));
    texts.forEach((text, f) => assert.equal(scanner.isIsoDatetime(f), scanner.isoDatetime(f) !== null, text));
  });
});
