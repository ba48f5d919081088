/**
 * Sigma taxonomy fields ↔ Defender columns, per log-source category, as the Microsoft XDR pipeline
 * of pySigma's Kusto backend maps them (sigma/pipelines/microsoftxdr/mappings.py). `Computer` →
 * DeviceName is ours: the backend has no host field, but a correlation needs one to group by.
 * The first Sigma name listed for a column is the one the exporter writes.
 */
import type { BranchCategory } from './portable.js';

export type SigmaCategory = Exclude<BranchCategory, 'other'>;

export const CATEGORY_TABLES: Record<SigmaCategory, string> = {
  process_creation: 'DeviceProcessEvents',
  file_event: 'DeviceFileEvents',
  network_connection: 'DeviceNetworkEvents',
};

/** Sigma categories that read the same Defender table as one of ours (file_* → DeviceFileEvents). */
export const CATEGORY_ALIASES: Record<string, SigmaCategory> = {
  file_access: 'file_event',
  file_change: 'file_event',
  file_delete: 'file_event',
  file_rename: 'file_event',
};

export const SIGMA_TO_DEFENDER: Record<SigmaCategory, Record<string, string>> = {
  process_creation: {
    Image: 'FolderPath',
    CommandLine: 'ProcessCommandLine',
    ParentImage: 'InitiatingProcessFolderPath',
    ParentCommandLine: 'InitiatingProcessCommandLine',
    User: 'AccountName',
    ParentUser: 'InitiatingProcessAccountName',
    OriginalFileName: 'ProcessVersionInfoOriginalFileName',
    ProcessId: 'ProcessId',
    ParentProcessId: 'InitiatingProcessId',
    FileVersion: 'ProcessVersionInfoProductVersion',
    Description: 'ProcessVersionInfoFileDescription',
    Product: 'ProcessVersionInfoProductName',
    Company: 'ProcessVersionInfoCompanyName',
    LogonId: 'LogonId',
    IntegrityLevel: 'ProcessIntegrityLevel',
    sha1: 'SHA1',
    sha256: 'SHA256',
    md5: 'MD5',
    GrandParentImage: 'InitiatingProcessParentFileName',
    Computer: 'DeviceName',
  },
  file_event: {
    TargetFilename: 'FolderPath',
    ObjectName: 'FolderPath',
    Image: 'InitiatingProcessFolderPath',
    ProcessId: 'InitiatingProcessId',
    User: 'RequestAccountName',
    IntegrityLevel: 'InitiatingProcessIntegrityLevel',
    sha1: 'SHA1',
    sha256: 'SHA256',
    md5: 'MD5',
    Computer: 'DeviceName',
  },
  network_connection: {
    Image: 'InitiatingProcessFolderPath',
    ProcessId: 'InitiatingProcessId',
    User: 'InitiatingProcessAccountName',
    Protocol: 'Protocol',
    SourceIp: 'LocalIP',
    SourceHostname: 'DeviceName',
    SourcePort: 'LocalPort',
    DestinationIp: 'RemoteIP',
    DestinationHostname: 'RemoteUrl',
    DestinationPort: 'RemotePort',
    Computer: 'DeviceName',
  },
};

/**
 * Defender columns that hold the last path segment of a column Sigma does have (FileName is the
 * end of FolderPath): exported as `<path field>|endswith` `\name` or `/name`.
 */
export const FILE_NAME_COLUMNS: Record<SigmaCategory, Record<string, string>> = {
  process_creation: { FileName: 'FolderPath', InitiatingProcessFileName: 'InitiatingProcessFolderPath' },
  file_event: { FileName: 'FolderPath', InitiatingProcessFileName: 'InitiatingProcessFolderPath' },
  network_connection: { InitiatingProcessFileName: 'InitiatingProcessFolderPath' },
};

/** The Sigma field for a Defender column of the category, if the taxonomy has one. */
export function sigmaFieldFor(category: SigmaCategory, column: string): string | undefined {
  return Object.entries(SIGMA_TO_DEFENDER[category]).find(([, c]) => c === column)?.[0];
}
