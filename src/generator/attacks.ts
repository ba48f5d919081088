/**
 * Injected T1074 staging attacks, one builder per kind: the seed page's five validation tests and the
 * other staging shapes the rules must catch. Each emits the process and file (and network) rows Defender
 * would record and describes itself for the manifest, so tests and the false-positive benchmark know
 * exactly what was planted, where and when.
 */
import { IMAGES, image, profile, userTemp, DOCUMENT_NAMES, SYSTEM_ACCOUNT, type Device } from './fleet.js';
import { fileEvent, networkEvent, processCreated, spawn, type EventContext, type ProcessRun } from './events.js';
import type { TableRow } from './benign.js';

export const ATTACK_KINDS = [
  'robocopy-temp', '7zip-password', 'powershell-programdata', 'linux-cp-tar', 'netuse-xcopy',
  'rar-hp', 'compress-archive', 'makecab', 'smb-staging',
] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

export interface AttackPlan {
  kind: AttackKind;
  /** What it is, in one line (for the manifest and reports). */
  description: string;
  technique: 'T1074.001' | 'T1074.002';
  /** Which device role it needs ('linux' attacks go to a Linux host when the fleet has one). */
  role: 'windows' | 'linux' | 'server';
}

export const ATTACK_PLANS: Record<AttackKind, AttackPlan> = {
  'robocopy-temp': { kind: 'robocopy-temp', technique: 'T1074.001', role: 'windows', description: 'robocopy of the user\'s documents into %TEMP%\\df00tech-stage\\ (/E /COPYALL)' },
  '7zip-password': { kind: '7zip-password', technique: 'T1074.001', role: 'windows', description: 'cmd copy into %TEMP%\\df00tech-collection\\, then 7z a -p into df00tech-exfil.zip' },
  'powershell-programdata': { kind: 'powershell-programdata', technique: 'T1074.001', role: 'windows', description: 'PowerShell Copy-Item of documents into C:\\ProgramData\\MicrosoftUpdates' },
  'linux-cp-tar': { kind: 'linux-cp-tar', technique: 'T1074.001', role: 'linux', description: 'cp -r of home files into /tmp/.df00tech_stage/, then tar czf there' },
  'netuse-xcopy': { kind: 'netuse-xcopy', technique: 'T1074.002', role: 'windows', description: 'net use of \\\\host\\C$ and xcopy /E /H /Y from it into a local staging folder' },
  'rar-hp': { kind: 'rar-hp', technique: 'T1074.001', role: 'windows', description: 'rar a -hp (encrypted headers) of documents into C:\\Users\\Public' },
  'compress-archive': { kind: 'compress-archive', technique: 'T1074.001', role: 'windows', description: 'PowerShell Compress-Archive of documents into %TEMP%' },
  'makecab': { kind: 'makecab', technique: 'T1074.001', role: 'windows', description: 'makecab of a document into C:\\Windows\\Temp' },
  'smb-staging': { kind: 'smb-staging', technique: 'T1074.002', role: 'server', description: 'files written over SMB (C$ share) into C:\\Users\\Public\\stage on a server' },
};

/** A planted attack as the manifest records it. */
export interface InjectedAttack {
  id: string;
  kind: AttackKind;
  technique: string;
  description: string;
  deviceName: string;
  deviceId: string;
  accountName: string;
  /** First and last event time (ISO, 7 fractional digits). */
  start: string;
  end: string;
  /** The folder the data is staged in (every attack writes there), and the command lines it ran. */
  stagingFolder: string;
  commandLines: string[];
  rows: Record<string, number>;
}

export interface AttackRows {
  rows: TableRow[];
  stagingFolder: string;
  commandLines: string[];
}

const FILE = 'DeviceFileEvents';
const PROCESS = 'DeviceProcessEvents';
const NETWORK = 'DeviceNetworkEvents';

/** `count` documents, each a little later, as FileCreated rows under `folder` written by `run`. */
function copiedDocuments(ctx: EventContext, run: ProcessRun, folder: string, count: number, separator = '\\'): { rows: TableRow[]; next: EventContext } {
  const rows: TableRow[] = [];
  let c = ctx;
  for (let i = 0; i < count; i++) {
    const name = DOCUMENT_NAMES[i % DOCUMENT_NAMES.length]!.replace(/^/, i >= DOCUMENT_NAMES.length ? `${i}-` : '');
    rows.push({ table: FILE, row: fileEvent(c, run, 'FileCreated', { path: `${folder}${separator}${name}` }) });
    c = { ...c, at: c.at + c.random.int(20_000, 400_000) };
  }
  return { rows, next: c };
}

function step(ctx: EventContext, seconds: number): EventContext {
  return { ...ctx, at: ctx.at + Math.round(seconds * 10_000_000) + ctx.random.int(0, 9_999_999) };
}

function shellOf(ctx: EventContext, useCmd = true): ProcessRun {
  const explorer = spawn(ctx, IMAGES.explorer, 'C:\\Windows\\Explorer.EXE', ctx.device.user, undefined, 20_000);
  return useCmd
    ? spawn(ctx, IMAGES.cmd, '"C:\\Windows\\system32\\cmd.exe"', ctx.device.user, explorer, 120)
    : spawn(ctx, IMAGES.powershell, '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"', ctx.device.user, explorer, 120);
}

