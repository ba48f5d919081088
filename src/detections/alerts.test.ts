import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildAlerts, type EvidenceRow } from './alerts.js';
import { fakeRule } from './test-support.js';
import { Tuning } from './tuning.js';

const COLUMNS = ['Timestamp', 'DeviceName', 'AccountName', 'ProcessFileName', 'ProcessFolderPath', 'ProcessCompany', 'StagingType', 'Severity', 'StagingFolder', 'RemoteIP'];

function table(rows: EvidenceRow[]) {
  return { columns: COLUMNS.map((name) => ({ name })), rows: rows.map((r) => COLUMNS.map((c) => r[c] ?? '')) };
}

const row = (time: string, over: EvidenceRow = {}): EvidenceRow => ({
  Timestamp: time, DeviceName: 'ws1', AccountName: 'jdoe', ProcessFileName: 'robocopy.exe', ProcessFolderPath: 'C:\\Windows\\System32\\Robocopy.exe',
  StagingType: 'BulkCopyCommand', Severity: 'medium', StagingFolder: 'C:\\Users\\jdoe\\AppData\\Local\\Temp\\stage', ...over,
});

describe('alerts: one per entity group per window', () => {
  test('rows of one host and account within an hour of the first make one alert; later rows start another', () => {
    const { alerts } = buildAlerts(fakeRule(), table([
      row('2026-11-27T10:00:00Z'),
      row('2026-11-27T10:59:59.9999999Z', { StagingType: 'ArchiveCreated' }),
      row('2026-11-27T11:00:00.0000001Z'),
    ]));
    assert.equal(alerts.length, 2);
    assert.deepEqual(alerts.map((a) => [a.start, a.end, a.evidence.length]), [
      ['2026-11-27T10:00:00Z', '2026-11-27T10:59:59.9999999Z', 2],
      ['2026-11-27T11:00:00.0000001Z', '2026-11-27T11:00:00.0000001Z', 1],
    ]);
  });

  test('another device or account is another alert; host and account compare case-insensitively', () => {
    const { alerts } = buildAlerts(fakeRule(), table([
      row('2026-11-27T10:00:00Z'), row('2026-11-27T10:01:00Z', { DeviceName: 'WS1', AccountName: 'JDOE' }),
      row('2026-11-27T10:02:00Z', { DeviceName: 'ws2' }), row('2026-11-27T10:03:00Z', { AccountName: 'asmith' }),
    ]));
    assert.deepEqual(alerts.map((a) => `${a.entities.host}/${a.entities.account}:${a.evidence.length}`), ['ws1/jdoe:2', 'ws2/jdoe:1', 'ws1/asmith:1']);
  });

  test('severity is the highest of the rows, confidence rises one level when two branches agree', () => {
    const [alert] = buildAlerts(fakeRule(), table([
      row('2026-11-27T10:00:00Z', { Severity: 'low' }), row('2026-11-27T10:00:01Z', { Severity: 'high', StagingType: 'PasswordArchive' }),
    ])).alerts;
    assert.equal(alert!.severity, 'high');
    assert.equal(alert!.confidence, 'high');
    assert.deepEqual(alert!.branches, ['BulkCopyCommand', 'PasswordArchive']);
    const [single] = buildAlerts(fakeRule(), table([row('2026-11-27T10:00:00Z', { Severity: '' })])).alerts;
    assert.equal(single!.severity, 'medium', 'the rule default when rows carry none');
    assert.equal(single!.confidence, 'medium');
  });

  test('alerts carry rule id, title, technique and entities', () => {
    const [alert] = buildAlerts(fakeRule(), table([row('2026-11-27T10:00:00Z', { RemoteIP: '10.0.0.5' })])).alerts;
    assert.equal(alert!.ruleId, '00000000-0000-4000-8000-000000000000');
    assert.equal(alert!.title, 'Fake rule for tests');
    assert.equal(alert!.technique, 'T1074');
    assert.deepEqual(alert!.subTechniques, ['T1074.001']);
    assert.deepEqual(alert!.entities, {
      host: 'ws1', account: 'jdoe', process: 'robocopy.exe', processPath: 'C:\\Windows\\System32\\Robocopy.exe',
      files: ['C:\\Users\\jdoe\\AppData\\Local\\Temp\\stage'], ips: ['10.0.0.5'],
    });
  });

  test('tuned rows are set aside as suppressed alerts naming the entry; the rest still alert', () => {
    const tuning = new Tuning('t.yaml', [{ id: 'build', family: 'developer-build', reason: 'publish step copies', owner: 'dev', process: { path: 'C:\\Windows\\System32\\Robocopy.exe' } }], '2026-11-27');
    const set = buildAlerts(fakeRule(), table([
      row('2026-11-27T10:00:00Z'),
      row('2026-11-27T10:00:01Z', { ProcessFileName: 'robocopy.exe', ProcessFolderPath: 'C:\\Users\\Public\\robocopy.exe' }),
    ]), tuning);
    assert.equal(set.alerts.length, 1);
    assert.equal(set.alerts[0]!.entities.processPath, 'C:\\Users\\Public\\robocopy.exe');
    assert.equal(set.suppressed.length, 1);
    assert.deepEqual(set.suppressed[0]!.suppressedBy?.map((e) => e.id), ['build']);
  });
});
