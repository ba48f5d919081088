/**
 * Scenarios: telemetry we write ourselves, as a compact timeline (`scenarios/<id>/scenario.yaml`:
 * processes started, files written by them, files arriving over SMB, connections) rendered into
 * every input format stagehunt reads — Defender rows (NDJSON), Sysmon event XML (Windows, or Sysmon
 * for Linux) and, for Linux, raw auditd records — so a replay exercises the whole pipeline.
 * Times keep millisecond precision, which is what Sysmon and auditd record.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES_DIR } from './builtin-rules.js';
import { ContentError, parseValidatedYaml } from './validate.js';

export interface ProcessSpec {
  id: string;
  image: string;
  commandLine?: string;
  argv?: string[];
  pid: number;
  parent?: string;
  parentImage?: string;
  parentCommandLine?: string;
  parentPid?: number;
  company?: string;
  user?: string;
}

export interface FilesSpec {
  by: string;
  action?: 'FileCreated' | 'FileModified';
  folder: string;
  names: string[];
  stepMs?: number;
}

export interface SmbSpec {
  folder: string;
  names: string[];
  sourceIp: string;
  account: string;
  share: string;
  stepMs?: number;
}

export interface ConnectSpec {
  by: string;
  remoteIp: string;
  remotePort: number;
  remoteUrl?: string;
}

export interface ScenarioEventSpec {
  at: number;
  process?: ProcessSpec;
  files?: FilesSpec;
  smb?: SmbSpec;
  connect?: ConnectSpec;
}

export interface ScenarioSpec {
  id: string;
  title: string;
  kind: 'attack' | 'benign';
  family?: string;
  platform: 'windows' | 'linux';
  technique?: string;
  source: string;
  description: string;
  device: string;
  domain?: string;
  user: string;
  start: string;
  events: ScenarioEventSpec[];
}

export interface Scenario {
  spec: ScenarioSpec;
  dir: string;
}

export const SCENARIO_SCHEMA_FILE = join(RULES_DIR, 'schema', 'scenario.schema.json');

export function loadScenario(dir: string): Scenario {
  const file = join(dir, 'scenario.yaml');
  const spec = parseValidatedYaml<ScenarioSpec>(readFileSync(file, 'utf8'), file, SCENARIO_SCHEMA_FILE);
  const folder = dir.split(/[\\/]/).filter(Boolean).pop();
  const problems: string[] = [];
  if (spec.id !== folder) problems.push(`${file}: id: "${spec.id}" differs from the folder "${folder}" — fix: set id: ${folder}`);
  const seen = new Set<string>();
  for (const [i, event] of spec.events.entries()) {
    const refs = [event.files?.by, event.connect?.by, event.process?.parent].filter((r): r is string => r !== undefined);
    for (const ref of refs) {
      if (!seen.has(ref)) problems.push(`${file}: events.${i}: process "${ref}" is not started by an earlier event — fix: add a process event with id: ${ref} before it`);
    }
    if (event.process) seen.add(event.process.id);
  }
  if (problems.length > 0) throw new ContentError(problems);
  return { spec, dir };
}

/** Every scenario folder (holding a scenario.yaml) under `root`, sorted by id. */
export function loadScenarios(root: string): Scenario[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'scenario.yaml')))
    .map((d) => loadScenario(join(root, d.name)))
    .sort((a, b) => a.spec.id.localeCompare(b.spec.id));
}

// -------------------------------------------------------------------------------------------------
// The timeline: every event at its time, processes resolved

interface ProcessInfo {
  spec: ProcessSpec;
  commandLine: string;
  argv: string[];
  user: string;
  time: number;
  guid: string;
  parent?: ProcessInfo;
}

type TimelineEvent =
  | { kind: 'process'; time: number; process: ProcessInfo }
  | { kind: 'file'; time: number; process: ProcessInfo; action: 'FileCreated' | 'FileModified'; path: string; name: string }
  | { kind: 'smb'; time: number; path: string; name: string; smb: SmbSpec }
  | { kind: 'connect'; time: number; process: ProcessInfo; connect: ConnectSpec };

