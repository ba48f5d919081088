import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTelemetry } from '../generator/generate.js';
import { sharedPath } from '../testing/repo.js';
import { compareResults } from './compare.js';
import { runDuckdb, runOurs } from './engine-run.js';
import { BENCH_QUERIES } from './queries.js';

const NOW = '2026-11-28T00:00:00Z';
const corpus = sharedPath('corpus', 'defender-hunting-queries.jsonl');
// USB mounts meet files created on the mounted drive on few devices: at this size the join may be empty.
const MAY_BE_EMPTY = new Set(['corpus-usb-copy-join']);

// The hand-written SQL must keep returning what the KQL returns (rules change; this catches drift).
describe('benchmark queries: our engine and DuckDB agree on generated data', { skip: corpus ? false : 'needs ../shared/corpus' }, () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'stagehunt-bench-'));
    await generateTelemetry({ events: 6000, devices: 15, out: directory, format: 'ndjson' });
  });
  after(() => rm(directory, { recursive: true, force: true }));

  for (const query of BENCH_QUERIES) {
    test(query.id, async () => {
      const [ours, duckdb] = await Promise.all([runOurs(query.id, directory, NOW), runDuckdb(query.id, 'ndjson', directory, NOW)]);
      if (!MAY_BE_EMPTY.has(query.id)) assert.ok(ours.rows.length > 0, `${query.id} returns rows on the generated data`);
      const comparison = compareResults(ours, duckdb, query.checks);
      assert.equal(comparison.difference, '');
      assert.ok(comparison.match);
    });
  }
});
