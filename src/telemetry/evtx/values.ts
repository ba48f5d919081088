/**
 * BinXML substitution values: their type codes and their text as Windows renders them in event XML
 * (EvtRender): unpadded lowercase hex for HexInt32/HexInt64/SizeT, lowercase `{…}` GUIDs, `S-1-…` SIDs,
 * ISO-8601 UTC with 100 ns digits for FILETIME/SYSTEMTIME, `true`/`false`, uppercase hex for binary.
 */
import { EvtxFormatError } from './format-error.js';

export const ValueType = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SystemTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
} as const;

/** Set on a value type when the value is an array of the base type. */
export const ARRAY_FLAG = 0x80;

/** One substitution value of a template instance: a typed slice of the chunk buffer. */
export interface TypedValue {
  type: number;
  buf: Buffer;
  start: number;
  size: number;
}

/** FILETIME of 1970-01-01T00:00:00Z: 100 ns ticks between 1601-01-01 and the Unix epoch. */
export const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** Byte size of one item of the fixed-size value types (0 = variable size). */
const FIXED_SIZES: Record<number, number> = {
  [ValueType.Int8]: 1,
  [ValueType.UInt8]: 1,
  [ValueType.Int16]: 2,
  [ValueType.UInt16]: 2,
  [ValueType.Int32]: 4,
  [ValueType.UInt32]: 4,
  [ValueType.Int64]: 8,
  [ValueType.UInt64]: 8,
  [ValueType.Real32]: 4,
  [ValueType.Real64]: 8,
  [ValueType.Bool]: 4,
  [ValueType.Guid]: 16,
  [ValueType.FileTime]: 8,
  [ValueType.SystemTime]: 16,
  [ValueType.HexInt32]: 4,
  [ValueType.HexInt64]: 8,
};

export function fixedSizeOf(baseType: number): number {
  return FIXED_SIZES[baseType] ?? 0;
}

export function isArrayType(type: number): boolean {
  return (type & ARRAY_FLAG) !== 0;
}

/** Text of a value; arrays render as their items joined by ', ' (elements repeat them instead, see binxml). */
export function renderValue(value: TypedValue): string {
  return isArrayType(value.type) ? renderArrayItems(value).join(', ') : renderScalar(value.type, value.buf, value.start, value.size);
}

/** The items of an array value, each rendered like a scalar of the base type. */
export function renderArrayItems(value: TypedValue): string[] {
  const base = value.type & ~ARRAY_FLAG;
  const end = value.start + value.size;
  if (base === ValueType.String) return splitTerminated(value.buf, value.start, end, 2, 'utf16le');
  if (base === ValueType.AnsiString) return splitTerminated(value.buf, value.start, end, 1, 'latin1');
  if (base === ValueType.Sid) return splitSids(value.buf, value.start, end);
  const itemSize = base === ValueType.SizeT ? sizeTItemSize(value.size) : fixedSizeOf(base);
  if (itemSize === 0) throw new EvtxFormatError(`array of value type 0x${base.toString(16)} is not supported`, value.start);
  if (value.size % itemSize !== 0) throw new EvtxFormatError(`array size ${value.size} is not a multiple of ${itemSize}`, value.start);
  const items: string[] = [];
  for (let at = value.start; at < end; at += itemSize) items.push(renderScalar(base, value.buf, at, itemSize));
  return items;
}

/** size_t arrays carry no item size; 8-byte items are the 64-bit writers' case. */
function sizeTItemSize(total: number): number {
  return total % 8 === 0 ? 8 : 4;
}

function splitTerminated(buf: Buffer, start: number, end: number, unit: number, encoding: 'utf16le' | 'latin1'): string[] {
  const items: string[] = [];
  let itemStart = start;
  for (let at = start; at + unit <= end; at += unit) {
    const isTerminator = unit === 2 ? buf[at] === 0 && buf[at + 1] === 0 : buf[at] === 0;
    if (!isTerminator) continue;
    items.push(buf.toString(encoding, itemStart, at));
    itemStart = at + unit;
  }
  if (itemStart + unit <= end) items.push(buf.toString(encoding, itemStart, end - ((end - itemStart) % unit)));
  return items;
}

function splitSids(buf: Buffer, start: number, end: number): string[] {
  const items: string[] = [];
  let at = start;
  while (at < end) {
    const size = sidSize(buf, at, end);
    items.push(renderSid(buf, at, size));
    at += size;
  }
  return items;
}

