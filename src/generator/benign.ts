/**
 * Benign enterprise activity: the false-positive families the seed rule names (installers unpacking into
 * Temp, updaters in Windows\Temp, backup agents, SCCM/Intune, log shippers, build tools with robocopy)
 * plus the everyday background of every Device* table (browsers, Office, services, logons, registry,
 * image loads, DeviceEvents with the ActionTypes real hunting queries filter on).
 * Each family emits a small burst of rows for one device at one moment.
 */
import type { Random } from './random.js';
import { weightedPicker } from './random.js';
import { IMAGES, image, LINUX_ROOT, NETWORK_SERVICE, SYSTEM_ACCOUNT, profile, userTemp, DOCUMENT_NAMES, type Device } from './fleet.js';
import { fileEvent, header, initiating, networkEvent, processCreated, spawn, type EventContext, type ProcessRun } from './events.js';
import type { Row } from './writer.js';

/** A generated row and the table it belongs to. */
export interface TableRow {
  table: string;
  row: Row;
}

type Family = (ctx: EventContext) => TableRow[];

const FILE = 'DeviceFileEvents';
const PROCESS = 'DeviceProcessEvents';
const NETWORK = 'DeviceNetworkEvents';
const REGISTRY = 'DeviceRegistryEvents';
const IMAGE_LOAD = 'DeviceImageLoadEvents';
const LOGON = 'DeviceLogonEvents';
const EVENTS = 'DeviceEvents';

/** Advances the event time by up to `maxMs` milliseconds (bursts take a little time). */
function later(ctx: EventContext, maxMs = 40): EventContext {
  return { ...ctx, at: ctx.at + ctx.random.int(1, maxMs * 10_000) };
}

/** Runs `step` `count` times, each a little later than the previous one. */
function burst(ctx: EventContext, count: number, step: (c: EventContext, i: number) => TableRow): TableRow[] {
  const rows: TableRow[] = [];
  let c = ctx;
  for (let i = 0; i < count; i++) {
    rows.push(step(c, i));
    c = later(c);
  }
  return rows;
}

function explorerOf(ctx: EventContext): ProcessRun {
  const winlogon = spawn(ctx, IMAGES.winlogon, 'winlogon.exe', SYSTEM_ACCOUNT, undefined, 90_000);
  return spawn(ctx, IMAGES.explorer, 'C:\\Windows\\Explorer.EXE', ctx.device.user, winlogon, ctx.random.int(600, 30_000));
}

function servicesOf(ctx: EventContext): ProcessRun {
  return spawn(ctx, IMAGES.services, 'C:\\Windows\\system32\\services.exe', SYSTEM_ACCOUNT, undefined, 200_000);
}

function serviceRun(ctx: EventContext, img: typeof IMAGES[keyof typeof IMAGES], commandLine: string, account = SYSTEM_ACCOUNT): ProcessRun {
  return spawn(ctx, img, commandLine, account, servicesOf(ctx), ctx.random.int(60, 80_000));
}

const BROWSERS = [
  [IMAGES.chrome, '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=utility --utility-sub-type=network.mojom.NetworkService'],
  [IMAGES.msedge, '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --type=renderer --lang=en-US'],
  [IMAGES.firefox, '"C:\\Program Files\\Mozilla Firefox\\firefox.exe" -contentproc -childID 4 -isForBrowser'],
] as const;

const DOWNLOADS = ['report.pdf', 'invoice.pdf', 'npp.8.7.1.Installer.x64.exe', 'ProcessMonitor.zip', 'slides.pptx', 'photo.jpg', 'dataset.csv', 'drivers.zip'];

function browserDownload(ctx: EventContext): TableRow[] {
  const [img, cmd] = ctx.random.pick(BROWSERS);
  const run = spawn(ctx, img, cmd, ctx.device.user, explorerOf(ctx), ctx.random.int(5, 7200));
  const name = ctx.random.pick(DOWNLOADS);
  const path = `${profile(ctx.device.user)}\\Downloads\\${name}`;
  const url = `https://download.example.org/files/${name}`;
  const partial = { table: FILE, row: fileEvent(ctx, run, 'FileCreated', { path: `${path}.crdownload`, originUrl: url }) };
  const renamed = { table: FILE, row: fileEvent(later(ctx, 3000), run, 'FileRenamed', { path, previousPath: `${path}.crdownload`, originUrl: url }) };
  return [partial, renamed];
}

function browserCache(ctx: EventContext): TableRow[] {
  const [img, cmd] = ctx.random.pick(BROWSERS);
  const run = spawn(ctx, img, cmd, ctx.device.user, explorerOf(ctx), ctx.random.int(5, 7200));
  const cache = img === IMAGES.firefox
    ? `${profile(ctx.device.user)}\\AppData\\Local\\Mozilla\\Firefox\\Profiles\\x1y2z3.default-release\\cache2\\entries`
    : `${profile(ctx.device.user)}\\AppData\\Local\\${img === IMAGES.chrome ? 'Google\\Chrome' : 'Microsoft\\Edge'}\\User Data\\Default\\Cache\\Cache_Data`;
  return burst(ctx, ctx.random.int(1, 4), (c) => ({
    table: FILE,
    row: fileEvent(c, run, c.random.chance(0.7) ? 'FileModified' : 'FileCreated', { path: `${cache}\\f_${c.random.hex(6)}`, size: c.random.int(500, 300_000) }),
  }));
}

