/**
 * Windows events (Sysmon for Windows and Linux, Security auditing) → Defender rows.
 * Field-by-field mapping: docs/telemetry-mapping.md. One normaliser per input file: it remembers
 * the processes it saw start (Sysmon 1, Security 4688) to describe the initiating process of later
 * events as Defender does.
 */
import { basename } from 'node:path';
import type { WindowsEvent } from './event.js';
import {
  additionalFields, fileNameOf, ipType, parseHashes, parseInteger, present, setFields, skipped, splitAccount,
  stableReportId, type DefenderRow, type Mapping,
} from './fields.js';
import { ProcessTracker, type TrackedProcess } from './process-tracker.js';
import { formatEventTime, parseEventTime } from './time.js';

const SYSMON_PROVIDERS = new Set(['microsoft-windows-sysmon', 'linux-sysmon']);
const SECURITY_PROVIDER = 'microsoft-windows-security-auditing';

/** Security 4688 TokenElevationType message codes → Defender ProcessTokenElevation. */
const TOKEN_ELEVATION: Record<string, string> = {
  '%%1936': 'TokenElevationTypeDefault', '%%1937': 'TokenElevationTypeFull', '%%1938': 'TokenElevationTypeLimited',
};

/** Security 4688 MandatoryLabel SIDs → integrity level names as Sysmon and Defender write them. */
const MANDATORY_LABELS: Record<string, string> = {
  'S-1-16-0': 'Untrusted', 'S-1-16-4096': 'Low', 'S-1-16-8192': 'Medium', 'S-1-16-8448': 'MediumPlus',
  'S-1-16-12288': 'High', 'S-1-16-16384': 'System', 'S-1-16-20480': 'ProtectedProcess',
};

/** File access rights that change content: WriteData (0x2) and AppendData (0x4). */
const WRITE_ACCESS = 0x2 | 0x4;

export function isSysmon(event: WindowsEvent): boolean {
  return SYSMON_PROVIDERS.has(event.provider.toLowerCase()) || /sysmon/i.test(event.channel);
}

export function isSecurity(event: WindowsEvent): boolean {
  return event.provider.toLowerCase() === SECURITY_PROVIDER || event.channel.toLowerCase() === 'security';
}

export class WindowsNormaliser {
  private readonly processes = new ProcessTracker();

  normalise(event: WindowsEvent): Mapping {
    if (isSysmon(event)) return this.sysmon(event);
    if (isSecurity(event)) return this.security(event);
    return skipped(`provider ${event.provider || '(none)'} event ${event.eventId} has no Defender table mapping`);
  }

  private sysmon(event: WindowsEvent): Mapping {
    switch (event.eventId) {
      case 1: return this.sysmonProcessCreate(event);
      case 2: return this.sysmonFile(event, 'FileModified');
      case 3: return this.sysmonNetwork(event);
      case 11: return this.sysmonFile(event, 'FileCreated');
      case 23: case 26: return this.sysmonFile(event, 'FileDeleted');
      default: return skipped(`Sysmon event ${event.eventId} has no Defender table mapping`);
    }
  }

