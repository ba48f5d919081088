/**
 * Parquet files in `--data`: one row group at a time, and of each row group only the column chunks
 * the scan needs (Parquet is columnar, so the other columns' bytes are never read or decoded).
 * Values are handed to the shared record typer (table-source.ts) in forms it takes exactly:
 * datetimes and timespans as TickValues, longs as bigints, JSON as its text (parsed as dynamic there).
 * A file that is not Parquet, or a row group that cannot be decoded, becomes a bad item naming the
 * rows lost; the other row groups are still read.
 */
import { open } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import {
  asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema,
  type AsyncBuffer, type Compressors, type FileMetaData, type ParquetParsers,
} from 'hyparquet';
import { TICKS_PER_DAY } from '../kql/values/datetime.js';
import type { ScalarType, Schema } from '../kql/values/types.js';
import { TickValue } from './coerce.js';
import type { ColumnBlock, RawItem, RawRecord, ReaderHooks, RecordStream } from './formats.js';
import { kustoTypeOf, recordedKustoTypes } from './parquet-schema.js';

/** What a scan asks of a file: the columns it needs (all when absent) and the table's fixed schema. */
export interface ScanRequest {
  columns?: readonly string[];
  schema?: Schema;
}

const textDecoder = new TextDecoder();

/** Timestamps of any unit become exact ticks (hyparquet's default, a Date, would cut them to milliseconds). */
const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis) => new TickValue('datetime', millis * 10_000n),
  timestampFromMicroseconds: (micros) => new TickValue('datetime', micros * 10n),
  // Nanoseconds finer than a tick are cut toward the past: the instant reads as the tick it falls in.
  timestampFromNanoseconds: (nanos) => new TickValue('datetime', floorDivide(nanos, 100n)),
  dateFromDays: (days) => new TickValue('datetime', BigInt(days) * TICKS_PER_DAY),
  // JSON stays text: the dynamic column parses it as parse_json does (a JSON string stays a string).
  jsonFromBytes: (bytes) => (bytes ? textDecoder.decode(bytes) : bytes),
};

function floorDivide(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b !== 0n && a < 0n ? quotient - 1n : quotient;
}

/** Snappy is built into hyparquet; gzip and brotli come from node (zstd only from Node 22.15 on). */
function compressors(): Compressors {
  const available: Compressors = {
    GZIP: (input) => new Uint8Array(zlib.gunzipSync(input)),
    BROTLI: (input) => new Uint8Array(zlib.brotliDecompressSync(input)),
  };
  const zstd = (zlib as { zstdDecompressSync?: (input: Uint8Array) => Buffer }).zstdDecompressSync;
  if (zstd) available.ZSTD = (input) => new Uint8Array(zstd(input));
  return available;
}

const COMPRESSORS = compressors();

interface OpenedFile {
  buffer: AsyncBuffer;
  metadata: FileMetaData;
  columns: Map<string, ScalarType>;
}

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** The file's metadata and the Kusto type of each top-level column, or why it cannot be read. */
async function openParquet(path: string): Promise<OpenedFile | string> {
  if (await startsWithGzipMagic(path)) return 'a gzip-compressed Parquet file: decompress it first (Parquet compresses its pages itself)';
  const buffer = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer, { parsers: PARSERS });
  } catch (error) {
    return `not a readable Parquet file: ${(error as Error).message}`;
  }
  const recorded = recordedKustoTypes(metadata.key_value_metadata);
  const columns = new Map<string, ScalarType>();
  for (const column of parquetSchema(metadata).children) {
    columns.set(column.element.name, kustoTypeOf(column, recorded.get(column.element.name)));
  }
  return { buffer, metadata, columns };
}

/**
 * The file's columns to decode: those the scan needs, plus every column whose values might not fit
 * the table's type (a Parquet string read into a datetime column): a record's rejection must not
 * depend on which columns a query mentions.
 */
function columnsToRead(fileColumns: Map<string, ScalarType>, scan: ScanRequest): string[] {
  const tableTypes = new Map((scan.schema ?? []).map((c) => [c.name, c.type]));
  const wanted = scan.columns ? new Set(scan.columns) : undefined;
  return [...fileColumns].filter(([name, type]) => {
    const tableType = tableTypes.get(name);
    if (scan.schema && tableType === undefined) return false;
    if (!wanted || wanted.has(name)) return true;
    return tableType !== undefined && !alwaysFits(type, tableType);
  }).map(([name]) => name);
}

