/**
 * One 64 KiB EVTX chunk: header checks (signature, CRC32s, offsets) and the walk over its event records,
 * resynchronising on the next record signature after a damaged record header.
 */
import { crc32 } from 'node:zlib';
import { ChunkContext, parseFragment, resolveNodes, type XmlContent } from './binxml.js';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
/** Signature, size, record id, written time before the BinXml; the size copy after it. */
const RECORD_HEADER_SIZE = 24;
const RECORD_MIN_SIZE = RECORD_HEADER_SIZE + 4;

export const CHUNK_SIGNATURE = Buffer.from('ElfChnk\0', 'latin1');
const RECORD_SIGNATURE = 0x00002a2a; // "**\0\0" read little-endian

export interface ChunkRecord {
  recordId: number;
  writtenTime: bigint;
  /** Record offset inside the chunk. */
  offset: number;
  content: XmlContent[];
}

/** Where a chunk reports what it had to skip. */
export interface ChunkReporter {
  issue(reason: string, offset: number, record?: number): void;
  skippedRecord(): void;
}

export function isAllZero(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

/**
 * Why the chunk cannot be used at all (undefined when it can). Only a missing signature or, when checking,
 * a bad header CRC or a records CRC over complete data make a chunk unusable; a truncated chunk is still
 * walked for its complete records.
 */
export function chunkRejection(buf: Buffer, available: number, verifyChecksums: boolean): string | undefined {
  if (available < CHUNK_HEADER_SIZE) return `chunk truncated to ${available} bytes, shorter than its header`;
  if (!buf.subarray(0, 8).equals(CHUNK_SIGNATURE)) return 'chunk signature "ElfChnk" missing';
  if (!verifyChecksums) return undefined;
  const headerCrc = crc32(buf.subarray(128, CHUNK_HEADER_SIZE), crc32(buf.subarray(0, 120)));
  if (headerCrc !== buf.readUInt32LE(124)) return 'chunk header checksum mismatch';
  const freeSpace = buf.readUInt32LE(48);
  if (freeSpace >= CHUNK_HEADER_SIZE && freeSpace <= available) {
    if (crc32(buf.subarray(CHUNK_HEADER_SIZE, freeSpace)) !== buf.readUInt32LE(52)) return 'chunk event records checksum mismatch';
  }
  return undefined;
}

/** End of the record area: the free-space offset when it is plausible, else whatever data there is. */
function recordsEnd(buf: Buffer, available: number, reporter: ChunkReporter): number {
  const freeSpace = buf.readUInt32LE(48);
  if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > CHUNK_SIZE) {
    reporter.issue(`implausible free space offset 0x${freeSpace.toString(16)}; scanning the whole chunk`, 48);
    return available;
  }
  if (freeSpace > available) {
    reporter.issue(`chunk truncated at ${available} of ${freeSpace} bytes of records; records past the cut are lost`, available);
    return available;
  }
  return freeSpace;
}

/** Yields the records of a usable chunk in order; broken records are reported and skipped. */
export function* chunkRecords(buf: Buffer, available: number, reporter: ChunkReporter): Generator<ChunkRecord> {
  const context = new ChunkContext(buf, available);
  const end = recordsEnd(buf, available, reporter);
  let pos = CHUNK_HEADER_SIZE;
  while (pos + RECORD_MIN_SIZE <= end) {
    const problem = recordHeaderProblem(buf, pos, end);
    if (problem) {
      if (buf.readUInt32LE(pos) === 0 && isAllZero(buf, pos, end)) return; // unused tail of the chunk
      reporter.issue(problem, pos);
      reporter.skippedRecord();
      pos = nextRecordSignature(buf, pos + 1, end);
      continue;
    }
    const size = buf.readUInt32LE(pos + 4);
    const recordId = Number(buf.readBigUInt64LE(pos + 8));
    try {
      const nodes = parseFragment(context, pos + RECORD_HEADER_SIZE, pos + size - 4);
      const content = resolveNodes(context, nodes);
      yield { recordId, writtenTime: buf.readBigUInt64LE(pos + 16), offset: pos, content };
    } catch (error) {
      reporter.issue(`record BinXml unreadable: ${error instanceof Error ? error.message : String(error)}`, pos, recordId);
      reporter.skippedRecord();
    }
    pos += size;
  }
  if (pos < end && !isAllZero(buf, pos, end)) {
    reporter.issue(`${end - pos} stray bytes after the last record`, pos);
    reporter.skippedRecord();
  }
}

/** Whether the records area of a chunk begins with a well-formed record header (used to tell damage from unused space). */
export function startsWithRecord(buf: Buffer, available: number): boolean {
  return available >= CHUNK_HEADER_SIZE + RECORD_MIN_SIZE && recordHeaderProblem(buf, CHUNK_HEADER_SIZE, available) === undefined;
}

function recordHeaderProblem(buf: Buffer, pos: number, end: number): string | undefined {
  if (buf.readUInt32LE(pos) !== RECORD_SIGNATURE) return 'record signature "**" missing';
  const size = buf.readUInt32LE(pos + 4);
  if (size < RECORD_MIN_SIZE || pos + size > end) return `record size ${size} does not fit the chunk`;
  if (buf.readUInt32LE(pos + size - 4) !== size) return `record size ${size} does not match its trailing copy`;
  return undefined;
}

/** Next offset holding a record signature (records are 8-byte aligned), or end. */
function nextRecordSignature(buf: Buffer, from: number, end: number): number {
  for (let pos = (from + 7) & ~7; pos + RECORD_MIN_SIZE <= end; pos += 8) {
    if (buf.readUInt32LE(pos) === RECORD_SIGNATURE) return pos;
  }
  return end;
}
