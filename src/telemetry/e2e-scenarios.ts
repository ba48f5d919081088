/**
 * Test support for the end-to-end tests: staging scenarios written in each raw source format
 * (event XML, flattened JSON, EVTX, Sysmon for Linux syslog, auditd, AUOMS) together with the rows
 * Defender would record for the same activity, written by hand from the scenario.
 */
import { ChunkWriter, evtxFile, value, type NodeSpec, type ValueSpec } from './evtx/evtx-builder.js';

/** One Windows event: System fields and EventData in order. `time` has 7 fractional digits. */
export interface WinEvent {
  provider: string;
  channel: string;
  computer: string;
  id: number;
  version: number;
  record: number;
  time: string;
  data: Array<[name: string, value: string]>;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** `wevtutil qe /f:xml` output: `<Event>`s in an `<Events>` root. */
export function asEventXml(events: WinEvent[]): string {
  const body = events.map((e) => `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="${e.provider}"/>`
    + `<EventID>${e.id}</EventID><Version>${e.version}</Version><TimeCreated SystemTime="${e.time}"/><EventRecordID>${e.record}</EventRecordID>`
    + `<Channel>${e.channel}</Channel><Computer>${e.computer}</Computer></System><EventData>`
    + e.data.map(([k, v]) => `<Data Name="${k}">${escapeXml(v)}</Data>`).join('') + '</EventData></Event>');
  return `<Events>\n${body.join('\n')}\n</Events>\n`;
}

/** Flattened JSON lines (NXLog / Mordor style): EventID, Hostname, @timestamp and the EventData fields at top level. */
export function asFlatJson(events: WinEvent[]): string {
  return events.map((e) => JSON.stringify({
    '@timestamp': e.time, Hostname: e.computer, SourceName: e.provider, EventID: e.id, Version: e.version,
    Channel: e.channel, RecordNumber: e.record, ...Object.fromEntries(e.data),
  })).join('\n');
}

// ---------------------------------------------------------------------------------------------
// EVTX: one template per event shape, System values as Windows types them, EventData as Windows
// stores Sysmon's (PIDs as UInt32, GUIDs binary, the rest strings).

const sub = (index: number, type: number): NodeSpec => ({ sub: index, type });
const SYSTEM_VALUES = 7;

function templateOf(event: WinEvent, types: number[]): NodeSpec {
  const leaf = (name: string, index: number, type: number): NodeSpec => ({ element: name, children: [sub(index, type)] });
  return {
    element: 'Event',
    attributes: [['xmlns', [{ text: 'http://schemas.microsoft.com/win/2004/08/events/event' }]]],
    children: [
      {
        element: 'System',
        children: [
          { element: 'Provider', attributes: [['Name', [sub(0, 0x01)]]] },
          leaf('EventID', 1, 0x06), leaf('Version', 2, 0x04),
          { element: 'TimeCreated', attributes: [['SystemTime', [sub(3, 0x11)]]] },
          leaf('EventRecordID', 4, 0x0a), leaf('Channel', 5, 0x01), leaf('Computer', 6, 0x01),
        ],
      },
      {
        element: 'EventData',
        children: event.data.map(([name], i) => ({
          element: 'Data', attributes: [['Name', [{ text: name }]]] as [string, NodeSpec[]][], children: [sub(SYSTEM_VALUES + i, types[i]!)],
        })),
      },
    ],
  };
}

/** `{aaaaaaaa-0000-0000-0000-000000000200}` as Windows stores a GUID (first three groups little-endian). */
function guidBytes(text: string): Buffer {
  const hex = text.replace(/[{}-]/g, '');
  const bytes = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from(bytes.subarray(0, 4)).reverse(), Buffer.from(bytes.subarray(4, 6)).reverse(),
    Buffer.from(bytes.subarray(6, 8)).reverse(), bytes.subarray(8)]);
}

function dataValue(name: string, text: string): ValueSpec {
  if (/ProcessId$/.test(name) && /^\d+$/.test(text)) return value.int(0x08, 4, BigInt(text));
  if (/Guid$/.test(name) && /^\{[0-9a-f-]{36}\}$/i.test(text)) return value.raw(0x0f, guidBytes(text));
  return value.string(text);
}

