/** A resolved EVTX record (XML tree) → the common WindowsEvent. */
import type { WindowsEvent } from '../event.js';
import { EvtxFormatError } from './format-error.js';
import type { XmlAttribute, XmlContent, XmlElement } from './binxml.js';
import { FILETIME_UNIX_EPOCH, ValueType } from './values.js';

export interface RecordOrigin {
  file: string;
  /** EVTX record identifier from the record header. */
  recordId: number;
  /** Record header FILETIME, used when the event carries no TimeCreated. */
  writtenTime: bigint;
}

export function toWindowsEvent(content: XmlContent[], origin: RecordOrigin): WindowsEvent {
  const event = content.find(isElement);
  if (!event) throw new EvtxFormatError('record holds no XML element', 0);
  const system = childElement(event, 'System');
  if (!system) throw new EvtxFormatError(`<${event.name}> has no <System> element`, 0);
  const eventIdText = elementText(childElement(system, 'EventID'));
  const eventId = parseInteger(eventIdText);
  if (eventId === undefined) throw new EvtxFormatError(`EventID ${JSON.stringify(eventIdText)} is not a number`, 0);
  const result: WindowsEvent = {
    provider: attributeText(childElement(system, 'Provider'), 'Name') ?? '',
    eventId,
    version: parseInteger(elementText(childElement(system, 'Version'))) ?? 0,
    channel: elementText(childElement(system, 'Channel')),
    computer: elementText(childElement(system, 'Computer')),
    recordId: parseInteger(elementText(childElement(system, 'EventRecordID'))) ?? origin.recordId,
    timeCreated: timeCreatedTicks(childElement(system, 'TimeCreated'), origin.writtenTime),
    data: eventData(event),
    source: { file: origin.file, record: origin.recordId },
  };
  addOptionalSystemFields(result, system);
  return result;
}

function addOptionalSystemFields(result: WindowsEvent, system: XmlElement): void {
  const execution = childElement(system, 'Execution');
  const processId = parseInteger(attributeText(execution, 'ProcessID'));
  const threadId = parseInteger(attributeText(execution, 'ThreadID'));
  const userId = attributeText(childElement(system, 'Security'), 'UserID');
  const level = parseInteger(elementText(childElement(system, 'Level')));
  const task = parseInteger(elementText(childElement(system, 'Task')));
  const opcode = parseInteger(elementText(childElement(system, 'Opcode')));
  const keywords = elementText(childElement(system, 'Keywords'));
  if (processId !== undefined) result.processId = processId;
  if (threadId !== undefined) result.threadId = threadId;
  if (userId) result.userId = userId;
  if (level !== undefined) result.level = level;
  if (task !== undefined) result.task = task;
  if (opcode !== undefined) result.opcode = opcode;
  if (keywords) result.keywords = keywords;
}

/** SystemTime is a FILETIME substitution in practice; a literal ISO string is accepted too. */
function timeCreatedTicks(timeCreated: XmlElement | undefined, fallback: bigint): bigint {
  const attribute = timeCreated?.attributes.find(a => a.name === 'SystemTime');
  if (attribute?.value?.type === ValueType.FileTime && attribute.value.size >= 8) {
    return attribute.value.buf.readBigUInt64LE(attribute.value.start) - FILETIME_UNIX_EPOCH;
  }
  const parsed = attribute ? parseIsoTicks(attribute.text) : undefined;
  return parsed ?? fallback - FILETIME_UNIX_EPOCH;
}

/** `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (or with a space) → 100 ns ticks since the Unix epoch. */
export function parseIsoTicks(text: string): bigint | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z?$/.exec(text.trim());
  if (!match) return undefined;
  const millis = Date.parse(`${match[1]}T${match[2]}Z`);
  if (Number.isNaN(millis)) return undefined;
  const fraction = (match[3] ?? '').padEnd(7, '0').slice(0, 7);
  return BigInt(millis) * 10000n + BigInt(fraction);
}

/**
 * EventData `<Data Name=…>` pairs (unnamed ones numbered Data1, Data2, …); for UserData the children of its
 * single wrapper element, flattened to leaf element name → text. Repeated names (array values) are joined by ', '.
 */
function eventData(event: XmlElement): Record<string, string> {
  const data: Record<string, string> = {};
  const add = (name: string, text: string) => {
    data[name] = Object.hasOwn(data, name) ? `${data[name]}, ${text}` : text;
  };
  const eventDataElement = childElement(event, 'EventData');
  if (eventDataElement) addDataItems(eventDataElement, add);
  const userData = childElement(event, 'UserData');
  const wrapper = userData?.children.find(isElement);
  if (wrapper) addUserDataLeaves(wrapper, add, 0);
  return data;
}

function addDataItems(eventData: XmlElement, add: (name: string, text: string) => void): void {
  let unnamed = 0;
  for (const child of eventData.children) {
    if (!isElement(child) || child.name !== 'Data') continue;
    const name = attributeText(child, 'Name');
    add(name ? name : `Data${++unnamed}`, elementText(child));
  }
}

function addUserDataLeaves(element: XmlElement, add: (name: string, text: string) => void, depth: number): void {
  if (element.name === 'EventData' || element.name === 'Data') {
    if (element.name === 'EventData') addDataItems(element, add);
    else add(attributeText(element, 'Name') || element.name, elementText(element));
    return;
  }
  for (const child of element.children) {
    if (!isElement(child)) continue;
    if (depth < 8 && child.children.some(isElement)) addUserDataLeaves(child, add, depth + 1);
    else add(child.name === 'Data' ? attributeText(child, 'Name') || child.name : child.name, elementText(child));
  }
}

export function isElement(content: XmlContent): content is XmlElement {
  return content.kind === 'element';
}

function childElement(parent: XmlElement | undefined, name: string): XmlElement | undefined {
  return parent?.children.find((c): c is XmlElement => c.kind === 'element' && c.name === name);
}

function attributeText(element: XmlElement | undefined, name: string): string | undefined {
  return element?.attributes.find((a: XmlAttribute) => a.name === name)?.text;
}

/** Concatenated text children (what `<Data>` holds). */
export function elementText(element: XmlElement | undefined): string {
  if (!element) return '';
  let text = '';
  for (const child of element.children) if (child.kind === 'text') text += child.text;
  return text;
}

/** Decimal or 0x-hex integer text → number (undefined when empty or not an integer). */
function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  if (/^0x[0-9a-f]+$/i.test(trimmed)) return Number(BigInt(trimmed));
  return undefined;
}
