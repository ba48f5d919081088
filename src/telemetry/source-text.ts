/**
 * Reading raw telemetry files as text: gzip is recognised by its magic bytes and decompressed on
 * the fly; bytes read are reported (for progress) as they stream; only the current chunk is held.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { gunzipSync, createGunzip } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';

export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** The first `length` bytes of the file (fewer when it is shorter). */
export async function readFileHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(length);
    const { bytesRead } = await handle.read(head, 0, length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Decompresses as much of a gzip head as it holds (a partial stream is fine for sniffing). */
export function gunzipHead(head: Buffer): Buffer {
  try {
    return gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: accept a cut stream */ });
  } catch {
    return Buffer.alloc(0);
  }
}

export interface TextReadOptions {
  /** Called with the number of (compressed) file bytes read so far. */
  onBytes?: (bytesRead: number) => void;
}

/** The file as a stream of UTF-8 text chunks (BOM removed), gunzipped when it is gzip. */
export async function* textChunks(path: string, options: TextReadOptions = {}): AsyncGenerator<string> {
  const gzipped = (await readFileHead(path, 2)).equals(GZIP_MAGIC);
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  raw.on('data', (chunk) => {
    bytes += chunk.length;
    options.onBytes?.(bytes);
  });
  const text: Readable = gzipped ? pipeline(raw, createGunzip(), () => {}) : raw;
  text.setEncoding('utf8');
  let first = true;
  try {
    for await (const chunk of text) {
      let s = chunk as string;
      if (first && s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      first = false;
      yield s;
    }
  } finally {
    text.destroy();
    raw.destroy();
  }
}

/** Splits text chunks into lines (LF or CRLF) with 1-based numbers. */
export async function* textLines(chunks: AsyncIterable<string>): AsyncGenerator<{ line: number; text: string }> {
  let carried = '';
  let line = 0;
  for await (const chunk of chunks) {
    const buffer = carried + chunk;
    let start = 0;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', start)) {
      const text = buffer.slice(start, nl);
      yield { line: ++line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
      start = nl + 1;
    }
    carried = buffer.slice(start);
  }
  if (carried !== '') yield { line: ++line, text: carried.endsWith('\r') ? carried.slice(0, -1) : carried };
}

/** The whole text (for JSON documents, which are only known once their closing bracket is read). */
export async function wholeText(path: string, options: TextReadOptions = {}): Promise<string> {
  let text = '';
  for await (const chunk of textChunks(path, options)) text += chunk;
  return text;
}
