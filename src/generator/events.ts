/**
 * Building blocks shared by the benign families and the attacks: process runs (a process with its
 * parent, account and times) and the column groups every Device* table repeats (the event header and the
 * InitiatingProcess* block), plus one builder per table that fills the table's own columns.
 */
import type { Random } from './random.js';
import type { Account, Device, Image } from './fleet.js';
import { formatTicks, TICKS_PER_SECOND, type TimeWindow } from './time.js';
import type { Row } from './writer.js';

export interface ProcessRun {
  image: Image;
  pid: number;
  commandLine: string;
  /** Tick offset from the window start (may be before the window for long-running processes). */
  createdAt: number;
  account: Account;
  integrity: 'System' | 'High' | 'Medium' | 'Low';
  elevation: 'TokenElevationTypeDefault' | 'TokenElevationTypeFull' | 'TokenElevationTypeLimited';
  logonId: number;
  parent?: ProcessRun;
}

/** Where and when one event happens. */
export interface EventContext {
  random: Random;
  window: TimeWindow;
  device: Device;
  /** Tick offset from the window start. */
  at: number;
}

export function processId(random: Random): number {
  return random.int(100, 16000) * 4;
}

/** Well-known service SIDs (SYSTEM, LOCAL SERVICE, NETWORK SERVICE) run at System integrity. */
const SERVICE_SIDS = new Set(['S-1-5-18', 'S-1-5-19', 'S-1-5-20']);

function integrityFor(account: Account): ProcessRun['integrity'] {
  return SERVICE_SIDS.has(account.sid) ? 'System' : 'Medium';
}

/**
 * A process started `ageSeconds` before `ctx.at` (at least a little before, so creation precedes
 * what it does). System accounts run at System integrity, users at Medium unless `elevated`.
 */
export function spawn(
  ctx: EventContext, image: Image, commandLine: string, account: Account,
  parent: ProcessRun | undefined, ageSeconds: number, elevated = false,
): ProcessRun {
  const integrity = elevated ? 'High' : integrityFor(account);
  const createdAt = ctx.at - Math.max(1, ageSeconds) * TICKS_PER_SECOND - ctx.random.int(0, TICKS_PER_SECOND - 1);
  // Parents are built fresh for each event, so moving one back keeps "parent started before child" true.
  if (parent && parent.createdAt >= createdAt) parent.createdAt = createdAt - ctx.random.int(1, 600) * TICKS_PER_SECOND;
  return {
    image,
    pid: processId(ctx.random),
    commandLine,
    createdAt,
    account,
    integrity,
    elevation: integrity === 'System' || elevated ? 'TokenElevationTypeFull' : 'TokenElevationTypeLimited',
    logonId: account.sid === 'S-1-5-18' ? 999 : 100000 + (ctx.device.id.charCodeAt(0) * 977) % 900000,
    parent,
  };
}

/** Timestamp, TimeGenerated, DeviceId, DeviceName, ActionType. */
export function header(ctx: EventContext, actionType: string): Row {
  const time = formatTicks(ctx.window, ctx.at);
  return { Timestamp: time, TimeGenerated: time, DeviceId: ctx.device.id, DeviceName: ctx.device.name, ActionType: actionType };
}

/** The InitiatingProcess* columns (and the parent ones) for the process that caused the event. */
export function initiating(ctx: EventContext, run: ProcessRun): Row {
  const { image, account } = run;
  const isLinux = image.path.startsWith('/');
  return {
    InitiatingProcessAccountDomain: account.domain,
    InitiatingProcessAccountName: account.name,
    InitiatingProcessAccountSid: account.sid,
    InitiatingProcessAccountUpn: account.upn,
    InitiatingProcessAccountObjectId: account.objectId,
    InitiatingProcessSHA1: image.sha1,
    InitiatingProcessSHA256: image.sha256,
    InitiatingProcessMD5: image.md5,
    InitiatingProcessFileName: image.fileName,
    InitiatingProcessFileSize: image.size,
    InitiatingProcessVersionInfoCompanyName: image.company,
    InitiatingProcessVersionInfoProductName: image.product,
    InitiatingProcessVersionInfoProductVersion: image.version,
    InitiatingProcessVersionInfoInternalFileName: image.fileName.replace(/\.exe$/i, ''),
    InitiatingProcessVersionInfoOriginalFileName: isLinux ? '' : image.fileName,
    InitiatingProcessVersionInfoFileDescription: image.description,
    InitiatingProcessId: run.pid,
    InitiatingProcessCommandLine: run.commandLine,
    InitiatingProcessCreationTime: formatTicks(ctx.window, run.createdAt),
    // Real exports lower-case this path (telemetry.md §1.4).
    InitiatingProcessFolderPath: isLinux ? image.path : image.path.toLowerCase(),
    InitiatingProcessParentId: run.parent?.pid ?? 4,
    InitiatingProcessParentFileName: run.parent?.image.fileName ?? (isLinux ? 'systemd' : 'System'),
    InitiatingProcessParentCreationTime: run.parent ? formatTicks(ctx.window, run.parent.createdAt) : null,
    InitiatingProcessIntegrityLevel: isLinux ? '' : run.integrity,
    InitiatingProcessTokenElevation: isLinux ? '' : run.elevation,
    InitiatingProcessLogonId: run.logonId,
    InitiatingProcessSignerType: isLinux ? '' : image.company === '' ? 'None' : image.company === 'Microsoft Corporation' ? 'OsVendor' : 'ThirdParty',
    InitiatingProcessSignatureStatus: isLinux ? '' : image.company === '' ? 'Unsigned' : 'Valid',
    InitiatingProcessSessionId: account.sid === 'S-1-5-18' ? 0 : 1,
    IsInitiatingProcessRemoteSession: false,
  };
}

