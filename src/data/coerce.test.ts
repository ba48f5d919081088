import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScalarType, Value } from '../kql/values/types.js';
import { TickValue, TypeGuesser, coerceValue, describeRaw } from './coerce.js';

/** 100 ns ticks of a UTC instant, computed without the parser under test. */
function ticks(iso: string, extraTicks = 0n): bigint {
  return BigInt(Date.parse(iso)) * 10_000n + extraTicks;
}

function value(type: ScalarType, raw: unknown): Value {
  const result = coerceValue(type, raw);
  assert.ok(result.ok, `expected ${describeRaw(raw)} to convert to ${type}`);
  return result.value;
}

function error(type: ScalarType, raw: unknown): string {
  const result = coerceValue(type, raw);
  assert.ok(!result.ok, `expected ${describeRaw(raw)} to be refused as ${type}`);
  return result.error;
}

function guess(textual: boolean, ...values: unknown[]): ScalarType {
  const guesser = new TypeGuesser(textual);
  for (const v of values) guesser.add(v);
  return guesser.guess();
}

describe('coerceValue', () => {
  test('string: missing reads as "", scalars as their text, objects as compact JSON', () => {
    assert.equal(value('string', undefined), '');
    assert.equal(value('string', null), '');
    assert.equal(value('string', 'C:\\Temp\\a.7z'), 'C:\\Temp\\a.7z');
    assert.equal(value('string', 42), '42');
    assert.equal(value('string', true), 'true');
    assert.equal(value('string', { a: [1, 'x'] }), '{"a":[1,"x"]}');
  });

  test('datetime: ISO text with 7 fractional digits, Date objects; numbers refused', () => {
    assert.equal(value('datetime', '2022-11-07T16:45:21.2119114Z'), ticks('2022-11-07T16:45:21.211Z', 9114n));
    assert.equal(value('datetime', new Date(Date.UTC(2026, 10, 27, 10))), ticks('2026-11-27T10:00:00Z'));
    assert.equal(value('datetime', ''), null);
    assert.equal(value('datetime', null), null);
    assert.match(error('datetime', 1764237600), /number, not datetime text/);
    assert.equal(error('datetime', 'yesterday'), 'not a datetime');
    assert.equal(error('datetime', new Date('nope')), 'an invalid Date');
  });

  test('long and int: integral numbers and integer text only', () => {
    assert.equal(value('long', 1234), 1234);
    assert.equal(value('long', ' -17 '), -17);
    assert.equal(value('long', ''), null);
    assert.equal(value('long', 12n), 12);
    assert.equal(error('long', 'abc'), 'not a long');
    assert.equal(error('long', 3.5), 'not an integer');
    assert.equal(error('long', '3.5'), 'not a long');
    assert.equal(error('long', true), 'not a long');
    assert.equal(value('int', '2147483647'), 2147483647);
    assert.equal(error('int', 2147483648), 'out of the int range');
  });

  test('real: numbers, numeric text and Kusto special values', () => {
    assert.equal(value('real', '1.5e3'), 1500);
    assert.equal(value('real', 7), 7);
    assert.equal(value('real', '-inf'), -Infinity);
    assert.ok(Number.isNaN(value('real', 'NaN')));
    assert.equal(error('real', '1,5'), 'not a real');
  });

  test('bool: true/false in any case and 1/0', () => {
    assert.equal(value('bool', 'True'), true);
    assert.equal(value('bool', 'FALSE'), false);
    assert.equal(value('bool', 1), true);
    assert.equal(value('bool', '0'), false);
    assert.equal(value('bool', false), false);
    assert.equal(value('bool', ''), null);
    assert.equal(error('bool', 'yes'), 'not a bool');
    assert.equal(error('bool', 2), 'not a bool');
  });

  test('dynamic: JSON values kept, JSON text parsed, other text kept as a string', () => {
    assert.deepEqual(value('dynamic', { k: [1, 2] }), { k: [1, 2] });
    assert.deepEqual(value('dynamic', '{"FileType":"Zip"}'), { FileType: 'Zip' });
    assert.deepEqual(value('dynamic', '[1,"a"]'), [1, 'a']);
    assert.equal(value('dynamic', 'plain text'), 'plain text');
    assert.equal(value('dynamic', ''), null);
    // Nested strings are not parsed again: only a top-level text is JSON.
    assert.deepEqual(value('dynamic', { inner: '{"x":1}' }), { inner: '{"x":1}' });
  });

  test('guid: canonical lower-case form; braces accepted', () => {
    assert.equal(value('guid', '{6E0D1B3A-1C2D-4E5F-8A9B-0C1D2E3F4A5B}'), '6e0d1b3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
    assert.equal(error('guid', '6e0d1b3a'), 'not a guid');
  });

  test('describeRaw shortens long values', () => {
    const text = describeRaw('x'.repeat(200));
    assert.equal(text.length, 60);
    assert.ok(text.endsWith('…'));
  });
});

describe('TypeGuesser', () => {
  test('JSON values: numbers, bools, objects, ISO datetimes; strings stay strings', () => {
    assert.equal(guess(false, 1, 2, null), 'long');
    assert.equal(guess(false, 1, 2.5), 'real');
    assert.equal(guess(false, true, false), 'bool');
    assert.equal(guess(false, { a: 1 }, 'x'), 'dynamic');
    assert.equal(guess(false, '2026-11-27T10:00:00Z', '2026-11-28 01:02:03.1234567'), 'datetime');
    assert.equal(guess(false, '12', '13'), 'string');
    assert.equal(guess(false, 1, 'a'), 'string');
    assert.equal(guess(false), 'string');
  });

  test('CSV text: numbers, bools, JSON and dates are recognised in text', () => {
    assert.equal(guess(true, '12', '-3', ''), 'long');
    assert.equal(guess(true, '12', '0.5'), 'real');
    assert.equal(guess(true, 'True', 'false'), 'bool');
    assert.equal(guess(true, '{"a":1}', '[2]'), 'dynamic');
    assert.equal(guess(true, '2026-11-27', '2026-11-27T10:00:00Z'), 'datetime');
    // A leading zero marks an identifier, not a number.
    assert.equal(guess(true, '007', '12'), 'string');
    // One value that is not an ISO datetime makes the column a string.
    assert.equal(guess(true, '2026-11-27T10:00:00Z', '27/11/2026'), 'string');
    assert.equal(guess(true, '99999999999999999999'), 'string');
  });

  test('JS rows: Date objects are datetimes', () => {
    assert.equal(guess(false, new Date(), new Date()), 'datetime');
  });
});

describe('TickValue (datetimes and timespans from typed sources such as Parquet)', () => {
  const when = new TickValue('datetime', ticks('2024-03-01T10:00:00.123Z', 4567n));
  const span = new TickValue('timespan', 90_000_000n);

  test('taken exactly by a column of its own type; Kusto text in string and dynamic columns', () => {
    assert.equal(value('datetime', when), ticks('2024-03-01T10:00:00.123Z', 4567n));
    assert.equal(value('timespan', span), 90_000_000n);
    assert.equal(value('string', when), '2024-03-01T10:00:00.1234567Z');
    assert.equal(value('dynamic', span), '00:00:09');
    assert.equal(describeRaw(when), 'datetime(2024-03-01T10:00:00.1234567Z)');
  });

  test('refused by a column of the other time type and by numbers', () => {
    assert.equal(error('datetime', span), 'a timespan, not a datetime');
    assert.equal(error('timespan', when), 'a datetime, not a timespan');
    assert.equal(error('long', when), 'not a long');
  });
});