function officeTemp(ctx: EventContext): TableRow[] {
  const [img, ext] = ctx.random.pick([[IMAGES.winword, 'docx'], [IMAGES.excel, 'xlsx']] as const);
  const run = spawn(ctx, img, `"${img.path}" /n "${profile(ctx.device.user)}\\Documents\\notes.${ext}"`, ctx.device.user, explorerOf(ctx), ctx.random.int(30, 5000));
  const doc = ctx.random.pick(DOCUMENT_NAMES).replace(/\.\w+$/, `.${ext}`);
  const owner = `${profile(ctx.device.user)}\\Documents\\~$${doc.slice(2)}`;
  const temp = `${userTemp(ctx.device.user)}\\~DF${ctx.random.hex(4).toUpperCase()}.TMP`;
  const autosave = `${profile(ctx.device.user)}\\AppData\\Roaming\\Microsoft\\${img === IMAGES.winword ? 'Word' : 'Excel'}\\~WRL${ctx.random.int(1000, 9999)}.tmp`;
  return [
    { table: FILE, row: fileEvent(ctx, run, 'FileCreated', { path: owner, size: 162 }) },
    { table: FILE, row: fileEvent(later(ctx, 500), run, 'FileCreated', { path: temp }) },
    { table: FILE, row: fileEvent(later(ctx, 900), run, 'FileModified', { path: autosave }) },
    { table: FILE, row: fileEvent(later(ctx, 5000), run, 'FileDeleted', { path: temp }) },
  ];
}

const INSTALLER_FILES = ['setup.msi', 'data1.cab', 'vcruntime140.dll', 'msvcp140.dll', 'uninstall.exe', 'license.rtf', 'app.exe', 'update.dll', 'resources.pak', 'locale.dat', 'plugin.dll', 'config.xml'];

/** Installers unpacking a dozen or more files into the user's Temp (a bulk-staging look-alike). */
function installerUnpacking(ctx: EventContext): TableRow[] {
  const user = ctx.device.user;
  const useMsi = ctx.random.chance(0.5);
  const run = useMsi
    ? spawn(ctx, IMAGES.msiexec, `"C:\\Windows\\System32\\msiexec.exe" /i "${profile(user)}\\Downloads\\tool.msi"`, user, explorerOf(ctx), ctx.random.int(1, 30))
    : spawn(ctx, IMAGES.setup, `"C:\\Users\\Public\\Downloads\\setup.exe" /S`, user, explorerOf(ctx), ctx.random.int(1, 30), true);
  const folder = `${userTemp(user)}\\${useMsi ? `MSI${ctx.random.hex(5)}.tmp` : `nsu${ctx.random.hex(4).toUpperCase()}.tmp`}`;
  const rows: TableRow[] = [{ table: PROCESS, row: processCreated(ctx, run) }];
  rows.push(...burst(later(ctx, 200), ctx.random.int(8, 24), (c, i) => ({
    table: FILE,
    row: fileEvent(c, run, 'FileCreated', { path: `${folder}\\${i < INSTALLER_FILES.length ? INSTALLER_FILES[i] : `file${i}.bin`}` }),
  })));
  return rows;
}

/** Updaters (Defender signatures, Windows Update, Google/Edge updaters) unpacking into Windows\Temp. */
function updaterWindowsTemp(ctx: EventContext): TableRow[] {
  const choice = ctx.random.int(0, 3);
  const [img, cmd, folder, names] = [
    [IMAGES.mpcmdrun, '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe" -SignatureUpdate -MMPC', `C:\\Windows\\Temp\\MpSigStub${ctx.random.hex(4)}`, ['mpam-fe.exe', 'mpasbase.vdm', 'mpasdlta.vdm', 'mpavbase.vdm', 'mpavdlta.vdm', 'MpSigStub.log']],
    [IMAGES.wuauclt, 'wuauclt.exe /UpdateDeploymentProvider UpdateDeploymentProvider.dll /ClassId', `C:\\Windows\\Temp\\${ctx.random.guid()}`, ['windows10.0-kb5046613-x64.cab', 'update.mum', 'update.cat', 'wsusscan.cab']],
    [IMAGES.googleUpdate, '"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" /ua /installsource scheduler', `C:\\Windows\\SystemTemp\\chrome_Unpacker_BeginUnzipping${ctx.random.int(1000, 9999)}`, ['chrome.7z', 'setup.exe', 'chrome_installer.log']],
    [IMAGES.edgeUpdate, '"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe" /ua /installsource scheduler', `C:\\Windows\\Temp\\MicrosoftEdgeUpdate${ctx.random.hex(3)}`, ['MicrosoftEdge_X64_131.0.2903.70.exe', 'msedgeupdate.dll', 'MicrosoftEdgeUpdate.log']],
  ][choice] as [typeof IMAGES.wuauclt, string, string, string[]];
  const run = serviceRun(ctx, img, cmd);
  return burst(ctx, names.length, (c, i) => ({ table: FILE, row: fileEvent(c, run, i === names.length - 1 ? 'FileModified' : 'FileCreated', { path: `${folder}\\${names[i]}` }) }));
}