const DEFAULT_STEP_MS = 7;

function timeline(spec: ScenarioSpec): TimelineEvent[] {
  const start = Date.parse(spec.start);
  const processes = new Map<string, ProcessInfo>();
  const out: TimelineEvent[] = [];
  for (const event of spec.events) {
    const at = start + event.at;
    if (event.process) {
      const p = event.process;
      const argv = p.argv ?? splitWindowsCommandLine(p.commandLine ?? p.image);
      const info: ProcessInfo = {
        spec: p, argv, commandLine: p.commandLine ?? joinArgv(argv), user: p.user ?? spec.user, time: at,
        guid: guidOf(spec.device, p.pid, at), parent: p.parent ? processes.get(p.parent) : undefined,
      };
      processes.set(p.id, info);
      out.push({ kind: 'process', time: at, process: info });
    } else if (event.files) {
      const f = event.files;
      const process = processes.get(f.by)!;
      f.names.forEach((name, i) => out.push({
        kind: 'file', time: at + i * (f.stepMs ?? DEFAULT_STEP_MS), process, action: f.action ?? 'FileCreated',
        path: joinPath(f.folder, name), name: lastSegment(name),
      }));
    } else if (event.smb) {
      const s = event.smb;
      s.names.forEach((name, i) => out.push({ kind: 'smb', time: at + i * (s.stepMs ?? DEFAULT_STEP_MS), path: joinPath(s.folder, name), name: lastSegment(name), smb: s }));
    } else if (event.connect) {
      out.push({ kind: 'connect', time: at, process: processes.get(event.connect.by)!, connect: event.connect });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

function joinPath(folder: string, name: string): string {
  const sep = folder.startsWith('/') ? '/' : '\\';
  return `${folder.replace(/[\\/]+$/, '')}${sep}${name.replace(/[\\/]/g, sep)}`;
}

function lastSegment(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function baseName(path: string): string {
  return lastSegment(path);
}

/** Linux argv → one command line, quoting as the audit normaliser does (arguments with spaces or quotes). */
export function joinArgv(argv: string[]): string {
  return argv.map((a) => (a === '' || /[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ');
}

function splitWindowsCommandLine(commandLine: string): string[] {
  return commandLine.match(/"[^"]*"|\S+/g) ?? [commandLine];
}

function guidOf(device: string, pid: number, time: number): string {
  const h = createHash('sha1').update(`${device}:${pid}:${time}`).digest('hex');
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}}`;
}

function reportId(device: string, index: number): number {
  return parseInt(createHash('sha1').update(device).digest('hex').slice(0, 6), 16) * 1000 + index;
}

// -------------------------------------------------------------------------------------------------
// Defender rows

export type DefenderTables = Record<string, Array<Record<string, unknown>>>;

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

export function defenderRows(spec: ScenarioSpec): DefenderTables {
  const tables: DefenderTables = { DeviceProcessEvents: [], DeviceFileEvents: [], DeviceNetworkEvents: [] };
  const deviceId = createHash('md5').update(spec.device).digest('hex');
  const common = (time: number, index: number, actionType: string) => ({
    Timestamp: isoTime(time), DeviceId: deviceId, DeviceName: spec.device, ActionType: actionType, ReportId: reportId(spec.device, index),
  });
  timeline(spec).forEach((event, index) => {
    switch (event.kind) {
      case 'process': {
        const p = event.process;
        tables['DeviceProcessEvents']!.push({
          ...common(event.time, index, 'ProcessCreated'),
          FileName: baseName(p.spec.image), FolderPath: p.spec.image, ProcessId: p.spec.pid, ProcessCommandLine: p.commandLine,
          ProcessCreationTime: isoTime(p.time), ProcessVersionInfoCompanyName: p.spec.company ?? '',
          AccountDomain: spec.domain ?? '', AccountName: p.user,
          ...parentColumns(spec, p),
        });
        break;
      }
      case 'file':
        tables['DeviceFileEvents']!.push({
          ...common(event.time, index, event.action),
          FileName: event.name, FolderPath: event.path, RequestProtocol: 'Local',
          ...initiatingColumns(spec, event.process),
        });
        break;
      case 'smb':
        tables['DeviceFileEvents']!.push({
          ...common(event.time, index, 'FileCreated'),
          FileName: event.name, FolderPath: event.path, RequestProtocol: 'SMB', ShareName: event.smb.share,
          RequestSourceIP: event.smb.sourceIp, RequestAccountName: event.smb.account, RequestAccountDomain: spec.domain ?? '',
          InitiatingProcessFileName: 'System', InitiatingProcessId: 4, InitiatingProcessAccountName: 'system',
        });
        break;
      case 'connect':
        tables['DeviceNetworkEvents']!.push({
          ...common(event.time, index, 'ConnectionSuccess'),
          RemoteIP: event.connect.remoteIp, RemotePort: event.connect.remotePort, RemoteUrl: event.connect.remoteUrl ?? '',
          Protocol: 'Tcp', ...initiatingColumns(spec, event.process),
        });
        break;
    }
  });
  return tables;
}

function parentColumns(spec: ScenarioSpec, p: ProcessInfo): Record<string, unknown> {
  const parent = p.parent;
  return {
    InitiatingProcessFileName: parent ? baseName(parent.spec.image) : p.spec.parentImage ? baseName(p.spec.parentImage) : '',
    InitiatingProcessFolderPath: parent?.spec.image ?? p.spec.parentImage ?? '',
    InitiatingProcessCommandLine: parent?.commandLine ?? p.spec.parentCommandLine ?? '',
    InitiatingProcessId: parent?.spec.pid ?? p.spec.parentPid ?? null,
    InitiatingProcessAccountName: parent?.user ?? p.user,
    InitiatingProcessAccountDomain: spec.domain ?? '',
  };
}

function initiatingColumns(spec: ScenarioSpec, p: ProcessInfo): Record<string, unknown> {
  return {
    InitiatingProcessFileName: baseName(p.spec.image), InitiatingProcessFolderPath: p.spec.image,
    InitiatingProcessCommandLine: p.commandLine, InitiatingProcessId: p.spec.pid, InitiatingProcessCreationTime: isoTime(p.time),
    InitiatingProcessAccountName: p.user, InitiatingProcessAccountDomain: spec.domain ?? '',
    InitiatingProcessVersionInfoCompanyName: p.spec.company ?? '',
    InitiatingProcessParentFileName: p.parent ? baseName(p.parent.spec.image) : p.spec.parentImage ? baseName(p.spec.parentImage) : '',
  };
}

// -------------------------------------------------------------------------------------------------
// Sysmon event XML (Sysmon for Windows, or Sysmon for Linux)

function sysmonTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function sysmonXml(spec: ScenarioSpec): string {
  const linux = spec.platform === 'linux';
  const provider = linux
    ? '<Provider Name="Linux-Sysmon" Guid="{ff032593-a8d3-4f13-b0d6-01fc615a0f97}"/>'
    : '<Provider Name="Microsoft-Windows-Sysmon" Guid="{5770385f-c22a-43e0-bf4c-06f5698ffbd9}"/>';
  const channel = linux ? 'Linux-Sysmon/Operational' : 'Microsoft-Windows-Sysmon/Operational';
  const account = (user: string) => (linux || user.includes('\\') ? user : `${spec.domain ? spec.domain.toUpperCase() : spec.device.split('.')[0]!.toUpperCase()}\\${user}`);
  const lines: string[] = [];
  timeline(spec).forEach((event, index) => {
    const record = index + 1;
    const data: Array<[string, string | number]> = [['RuleName', ''], ['UtcTime', sysmonTime(event.time)]];
    let eventId: number;
    switch (event.kind) {
      case 'process': {
        eventId = 1;
        const p = event.process;
        data.push(['ProcessGuid', p.guid], ['ProcessId', p.spec.pid], ['Image', p.spec.image], ['Company', p.spec.company ?? ''],
          ['CommandLine', p.commandLine], ['CurrentDirectory', linux ? `/home/${p.user}` : 'C:\\Windows\\system32\\'], ['User', account(p.user)],
          ['ParentProcessGuid', p.parent?.guid ?? guidOf(spec.device, p.spec.parentPid ?? 0, 0)],
          ['ParentProcessId', p.parent?.spec.pid ?? p.spec.parentPid ?? 0], ['ParentImage', p.parent?.spec.image ?? p.spec.parentImage ?? ''],
          ['ParentCommandLine', p.parent?.commandLine ?? p.spec.parentCommandLine ?? '']);
        break;
      }
      case 'file':
        eventId = 11;
        data.push(['ProcessGuid', event.process.guid], ['ProcessId', event.process.spec.pid], ['Image', event.process.spec.image],
          ['TargetFilename', event.path], ['CreationUtcTime', sysmonTime(event.time)], ['User', account(event.process.user)]);
        break;
      case 'smb':
        // Files written by the SMB server appear in Sysmon as created by the System process (PID 4).
        eventId = 11;
        data.push(['ProcessGuid', '{00000000-0000-0000-0000-000000000000}'], ['ProcessId', 4], ['Image', 'System'],
          ['TargetFilename', event.path], ['CreationUtcTime', sysmonTime(event.time)], ['User', 'NT AUTHORITY\\SYSTEM']);
        break;
      case 'connect':
        eventId = 3;
        data.push(['ProcessGuid', event.process.guid], ['ProcessId', event.process.spec.pid], ['Image', event.process.spec.image],
          ['User', account(event.process.user)], ['Protocol', 'tcp'], ['Initiated', 'true'], ['SourceIsIpv6', 'false'],
          ['SourceIp', '10.20.30.40'], ['SourcePort', 49152 + index], ['DestinationIsIpv6', 'false'], ['DestinationIp', event.connect.remoteIp],
          ['DestinationHostname', event.connect.remoteUrl ?? ''], ['DestinationPort', event.connect.remotePort]);
        break;
    }
    const eventData = data.map(([k, v]) => `<Data Name="${k}">${xmlEscape(String(v))}</Data>`).join('');
    lines.push(`<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>${provider}<EventID>${eventId}</EventID>`
      + `<Version>5</Version><Level>4</Level><Task>${eventId}</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>`
      + `<TimeCreated SystemTime="${new Date(event.time).toISOString()}"/><EventRecordID>${record}</EventRecordID>`
      + `<Execution ProcessID="2796" ThreadID="3592"/><Channel>${channel}</Channel><Computer>${xmlEscape(spec.device)}</Computer>`
      + `<Security UserID="S-1-5-18"/></System><EventData>${eventData}</EventData></Event>`);
  });
  return `${lines.join('\n')}\n`;
}

// -------------------------------------------------------------------------------------------------
// Linux audit records (raw auditd, x86_64)

const O_WRONLY_CREAT_TRUNC = '241';

/** An audit field value: quoted when plain, hex-encoded (as auditd does) when it holds spaces, quotes or controls. */
function auditField(value: string): string {
  return /^[\x21-\x7e]*$/.test(value) && !value.includes('"') ? `"${value}"` : Buffer.from(value, 'utf8').toString('hex').toUpperCase();
}

export function auditdLog(spec: ScenarioSpec): string {
  const node = spec.device;
  const lines: string[] = [];
  const uid = (user: string) => (user === 'root' ? 0 : 1000);
  let serial = 1000;
  for (const event of timeline(spec)) {
    if (event.kind !== 'process' && event.kind !== 'file') continue; // connects and SMB have no audit form here
    serial++;
    const header = (type: string) => `node=${node} type=${type} msg=audit(${(event.time / 1000).toFixed(3)}:${serial}):`;
    const p = event.process;
    const ppid = p.parent?.spec.pid ?? p.spec.parentPid ?? 1;
    const ids = (user: string) => `auid=${uid(user)} uid=${uid(user)} gid=${uid(user)} euid=${uid(user)} suid=${uid(user)} fsuid=${uid(user)} egid=${uid(user)} sgid=${uid(user)} fsgid=${uid(user)}`;
    const common = `ppid=${ppid} pid=${p.spec.pid} ${ids(p.user)} tty=pts0 ses=3 comm=${auditField(baseName(p.spec.image).slice(0, 15))} exe=${auditField(p.spec.image)}`;
    const proctitle = Buffer.from(p.argv.join('\0'), 'utf8').toString('hex').toUpperCase();
    if (event.kind === 'process') {
      lines.push(`${header('SYSCALL')} arch=c000003e syscall=59 success=yes exit=0 a0=55d1 a1=55d2 a2=55d3 a3=0 items=2 ${common} key="exec" UID="${p.user}"`);
      lines.push(`${header('EXECVE')} argc=${p.argv.length} ${p.argv.map((a, i) => `a${i}=${auditField(a)}`).join(' ')}`);
      lines.push(`${header('CWD')} cwd=${auditField(`/home/${p.user}`)}`);
      lines.push(`${header('PATH')} item=0 name=${auditField(p.spec.image)} inode=1001 dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL`);
    } else {
      const folder = event.path.slice(0, event.path.length - event.name.length);
      const created = event.action === 'FileCreated';
      lines.push(`${header('SYSCALL')} arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd a2=${O_WRONLY_CREAT_TRUNC} a3=1b6 items=2 ${common} key="staging" UID="${p.user}"`);
      lines.push(`${header('CWD')} cwd=${auditField(`/home/${p.user}`)}`);
      lines.push(`${header('PATH')} item=0 name=${auditField(folder)} inode=2001 dev=08:01 mode=040755 ouid=${uid(p.user)} ogid=${uid(p.user)} rdev=00:00 nametype=PARENT`);
      lines.push(`${header('PATH')} item=1 name=${auditField(event.path)} inode=2002 dev=08:01 mode=0100644 ouid=${uid(p.user)} ogid=${uid(p.user)} rdev=00:00 nametype=${created ? 'CREATE' : 'NORMAL'}`);
    }
    lines.push(`${header('PROCTITLE')} proctitle=${proctitle}`);
    lines.push(`${header('EOE')}`);
  }
  return `${lines.join('\n')}\n`;
}

// -------------------------------------------------------------------------------------------------
// Variant files on disk

export type VariantName = 'defender' | 'sysmon' | 'auditd';

export function variantsOf(spec: ScenarioSpec): VariantName[] {
  return spec.platform === 'linux' ? ['defender', 'sysmon', 'auditd'] : ['defender', 'sysmon'];
}

/** The files each variant consists of, relative to the scenario folder, with their content. */
export function renderVariantFiles(spec: ScenarioSpec): Map<string, string> {
  const files = new Map<string, string>();
  for (const [table, rows] of Object.entries(defenderRows(spec))) {
    if (rows.length > 0) files.set(join('defender', `${table}.ndjson`), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
  files.set('sysmon.xml', sysmonXml(spec));
  if (spec.platform === 'linux') files.set('auditd.log', auditdLog(spec));
  return files;
}

/** Writes the rendered variants beside scenario.yaml; returns the files whose content changed. */
export function writeVariantFiles(scenario: Scenario): string[] {
  const changed: string[] = [];
  for (const [name, content] of renderVariantFiles(scenario.spec)) {
    const path = join(scenario.dir, name);
    if (existsSync(path) && readFileSync(path, 'utf8') === content) continue;
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    changed.push(path);
  }
  return changed;
}

/** Files on disk that differ from what scenario.yaml renders to (stale after an edit). */
export function staleVariantFiles(scenario: Scenario): string[] {
  const stale: string[] = [];
  for (const [name, content] of renderVariantFiles(scenario.spec)) {
    const path = join(scenario.dir, name);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== content) stale.push(path);
  }
  return stale;
}

export function variantPath(scenario: Scenario, variant: VariantName): string {
  switch (variant) {
    case 'defender': return join(scenario.dir, 'defender');
    case 'sysmon': return join(scenario.dir, 'sysmon.xml');
    case 'auditd': return join(scenario.dir, 'auditd.log');
  }
}
