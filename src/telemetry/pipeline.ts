/**
 * One raw telemetry file → a stream of Defender rows (plus what was skipped and why, and what was
 * broken), the single code path behind `stagehunt ingest` and raw files given to `--data`.
 * Streaming: only the current event (and the normalisers' bounded process memory) is held, except
 * for JSON documents that are one array, which are read whole.
 */
import { openRecordStream } from '../data/formats.js';
import { AuditAssembler, parseAuditLine, type AuditEvent } from './auditd.js';
import type { Detected } from './detect.js';
import { readEvtx, type EvtxIssue } from './evtx/index.js';
import type { WindowsEvent } from './event.js';
import { eventTexts, parseEventText } from './event-xml.js';
import type { Mapping } from './fields.js';
import { isObject, jsonRecords } from './json-records.js';
import { AuditNormaliser } from './normalise-auditd.js';
import { WindowsNormaliser } from './normalise-windows.js';
import { textChunks, textLines, type TextReadOptions } from './source-text.js';
import { windowsEventFromJson } from './winlog-json.js';

export type TelemetryItem =
  | { kind: 'row'; record: number; table: string; row: Record<string, unknown>; note?: string }
  | { kind: 'skipped'; record: number; reason: string }
  | { kind: 'bad'; record: number; reason: string };

export interface ReadOptions extends TextReadOptions {}

/** Reads and normalises one file whose format is known. Never throws for bad records: they are items. */
export async function* readTelemetry(path: string, detected: Detected, options: ReadOptions = {}): AsyncGenerator<TelemetryItem> {
  switch (detected.format) {
    case 'evtx': yield* windowsItems(evtxEvents(path)); return;
    case 'sysmon-xml': yield* windowsItems(xmlEvents(path, options)); return;
    case 'sysmon-json': yield* windowsItems(jsonEvents(path, options)); return;
    case 'sentinel-syslog': yield* sentinelSyslogItems(path, options); return;
    case 'auditd': yield* auditItems(auditLines(path, options), path); return;
    case 'defender-csv': case 'defender-json': yield* defenderItems(path, detected); return;
  }
}

type Sourced<T> = { kind: 'event'; record: number; event: T; note?: string } | { kind: 'bad'; record: number; reason: string };

function fromMapping(mapping: Mapping, record: number, note?: string): TelemetryItem {
  return mapping.kind === 'row'
    ? { kind: 'row', record, table: mapping.table, row: mapping.row, note }
    : { kind: 'skipped', record, reason: mapping.reason };
}

async function* windowsItems(events: AsyncIterable<Sourced<WindowsEvent>>): AsyncGenerator<TelemetryItem> {
  const normaliser = new WindowsNormaliser();
  for await (const item of events) {
    if (item.kind === 'bad') yield item;
    else yield fromMapping(normaliser.normalise(item.event), item.record, item.note);
  }
}

// ---------------------------------------------------------------------------------------------
// Windows event sources

async function* xmlEvents(path: string, options: ReadOptions): AsyncGenerator<Sourced<WindowsEvent>> {
  for await (const { line, text, cut } of eventTexts(textChunks(path, options))) {
    yield xmlEventItem(text, cut, { file: path, record: line });
  }
}

function xmlEventItem(text: string, cut: boolean, source: WindowsEvent['source']): Sourced<WindowsEvent> {
  const parsed = parseEventText(text, source);
  if (typeof parsed === 'string') return { kind: 'bad', record: source.record, reason: parsed };
  const truncated = cut || parsed.truncated;
  return { kind: 'event', record: source.record, event: parsed.event, note: truncated ? 'event XML cut short; fields up to the cut kept' : undefined };
}

async function* jsonEvents(path: string, options: ReadOptions): AsyncGenerator<Sourced<WindowsEvent>> {
  for await (const item of jsonRecords(path, options)) {
    if (item.kind === 'bad') {
      yield item;
      continue;
    }
    const event = windowsEventFromJson(item.value, { file: path, record: item.record });
    yield typeof event === 'string' ? { kind: 'bad', record: item.record, reason: event } : { kind: 'event', record: item.record, event };
  }
}

