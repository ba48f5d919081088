/**
 * The simulated enterprise: devices (workstations, servers, Linux hosts), user accounts and the
 * executable images processes run from. Everything is derived from the seed or from names, so two
 * runs with the same options describe the same fleet.
 */
import { createHash } from 'node:crypto';
import type { Random } from './random.js';

export type DeviceRole = 'workstation' | 'server' | 'linux';

export interface Account {
  domain: string;
  name: string;
  sid: string;
  upn: string;
  objectId: string;
}

export interface Device {
  id: string;
  name: string;
  role: DeviceRole;
  localIp: string;
  /** The person who mostly uses it (servers and Linux hosts: an admin). */
  user: Account;
}

export interface Image {
  fileName: string;
  /** Full path including the file name (as Defender's FolderPath columns carry it). */
  path: string;
  company: string;
  product: string;
  version: string;
  description: string;
  sha1: string;
  sha256: string;
  md5: string;
  size: number;
}

const DOMAIN = 'contoso';
const DNS_SUFFIX = 'corp.contoso.com';
const DOMAIN_SID = 'S-1-5-21-1004336348-1177238915-682003330';

const FIRST_NAMES = [
  'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj',
  'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'walter', 'yasmin', 'zoe', 'omar', 'priya', 'chen',
];
const SURNAMES = ['smith', 'jones', 'garcia', 'kim', 'nguyen', 'patel', 'muller', 'rossi', 'dubois', 'tanaka', 'silva', 'cohen'];

export const SYSTEM_ACCOUNT: Account = { domain: 'nt authority', name: 'system', sid: 'S-1-5-18', upn: '', objectId: '' };
export const NETWORK_SERVICE: Account = { domain: 'nt authority', name: 'network service', sid: 'S-1-5-20', upn: '', objectId: '' };
export const LINUX_ROOT: Account = { domain: '', name: 'root', sid: '', upn: '', objectId: '' };

function hashHex(algorithm: 'sha1' | 'sha256' | 'md5', text: string): string {
  return createHash(algorithm).update(text).digest('hex');
}

/** A domain user with deterministic SID/GUID (derived from the index, so stable across runs). */
export function domainUser(index: number): Account {
  const first = FIRST_NAMES[index % FIRST_NAMES.length]!;
  const surname = SURNAMES[Math.floor(index / FIRST_NAMES.length) % SURNAMES.length]!;
  const name = `${first}.${surname}`;
  const objectHex = hashHex('md5', `user:${index}`);
  const objectId = `${objectHex.slice(0, 8)}-${objectHex.slice(8, 12)}-${objectHex.slice(12, 16)}-${objectHex.slice(16, 20)}-${objectHex.slice(20, 32)}`;
  return { domain: DOMAIN, name, sid: `${DOMAIN_SID}-${1105 + index}`, upn: `${name}@contoso.com`, objectId };
}

/**
 * Device roles: device 1 is Linux and device 2 a server (so small fleets still have one of each,
 * and every attack kind has a plausible host); beyond that one in ten is Linux, one in ten a server.
 */
function roleOf(index: number): DeviceRole {
  if (index === 1) return 'linux';
  if (index === 2) return 'server';
  const slot = index % 10;
  if (slot === 7) return 'linux';
  if (slot === 8) return 'server';
  return 'workstation';
}

const NAME_PREFIX: Record<DeviceRole, string> = { workstation: 'wks', server: 'srv', linux: 'lnx' };

export function buildFleet(deviceCount: number): { devices: Device[]; users: Account[] } {
  const userCount = Math.max(8, Math.ceil(deviceCount * 0.9));
  const users = Array.from({ length: userCount }, (_, i) => domainUser(i));
  const devices = Array.from({ length: deviceCount }, (_, i): Device => {
    const role = roleOf(i);
    const name = `${NAME_PREFIX[role]}-${String(i + 1).padStart(4, '0')}.${DNS_SUFFIX}`;
    const linuxUser: Account = { ...users[i % userCount]!, domain: '', sid: '', upn: '', objectId: '' };
    return {
      id: hashHex('sha1', `device:${name}`),
      name,
      role,
      localIp: `10.${role === 'server' ? 20 : 10}.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`,
      user: role === 'linux' ? linuxUser : users[i % userCount]!,
    };
  });
  return { devices, users };
}

/** Windows user profile folder. */
export function profile(account: Account): string {
  return `C:\\Users\\${account.name}`;
}

/** The user's %TEMP%. */
export function userTemp(account: Account): string {
  return `${profile(account)}\\AppData\\Local\\Temp`;
}

interface ImageSpec {
  path: string;
  company?: string;
  product?: string;
  version?: string;
  description?: string;
}

const imageCache = new Map<string, Image>();