/** A DeviceProcessEvents row: `run` is the created process, its parent the initiating process. */
export function processCreated(ctx: EventContext, run: ProcessRun): Row {
  const { image, account } = run;
  const parent = run.parent ?? run;
  const isLinux = image.path.startsWith('/');
  return Object.assign(header(ctx, 'ProcessCreated'), initiating(ctx, parent), {
    FileName: image.fileName,
    FolderPath: image.path,
    SHA1: image.sha1,
    SHA256: image.sha256,
    MD5: image.md5,
    FileSize: image.size,
    ProcessVersionInfoCompanyName: image.company,
    ProcessVersionInfoProductName: image.product,
    ProcessVersionInfoProductVersion: image.version,
    ProcessVersionInfoInternalFileName: image.fileName.replace(/\.exe$/i, ''),
    ProcessVersionInfoOriginalFileName: isLinux ? '' : image.fileName,
    ProcessVersionInfoFileDescription: image.description,
    ProcessId: run.pid,
    ProcessCommandLine: run.commandLine,
    ProcessIntegrityLevel: isLinux ? '' : run.integrity,
    ProcessTokenElevation: isLinux ? '' : run.elevation,
    ProcessCreationTime: formatTicks(ctx.window, ctx.at),
    AccountDomain: account.domain,
    AccountName: account.name,
    AccountSid: account.sid,
    AccountUpn: account.upn,
    AccountObjectId: account.objectId,
    LogonId: run.logonId,
    CreatedProcessSessionId: account.sid === 'S-1-5-18' ? 0 : 1,
    IsProcessRemoteSession: false,
    AdditionalFields: isLinux ? '{"InitiatingProcessPosixProcessGroupId":' + parent.pid + '}' : '',
  });
}

export interface FileDetails {
  /** Full path including the file name. */
  path: string;
  size?: number;
  previousPath?: string;
  originUrl?: string;
  /** Network write over SMB: who wrote it from where, and the share. */
  smb?: { sourceIp: string; sourcePort: number; account: Account; share: string };
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
}

/** A DeviceFileEvents row. Hashes are empty on deletes, as Defender leaves them. */
export function fileEvent(ctx: EventContext, run: ProcessRun, actionType: string, file: FileDetails): Row {
  const hashed = actionType !== 'FileDeleted';
  const row: Row = Object.assign(header(ctx, actionType), initiating(ctx, run), {
    FileName: baseName(file.path),
    FolderPath: file.path,
    SHA1: hashed ? ctx.random.hex(40) : '',
    // "SHA256 … usually not populated" (Defender docs) — fill it on a minority of rows.
    SHA256: hashed && ctx.random.chance(0.3) ? ctx.random.hex(64) : '',
    MD5: hashed ? ctx.random.hex(32) : '',
    FileSize: hashed ? file.size ?? ctx.random.int(200, 5_000_000) : null,
    FileOriginUrl: file.originUrl ?? '',
    FileOriginReferrerUrl: file.originUrl ? 'https://www.bing.com/' : '',
    FileOriginIP: file.originUrl ? `93.184.${ctx.random.int(0, 255)}.${ctx.random.int(1, 254)}` : '',
    PreviousFolderPath: file.previousPath ?? '',
    PreviousFileName: file.previousPath ? baseName(file.previousPath) : '',
    RequestProtocol: file.smb ? 'SMB' : 'Local',
    RequestSourceIP: file.smb?.sourceIp ?? '',
    RequestSourcePort: file.smb?.sourcePort ?? null,
    RequestAccountName: file.smb?.account.name ?? run.account.name,
    RequestAccountDomain: file.smb?.account.domain ?? run.account.domain,
    RequestAccountSid: file.smb?.account.sid ?? run.account.sid,
    ShareName: file.smb?.share ?? '',
    IsAzureInfoProtectionApplied: false,
    AdditionalFields: file.originUrl ? '{"FileType":"Zip"}' : '',
  });
  return row;
}

export interface Connection {
  actionType: string;
  remoteIp: string;
  remotePort: number;
  remoteUrl?: string;
  protocol?: 'Tcp' | 'Udp';
  inbound?: boolean;
}

function ipType(ip: string): string {
  if (ip.startsWith('127.')) return 'Loopback';
  if (/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip)) return 'Private';
  return 'Public';
}

/** A DeviceNetworkEvents row. */
export function networkEvent(ctx: EventContext, run: ProcessRun, connection: Connection): Row {
  const ephemeral = ctx.random.int(49152, 65535);
  return Object.assign(header(ctx, connection.actionType), initiating(ctx, run), {
    RemoteIP: connection.remoteIp,
    RemotePort: connection.inbound ? ephemeral : connection.remotePort,
    RemoteUrl: connection.remoteUrl ?? '',
    LocalIP: ctx.device.localIp,
    LocalPort: connection.inbound ? connection.remotePort : ephemeral,
    Protocol: connection.protocol ?? 'Tcp',
    LocalIPType: 'Private',
    RemoteIPType: ipType(connection.remoteIp),
  });
}
