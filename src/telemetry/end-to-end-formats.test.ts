/**
 * The "done when": the seed rule, run with `data:` pointing at raw files, sees the same events
 * as over the equivalent Defender rows — one scenario per source format (Sysmon EVTX, event XML and
 * JSON; Security 4688/4663/5145 as XML and EVTX; Sysmon for Linux syslog; auditd; AUOMS). On Linux,
 * where the seed rule's Windows paths raise nothing either way, the rows a staging query sees are
 * compared as well.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { repoPath } from '../testing/repo.js';
import { runQuery } from '../run-query.js';
import {
  asEventXml, asEvtx, asFlatJson, auditLog, auomsLog, linuxDefenderRows, securityDefenderRows, securityScenario,
  sysmonDefenderRows, sysmonForLinuxSyslog, sysmonScenario, LINUX_HOST,
} from './e2e-scenarios.js';
import { tempFile } from './test-support.js';

const SEED = readFileSync(repoPath('rules', 't1074-seed', 'query.kql'), 'utf8');
const NOW = '2024-03-01T12:00:00Z';

interface Run { rows: unknown[][]; rejected: number; warnings: string[] }

async function run(kql: string, source: { data: string } | { tables: Record<string, object[]> }): Promise<Run> {
  const warnings: string[] = [];
  const result = await runQuery(kql, { ...source, now: NOW, onWarning: (w) => warnings.push(w) });
  return { rows: result.rows, rejected: result.rejected, warnings };
}

/** Alerts per StagingType, worked out by hand from the scenario for the Defender rows. */
function countByType(rows: unknown[][]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of rows) {
    const type = String(row.find((v) => typeof v === 'string' && /^(BulkFileStaging|ArchiveCreated|BulkCopyCommand)$/.test(v)));
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/** Runs `kql` over the raw file (the --data path) and over the Defender rows; both must agree. */
async function sameOverRawAndDefender(kql: string, rawFile: string, defender: Record<string, object[]>): Promise<unknown[][]> {
  const raw = await run(kql, { data: rawFile });
  const expected = await run(kql, { tables: defender });
  assert.equal(raw.rejected, 0, raw.warnings.join('\n'));
  assert.deepEqual(raw.rows, expected.rows);
  return raw.rows;
}

describe('the seed rule over each raw Windows format sees what it sees over Defender rows', () => {
  const sysmonAlerts = { ArchiveCreated: 10, BulkFileStaging: 1, BulkCopyCommand: 2 };

  test('Sysmon EVTX (built record by record: templates, binary GUIDs, UInt32 PIDs, FILETIMEs)', async () => {
    const rows = await sameOverRawAndDefender(SEED, tempFile('Sysmon.evtx', asEvtx(sysmonScenario())), sysmonDefenderRows());
    assert.deepEqual(countByType(rows), sysmonAlerts);
  });

  test('Sysmon event XML', async () => {
    const rows = await sameOverRawAndDefender(SEED, tempFile('sysmon.xml', asEventXml(sysmonScenario())), sysmonDefenderRows());
    assert.deepEqual(countByType(rows), sysmonAlerts);
  });

  test('Sysmon flattened JSON', async () => {
    const rows = await sameOverRawAndDefender(SEED, tempFile('sysmon.json', asFlatJson(sysmonScenario())), sysmonDefenderRows());
    assert.deepEqual(countByType(rows), sysmonAlerts);
  });

  // 2 bulk-copy commands (cmd and robocopy), 10 writes of one archive by 7-Zip (4663 → FileModified) as one
  // bulk-staging group, and the archive pushed over SMB into C:\Users\Public (5145 → FileCreated).
  const securityAlerts = { BulkCopyCommand: 2, BulkFileStaging: 1, ArchiveCreated: 1 };

  test('Security 4688 + 4663 + 5145 as event XML', async () => {
    const rows = await sameOverRawAndDefender(SEED, tempFile('security.xml', asEventXml(securityScenario())), securityDefenderRows());
    assert.deepEqual(countByType(rows), securityAlerts);
  });

  test('Security 4688 + 4663 + 5145 as EVTX; the 7-digit event times survive', async () => {
    const file = tempFile('Security.evtx', asEvtx(securityScenario()));
    const rows = await sameOverRawAndDefender(SEED, file, securityDefenderRows());
    assert.deepEqual(countByType(rows), securityAlerts);
    const smb = await sameOverRawAndDefender(
      'DeviceFileEvents | where RequestProtocol == "SMB" | project Timestamp, FolderPath, ShareName, RequestSourceIP, RequestAccountName',
      file, securityDefenderRows(),
    );
    assert.deepEqual(smb, [['2024-03-01T10:00:30.1234567Z', 'C:\\Users\\Public\\loot.zip', 'C$', '10.0.0.7', 'jdoe']]);
  });
});

describe('Linux formats: no Windows-path alerts either way, and the same staging rows', () => {
  const STAGING_PROCESSES = 'DeviceProcessEvents | where ProcessCommandLine has_any ("tar", "cp") '
    + '| project Timestamp, DeviceName, FileName, ProcessCommandLine, AccountName';
  const STAGED_FILES = 'DeviceFileEvents | project Timestamp, DeviceName, ActionType, FolderPath, FileName, '
    + 'InitiatingProcessFileName, InitiatingProcessCommandLine, InitiatingProcessAccountName';
  const expectedProcesses = [
    ['2024-03-01T10:00:01.123Z', LINUX_HOST, 'tar', 'tar czf /tmp/stage.tgz /home/jdoe/docs', 'jdoe'],
    ['2024-03-01T10:00:03.5Z', LINUX_HOST, 'cp', 'cp -r /home/jdoe/docs /tmp/stage', 'jdoe'],
  ];
  const expectedFiles = [
    ['2024-03-01T10:00:02.25Z', LINUX_HOST, 'FileCreated', '/tmp/stage.tgz', 'stage.tgz', 'tar', 'tar czf /tmp/stage.tgz /home/jdoe/docs', 'jdoe'],
  ];

  test('Sysmon for Linux (syslog-wrapped event XML)', async () => {
    const file = tempFile('syslog', sysmonForLinuxSyslog());
    assert.deepEqual(await sameOverRawAndDefender(SEED, file, linuxDefenderRows(true)), []);
    assert.deepEqual(await sameOverRawAndDefender(STAGING_PROCESSES, file, linuxDefenderRows(true)), expectedProcesses);
    assert.deepEqual(await sameOverRawAndDefender(STAGED_FILES, file, linuxDefenderRows(true)), expectedFiles);
  });

  test('auditd raw log (SYSCALL + EXECVE + CWD + PATH, enriched names)', async () => {
    const file = tempFile('audit.log', auditLog());
    assert.deepEqual(await sameOverRawAndDefender(SEED, file, linuxDefenderRows(true)), []);
    assert.deepEqual(await sameOverRawAndDefender(STAGING_PROCESSES, file, linuxDefenderRows(true)), expectedProcesses);
    assert.deepEqual(await sameOverRawAndDefender(STAGED_FILES, file, linuxDefenderRows(true)), expectedFiles);
  });

  test('AUOMS one-line records (process starts only)', async () => {
    const file = tempFile('auoms.log', auomsLog());
    assert.deepEqual(await sameOverRawAndDefender(SEED, file, linuxDefenderRows(false)), []);
    assert.deepEqual(await sameOverRawAndDefender(STAGING_PROCESSES, file, linuxDefenderRows(false)), expectedProcesses);
  });
});
