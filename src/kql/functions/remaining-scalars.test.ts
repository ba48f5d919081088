/**
 * bin_at, time-zone conversion, compression, punycode, hash_many / hash_combine, assert and
 * current_principal_is_member_of; expected values from the Kusto docs pages cited per test.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArgInfo } from './registry.js';
import { TICKS_PER_HOUR, parseDatetime } from '../values/datetime.js';
import { bindError, bindScalar, callScalar, resultType } from './test-support.js';
import { BUILTINS } from './builtins.js';

const dt = (text: string) => parseDatetime(text)!;
const hours = (n: number) => BigInt(n) * TICKS_PER_HOUR;

describe('bin_at (bin-at-function.md)', () => {
  test('numbers and timespans', () => {
    assert.equal(callScalar('bin_at', [[6.5, 'real'], [2.5, 'real'], [7, 'long']]), 4.5);
    assert.equal(callScalar('bin_at', [[hours(1), 'timespan'], [hours(24), 'timespan'], [hours(12), 'timespan']]), -hours(12));
    assert.equal(callScalar('bin_at', [[17, 'long'], [5, 'long'], [3, 'long']]), 13);
  });

  test('datetimes align on the fixed point, before or after the value', () => {
    assert.equal(callScalar('bin_at', [[dt('2017-05-15 10:20:00'), 'datetime'], [hours(24), 'timespan'], [dt('1970-01-01 12:00:00'), 'datetime']]), dt('2017-05-14 12:00:00'));
    assert.equal(callScalar('bin_at', [[dt('2017-05-17 10:20:00'), 'datetime'], [hours(24 * 7), 'timespan'], [dt('2017-06-04 00:00:00'), 'datetime']]), dt('2017-05-14 00:00:00'));
    const at = dt('2018-02-24 15:14:00');
    assert.equal(callScalar('bin_at', [[dt('2018-02-23T17:29'), 'datetime'], [hours(24), 'timespan'], [at, 'datetime']]), dt('2018-02-23T15:14'));
    assert.equal(callScalar('bin_at', [[dt('2018-02-24T15:24'), 'datetime'], [hours(24), 'timespan'], [at, 'datetime']]), dt('2018-02-24T15:14'));
  });

  test('types, a non-positive size and wrong arguments', () => {
    assert.equal(resultType(bindScalar('bin_at', ['int', 'int', 'int'])), 'long');
    assert.equal(resultType(bindScalar('bin_at', ['long', 'real', 'long'])), 'real');
    assert.equal(resultType(bindScalar('bin_at', ['datetime', 'timespan', 'datetime'])), 'datetime');
    assert.equal(callScalar('bin_at', [[5, 'long'], [0, 'long'], [1, 'long']]), null);
    assert.match(bindError(bindScalar('bin_at', ['timespan', 'timespan', 'datetime'])), /cannot bin/);
    assert.match(bindError(bindScalar('bin_at', ['datetime', 'timespan', 'long'])), /cannot bin/);
  });
});

describe('datetime_local_to_utc / datetime_utc_to_local (datetime-local-to-utc-function.md)', () => {
  const toUtc = (local: string, zone: string) => callScalar('datetime_local_to_utc', [[dt(local), 'datetime'], [zone, 'string']]);
  const toLocal = (utc: bigint, zone: string) => callScalar('datetime_utc_to_local', [[utc, 'datetime'], [zone, 'string']]);

  test('the docs table: Paris, Chicago and US/Pacific in winter', () => {
    assert.equal(toUtc('2020-02-02 20:02:20', 'Europe/Paris'), dt('2020-02-02 19:02:20'));
    assert.equal(toUtc('2020-02-02 20:02:20', 'America/Chicago'), dt('2020-02-03 02:02:20'));
    assert.equal(toUtc('2020-02-02 20:02:20', 'US/Pacific'), dt('2020-02-03 04:02:20'));
  });

  test('across the spring-forward gap in Europe/Brussels, 2022-03-27', () => {
    assert.equal(toUtc('2022-03-27 01:00', 'Europe/Brussels'), dt('2022-03-27 00:00'));
    assert.equal(toUtc('2022-03-27 02:00', 'Europe/Brussels'), dt('2022-03-27 00:00'), 'a skipped time takes the later offset');
    assert.equal(toUtc('2022-03-27 03:00', 'Europe/Brussels'), dt('2022-03-27 01:00'));
    assert.equal(toUtc('2022-03-27 04:00', 'Europe/Brussels'), dt('2022-03-27 02:00'));
    assert.equal(toLocal(dt('2022-03-27 00:00'), 'Europe/Brussels'), dt('2022-03-27 01:00'));
    assert.equal(toLocal(dt('2022-03-27 02:00'), 'Europe/Brussels'), dt('2022-03-27 04:00'));
  });

  test('an ambiguous fall-back time is read as standard time; sub-second ticks are kept', () => {
    assert.equal(toUtc('2022-10-30 02:30', 'Europe/Brussels'), dt('2022-10-30 01:30'));
    assert.equal(toUtc('2022-07-01 12:00:00.1234567', 'Asia/Kolkata'), dt('2022-07-01 06:30:00.1234567'));
  });

  test('an unknown zone gives null', () => {
    assert.equal(toUtc('2020-01-01', 'Mars/Olympus'), null);
    assert.equal(toLocal(dt('2020-01-01'), ''), null);
    assert.match(bindError(bindScalar('datetime_local_to_utc', ['string', 'string'])), /argument 1 must be datetime/);
  });
});

describe('zlib and gzip to/from base64', () => {
  test('the docs examples, byte for byte', () => {
    assert.equal(callScalar('zlib_decompress_from_base64_string', [['eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=', 'string']]), 'Test string 123');
    assert.equal(callScalar('zlib_compress_to_base64_string', [['1234567890qwertyuiop', 'string']]), 'eAEBFADr/zEyMzQ1Njc4OTBxd2VydHl1aW9wOAkGdw==');
    const gzipped = 'H4sIAAAAAAAA/wEUAOv/MTIzNDU2Nzg5MHF3ZXJ0eXVpb3A6m7f2FAAAAA==';
    assert.equal(callScalar('gzip_compress_to_base64_string', [['1234567890qwertyuiop', 'string']]), gzipped);
    assert.equal(callScalar('gzip_decompress_from_base64_string', [[gzipped, 'string']]), '1234567890qwertyuiop');
  });

  test('invalid input gives an empty string', () => {
    assert.equal(callScalar('zlib_decompress_from_base64_string', [['x0x0x0', 'string']]), '');
    assert.equal(callScalar('gzip_decompress_from_base64_string', [['x0x0x0', 'string']]), '');
    assert.equal(callScalar('gzip_decompress_from_base64_string', [['eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4=', 'string']]), '', 'zlib is not gzip');
    const notUtf8 = Buffer.from([0x78, 0x01, 0x01, 0x01, 0x00, 0xfe, 0xff, 0xff, 0x00, 0xff, 0x00, 0xff]).toString('base64');
    assert.equal(callScalar('zlib_decompress_from_base64_string', [[notUtf8, 'string']]), '');
  });

  test('round trips of non-ASCII text', () => {
    const text = 'Größe — 艺术 🎨';
    const z = callScalar('zlib_compress_to_base64_string', [[text, 'string']]) as string;
    assert.equal(callScalar('zlib_decompress_from_base64_string', [[z, 'string']]), text);
    const g = callScalar('gzip_compress_to_base64_string', [[text, 'string']]) as string;
    assert.equal(callScalar('gzip_decompress_from_base64_string', [[g, 'string']]), text);
  });
});

describe('punycode', () => {
  test('the docs examples (punycode-from-string / punycode-to-string)', () => {
    assert.equal(callScalar('punycode_from_string', [['académie-française', 'string']]), 'acadmie-franaise-npb1a');
    assert.equal(callScalar('punycode_to_string', [['acadmie-franaise-npb1a', 'string']]), 'académie-française');
    assert.equal(callScalar('punycode_from_string', [['艺术', 'string']]), 'cqv902d');
  });

  test('RFC 3492 / IDNA samples and invalid input', () => {
    assert.equal(callScalar('punycode_from_string', [['bücher', 'string']]), 'bcher-kva');
    assert.equal(callScalar('punycode_to_string', [['bcher-kva', 'string']]), 'bücher');
    assert.equal(callScalar('punycode_from_string', [['ascii', 'string']]), 'ascii-');
    assert.equal(callScalar('punycode_to_string', [['cqv902d', 'string']]), '艺术');
    assert.equal(callScalar('punycode_to_string', [['abc-!!', 'string']]), '');
    assert.equal(callScalar('punycode_to_string', [['ü-abc', 'string']]), '', 'the basic part must be ASCII');
  });

  test('whole domains', () => {
    assert.equal(callScalar('punycode_domain_from_string', [['bücher.艺术.com', 'string']]), 'xn--bcher-kva.xn--cqv902d.com');
    assert.equal(callScalar('punycode_domain_to_string', [['xn--bcher-kva.XN--cqv902d.com', 'string']]), 'bücher.艺术.com');
  });
});

describe('hash_many / hash_combine (hash-many-function.md, hash-combine-function.md)', () => {
  const hashOf = (s: string) => callScalar('hash', [[s, 'string']]) as number;

  test('hash_many(a, b) = hash_combine(hash(a), hash(b)); order matters', () => {
    const many = callScalar('hash_many', [['Hello', 'string'], ['World', 'string']]);
    assert.equal(callScalar('hash_combine', [[hashOf('Hello'), 'long'], [hashOf('World'), 'long']]), many);
    assert.notEqual(callScalar('hash_many', [['World', 'string'], ['Hello', 'string']]), many);
    assert.equal(typeof many, 'number');
  });

  test('any value types, nulls, arity', () => {
    assert.equal(typeof callScalar('hash_many', [[1, 'long'], [true, 'bool'], [dt('2020-01-01'), 'datetime']]), 'number');
    assert.equal(callScalar('hash_many', [['a', 'string'], [null, 'long']]), null);
    assert.match(bindError(bindScalar('hash_combine', ['long'])), /at least 2|between 2/);
    assert.match(bindError(bindScalar('hash_combine', ['long', 'string'])), /argument 2 must be an integer/);
  });
});

describe('assert and current_principal_is_member_of', () => {
  test('assert(true, m) is true; a false or null condition fails the query with the message (assert-function.md)', () => {
    assert.equal(callScalar('assert', [[true, 'bool'], ['m', 'string']]), true);
    const fn = BUILTINS.scalar('assert')!;
    const infos: ArgInfo[] = [{ type: 'bool' }, { type: 'string', constant: { value: 'Length must be greater than zero' } }];
    const kernel = fn.prepare(infos, { now: 0n });
    assert.throws(() => kernel([false, 'Length must be greater than zero']), /assert\(\) has failed with message: 'Length must be greater than zero'/);
    assert.throws(() => kernel([null, '']), /assert\(\) has failed/);
    assert.match(bindError(fn.bind([{ type: 'bool' }, { type: 'string' }])), /argument 2 must be a constant/);
    assert.match(bindError(fn.bind([{ type: 'long' }, infos[1]!])), /argument 1 must be bool/);
  });

  test('current_principal_is_member_of is false offline (current-principal-is-member-of-function.md)', () => {
    assert.equal(callScalar('current_principal_is_member_of', [['aaduser=user1@fabrikam.com', 'string'], ['aadgroup=group1@fabrikam.com', 'string']]), false);
    assert.equal(callScalar('current_principal_is_member_of', [[['aaduser=user1@fabrikam.com'], 'dynamic']]), false);
    const fn = BUILTINS.scalar('current_principal_is_member_of')!;
    assert.match(bindError(fn.bind([{ type: 'string' }])), /must be a constant/);
    assert.match(bindError(fn.bind([{ type: 'dynamic', constant: { value: [1] } }])), /array of strings/);
    assert.match(bindError(fn.bind([{ type: 'long', constant: { value: 1 } }])), /string or dynamic/);
  });
});
