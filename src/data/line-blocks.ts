/**
 * Reading text files as blocks of whole lines, in bytes: large reads into one reused buffer, and the
 * consumer walks the lines of a block in place (no string per line, no copy but the partial line a
 * read cuts off). A file (not gzip) can be read in byte ranges: a range owns the lines that *start*
 * in it, so consecutive ranges cover every line exactly once, whatever the split points.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** `bytes[0, end)` holds whole lines, each ending with LF except possibly the last line of the input. */
export interface LineBlock {
  bytes: Buffer;
  end: number;
  /** Where bytes[0] is in the (decompressed) input. */
  offset: number;
}

/** A part of a file: bytes [start, end) decide which lines are read (those starting in it). */
export interface ByteRange {
  start: number;
  end: number;
}

const LF = 0x0a;
const READ_SIZE = 4 * 1024 * 1024;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function startsWithBom(bytes: Buffer, end: number): boolean {
  return end >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

/**
 * Accumulates chunks and hands out blocks of whole lines. The buffer handed out is reused once the
 * consumer asks for the next block, so values must be copied out of it (string slices are).
 */
class LineAssembler {
  private buffer: Buffer;
  private filled = 0;
  /** Input offset of buffer[0]. */
  private offset: number;

  /** `atFileStart`: the input begins the file, so a UTF-8 byte order mark there is dropped. */
  constructor(private atFileStart: boolean, readSize: number, offset = 0) {
    this.buffer = Buffer.allocUnsafe(readSize);
    this.offset = offset;
  }

  /** Room to read into (grown when one line is longer than the buffer). */
  space(): Buffer {
    if (this.filled === this.buffer.length) {
      const larger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(larger, 0, 0, this.filled);
      this.buffer = larger;
    }
    return this.buffer.subarray(this.filled);
  }

  /** Records `count` bytes read into space(); returns the block of whole lines now available, if any. */
  added(count: number): LineBlock | undefined {
    this.filled += count;
    this.dropBom();
    if (this.filled === 0) return undefined;
    const lastLf = this.buffer.lastIndexOf(LF, this.filled - 1);
    if (lastLf < 0) return undefined;
    return { bytes: this.buffer, end: lastLf + 1, offset: this.offset };
  }

  /** Call after the consumer is done with the block returned by added(): keeps the cut-off line. */
  consumed(block: LineBlock): void {
    this.buffer.copy(this.buffer, 0, block.end, this.filled);
    this.filled -= block.end;
    this.offset += block.end;
  }

  /** The last line when the input does not end with LF. */
  rest(): LineBlock | undefined {
    this.dropBom();
    return this.filled > 0 ? { bytes: this.buffer, end: this.filled, offset: this.offset } : undefined;
  }

  private dropBom(): void {
    if (!this.atFileStart || this.filled < 3) return;
    this.atFileStart = false;
    if (startsWithBom(this.buffer, this.filled)) {
      this.buffer.copy(this.buffer, 0, 3, this.filled);
      this.filled -= 3;
      this.offset += 3;
    }
  }

  /** Append a chunk that was not read into space() (gunzip output). */
  append(chunk: Buffer): LineBlock | undefined {
    let offset = 0;
    while (offset < chunk.length) {
      const room = this.space();
      const n = chunk.copy(room, 0, offset);
      offset += n;
      this.filled += n;
    }
    return this.added(0);
  }
}

export interface LineBlockOptions {
  /** Bytes [start, end) of a file that is not gzip, aligned at line starts (lineAlignedRanges). */
  range?: ByteRange;
  /** Bytes per read (the buffer grows for a longer line). */
  readSize?: number;
}

/** Lines of a file (decompressed when gzip), in blocks. */
export async function* lineBlocks(path: string, gzipped: boolean, options: LineBlockOptions = {}): AsyncGenerator<LineBlock> {
  const readSize = options.readSize ?? READ_SIZE;
  if (gzipped) {
    if (options.range) throw new Error('internal: a gzip file cannot be read in byte ranges');
    yield* gzipLineBlocks(path, readSize);
  } else {
    yield* plainLineBlocks(path, readSize, options.range);
  }
}

async function* gzipLineBlocks(path: string, readSize: number): AsyncGenerator<LineBlock> {
  const assembler = new LineAssembler(true, readSize);
  const raw = createReadStream(path);
  const gunzip = raw.pipe(createGunzip());
  raw.on('error', (error) => gunzip.destroy(error));
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const block = assembler.append(chunk);
      if (block) {
        yield block;
        assembler.consumed(block);
      }
    }
    const rest = assembler.rest();
    if (rest) yield rest;
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}

/** The first line start at or after `offset` (the file size when no line starts there). */
async function lineStartFrom(handle: FileHandle, offset: number, size: number): Promise<number> {
  if (offset <= 0) return 0;
  if (offset >= size) return size;
  const probe = Buffer.allocUnsafe(64 * 1024);
  let position = offset - 1;
  for (;;) {
    const { bytesRead } = await handle.read(probe, 0, probe.length, position);
    if (bytesRead === 0) return size;
    const lf = probe.subarray(0, bytesRead).indexOf(LF);
    if (lf >= 0) return position + lf + 1;
    position += bytesRead;
  }
}

/**
 * Splits a (not gzip) file into at most `parts` ranges of about equal size, each starting at a line
 * start and ending where the next begins: together they hold every line exactly once.
 */
export async function lineAlignedRanges(path: string, parts: number): Promise<ByteRange[]> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const cuts = [0];
    for (let p = 1; p < parts; p++) {
      const cut = await lineStartFrom(handle, Math.floor((size * p) / parts), size);
      if (cut > cuts[cuts.length - 1]!) cuts.push(cut);
    }
    cuts.push(size);
    const ranges: ByteRange[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) if (cuts[i + 1]! > cuts[i]!) ranges.push({ start: cuts[i]!, end: cuts[i + 1]! });
    return ranges;
  } finally {
    await handle.close();
  }
}

/** Reads bytes [range.start, range.end) (the whole file without a range); ranges must be line-aligned. */
async function* plainLineBlocks(path: string, readSize: number, range?: ByteRange): AsyncGenerator<LineBlock> {
  const handle = await open(path, 'r');
  const assembler = new LineAssembler(!range || range.start === 0, readSize, range?.start ?? 0);
  const stopAt = range ? range.end : Infinity;
  // Two read buffers: the next read runs while the consumer works on the block before it (reading
  // one block after another left the thread waiting for the disk about a tenth of a scan).
  const chunks = [Buffer.allocUnsafe(readSize), Buffer.allocUnsafe(readSize)];
  let turn = 0;
  const readFrom = (position: number) => {
    const chunk = chunks[turn]!;
    turn ^= 1;
    return handle.read(chunk, 0, Math.min(chunk.length, stopAt - position), position);
  };
  let position = range ? range.start : 0;
  let pending: Promise<{ bytesRead: number; buffer: Buffer }> | undefined = position < stopAt ? readFrom(position) : undefined;
  try {
    while (pending) {
      const { bytesRead, buffer } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      position += bytesRead;
      if (position < stopAt) pending = readFrom(position);
      const block = assembler.append(buffer.subarray(0, bytesRead));
      if (block) {
        yield block;
        assembler.consumed(block);
      }
    }
    const rest = assembler.rest();
    if (rest) yield rest;
  } finally {
    // A consumer that stops early may leave a read under way: it must end before the file closes.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}