/** FILETIME ticks of a 7-digit ISO time, exactly. */
function fileTimeOf(time: string): ValueSpec {
  const match = /^(.*\.\d{3})(\d{4})Z$/.exec(time);
  if (!match) throw new Error(`event time needs 7 fractional digits: ${time}`);
  return value.fileTime(`${match[1]}Z`, BigInt(match[2]!));
}

export function asEvtx(events: WinEvent[]): Buffer {
  const chunk = new ChunkWriter();
  for (const event of events) {
    const values = event.data.map(([name, text]) => dataValue(name, text));
    const key = `${event.id}:${event.data.map(([name], i) => `${name}/${values[i]!.type}`).join(',')}`;
    chunk.record(event.record, 0n, (w) => w.templateInstance(key, templateOf(event, values.map((v) => v.type)), [
      value.string(event.provider), value.int(0x06, 2, BigInt(event.id)), value.int(0x04, 1, BigInt(event.version)),
      fileTimeOf(event.time), value.int(0x0a, 8, BigInt(event.record)), value.string(event.channel), value.string(event.computer),
      ...values,
    ]));
  }
  return evtxFile([chunk.finish()]);
}

// ---------------------------------------------------------------------------------------------
// Windows: robocopy into %TEMP%\stage, 7-Zip writing %TEMP%\stage.zip ten times, a download.

export const WIN_HOST = 'WS-FIN-042.corp.example';
const TEMP = 'C:\\Users\\jdoe\\AppData\\Local\\Temp';
export const CMD_LINE = `cmd.exe /c robocopy C:\\Users\\jdoe\\Documents ${TEMP}\\stage /E`;
export const ROBOCOPY_LINE = `robocopy  C:\\Users\\jdoe\\Documents ${TEMP}\\stage /E`;
export const ZIP_LINE = `"C:\\Program Files\\7-Zip\\7z.exe" a ${TEMP}\\stage.zip ${TEMP}\\stage`;
const EXPLORER_LINE = 'C:\\Windows\\Explorer.EXE';

/** `2024-03-01 10:00:05.500` → the Defender form `2024-03-01T10:00:05.5000000Z`. */
export function isoTicks(utc: string): string {
  const [date, clock] = utc.split(' ');
  const [whole, fraction = ''] = clock!.split('.');
  return `${date}T${whole}.${fraction.padEnd(7, '0')}Z`;
}

const sysmon = (id: number, record: number, utc: string, data: Array<[string, string]>): WinEvent => ({
  provider: 'Microsoft-Windows-Sysmon', channel: 'Microsoft-Windows-Sysmon/Operational', computer: WIN_HOST,
  id, version: 5, record, time: isoTicks(utc).replace(/\d{4}Z$/, '1234Z'), data,
});

function sysmonProcess(record: number, utc: string, guid: number, image: string, commandLine: string, parentGuid: number, parentImage: string, parentLine: string): WinEvent {
  const guidText = (n: number) => `{aaaaaaaa-0000-0000-0000-000000000${n}}`;
  return sysmon(1, record, utc, [
    ['UtcTime', utc], ['ProcessGuid', guidText(guid)], ['ProcessId', String(guid)], ['Image', image], ['CommandLine', commandLine],
    ['User', 'CORP\\jdoe'], ['LogonId', '0x5a1'], ['IntegrityLevel', 'Medium'], ['ParentProcessGuid', guidText(parentGuid)],
    ['ParentProcessId', String(parentGuid)], ['ParentImage', parentImage], ['ParentCommandLine', parentLine],
  ]);
}