  private security(event: WindowsEvent): Mapping {
    switch (event.eventId) {
      case 4688: return this.security4688(event);
      case 4663: return this.security4663(event);
      case 5145: return this.security5145(event);
      default: return skipped(`Security event ${event.eventId} has no Defender table mapping`);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Sysmon

  private sysmonProcessCreate(event: WindowsEvent): Mapping {
    const d = event.data;
    const time = sysmonTime(event);
    const account = splitAccount(d['User']);
    const hashes = parseHashes(d['Hashes']);
    const parent = this.processes.find(guidKey(event, d['ParentProcessGuid']), pidKey(event, d['ParentProcessId']));
    const parentAccount = splitAccount(d['ParentUser']);
    const process: TrackedProcess = {
      folderPath: present(d['Image']), fileName: fileNameOf(d['Image']), commandLine: present(d['CommandLine']),
      processId: parseInteger(d['ProcessId']), creationTime: time, accountDomain: account.domain, accountName: account.name,
      integrityLevel: present(d['IntegrityLevel']), logonId: parseInteger(d['LogonId']),
      sha1: hashes.SHA1, sha256: hashes.SHA256, md5: hashes.MD5,
      parentId: parseInteger(d['ParentProcessId']), parentFileName: fileNameOf(d['ParentImage']), parentCreationTime: parent?.creationTime,
    };
    this.processes.remember([guidKey(event, d['ProcessGuid']), pidKey(event, d['ProcessId'])], process);
    const row = baseRow(event, time, 'ProcessCreated');
    setFields(row, {
      FileName: process.fileName, FolderPath: process.folderPath,
      SHA1: hashes.SHA1, SHA256: hashes.SHA256, MD5: hashes.MD5,
      ProcessVersionInfoCompanyName: present(d['Company']), ProcessVersionInfoProductName: present(d['Product']),
      ProcessVersionInfoProductVersion: present(d['FileVersion']), ProcessVersionInfoFileDescription: present(d['Description']),
      ProcessVersionInfoOriginalFileName: present(d['OriginalFileName']),
      ProcessId: process.processId, ProcessCommandLine: process.commandLine, ProcessIntegrityLevel: process.integrityLevel,
      ProcessCreationTime: time, AccountDomain: account.domain, AccountName: account.name, LogonId: process.logonId,
      CreatedProcessSessionId: parseInteger(d['TerminalSessionId']),
      InitiatingProcessFolderPath: present(d['ParentImage']) ?? parent?.folderPath,
      InitiatingProcessFileName: fileNameOf(d['ParentImage']) ?? parent?.fileName,
      InitiatingProcessCommandLine: present(d['ParentCommandLine']) ?? parent?.commandLine,
      InitiatingProcessId: process.parentId,
      InitiatingProcessCreationTime: parent?.creationTime,
      InitiatingProcessAccountDomain: parentAccount.domain ?? parent?.accountDomain,
      InitiatingProcessAccountName: parentAccount.name ?? parent?.accountName,
      InitiatingProcessIntegrityLevel: parent?.integrityLevel, InitiatingProcessLogonId: parent?.logonId,
      InitiatingProcessSHA1: parent?.sha1, InitiatingProcessSHA256: parent?.sha256, InitiatingProcessMD5: parent?.md5,
      InitiatingProcessParentId: parent?.parentId, InitiatingProcessParentFileName: parent?.parentFileName,
      InitiatingProcessParentCreationTime: parent?.parentCreationTime,
      AdditionalFields: additionalFields({
        Source: 'Sysmon', EventID: 1, ProcessGuid: d['ProcessGuid'], ParentProcessGuid: d['ParentProcessGuid'],
        LogonGuid: d['LogonGuid'], CurrentDirectory: d['CurrentDirectory'], RuleName: d['RuleName'], IMPHASH: hashes.IMPHASH,
      }),
    });
    return { kind: 'row', table: 'DeviceProcessEvents', row };
  }

  /** Sysmon 2 (creation time changed), 11 (create or overwrite), 23/26 (delete): the file and its creator. */
  private sysmonFile(event: WindowsEvent, actionType: string): Mapping {
    const d = event.data;
    if (!present(d['TargetFilename'])) return skipped(`Sysmon event ${event.eventId} without TargetFilename`);
    const time = sysmonTime(event);
    const hashes = parseHashes(d['Hashes']);
    const row = baseRow(event, time, actionType);
    setFields(row, {
      FileName: fileNameOf(d['TargetFilename']), FolderPath: d['TargetFilename'],
      SHA1: hashes.SHA1, SHA256: hashes.SHA256, MD5: hashes.MD5,
      ...this.initiatingFromSysmon(event),
      AdditionalFields: additionalFields({
        Source: 'Sysmon', EventID: event.eventId, ProcessGuid: d['ProcessGuid'], CreationUtcTime: d['CreationUtcTime'],
        PreviousCreationUtcTime: d['PreviousCreationUtcTime'], IsExecutable: d['IsExecutable'], Archived: d['Archived'],
        RuleName: d['RuleName'],
      }),
    });
    return { kind: 'row', table: 'DeviceFileEvents', row };
  }

  /** Sysmon 3: the connection seen from this host; the remote end is the destination when we initiated it. */
  private sysmonNetwork(event: WindowsEvent): Mapping {
    const d = event.data;
    const initiated = (d['Initiated'] ?? '').trim().toLowerCase() === 'true';
    const [local, remote] = initiated ? ['Source', 'Destination'] : ['Destination', 'Source'];
    const time = sysmonTime(event);
    const row = baseRow(event, time, initiated ? 'ConnectionSuccess' : 'InboundConnectionAccepted');
    const protocol = present(d['Protocol']);
    setFields(row, {
      RemoteIP: present(d[`${remote}Ip`]), RemotePort: parseInteger(d[`${remote}Port`]),
      RemoteUrl: present(d[`${remote}Hostname`]),
      LocalIP: present(d[`${local}Ip`]), LocalPort: parseInteger(d[`${local}Port`]),
      Protocol: protocol ? protocol[0]!.toUpperCase() + protocol.slice(1).toLowerCase() : undefined,
      LocalIPType: ipType(d[`${local}Ip`]), RemoteIPType: ipType(d[`${remote}Ip`]),
      ...this.initiatingFromSysmon(event),
      AdditionalFields: additionalFields({ Source: 'Sysmon', EventID: 3, ProcessGuid: d['ProcessGuid'], RuleName: d['RuleName'] }),
    });
    return { kind: 'row', table: 'DeviceNetworkEvents', row };
  }

  /** The process behind a Sysmon event: Image/ProcessId/User from the event, the rest from its Sysmon 1. */
  private initiatingFromSysmon(event: WindowsEvent): DefenderRow {
    const d = event.data;
    const known = this.processes.find(guidKey(event, d['ProcessGuid']), pidKey(event, d['ProcessId']));
    const account = splitAccount(d['User']);
    return initiatingFields(known, {
      folderPath: present(d['Image']), fileName: fileNameOf(d['Image']), processId: parseInteger(d['ProcessId']),
      accountDomain: account.domain, accountName: account.name,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Security

  /** 4688 v0–v2: the new process; its creator is the subject (and, from v2, ParentProcessName). */
  private security4688(event: WindowsEvent): Mapping {
    const d = event.data;
    const time = formatEventTime(event.timeCreated);
    const subject = { domain: present(d['SubjectDomainName']), name: present(d['SubjectUserName']) };
    // v2 names the new process's account when it differs from the creator's; S-1-0-0 / "-" mean "same".
    const targetSid = present(d['TargetUserSid']);
    const hasTarget = targetSid !== undefined && targetSid !== 'S-1-0-0' && present(d['TargetUserName']) !== undefined;
    const account = hasTarget
      ? { domain: present(d['TargetDomainName']), name: present(d['TargetUserName']), sid: targetSid, logonId: parseInteger(d['TargetLogonId']) }
      : { domain: subject.domain, name: subject.name, sid: present(d['SubjectUserSid']), logonId: parseInteger(d['SubjectLogonId']) };
    const creatorId = parseInteger(d['ProcessId']);
    const parent = this.processes.find(pidKey(event, d['ProcessId']));
    const parentImage = present(d['ParentProcessName']) ?? parent?.folderPath;
    const process: TrackedProcess = {
      folderPath: present(d['NewProcessName']), fileName: fileNameOf(d['NewProcessName']), commandLine: present(d['CommandLine']),
      processId: parseInteger(d['NewProcessId']), creationTime: time, accountDomain: account.domain, accountName: account.name,
      accountSid: account.sid, integrityLevel: MANDATORY_LABELS[d['MandatoryLabel'] ?? ''],
      tokenElevation: TOKEN_ELEVATION[(d['TokenElevationType'] ?? '').trim()], logonId: account.logonId,
      parentId: creatorId, parentFileName: fileNameOf(parentImage), parentCreationTime: parent?.creationTime,
    };
    this.processes.remember([pidKey(event, d['NewProcessId'])], process);
    const row = baseRow(event, time, 'ProcessCreated');
    setFields(row, {
      FileName: process.fileName, FolderPath: process.folderPath, ProcessId: process.processId,
      ProcessCommandLine: process.commandLine, ProcessIntegrityLevel: process.integrityLevel,
      ProcessTokenElevation: process.tokenElevation, ProcessCreationTime: time,
      AccountDomain: account.domain, AccountName: account.name, AccountSid: account.sid, LogonId: account.logonId,
      InitiatingProcessAccountDomain: subject.domain, InitiatingProcessAccountName: subject.name,
      InitiatingProcessAccountSid: present(d['SubjectUserSid']), InitiatingProcessLogonId: parseInteger(d['SubjectLogonId']),
      InitiatingProcessFolderPath: parentImage, InitiatingProcessFileName: fileNameOf(parentImage),
      InitiatingProcessId: creatorId, InitiatingProcessCommandLine: parent?.commandLine,
      InitiatingProcessCreationTime: parent?.creationTime, InitiatingProcessIntegrityLevel: parent?.integrityLevel,
      InitiatingProcessTokenElevation: parent?.tokenElevation,
      InitiatingProcessParentId: parent?.parentId, InitiatingProcessParentFileName: parent?.parentFileName,
      AdditionalFields: additionalFields({ Source: 'Security', EventID: 4688, Version: event.version, MandatoryLabel: d['MandatoryLabel'] }),
    });
    return { kind: 'row', table: 'DeviceProcessEvents', row };
  }

  /** 4663 (object access): a write or append to a file → FileModified by the accessing process. */
  private security4663(event: WindowsEvent): Mapping {
    const d = event.data;
    if ((d['ObjectType'] ?? 'File') !== 'File') return skipped(`4663 on a ${d['ObjectType']} object, not a file`);
    const mask = parseInteger(d['AccessMask']);
    if (mask === undefined || (mask & WRITE_ACCESS) === 0) return skipped('4663 without WriteData/AppendData access');
    if (!present(d['ObjectName'])) return skipped('4663 without ObjectName');
    const time = formatEventTime(event.timeCreated);
    const row = baseRow(event, time, 'FileModified');
    const known = this.processes.find(pidKey(event, d['ProcessId']));
    setFields(row, {
      FileName: fileNameOf(d['ObjectName']), FolderPath: d['ObjectName'],
      ...initiatingFields(known, {
        folderPath: present(d['ProcessName']), fileName: fileNameOf(d['ProcessName']), processId: parseInteger(d['ProcessId']),
        accountDomain: present(d['SubjectDomainName']), accountName: present(d['SubjectUserName']),
        accountSid: present(d['SubjectUserSid']),
      }),
      RequestProtocol: 'Local',
      AdditionalFields: additionalFields({ Source: 'Security', EventID: 4663, AccessMask: d['AccessMask'], HandleId: d['HandleId'] }),
    });
    return { kind: 'row', table: 'DeviceFileEvents', row };
  }

  /**
   * 5145 (detailed file share): a write to a file over SMB, seen on the server — how files staged
   * remotely (T1074.002) appear on the target. 5145 cannot tell a new file from an overwrite, like
   * Sysmon 11; both map to FileCreated.
   */
  private security5145(event: WindowsEvent): Mapping {
    const d = event.data;
    if ((d['ObjectType'] ?? 'File') !== 'File') return skipped(`5145 on a ${d['ObjectType']} object, not a file`);
    const mask = parseInteger(d['AccessMask']);
    if (mask === undefined || (mask & WRITE_ACCESS) === 0) return skipped('5145 without WriteData/AppendData access');
    if (/\\IPC\$$/i.test(d['ShareName'] ?? '')) return skipped('5145 on IPC$ (a named pipe, not a file)');
    const relative = (d['RelativeTargetName'] ?? '').replace(/^\\+/, '');
    if (relative === '' || relative.endsWith('\\')) return skipped('5145 write on a share root or folder');
    const time = formatEventTime(event.timeCreated);
    const localRoot = (d['ShareLocalPath'] ?? '').replace(/^\\\?\?\\/, '');
    const folderPath = localRoot === '' ? relative : `${localRoot.replace(/\\+$/, '')}\\${relative}`;
    const row = baseRow(event, time, 'FileCreated');
    setFields(row, {
      FileName: fileNameOf(relative), FolderPath: folderPath,
      RequestProtocol: 'SMB', ShareName: shareNameOf(d['ShareName']),
      RequestSourceIP: present(d['IpAddress'])?.replace(/^::ffff:/i, ''), RequestSourcePort: parseInteger(d['IpPort']),
      RequestAccountName: present(d['SubjectUserName']), RequestAccountDomain: present(d['SubjectDomainName']),
      RequestAccountSid: present(d['SubjectUserSid']),
      // The SMB server writes the file in the kernel's System process (PID 4), as Sysmon 11 shows for such writes.
      InitiatingProcessFileName: 'System', InitiatingProcessId: 4,
      AdditionalFields: additionalFields({
        Source: 'Security', EventID: 5145, ShareName: d['ShareName'], RelativeTargetName: d['RelativeTargetName'],
        AccessMask: d['AccessMask'], SubjectLogonId: d['SubjectLogonId'],
      }),
    });
    return { kind: 'row', table: 'DeviceFileEvents', row };
  }
}

/** `\\*\C$` → `C$` (the share's own name; the server part is always `*` in 5145). */
function shareNameOf(share: string | undefined): string | undefined {
  if (!present(share)) return undefined;
  return share!.replace(/^\\\\[^\\]*\\/, '');
}

function guidKey(event: WindowsEvent, guid: string | undefined): string | undefined {
  return present(guid) && !/^\{?0{8}-/.test(guid!) ? `guid:${event.computer}:${guid!.toLowerCase()}` : undefined;
}

function pidKey(event: WindowsEvent, pid: string | undefined): string | undefined {
  const n = parseInteger(pid);
  return n === undefined ? undefined : `pid:${event.computer}:${n}`;
}

/** Sysmon's UtcTime (when the action happened), else the record's TimeCreated. */
function sysmonTime(event: WindowsEvent): string {
  const utc = parseEventTime(event.data['UtcTime'] ?? '');
  return formatEventTime(utc ?? event.timeCreated);
}

function baseRow(event: WindowsEvent, time: string, actionType: string): DefenderRow {
  return setFields({}, {
    Timestamp: time,
    DeviceName: event.computer,
    ActionType: actionType,
    ReportId: event.recordId > 0 ? event.recordId : stableReportId(basename(event.source.file), event.source.record),
  });
}

/** InitiatingProcess* columns: what the event itself says wins; the tracked start event fills the rest. */
function initiatingFields(known: TrackedProcess | undefined, own: TrackedProcess): DefenderRow {
  return setFields({}, {
    InitiatingProcessFolderPath: own.folderPath ?? known?.folderPath,
    InitiatingProcessFileName: own.fileName ?? known?.fileName,
    InitiatingProcessId: own.processId ?? known?.processId,
    InitiatingProcessCommandLine: known?.commandLine,
    InitiatingProcessCreationTime: known?.creationTime,
    InitiatingProcessAccountDomain: own.accountDomain ?? known?.accountDomain,
    InitiatingProcessAccountName: own.accountName ?? known?.accountName,
    InitiatingProcessAccountSid: own.accountSid ?? known?.accountSid,
    InitiatingProcessIntegrityLevel: known?.integrityLevel,
    InitiatingProcessTokenElevation: known?.tokenElevation,
    InitiatingProcessSHA1: known?.sha1, InitiatingProcessSHA256: known?.sha256, InitiatingProcessMD5: known?.md5,
    InitiatingProcessParentId: known?.parentId, InitiatingProcessParentFileName: known?.parentFileName,
    InitiatingProcessParentCreationTime: known?.parentCreationTime,
  });
}
