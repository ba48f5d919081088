/**
 * End to end: the seed rule over one staging scenario written three ways — Sysmon event XML,
 * flattened Sysmon JSON, and the equivalent Defender rows written by hand — must raise the same
 * alerts. Also through the telemetry catalog (the `--data` code path), typed by the schemas.
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

const SEED = readFileSync(repoPath('rules', 't1074-seed', 'query.kql'), 'utf8');
const NOW = '2024-03-01T12:00:00Z';
const HOST = 'WS-FIN-042.corp.example';
const TEMP = 'C:\\Users\\jdoe\\AppData\\Local\\Temp';
const CMD_LINE = `cmd.exe /c robocopy C:\\Users\\jdoe\\Documents ${TEMP}\\stage /E`;
const ROBOCOPY_LINE = `robocopy  C:\\Users\\jdoe\\Documents ${TEMP}\\stage /E`;
const ZIP_LINE = `"C:\\Program Files\\7-Zip\\7z.exe" a ${TEMP}\\stage.zip ${TEMP}\\stage`;

interface ScenarioEvent { id: number; record: number; utc: string; data: Record<string, string> }

function processStart(record: number, utc: string, guid: string, pid: string, image: string, commandLine: string, parentGuid: string, parentPid: string, parentImage: string, parentLine: string): ScenarioEvent {
  return { id: 1, record, utc, data: {
    UtcTime: utc, ProcessGuid: guid, ProcessId: pid, Image: image, CommandLine: commandLine, User: 'CORP\\jdoe', LogonId: '0x5a1',
    IntegrityLevel: 'Medium', ParentProcessGuid: parentGuid, ParentProcessId: parentPid, ParentImage: parentImage, ParentCommandLine: parentLine,
  } };
}

/** robocopy into %TEMP%\stage, then 7-Zip writing %TEMP%\stage.zip ten times (Sysmon 11 logs each overwrite), plus a download. */
function scenario(): ScenarioEvent[] {
  const events: ScenarioEvent[] = [
    processStart(1, '2024-03-01 10:00:00.000', '{aaaaaaaa-0000-0000-0000-000000000200}', '200', 'C:\\Windows\\System32\\cmd.exe', CMD_LINE,
      '{aaaaaaaa-0000-0000-0000-000000000100}', '100', 'C:\\Windows\\explorer.exe', 'C:\\Windows\\Explorer.EXE'),
    processStart(2, '2024-03-01 10:00:01.000', '{aaaaaaaa-0000-0000-0000-000000000201}', '201', 'C:\\Windows\\System32\\Robocopy.exe', ROBOCOPY_LINE,
      '{aaaaaaaa-0000-0000-0000-000000000200}', '200', 'C:\\Windows\\System32\\cmd.exe', CMD_LINE),
    processStart(3, '2024-03-01 10:00:05.000', '{aaaaaaaa-0000-0000-0000-000000000300}', '300', 'C:\\Program Files\\7-Zip\\7z.exe', ZIP_LINE,
      '{aaaaaaaa-0000-0000-0000-000000000200}', '200', 'C:\\Windows\\System32\\cmd.exe', CMD_LINE),
  ];
  for (let i = 0; i < 10; i++) {
    const utc = `2024-03-01 10:00:${String(6 + i).padStart(2, '0')}.500`;
    events.push({ id: 11, record: 4 + i, utc, data: {
      UtcTime: utc, ProcessGuid: '{aaaaaaaa-0000-0000-0000-000000000300}', ProcessId: '300', Image: 'C:\\Program Files\\7-Zip\\7z.exe',
      TargetFilename: `${TEMP}\\stage.zip`, CreationUtcTime: utc, User: 'CORP\\jdoe',
    } });
  }
  events.push({ id: 11, record: 14, utc: '2024-03-01 10:01:00.000', data: {
    UtcTime: '2024-03-01 10:01:00.000', ProcessGuid: '{aaaaaaaa-0000-0000-0000-000000000400}', ProcessId: '400',
    Image: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', TargetFilename: 'C:\\Users\\jdoe\\Downloads\\report.pdf', User: 'CORP\\jdoe',
  } });
  return events;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function asXml(events: ScenarioEvent[]): string {
  const body = events.map((e) => `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/>`
    + `<EventID>${e.id}</EventID><Version>5</Version><TimeCreated SystemTime="${e.utc.replace(' ', 'T')}1234Z"/><EventRecordID>${e.record}</EventRecordID>`
    + `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${HOST}</Computer></System><EventData>`
    + Object.entries(e.data).map(([k, v]) => `<Data Name="${k}">${escapeXml(v)}</Data>`).join('') + '</EventData></Event>');
  return `<Events>\n${body.join('\n')}\n</Events>\n`;
}

function asFlatJson(events: ScenarioEvent[]): string {
  return events.map((e) => JSON.stringify({
    '@timestamp': `${e.utc.replace(' ', 'T')}Z`, Hostname: HOST, SourceName: 'Microsoft-Windows-Sysmon', EventID: e.id,
    Channel: 'Microsoft-Windows-Sysmon/Operational', RecordNumber: e.record, ...e.data,
  })).join('\n');
}

/** The same activity as Defender would record it, written by hand from the scenario. */
function defenderRows(): Record<string, object[]> {
  const iso = (utc: string) => `${utc.replace(' ', 'T')}0000Z`;
  const proc = (utc: string, fileName: string, folderPath: string, line: string, parentName: string, parentLine: string) => ({
    Timestamp: iso(utc), DeviceName: HOST, ActionType: 'ProcessCreated', FileName: fileName, FolderPath: folderPath,
    ProcessCommandLine: line, AccountDomain: 'CORP', AccountName: 'jdoe', InitiatingProcessFileName: parentName, InitiatingProcessCommandLine: parentLine,
  });
  const files = scenario().filter((e) => e.id === 11).map((e) => ({
    Timestamp: iso(e.utc), DeviceName: HOST, ActionType: 'FileCreated', FileName: e.data['TargetFilename']!.split('\\').pop(),
    FolderPath: e.data['TargetFilename'], InitiatingProcessAccountDomain: 'CORP', InitiatingProcessAccountName: 'jdoe',
    InitiatingProcessFileName: e.data['Image']!.split('\\').pop(),
    InitiatingProcessCommandLine: e.data['Image']!.endsWith('7z.exe') ? ZIP_LINE : undefined,
  }));
  return {
    DeviceProcessEvents: [
      proc('2024-03-01 10:00:00.000', 'cmd.exe', 'C:\\Windows\\System32\\cmd.exe', CMD_LINE, 'explorer.exe', 'C:\\Windows\\Explorer.EXE'),
      proc('2024-03-01 10:00:01.000', 'Robocopy.exe', 'C:\\Windows\\System32\\Robocopy.exe', ROBOCOPY_LINE, 'cmd.exe', CMD_LINE),
      proc('2024-03-01 10:00:05.000', '7z.exe', 'C:\\Program Files\\7-Zip\\7z.exe', ZIP_LINE, 'cmd.exe', CMD_LINE),
    ],
    DeviceFileEvents: files,
  };
}

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
    const alerts = await alertsOver(defenderRows());
    const types = alerts.map((row) => row.find((v) => typeof v === 'string' && /^(BulkFileStaging|ArchiveCreated|BulkCopyCommand)$/.test(v)));
    assert.deepEqual(
      types.reduce<Record<string, number>>((acc, t) => ({ ...acc, [String(t)]: (acc[String(t)] ?? 0) + 1 }), {}),
      { ArchiveCreated: 10, BulkFileStaging: 1, BulkCopyCommand: 2 },
    );
  });

  test('Sysmon event XML', async () => {
    const raw = await rowsByTable(tempFile('scenario.xml', asXml(scenario())));
    assert.deepEqual(await alertsOver(raw), await alertsOver(defenderRows()));
  });

  test('flattened Sysmon JSON', async () => {
    const raw = await rowsByTable(tempFile('scenario.json', asFlatJson(scenario())));
    assert.deepEqual(await alertsOver(raw), await alertsOver(defenderRows()));
  });

  test('through the telemetry catalog (the --data path): typed rows, same alerts', async () => {
    const files = [tempFile('scenario.xml', asXml(scenario()))];
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