/** Values of a column read as `from` are always accepted by a table column of type `to`. */
function alwaysFits(from: ScalarType, to: ScalarType): boolean {
  return from === to || to === 'string' || to === 'dynamic'
    || (to === 'long' && from === 'int') || (to === 'real' && (from === 'int' || from === 'long'));
}

/** Rows `start`…`end` (0-based, end exclusive) of the file, column by column, in the forms the typer takes. */
async function readColumns(file: OpenedFile, columns: string[], start: number, end: number): Promise<Map<string, unknown[]>> {
  const length = end - start;
  const data = new Map<string, unknown[]>(columns.map((name) => [name, new Array<unknown>(length)]));
  if (columns.length > 0) {
    await parquetRead({
      file: file.buffer, metadata: file.metadata, columns, rowStart: start, rowEnd: end,
      parsers: PARSERS, compressors: COMPRESSORS,
      onChunk: ({ columnName, columnData, rowStart }) => {
        const target = data.get(columnName);
        if (!target) return;
        for (let i = 0; i < columnData.length; i++) {
          const row = rowStart + i - start;
          if (row >= 0 && row < length) target[row] = columnData[i];
        }
      },
    });
  }
  for (const name of columns) {
    if (file.columns.get(name) !== 'timespan') continue;
    const values = data.get(name)!;
    for (let i = 0; i < length; i++) {
      const ticks = values[i];
      if (typeof ticks === 'bigint') values[i] = new TickValue('timespan', ticks);
    }
  }
  return data;
}

/** The row groups as column blocks; a row group that cannot be decoded is a bad item naming its rows. */
async function* rowGroupBlocks(file: OpenedFile, columns: string[]): AsyncGenerator<ColumnBlock | Extract<RawItem, { kind: 'bad' }>> {
  let start = 0;
  for (const group of file.metadata.row_groups) {
    const end = start + Number(group.num_rows);
    try {
      // With no column needed (`T | count`) only the row count matters: nothing is decoded.
      yield { kind: 'columns', line: start + 1, length: end - start, columns: await readColumns(file, columns, start, end) };
    } catch (error) {
      yield { kind: 'bad', line: start + 1, reason: `rows ${start + 1}-${end} unreadable (a damaged row group): ${(error as Error).message}` };
    }
    start = end;
  }
}

/** The row groups as records, one per row. */
async function* rowGroupItems(file: OpenedFile, columns: string[]): AsyncGenerator<RawItem> {
  for await (const block of rowGroupBlocks(file, columns)) {
    if (block.kind === 'bad') {
      yield block;
      continue;
    }
    for (let i = 0; i < block.length; i++) {
      const record: RawRecord = {};
      for (const [name, values] of block.columns) record[name] = values[i];
      yield { kind: 'record', line: block.line + i, record };
    }
  }
}

async function* badFile(reason: string): AsyncGenerator<RawItem> {
  yield { kind: 'bad', line: 1, reason };
}

/**
 * A Parquet file as a record stream. Its column types are declared (so no sampling is needed);
 * columns the table's schema lacks are named in a warning and not read. `line` is the 1-based row number.
 */
export async function parquetStream(path: string, hooks: ReaderHooks, scan: ScanRequest = {}): Promise<RecordStream> {
  const file = await openParquet(path);
  if (typeof file === 'string') return { textual: false, declaredTypes: new Map(), declaresAllColumns: true, items: badFile(file) };
  if (scan.schema) {
    const known = new Set(scan.schema.map((c) => c.name));
    for (const name of file.columns.keys()) {
      if (!known.has(name)) hooks.warn(`${path}: column "${name}" is not in the table's schema, fixed from its first files; its values are ignored`);
    }
  }
  return {
    textual: false,
    declaredTypes: file.columns,
    declaresAllColumns: true,
    onlyTableColumns: scan.schema !== undefined,
    items: rowGroupItems(file, columnsToRead(file.columns, scan)),
    blocks: rowGroupBlocks(file, columnsToRead(file.columns, scan)),
  };
}
