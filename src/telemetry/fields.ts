/**
 * Building blocks shared by the normalisers: Defender rows, paths, accounts, hashes, ids.
 * A row is a plain object keyed by Defender column names holding only the columns a source can
 * fill; the data layer types it by the table's built-in schema, so an absent column reads as ""
 * (strings) or null (other types), exactly as in a Defender export that lacks the column.
 */
export type DefenderTable = 'DeviceProcessEvents' | 'DeviceFileEvents' | 'DeviceNetworkEvents';

export const DEFENDER_TABLES: readonly DefenderTable[] = ['DeviceProcessEvents', 'DeviceFileEvents', 'DeviceNetworkEvents'];

export type RowValue = string | number | boolean;
export type DefenderRow = Record<string, RowValue>;

/** A normaliser's verdict on one source event. */
export type Mapping =
  | { kind: 'row'; table: DefenderTable; row: DefenderRow }
  | { kind: 'skipped'; reason: string };

export function skipped(reason: string): Mapping {
  return { kind: 'skipped', reason };
}

/**
 * Sets the columns whose values are present; "" and "-" (Sysmon's and Security's "not available")
 * and undefined leave the column out, so it reads as empty / null.
 */
export function setFields(row: DefenderRow, fields: Record<string, RowValue | undefined>): DefenderRow {
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === '' || value === '-') continue;
    if (typeof value === 'number' && !Number.isFinite(value)) continue;
    row[name] = value;
  }
  return row;
}

/** Sysmon writes "-" for values it does not have; treat it (and whitespace) as absent. */
export function present(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === '-' ? undefined : value;
}

/** The last component of a Windows or Linux path (`C:\Windows\cmd.exe` → `cmd.exe`). */
export function fileNameOf(path: string | undefined): string | undefined {
  if (!present(path)) return undefined;
  const p = path!;
  // A Linux path may legally contain '\'; only Windows-looking paths split on it.
  const cut = p.startsWith('/') ? p.lastIndexOf('/') : Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/'));
  return p.slice(cut + 1);
}

/** `DOMAIN\user` → domain and name; a bare name has no domain. */
export function splitAccount(account: string | undefined): { domain?: string; name?: string } {
  if (!present(account)) return {};
  const a = account!.trim();
  const slash = a.indexOf('\\');
  if (slash < 0) return { name: a };
  return { domain: a.slice(0, slash) || undefined, name: a.slice(slash + 1) || undefined };
}

/** Sysmon `Hashes` (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`) → lower-case hex by algorithm, as Defender shows hashes. */
export function parseHashes(hashes: string | undefined): { SHA1?: string; MD5?: string; SHA256?: string; IMPHASH?: string } {
  const out: Record<string, string> = {};
  if (!present(hashes)) return out;
  for (const part of hashes!.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    out[part.slice(0, eq).trim().toUpperCase()] = part.slice(eq + 1).trim().toLowerCase();
  }
  return out;
}

/**
 * Integer text as Windows renders it (`0x00000000000003e7`, `1340`) → a number; undefined when absent
 * or beyond 2^53 (a JS number could not hold it exactly, and a wrong id is worse than none).
 */
export function parseInteger(text: string | undefined): number | undefined {
  if (!present(text)) return undefined;
  const t = text!.trim();
  let value: bigint;
  try {
    if (/^0x[0-9a-f]+$/i.test(t)) value = BigInt(t);
    else if (/^-?\d+$/.test(t)) value = BigInt(t);
    else return undefined;
  } catch {
    return undefined;
  }
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : undefined;
}

/**
 * A stable id for a record that has no EventRecordID: FNV-1a 64 of "file name:record number",
 * cut to 53 bits so that it stays an exact JS number (Defender ReportId is a long).
 */
export function stableReportId(fileName: string, record: number): number {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(`${fileName}:${record}`, 'utf8')) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return Number(hash & 0x1fffffffffffffn);
}

/** Defender's AdditionalFields is a JSON string; source facts without a column go there. */
export function additionalFields(fields: Record<string, string | number | undefined>): string | undefined {
  const kept: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '' && v !== '-') kept[k] = v;
  return Object.keys(kept).length === 0 ? undefined : JSON.stringify(kept);
}

/** Defender RemoteIPType/LocalIPType (Public, Private, Reserved, Loopback, …) of an IP literal. */
export function ipType(ip: string | undefined): string | undefined {
  if (!present(ip)) return undefined;
  const text = ip!.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (mapped) return 'FourToSixMapping';
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    if (a === 127) return 'Loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'Private';
    if (text === '255.255.255.255') return 'Broadcast';
    if (a === 0 || a >= 224 || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)) return 'Reserved';
    return 'Public';
  }
  if (text === '::1') return 'Loopback';
  if (text.startsWith('2001:0:') || text.startsWith('2001:0000:')) return 'Teredo';
  if (/^f[cd]/.test(text)) return 'Private';
  if (/^fe[89ab]/.test(text) || text === '::' || /^(0:){7}0$/.test(text) || text.startsWith('ff')) return 'Reserved';
  if (text.includes(':')) return 'Public';
  return undefined;
}