function robocopyTemp(ctx: EventContext, files: number): AttackRows {
  const user = ctx.device.user;
  const stage = `${userTemp(user)}\\df00tech-stage`;
  const command = `robocopy "${profile(user)}\\Documents" "${stage}\\" /E /COPYALL /R:0 /W:0`;
  const run = spawn(ctx, IMAGES.robocopy, command, user, shellOf(ctx), 0, true);
  const copied = copiedDocuments(step(ctx, 0.2), run, stage, files);
  return { rows: [{ table: PROCESS, row: processCreated(ctx, run) }, ...copied.rows], stagingFolder: stage, commandLines: [command] };
}

function sevenZipPassword(ctx: EventContext, files: number): AttackRows {
  const user = ctx.device.user;
  const shell = shellOf(ctx);
  const collection = `${userTemp(user)}\\df00tech-collection`;
  const copyCommand = `cmd.exe /c copy "${profile(user)}\\Documents\\*.*" "${collection}\\"`;
  const copy = spawn(ctx, IMAGES.cmd, copyCommand, user, shell, 0);
  const copied = copiedDocuments(step(ctx, 0.1), copy, collection, files);
  const zipAt = step(copied.next, 2);
  const archive = `${userTemp(user)}\\df00tech-exfil.zip`;
  const zipCommand = `"C:\\Program Files\\7-Zip\\7z.exe" a -tzip -pD@t4St4g3! "${archive}" "${collection}\\*"`;
  const zip = spawn(zipAt, IMAGES.sevenZip, zipCommand, user, shell, 0);
  return {
    rows: [
      { table: PROCESS, row: processCreated(ctx, copy) }, ...copied.rows,
      { table: PROCESS, row: processCreated(zipAt, zip) },
      { table: FILE, row: fileEvent(step(zipAt, 1), zip, 'FileCreated', { path: archive, size: 1_843_200 }) },
    ],
    stagingFolder: collection,
    commandLines: [copyCommand, zipCommand],
  };
}

function powershellProgramData(ctx: EventContext, files: number): AttackRows {
  const user = ctx.device.user;
  const stage = 'C:\\ProgramData\\MicrosoftUpdates';
  const command = `powershell.exe -NoProfile -Command "New-Item -ItemType Directory -Force -Path ${stage}; Copy-Item -Path $env:USERPROFILE\\Documents\\* -Destination ${stage} -Recurse -Force"`;
  const run = spawn(ctx, IMAGES.powershell, command, user, shellOf(ctx), 0);
  const copied = copiedDocuments(step(ctx, 0.5), run, stage, files);
  return { rows: [{ table: PROCESS, row: processCreated(ctx, run) }, ...copied.rows], stagingFolder: stage, commandLines: [command] };
}

function linuxCpTar(ctx: EventContext, files: number): AttackRows {
  const user = ctx.device.user;
  const stage = '/tmp/.df00tech_stage';
  const bash = spawn(ctx, IMAGES.bash, '-bash', user, undefined, 900);
  const cpCommand = `cp -r /home/${user.name}/Documents/. ${stage}/`;
  const cp = spawn(ctx, IMAGES.cp, cpCommand, user, bash, 0);
  const copied = copiedDocuments(step(ctx, 0.1), cp, stage, files, '/');
  const tarAt = step(copied.next, 1);
  const tarCommand = `tar czf ${stage}/loot.tar.gz -C ${stage} .`;
  const tar = spawn(tarAt, IMAGES.tar, tarCommand, user, bash, 0);
  return {
    rows: [
      { table: PROCESS, row: processCreated(ctx, cp) }, ...copied.rows,
      { table: PROCESS, row: processCreated(tarAt, tar) },
      { table: FILE, row: fileEvent(step(tarAt, 1), tar, 'FileCreated', { path: `${stage}/loot.tar.gz`, size: 2_310_144 }) },
    ],
    stagingFolder: stage,
    commandLines: [cpCommand, tarCommand],
  };
}

function netUseXcopy(ctx: EventContext, files: number): AttackRows {
  const user = ctx.device.user;
  const shell = shellOf(ctx);
  const share = '\\\\fs01.corp.contoso.com\\C$';
  const netCommand = `net use Z: ${share} /user:CONTOSO\\svc_backup P@ssw0rd1`;
  const net = spawn(ctx, IMAGES.net, netCommand, user, shell, 0);
  const stage = `${userTemp(user)}\\df00tech-remote`;
  const xcopyAt = step(ctx, 3);
  const xcopyCommand = `xcopy ${share}\\Users\\Public\\Documents ${stage}\\ /E /H /Y`;
  const xcopy = spawn(xcopyAt, IMAGES.xcopy, xcopyCommand, user, shell, 0);
  const copied = copiedDocuments(step(xcopyAt, 0.3), xcopy, stage, files);
  return {
    rows: [
      { table: PROCESS, row: processCreated(ctx, net) },
      { table: NETWORK, row: networkEvent(step(ctx, 0.2), spawn(ctx, IMAGES.system, '', SYSTEM_ACCOUNT, undefined, 300_000), { actionType: 'ConnectionSuccess', remoteIp: '10.20.0.30', remotePort: 445, remoteUrl: 'fs01.corp.contoso.com' }) },
      { table: PROCESS, row: processCreated(xcopyAt, xcopy) },
      ...copied.rows,
    ],
    stagingFolder: stage,
    commandLines: [netCommand, xcopyCommand],
  };
}

