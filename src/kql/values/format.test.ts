import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPlainNumber, formatReal, valueToJson, valueToText } from './format.js';
import { TICKS_PER_DAY, TICKS_PER_SECOND } from './datetime.js';

const NOV_28_2026 = 20785n * TICKS_PER_DAY;

describe('valueToJson', () => {
  test('every type', () => {
    assert.equal(valueToJson(NOV_28_2026 + 1_230_000n, 'datetime'), '2026-11-28T00:00:00.123Z');
    assert.equal(valueToJson(TICKS_PER_DAY + TICKS_PER_SECOND, 'timespan'), '1.00:00:01');
    assert.equal(valueToJson(5, 'long'), 5);
    assert.equal(valueToJson(1.5, 'real'), 1.5);
    assert.equal(valueToJson(NaN, 'real'), 'NaN');
    assert.equal(valueToJson(-Infinity, 'real'), '-Infinity');
    assert.equal(valueToJson(true, 'bool'), true);
    assert.equal(valueToJson(null, 'string'), '');
    assert.equal(valueToJson('x', 'string'), 'x');
    assert.equal(valueToJson(null, 'guid'), null);
    assert.deepEqual(valueToJson(['a', { b: 1 }], 'dynamic'), ['a', { b: 1 }]);
    assert.equal(valueToJson(null, 'dynamic'), null);
    assert.equal(valueToJson(null, 'datetime'), null);
    assert.equal(valueToJson(null, 'long'), null);
  });
});

describe('valueToText (tostring)', () => {
  test('every type', () => {
    assert.equal(valueToText(null, 'long'), '');
    assert.equal(valueToText(null, 'dynamic'), '');
    assert.equal(valueToText('zip', 'dynamic'), 'zip');
    assert.equal(valueToText(['a', 'b'], 'dynamic'), '["a","b"]');
    assert.equal(valueToText(true, 'bool'), 'true');
    assert.equal(valueToText(42, 'int'), '42');
    assert.equal(valueToText(NOV_28_2026, 'datetime'), '2026-11-28T00:00:00Z');
    assert.equal(valueToText(-TICKS_PER_SECOND, 'timespan'), '-00:00:01');
    assert.equal(valueToText(1.5, 'real'), '1.5');
  });
});

describe('formatReal (.NET double printing)', () => {
  const cases: [number, string][] = [
    [1.5, '1.5'], [5, '5'], [-0.25, '-0.25'], [0, '0'],
    [1e14, '100000000000000'], [1e15, '1E+15'], [1e20, '1E+20'], [123456789012345680000, '1.2345678901234568E+20'],
    [0.0001, '0.0001'], [0.00001, '1E-05'], [-1.5e-7, '-1.5E-07'], [1e-300, '1E-300'],
    [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [1 / 3, '0.3333333333333333'],
  ];
  for (const [n, text] of cases) test(`${n} → ${text}`, () => assert.equal(formatReal(n), text));
  test('plain numbers never use exponents', () => {
    assert.equal(formatPlainNumber(1e21), '1000000000000000000000');
    assert.equal(formatPlainNumber(1.5e-7), '0.00000015');
  });
});