/** Backup agents writing backup chains and their staging files. */
function backupAgent(ctx: EventContext): TableRow[] {
  const host = ctx.device.name.split('.')[0]!;
  const choice = ctx.random.int(0, 2);
  const day = ctx.random.int(10, 28);
  if (choice === 0) {
    const run = serviceRun(ctx, IMAGES.veeamAgent, `"C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\VeeamAgent.exe" -l "C:\\ProgramData\\Veeam\\Backup\\Daily\\Agent.Daily.Target.log" -id ${ctx.random.guid()}`);
    return burst(ctx, ctx.random.int(4, 14), (c, i) => ({
      table: FILE,
      row: fileEvent(c, run, 'FileCreated', { path: i === 0 ? `E:\\Backups\\Daily\\${host}\\${host}D2026-11-${day}T020014_${c.random.hex(4).toUpperCase()}.vib` : `C:\\ProgramData\\Veeam\\Backup\\Daily\\Temp\\block_${i}.tmp`, size: c.random.int(1e6, 9e8) }),
    }));
  }
  if (choice === 1) {
    const run = serviceRun(ctx, IMAGES.backupExec, '"C:\\Program Files\\Veritas\\Backup Exec\\beremote.exe"');
    return burst(ctx, ctx.random.int(3, 10), (c, i) => ({ table: FILE, row: fileEvent(c, run, 'FileCreated', { path: `C:\\Program Files\\Veritas\\Backup Exec\\Data\\BEX_${host}_${String(i).padStart(5, '0')}.xml` }) }));
  }
  const run = serviceRun(ctx, IMAGES.wbengine, '"C:\\Windows\\system32\\wbengine.exe"');
  const set = `E:\\WindowsImageBackup\\${host}\\Backup 2026-11-${day} 020000`;
  const names = ['BackupSpecs.xml', `${ctx.random.guid()}.vhdx`, `${ctx.random.guid()}_AdditionalFilesc3b9f3c7-5e52-4d5e-8b20-19adc95a34c7.xml`, `${ctx.random.guid()}_Components.xml`, `${ctx.random.guid()}_RegistryExcludes.xml`];
  return burst(ctx, names.length, (c, i) => ({ table: FILE, row: fileEvent(c, run, 'FileCreated', { path: `${set}\\${names[i]}`, size: c.random.int(1_000, 4e9) }) }));
}

/** SCCM client cache downloads and Intune Management Extension content staging and scripts. */
function sccmIntune(ctx: EventContext): TableRow[] {
  if (ctx.random.chance(0.5)) {
    const run = serviceRun(ctx, IMAGES.ccmexec, 'C:\\Windows\\CCM\\CcmExec.exe');
    const folder = `C:\\Windows\\ccmcache\\${ctx.random.hex(2)}`;
    const names = ['Setup.msi', 'Setup.cab', 'install.ps1', 'config.ini', 'data.cab', 'readme.txt'];
    return burst(ctx, names.length, (c, i) => ({ table: FILE, row: fileEvent(c, run, 'FileCreated', { path: `${folder}\\${names[i]}` }) }));
  }
  const ime = serviceRun(ctx, IMAGES.intune, '"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Microsoft.Management.Services.IntuneWindowsAgent.exe"');
  const policy = ctx.random.guid();
  const script = `C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Policies\\Scripts\\${policy}_1.ps1`;
  const agent = spawn(later(ctx), IMAGES.intuneAgentExecutor, `"C:\\Program Files (x86)\\Microsoft Intune Management Extension\\agentexecutor.exe" -powershell "${script}" "C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Policies\\Results\\${policy}_1.output" -1 1 0`, SYSTEM_ACCOUNT, ime, 1);
  const ps = spawn(later(ctx, 300), IMAGES.powershell, `"C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0\\powershell.exe" -NoProfile -executionPolicy bypass -file "${script}"`, SYSTEM_ACCOUNT, agent, 1);
  const staging = `C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Content\\Staging\\${ctx.random.guid()}_1`;
  return [
    { table: FILE, row: fileEvent(ctx, ime, 'FileCreated', { path: script }) },
    { table: PROCESS, row: processCreated(later(ctx, 200), agent) },
    { table: PROCESS, row: processCreated(later(ctx, 400), ps) },
    ...burst(later(ctx, 600), ctx.random.int(2, 6), (c, i) => ({ table: FILE, row: fileEvent(c, ime, 'FileCreated', { path: i === 0 ? `${staging}\\package.intunewin` : `C:\\Windows\\IMECache\\${policy}_1\\file${i}.dll` }) })),
  ];
}