function rarEncryptedHeaders(ctx: EventContext): AttackRows {
  const user = ctx.device.user;
  const archive = 'C:\\Users\\Public\\backup_docs.rar';
  const command = `"C:\\Program Files\\WinRAR\\Rar.exe" a -r -hpS3cr3tP4ss "${archive}" "${profile(user)}\\Documents\\*"`;
  const run = spawn(ctx, IMAGES.rar, command, user, shellOf(ctx), 0);
  return {
    rows: [{ table: PROCESS, row: processCreated(ctx, run) }, { table: FILE, row: fileEvent(step(ctx, 4), run, 'FileCreated', { path: archive, size: 5_242_880 }) }],
    stagingFolder: 'C:\\Users\\Public',
    commandLines: [command],
  };
}

function compressArchive(ctx: EventContext): AttackRows {
  const user = ctx.device.user;
  const archive = `${userTemp(user)}\\Documents_${ctx.random.int(1000, 9999)}.zip`;
  const command = `powershell.exe -NoP -C "Compress-Archive -Path $env:USERPROFILE\\Documents\\* -DestinationPath ${archive} -CompressionLevel Optimal"`;
  const run = spawn(ctx, IMAGES.powershell, command, user, shellOf(ctx), 0);
  return {
    rows: [{ table: PROCESS, row: processCreated(ctx, run) }, { table: FILE, row: fileEvent(step(ctx, 3), run, 'FileCreated', { path: archive, size: 3_145_728 }) }],
    stagingFolder: userTemp(user),
    commandLines: [command],
  };
}

function makecab(ctx: EventContext): AttackRows {
  const user = ctx.device.user;
  const cab = 'C:\\Windows\\Temp\\finance.cab';
  const command = `makecab.exe "${profile(user)}\\Documents\\Q3-financials.xlsx" ${cab}`;
  const run = spawn(ctx, IMAGES.makecab, command, user, shellOf(ctx), 0, true);
  return {
    rows: [{ table: PROCESS, row: processCreated(ctx, run) }, { table: FILE, row: fileEvent(step(ctx, 1), run, 'FileCreated', { path: cab, size: 524_288 }) }],
    stagingFolder: 'C:\\Windows\\Temp',
    commandLines: [command],
  };
}

/** Remote staging: the kernel (System) writes files arriving over SMB; RequestSourceIP names the writer. */
function smbStaging(ctx: EventContext, files: number): AttackRows {
  const stage = 'C:\\Users\\Public\\stage';
  const system = spawn(ctx, image('C:\\Windows\\System32\\ntoskrnl.exe'), '', SYSTEM_ACCOUNT, undefined, 800_000);
  const writer = { ...ctx.device.user, name: 'svc_backup' };
  const rows: TableRow[] = [];
  let c = ctx;
  for (let i = 0; i < files; i++) {
    const name = DOCUMENT_NAMES[i % DOCUMENT_NAMES.length]!;
    rows.push({ table: FILE, row: fileEvent(c, system, 'FileCreated', { path: `${stage}\\${i >= DOCUMENT_NAMES.length ? `${i}-` : ''}${name}`, smb: { sourceIp: '10.10.0.66', sourcePort: 50112, account: writer, share: 'C$' } }) });
    c = step(c, 0.1);
  }
  return { rows, stagingFolder: stage, commandLines: [] };
}

/** The rows of one attack of `kind` on `ctx.device`, starting at `ctx.at`. */
export function attackRows(kind: AttackKind, ctx: EventContext): AttackRows {
  const files = ctx.random.int(12, 20);
  switch (kind) {
    case 'robocopy-temp': return robocopyTemp(ctx, files);
    case '7zip-password': return sevenZipPassword(ctx, files);
    case 'powershell-programdata': return powershellProgramData(ctx, files);
    case 'linux-cp-tar': return linuxCpTar(ctx, files);
    case 'netuse-xcopy': return netUseXcopy(ctx, files);
    case 'rar-hp': return rarEncryptedHeaders(ctx);
    case 'compress-archive': return compressArchive(ctx);
    case 'makecab': return makecab(ctx);
    case 'smb-staging': return smbStaging(ctx, files);
  }
}

/** A device suited to the attack: Linux attacks on Linux hosts, SMB staging on servers, the rest on workstations. */
export function deviceFor(plan: AttackPlan, devices: Device[], index: number): Device {
  const wanted = plan.role === 'linux' ? 'linux' : plan.role === 'server' ? 'server' : 'workstation';
  const candidates = devices.filter((d) => d.role === wanted);
  const pool = candidates.length > 0 ? candidates : devices;
  return pool[index % pool.length]!;
}