async function* evtxEvents(path: string): AsyncGenerator<Sourced<WindowsEvent>> {
  const issues: EvtxIssue[] = [];
  let lastRecord = 0;
  for await (const event of readEvtx(path, { onIssue: (issue) => issues.push(issue) })) {
    yield* drainEvtxIssues(issues, lastRecord);
    lastRecord = event.source.record;
    yield { kind: 'event', record: event.source.record, event };
  }
  yield* drainEvtxIssues(issues, lastRecord);
}

/** Damage the EVTX reader skipped, as broken items (a damaged chunk has no record number: the next one stands in). */
function* drainEvtxIssues(issues: EvtxIssue[], lastRecord: number): Generator<Sourced<WindowsEvent>> {
  for (const issue of issues.splice(0)) {
    yield { kind: 'bad', record: issue.record ?? lastRecord + 1, reason: `EVTX at offset ${issue.offset}: ${issue.reason}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Linux audit sources

type AuditLine = { line: number; text: string; host?: string };

async function* auditLines(path: string, options: ReadOptions): AsyncGenerator<AuditLine> {
  yield* textLines(textChunks(path, options));
}

/** Audit lines → assembled events → rows; fed line by line so that any source of lines can use it. */
class AuditStream {
  private readonly assembler = new AuditAssembler();
  private readonly normaliser: AuditNormaliser;

  constructor(path: string) {
    this.normaliser = new AuditNormaliser(path);
  }

  push(entry: AuditLine): TelemetryItem[] {
    const parsed = parseAuditLine(entry.text, entry.line);
    if (!parsed) return [];
    if (parsed.kind === 'bad') return [{ kind: 'bad', record: parsed.line, reason: parsed.reason }];
    return this.rows(this.assembler.add(parsed, entry.host));
  }

  end(): TelemetryItem[] {
    return this.rows(this.assembler.flush());
  }

  private rows(events: AuditEvent[]): TelemetryItem[] {
    return events.map((e) => fromMapping(this.normaliser.normalise(e), e.line));
  }
}

async function* auditItems(lines: AsyncIterable<AuditLine>, path: string): AsyncGenerator<TelemetryItem> {
  const stream = new AuditStream(path);
  for await (const entry of lines) yield* stream.push(entry);
  yield* stream.end();
}

// ---------------------------------------------------------------------------------------------
// Sentinel Syslog export: each row's SyslogMessage holds Sysmon-for-Linux XML or an audit record.

async function* sentinelSyslogItems(path: string, options: ReadOptions): AsyncGenerator<TelemetryItem> {
  const windows = new WindowsNormaliser();
  const audit = new AuditStream(path);
  for await (const item of jsonRecords(path, options)) {
    if (item.kind === 'bad') {
      yield item;
      continue;
    }
    const row = isObject(item.value) ? item.value : undefined;
    const message = row?.['SyslogMessage'];
    if (typeof message !== 'string') {
      yield { kind: 'bad', record: item.record, reason: 'no SyslogMessage text' };
      continue;
    }
    if (/<(?:\w+:)?Event[\s>]/.test(message)) {
      const event = xmlEventItem(message, false, { file: path, record: item.record });
      yield event.kind === 'bad' ? event : fromMapping(windows.normalise(event.event), item.record, event.note);
    } else if (/type=[A-Z0-9_]+ (msg=)?audit\(/.test(message)) {
      yield* audit.push({ line: item.record, text: message, host: String(row!['Computer'] ?? row!['HostName'] ?? '') || undefined });
    } else {
      yield { kind: 'skipped', record: item.record, reason: `Syslog message from ${String(row!['ProcessName'] ?? 'an unknown process')} is neither Sysmon XML nor an audit record` };
    }
  }
  yield* audit.end();
}

// ---------------------------------------------------------------------------------------------
// Defender / Sentinel Device* exports: rows pass through unchanged (typed later by the schema).

async function* defenderItems(path: string, detected: Detected): AsyncGenerator<TelemetryItem> {
  const stream = await openRecordStream(path, detected.format === 'defender-csv' ? 'csv' : 'json', { warn: () => {} });
  for await (const item of stream.items) {
    if (item.kind === 'bad') yield { kind: 'bad', record: item.line, reason: item.reason };
    else yield { kind: 'row', record: item.line, table: detected.table!, row: item.record };
  }
}
