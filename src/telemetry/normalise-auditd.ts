/**
 * Assembled Linux audit events (raw auditd or AUOMS) → Defender rows: execve → ProcessCreated;
 * open/openat with O_CREAT, creat → FileCreated (FileModified when an existing file is truncated);
 * rename* → FileRenamed; unlink* → FileDeleted. Field-by-field mapping: docs/telemetry-mapping.md.
 */
import { basename } from 'node:path';
import {
  auditNumber, auditValue, execveArguments, firstRecord, joinCommandLine, proctitleCommandLine, recordsOf,
  type AuditEvent, type AuditRecord,
} from './auditd.js';
import { additionalFields, fileNameOf, setFields, skipped, stableReportId, type DefenderRow, type Mapping } from './fields.js';
import { ProcessTracker, type TrackedProcess } from './process-tracker.js';
import { formatEventTime } from './time.js';

type SyscallName = 'execve' | 'execveat' | 'open' | 'openat' | 'creat' | 'rename' | 'renameat' | 'renameat2' | 'unlink' | 'unlinkat';

/** Syscall numbers by audit arch (x86_64 and aarch64; aarch64 has only the *at variants). */
const SYSCALLS: Record<string, Record<number, SyscallName>> = {
  c000003e: { 2: 'open', 59: 'execve', 82: 'rename', 85: 'creat', 87: 'unlink', 257: 'openat', 263: 'unlinkat', 264: 'renameat', 316: 'renameat2', 322: 'execveat' },
  c00000b7: { 35: 'unlinkat', 38: 'renameat', 56: 'openat', 221: 'execve', 276: 'renameat2', 281: 'execveat' },
};
const ARCH_NAMES: Record<string, string> = { x86_64: 'c000003e', aarch64: 'c00000b7' };
const KNOWN_NAMES = new Set<string>(Object.values(SYSCALLS).flatMap((t) => Object.values(t)));

const O_CREAT = 0x40;
const O_TRUNC = 0x200;
const AT_REMOVEDIR = 0x200;
/** The kernel's "unset" id (auid/ses of daemons). */
const UNSET_ID = 4294967295;

export class AuditNormaliser {
  private readonly processes = new ProcessTracker();

  constructor(private readonly fileName: string) {}

  normalise(event: AuditEvent): Mapping {
    const auoms = event.records.find((r) => r.type.startsWith('AUOMS_'));
    if (auoms) return auoms.type === 'AUOMS_EXECVE' ? this.auomsExec(event, auoms) : skipped(`${auoms.type} has no Defender table mapping`);
    const syscall = firstRecord(event, 'SYSCALL');
    if (!syscall) return skipped(`audit ${event.records[0]?.type ?? 'event'} without SYSCALL has no Defender table mapping`);
    const name = syscallName(syscall);
    if (!name) return skipped(`audit syscall ${syscall.fields.get('syscall') ?? '?'} (arch ${syscall.fields.get('arch') ?? '?'}) has no Defender table mapping`);
    if (syscall.fields.get('success') === 'no') return skipped(`failed ${name} (success=no)`);
    switch (name) {
      case 'execve': case 'execveat': return this.exec(event, syscall);
      case 'open': case 'openat': case 'creat': return this.create(event, syscall, name);
      case 'rename': case 'renameat': case 'renameat2': return this.rename(event, syscall);
      case 'unlink': case 'unlinkat': return this.unlink(event, syscall, name);
    }
  }

  private exec(event: AuditEvent, syscall: AuditRecord): Mapping {
    const args = execveArguments(event);
    const commandLine = args ? joinCommandLine(args) : proctitleCommandLine(event);
    const cwd = auditValue(firstRecord(event, 'CWD')?.fields.get('cwd'));
    const image = auditValue(syscall.fields.get('exe')) ?? resolvePath(pathItems(event)[0]?.name, cwd);
    return this.processRow(event, syscall.fields, image, commandLine, { Source: 'auditd', syscall: 'execve', cwd });
  }

  private auomsExec(event: AuditEvent, record: AuditRecord): Mapping {
    if (record.fields.get('success') === 'no') return skipped('failed execve (success=no)');
    const commandLine = auditValue(record.fields.get('cmdline')) ?? auditValue(record.fields.get('proctitle'));
    const cwd = auditValue(record.fields.get('cwd'));
    return this.processRow(event, record.fields, auditValue(record.fields.get('exe')), commandLine, { Source: 'AUOMS', syscall: 'execve', cwd });
  }

