/**
 * Which raw format a file holds: an explicit `--input-format` wins; else magic bytes (EVTX, gzip,
 * zip), then the content of the first KB (decompressed for gzip), then the file extension. A file
 * that matches nothing, or looks like two formats at once, is named in an error — never guessed.
 */
import { basename, extname } from 'node:path';
import { BUILTIN_TABLES } from '../data/schemas.js';
import { builtinTableOfFile } from '../data/discovery.js';
import { gunzipHead, GZIP_MAGIC, readFileHead } from './source-text.js';

export const INPUT_FORMATS = ['evtx', 'sysmon-xml', 'sysmon-json', 'sentinel-syslog', 'auditd', 'defender-csv', 'defender-json'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

/** Other names people use for the formats (accepted by --input-format). */
const FORMAT_ALIASES: Record<string, InputFormat> = {
  xml: 'sysmon-xml', 'event-xml': 'sysmon-xml', 'syslog-sysmon': 'sysmon-xml',
  json: 'sysmon-json', winlogbeat: 'sysmon-json', 'winlog-json': 'sysmon-json', mordor: 'sysmon-json',
  syslog: 'sentinel-syslog', 'syslog-json': 'sentinel-syslog', auoms: 'auditd', audit: 'auditd',
  csv: 'defender-csv',
};

export const FORMAT_DESCRIPTIONS: Record<InputFormat, string> = {
  evtx: 'Windows EVTX event log',
  'sysmon-xml': 'Windows event XML (wevtutil /f:xml, Sysmon for Linux syslog lines)',
  'sysmon-json': 'Windows events as JSON (Winlogbeat, flattened Mordor-style, NDJSON or array)',
  'sentinel-syslog': 'Sentinel / Log Analytics Syslog export (JSON, SyslogMessage holding Sysmon XML or audit records)',
  auditd: 'Linux audit log (raw auditd records or AUOMS lines)',
  'defender-csv': 'Defender / Sentinel Device* table export (CSV)',
  'defender-json': 'Defender / Sentinel Device* table export (JSON/NDJSON)',
};

export interface Detected {
  format: InputFormat;
  /** For Defender exports: the Device* table the columns belong to. */
  table?: string;
  /** How it was decided (for messages and --verbose output). */
  evidence: string;
}

export class FormatError extends Error {}

export function parseInputFormat(name: string): InputFormat {
  const lower = name.trim().toLowerCase();
  if ((INPUT_FORMATS as readonly string[]).includes(lower)) return lower as InputFormat;
  const alias = FORMAT_ALIASES[lower];
  if (alias) return alias;
  throw new FormatError(`unknown input format "${name}"; known: ${INPUT_FORMATS.join(', ')}`);
}

const EVTX_MAGIC = Buffer.from('ElfFile\0', 'latin1');
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const SNIFF_BYTES = 4096;

export async function detectFormat(path: string, override?: string): Promise<Detected> {
  const raw = await readFileHead(path, SNIFF_BYTES);
  if (override) {
    const format = parseInputFormat(override);
    const table = format.startsWith('defender-') ? defenderTableOf(sniffText(raw), path) : undefined;
    if (format.startsWith('defender-') && !table) throw new FormatError(`${path}: --input-format ${format}, but its columns do not say which Device* table it holds`);
    return { format, table, evidence: `--input-format ${override}` };
  }
  if (raw.subarray(0, 8).equals(EVTX_MAGIC)) return { format: 'evtx', evidence: 'EVTX file header "ElfFile"' };
  if (raw.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw new FormatError(`${path}: a zip archive; stagehunt does not read zip files — unzip it and pass the files inside`);
  }
  const text = sniffText(raw);
  const byContent = detectByContent(path, text);
  if (byContent) return byContent;
  const byExtension = detectByExtension(path);
  if (byExtension && text.trim() === '') return byExtension;
  if (raw.length === 0) throw new FormatError(`${path}: empty file; its format cannot be told (give --input-format)`);
  throw new FormatError(
    `${path}: unrecognised telemetry format (not EVTX, event XML, Windows-event JSON, Sentinel Syslog JSON, auditd, or a Device* export); `
    + `give --input-format (${INPUT_FORMATS.join(', ')}) if it is one of these`,
  );
}

function sniffText(raw: Buffer): string {
  const bytes = raw.subarray(0, 2).equals(GZIP_MAGIC) ? gunzipHead(raw) : raw;
  let text = bytes.subarray(0, SNIFF_BYTES * 4).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

const AUDIT_LINE = /(^|\n)[^\n]*type=[A-Z0-9_]+ (msg=)?audit\(\d+(\.\d+)?:\d+\)/;
const EVENT_XML = /<(?:[A-Za-z_][\w.-]*:)?Event[\s>]/;

function detectByContent(path: string, text: string): Detected | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return detectJson(path, trimmed);
  const xml = EVENT_XML.test(text);
  const audit = AUDIT_LINE.test(text);
  if (xml && audit) throw new FormatError(`${path}: mixed input — both Windows event XML and audit records in its first KB; split it by source`);
  if (xml) return { format: 'sysmon-xml', evidence: '<Event> element' };
  if (audit) return { format: 'auditd', evidence: /type=AUOMS_/.test(text) ? 'AUOMS record' : 'audit record header' };
  const table = defenderTableOf(text, path);
  if (table) return { format: 'defender-csv', table, evidence: `CSV header with ${table} columns` };
  return undefined;
}

function detectJson(path: string, text: string): Detected {
  const has = (key: string) => new RegExp(`"${key}"\\s*:`).test(text);
  if (has('SyslogMessage')) return { format: 'sentinel-syslog', evidence: '"SyslogMessage" field' };
  if (has('winlog') || has('EventID') || has('EventId') || (has('Event') && has('System'))) {
    return { format: 'sysmon-json', evidence: has('winlog') ? '"winlog" object' : '"EventID" field' };
  }
  const table = defenderTableOf(text, path);
  if (table) return { format: 'defender-json', table, evidence: `${table} columns` };
  throw new FormatError(`${path}: JSON, but not Windows events (no winlog / EventID), not a Sentinel Syslog export (no SyslogMessage) and not a Device* table export`);
}

function detectByExtension(path: string): Detected | undefined {
  const ext = extname(path.replace(/\.gz$/i, '')).toLowerCase();
  if (ext === '.evtx') return { format: 'evtx', evidence: 'extension .evtx' };
  if (ext === '.xml') return { format: 'sysmon-xml', evidence: 'extension .xml' };
  if (ext === '.log' || ext === '.audit') return { format: 'auditd', evidence: `extension ${ext}` };
  return undefined;
}

/**
 * The Device* table whose columns a header or JSON head names: a Sentinel `Type` value wins; else
 * the table holding the most of the names (at least ActionType plus two more). Names that fit two
 * tables equally (a projection onto columns both have) are decided by the file's name
 * (`DeviceFileEvents.ndjson`), and refused when the name does not tell.
 */
export function defenderTableOf(text: string, path?: string): string | undefined {
  const typeValue = /"Type"\s*:\s*"(Device\w+)"/.exec(text)?.[1];
  if (typeValue && typeValue in BUILTIN_TABLES) return typeValue;
  const names = new Set([...text.matchAll(/"?([A-Za-z][A-Za-z0-9]*)"?\s*(?=[,:\r\n]|$)/g)].map((m) => m[1]!));
  if (!names.has('ActionType')) return undefined;
  const ranked = Object.entries(BUILTIN_TABLES).map(([table, schema]) => {
    const matches = schema.filter((c) => names.has(c.name)).length;
    return { table, matches };
  }).sort((a, b) => b.matches - a.matches);
  const [best, second] = ranked;
  if (!best || best.matches < 3) return undefined;
  if (second && second.matches === best.matches) {
    const named = path === undefined ? undefined : builtinTableOfFile(basename(path));
    return ranked.find((r) => r.table === named && r.matches === best.matches)?.table;
  }
  return best.table;
}
