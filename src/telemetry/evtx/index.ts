/**
 * Streaming, damage-tolerant reader for Windows XML Event Log (EVTX) files. Reads one 64 KiB chunk at a time
 * through a FileHandle; whatever is broken (file header, chunk, record, BinXml) is reported through onIssue,
 * counted in the stats and skipped — the iterator itself never throws.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { WindowsEvent } from '../event.js';
import { CHUNK_SIGNATURE, CHUNK_SIZE, FILE_HEADER_SIZE, chunkRecords, chunkRejection, isAllZero, startsWithRecord } from './chunk.js';
import { toWindowsEvent } from './to-event.js';
import { renderXml } from './xml.js';

import type { XmlContent } from './binxml.js';
export type { XmlAttribute, XmlContent, XmlElement, XmlText } from './binxml.js';

export interface EvtxIssue {
  file: string;
  /** Chunk index in file order (0 = the chunk at offset 4096). */
  chunk?: number;
  record?: number;
  /** Absolute file offset of the problem. */
  offset: number;
  reason: string;
}

export interface EvtxReadOptions {
  onIssue?: (issue: EvtxIssue) => void;
  /** Verify the file header and chunk CRC32s and skip chunks that fail (default true). */
  verifyChecksums?: boolean;
}

export interface EvtxStats {
  chunks: number;
  records: number;
  skippedChunks: number;
  skippedRecords: number;
}

/** One record with its resolved XML tree. */
export interface EvtxRecord {
  file: string;
  chunk: number;
  recordId: number;
  writtenTime: bigint;
  /** Absolute file offset of the record. */
  offset: number;
  content: XmlContent[];
}

/** An async stream whose stats are final once iteration has finished. */
export interface EvtxStream<T> extends AsyncIterable<T> {
  readonly stats: EvtxStats;
}

const FILE_SIGNATURE = Buffer.from('ElfFile\0', 'latin1');

/** Streams events in file order; never loads the whole file (read chunk by chunk with a FileHandle). */
export function readEvtx(path: string, options: EvtxReadOptions = {}): EvtxStream<WindowsEvent> {
  const records = readEvtxRecords(path, options);
  const report = issueReporter(path, options);
  async function* events(): AsyncGenerator<WindowsEvent> {
    for await (const record of records) {
      try {
        yield toWindowsEvent(record.content, { file: path, recordId: record.recordId, writtenTime: record.writtenTime });
      } catch (error) {
        records.stats.records--;
        records.stats.skippedRecords++;
        report({ chunk: record.chunk, record: record.recordId, offset: record.offset, reason: `record is not an event: ${messageOf(error)}` });
      }
    }
  }
  return { stats: records.stats, [Symbol.asyncIterator]: () => events() };
}

/** Streams records (resolved XML trees) in file order. */
export function readEvtxRecords(path: string, options: EvtxReadOptions = {}): EvtxStream<EvtxRecord> {
  const stats: EvtxStats = { chunks: 0, records: 0, skippedChunks: 0, skippedRecords: 0 };
  const reader = new EvtxFileReader(path, options, stats);
  return { stats, [Symbol.asyncIterator]: () => reader.records() };
}

/** The rendered XML of a record, in the compact form `wevtutil qe /f:xml` prints. */
export function renderRecordXml(record: Pick<EvtxRecord, 'content'>): string {
  return renderXml(record.content);
}

type IssueWithoutFile = Omit<EvtxIssue, 'file'>;