/** Log shippers consolidating and forwarding logs. */
function logShipper(ctx: EventContext): TableRow[] {
  if (ctx.random.chance(0.5)) {
    const run = serviceRun(ctx, IMAGES.splunk, '"C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe" service');
    return [
      { table: FILE, row: fileEvent(ctx, run, 'FileModified', { path: 'C:\\Program Files\\SplunkUniversalForwarder\\var\\lib\\splunk\\fishbucket\\splunk_private_db\\btree_records.dat' }) },
      { table: FILE, row: fileEvent(later(ctx), run, 'FileCreated', { path: `C:\\Program Files\\SplunkUniversalForwarder\\var\\spool\\splunk\\tracker_${ctx.random.hex(6)}.log` }) },
      { table: NETWORK, row: networkEvent(later(ctx), run, { actionType: 'ConnectionSuccess', remoteIp: '10.20.0.50', remotePort: 9997 }) },
    ];
  }
  const run = serviceRun(ctx, IMAGES.winlogbeat, '"C:\\Program Files\\Elastic\\Beats\\8.15.3\\winlogbeat\\winlogbeat.exe" --path.home "C:\\Program Files\\Elastic\\Beats\\8.15.3\\winlogbeat" --path.data "C:\\ProgramData\\Elastic\\Beats\\winlogbeat"');
  return [
    { table: FILE, row: fileEvent(ctx, run, 'FileModified', { path: 'C:\\ProgramData\\Elastic\\Beats\\winlogbeat\\data\\winlogbeat.yml' }) },
    { table: FILE, row: fileEvent(later(ctx), run, 'FileCreated', { path: `C:\\ProgramData\\Elastic\\Beats\\winlogbeat\\logs\\winlogbeat-2026112${ctx.random.int(0, 7)}.ndjson` }) },
    { table: NETWORK, row: networkEvent(later(ctx), run, { actionType: 'ConnectionSuccess', remoteIp: '10.20.0.51', remotePort: 5044 }) },
  ];
}

/** A CI agent building a solution and copying the output with robocopy (a build-script bulk copy). */
function buildPipeline(ctx: EventContext): TableRow[] {
  const agent = serviceRun(ctx, IMAGES.buildAgent, 'C:\\agent\\bin\\Agent.Worker.exe spawnclient 4236 4268', NETWORK_SERVICE);
  const work = `C:\\agent\\_work\\${ctx.random.int(1, 9)}`;
  const cmd = spawn(ctx, IMAGES.cmd, `C:\\Windows\\system32\\cmd.exe /D /E:ON /V:OFF /S /C "CALL "${work}\\_temp\\build-${ctx.random.guid()}.cmd""`, NETWORK_SERVICE, agent, 1);
  const msbuild = spawn(later(ctx, 100), IMAGES.msbuild, `"${IMAGES.msbuild.path}" ${work}\\s\\App.sln /p:Configuration=Release /m /nologo`, NETWORK_SERVICE, cmd, 1);
  const robocopy = spawn(later(ctx, 4000), IMAGES.robocopy, `robocopy ${work}\\s\\bin\\Release ${work}\\a\\drop /E /NP /R:2 /W:5`, NETWORK_SERVICE, cmd, 1);
  const outputs = ['App.dll', 'App.pdb', 'App.Core.dll', 'App.Core.pdb', 'App.exe', 'App.exe.config', 'Newtonsoft.Json.dll', 'Serilog.dll', 'App.deps.json', 'App.runtimeconfig.json', 'App.xml', 'README.md'];
  const count = ctx.random.int(6, outputs.length);
  return [
    { table: PROCESS, row: processCreated(ctx, cmd) },
    { table: PROCESS, row: processCreated(later(ctx, 100), msbuild) },
    ...burst(later(ctx, 2000), count, (c, i) => ({ table: FILE, row: fileEvent(c, msbuild, 'FileCreated', { path: `${work}\\s\\bin\\Release\\${outputs[i]}` }) })),
    { table: PROCESS, row: processCreated(later(ctx, 4000), robocopy) },
    ...burst(later(ctx, 4100), count, (c, i) => ({ table: FILE, row: fileEvent(c, robocopy, 'FileCreated', { path: `${work}\\a\\drop\\${outputs[i]}` }) })),
  ];
}

const EVERYDAY_PROCESSES: readonly (readonly [string, string, 'system' | 'user'])[] = [
  ['C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', 'system'],
  ['C:\\Windows\\System32\\svchost.exe', 'C:\\Windows\\System32\\svchost.exe -k wsappx -p -s AppXSvc', 'system'],
  ['C:\\Windows\\System32\\taskhostw.exe', 'taskhostw.exe Install $(Arg0)', 'user'],
  ['C:\\Windows\\System32\\SearchIndexer.exe', 'C:\\Windows\\system32\\SearchIndexer.exe /Embedding', 'system'],
  ['C:\\Windows\\System32\\conhost.exe', '\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', 'user'],
  ['C:\\Windows\\System32\\backgroundTaskHost.exe', '"C:\\Windows\\system32\\BackgroundTaskHost.exe" -ServerName:BackgroundTaskHost.WebAccountProvider', 'user'],
  ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell.exe -NoProfile -Command "Get-ChildItem $env:USERPROFILE\\Documents | Measure-Object"', 'user'],
  ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\system32\\cmd.exe /c ipconfig /all', 'user'],
  ['C:\\Windows\\System32\\ipconfig.exe', 'ipconfig /all', 'user'],
  ['C:\\Program Files\\Git\\cmd\\git.exe', 'git.exe fetch --all --prune', 'user'],
  ['C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', '"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"', 'user'],
  ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --display-capture-permissions-policy-allowed', 'user'],
  ['C:\\Windows\\System32\\wermgr.exe', 'C:\\Windows\\system32\\wermgr.exe -upload', 'system'],
  ['C:\\Windows\\System32\\sc.exe', 'sc.exe query WinDefend', 'system'],
];

