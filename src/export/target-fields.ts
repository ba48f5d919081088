/**
 * Defender columns → the fields of the other query targets.
 * - Sysmon (Splunk): the Sigma taxonomy's names ARE Sysmon's event fields (Image, CommandLine,
 *   TargetFilename, ParentImage, User, Computer), so the Sigma mapping (sigma-fields.ts) is reused;
 *   Sysmon logs no process name apart from the path, so FileName is tested as the end of Image.
 * - ECS (Elastic Defend / Elastic Agent endpoint data): process.*, file.*, user.name, host.name.
 */
import type { BranchCategory } from './portable.js';
import type { FieldMapper, TargetField } from './query-render.js';
import { FILE_NAME_COLUMNS, type SigmaCategory, sigmaFieldFor } from './sigma-fields.js';

export const sysmonField: FieldMapper = (category, column) => {
  if (category === 'other') return undefined;
  if (category === 'file_event' && column === 'ActionType') {
    return {
      field: 'EventCode',
      constant: (values) => values.includes('FileCreated'),
      note: 'Sysmon logs file creation (EventCode 11) but not modification or renaming: ActionType FileModified/FileRenamed events are not seen',
    };
  }
  const direct = sigmaFieldFor(category as SigmaCategory, column);
  if (direct) return { field: direct };
  const pathColumn = FILE_NAME_COLUMNS[category as SigmaCategory][column];
  const pathField = pathColumn ? sigmaFieldFor(category as SigmaCategory, pathColumn) : undefined;
  return pathField ? { field: pathField, lastSegmentOf: true } : undefined;
};

const ECS_FIELDS: Record<Exclude<BranchCategory, 'other'>, Record<string, string>> = {
  process_creation: {
    FolderPath: 'process.executable',
    FileName: 'process.name',
    ProcessCommandLine: 'process.command_line',
    ProcessId: 'process.pid',
    InitiatingProcessFolderPath: 'process.parent.executable',
    InitiatingProcessFileName: 'process.parent.name',
    InitiatingProcessCommandLine: 'process.parent.command_line',
    InitiatingProcessId: 'process.parent.pid',
    AccountName: 'user.name',
    AccountDomain: 'user.domain',
    DeviceName: 'host.name',
  },
  file_event: {
    FolderPath: 'file.path',
    FileName: 'file.name',
    InitiatingProcessFolderPath: 'process.executable',
    InitiatingProcessFileName: 'process.name',
    InitiatingProcessCommandLine: 'process.command_line',
    InitiatingProcessId: 'process.pid',
    InitiatingProcessAccountName: 'user.name',
    RequestAccountName: 'user.name',
    RequestSourceIP: 'source.ip',
    DeviceName: 'host.name',
  },
  network_connection: {
    RemoteIP: 'destination.ip',
    RemotePort: 'destination.port',
    LocalIP: 'source.ip',
    LocalPort: 'source.port',
    InitiatingProcessFolderPath: 'process.executable',
    InitiatingProcessFileName: 'process.name',
    InitiatingProcessCommandLine: 'process.command_line',
    DeviceName: 'host.name',
  },
};

/** Defender file ActionType → ECS event.type (ECS has no type of its own for a rename). */
const FILE_EVENT_TYPES: Record<string, string> = { FileCreated: 'creation', FileModified: 'change', FileRenamed: 'change', FileDeleted: 'deletion' };

export const ecsField: FieldMapper = (category, column): TargetField | undefined => {
  if (category === 'other') return undefined;
  if (category === 'file_event' && column === 'ActionType') {
    return {
      field: 'event.type',
      mapValues: (values) => [...new Set(values.map((v) => FILE_EVENT_TYPES[v] ?? v))],
      note: 'ActionType is tested as ECS event.type (FileCreated → creation, FileModified and FileRenamed → change)',
    };
  }
  const field = ECS_FIELDS[category][column];
  return field ? { field } : undefined;
};
