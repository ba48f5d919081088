/**
 * Built-in schemas of the Microsoft Defender advanced-hunting device tables.
 *
 * Column names, order and types are the column tables of the Defender docs pages, in repository
 * `MicrosoftDocs/defender-docs`, folder `defender-xdr/`:
 *   DeviceFileEvents       advanced-hunting-devicefileevents-table.md       commit 006b8a9f… (ms.date 09/06/2024; same table at f1acaf21…)
 *   DeviceProcessEvents    advanced-hunting-deviceprocessevents-table.md    commit f1c23eae… (ms.date 09/06/2024)
 *   DeviceNetworkEvents    advanced-hunting-devicenetworkevents-table.md    commit 2cbbdc36… (same table at 006b8a9f…)
 *   DeviceRegistryEvents   advanced-hunting-deviceregistryevents-table.md   commit 006b8a9f… (ms.date 09/06/2024)
 *   DeviceImageLoadEvents  advanced-hunting-deviceimageloadevents-table.md  commit deb58fcd… (adds the RDP-session columns to 0f230b8b…)
 *   DeviceLogonEvents      advanced-hunting-devicelogonevents-table.md      commit 3970dd3a… (ms.date 09/06/2024)
 *   DeviceEvents           advanced-hunting-deviceevents-table.md           commit 006b8a9f… (ms.date 09/06/2024)
 * (see also ../shared/docs/telemetry.md §1). The docs spell one type `boolean`; Kusto's name is `bool`.
 *
 * Every table ends with Sentinel's `TimeGenerated: datetime`: the same tables streamed into Microsoft
 * Sentinel / Log Analytics carry it (azure-reference-other `azure-monitor-ref/tables/device*.md`), and
 * Sentinel rules filter on it, so one schema serves rules written for either product.
 */
import type { ColumnSchema, Schema, ScalarType } from '../kql/values/types.js';

/** Parses `Name:type Name Name:type …`; a column without `:type` is a string (most Defender columns are). */
function columns(spec: string): Schema {
  const parsed = spec.trim().split(/\s+/).map((entry): ColumnSchema => {
    const [name, type] = entry.split(':') as [string, string | undefined];
    return { name, type: (type ?? 'string') as ScalarType };
  });
  return [...parsed, { name: 'TimeGenerated', type: 'datetime' }];
}

const DEVICE_FILE_EVENTS = columns(`
  Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5
  FileOriginUrl FileOriginReferrerUrl FileOriginIP PreviousFolderPath PreviousFileName FileSize:long
  InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid
  InitiatingProcessAccountUpn InitiatingProcessAccountObjectId
  InitiatingProcessMD5 InitiatingProcessSHA1 InitiatingProcessSHA256
  InitiatingProcessFolderPath InitiatingProcessFileName InitiatingProcessFileSize:long
  InitiatingProcessVersionInfoCompanyName InitiatingProcessVersionInfoProductName
  InitiatingProcessVersionInfoProductVersion InitiatingProcessVersionInfoInternalFileName
  InitiatingProcessVersionInfoOriginalFileName InitiatingProcessVersionInfoFileDescription
  InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime
  InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation
  InitiatingProcessParentId:long InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime
  RequestProtocol RequestSourceIP RequestSourcePort:int RequestAccountName RequestAccountDomain RequestAccountSid
  ShareName SensitivityLabel SensitivitySubLabel IsAzureInfoProtectionApplied:bool
  ReportId:long AppGuardContainerId AdditionalFields
  InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool
  InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP
`);

const DEVICE_PROCESS_EVENTS = columns(`
  Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileSize:long
  ProcessVersionInfoCompanyName ProcessVersionInfoProductName ProcessVersionInfoProductVersion
  ProcessVersionInfoInternalFileName ProcessVersionInfoOriginalFileName ProcessVersionInfoFileDescription
  ProcessId:long ProcessCommandLine ProcessIntegrityLevel ProcessTokenElevation ProcessCreationTime:datetime
  AccountDomain AccountName AccountSid AccountUpn AccountObjectId LogonId:long
  InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid
  InitiatingProcessAccountUpn InitiatingProcessAccountObjectId InitiatingProcessLogonId:long
  InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation
  InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5
  InitiatingProcessFileName InitiatingProcessFileSize:long
  InitiatingProcessVersionInfoCompanyName InitiatingProcessVersionInfoProductName
  InitiatingProcessVersionInfoProductVersion InitiatingProcessVersionInfoInternalFileName
  InitiatingProcessVersionInfoOriginalFileName InitiatingProcessVersionInfoFileDescription
  InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime
  InitiatingProcessFolderPath
  InitiatingProcessParentId:long InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime
  InitiatingProcessSignerType InitiatingProcessSignatureStatus
  ReportId:long AppGuardContainerId AdditionalFields
  InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool
  InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP
  CreatedProcessSessionId:long IsProcessRemoteSession:bool ProcessRemoteSessionDeviceName ProcessRemoteSessionIP
`);

const DEVICE_NETWORK_EVENTS = columns(`
  Timestamp:datetime DeviceId DeviceName ActionType RemoteIP RemotePort:int RemoteUrl LocalIP LocalPort:int
  Protocol LocalIPType RemoteIPType
  InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5
  InitiatingProcessFileName InitiatingProcessFileSize:long
  InitiatingProcessVersionInfoCompanyName InitiatingProcessVersionInfoProductName
  InitiatingProcessVersionInfoProductVersion InitiatingProcessVersionInfoInternalFileName
  InitiatingProcessVersionInfoOriginalFileName InitiatingProcessVersionInfoFileDescription
  InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime
  InitiatingProcessFolderPath
  InitiatingProcessParentFileName InitiatingProcessParentId:long InitiatingProcessParentCreationTime:datetime
  InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid
  InitiatingProcessAccountUpn InitiatingProcessAccountObjectId
  InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation
  ReportId:long AppGuardContainerId AdditionalFields
  InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool
  InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP
`);

