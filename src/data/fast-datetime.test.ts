import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatetime } from '../kql/values/datetime.js';
import { isIsoUtcDatetime, parseIsoUtcDatetime } from './fast-datetime.js';

/** The fast reading, checking on the way that the check-only form agrees on whether it reads the text. */
function fast(text: string): bigint | null {
  const bytes = Buffer.from(text);
  const ticks = parseIsoUtcDatetime(bytes, 0, bytes.length);
  assert.equal(isIsoUtcDatetime(bytes, 0, bytes.length), ticks !== null, text);
  return ticks;
}

test('agrees with parseDatetime on the ISO UTC form', () => {
  for (const text of [
    '2026-11-27T10:00:00Z', '2026-11-27T10:00:00.1Z', '2026-11-27T10:00:00.1234567Z', '2026-11-27T23:59:59.9999999Z',
    '2024-02-29T00:00:00Z', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59.9999999Z', '1969-12-31T23:59:59.5Z',
  ]) {
    assert.equal(fast(text), parseDatetime(text), text);
  }
});

test('declines other forms and impossible dates, leaving them to the general parser', () => {
  for (const text of [
    '2026-11-27 10:00:00Z', '2026-11-27T10:00:00', '2026-11-27T10:00:00+02:00', '2026-11-27t10:00:00z',
    '2026-11-27T10:00:00.12345678Z', '2026-11-27T10:00:00.Z', '2023-02-29T00:00:00Z', '2026-13-01T00:00:00Z',
    '2026-11-31T00:00:00Z', '2026-11-27T24:00:00Z', '2026-11-27T10:60:00Z', '0000-01-01T00:00:00Z', '2026-1a-27T10:00:00Z',
  ]) {
    assert.equal(fast(text), null, text);
  }
});

test('every instant of a random sample reads as parseDatetime reads it', () => {
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < 2000; i++) {
    // Instants from year 1 to 9999.
    const millis = Math.floor((next() / 2 ** 32) * 315_000_000_000_000) - 62_000_000_000_000;
    const iso = new Date(millis).toISOString();
    const digits = next() % 8;
    const fraction = digits === 0 ? '' : `.${String(next()).padStart(10, '0').slice(0, digits)}`;
    const text = iso.replace(/\.\d{3}Z$/, `${fraction}Z`);
    assert.equal(fast(text), parseDatetime(text), text);
  }
});
