import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_DATETIME_TICKS, MIN_DATETIME_TICKS, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_SECOND, civilFromDays, daysFromCivil,
  formatDatetime, formatTimespan, fractionToTicks, parseDatetime, parseTimespan,
} from './datetime.js';

// 2026-11-28T00:00:00Z = 20785 days after 1970-01-01 (56 years incl. 14 leap days = 20454, + 331 days in 2026).
const NOV_28_2026 = 20785n * TICKS_PER_DAY;
const TEN_AM = NOV_28_2026 + 10n * TICKS_PER_HOUR;

describe('calendar arithmetic', () => {
  test('epoch and known days', () => {
    assert.equal(daysFromCivil(1970, 1, 1), 0n);
    assert.equal(daysFromCivil(2000, 3, 1), 11017n);
    assert.equal(daysFromCivil(2026, 11, 28), 20785n);
    assert.equal(daysFromCivil(1969, 12, 31), -1n);
    assert.deepEqual(civilFromDays(-1n), { year: 1969, month: 12, day: 31 });
    assert.deepEqual(civilFromDays(11016n), { year: 2000, month: 2, day: 29 });
  });
  test('range constants', () => {
    // .NET: DateTime.MinValue.Ticks = 0 and the Unix epoch is 621355968000000000 ticks later.
    assert.equal(MIN_DATETIME_TICKS, -621355968000000000n);
    assert.equal(MAX_DATETIME_TICKS, 3155378975999999999n - 621355968000000000n);
  });
});

describe('parseDatetime', () => {
  const cases: [string, bigint | null][] = [
    ['2026-11-28T10:00:00Z', TEN_AM],
    ['2026-11-28T10:00:00.1234567Z', TEN_AM + 1234567n],
    ['2026-11-28 10:00:00.5', TEN_AM + 5_000_000n],
    ['2026-11-28', NOV_28_2026],
    ['2026-11-28 10:00', TEN_AM],
    ['2026-11-28T10:00Z', TEN_AM],
    ['2026-11-28T12:00:00+02:00', TEN_AM],
    ['2026-11-28T08:30:00-0130', TEN_AM],
    ['2026/11/28 10:00:00', TEN_AM],
    ['Sat, 28 Nov 2026 10:00:00 GMT', TEN_AM],
    ['28 Nov 2026', NOV_28_2026],
    ['11/28/2026, 10:00:00.123 AM', TEN_AM + 1_230_000n],
    ['11/28/2026 10:00:00 PM', TEN_AM + 12n * TICKS_PER_HOUR],
    ['11/28/2026, 12:00:00 AM', NOV_28_2026],
    ['11/28/2026, 12:00:00 PM', NOV_28_2026 + 12n * TICKS_PER_HOUR],
    ['11-28-2026', NOV_28_2026],
    ['12-02-2022', daysFromCivil(2022, 12, 2) * TICKS_PER_DAY],
    ['Nov 28, 2026 10:00:00 AM', TEN_AM],
    ['  2026-11-28T10:00:00Z  ', TEN_AM],
    ['2024-02-29', daysFromCivil(2024, 2, 29) * TICKS_PER_DAY],
    ['0001-01-01', MIN_DATETIME_TICKS],
    ['9999-12-31T23:59:59.9999999Z', MAX_DATETIME_TICKS],
  ];
  for (const [text, expected] of cases) test(text, () => assert.equal(parseDatetime(text), expected));

  test('more than 7 fractional digits round half to even at the 8th digit', () => {
    assert.equal(parseDatetime('2026-11-28T10:00:00.12345678Z'), TEN_AM + 1234568n);
    assert.equal(parseDatetime('2026-11-28T10:00:00.12345674Z'), TEN_AM + 1234567n);
    assert.equal(parseDatetime('2026-11-28T10:00:00.12345665Z'), TEN_AM + 1234566n);
    assert.equal(parseDatetime('2026-11-28T10:00:00.99999999Z'), TEN_AM + TICKS_PER_SECOND);
  });

  const invalid = ['', 'yesterday', '2026-02-29', '2026-13-01', '2026-11-31', '2026-11-28T24:00:00Z', '2026-11-28T10:60',
    '13/28/2026', '11/28-2026', '11/28/2026 13:00:00 PM', '2026-11-28T10:00:00+15:00', '10000-01-01', '0000-12-31', 'Foo 28, 2026'];
  for (const text of invalid) test(`rejects ${JSON.stringify(text)}`, () => assert.equal(parseDatetime(text), null));
});