export function renderScalar(type: number, buf: Buffer, start: number, size: number): string {
  requireSize(type, start, size);
  switch (type) {
    case ValueType.Null:
      return '';
    case ValueType.String:
      return stripTrailingNuls(buf.toString('utf16le', start, start + (size & ~1)));
    case ValueType.AnsiString:
      return stripTrailingNuls(buf.toString('latin1', start, start + size));
    case ValueType.Int8:
      return String(buf.readInt8(start));
    case ValueType.UInt8:
      return String(buf.readUInt8(start));
    case ValueType.Int16:
      return String(buf.readInt16LE(start));
    case ValueType.UInt16:
      return String(buf.readUInt16LE(start));
    case ValueType.Int32:
      return String(buf.readInt32LE(start));
    case ValueType.UInt32:
      return String(buf.readUInt32LE(start));
    case ValueType.Int64:
      return buf.readBigInt64LE(start).toString();
    case ValueType.UInt64:
      return buf.readBigUInt64LE(start).toString();
    case ValueType.Real32:
      return shortestFloat32(buf.readFloatLE(start));
    case ValueType.Real64:
      return String(buf.readDoubleLE(start));
    case ValueType.Bool:
      return buf.readUInt32LE(start) !== 0 ? 'true' : 'false';
    case ValueType.Guid:
      return renderGuid(buf, start);
    case ValueType.SizeT:
      return '0x' + (size >= 8 ? buf.readBigUInt64LE(start) : BigInt(buf.readUInt32LE(start))).toString(16);
    case ValueType.FileTime:
      return renderFileTime(buf.readBigUInt64LE(start));
    case ValueType.SystemTime:
      return renderSystemTime(buf, start);
    case ValueType.Sid:
      return renderSid(buf, start, sidSize(buf, start, start + size));
    case ValueType.HexInt32:
      return '0x' + buf.readUInt32LE(start).toString(16);
    case ValueType.HexInt64:
      return '0x' + buf.readBigUInt64LE(start).toString(16);
    case ValueType.Binary:
    case ValueType.EvtHandle:
    case ValueType.EvtXml:
      return buf.toString('hex', start, start + size).toUpperCase();
    default:
      throw new EvtxFormatError(`unknown value type 0x${type.toString(16)}`, start);
  }
}

function requireSize(type: number, start: number, size: number): void {
  const needed = type === ValueType.SizeT ? 4 : fixedSizeOf(type);
  if (size < needed) throw new EvtxFormatError(`value of type 0x${type.toString(16)} needs ${needed} bytes, has ${size}`, start);
}

function stripTrailingNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Float32 printed with the fewest digits that read back as the same float32 (as Windows' %g-like output). */
function shortestFloat32(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}

export function renderGuid(buf: Buffer, start: number): string {
  const hex = (from: number, to: number) => buf.toString('hex', start + from, start + to);
  const data1 = buf.readUInt32LE(start).toString(16).padStart(8, '0');
  const data2 = buf.readUInt16LE(start + 4).toString(16).padStart(4, '0');
  const data3 = buf.readUInt16LE(start + 6).toString(16).padStart(4, '0');
  return `{${data1}-${data2}-${data3}-${hex(8, 10)}-${hex(10, 16)}}`;
}

/** FILETIME (100 ns ticks since 1601) as `YYYY-MM-DDTHH:MM:SS.fffffffZ`. */
export function renderFileTime(fileTime: bigint): string {
  const unixTicks = fileTime - FILETIME_UNIX_EPOCH;
  const millis = unixTicks >= 0n ? unixTicks / 10000n : -((-unixTicks + 9999n) / 10000n);
  const date = new Date(Number(millis));
  if (Number.isNaN(date.getTime())) return `0x${fileTime.toString(16)}`;
  const fraction = ((unixTicks % 10000000n) + 10000000n) % 10000000n;
  return `${isoSeconds(date)}.${fraction.toString().padStart(7, '0')}Z`;
}

function isoSeconds(date: Date): string {
  const year = date.getUTCFullYear();
  const yearText = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${yearText}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
}

/** SYSTEMTIME: year, month, day-of-week, day, hour, minute, second, milliseconds (uint16 each). */
function renderSystemTime(buf: Buffer, start: number): string {
  const field = (index: number) => buf.readUInt16LE(start + index * 2);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${String(field(0)).padStart(4, '0')}-${two(field(1))}-${two(field(3))}`;
  const time = `${two(field(4))}:${two(field(5))}:${two(field(6))}`;
  return `${date}T${time}.${String(field(7)).padStart(3, '0')}0000Z`;
}

/** SID byte size from its sub-authority count (revision, count, 6-byte authority, count × uint32). */
function sidSize(buf: Buffer, start: number, end: number): number {
  if (start + 8 > end) throw new EvtxFormatError('SID shorter than its 8-byte header', start);
  const size = 8 + 4 * buf[start + 1]!;
  if (start + size > end) throw new EvtxFormatError(`SID with ${buf[start + 1]} sub-authorities overruns its value`, start);
  return size;
}

/** `S-1-5-21-…`; an identifier authority of 2^32 or more prints as hex, as ConvertSidToStringSid does. */
function renderSid(buf: Buffer, start: number, size: number): string {
  const authorityHigh = buf.readUInt16BE(start + 2);
  const authorityLow = buf.readUInt32BE(start + 4);
  const authority = authorityHigh === 0
    ? String(authorityLow)
    : '0x' + (authorityHigh.toString(16).padStart(4, '0') + authorityLow.toString(16).padStart(8, '0')).toUpperCase();
  let text = `S-${buf[start]}-${authority}`;
  for (let at = start + 8; at + 4 <= start + size; at += 4) text += '-' + buf.readUInt32LE(at);
  return text;
}