export function sysmonScenario(): WinEvent[] {
  const events = [
    sysmonProcess(1, '2024-03-01 10:00:00.000', 200, 'C:\\Windows\\System32\\cmd.exe', CMD_LINE, 100, 'C:\\Windows\\explorer.exe', EXPLORER_LINE),
    sysmonProcess(2, '2024-03-01 10:00:01.000', 201, 'C:\\Windows\\System32\\Robocopy.exe', ROBOCOPY_LINE, 200, 'C:\\Windows\\System32\\cmd.exe', CMD_LINE),
    sysmonProcess(3, '2024-03-01 10:00:05.000', 300, 'C:\\Program Files\\7-Zip\\7z.exe', ZIP_LINE, 200, 'C:\\Windows\\System32\\cmd.exe', CMD_LINE),
  ];
  for (let i = 0; i < 10; i++) {
    const utc = `2024-03-01 10:00:${String(6 + i).padStart(2, '0')}.500`;
    events.push(sysmon(11, 4 + i, utc, [
      ['UtcTime', utc], ['ProcessGuid', '{aaaaaaaa-0000-0000-0000-000000000300}'], ['ProcessId', '300'], ['Image', 'C:\\Program Files\\7-Zip\\7z.exe'],
      ['TargetFilename', `${TEMP}\\stage.zip`], ['CreationUtcTime', utc], ['User', 'CORP\\jdoe'],
    ]));
  }
  events.push(sysmon(11, 14, '2024-03-01 10:01:00.000', [
    ['UtcTime', '2024-03-01 10:01:00.000'], ['ProcessGuid', '{aaaaaaaa-0000-0000-0000-000000000400}'], ['ProcessId', '400'],
    ['Image', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'], ['TargetFilename', 'C:\\Users\\jdoe\\Downloads\\report.pdf'], ['User', 'CORP\\jdoe'],
  ]));
  return events;
}

const defenderProcess = (time: string, host: string, fileName: string, folderPath: string, line: string, parentName: string, parentLine: string | undefined) => ({
  Timestamp: time, DeviceName: host, ActionType: 'ProcessCreated', FileName: fileName, FolderPath: folderPath,
  ProcessCommandLine: line, AccountDomain: 'CORP', AccountName: 'jdoe', InitiatingProcessFileName: parentName, InitiatingProcessCommandLine: parentLine,
});

/** What Defender records for the Sysmon scenario. */
export function sysmonDefenderRows(): Record<string, object[]> {
  const files = sysmonScenario().filter((e) => e.id === 11).map((e) => {
    const data = Object.fromEntries(e.data);
    return {
      Timestamp: isoTicks(data['UtcTime']!), DeviceName: WIN_HOST, ActionType: 'FileCreated', FileName: data['TargetFilename']!.split('\\').pop(),
      FolderPath: data['TargetFilename'], InitiatingProcessAccountDomain: 'CORP', InitiatingProcessAccountName: 'jdoe',
      InitiatingProcessFileName: data['Image']!.split('\\').pop(),
      InitiatingProcessCommandLine: data['Image']!.endsWith('7z.exe') ? ZIP_LINE : undefined,
    };
  });
  return {
    DeviceProcessEvents: [
      defenderProcess(isoTicks('2024-03-01 10:00:00'), WIN_HOST, 'cmd.exe', 'C:\\Windows\\System32\\cmd.exe', CMD_LINE, 'explorer.exe', EXPLORER_LINE),
      defenderProcess(isoTicks('2024-03-01 10:00:01'), WIN_HOST, 'Robocopy.exe', 'C:\\Windows\\System32\\Robocopy.exe', ROBOCOPY_LINE, 'cmd.exe', CMD_LINE),
      defenderProcess(isoTicks('2024-03-01 10:00:05'), WIN_HOST, '7z.exe', 'C:\\Program Files\\7-Zip\\7z.exe', ZIP_LINE, 'cmd.exe', CMD_LINE),
    ],
    DeviceFileEvents: files,
  };
}

// ---------------------------------------------------------------------------------------------
// Windows Security auditing on a file server: the same staging seen through 4688 and 4663, plus a
// file pushed to its C$ share (5145, T1074.002), and two events with no Defender row.

export const FILE_SERVER = 'FS01.corp.example';
const SUBJECT: Array<[string, string]> = [
  ['SubjectUserSid', 'S-1-5-21-1-2-3-1001'], ['SubjectUserName', 'jdoe'], ['SubjectDomainName', 'CORP'], ['SubjectLogonId', '0x5a1'],
];

const security = (id: number, version: number, record: number, time: string, data: Array<[string, string]>): WinEvent => ({
  provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security', computer: FILE_SERVER, id, version, record, time, data,
});

function processCreated(record: number, time: string, pid: number, image: string, commandLine: string, creatorPid: number, creatorImage: string): WinEvent {
  return security(4688, 2, record, time, [
    ...SUBJECT, ['NewProcessId', `0x${pid.toString(16)}`], ['NewProcessName', image], ['TokenElevationType', '%%1938'],
    ['ProcessId', `0x${creatorPid.toString(16)}`], ['CommandLine', commandLine], ['TargetUserSid', 'S-1-0-0'], ['TargetUserName', '-'],
    ['TargetDomainName', '-'], ['TargetLogonId', '0x0'], ['ParentProcessName', creatorImage], ['MandatoryLabel', 'S-1-16-8192'],
  ]);
}

const securityTime = (second: number) => `2024-03-01T10:00:${String(second).padStart(2, '0')}.1234567Z`;

export function securityScenario(): WinEvent[] {
  const events = [
    processCreated(1, securityTime(0), 0x64, 'C:\\Windows\\explorer.exe', EXPLORER_LINE, 0x50, 'C:\\Windows\\System32\\userinit.exe'),
    processCreated(2, securityTime(1), 0xc8, 'C:\\Windows\\System32\\cmd.exe', CMD_LINE, 0x64, 'C:\\Windows\\explorer.exe'),
    processCreated(3, securityTime(2), 0xc9, 'C:\\Windows\\System32\\Robocopy.exe', ROBOCOPY_LINE, 0xc8, 'C:\\Windows\\System32\\cmd.exe'),
    processCreated(4, securityTime(5), 0x12c, 'C:\\Program Files\\7-Zip\\7z.exe', ZIP_LINE, 0xc8, 'C:\\Windows\\System32\\cmd.exe'),
  ];
  const access = (record: number, time: string, mask: string) => security(4663, 1, record, time, [
    ...SUBJECT, ['ObjectServer', 'Security'], ['ObjectType', 'File'], ['ObjectName', `${TEMP}\\stage.zip`], ['HandleId', '0x1f4'],
    ['AccessList', '%%4417'], ['AccessMask', mask], ['ProcessId', '0x12c'], ['ProcessName', 'C:\\Program Files\\7-Zip\\7z.exe'],
  ]);
  for (let i = 0; i < 10; i++) events.push(access(5 + i, securityTime(6 + i), '0x2'));
  events.push(access(15, securityTime(20), '0x1'));
  const share = (record: number, shareName: string, relative: string) => security(5145, 0, record, securityTime(30), [
    ...SUBJECT, ['ObjectType', 'File'], ['IpAddress', '::ffff:10.0.0.7'], ['IpPort', '50123'], ['ShareName', shareName],
    ['ShareLocalPath', '\\??\\C:\\'], ['RelativeTargetName', relative], ['AccessMask', '0x2'], ['AccessList', '%%4417'],
  ]);
  events.push(share(16, '\\\\*\\C$', 'Users\\Public\\loot.zip'), share(17, '\\\\*\\IPC$', 'srvsvc'));
  return events;
}

/** What Defender records for the Security scenario (explorer's creator, userinit, is not in the log). */
export function securityDefenderRows(): Record<string, object[]> {
  const modified = Array.from({ length: 10 }, (_, i) => ({
    Timestamp: securityTime(6 + i), DeviceName: FILE_SERVER, ActionType: 'FileModified', FileName: 'stage.zip', FolderPath: `${TEMP}\\stage.zip`,
    InitiatingProcessAccountDomain: 'CORP', InitiatingProcessAccountName: 'jdoe', InitiatingProcessFileName: '7z.exe', InitiatingProcessCommandLine: ZIP_LINE,
  }));
  return {
    DeviceProcessEvents: [
      defenderProcess(securityTime(0), FILE_SERVER, 'explorer.exe', 'C:\\Windows\\explorer.exe', EXPLORER_LINE, 'userinit.exe', undefined),
      defenderProcess(securityTime(1), FILE_SERVER, 'cmd.exe', 'C:\\Windows\\System32\\cmd.exe', CMD_LINE, 'explorer.exe', EXPLORER_LINE),
      defenderProcess(securityTime(2), FILE_SERVER, 'Robocopy.exe', 'C:\\Windows\\System32\\Robocopy.exe', ROBOCOPY_LINE, 'cmd.exe', CMD_LINE),
      defenderProcess(securityTime(5), FILE_SERVER, '7z.exe', 'C:\\Program Files\\7-Zip\\7z.exe', ZIP_LINE, 'cmd.exe', CMD_LINE),
    ],
    DeviceFileEvents: [
      ...modified,
      {
        Timestamp: securityTime(30), DeviceName: FILE_SERVER, ActionType: 'FileCreated', FileName: 'loot.zip', FolderPath: 'C:\\Users\\Public\\loot.zip',
        InitiatingProcessFileName: 'System', InitiatingProcessId: 4, RequestProtocol: 'SMB', ShareName: 'C$', RequestSourceIP: '10.0.0.7',
        RequestSourcePort: 50123, RequestAccountName: 'jdoe', RequestAccountDomain: 'CORP',
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Linux: a user archives and copies documents into /tmp, then removes a staged file.

export const LINUX_HOST = 'ubuntu5';
const TAR_LINE = 'tar czf /tmp/stage.tgz /home/jdoe/docs';
const CP_LINE = 'cp -r /home/jdoe/docs /tmp/stage';
const LS_LINE = 'ls -la /tmp';

/** Sysmon for Linux as rsyslog writes it: one `<Event>` per syslog line. */
export function sysmonForLinuxSyslog(): string {
  const line = (id: number, record: number, utc: string, data: Array<[string, string]>) => `Mar  1 10:00:0${record} ${LINUX_HOST} sysmon: `
    + `<Event><System><Provider Name="Linux-Sysmon" Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/><EventID>${id}</EventID><Version>5</Version>`
    + `<TimeCreated SystemTime="${utc.replace(' ', 'T')}000000Z"/><EventRecordID>${record}</EventRecordID><Channel>Linux-Sysmon/Operational</Channel>`
    + `<Computer>${LINUX_HOST}</Computer><Security UserId="0"/></System><EventData>`
    + data.map(([k, v]) => `<Data Name="${k}">${escapeXml(v)}</Data>`).join('') + '</EventData></Event>';
  const exec = (record: number, utc: string, pid: number, image: string, commandLine: string) => line(1, record, utc, [
    ['RuleName', '-'], ['UtcTime', utc], ['ProcessGuid', `{8b3b5e8a-0000-0000-0000-00000000${pid}}`], ['ProcessId', String(pid)], ['Image', image],
    ['FileVersion', '-'], ['Description', '-'], ['CommandLine', commandLine], ['CurrentDirectory', '/home/jdoe'], ['User', 'jdoe'],
    ['LogonId', '1000'], ['IntegrityLevel', 'no level'], ['Hashes', '-'], ['ParentProcessGuid', '{8b3b5e8a-0000-0000-0000-000000002000}'],
    ['ParentProcessId', '2000'], ['ParentImage', '/usr/bin/bash'], ['ParentCommandLine', '-bash'], ['ParentUser', 'jdoe'],
  ]);
  const file = (id: number, record: number, utc: string, target: string) => line(id, record, utc, [
    ['RuleName', '-'], ['UtcTime', utc], ['ProcessGuid', '{8b3b5e8a-0000-0000-0000-000000002001}'], ['ProcessId', '2001'],
    ['Image', '/usr/bin/tar'], ['TargetFilename', target], ['CreationUtcTime', utc], ['User', 'jdoe'],
  ]);
  return [
    exec(1, '2024-03-01 10:00:01.123', 2001, '/usr/bin/tar', TAR_LINE),
    file(11, 2, '2024-03-01 10:00:02.250', '/tmp/stage.tgz'),
    exec(3, '2024-03-01 10:00:03.500', 2002, '/usr/bin/cp', CP_LINE),
    exec(4, '2024-03-01 10:00:04.000', 2003, '/usr/bin/ls', LS_LINE),
    `Mar  1 10:00:05 ${LINUX_HOST} systemd[1]: Started Session 4 of user jdoe.`,
  ].join('\n') + '\n';
}

/** The same activity in raw auditd records (execve with EXECVE/CWD/PATH, openat creating the archive, unlink). */
export function auditLog(): string {
  const event = (seconds: string, serial: number, records: string[]) => records.map((r) => `node=${LINUX_HOST} ${r.replace('@', `audit(${seconds}:${serial})`)}`);
  const exec = (seconds: string, serial: number, pid: number, exe: string, argv: string[]) => event(seconds, serial, [
    `type=SYSCALL msg=@: arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=2000 pid=${pid} auid=1000 uid=1000 gid=1000 euid=1000 ses=4 tty=pts0 comm="${argv[0]}" exe="${exe}" key="exec"\x1dAUID="jdoe" UID="jdoe"`,
    `type=EXECVE msg=@: argc=${argv.length} ${argv.map((a, i) => `a${i}="${a}"`).join(' ')}`,
    'type=CWD msg=@: cwd="/home/jdoe"',
    `type=PATH msg=@: item=0 name="${exe}" inode=1 dev=08:01 mode=0100755 nametype=NORMAL`,
    'type=EOE msg=@:',
  ]);
  return [
    ...exec('1709287201.123', 101, 2001, '/usr/bin/tar', TAR_LINE.split(' ')),
    ...event('1709287202.250', 102, [
      'type=SYSCALL msg=@: arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=55 a2=241 a3=1b6 items=2 ppid=2000 pid=2001 auid=1000 uid=1000 comm="tar" exe="/usr/bin/tar"\x1dUID="jdoe"',
      'type=CWD msg=@: cwd="/home/jdoe"',
      'type=PATH msg=@: item=0 name="/tmp/" inode=2 dev=08:01 mode=041777 nametype=PARENT',
      'type=PATH msg=@: item=1 name="/tmp/stage.tgz" inode=3 dev=08:01 mode=0100644 nametype=CREATE',
      'type=EOE msg=@:',
    ]),
    ...exec('1709287203.500', 103, 2002, '/usr/bin/cp', CP_LINE.split(' ')),
    ...exec('1709287204.000', 104, 2003, '/usr/bin/ls', LS_LINE.split(' ')),
  ].join('\n') + '\n';
}

/** The process starts as AUOMS one-line records. */
export function auomsLog(): string {
  const auoms = (seconds: string, serial: number, pid: number, exe: string, cmdline: string) =>
    `type=AUOMS_EXECVE audit(${seconds}:${serial}): SchemaVersion="1" node=${LINUX_HOST} arch=x86_64 syscall=execve syscall_r=59 success=yes exit=0 `
    + `ppid=2000 pid=${pid} user=jdoe uid=1000 ses="4" comm="${cmdline.split(' ')[0]}" exe="${exe}" cwd="/home/jdoe" path_name=["${exe}"] `
    + `argc=${cmdline.split(' ').length} cmdline="${cmdline}" redactors= containerid=`;
  return [
    auoms('1709287201.123', 101, 2001, '/usr/bin/tar', TAR_LINE),
    auoms('1709287203.500', 103, 2002, '/usr/bin/cp', CP_LINE),
    auoms('1709287204.000', 104, 2003, '/usr/bin/ls', LS_LINE),
  ].join('\n') + '\n';
}

/** Defender for Endpoint on Linux for the same activity (the archive write only where the source logs files). */
export function linuxDefenderRows(withFiles: boolean): Record<string, object[]> {
  const process = (time: string, fileName: string, line: string) => ({
    Timestamp: time, DeviceName: LINUX_HOST, ActionType: 'ProcessCreated', FileName: fileName, FolderPath: `/usr/bin/${fileName}`,
    ProcessCommandLine: line, AccountName: 'jdoe', InitiatingProcessFileName: 'bash',
  });
  return {
    DeviceProcessEvents: [
      process('2024-03-01T10:00:01.1230000Z', 'tar', TAR_LINE),
      process('2024-03-01T10:00:03.5000000Z', 'cp', CP_LINE),
      process('2024-03-01T10:00:04.0000000Z', 'ls', LS_LINE),
    ],
    DeviceFileEvents: withFiles ? [{
      Timestamp: '2024-03-01T10:00:02.2500000Z', DeviceName: LINUX_HOST, ActionType: 'FileCreated', FileName: 'stage.tgz', FolderPath: '/tmp/stage.tgz',
      InitiatingProcessFileName: 'tar', InitiatingProcessCommandLine: TAR_LINE, InitiatingProcessAccountName: 'jdoe',
    }] : [],
  };
}