function everydayProcess(ctx: EventContext): TableRow[] {
  const [path, cmd, who] = ctx.random.pick(EVERYDAY_PROCESSES);
  const parent = who === 'system' ? servicesOf(ctx) : explorerOf(ctx);
  const run = spawn(ctx, image(path), cmd, who === 'system' ? SYSTEM_ACCOUNT : ctx.device.user, parent, 0);
  return [{ table: PROCESS, row: processCreated(ctx, run) }];
}

const WEB_DESTINATIONS = [
  ['www.google.com', '142.250.185.68'], ['login.microsoftonline.com', '20.190.159.2'], ['outlook.office365.com', '52.97.146.18'],
  ['teams.microsoft.com', '52.113.194.132'], ['github.com', '140.82.121.4'], ['www.wikipedia.org', '185.15.59.224'],
  ['ctldl.windowsupdate.com', '13.107.4.50'], ['winatp-gw-weu.microsoft.com', '20.50.201.195'], ['download.example.org', '93.184.215.14'],
] as const;

function networkActivity(ctx: EventContext): TableRow[] {
  const kind = ctx.random.weighted([['web', 60], ['dns', 10], ['smb', 8], ['inbound', 8], ['failed', 6], ['listen', 3], ['inspected', 5]] as const);
  const user = explorerOf(ctx);
  if (kind === 'web' || kind === 'failed') {
    const [url, ip] = ctx.random.pick(WEB_DESTINATIONS);
    const [img, cmd] = ctx.random.pick(BROWSERS);
    const run = spawn(ctx, img, cmd, ctx.device.user, user, ctx.random.int(5, 7200));
    return [{ table: NETWORK, row: networkEvent(ctx, run, { actionType: kind === 'web' ? 'ConnectionSuccess' : 'ConnectionFailed', remoteIp: ip, remotePort: 443, remoteUrl: url }) }];
  }
  if (kind === 'dns') {
    const run = serviceRun(ctx, IMAGES.svchost, 'C:\\Windows\\system32\\svchost.exe -k NetworkService -p -s Dnscache', NETWORK_SERVICE);
    return [{ table: NETWORK, row: networkEvent(ctx, run, { actionType: 'ConnectionSuccess', remoteIp: '10.20.0.10', remotePort: 53, protocol: 'Udp' }) }];
  }
  if (kind === 'smb') {
    return [{ table: NETWORK, row: networkEvent(ctx, spawn(ctx, IMAGES.system, '', SYSTEM_ACCOUNT, undefined, 300_000), { actionType: 'ConnectionSuccess', remoteIp: '10.20.0.30', remotePort: 445, remoteUrl: 'fs01.corp.contoso.com' }) }];
  }
  const svc = serviceRun(ctx, IMAGES.svchost, 'C:\\Windows\\System32\\svchost.exe -k termsvcs -s TermService', NETWORK_SERVICE);
  if (kind === 'inbound') {
    return [{ table: NETWORK, row: networkEvent(ctx, svc, { actionType: 'InboundConnectionAccepted', remoteIp: `10.10.${ctx.random.int(0, 3)}.${ctx.random.int(2, 250)}`, remotePort: ctx.random.pick([3389, 445, 135, 5985]), inbound: true }) }];
  }
  if (kind === 'listen') {
    return [{ table: NETWORK, row: networkEvent(ctx, svc, { actionType: 'ListeningConnectionCreated', remoteIp: '0.0.0.0', remotePort: 0, inbound: true }) }];
  }
  const [url, ip] = ctx.random.pick(WEB_DESTINATIONS);
  const row = networkEvent(ctx, svc, { actionType: ctx.random.pick(['SslConnectionInspected', 'HttpConnectionInspected', 'DnsConnectionInspected', 'NetworkSignatureInspected']), remoteIp: ip, remotePort: 443, remoteUrl: url });
  row['AdditionalFields'] = JSON.stringify({ direction: 'Out', server_name: url, established: true });
  return [{ table: NETWORK, row }];
}

const REGISTRY_WRITES = [
  ['HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', 'SecurityHealth', 'String', '%windir%\\system32\\SecurityHealthSystray.exe'],
  ['HKEY_CURRENT_USER\\S-1-5-21-1004336348-1177238915-682003330-1105\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs', 'MRUListEx', 'Binary', '03 00 00 00 02 00 00 00'],
  ['HKEY_LOCAL_MACHINE\\SYSTEM\\ControlSet001\\Services\\bam\\State\\UserSettings\\S-1-5-21-1004336348-1177238915-682003330-1105', '\\Device\\HarddiskVolume3\\Windows\\explorer.exe', 'Binary', '5C 6B 1A 00 00 00 00 00'],
  ['HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates', 'SignaturesLastUpdated', 'Binary', 'A0 7E 43 1B 94 40 DB 01'],
  ['HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU', 'NoAutoUpdate', 'Dword', '0'],
  ['HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SMS\\Mobile Client', 'ProductVersion', 'String', '5.00.9122.1000'],
  ['HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Google\\Update\\ClientState\\{8A69D345-D564-463C-AFF1-A69D9E530F96}', 'pv', 'String', '131.0.6778.86'],
] as const;

