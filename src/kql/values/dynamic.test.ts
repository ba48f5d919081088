import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareDynamic, dynamicEquals, dynamicIndex, dynamicKey, dynamicMember, dynamicToJson, dynamicToText, flattenDynamic,
  fromDynamic, normalizeGuid, parseDynamic, parseNumberText, toDynamic,
} from './dynamic.js';
import { TICKS_PER_DAY, TICKS_PER_HOUR } from './datetime.js';

describe('dynamic JSON', () => {
  test('compact printing', () => {
    assert.equal(dynamicToJson(['aa', 'bb']), '["aa","bb"]');
    assert.equal(dynamicToJson({ k: 1, n: null, a: [1, 5, 7] }), '{"k":1,"n":null,"a":[1,5,7]}');
    assert.equal(dynamicToJson('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(dynamicToJson([NaN, Infinity]), '["NaN","Infinity"]');
  });
  test('parseDynamic: JSON in, plain text stays a string', () => {
    assert.deepEqual(parseDynamic('{"a":[1,"x"]}'), { a: [1, 'x'] });
    assert.equal(parseDynamic('42'), 42);
    assert.equal(parseDynamic('not json'), 'not json');
    assert.equal(parseDynamic('null'), null);
  });
});

describe('dynamic indexing', () => {
  const arr = ['a', 'b', 'c'];
  test('positive, negative and out of range', () => {
    assert.equal(dynamicIndex(arr, 0), 'a');
    assert.equal(dynamicIndex(arr, -1), 'c');
    assert.equal(dynamicIndex(arr, -3), 'a');
    assert.equal(dynamicIndex(arr, 3), null);
    assert.equal(dynamicIndex(arr, -4), null);
    assert.equal(dynamicIndex('abc', 0), null);
    assert.equal(dynamicIndex(null, 0), null);
  });
  test('member access on bags only', () => {
    assert.equal(dynamicMember({ key: 5 }, 'key'), 5);
    assert.equal(dynamicIndex({ key: 5 }, 'key'), 5);
    assert.equal(dynamicMember({ key: 5 }, 'other'), null);
    assert.equal(dynamicMember(['key'], 'key'), null);
    assert.equal(dynamicMember({}, 'toString'), null);
  });
});

describe('typed scalars in and out of dynamic', () => {
  test('datetime and timespan become their Kusto strings', () => {
    assert.equal(toDynamic(20785n * TICKS_PER_DAY, 'datetime'), '2026-11-28T00:00:00.0000000Z'); // range-function.md: datetimes in dynamic have 7 digits
    assert.equal(toDynamic(TICKS_PER_HOUR, 'timespan'), '01:00:00');
    assert.equal(toDynamic(null, 'datetime'), null);
    assert.equal(toDynamic(3, 'long'), 3);
  });
  test('fromDynamic conversions', () => {
    assert.equal(fromDynamic('2026-11-28T00:00:00Z', 'datetime'), 20785n * TICKS_PER_DAY);
    assert.equal(fromDynamic('01:00:00', 'timespan'), TICKS_PER_HOUR);
    assert.equal(fromDynamic(2.7, 'long'), 2);
    assert.equal(fromDynamic('12', 'int'), 12);
    assert.equal(fromDynamic('x', 'int'), null);
    assert.equal(fromDynamic([1], 'long'), null);
    assert.equal(fromDynamic('zip', 'string'), 'zip');
    assert.equal(fromDynamic([1, 'a'], 'string'), '[1,"a"]');
    assert.equal(fromDynamic(null, 'string'), '');
    assert.equal(fromDynamic('TRUE', 'bool'), true);
    assert.equal(fromDynamic('AE3133F2-6E22-49AE-B06A-16E6A9B212EB', 'guid'), 'ae3133f2-6e22-49ae-b06a-16e6a9b212eb');
  });
  test('tostring of a dynamic string is its raw content', () => {
    assert.equal(dynamicToText('zip'), 'zip');
    assert.equal(dynamicToText({ a: 1 }), '{"a":1}');
    assert.equal(dynamicToText(null), '');
    assert.equal(dynamicToText(true), 'true');
  });
});

describe('equality, ordering and keys', () => {
  test('deep equality ignores key order', () => {
    assert.equal(dynamicEquals({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }), true);
    assert.equal(dynamicEquals([1, 2], [2, 1]), false);
    assert.equal(dynamicEquals(1, '1'), false);
    assert.equal(dynamicKey({ b: 1, a: 2 }), dynamicKey({ a: 2, b: 1 }));
  });
  test('ordering of comparable scalars only', () => {
    assert.equal(compareDynamic(1, 2), -1);
    assert.equal(compareDynamic('b', 'a'), 1);
    assert.equal(compareDynamic(1, 'a'), null);
    assert.equal(compareDynamic([1], [1]), null);
  });
  test('flattening nested arrays', () => {
    assert.deepEqual(flattenDynamic([1, [2, [3]], 'x']), [1, 2, 3, 'x']);
  });
  test('number and guid text', () => {
    assert.equal(parseNumberText(' 1.5e3 '), 1500);
    assert.equal(parseNumberText('0x1F'), 31);
    assert.equal(parseNumberText('1,5'), null);
    assert.ok(Number.isNaN(parseNumberText('NaN')));
    assert.equal(normalizeGuid('{AE3133F2-6E22-49AE-B06A-16E6A9B212EB}'), 'ae3133f2-6e22-49ae-b06a-16e6a9b212eb');
    assert.equal(normalizeGuid('ae3133f26e2249aeb06a16e6a9b212eb'), 'ae3133f2-6e22-49ae-b06a-16e6a9b212eb');
    assert.equal(normalizeGuid('not-a-guid'), null);
  });
});