  private processRow(
    event: AuditEvent, fields: Map<string, string>, image: string | undefined, commandLine: string | undefined,
    extra: Record<string, string | undefined>,
  ): Mapping {
    const time = formatEventTime(event.time);
    const pid = auditNumber(fields.get('pid'));
    const ppid = auditNumber(fields.get('ppid'));
    const user = userNameOf(fields);
    const parent = this.processes.find(pidKey(event, ppid));
    const process: TrackedProcess = {
      folderPath: image, fileName: fileNameOf(image), commandLine, processId: pid, creationTime: time, accountName: user,
      logonId: sessionOf(fields), parentId: ppid, parentFileName: parent?.fileName, parentCreationTime: parent?.creationTime,
    };
    this.processes.remember([pidKey(event, pid)], process);
    const row = this.baseRow(event, time, 'ProcessCreated');
    setFields(row, {
      FileName: process.fileName, FolderPath: image, ProcessId: pid, ProcessCommandLine: commandLine, ProcessCreationTime: time,
      AccountName: user, LogonId: process.logonId,
      InitiatingProcessId: ppid, InitiatingProcessFolderPath: parent?.folderPath, InitiatingProcessFileName: parent?.fileName,
      InitiatingProcessCommandLine: parent?.commandLine, InitiatingProcessCreationTime: parent?.creationTime,
      InitiatingProcessAccountName: parent?.accountName, InitiatingProcessLogonId: parent?.logonId,
      InitiatingProcessParentId: parent?.parentId, InitiatingProcessParentFileName: parent?.parentFileName,
      AdditionalFields: additionalFields({ ...extra, uid: fields.get('uid'), auid: fields.get('auid'), euid: fields.get('euid'), comm: auditValue(fields.get('comm')), serial: event.serial }),
    });
    return { kind: 'row', table: 'DeviceProcessEvents', row };
  }

  private create(event: AuditEvent, syscall: AuditRecord, name: 'open' | 'openat' | 'creat'): Mapping {
    // open(path, flags), openat(dirfd, path, flags); creat is open(O_CREAT|O_WRONLY|O_TRUNC).
    const flags = name === 'creat' ? O_CREAT | O_TRUNC : hexArgument(syscall, name === 'open' ? 'a1' : 'a2');
    if (flags === undefined || (flags & O_CREAT) === 0) return skipped(`${name} without O_CREAT`);
    const items = pathItems(event);
    const created = items.find((p) => p.nametype === 'CREATE');
    if (created) return this.fileRow(event, syscall, 'FileCreated', created.name, name);
    const existing = items.find((p) => p.nametype !== 'PARENT' && !isDirectoryMode(p.mode));
    if (existing && (flags & O_TRUNC) !== 0) return this.fileRow(event, syscall, 'FileModified', existing.name, name);
    return skipped(`${name} with O_CREAT of an existing file, not truncated`);
  }

  private rename(event: AuditEvent, syscall: AuditRecord): Mapping {
    const items = pathItems(event);
    const from = items.find((p) => p.nametype === 'DELETE');
    const to = items.find((p) => p.nametype === 'CREATE');
    if (!from || !to) return skipped('rename without DELETE and CREATE path records');
    if (isDirectoryMode(from.mode)) return skipped('rename of a directory');
    const cwd = auditValue(firstRecord(event, 'CWD')?.fields.get('cwd'));
    const previous = resolvePath(from.name, cwd);
    return this.fileRow(event, syscall, 'FileRenamed', to.name, 'rename', {
      PreviousFolderPath: previous, PreviousFileName: fileNameOf(previous),
    });
  }

  private unlink(event: AuditEvent, syscall: AuditRecord, name: 'unlink' | 'unlinkat'): Mapping {
    if (name === 'unlinkat' && ((hexArgument(syscall, 'a2') ?? 0) & AT_REMOVEDIR) !== 0) return skipped('unlinkat of a directory (AT_REMOVEDIR)');
    const deleted = pathItems(event).find((p) => p.nametype === 'DELETE');
    if (!deleted) return skipped(`${name} without a DELETE path record`);
    if (isDirectoryMode(deleted.mode)) return skipped(`${name} of a directory`);
    return this.fileRow(event, syscall, 'FileDeleted', deleted.name, name);
  }