function registryActivity(ctx: EventContext): TableRow[] {
  const [key, valueName, valueType, data] = ctx.random.pick(REGISTRY_WRITES);
  const action = ctx.random.weighted([['RegistryValueSet', 80], ['RegistryKeyCreated', 10], ['RegistryValueDeleted', 6], ['RegistryKeyDeleted', 4]] as const);
  const run = ctx.random.chance(0.6) ? serviceRun(ctx, IMAGES.svchost, 'C:\\Windows\\system32\\svchost.exe -k netsvcs -p') : spawn(ctx, IMAGES.explorer, 'C:\\Windows\\Explorer.EXE', ctx.device.user, undefined, 20_000);
  const keyOnly = action.startsWith('RegistryKey');
  const row: Row = Object.assign(header(ctx, action), initiating(ctx, run), {
    RegistryKey: key,
    RegistryValueType: keyOnly ? '' : valueType,
    RegistryValueName: keyOnly ? '' : valueName,
    RegistryValueData: keyOnly || action === 'RegistryValueDeleted' ? '' : data,
    PreviousRegistryKey: action === 'RegistryValueSet' ? key : '',
    PreviousRegistryValueName: action === 'RegistryValueSet' ? valueName : '',
    PreviousRegistryValueData: action === 'RegistryValueSet' && valueType === 'Dword' ? '1' : '',
  });
  return [{ table: REGISTRY, row }];
}

const DLLS = ['ntdll.dll', 'kernel32.dll', 'KernelBase.dll', 'advapi32.dll', 'crypt32.dll', 'wininet.dll', 'winhttp.dll', 'amsi.dll', 'clr.dll', 'System.Management.Automation.ni.dll', 'dbghelp.dll', 'samlib.dll', 'vaultcli.dll', 'taskschd.dll'];

function imageLoads(ctx: EventContext): TableRow[] {
  const [path, cmd, who] = ctx.random.pick(EVERYDAY_PROCESSES);
  const run = spawn(ctx, image(path), cmd, who === 'system' ? SYSTEM_ACCOUNT : ctx.device.user, undefined, ctx.random.int(1, 600));
  return burst(ctx, ctx.random.int(1, 3), (c) => {
    const dll = c.random.pick(DLLS);
    const loaded = image(dll.endsWith('.ni.dll') ? `C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System.Manaa57fc8cc#\\${dll}` : `C:\\Windows\\System32\\${dll}`);
    return {
      table: IMAGE_LOAD,
      row: Object.assign(header(c, 'ImageLoaded'), initiating(c, run), { FileName: loaded.fileName, FolderPath: loaded.path, SHA1: loaded.sha1, SHA256: loaded.sha256, MD5: loaded.md5, FileSize: loaded.size }),
    };
  });
}

const LOGON_TYPES = [['Interactive', 25], ['Network', 35], ['RemoteInteractive', 6], ['Service', 12], ['Batch', 6], ['Unlock', 10], ['CachedInteractive', 6]] as const;
const FAILURE_REASONS = ['InvalidUserNameOrPassword', 'UnknownUser', 'AccountLocked', 'AccountDisabled'];

function logonActivity(ctx: EventContext): TableRow[] {
  const logonType = ctx.random.weighted(LOGON_TYPES);
  const action = ctx.random.weighted([['LogonSuccess', 84], ['LogonFailed', 13], ['LogonAttempted', 3]] as const);
  const remote = logonType === 'Network' || logonType === 'RemoteInteractive';
  const account = logonType === 'Service' || logonType === 'Batch' ? SYSTEM_ACCOUNT : ctx.device.user;
  const run = spawn(ctx, IMAGES.lsass, 'C:\\Windows\\system32\\lsass.exe', SYSTEM_ACCOUNT, undefined, 250_000);
  const row: Row = Object.assign(header(ctx, action), initiating(ctx, run), {
    LogonType: logonType,
    AccountDomain: account.domain,
    AccountName: account.name,
    AccountSid: account.sid,
    Protocol: remote ? ctx.random.pick(['Kerberos', 'NTLM', 'Negotiate']) : 'Negotiate',
    FailureReason: action === 'LogonFailed' ? ctx.random.pick(FAILURE_REASONS) : '',
    IsLocalAdmin: account === SYSTEM_ACCOUNT || ctx.random.chance(0.1),
    LogonId: action === 'LogonSuccess' ? ctx.random.int(100_000, 99_999_999) : null,
    RemoteDeviceName: remote ? `wks-${String(ctx.random.int(1, 400)).padStart(4, '0')}` : '',
    RemoteIP: remote ? `10.10.${ctx.random.int(0, 3)}.${ctx.random.int(2, 250)}` : '',
    RemoteIPType: remote ? 'Private' : '',
    RemotePort: remote ? ctx.random.int(49152, 65535) : null,
    AdditionalFields: JSON.stringify({ IsLocalLogon: !remote }),
  });
  return [{ table: LOGON, row }];
}