/** An executable image by full path; hashes and size are derived from the path, so they are stable. */
export function image(spec: ImageSpec | string): Image {
  const s = typeof spec === 'string' ? { path: spec } : spec;
  const cached = imageCache.get(s.path);
  if (cached) return cached;
  const separator = s.path.includes('\\') ? '\\' : '/';
  const fileName = s.path.slice(s.path.lastIndexOf(separator) + 1);
  const windowsSystem = separator === '\\' && /^c:\\windows\\/i.test(s.path);
  const made: Image = {
    fileName,
    path: s.path,
    company: s.company ?? (windowsSystem ? 'Microsoft Corporation' : ''),
    product: s.product ?? (windowsSystem ? 'Microsoft® Windows® Operating System' : ''),
    version: s.version ?? (windowsSystem ? '10.0.19041.3636' : ''),
    description: s.description ?? '',
    sha1: hashHex('sha1', `image:${s.path.toLowerCase()}`),
    sha256: hashHex('sha256', `image:${s.path.toLowerCase()}`),
    md5: hashHex('md5', `image:${s.path.toLowerCase()}`),
    size: 20_000 + (parseInt(hashHex('md5', s.path).slice(0, 6), 16) % 4_000_000),
  };
  imageCache.set(s.path, made);
  return made;
}