describe('formatDatetime', () => {
  test('trims trailing fractional zeros and omits a zero fraction', () => {
    assert.equal(formatDatetime(TEN_AM), '2026-11-28T10:00:00Z');
    assert.equal(formatDatetime(TEN_AM + 1234567n), '2026-11-28T10:00:00.1234567Z');
    assert.equal(formatDatetime(TEN_AM + 1_230_000n), '2026-11-28T10:00:00.123Z');
    assert.equal(formatDatetime(TEN_AM + 1n), '2026-11-28T10:00:00.0000001Z');
  });
  test('years before the epoch and four-digit years', () => {
    assert.equal(formatDatetime(-1n), '1969-12-31T23:59:59.9999999Z');
    assert.equal(formatDatetime(MIN_DATETIME_TICKS), '0001-01-01T00:00:00Z');
    assert.equal(formatDatetime(MAX_DATETIME_TICKS), '9999-12-31T23:59:59.9999999Z');
  });
  test('round-trips exactly through parse', () => {
    for (const ticks of [0n, TEN_AM + 9999999n, -621355968000000000n + 1n, 1234567890123456789n]) {
      assert.equal(parseDatetime(formatDatetime(ticks)), ticks);
    }
  });
});

describe('timespans', () => {
  const parsed: [string, bigint | null][] = [
    ['00:00:00', 0n],
    ['01:30', 90n * 60n * TICKS_PER_SECOND],
    ['1.00:00:01.0010001', TICKS_PER_DAY + TICKS_PER_SECOND + 10001n],
    ['-2.00:00:02.0020002', -(2n * TICKS_PER_DAY + 2n * TICKS_PER_SECOND + 20002n)],
    ['0.12:34:56.7', (12n * 3600n + 34n * 60n + 56n) * TICKS_PER_SECOND + 7_000_000n],
    ['1d', TICKS_PER_DAY],
    ['24h', TICKS_PER_DAY],
    ['1.5h', 90n * 60n * TICKS_PER_SECOND],
    ['30m', 30n * 60n * TICKS_PER_SECOND],
    ['0.1s', 1_000_000n],
    ['100ms', 1_000_000n],
    ['10microseconds', 100n],
    ['1tick', 1n],
    ['250nanoseconds', 3n], // 2.5 ticks rounds half up
    ['2', 2n * TICKS_PER_DAY],
    ['-1d', -TICKS_PER_DAY],
    ['24:00:00', null],
    ['00:60:00', null],
    ['1w', null],
    ['abc', null],
    ['', null],
  ];
  for (const [text, expected] of parsed) test(`parse ${JSON.stringify(text)}`, () => assert.equal(parseTimespan(text), expected));

  test('format: [-][d.]hh:mm:ss[.fffffff] with a 7-digit fraction', () => {
    assert.equal(formatTimespan(0n), '00:00:00');
    assert.equal(formatTimespan(TICKS_PER_HOUR), '01:00:00');
    assert.equal(formatTimespan(365n * TICKS_PER_DAY), '365.00:00:00');
    assert.equal(formatTimespan(TICKS_PER_DAY + TICKS_PER_SECOND + 10011n), '1.00:00:01.0010011');
    assert.equal(formatTimespan(-(2n * TICKS_PER_DAY + 2n * TICKS_PER_SECOND + 20022n)), '-2.00:00:02.0020022');
    assert.equal(formatTimespan(5_000_000n), '00:00:00.5000000');
    assert.equal(formatTimespan(-1n), '-00:00:00.0000001');
  });
  test('fractionToTicks pads short fractions', () => {
    assert.equal(fractionToTicks(''), 0n);
    assert.equal(fractionToTicks('5'), 5_000_000n);
    assert.equal(fractionToTicks('0000001'), 1n);
  });
});
