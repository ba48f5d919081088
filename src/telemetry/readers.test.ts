/** Self-written fixtures for each source format's corner cases, and format detection. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { collect, countBy, tempFile } from './test-support.js';
import { detectFormat, FormatError } from './detect.js';
import { decodeEntities } from './event-xml.js';
import { parseAuditFields, auditValue } from './auditd.js';
import { formatEventTime, parseEventTime } from './time.js';

const NS = 'xmlns="http://schemas.microsoft.com/win/2004/08/events/event"';

function sysmonXml(opts: { ns?: boolean; id: number; record: number; data: Record<string, string>; computer?: string; time?: string }): string {
  const data = Object.entries(opts.data).map(([k, v]) => `<Data Name="${k}">${v}</Data>`).join('');
  return `<Event${opts.ns === false ? '' : ` ${NS}`}><System><Provider Name="Microsoft-Windows-Sysmon" Guid="{5770385f-c22a-43e0-bf4c-06f5698ffbd9}"/>`
    + `<EventID>${opts.id}</EventID><Version>5</Version><TimeCreated SystemTime="${opts.time ?? '2024-03-01T10:00:00.1234567Z'}"/>`
    + `<EventRecordID>${opts.record}</EventRecordID><Execution ProcessID="2796" ThreadID="3592"/>`
    + `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${opts.computer ?? 'WS1.corp.example'}</Computer>`
    + `<Security UserID="S-1-5-18"/></System><EventData>${data}</EventData></Event>`;
}

describe('time', () => {
  test('event times keep 7 digits, cut finer ones, and read zones', () => {
    assert.equal(formatEventTime(parseEventTime('2019-07-19 14:54:16.782667')!), '2019-07-19T14:54:16.7826670Z');
    assert.equal(formatEventTime(parseEventTime('2022-05-11T18:10:20.399931999Z')!), '2022-05-11T18:10:20.3999319Z');
    assert.equal(formatEventTime(parseEventTime('2024-01-01T02:00:00+02:00')!), '2024-01-01T00:00:00.0000000Z');
    assert.equal(parseEventTime('19/07/2019 14:54'), undefined);
    assert.equal(parseEventTime('2019-13-01 00:00:00'), undefined);
  });
});

describe('event XML', () => {
  test('entities: complete ones decode, Sysmon for Linux `&quot` without `;` stays as written', () => {
    assert.equal(decodeEntities('a &lt;b&gt; &amp;&#65;&#x42; &quot x'), 'a <b> &AB &quot x');
  });

  test('wevtutil output: several events, with and without namespace, in an <Events> wrapper', async () => {
    const path = tempFile('export.xml', `<?xml version="1.0" encoding="utf-8"?>\r\n<Events>\r\n`
      + sysmonXml({ id: 1, record: 10, data: {
        UtcTime: '2024-03-01 10:00:00.125', ProcessGuid: '{11111111-0000-0000-0000-000000000001}', ProcessId: '100',
        Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c "copy a.txt C:\\Temp\\" &amp; echo &lt;done&gt;',
        User: 'CORP\\jdoe', LogonId: '0x3e7', IntegrityLevel: 'High', TerminalSessionId: '1',
        Hashes: 'SHA1=AAAA,MD5=BBBB,SHA256=CCCC,IMPHASH=DDDD',
        ParentProcessGuid: '{11111111-0000-0000-0000-000000000000}', ParentProcessId: '50',
        ParentImage: 'C:\\Windows\\explorer.exe', ParentCommandLine: 'C:\\Windows\\Explorer.EXE',
      } }) + '\r\n'
      + sysmonXml({ ns: false, id: 11, record: 11, data: {
        UtcTime: '2024-03-01 10:00:01.000', ProcessGuid: '{11111111-0000-0000-0000-000000000001}', ProcessId: '100',
        Image: 'C:\\Windows\\System32\\cmd.exe', TargetFilename: 'C:\\Temp\\a.txt', User: 'CORP\\jdoe',
      } }) + '\r\n'
      + sysmonXml({ id: 13, record: 12, data: { TargetObject: 'HKLM\\x' } })
      + '\r\n</Events>\r\n');
    const { rows, skipped, bad } = await collect(path);
    assert.deepEqual(bad, []);
    assert.deepEqual(skipped, [{ record: 5, reason: 'Sysmon event 13 has no Defender table mapping' }]);
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0], {
      table: 'DeviceProcessEvents', record: 3, note: undefined,
      row: {
        Timestamp: '2024-03-01T10:00:00.1250000Z', DeviceName: 'WS1.corp.example', ActionType: 'ProcessCreated', ReportId: 10,
        FileName: 'cmd.exe', FolderPath: 'C:\\Windows\\System32\\cmd.exe', SHA1: 'aaaa', SHA256: 'cccc', MD5: 'bbbb',
        ProcessId: 100, ProcessCommandLine: 'cmd /c "copy a.txt C:\\Temp\\" & echo <done>', ProcessIntegrityLevel: 'High',
        ProcessCreationTime: '2024-03-01T10:00:00.1250000Z', AccountDomain: 'CORP', AccountName: 'jdoe', LogonId: 999,
        CreatedProcessSessionId: 1, InitiatingProcessFolderPath: 'C:\\Windows\\explorer.exe',
        InitiatingProcessFileName: 'explorer.exe', InitiatingProcessCommandLine: 'C:\\Windows\\Explorer.EXE', InitiatingProcessId: 50,
        AdditionalFields: '{"Source":"Sysmon","EventID":1,"ProcessGuid":"{11111111-0000-0000-0000-000000000001}","ParentProcessGuid":"{11111111-0000-0000-0000-000000000000}","IMPHASH":"dddd"}',
      },
    });
    // The file event's creator is described from the process start seen before it (same ProcessGuid).
    const file = rows[1]!.row;
    assert.equal(rows[1]!.table, 'DeviceFileEvents');
    assert.equal(file['ActionType'], 'FileCreated');
    assert.equal(file['FolderPath'], 'C:\\Temp\\a.txt');
    assert.equal(file['FileName'], 'a.txt');
    assert.equal(file['InitiatingProcessCommandLine'], 'cmd /c "copy a.txt C:\\Temp\\" & echo <done>');
    assert.equal(file['InitiatingProcessCreationTime'], '2024-03-01T10:00:00.1250000Z');
    assert.equal(file['InitiatingProcessAccountName'], 'jdoe');
    assert.equal(file['InitiatingProcessSHA1'], 'aaaa');
  });

  test('Sysmon for Linux syslog lines: `-` is empty, a line cut short is kept and marked, a broken one is counted', async () => {
    const linux = (record: number, data: string) => `May 11 18:10:21 ubuntu5 sysmon: <Event><System><Provider Name="Linux-Sysmon" Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/>`
      + `<EventID>1</EventID><Version>5</Version><TimeCreated SystemTime="2022-05-11T18:10:21.990000000Z"/><EventRecordID>${record}</EventRecordID>`
      + `<Channel>Linux-Sysmon/Operational</Channel><Computer>ubuntu5</Computer><Security UserId="0"/></System><EventData>${data}`;
    const full = linux(7, '<Data Name="UtcTime">2022-05-11 18:10:21.986</Data><Data Name="ProcessId">17790</Data><Data Name="Image">/bin/bash</Data>'
      + '<Data Name="CommandLine">sh -c ls &quot x&quot</Data><Data Name="User">tomcat</Data><Data Name="LogonId">1001</Data><Data Name="Hashes">-</Data>'
      + '<Data Name="ParentProcessId">1340</Data><Data Name="ParentImage">-</Data></EventData></Event>');
    const cut = linux(8, '<Data Name="UtcTime">2022-05-11 18:10:22.000</Data><Data Name="Image">/usr/bin/tar</Data><Data Name="ParentCommandLine">java -cp /opt/a.jar -Dx=');
    const broken = 'May 11 18:10:23 ubuntu5 sysmon: <Event><System><EventID>x</EventID></System></Event>';
    const path = tempFile('syslog', `${full}\n${cut}\n${broken}\nMay 11 18:10:24 ubuntu5 systemd: Started.\n`);
    const { rows, bad } = await collect(path);
    assert.deepEqual(bad, [{ record: 3, reason: '<EventID> is "x"' }]);
    assert.equal(rows.length, 2);
    const first = rows[0]!.row;
    assert.equal(first['FolderPath'], '/bin/bash');
    assert.equal(first['FileName'], 'bash');
    assert.equal(first['ProcessCommandLine'], 'sh -c ls &quot x&quot');
    assert.equal(first['AccountName'], 'tomcat');
    assert.equal(first['AccountDomain'], undefined);
    assert.equal(first['LogonId'], 1001);
    assert.equal(first['SHA1'], undefined);
    assert.equal(first['InitiatingProcessFolderPath'], undefined);
    assert.equal(first['Timestamp'], '2022-05-11T18:10:21.9860000Z');
    assert.equal(rows[0]!.note, undefined);
    assert.equal(rows[1]!.note, 'event XML cut short; fields up to the cut kept');
    assert.equal(rows[1]!.row['FolderPath'], '/usr/bin/tar');
    assert.equal(rows[1]!.row['InitiatingProcessCommandLine'], 'java -cp /opt/a.jar -Dx=');
  });
});

describe('Windows events as JSON', () => {
  test('Winlogbeat nested and flattened Mordor-style records map alike; non-events are counted', async () => {
    const nested = {
      '@timestamp': '2024-03-01T10:00:02.500Z', host: { name: 'ws1' },
      winlog: {
        provider_name: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational', event_id: 11,
        computer_name: 'WS1.corp.example', record_id: 77, process: { pid: 2796, thread: { id: 1 } },
        event_data: { UtcTime: '2024-03-01 10:00:02.123', ProcessId: '900', Image: 'C:\\Program Files\\7-Zip\\7z.exe', TargetFilename: 'C:\\Users\\Public\\loot.7z', User: 'CORP\\jdoe' },
      },
    };
    const flat = {
      '@timestamp': '2024-03-01T10:00:03.000Z', Hostname: 'WS1.corp.example', SourceName: 'Microsoft-Windows-Sysmon', EventID: 23,
      Channel: 'Microsoft-Windows-Sysmon/Operational', RecordNumber: 78, UtcTime: '2024-03-01 10:00:03.000', ProcessId: 900,
      Image: 'C:\\Program Files\\7-Zip\\7z.exe', TargetFilename: 'C:\\Users\\Public\\loot.txt', User: 'CORP\\jdoe',
      Hashes: 'SHA256=ABCD', EventType: 'INFO',
    };
    const path = tempFile('events.json', [nested, flat, { hello: 1 }, [1]].map((r) => JSON.stringify(r)).join('\n') + '\n{broken\n');
    const { rows, bad } = await collect(path);
    assert.deepEqual(bad.map((b) => b.record), [3, 4, 5]);
    assert.match(bad[0]!.reason, /not a Windows event/);
    assert.match(bad[2]!.reason, /invalid JSON/);
    assert.deepEqual(rows.map((r) => [r.table, r.row['ActionType'], r.row['FolderPath'], r.row['ReportId'], r.row['Timestamp'], r.row['DeviceName']]), [
      ['DeviceFileEvents', 'FileCreated', 'C:\\Users\\Public\\loot.7z', 77, '2024-03-01T10:00:02.1230000Z', 'WS1.corp.example'],
      ['DeviceFileEvents', 'FileDeleted', 'C:\\Users\\Public\\loot.txt', 78, '2024-03-01T10:00:03.0000000Z', 'WS1.corp.example'],
    ]);
    assert.equal(rows[1]!.row['SHA256'], 'abcd');
    assert.equal(rows[1]!.row['InitiatingProcessFileName'], '7z.exe');
  });

  test('Security 4688 v0 (no command line, no parent name) and 4663 writes vs reads', async () => {
    const base = { Provider: 'Microsoft-Windows-Security-Auditing', Channel: 'Security', Computer: 'DC1', TimeCreated: '2024-03-01 10:00:00.000001' };
    const records = [
      { ...base, EventID: '4688', Version: '0', EventRecordID: '5', SubjectUserSid: 'S-1-5-21-1-2-3-500', SubjectUserName: 'admin', SubjectDomainName: 'CORP',
        SubjectLogonId: '0x1f', NewProcessName: 'C:\\Windows\\System32\\robocopy.exe', NewProcessId: '0x10', TokenElevationType: '%%1938', ProcessId: '0x8' },
      { ...base, EventID: '4663', Version: '1', EventRecordID: '6', SubjectUserName: 'admin', SubjectDomainName: 'CORP', ObjectType: 'File',
        ObjectName: 'C:\\Temp\\x.docx', AccessMask: '0x2', ProcessId: '0x10', ProcessName: 'C:\\Windows\\System32\\robocopy.exe' },
      { ...base, EventID: '4663', Version: '1', EventRecordID: '7', ObjectType: 'File', ObjectName: 'C:\\Temp\\y.docx', AccessMask: '0x1' },
    ];
    const { rows, skipped } = await collect(tempFile('security.jsonl', records.map((r) => JSON.stringify(r)).join('\n')));
    assert.deepEqual(skipped, [{ record: 3, reason: '4663 without WriteData/AppendData access' }]);
    assert.deepEqual(rows[0]!.row, {
      Timestamp: '2024-03-01T10:00:00.0000010Z', DeviceName: 'DC1', ActionType: 'ProcessCreated', ReportId: 5,
      FileName: 'robocopy.exe', FolderPath: 'C:\\Windows\\System32\\robocopy.exe', ProcessId: 16,
      ProcessTokenElevation: 'TokenElevationTypeLimited', ProcessCreationTime: '2024-03-01T10:00:00.0000010Z',
      AccountDomain: 'CORP', AccountName: 'admin', AccountSid: 'S-1-5-21-1-2-3-500', LogonId: 31,
      InitiatingProcessAccountDomain: 'CORP', InitiatingProcessAccountName: 'admin', InitiatingProcessAccountSid: 'S-1-5-21-1-2-3-500',
      InitiatingProcessLogonId: 31, InitiatingProcessId: 8,
      AdditionalFields: '{"Source":"Security","EventID":4688,"Version":0}',
    });
    assert.equal(rows[1]!.row['ActionType'], 'FileModified');
    assert.equal(rows[1]!.row['FolderPath'], 'C:\\Temp\\x.docx');
    assert.equal(rows[1]!.row['InitiatingProcessId'], 16);
    assert.equal(rows[1]!.row['InitiatingProcessCreationTime'], '2024-03-01T10:00:00.0000010Z');
  });
});

describe('auditd', () => {
  test('field parsing: quoted, hex, AUOMS quotes inside quotes, arrays', () => {
    const fields = parseAuditFields('cwd=2F746D702F6120622063 exe="/bin/x" cmdline="bash -c "{echo,a}|{bash,-i}"" path_name=["/a","/b"] key=(null)');
    assert.equal(auditValue(fields.get('cwd')), '/tmp/a b c');
    assert.equal(auditValue(fields.get('exe')), '/bin/x');
    assert.equal(auditValue(fields.get('cmdline')), 'bash -c "{echo,a}|{bash,-i}"');
    assert.equal(fields.get('path_name'), '["/a","/b"]');
    assert.equal(auditValue(fields.get('key')), '');
  });

  test('execve with hex and split arguments across EXECVE records, interleaved with another event', async () => {
    const lines = [
      'type=SYSCALL msg=audit(1700000000.123:500): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=10 pid=11 auid=1000 uid=0 gid=0 euid=0 ses=3 tty=pts0 comm="tar" exe="/usr/bin/tar" key="exec"',
      'type=SYSCALL msg=audit(1700000000.124:501): arch=c000003e syscall=87 success=yes exit=0 a0=1 a1=0 a2=0 a3=0 items=2 ppid=1 pid=99 auid=1000 uid=1000 gid=1000 euid=1000 ses=3 comm="rm" exe="/usr/bin/rm" key=(null)',
      'type=EXECVE msg=audit(1700000000.123:500): argc=4 a0="tar" a1="czf" a2=2F746D702F6D7920737461676500',
      'type=EXECVE msg=audit(1700000000.123:500): a3_len=10 a3[0]=2F686F6D65 a3[1]="/docs"',
      'type=CWD msg=audit(1700000000.123:500): cwd="/root"',
      'type=PATH msg=audit(1700000000.124:501): item=0 name="/tmp/" inode=1 dev=08:01 mode=041777 nametype=PARENT',
      'type=PATH msg=audit(1700000000.124:501): item=1 name="old.txt" inode=2 dev=08:01 mode=0100644 nametype=DELETE',
      'type=CWD msg=audit(1700000000.124:501): cwd="/tmp"',
      'type=EOE msg=audit(1700000000.124:501):',
      'type=PATH msg=audit(1700000000.123:500): item=0 name="/usr/bin/tar" inode=3 dev=08:01 mode=0100755 nametype=NORMAL',
      'garbage line',
    ];
    const { rows, bad } = await collect(tempFile('audit.log', lines.join('\n')));
    assert.deepEqual(bad, [{ record: 11, reason: 'not an audit record (no type=… audit(…:serial))' }]);
    // The unlink event closes first (EOE); the execve event at the end of the input.
    assert.deepEqual(rows.map((r) => r.row['ActionType']), ['FileDeleted', 'ProcessCreated']);
    assert.equal(rows[0]!.row['FolderPath'], '/tmp/old.txt');
    assert.equal(rows[0]!.row['InitiatingProcessFileName'], 'rm');
    const exec = rows[1]!.row;
    // a2 is hex for "/tmp/my stage\0"-less text; a3 is split in two pieces (hex then quoted).
    assert.equal(exec['ProcessCommandLine'], 'tar czf "/tmp/my stage\0" /home/docs'.replace('\0', '\u0000'));
    assert.equal(exec['FolderPath'], '/usr/bin/tar');
    assert.equal(exec['AccountName'], 'root');
    assert.equal(exec['LogonId'], 3);
    assert.equal(exec['ProcessId'], 11);
    assert.equal(exec['InitiatingProcessId'], 10);
    assert.equal(exec['Timestamp'], '2023-11-14T22:13:20.1230000Z');
    assert.equal(exec['ReportId'], 500);
  });

  test('openat with O_CREAT → FileCreated, rename → FileRenamed, aarch64 numbers, failed calls skipped', async () => {
    const lines = [
      // openat(AT_FDCWD, "out/a.tgz", O_WRONLY|O_CREAT|O_TRUNC=0x241)
      'node=build1 type=SYSCALL msg=audit(1700000001.000:600): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=55 a2=241 a3=1b6 items=2 ppid=10 pid=12 uid=1000 comm="tar" exe="/usr/bin/tar"',
      'node=build1 type=CWD msg=audit(1700000001.000:600): cwd="/tmp/stage"',
      'node=build1 type=PATH msg=audit(1700000001.000:600): item=0 name="out/" mode=040755 nametype=PARENT',
      'node=build1 type=PATH msg=audit(1700000001.000:600): item=1 name="out/../a.tgz" mode=0100644 nametype=CREATE',
      'node=build1 type=PROCTITLE msg=audit(1700000001.000:600): proctitle=74617200637A66002F746D702F73746167652F612E74677A',
      'node=build1 type=EOE msg=audit(1700000001.000:600):',
      // aarch64 renameat (38)
      'type=SYSCALL msg=audit(1700000002.000:601): arch=c00000b7 syscall=38 success=yes exit=0 a0=ffffff9c a1=1 a2=ffffff9c a3=2 items=4 ppid=1 pid=13 uid=0 comm="mv" exe="/usr/bin/mv"',
      'type=PATH msg=audit(1700000002.000:601): item=0 name="/tmp/" mode=041777 nametype=PARENT',
      'type=PATH msg=audit(1700000002.000:601): item=1 name="/tmp/" mode=041777 nametype=PARENT',
      'type=PATH msg=audit(1700000002.000:601): item=2 name="/tmp/a.tgz" mode=0100644 nametype=DELETE',
      'type=PATH msg=audit(1700000002.000:601): item=3 name="/tmp/.cache.tgz" mode=0100644 nametype=CREATE',
      'type=EOE msg=audit(1700000002.000:601):',
      'type=SYSCALL msg=audit(1700000003.000:602): arch=c000003e syscall=2 success=no exit=-13 a0=1 a1=41 a2=1b6 a3=0 items=1 ppid=1 pid=14 uid=1000 comm="x" exe="/x"',
      'type=EOE msg=audit(1700000003.000:602):',
      // open without O_CREAT is a read: no Defender row
      'type=SYSCALL msg=audit(1700000004.000:603): arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=0 a2=0 a3=0 items=1 ppid=1 pid=14 uid=1000 comm="cat" exe="/bin/cat"',
      'type=EOE msg=audit(1700000004.000:603):',
    ];
    const { rows, skipped } = await collect(tempFile('audit.log', lines.join('\n')));
    assert.deepEqual(skipped.map((s) => s.reason), ['failed open (success=no)', 'open without O_CREAT']);
    assert.deepEqual(rows.map((r) => r.row['ActionType']), ['FileCreated', 'FileRenamed']);
    assert.deepEqual(
      [rows[0]!.row['FolderPath'], rows[0]!.row['FileName'], rows[0]!.row['DeviceName'], rows[0]!.row['InitiatingProcessCommandLine']],
      ['/tmp/stage/a.tgz', 'a.tgz', 'build1', 'tar czf /tmp/stage/a.tgz'],
    );
    assert.deepEqual(
      [rows[1]!.row['FolderPath'], rows[1]!.row['PreviousFolderPath'], rows[1]!.row['PreviousFileName'], rows[1]!.row['InitiatingProcessAccountName']],
      ['/tmp/.cache.tgz', '/tmp/a.tgz', 'a.tgz', 'root'],
    );
  });

  test('AUOMS one-line records: the exec and its parent tracked within the file', async () => {
    const auoms = (serial: number, pid: number, ppid: number, exe: string, cmdline: string) =>
      `type=AUOMS_EXECVE audit(1652292622.006:${serial}): SchemaVersion="1" node=UBUNTU5 arch=x86_64 syscall=execve syscall_r=59 success=yes exit=0 ppid=${ppid} pid=${pid} user=tomcat uid=1001 ses="-1" comm="x" exe="${exe}" cwd="/" path_name=["${exe}"] argc=2 cmdline="${cmdline}" redactors= containerid=`;
    const { rows } = await collect(tempFile('auoms.log', [auoms(1, 20, 10, '/bin/bash', 'bash -c "tar czf /tmp/x.tgz /home"'), auoms(2, 21, 20, '/bin/tar', 'tar czf /tmp/x.tgz /home')].join('\n')));
    assert.equal(rows.length, 2);
    assert.equal(rows[0]!.row['ProcessCommandLine'], 'bash -c "tar czf /tmp/x.tgz /home"');
    assert.equal(rows[0]!.row['LogonId'], undefined);
    assert.equal(rows[1]!.row['InitiatingProcessFileName'], 'bash');
    assert.equal(rows[1]!.row['InitiatingProcessCommandLine'], 'bash -c "tar czf /tmp/x.tgz /home"');
    assert.equal(rows[1]!.row['AccountName'], 'tomcat');
    assert.equal(rows[1]!.row['DeviceName'], 'UBUNTU5');
  });
});

describe('format detection', () => {
  test('magic bytes, content, gzip content, extension; override wins', async () => {
    assert.equal((await detectFormat(tempFile('x.bin', Buffer.concat([Buffer.from('ElfFile\0'), Buffer.alloc(100)])))).format, 'evtx');
    assert.equal((await detectFormat(tempFile('x.txt', sysmonXml({ id: 1, record: 1, data: {} })))).format, 'sysmon-xml');
    assert.equal((await detectFormat(tempFile('x.txt', 'type=SYSCALL msg=audit(1.2:3): arch=c000003e'))).format, 'auditd');
    assert.equal((await detectFormat(tempFile('x.gz', gzipSync('{"winlog":{"event_id":1}}\n')))).format, 'sysmon-json');
    assert.equal((await detectFormat(tempFile('x.json', '[{"SyslogMessage":"<Event>"}]'))).format, 'sentinel-syslog');
    assert.deepEqual(await detectFormat(tempFile('export.csv', 'Timestamp,DeviceName,ActionType,FileName,ProcessCommandLine,ProcessVersionInfoCompanyName\n')),
      { format: 'defender-csv', table: 'DeviceProcessEvents', evidence: 'CSV header with DeviceProcessEvents columns' });
    // Columns DeviceProcessEvents and DeviceEvents both have: refused rather than guessed.
    await assert.rejects(detectFormat(tempFile('export.csv', 'Timestamp,DeviceName,ActionType,FileName,ProcessCommandLine\n')), /unrecognised telemetry format/);
    // … unless the file is named after one of them: the name decides (the --data contract).
    assert.equal((await detectFormat(tempFile('DeviceEvents.csv', 'Timestamp,DeviceName,ActionType,FileName,ProcessCommandLine\n'))).table, 'DeviceEvents');
    assert.equal((await detectFormat(tempFile('DeviceProcessEvents.part1.ndjson', '{"Timestamp":"2026-11-27T10:00:00Z","DeviceName":"h","ActionType":"ProcessCreated","FileName":"x","ProcessCommandLine":"x"}\n'))).table, 'DeviceProcessEvents');
    // A name that is not one of the tied tables does not decide.
    await assert.rejects(detectFormat(tempFile('DeviceLogonEvents.csv', 'Timestamp,DeviceName,ActionType,FileName,ProcessCommandLine\n')), /unrecognised telemetry format/);
    assert.equal((await detectFormat(tempFile('empty.evtx', ''))).format, 'evtx');
    assert.equal((await detectFormat(tempFile('x.txt', 'anything'), 'auoms')).format, 'auditd');
  });

  test('zip, mixed, unknown and empty inputs are named in an error, never guessed', async () => {
    const zip = tempFile('logs.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]));
    await assert.rejects(detectFormat(zip), (e: Error) => e instanceof FormatError && e.message.includes(zip) && /unzip/.test(e.message));
    const mixed = tempFile('mixed.log', `${sysmonXml({ id: 1, record: 1, data: {} })}\ntype=SYSCALL msg=audit(1.2:3): x=1\n`);
    await assert.rejects(detectFormat(mixed), /mixed input/);
    const unknown = tempFile('notes.txt', 'hello world');
    await assert.rejects(detectFormat(unknown), (e: Error) => e.message.startsWith(`${unknown}: unrecognised telemetry format`));
    await assert.rejects(detectFormat(tempFile('empty.dat', '')), /empty file/);
    await assert.rejects(detectFormat(tempFile('x.json', '{"a":1}')), /JSON, but not Windows events/);
    await assert.rejects(detectFormat(unknown, 'parquet'), /unknown input format "parquet"/);
  });
});

describe('counting', () => {
  test('countBy', () => assert.deepEqual(countBy(['a', 'b', 'a'], (x) => x), { a: 2, b: 1 }));
});
