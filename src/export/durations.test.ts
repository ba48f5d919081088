import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isoDuration, sentinelDuration } from './durations.js';

describe('sentinelDuration', () => {
  test('takes the largest unit that divides the span', () => {
    assert.equal(sentinelDuration('24h'), '1d');
    assert.equal(sentinelDuration('1h'), '1h');
    assert.equal(sentinelDuration('36h'), '36h');
    assert.equal(sentinelDuration('90m'), '90m');
    assert.equal(sentinelDuration('120m'), '2h');
    assert.equal(sentinelDuration('14d'), '14d');
  });

  test('rejects what rule.yaml cannot hold', () => {
    assert.throws(() => sentinelDuration('1w'), /not a timespan: 1w/);
    assert.throws(() => sentinelDuration('h'), /not a timespan/);
  });
});

describe('isoDuration', () => {
  test('splits days, hours and minutes', () => {
    assert.equal(isoDuration('1h'), 'PT1H');
    assert.equal(isoDuration('24h'), 'P1D');
    assert.equal(isoDuration('1d'), 'P1D');
    assert.equal(isoDuration('36h'), 'P1DT12H');
    assert.equal(isoDuration('90m'), 'PT1H30M');
    assert.equal(isoDuration('5m'), 'PT5M');
    assert.equal(isoDuration('0m'), 'PT0M');
  });

  test('rejects what rule.yaml cannot hold', () => {
    assert.throws(() => isoDuration('5s'), /not a timespan: 5s/);
  });
});
