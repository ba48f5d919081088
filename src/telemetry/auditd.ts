/**
 * Linux audit logs → assembled audit events. A kernel event is several records (SYSCALL, EXECVE,
 * CWD, PATH…, PROCTITLE, EOE) sharing `audit(<seconds>.<ms>:<serial>)`; they usually follow each
 * other but may interleave, so events are kept open by serial and closed by EOE, by a bounded
 * window of later events, or at the end of the input. Azure's AUOMS agent writes one pre-assembled
 * line per event (`type=AUOMS_EXECVE audit(…): … cmdline="…" path_name=[…]`), read the same way.
 * Lines may carry a syslog prefix (`Nov 18 14:33:22 host audispd: type=…`) or a `node=host` prefix.
 */
import { epochSecondsToTicks } from './time.js';

export interface AuditRecord {
  type: string;
  /** Raw values as written: `"quoted"`, bare (possibly hex-encoded), `'…'` or AUOMS `[…]`. */
  fields: Map<string, string>;
  line: number;
}

export interface AuditEvent {
  serial: number;
  time: bigint;
  /** Host from `node=` (audit name_format or AUOMS) or from the line's wrapper (syslog JSON). */
  node?: string;
  records: AuditRecord[];
  /** 1-based line of the event's first record. */
  line: number;
}

const RECORD_HEADER = /(?:^|\s)(?:node=(\S+)\s+)?type=([A-Z0-9_]+)\s+(?:msg=)?audit\((\d+(?:\.\d+)?):(\d+)\):?\s?/;

/** Parses `key=value` pairs; quoted values end at a quote followed by whitespace + `key=` or the end. */
export function parseAuditFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  const keyRe = /([A-Za-z_][\w[\]-]*)=/y;
  let pos = 0;
  while (pos < text.length) {
    while (pos < text.length && /\s|\x1d/.test(text[pos]!)) pos++;
    keyRe.lastIndex = pos;
    const key = keyRe.exec(text);
    if (!key) {
      const nextSpace = text.slice(pos).search(/\s/);
      if (nextSpace < 0) break;
      pos += nextSpace; // a word that is not key=value (`auditd start,`): skip it
      continue;
    }
    pos = keyRe.lastIndex;
    const { value, end } = readValue(text, pos);
    fields.set(key[1]!, value);
    pos = end;
  }
  return fields;
}

function readValue(text: string, pos: number): { value: string; end: number } {
  const open = text[pos];
  if (open === '"' || open === "'") {
    // The closing quote is one followed by the end or by whitespace and the next `key=`: AUOMS
    // writes `cmdline="bash -c "x""` without escaping inner quotes.
    const closing = new RegExp(`${open}(?=$|[\\s\\x1d]+[A-Za-z_][\\w[\\]-]*=)`, 'g');
    closing.lastIndex = pos + 1;
    const m = closing.exec(text);
    const end = m ? m.index + 1 : text.length;
    return { value: text.slice(pos, end), end };
  }
  if (open === '[') {
    const close = text.indexOf(']', pos);
    const end = close < 0 ? text.length : close + 1;
    return { value: text.slice(pos, end), end };
  }
  const m = /[\s\x1d]/.exec(text.slice(pos));
  const end = m ? pos + m.index : text.length;
  return { value: text.slice(pos, end), end };
}

/**
 * A raw value → its text: quoted values are literal, unquoted even-length hex is decoded (the kernel
 * hex-encodes values with spaces, quotes or control characters), `(null)` is empty.
 */
export function auditValue(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0]!)) return raw.slice(1, -1);
  if (raw === '(null)' || raw === '(none)') return '';
  if (raw.length >= 2 && raw.length % 2 === 0 && /^[0-9A-F]+$/.test(raw)) return Buffer.from(raw, 'hex').toString('utf8');
  return raw;
}

/** A value that is a number as written (pid, ppid, uid, syscall…); hex decoding does not apply. */
export function auditNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^-?\d+$/.test(raw)) return undefined;
  return Number(raw);
}

export type AuditLineItem = { kind: 'record'; serial: number; time: bigint; node?: string; record: AuditRecord } | { kind: 'bad'; line: number; reason: string };

