/**
 * End to end: the seed rule over one staging scenario (e2e-scenarios.ts) written three ways — Sysmon
 * event XML, flattened Sysmon JSON, and the equivalent Defender rows written by hand — must raise the
 * same alerts, over the normalised rows as JS tables. Also through the telemetry catalog, typed by the
 * schemas. end-to-end-formats.test.ts does the same for every source format through `data:`.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { repoPath } from '../testing/repo.js';
import { runQuery } from '../run-query.js';
import { executeQuery, type TableSource as EngineTables } from '../kql/index.js';
import { builtinSchema } from '../data/schemas.js';
import type { Batch } from '../kql/values/batch.js';
import { openTelemetryCatalog } from './catalog.js';
import { collect, tempFile } from './test-support.js';
import { parseEventTime } from './time.js';
import { asEventXml, asFlatJson, sysmonDefenderRows, sysmonScenario } from './e2e-scenarios.js';

const SEED = readFileSync(repoPath('rules', 't1074-seed', 'query.kql'), 'utf8');
const NOW = '2024-03-01T12:00:00Z';

async function rowsByTable(path: string): Promise<Record<string, object[]>> {
  const tables: Record<string, object[]> = {};
  for (const { table, row } of (await collect(path)).rows) (tables[table] ??= []).push(row);
  return tables;
}

async function alertsOver(tables: Record<string, object[]>): Promise<unknown[][]> {
  return (await runQuery(SEED, { tables, now: NOW })).rows;
}

describe('the seed rule over raw Sysmon sees what it sees over Defender rows', () => {
  test('Defender rows: 2 bulk-copy commands, 10 archives created, 1 bulk-staging group', async () => {
    const alerts = await alertsOver(sysmonDefenderRows());
    const types = alerts.map((row) => row.find((v) => typeof v === 'string' && /^(BulkFileStaging|ArchiveCreated|BulkCopyCommand)$/.test(v)));
    assert.deepEqual(
      types.reduce<Record<string, number>>((acc, t) => ({ ...acc, [String(t)]: (acc[String(t)] ?? 0) + 1 }), {}),
      { ArchiveCreated: 10, BulkFileStaging: 1, BulkCopyCommand: 2 },
    );
  });

  test('Sysmon event XML', async () => {
    const raw = await rowsByTable(tempFile('scenario.xml', asEventXml(sysmonScenario())));
    assert.deepEqual(await alertsOver(raw), await alertsOver(sysmonDefenderRows()));
  });

  test('flattened Sysmon JSON', async () => {
    const raw = await rowsByTable(tempFile('scenario.json', asFlatJson(sysmonScenario())));
    assert.deepEqual(await alertsOver(raw), await alertsOver(sysmonDefenderRows()));
  });

  test('through the telemetry catalog (the --data path): typed rows, same alerts', async () => {
    const files = [tempFile('scenario.xml', asEventXml(sysmonScenario()))];
    const warnings: string[] = [];
    const catalog = await openTelemetryCatalog(files, { onWarning: (w) => warnings.push(w) });
    assert.deepEqual(catalog.tableNames().sort(), ['DeviceFileEvents', 'DeviceNetworkEvents', 'DeviceProcessEvents']);
    const tables: EngineTables = {
      tableSchema: (name) => catalog.table(name)?.schema ?? builtinSchema(name),
      tableNames: () => catalog.tableNames(),
      scan: (name, columns) => catalog.table(name)?.scan(columns) ?? (async function* (): AsyncGenerator<Batch> {})(),
    };
    const result = await executeQuery(SEED, { tables, now: parseEventTime(NOW)! });
    assert.equal(result.rows.length, 13);
    assert.equal(catalog.issues().rejected, 0);
    assert.ok(warnings.some((w) => w.includes('14 records → 3 DeviceProcessEvents, 11 DeviceFileEvents')), warnings.join('\n'));
  });

  test('the catalog names an unknown file in a warning and reads the others', async () => {
    const unknown = tempFile('notes.txt', 'not telemetry');
    const warnings: string[] = [];
    const catalog = await openTelemetryCatalog([unknown], { onWarning: (w) => warnings.push(w) });
    assert.deepEqual(catalog.tableNames(), []);
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0]!.startsWith(`${unknown}: unrecognised telemetry format`));
  });
});