/** DeviceEvents ActionTypes real hunting queries filter on, with the AdditionalFields keys they read. */
function deviceEvent(ctx: EventContext): TableRow[] {
  const kind = ctx.random.weighted([
    ['PowerShellCommand', 20], ['PnpDeviceConnected', 8], ['UsbDriveMounted', 4], ['BrowserLaunchedToOpenUrl', 10],
    ['ScheduledTaskCreated', 4], ['AntivirusDetection', 1], ['SmartScreenUrlWarning', 2], ['AsrOfficeChildProcessAudited', 2],
    ['UserAccountAddedToLocalGroup', 1], ['OpenProcessApiCall', 8], ['NamedPipeEvent', 10], ['DnsQueryResponse', 10],
    ['FirewallInboundConnectionBlocked', 4], ['ListeningConnectionCreated', 3], ['ProcessPrimaryTokenModified', 1],
  ] as const);
  const ps = spawn(ctx, IMAGES.powershell, 'powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\inventory.ps1', ctx.device.user, explorerOf(ctx), ctx.random.int(1, 60));
  const run = kind === 'PowerShellCommand' ? ps : kind === 'OpenProcessApiCall' ? serviceRun(ctx, IMAGES.msmpeng, '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe"') : explorerOf(ctx);
  const extra: Row = {};
  let fields: Record<string, unknown> = {};
  switch (kind) {
    case 'PowerShellCommand': fields = { Command: ctx.random.pick(['Get-ChildItem', 'Import-Module', 'Get-Service', 'Measure-Object', 'Out-File', 'Get-ItemProperty']) }; break;
    case 'PnpDeviceConnected': fields = { ClassName: ctx.random.pick(['USB', 'HIDClass', 'Keyboard', 'WPD']), DeviceDescription: 'USB Mass Storage Device', DeviceId: `USB\\VID_0781&PID_5583\\${ctx.random.hex(12).toUpperCase()}`, VendorIds: 'USB\\VID_0781', Manufacturer: 'SanDisk' }; break;
    case 'UsbDriveMounted': fields = { DriveLetter: ctx.random.pick(['E:', 'F:']), BusType: 7, ProductName: 'Ultra', ProductRevision: '1.00', SerialNumber: ctx.random.hex(12).toUpperCase(), Volume: '\\??\\Volume{' + ctx.random.guid() + '}', Manufacturer: 'SanDisk', LoggedOnUsers: `CONTOSO\\${ctx.device.user.name}` }; break;
    case 'BrowserLaunchedToOpenUrl': extra['RemoteUrl'] = `https://${ctx.random.pick(WEB_DESTINATIONS)[0]}/`; break;
    case 'ScheduledTaskCreated': fields = { TaskName: '\\Microsoft\\Office\\Office Automatic Updates 2.0', TaskContent: '<Task></Task>' }; break;
    case 'AntivirusDetection': fields = { ThreatName: 'Virus:DOS/EICAR_Test_File', WasRemediated: true, WasExecutingWhileDetected: false, Action: 'quarantine' }; extra['FileName'] = 'eicar.com'; extra['FolderPath'] = `${profile(ctx.device.user)}\\Downloads\\eicar.com`; break;
    case 'SmartScreenUrlWarning': fields = { Experience: 'Untrusted' }; extra['RemoteUrl'] = 'http://download.example.org/unknown.exe'; break;
    case 'AsrOfficeChildProcessAudited': fields = { IsAudit: true, RuleId: 'd4f940ab-401b-4efc-aadc-ad5f3c50688a' }; break;
    case 'UserAccountAddedToLocalGroup': fields = { GroupName: 'Administrators', GroupDomainName: 'BUILTIN', GroupSid: 'S-1-5-32-544' }; extra['AccountSid'] = ctx.device.user.sid; break;
    case 'OpenProcessApiCall': fields = { DesiredAccess: 4096 }; extra['FileName'] = 'svchost.exe'; extra['FolderPath'] = IMAGES.svchost.path; break;
    case 'NamedPipeEvent': fields = { PipeName: `\\Device\\NamedPipe\\mojo.${ctx.random.int(1000, 9999)}.${ctx.random.int(1000, 99999)}`, FileOperation: 'File created', NamedPipeEnd: 'Server' }; break;
    case 'DnsQueryResponse': fields = { DnsQueryString: ctx.random.pick(WEB_DESTINATIONS)[0], DnsQueryResult: [{ DnsQueryType: 'A' }] }; break;
    case 'FirewallInboundConnectionBlocked': extra['RemoteIP'] = `10.10.${ctx.random.int(0, 3)}.${ctx.random.int(2, 250)}`; extra['RemotePort'] = ctx.random.int(49152, 65535); extra['LocalPort'] = 5355; extra['LocalIP'] = ctx.device.localIp; break;
    case 'ListeningConnectionCreated': extra['LocalPort'] = ctx.random.pick([8080, 5000, 3000]); extra['LocalIP'] = '0.0.0.0'; break;
    case 'ProcessPrimaryTokenModified': fields = { OriginalTokenIntegrityLevel: 8192, CurrentTokenIntegrityLevel: 16384, TokenModificationProperties: 'tokenChangeDescription' }; break;
  }
  const row: Row = Object.assign(header(ctx, kind), initiating(ctx, run), { AccountName: ctx.device.user.name, AccountDomain: ctx.device.user.domain, ...extra, AdditionalFields: Object.keys(fields).length ? JSON.stringify(fields) : '' });
  return [{ table: EVENTS, row }];
}

// ------------------------------------------------------------------------------------------ Linux