/** Well-known images, named for the roles they play in the benign families and the attacks. */
export const IMAGES = {
  explorer: image({ path: 'C:\\Windows\\explorer.exe', description: 'Windows Explorer' }),
  svchost: image({ path: 'C:\\Windows\\System32\\svchost.exe', description: 'Host Process for Windows Services' }),
  services: image({ path: 'C:\\Windows\\System32\\services.exe', description: 'Services and Controller app' }),
  lsass: image({ path: 'C:\\Windows\\System32\\lsass.exe', description: 'Local Security Authority Process' }),
  winlogon: image({ path: 'C:\\Windows\\System32\\winlogon.exe', description: 'Windows Logon Application' }),
  system: image({ path: 'C:\\Windows\\System32\\ntoskrnl.exe', description: 'NT Kernel & System' }),
  cmd: image({ path: 'C:\\Windows\\System32\\cmd.exe', description: 'Windows Command Processor' }),
  powershell: image({ path: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', description: 'Windows PowerShell' }),
  robocopy: image({ path: 'C:\\Windows\\System32\\Robocopy.exe', description: 'Microsoft Robocopy' }),
  xcopy: image({ path: 'C:\\Windows\\System32\\xcopy.exe', description: 'Extended Copy Utility' }),
  net: image({ path: 'C:\\Windows\\System32\\net.exe', description: 'Net Command' }),
  makecab: image({ path: 'C:\\Windows\\System32\\makecab.exe', description: 'Microsoft® Cabinet Maker' }),
  msiexec: image({ path: 'C:\\Windows\\System32\\msiexec.exe', description: 'Windows® installer' }),
  taskhostw: image({ path: 'C:\\Windows\\System32\\taskhostw.exe', description: 'Host Process for Windows Tasks' }),
  wbengine: image({ path: 'C:\\Windows\\System32\\wbengine.exe', description: 'Microsoft Block Level Backup Engine Service EXE' }),
  searchIndexer: image({ path: 'C:\\Windows\\System32\\SearchIndexer.exe', description: 'Microsoft Windows Search Indexer' }),
  wuauclt: image({ path: 'C:\\Windows\\System32\\wuauclt.exe', description: 'Windows Update' }),
  mpcmdrun: image({ path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe', company: 'Microsoft Corporation', product: 'Microsoft Malware Protection', version: '4.18.24090.11', description: 'Microsoft Malware Protection Command Line Utility' }),
  msmpeng: image({ path: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe', company: 'Microsoft Corporation', product: 'Microsoft Malware Protection', version: '4.18.24090.11', description: 'Antimalware Service Executable' }),
  chrome: image({ path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', company: 'Google LLC', product: 'Google Chrome', version: '131.0.6778.86', description: 'Google Chrome' }),
  msedge: image({ path: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', company: 'Microsoft Corporation', product: 'Microsoft Edge', version: '131.0.2903.70', description: 'Microsoft Edge' }),
  firefox: image({ path: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe', company: 'Mozilla Corporation', product: 'Firefox', version: '133.0', description: 'Firefox' }),
  winword: image({ path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', company: 'Microsoft Corporation', product: 'Microsoft Office', version: '16.0.18129.20158', description: 'Microsoft Word' }),
  excel: image({ path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE', company: 'Microsoft Corporation', product: 'Microsoft Office', version: '16.0.18129.20158', description: 'Microsoft Excel' }),
  outlook: image({ path: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', company: 'Microsoft Corporation', product: 'Microsoft Office', version: '16.0.18129.20158', description: 'Microsoft Outlook' }),
  teams: image({ path: 'C:\\Users\\Public\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', company: 'Microsoft Corporation', product: 'Microsoft Teams', version: '1.7.00.13456', description: 'Microsoft Teams' }),
  googleUpdate: image({ path: 'C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe', company: 'Google LLC', product: 'Google Update', version: '1.3.36.372', description: 'Google Installer' }),
  edgeUpdate: image({ path: 'C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe', company: 'Microsoft Corporation', product: 'Microsoft Edge Update', version: '1.3.195.35', description: 'Microsoft Edge Update' }),
  ccmexec: image({ path: 'C:\\Windows\\CCM\\CcmExec.exe', company: 'Microsoft Corporation', product: 'System Center Configuration Manager', version: '5.0.9122.1000', description: 'CCM Executive' }),
  intune: image({ path: 'C:\\Program Files (x86)\\Microsoft Intune Management Extension\\Microsoft.Management.Services.IntuneWindowsAgent.exe', company: 'Microsoft Corporation', product: 'Microsoft Intune Management Extension', version: '1.83.107.0', description: 'IntuneManagementExtension' }),
  intuneAgentExecutor: image({ path: 'C:\\Program Files (x86)\\Microsoft Intune Management Extension\\AgentExecutor.exe', company: 'Microsoft Corporation', product: 'Microsoft Intune Management Extension', version: '1.83.107.0', description: 'AgentExecutor' }),
  veeam: image({ path: 'C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe', company: 'Veeam Software Group GmbH', product: 'Veeam Agent for Microsoft Windows', version: '6.2.0.121', description: 'Veeam Agent for Microsoft Windows Service' }),
  veeamAgent: image({ path: 'C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\VeeamAgent.exe', company: 'Veeam Software Group GmbH', product: 'Veeam Backup & Replication', version: '12.2.0.334', description: 'Veeam Agent' }),
  backupExec: image({ path: 'C:\\Program Files\\Veritas\\Backup Exec\\beremote.exe', company: 'Veritas Technologies LLC', product: 'Veritas Backup Exec', version: '22.2.1193.1605', description: 'Backup Exec Remote Agent for Windows' }),
  splunk: image({ path: 'C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe', company: 'Splunk Inc.', product: 'splunk Application', version: '9.3.1', description: 'splunk Application' }),
  winlogbeat: image({ path: 'C:\\Program Files\\Elastic\\Beats\\8.15.3\\winlogbeat\\winlogbeat.exe', company: 'Elastic', product: 'Winlogbeat', version: '8.15.3', description: 'Winlogbeat ships Windows event logs to Elasticsearch or Logstash.' }),
  msbuild: image({ path: 'C:\\Program Files\\Microsoft Visual Studio\\2022\\BuildTools\\MSBuild\\Current\\Bin\\amd64\\MSBuild.exe', company: 'Microsoft Corporation', product: 'Microsoft® Build Tools®', version: '17.11.9.46202', description: 'MSBuild.exe' }),
  buildAgent: image({ path: 'C:\\agent\\bin\\Agent.Worker.exe', company: 'Microsoft Corporation', product: 'Azure Pipelines Agent', version: '3.248.0', description: 'Agent.Worker' }),
  git: image({ path: 'C:\\Program Files\\Git\\cmd\\git.exe', company: 'The Git Development Community', product: 'Git', version: '2.47.0.1', description: 'Git for Windows' }),
  sevenZip: image({ path: 'C:\\Program Files\\7-Zip\\7z.exe', company: 'Igor Pavlov', product: '7-Zip', version: '24.08', description: '7-Zip Console' }),
  rar: image({ path: 'C:\\Program Files\\WinRAR\\Rar.exe', company: 'Alexander Roshal', product: 'WinRAR', version: '7.01.0', description: 'Command line RAR' }),
  setup: image({ path: 'C:\\Users\\Public\\Downloads\\setup.exe', company: 'Notepad++', product: 'Notepad++', version: '8.7.1', description: 'Notepad++ installer' }),
  // Linux
  systemd: image('/usr/lib/systemd/systemd'),
  bash: image('/usr/bin/bash'),
  sshd: image('/usr/sbin/sshd'),
  cp: image('/usr/bin/cp'),
  tar: image('/usr/bin/tar'),
  find: image('/usr/bin/find'),
  apt: image('/usr/bin/apt-get'),
  dpkg: image('/usr/bin/dpkg'),
  python: image('/usr/bin/python3.12'),
  fluentBit: image('/opt/fluent-bit/bin/fluent-bit'),
  logrotate: image('/usr/sbin/logrotate'),
  mdatp: image('/opt/microsoft/mdatp/sbin/wdavdaemon'),
} as const;

/** Documents users keep (the "sensitive" files attacks collect). */
export const DOCUMENT_NAMES = [
  'Q3-financials.xlsx', 'payroll-2026.xlsx', 'board-minutes.docx', 'customer-list.csv', 'contract-acme.pdf',
  'roadmap.pptx', 'salaries.xlsx', 'passwords.txt', 'vpn-config.ovpn', 'merger-plan.docx', 'budget.xlsx',
  'hr-review.docx', 'invoice-0042.pdf', 'design-spec.docx', 'pricing.xlsx', 'audit-notes.txt',
];
