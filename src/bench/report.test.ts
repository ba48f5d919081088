import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Manifest } from '../generator/generate.js';
import { falsePositives, markdownTable, ratio, targetVerdicts, type Measurement } from './report.js';

const GIB = 2 ** 30;

function run(query: string, format: Measurement['format'], size: number, ours: number, duckdb: number, oursRss = GIB, streaming = false): Measurement {
  return {
    query, format, size, inputEvents: size, inputBytes: size * 100, match: true, difference: '', streaming,
    ours: { seconds: ours, rows: 3, peakRssBytes: oursRss }, duckdb: { seconds: duckdb, rows: 3, peakRssBytes: GIB / 2 },
  };
}

describe('targets', () => {
  test('time ratios against 2× (text formats) and 4× (Parquet), seed RSS at 10M, streaming RSS growth', () => {
    const lines = targetVerdicts([
      run('seed-rule', 'ndjson', 1e6, 3, 2),
      run('improved-rule', 'csv', 1e6, 5, 2),
      run('seed-rule', 'parquet', 1e6, 3, 1),
      run('seed-rule', 'ndjson', 1e7, 30, 20, 1.2 * GIB),
      run('corpus-scm-tools-has-any', 'parquet', 1e6, 1, 1, 200 * 2 ** 20, true),
      run('corpus-scm-tools-has-any', 'parquet', 1e7, 9, 9, 210 * 2 ** 20, true),
    ]);
    assert.match(lines[0]!, /NDJSON and CSV.*\*\*not met\*\* \(1 of 3 runs over; .*improved-rule csv 1M: 2\.5×/);
    assert.match(lines[1]!, /Parquet.*\*\*met\*\* \(0 of 1 runs over/);
    assert.match(lines[2]!, /1\.5 GiB: \*\*met\*\* \(ndjson: 1\.20 GiB\)/);
    assert.match(lines[3]!, /streaming-only.*\*\*met\*\*.*200→210 MiB \(1\.05×\)/);
  });
  test('not measured when a run is missing; memory growth over 1.2× is not met', () => {
    const lines = targetVerdicts([
      run('corpus-scm-tools-has-any', 'ndjson', 1e6, 1, 1, 200 * 2 ** 20, true),
      run('corpus-scm-tools-has-any', 'ndjson', 1e7, 9, 9, 400 * 2 ** 20, true),
    ]);
    assert.match(lines[0]!, /not measured/);
    assert.match(lines[2]!, /10M events ≤ 1\.5 GiB: not measured/);
    assert.match(lines[3]!, /\*\*not met\*\*.*\(2\.00×\)/);
  });
  test('ratio and table cells; a failed run shows ERROR', () => {
    assert.equal(ratio(run('seed-rule', 'ndjson', 1e6, 3, 2)), 1.5);
    const failed: Measurement = { ...run('seed-rule', 'csv', 1e6, 1, 1), duckdb: undefined, error: 'duckdb: boom' };
    assert.equal(ratio(failed), undefined);
    const table = markdownTable([failed]);
    assert.match(table, /\| seed-rule \| csv \| 1,000,000 \| 1\.00 \| – \| – \|.*\| ERROR \|$/m);
  });
});

describe('false positives', () => {
  const manifest = {
    benignRows: 2_000_000,
    attacks: [{ id: 'attack-001', deviceName: 'wks-1', start: '2026-11-27T10:00:00.0000000Z', end: '2026-11-27T10:05:00.0000000Z' }],
  } as unknown as Manifest;
  test('alerts overlapping an attack on its device are the attack\'s; the rest count per million benign events', () => {
    const figure = falsePositives('improved-rule', 2e6, manifest, [
      { device: 'wks-1', first: '2026-11-27T10:04:00Z', last: '2026-11-27T10:30:00Z', severity: 'high' },
      { device: 'wks-1', first: '2026-11-27T11:00:00Z', last: '2026-11-27T11:00:00Z', severity: 'low' },
      { device: 'wks-2', first: '2026-11-27T10:01:00Z', last: '2026-11-27T10:01:00Z', severity: 'low' },
      { device: 'wks-3', first: '2026-11-27T10:01:00.5Z', last: '2026-11-27T10:01:00.5Z', severity: 'medium' },
    ]);
    assert.deepEqual(figure, {
      rule: 'improved-rule', size: 2e6, alerts: 4, attackAlerts: 1, benignAlerts: 3, benignEvents: 2_000_000,
      attacksDetected: 1, attacks: 1, benignBySeverity: { low: 2, medium: 1 },
    });
  });
  test('no alerts: nothing detected, no severity breakdown', () => {
    const figure = falsePositives('seed-rule', 2e6, manifest, []);
    assert.equal(figure.attacksDetected, 0);
    assert.equal(figure.benignBySeverity, undefined);
  });
});