const LINUX_PROCESSES: readonly (readonly [typeof IMAGES.bash, string])[] = [
  [IMAGES.bash, '/bin/bash -c /usr/lib/update-notifier/apt-check'],
  [IMAGES.apt, 'apt-get -qq update'],
  [IMAGES.dpkg, 'dpkg --status-fd 49 --configure --pending'],
  [IMAGES.python, '/usr/bin/python3 /usr/lib/ubuntu-release-upgrader/check-new-release -q'],
  [IMAGES.logrotate, '/usr/sbin/logrotate /etc/logrotate.conf'],
  [IMAGES.find, 'find /var/tmp -mtime +7 -type f'],
];

function linuxActivity(ctx: EventContext): TableRow[] {
  const systemd = spawn(ctx, IMAGES.systemd, '/sbin/init splash', LINUX_ROOT, undefined, 500_000);
  const kind = ctx.random.weighted([['process', 35], ['file', 35], ['network', 25], ['logon', 5]] as const);
  if (kind === 'process') {
    const [img, cmd] = ctx.random.pick(LINUX_PROCESSES);
    return [{ table: PROCESS, row: processCreated(ctx, spawn(ctx, img, cmd, LINUX_ROOT, systemd, 0)) }];
  }
  if (kind === 'file') {
    const which = ctx.random.int(0, 2);
    if (which === 0) {
      const apt = spawn(ctx, IMAGES.apt, 'apt-get -y upgrade', LINUX_ROOT, systemd, 30);
      return burst(ctx, ctx.random.int(2, 8), (c, i) => ({ table: FILE, row: fileEvent(c, apt, 'FileCreated', { path: `/var/cache/apt/archives/pkg${i}_${c.random.int(1, 9)}.${c.random.int(0, 20)}_amd64.deb` }) }));
    }
    if (which === 1) {
      const rotate = spawn(ctx, IMAGES.logrotate, '/usr/sbin/logrotate /etc/logrotate.conf', LINUX_ROOT, systemd, 2);
      return burst(ctx, ctx.random.int(2, 5), (c, i) => ({ table: FILE, row: fileEvent(c, rotate, 'FileCreated', { path: `/var/log/${['syslog', 'auth.log', 'kern.log', 'dpkg.log', 'nginx/access.log'][i]}.2.gz` }) }));
    }
    const fluent = spawn(ctx, IMAGES.fluentBit, '/opt/fluent-bit/bin/fluent-bit -c /etc/fluent-bit/fluent-bit.conf', LINUX_ROOT, systemd, 100_000);
    return [{ table: FILE, row: fileEvent(ctx, fluent, 'FileModified', { path: '/var/lib/fluent-bit/tail.db' }) }];
  }
  if (kind === 'network') {
    const sshd = spawn(ctx, IMAGES.sshd, 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups', LINUX_ROOT, systemd, 400_000);
    if (ctx.random.chance(0.5)) return [{ table: NETWORK, row: networkEvent(ctx, sshd, { actionType: 'InboundConnectionAccepted', remoteIp: `10.10.${ctx.random.int(0, 3)}.${ctx.random.int(2, 250)}`, remotePort: 22, inbound: true }) }];
    const apt = spawn(ctx, IMAGES.apt, 'apt-get -qq update', LINUX_ROOT, systemd, 3);
    return [{ table: NETWORK, row: networkEvent(ctx, apt, { actionType: 'ConnectionSuccess', remoteIp: '185.125.190.36', remotePort: 80, remoteUrl: 'archive.ubuntu.com' }) }];
  }
  const sshd = spawn(ctx, IMAGES.sshd, 'sshd: /usr/sbin/sshd -D', LINUX_ROOT, systemd, 400_000);
  const failed = ctx.random.chance(0.2);
  const row: Row = Object.assign(header(ctx, failed ? 'LogonFailed' : 'LogonSuccess'), initiating(ctx, sshd), {
    LogonType: 'Network', AccountName: ctx.device.user.name, Protocol: 'SSH', FailureReason: failed ? 'InvalidUserNameOrPassword' : '',
    IsLocalAdmin: false, RemoteIP: `10.10.${ctx.random.int(0, 3)}.${ctx.random.int(2, 250)}`, RemoteIPType: 'Private', RemotePort: ctx.random.int(49152, 65535),
  });
  return [{ table: LOGON, row }];
}

/** Families for Windows devices, weighted so the table mix is roughly that of a real Defender tenant. */
const WINDOWS_FAMILIES = weightedPicker<Family>([
  [browserDownload, 4], [browserCache, 6], [officeTemp, 5], [installerUnpacking, 1.2], [updaterWindowsTemp, 1.5],
  [sccmIntune, 1], [logShipper, 2], [everydayProcess, 22], [networkActivity, 22], [registryActivity, 10],
  [imageLoads, 6], [logonActivity, 4], [deviceEvent, 6],
]);

/** Servers additionally run backups and builds. */
const SERVER_FAMILIES = weightedPicker<Family>([
  [backupAgent, 3], [buildPipeline, 1.5], [logShipper, 4], [updaterWindowsTemp, 2], [sccmIntune, 2],
  [everydayProcess, 22], [networkActivity, 24], [registryActivity, 10], [imageLoads, 6], [logonActivity, 8], [deviceEvent, 4],
]);

/** One moment of benign activity on `device`. */
export function benignActivity(ctx: EventContext, device: Device, random: Random): TableRow[] {
  if (device.role === 'linux') return linuxActivity(ctx);
  return (device.role === 'server' ? SERVER_FAMILIES : WINDOWS_FAMILIES)(random)(ctx);
}
