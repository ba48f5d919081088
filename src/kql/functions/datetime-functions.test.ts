/** Date and time functions; expected values from each function's Kusto docs page (cited per test). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND, parseDatetime } from '../values/datetime.js';
import { BUILTINS } from './builtins.js';
import { bindError, bindScalar, callScalar, resultType } from './test-support.js';

const dt = (text: string): [bigint, 'datetime'] => [parseDatetime(text)!, 'datetime'];
const at = (text: string) => parseDatetime(text)!;
const s = (v: string): [string, 'string'] => [v, 'string'];
const l = (v: number): [number, 'long'] => [v, 'long'];

describe('start and end of periods', () => {
  test('endofday / endofmonth / endofyear with offsets (endofday, endofmonth, endofyear docs)', () => {
    const d = dt('2017-01-01 10:10:17');
    assert.equal(callScalar('endofday', [d, l(-1)]), at('2016-12-31 23:59:59.9999999'));
    assert.equal(callScalar('endofday', [d, l(1)]), at('2017-01-02 23:59:59.9999999'));
    assert.equal(callScalar('endofmonth', [d, l(-1)]), at('2016-12-31 23:59:59.9999999'));
    assert.equal(callScalar('endofmonth', [d]), at('2017-01-31 23:59:59.9999999'));
    assert.equal(callScalar('endofmonth', [d, l(1)]), at('2017-02-28 23:59:59.9999999'));
    assert.equal(callScalar('endofyear', [d, l(1)]), at('2018-12-31 23:59:59.9999999'));
  });
  test('startofweek starts on Sunday; startofmonth / startofyear (startofweek, startofmonth, startofyear docs)', () => {
    const d = dt('2017-01-01 10:10:17'); // a Sunday
    assert.equal(callScalar('startofweek', [d, l(-1)]), at('2016-12-25'));
    assert.equal(callScalar('startofweek', [d]), at('2017-01-01'));
    assert.equal(callScalar('startofweek', [d, l(1)]), at('2017-01-08'));
    assert.equal(callScalar('endofweek', [d]), at('2017-01-07 23:59:59.9999999'));
    assert.equal(callScalar('startofmonth', [d, l(-1)]), at('2016-12-01'));
    assert.equal(callScalar('startofmonth', [d, l(1)]), at('2017-02-01'));
    assert.equal(callScalar('startofyear', [d, l(-1)]), at('2016-01-01'));
  });
  test('a result outside 0001–9999 is null', () => {
    assert.equal(callScalar('startofyear', [dt('9999-06-01'), l(1)]), null);
    assert.equal(callScalar('startofday', [dt('0001-01-01'), l(-1)]), null);
  });
});

describe('calendar parts', () => {
  test('single parts (dayofweek, dayofmonth, dayofyear, hourofday, getmonth, getyear, monthofyear, weekofyear docs)', () => {
    assert.equal(callScalar('dayofweek', [dt('1947-11-30 10:00:05')]), 0n, 'a Sunday');
    assert.equal(callScalar('dayofweek', [dt('1970-05-11')]), TICKS_PER_DAY, 'a Monday');
    assert.equal(callScalar('dayofmonth', [dt('2015-12-14')]), 14);
    assert.equal(callScalar('dayofyear', [dt('2015-12-14')]), 348);
    assert.equal(callScalar('hourofday', [dt('2015-12-14 18:54')]), 18);
    assert.equal(callScalar('getmonth', [dt('2015-10-12')]), 10);
    assert.equal(callScalar('monthofyear', [dt('2015-12-14')]), 12);
    assert.equal(callScalar('getyear', [dt('2015-10-12')]), 2015);
    assert.equal(callScalar('weekofyear', [dt('2020-12-31')]), 53);
    assert.equal(callScalar('week_of_year', [dt('2021-01-01')]), 53, 'ISO 8601: Jan 1st 2021 is in week 53 of 2020');
    assert.equal(callScalar('week_of_year', [dt('2021-01-04')]), 1);
    assert.equal(resultType(bindScalar('hourofday', ['datetime'])), 'int');
    assert.equal(resultType(bindScalar('dayofweek', ['datetime'])), 'timespan');
  });
  test('datetime_part (datetime-part-function.md)', () => {
    const d = dt('2017-10-30 01:02:03.7654321');
    const parts: [string, number][] = [
      ['year', 2017], ['quarter', 4], ['month', 10], ['week_of_year', 44], ['day', 30], ['dayOfYear', 303], ['hour', 1],
      ['minute', 2], ['second', 3], ['millisecond', 765], ['microsecond', 765432], ['nanosecond', 765432100],
    ];
    for (const [part, expected] of parts) assert.equal(callScalar('datetime_part', [s(part), d]), expected, part);
    const fn = BUILTINS.scalar('datetime_part')!;
    assert.match(bindError(fn.bind([{ type: 'string', constant: { value: 'fortnight' } }, { type: 'datetime' }])), /unknown period 'fortnight'/);
  });
});

describe('datetime arithmetic', () => {
  test('datetime_add (datetime-add-function.md)', () => {
    const d = dt('2017-01-01');
    const cases: [string, number, string][] = [
      ['year', 1, '2018-01-01'], ['quarter', 1, '2017-04-01'], ['month', 1, '2017-02-01'], ['week', 1, '2017-01-08'],
      ['day', 1, '2017-01-02'], ['hour', 1, '2017-01-01 01:00'], ['minute', 1, '2017-01-01 00:01'], ['second', 1, '2017-01-01 00:00:01'],
      ['year', -5, '2012-01-01'], ['quarter', 12, '2020-01-01'], ['month', -15, '2015-10-01'], ['week', 100, '2018-12-02'],
    ];
    for (const [unit, amount, expected] of cases) assert.equal(callScalar('datetime_add', [s(unit), l(amount), d]), at(expected), `${unit} ${amount}`);
    assert.equal(callScalar('datetime_add', [s('month'), l(1), dt('2017-01-31')]), at('2017-02-28'), 'AddMonths clamps the day');
    assert.equal(callScalar('datetime_add', [s('year'), l(1), dt('9999-01-01')]), null);
  });
  test('datetime_diff (datetime-diff-function.md)', () => {
    const cases: [string, string, string, number][] = [
      ['year', '2017-01-01', '2000-12-31', 17],
      ['quarter', '2017-07-01', '2017-03-30', 2],
      ['month', '2017-01-01', '2015-12-30', 13],
      ['week', '2017-10-29 00:00', '2017-09-30 23:59', 5],
      ['day', '2017-10-29 00:00', '2017-09-30 23:59', 29],
      ['hour', '2017-10-31 01:00', '2017-10-30 23:59', 2],
      ['minute', '2017-10-30 23:05:01', '2017-10-30 23:00:59', 5],
      ['second', '2017-10-30 23:00:10.100', '2017-10-30 23:00:00.900', 10],
      ['millisecond', '2017-10-30 23:00:00.200100', '2017-10-30 23:00:00.100900', 100],
      ['microsecond', '2017-10-30 23:00:00.1009001', '2017-10-30 23:00:00.1008009', 100],
      ['nanosecond', '2017-10-30 23:00:00.0000000', '2017-10-30 23:00:00.0000007', -700],
    ];
    for (const [unit, a, b, expected] of cases) assert.equal(callScalar('datetime_diff', [s(unit), dt(a), dt(b)]), expected, unit);
    assert.equal(resultType(bindScalar('datetime_diff', ['string', 'datetime', 'datetime'])), 'long');
    assert.match(bindError(bindScalar('datetime_diff', ['string', 'datetime', 'long'])), /argument 3 must be datetime/);
  });
  test('make_datetime and make_timespan (make-datetime-function.md, make-timespan-function.md)', () => {
    assert.equal(callScalar('make_datetime', [l(2017), l(10), l(1)]), at('2017-10-01'));
    assert.equal(callScalar('make_datetime', [l(2017), l(10), l(1), l(12), l(10)]), at('2017-10-01 12:10'));
    assert.equal(callScalar('make_datetime', [l(2017), l(10), l(1), l(12), l(11), [0.1234567, 'real']]), at('2017-10-01 12:11:00.1234567'));
    assert.equal(callScalar('make_datetime', [l(2017), l(2), l(30)]), null, 'an invalid date is null');
    assert.equal(callScalar('make_timespan', [l(1), l(12), l(30), [55.123, 'real']]),
      TICKS_PER_DAY + 12n * TICKS_PER_HOUR + 30n * TICKS_PER_MINUTE + 55n * TICKS_PER_SECOND + 1_230_000n);
    assert.equal(callScalar('make_timespan', [l(2), l(30)]), 2n * TICKS_PER_HOUR + 30n * TICKS_PER_MINUTE);
  });
  test('unixtime_*_todatetime (unixtime-*-todatetime docs: all give 2019-01-01)', () => {
    const expected = at('2019-01-01');
    assert.equal(callScalar('unixtime_seconds_todatetime', [l(1546300800)]), expected);
    assert.equal(callScalar('unixtime_milliseconds_todatetime', [l(1546300800000)]), expected);
    assert.equal(callScalar('unixtime_microseconds_todatetime', [l(1546300800000000)]), expected);
    assert.equal(callScalar('unixtime_nanoseconds_todatetime', [l(1546300800000000000)]), expected);
    assert.equal(callScalar('unixtime_seconds_todatetime', [[1546300800.5, 'real']]), expected + 5_000_000n);
    assert.equal(callScalar('unixtime_seconds_todatetime', [l(1e15)]), null, 'past 9999 → null');
  });
});

describe('around', () => {
  test('around (around-function.md): 01:29, 01:30 and 01:31 are around 01:30 within 1min', () => {
    const center = dt('2021-01-01 01:30');
    const minute: [bigint, 'timespan'] = [TICKS_PER_MINUTE, 'timespan'];
    assert.equal(callScalar('around', [dt('2021-01-01 01:29'), center, minute]), true);
    assert.equal(callScalar('around', [dt('2021-01-01 01:31'), center, minute]), true);
    assert.equal(callScalar('around', [dt('2021-01-01 01:32'), center, minute]), false);
    assert.equal(callScalar('around', [[1.5, 'real'], [1, 'long'], [0.5, 'real']]), true);
    assert.equal(callScalar('around', [[null, 'long'], [1, 'long'], [1, 'long']]), null);
    assert.match(bindError(bindScalar('around', ['datetime', 'datetime', 'long'])), /around\(\): expects numbers/);
  });
});

describe('format_datetime / format_timespan', () => {
  test('format_datetime (format-datetime-function.md)', () => {
    const d = dt('2017-01-29 09:00:05');
    assert.equal(callScalar('format_datetime', [d, s('yy-MM-dd [HH:mm:ss]')]), '17-01-29 [09:00:05]');
    assert.equal(callScalar('format_datetime', [d, s('yyyy-M-dd [H:mm:ss]')]), '2017-1-29 [9:00:05]');
    assert.equal(callScalar('format_datetime', [d, s('yy-MM-dd [hh:mm:ss tt]')]), '17-01-29 [09:00:05 AM]');
    assert.equal(callScalar('format_datetime', [dt('2017-01-29 21:00:05.12'), s('h:mm tt, fff|FFF')]), '9:00 PM, 120|12');
    assert.equal(callScalar('format_datetime', [d, s('HH:mm:ss.FFF')]), '09:00:05', 'a zero F fraction drops its dot');
  });
  test('format_timespan (format-timespan-function.md)', () => {
    const t: [bigint, 'timespan'] = [29n * TICKS_PER_DAY + 9n * TICKS_PER_HOUR + 5n * TICKS_PER_SECOND + 1_234_500n, 'timespan'];
    assert.equal(callScalar('format_timespan', [t, s('dd.hh:mm:ss:FF')]), '29.09:00:05:12');
    assert.equal(callScalar('format_timespan', [t, s('ddd.h:mm:ss [fffffff]')]), '029.9:00:05 [1234500]');
  });
  test('an unsupported specifier is a bind error for a constant format', () => {
    const fn = BUILTINS.scalar('format_datetime')!;
    assert.match(bindError(fn.bind([{ type: 'datetime' }, { type: 'string', constant: { value: 'yyyy-QQ' } }])), /unsupported format specifier 'QQ'/);
    assert.match(bindError(bindScalar('format_timespan', ['datetime', 'string'])), /argument 1 must be timespan/);
  });
});
