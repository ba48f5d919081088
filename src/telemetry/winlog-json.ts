/**
 * Windows events as JSON → WindowsEvent. Three shapes are read:
 * - Winlogbeat / Elastic: `winlog.event_id`, `winlog.provider_name`, `winlog.channel`,
 *   `winlog.computer_name` (or `host.name`), `winlog.record_id`, `winlog.event_data`, `@timestamp`;
 * - flattened exports (Mordor/OTRF, NXLog, the python-evtx conversions in shared/data): `EventID`,
 *   `Channel`, `Hostname`/`Computer`, `@timestamp`/`TimeCreated`/`EventTime`, EventData at top level;
 * - evtx_dump-style `{"Event":{"System":{…},"EventData":{…}}}`.
 */
import type { WindowsEvent } from './event.js';
import { isObject } from './json-records.js';
import { parseEventTime } from './time.js';

/** Top-level keys of flattened exports that describe the record, not its EventData. */
const FLAT_SYSTEM_KEYS = new Set([
  'EventID', 'EventId', 'Provider', 'ProviderName', 'SourceName', 'ProviderGuid', 'Version', 'Level', 'Task',
  'Opcode', 'Keywords', 'TimeCreated', 'EventTime', '@timestamp', '@version', 'EventRecordID', 'RecordNumber',
  'ProcessID', 'ThreadID', 'ExecutionProcessID', 'ExecutionThreadID', 'Channel', 'Computer', 'Hostname',
  'UserID', 'Severity', 'SeverityValue', 'EventReceivedTime', 'SourceModuleName', 'SourceModuleType',
  'Message', 'Category', 'host', 'port', 'tags', '_source_file',
]);

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function firstPresent(record: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) if (record[k] !== undefined && record[k] !== null && record[k] !== '') return record[k];
  return undefined;
}

function numberOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : Number(text(value).trim());
  return text(value).trim() !== '' && Number.isFinite(n) ? n : undefined;
}

function stringData(obj: unknown): Record<string, string> {
  const data: Record<string, string> = {};
  if (!isObject(obj)) return data;
  for (const [k, v] of Object.entries(obj)) data[k] = text(v);
  return data;
}

function timeOf(value: unknown, what: string): bigint | string {
  const t = parseEventTime(text(value));
  return t === undefined ? `${what} "${text(value)}" is not a time` : t;
}

function fromWinlogbeat(record: Record<string, unknown>, source: WindowsEvent['source']): WindowsEvent | string {
  const winlog = record['winlog'] as Record<string, unknown>;
  const eventId = numberOf(winlog['event_id'] ?? (record['event'] as Record<string, unknown> | undefined)?.['code']);
  if (eventId === undefined) return 'winlog.event_id is missing';
  const time = timeOf(record['@timestamp'] ?? (record['event'] as Record<string, unknown> | undefined)?.['created'], '@timestamp');
  if (typeof time === 'string') return time;
  const host = record['host'];
  const processInfo = isObject(winlog['process']) ? winlog['process'] : {};
  const thread = isObject(processInfo['thread']) ? processInfo['thread'] : {};
  const user = isObject(winlog['user']) ? winlog['user'] : {};
  return {
    provider: text(winlog['provider_name']),
    eventId,
    version: numberOf(winlog['version']) ?? 0,
    channel: text(winlog['channel']),
    computer: text(winlog['computer_name'] ?? (isObject(host) ? host['name'] : host)),
    recordId: numberOf(winlog['record_id']) ?? 0,
    timeCreated: time,
    userId: text(user['identifier']) || undefined,
    processId: numberOf(processInfo['pid']),
    threadId: numberOf(thread['id']),
    data: { ...stringData(winlog['user_data']), ...stringData(winlog['event_data']) },
    source,
  };
}

function fromFlat(record: Record<string, unknown>, source: WindowsEvent['source']): WindowsEvent | string {
  const eventId = numberOf(firstPresent(record, ['EventID', 'EventId']));
  if (eventId === undefined) return `EventID "${text(record['EventID'])}" is not a number`;
  const timeValue = firstPresent(record, ['TimeCreated', '@timestamp', 'EventTime']);
  if (timeValue === undefined) return 'no TimeCreated, @timestamp or EventTime';
  const time = timeOf(timeValue, 'event time');
  if (typeof time === 'string') return time;
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) if (!FLAT_SYSTEM_KEYS.has(k)) data[k] = text(v);
  return {
    provider: text(firstPresent(record, ['Provider', 'ProviderName', 'SourceName'])),
    eventId,
    version: numberOf(record['Version']) ?? 0,
    channel: text(record['Channel']),
    computer: text(firstPresent(record, ['Hostname', 'Computer'])),
    recordId: numberOf(firstPresent(record, ['EventRecordID', 'RecordNumber'])) ?? 0,
    timeCreated: time,
    userId: text(record['UserID']) || undefined,
    processId: numberOf(firstPresent(record, ['ExecutionProcessID', 'ProcessID'])),
    threadId: numberOf(firstPresent(record, ['ExecutionThreadID', 'ThreadID'])),
    data,
    source,
  };
}

/** `{"#text": "1", "#attributes": {…}}` or a plain value → the text. */
function nodeText(value: unknown): string {
  return isObject(value) ? text(value['#text']) : text(value);
}

function attribute(value: unknown, name: string): unknown {
  return isObject(value) && isObject(value['#attributes']) ? value['#attributes'][name] : undefined;
}

function fromEventDocument(event: Record<string, unknown>, source: WindowsEvent['source']): WindowsEvent | string {
  const system = event['System'] as Record<string, unknown>;
  const eventId = numberOf(nodeText(system['EventID']));
  if (eventId === undefined) return 'Event.System.EventID is missing';
  const time = timeOf(attribute(system['TimeCreated'], 'SystemTime'), 'TimeCreated');
  if (typeof time === 'string') return time;
  return {
    provider: text(attribute(system['Provider'], 'Name')),
    eventId,
    version: numberOf(nodeText(system['Version'])) ?? 0,
    channel: nodeText(system['Channel']),
    computer: nodeText(system['Computer']),
    recordId: numberOf(nodeText(system['EventRecordID'])) ?? 0,
    timeCreated: time,
    userId: text(attribute(system['Security'], 'UserID')) || undefined,
    processId: numberOf(attribute(system['Execution'], 'ProcessID')),
    threadId: numberOf(attribute(system['Execution'], 'ThreadID')),
    data: { ...stringData(event['UserData']), ...stringData(event['EventData']) },
    source,
  };
}

/** A JSON object → WindowsEvent, or why it is not a Windows event. */
export function windowsEventFromJson(value: unknown, source: WindowsEvent['source']): WindowsEvent | string {
  if (!isObject(value)) return `expected a JSON object, found ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`;
  if (isObject(value['winlog'])) return fromWinlogbeat(value, source);
  const wrapped = isObject(value['Event']) ? value['Event'] : value;
  if (isObject(wrapped['System'])) return fromEventDocument(wrapped, source);
  if ('EventID' in value || 'EventId' in value) return fromFlat(value, source);
  return 'not a Windows event: no winlog.event_id, EventID or Event.System';
}