  private fileRow(
    event: AuditEvent, syscall: AuditRecord, actionType: string, rawPath: string | undefined, syscallLabel: string,
    extra: Record<string, string | undefined> = {},
  ): Mapping {
    const cwd = auditValue(firstRecord(event, 'CWD')?.fields.get('cwd'));
    const path = resolvePath(rawPath, cwd);
    if (!path) return skipped(`${syscallLabel} without a path`);
    const time = formatEventTime(event.time);
    const pid = auditNumber(syscall.fields.get('pid'));
    const known = this.processes.find(pidKey(event, pid));
    const image = auditValue(syscall.fields.get('exe')) ?? known?.folderPath;
    const row = this.baseRow(event, time, actionType);
    setFields(row, {
      FileName: fileNameOf(path), FolderPath: path, ...extra, RequestProtocol: 'Local',
      InitiatingProcessFolderPath: image, InitiatingProcessFileName: fileNameOf(image), InitiatingProcessId: pid,
      InitiatingProcessCommandLine: proctitleCommandLine(event) ?? known?.commandLine,
      InitiatingProcessCreationTime: known?.creationTime,
      InitiatingProcessAccountName: userNameOf(syscall.fields), InitiatingProcessParentId: auditNumber(syscall.fields.get('ppid')),
      InitiatingProcessParentFileName: known?.parentFileName,
      AdditionalFields: additionalFields({
        Source: 'auditd', syscall: syscallLabel, uid: syscall.fields.get('uid'), auid: syscall.fields.get('auid'),
        comm: auditValue(syscall.fields.get('comm')), key: auditValue(syscall.fields.get('key')), serial: event.serial,
      }),
    });
    return { kind: 'row', table: 'DeviceFileEvents', row };
  }

  private baseRow(event: AuditEvent, time: string, actionType: string): DefenderRow {
    return setFields({}, {
      Timestamp: time, DeviceName: event.node, ActionType: actionType,
      // The serial is unique per boot and host; without one, a hash of file and line stands in.
      ReportId: event.serial > 0 ? event.serial : stableReportId(basename(this.fileName), event.line),
    });
  }
}

function syscallName(record: AuditRecord): SyscallName | undefined {
  const raw = record.fields.get('syscall') ?? '';
  if (KNOWN_NAMES.has(raw)) return raw as SyscallName; // enriched / AUOMS logs name the syscall
  const number = auditNumber(raw);
  const archRaw = (record.fields.get('arch') ?? '').toLowerCase();
  const arch = ARCH_NAMES[archRaw] ?? archRaw;
  return number === undefined ? undefined : SYSCALLS[arch]?.[number];
}

function hexArgument(record: AuditRecord, name: string): number | undefined {
  const raw = record.fields.get(name);
  if (raw === undefined || !/^[0-9a-f]+$/i.test(raw)) return undefined;
  return parseInt(raw.slice(-8), 16); // flags live in the low 32 bits
}

interface PathItem { name?: string; nametype?: string; mode?: string }

function pathItems(event: AuditEvent): PathItem[] {
  return recordsOf(event, 'PATH').map((r) => ({
    name: auditValue(r.fields.get('name')), nametype: r.fields.get('nametype'), mode: r.fields.get('mode'),
  }));
}

function isDirectoryMode(mode: string | undefined): boolean {
  return mode !== undefined && /^0?40\d{3}$/.test(mode);
}

/** A path as the process named it, made absolute against its working directory (`.`/`..` folded). */
export function resolvePath(name: string | undefined, cwd: string | undefined): string | undefined {
  if (!name) return undefined;
  const joined = name.startsWith('/') || !cwd ? name : `${cwd.replace(/\/+$/, '')}/${name}`;
  if (!joined.startsWith('/')) return joined;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

/** Account name: the enriched/AUOMS name (`UID="root"`, `user=tomcat`); uid 0 is root everywhere. */
function userNameOf(fields: Map<string, string>): string | undefined {
  const named = auditValue(fields.get('UID')) ?? auditValue(fields.get('user'));
  if (named && named !== 'unset') return named;
  return fields.get('uid') === '0' ? 'root' : undefined;
}

function sessionOf(fields: Map<string, string>): number | undefined {
  const ses = auditNumber(auditValue(fields.get('ses')));
  return ses === undefined || ses === UNSET_ID || ses < 0 ? undefined : ses;
}

function pidKey(event: AuditEvent, pid: number | undefined): string | undefined {
  return pid === undefined ? undefined : `${event.node ?? ''}:${pid}`;
}