/** One log line → an audit record; lines without an audit header are not audit records. */
export function parseAuditLine(text: string, line: number): AuditLineItem | undefined {
  const header = RECORD_HEADER.exec(text);
  if (!header) return text.trim() === '' ? undefined : { kind: 'bad', line, reason: 'not an audit record (no type=… audit(…:serial))' };
  const time = epochSecondsToTicks(header[3]!);
  if (time === undefined) return { kind: 'bad', line, reason: `bad audit time "${header[3]}"` };
  const fields = parseAuditFields(text.slice(header.index + header[0].length));
  const node = header[1] ?? unquoted(fields.get('node'));
  return { kind: 'record', serial: Number(header[4]), time, node, record: { type: header[2]!, fields, line } };
}

/** Events left open while later ones arrive; past this the oldest is taken as complete. */
const OPEN_EVENT_WINDOW = 64;

/** Record types that are a whole event by themselves (no SYSCALL companions follow). */
function isSelfContained(type: string): boolean {
  return type.startsWith('AUOMS_');
}

/** Groups audit records into events by serial; yields each event once it is complete. */
export class AuditAssembler {
  private readonly open = new Map<string, AuditEvent>();

  /** Adds a record; returns the events it completes. `hostHint` names the device when the line does not. */
  add(item: Extract<AuditLineItem, { kind: 'record' }>, hostHint?: string): AuditEvent[] {
    const key = `${item.serial}:${item.time}`;
    const done: AuditEvent[] = [];
    let event = this.open.get(key);
    if (!event) {
      event = { serial: item.serial, time: item.time, node: item.node ?? hostHint, records: [], line: item.record.line };
      if (isSelfContained(item.record.type)) {
        event.records.push(item.record);
        return [event];
      }
      this.open.set(key, event);
      if (this.open.size > OPEN_EVENT_WINDOW) {
        const [oldestKey, oldest] = this.open.entries().next().value as [string, AuditEvent];
        this.open.delete(oldestKey);
        done.push(oldest);
      }
    }
    if (item.record.type === 'EOE') {
      this.open.delete(key);
      done.push(event);
    } else {
      event.records.push(item.record);
    }
    return done;
  }

  /** The events still open (end of input). */
  flush(): AuditEvent[] {
    const rest = [...this.open.values()];
    this.open.clear();
    return rest;
  }
}

export function recordsOf(event: AuditEvent, type: string): AuditRecord[] {
  return event.records.filter((r) => r.type === type);
}

export function firstRecord(event: AuditEvent, type: string): AuditRecord | undefined {
  return event.records.find((r) => r.type === type);
}

/**
 * The argv of an execve event from its EXECVE record(s): `argc`, then `aN` (quoted or hex) or, for
 * long arguments, `aN_len` with pieces `aN[0]`, `aN[1]`… that may continue in further EXECVE records.
 */
export function execveArguments(event: AuditEvent): string[] | undefined {
  const execve = recordsOf(event, 'EXECVE');
  if (execve.length === 0) return undefined;
  const fields = new Map<string, string>();
  for (const r of execve) for (const [k, v] of r.fields) fields.set(k, v);
  const argc = auditNumber(fields.get('argc'));
  if (argc === undefined) return undefined;
  const args: string[] = [];
  for (let i = 0; i < argc; i++) {
    const whole = fields.get(`a${i}`);
    if (whole !== undefined) {
      args.push(auditValue(whole) ?? '');
      continue;
    }
    let joined = '';
    for (let piece = 0; fields.has(`a${i}[${piece}]`); piece++) joined += auditValue(fields.get(`a${i}[${piece}]`)) ?? '';
    args.push(joined);
  }
  return args;
}

/** PROCTITLE (NUL-separated argv, hex-encoded when it has NULs) → one command line. */
export function proctitleCommandLine(event: AuditEvent): string | undefined {
  const raw = firstRecord(event, 'PROCTITLE')?.fields.get('proctitle');
  const value = auditValue(raw);
  return value === undefined ? undefined : value.replace(/\0+$/, '').split('\0').join(' ');
}

/** Joins argv the way a shell would need it: arguments with spaces or quotes (or empty) are double-quoted. */
export function joinCommandLine(args: string[]): string {
  return args.map((a) => (a === '' || /[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a)).join(' ');
}

function unquoted(raw: string | undefined): string | undefined {
  return raw === undefined ? undefined : raw.replace(/^"(.*)"$/, '$1');
}