function issueReporter(file: string, options: EvtxReadOptions): (issue: IssueWithoutFile) => void {
  return issue => {
    try {
      options.onIssue?.({ file, ...issue });
    } catch {
      // A failing callback must not break the stream it observes.
    }
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class EvtxFileReader {
  private readonly report: (issue: IssueWithoutFile) => void;
  private readonly verifyChecksums: boolean;
  /** Number of chunks the file header claims (0 when the header is unusable). */
  private declaredChunkCount = 0;

  constructor(
    private readonly path: string,
    options: EvtxReadOptions,
    private readonly stats: EvtxStats,
  ) {
    this.report = issueReporter(path, options);
    this.verifyChecksums = options.verifyChecksums ?? true;
  }

  async *records(): AsyncGenerator<EvtxRecord> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.path, 'r');
      if (!(await this.checkFileHeader(handle))) return;
      for (let chunk = 0; ; chunk++) {
        const buf = Buffer.alloc(CHUNK_SIZE);
        const fileOffset = FILE_HEADER_SIZE + chunk * CHUNK_SIZE;
        const { bytesRead } = await handle.read(buf, 0, CHUNK_SIZE, fileOffset);
        if (bytesRead === 0) return;
        yield* this.chunkRecords(buf, bytesRead, chunk, fileOffset);
        if (bytesRead < CHUNK_SIZE) return;
      }
    } catch (error) {
      this.report({ offset: 0, reason: `cannot read file: ${messageOf(error)}` });
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  /**
   * False when the file is not EVTX at all (one issue). A damaged header over real chunks is reported but
   * does not stop reading, since nothing after it depends on the header.
   */
  private async checkFileHeader(handle: FileHandle): Promise<boolean> {
    const header = Buffer.alloc(FILE_HEADER_SIZE + CHUNK_SIGNATURE.length);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    const hasFileSignature = bytesRead >= 128 && header.subarray(0, 8).equals(FILE_SIGNATURE);
    if (!hasFileSignature) {
      const hasChunk = bytesRead === header.length && header.subarray(FILE_HEADER_SIZE).equals(CHUNK_SIGNATURE);
      if (!hasChunk) {
        this.report({ offset: 0, reason: 'not an EVTX file: no "ElfFile" signature and no chunk at 4096' });
        return false;
      }
      this.report({ offset: 0, reason: 'file header signature "ElfFile" missing; reading the chunks anyway' });
      return true;
    }
    this.declaredChunkCount = header.readUInt16LE(42);
    if (this.verifyChecksums && crc32(header.subarray(0, 120)) !== header.readUInt32LE(124)) {
      this.report({ offset: 124, reason: 'file header checksum mismatch; reading the chunks anyway' });
    }
    return true;
  }

  /**
   * A block without chunk signature past the header's chunk count that does not start with a record either
   * is leftover space (dirty or recycled files carry stale bytes there), not a damaged chunk.
   */
  private isUnusedSpace(buf: Buffer, available: number, chunk: number): boolean {
    if (available >= CHUNK_SIGNATURE.length && buf.subarray(0, CHUNK_SIGNATURE.length).equals(CHUNK_SIGNATURE)) return false;
    return chunk >= this.declaredChunkCount && !startsWithRecord(buf, available);
  }

  private *chunkRecords(buf: Buffer, available: number, chunk: number, fileOffset: number): Generator<EvtxRecord> {
    if (isAllZero(buf, 0, available)) return; // preallocated, never used
    if (this.isUnusedSpace(buf, available, chunk)) return;
    this.stats.chunks++;
    const rejection = chunkRejection(buf, available, this.verifyChecksums);
    if (rejection) {
      this.stats.skippedChunks++;
      this.report({ chunk, offset: fileOffset, reason: `${rejection}; chunk skipped` });
      return;
    }
    const reporter = {
      issue: (reason: string, offset: number, record?: number) =>
        this.report(record === undefined ? { chunk, offset: fileOffset + offset, reason } : { chunk, record, offset: fileOffset + offset, reason }),
      skippedRecord: () => {
        this.stats.skippedRecords++;
      },
    };
    for (const record of chunkRecords(buf, available, reporter)) {
      this.stats.records++;
      yield { file: this.path, chunk, recordId: record.recordId, writtenTime: record.writtenTime, offset: fileOffset + record.offset, content: record.content };
    }
  }
}