const DEVICE_REGISTRY_EVENTS = columns(`
  Timestamp:datetime DeviceId DeviceName ActionType
  RegistryKey RegistryValueType RegistryValueName RegistryValueData
  PreviousRegistryKey PreviousRegistryValueName PreviousRegistryValueData
  InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid
  InitiatingProcessAccountUpn InitiatingProcessAccountObjectId
  InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5
  InitiatingProcessFileName InitiatingProcessFileSize:long
  InitiatingProcessVersionInfoCompanyName InitiatingProcessVersionInfoProductName
  InitiatingProcessVersionInfoProductVersion InitiatingProcessVersionInfoInternalFileName
  InitiatingProcessVersionInfoOriginalFileName InitiatingProcessVersionInfoFileDescription
  InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime
  InitiatingProcessFolderPath
  InitiatingProcessParentId:long InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime
  InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation
  ReportId:long AppGuardContainerId
  InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool
  InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP
`);

const DEVICE_IMAGE_LOAD_EVENTS = columns(`
  Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileSize:long
  InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid
  InitiatingProcessAccountUpn InitiatingProcessAccountObjectId
  InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation
  InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5
  InitiatingProcessFileName InitiatingProcessFileSize:long
  InitiatingProcessVersionInfoCompanyName InitiatingProcessVersionInfoProductName
  InitiatingProcessVersionInfoProductVersion InitiatingProcessVersionInfoInternalFileName
  InitiatingProcessVersionInfoOriginalFileName InitiatingProcessVersionInfoFileDescription
  InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime
  InitiatingProcessFolderPath
  InitiatingProcessParentId:long InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime
  ReportId:long AppGuardContainerId
  InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool
  InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP
`);

const DEVICE_LOGON_EVENTS = columns(`
  Timestamp:datetime DeviceId DeviceName ActionType LogonType AccountDomain AccountName AccountSid
  Protocol FailureReason IsLocalAdmin:bool LogonId:long RemoteDeviceName RemoteIP RemoteIPType RemotePort:int
  InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid
  InitiatingProcessAccountUpn InitiatingProcessAccountObjectId
  InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation
  InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5
  InitiatingProcessFileName InitiatingProcessFileSize:long
  InitiatingProcessVersionInfoCompanyName InitiatingProcessVersionInfoProductName
  InitiatingProcessVersionInfoProductVersion InitiatingProcessVersionInfoInternalFileName
  InitiatingProcessVersionInfoOriginalFileName InitiatingProcessVersionInfoFileDescription
  InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime
  InitiatingProcessFolderPath
  InitiatingProcessParentId:long InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime
  ReportId:long AppGuardContainerId AdditionalFields
  InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool
  InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP
`);

const DEVICE_EVENTS = columns(`
  Timestamp:datetime DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileSize:long
  AccountDomain AccountName AccountSid RemoteUrl RemoteDeviceName
  ProcessId:long ProcessCommandLine ProcessCreationTime:datetime ProcessTokenElevation LogonId:long
  RegistryKey RegistryValueName RegistryValueData
  RemoteIP RemotePort:int LocalIP LocalPort:int FileOriginUrl FileOriginIP
  InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5
  InitiatingProcessFileName InitiatingProcessFileSize:long InitiatingProcessFolderPath
  InitiatingProcessId:long InitiatingProcessCommandLine InitiatingProcessCreationTime:datetime
  InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid
  InitiatingProcessAccountUpn InitiatingProcessAccountObjectId
  InitiatingProcessVersionInfoCompanyName InitiatingProcessVersionInfoProductName
  InitiatingProcessVersionInfoProductVersion InitiatingProcessVersionInfoInternalFileName
  InitiatingProcessVersionInfoOriginalFileName InitiatingProcessVersionInfoFileDescription
  InitiatingProcessParentId:long InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime
  InitiatingProcessLogonId:long
  ReportId:long AppGuardContainerId AdditionalFields
  InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool
  InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP
  CreatedProcessSessionId:long IsProcessRemoteSession:bool ProcessRemoteSessionDeviceName ProcessRemoteSessionIP
`);

/** The built-in tables by exact (case-sensitive, as Kusto) name. Treat as read-only. */
export const BUILTIN_TABLES: Record<string, Schema> = {
  DeviceFileEvents: DEVICE_FILE_EVENTS,
  DeviceProcessEvents: DEVICE_PROCESS_EVENTS,
  DeviceNetworkEvents: DEVICE_NETWORK_EVENTS,
  DeviceRegistryEvents: DEVICE_REGISTRY_EVENTS,
  DeviceImageLoadEvents: DEVICE_IMAGE_LOAD_EVENTS,
  DeviceLogonEvents: DEVICE_LOGON_EVENTS,
  DeviceEvents: DEVICE_EVENTS,
};

/** The schema of a built-in table (a fresh copy, so callers may extend it), or undefined. */
export function builtinSchema(name: string): Schema | undefined {
  if (!Object.hasOwn(BUILTIN_TABLES, name)) return undefined;
  return BUILTIN_TABLES[name]!.map((c) => ({ ...c }));
}

/** The built-in table whose name equals `name` ignoring case (file names are often lower-cased). */
export function builtinTableNameIgnoringCase(name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(BUILTIN_TABLES).find((t) => t.toLowerCase() === lower);
}
