/** Parquet: typed writing, reading typed by schema, column pruning, files from other writers, damage. */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import type { Schema, Value } from '../kql/values/types.js';
import { openCatalog, type RejectedRecord } from './catalog.js';
import { parquetStream } from './parquet-reader.js';
import { ParquetTableWriter } from './parquet-writer.js';
import { builtinSchema } from './schemas.js';

const root = mkdtempSync(join(tmpdir(), 'stagehunt-parquet-'));
let folders = 0;

function newFolder(): string {
  const dir = join(root, String(++folders));
  mkdirSync(dir);
  return dir;
}

/** 100 ns ticks of an ISO instant plus extra ticks, worked out without the code under test. */
function ticks(iso: string, extra = 0n): bigint {
  return BigInt(Date.parse(iso)) * 10_000n + extra;
}

interface Loaded {
  rows: Array<Record<string, Value>>;
  schema: Schema;
  rejected: RejectedRecord[];
  warnings: string[];
}

/** Reads `table` from `dir` as --data does, keeping the named columns (all when absent). */
async function load(dir: string, table: string, columns?: string[]): Promise<Loaded> {
  const rejected: RejectedRecord[] = [];
  const warnings: string[] = [];
  const catalog = await openCatalog([dir], { onReject: (r) => rejected.push(r), onWarning: (w) => warnings.push(w) });
  const source = catalog.table(table)!;
  const names = columns ?? source.schema.map((c) => c.name);
  const rows: Array<Record<string, Value>> = [];
  for await (const batch of source.scan(columns)) {
    for (let r = 0; r < batch.length; r++) {
      rows.push(Object.fromEntries(names.map((name) => [name, batch.columns[source.schema.findIndex((c) => c.name === name)]![r]!])));
    }
  }
  return { rows, schema: source.schema, rejected, warnings };
}

const EVERY_TYPE: Schema = [
  { name: 'When', type: 'datetime' }, { name: 'Span', type: 'timespan' }, { name: 'Id', type: 'guid' },
  { name: 'Count', type: 'int' }, { name: 'Big', type: 'long' }, { name: 'Ratio', type: 'real' },
  { name: 'Price', type: 'decimal' }, { name: 'Flag', type: 'bool' }, { name: 'Bag', type: 'dynamic' },
  { name: 'Text', type: 'string' },
];

describe('Parquet written by ingest, read by --data', () => {
  test('every Kusto type round-trips exactly, 7-digit datetimes included; the Kusto types are recorded', async () => {
    const dir = newFolder();
    const writer = new ParquetTableWriter(join(dir, 'Custom.parquet'), 'Custom', { baseSchema: EVERY_TYPE });
    writer.add({
      When: '2024-03-01T10:00:00.1234567Z', Span: '1.02:03:04.5', Id: '{AAAAAAAA-0000-4000-8000-00000000000F}', Count: -7,
      Big: 9007199254740991, Ratio: 2.5, Price: '0.1', Flag: false, Bag: { a: [1, 'x'] }, Text: 'héllo',
    }, 'input', 1);
    writer.add({ Bag: 'plain text', Text: '' }, 'input', 2);
    assert.deepEqual(writer.close(), { rows: 2, rejected: 0, valuesOutOfRange: 0 });
    const { rows, schema, rejected } = await load(dir, 'Custom');
    assert.deepEqual(schema, EVERY_TYPE);
    assert.deepEqual(rejected, []);
    assert.deepEqual(rows, [
      {
        When: ticks('2024-03-01T10:00:00.123Z', 4567n), Span: ((86_400n + 2n * 3600n + 3n * 60n + 4n) * 10n + 5n) * 1_000_000n,
        Id: 'aaaaaaaa-0000-4000-8000-00000000000f', Count: -7, Big: 9007199254740991, Ratio: 2.5, Price: 0.1, Flag: false,
        Bag: { a: [1, 'x'] }, Text: 'héllo',
      },
      // A dynamic string stays a string (its JSON text is "plain text" in quotes); absent values read as null / "".
      { When: null, Span: null, Id: null, Count: null, Big: null, Ratio: null, Price: null, Flag: null, Bag: 'plain text', Text: '' },
    ]);
  });

  test('rows that do not fit the schema are rejected with their source, not written; datetimes beyond 2262 become null', async () => {
    const dir = newFolder();
    const rejections: string[] = [];
    const writer = new ParquetTableWriter(join(dir, 'DeviceFileEvents.parquet'), 'DeviceFileEvents', {
      onReject: (source, line, reason) => rejections.push(`${source}:${line}: ${reason}`),
    });
    writer.add({ Timestamp: '2024-03-01T10:00:00Z', FileName: 'kept.zip', FileSize: 10 }, 'a.xml', 1);
    writer.add({ Timestamp: '2024-03-01T10:00:00Z', FileName: 'bad.zip', FileSize: 'ten' }, 'a.xml', 2);
    writer.add({ Timestamp: '2300-01-01T00:00:00Z', FileName: 'far.zip' }, 'a.xml', 3);
    // Out of range twice: Timestamp, and TimeGenerated, which takes the Timestamp when a row lacks it.
    assert.deepEqual(writer.close(), { rows: 2, rejected: 1, valuesOutOfRange: 2 });
    assert.deepEqual(rejections, ['a.xml:2: column FileSize (long): "ten" is not a long']);
    const { rows } = await load(dir, 'DeviceFileEvents', ['Timestamp', 'FileName', 'FileSize']);
    assert.deepEqual(rows, [
      { Timestamp: ticks('2024-03-01T10:00:00Z'), FileName: 'kept.zip', FileSize: 10 },
      { Timestamp: null, FileName: 'far.zip', FileSize: null },
    ]);
  });

  test('many row groups stream in order; a table given no rows is a valid empty file', async () => {
    const dir = newFolder();
    const writer = new ParquetTableWriter(join(dir, 'DeviceProcessEvents.parquet'), 'DeviceProcessEvents', { rowGroupRows: 3 });
    for (let i = 1; i <= 8; i++) writer.add({ Timestamp: `2024-03-01T10:00:0${i}Z`, ProcessId: i }, 'in', i);
    writer.close();
    new ParquetTableWriter(join(dir, 'DeviceFileEvents.parquet'), 'DeviceFileEvents').close();
    const metadata = parquetMetadata(toArrayBuffer(readFileSync(join(dir, 'DeviceProcessEvents.parquet'))));
    assert.deepEqual(metadata.row_groups.map((g) => Number(g.num_rows)), [3, 3, 2]);
    const { rows } = await load(dir, 'DeviceProcessEvents', ['ProcessId']);
    assert.deepEqual(rows.map((r) => r['ProcessId']), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual((await load(dir, 'DeviceFileEvents')).rows, []);
  });
});

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function recordsOf(stream: Awaited<ReturnType<typeof parquetStream>>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const item of stream.items) out.push(item.kind === 'record' ? item.record : item);
  return out;
}

describe('column pruning', () => {
  const fileSchema = builtinSchema('DeviceFileEvents')!;

  function writeFileEvents(dir: string): void {
    const writer = new ParquetTableWriter(join(dir, 'DeviceFileEvents.parquet'), 'DeviceFileEvents');
    writer.add({ Timestamp: '2024-03-01T10:00:00Z', FileName: 'a.zip', FolderPath: 'C:\\Temp\\a.zip', FileSize: 5 }, 'in', 1);
    writer.close();
  }

  test('only the columns a scan needs are decoded', async () => {
    const dir = newFolder();
    writeFileEvents(dir);
    const stream = await parquetStream(join(dir, 'DeviceFileEvents.parquet'), { warn: () => {} }, { columns: ['FileName'], schema: fileSchema });
    assert.deepEqual(await recordsOf(stream), [{ FileName: 'a.zip' }]);
  });

  test('a needed Timestamp also reads TimeGenerated, which stands in for it in Sentinel exports', async () => {
    const dir = newFolder();
    parquetWriteFile({
      filename: join(dir, 'DeviceFileEvents.parquet'),
      columnData: [
        { name: 'TimeGenerated', data: [1709287200123456n] },
        { name: 'FileName', data: ['b.zip'] },
      ],
      schema: [
        { name: 'root', num_children: 2 },
        { name: 'TimeGenerated', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
        { name: 'FileName', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ],
    });
    const { rows } = await load(dir, 'DeviceFileEvents', ['Timestamp']);
    assert.deepEqual(rows, [{ Timestamp: ticks('2024-03-01T10:00:00.123Z', 4560n) }]);
  });

  test('a column that may not fit its type is always read, so rejections do not depend on the query', async () => {
    const dir = newFolder();
    parquetWriteFile({
      filename: join(dir, 'DeviceFileEvents.parquet'),
      columnData: [
        { name: 'Timestamp', data: ['2024-03-01T10:00:00Z', 'yesterday'], type: 'STRING' },
        { name: 'FileName', data: ['good.zip', 'bad.zip'], type: 'STRING' },
      ],
    });
    const stream = await parquetStream(join(dir, 'DeviceFileEvents.parquet'), { warn: () => {} }, { columns: ['FileName'], schema: fileSchema });
    assert.deepEqual(await recordsOf(stream), [
      { Timestamp: '2024-03-01T10:00:00Z', FileName: 'good.zip' }, { Timestamp: 'yesterday', FileName: 'bad.zip' },
    ]);
    const { rows, rejected } = await load(dir, 'DeviceFileEvents', ['FileName']);
    assert.deepEqual(rows, [{ FileName: 'good.zip' }]);
    assert.deepEqual(rejected.map((r) => [r.line, r.reason]), [[2, 'column Timestamp (datetime): "yesterday" is not a datetime']]);
  });

  test('a scan needing no column (T | count) decodes nothing but counts every row', async () => {
    const dir = newFolder();
    writeFileEvents(dir);
    const stream = await parquetStream(join(dir, 'DeviceFileEvents.parquet'), { warn: () => {} }, { columns: [], schema: fileSchema });
    assert.deepEqual(await recordsOf(stream), [{}]);
  });
});

describe('Parquet from other writers', () => {
  test('Parquet types map to Kusto types: timestamps of every unit to exact ticks, UUID, DATE, lists, JSON', async () => {
    const dir = newFolder();
    const uuid = new Uint8Array([0xaa, 0xbb, 0xcc, 0xdd, 0, 1, 0x40, 2, 0x80, 3, 0, 0, 0, 0, 0, 0x0f]);
    parquetWriteFile({
      filename: join(dir, 'Imported.parquet'),
      columnData: [
        { name: 'Millis', data: [1709287200123n] }, { name: 'Micros', data: [1709287200123456n] },
        { name: 'Nanos', data: [1709287200123456789n] }, { name: 'BeforeEpoch', data: [-150n] },
        { name: 'Day', data: [19783] }, { name: 'Id', data: [uuid] }, { name: 'Small', data: [-3] },
        { name: 'Single', data: [0.5] }, { name: 'Flag', data: [true] }, { name: 'Tags', data: [['x', 'y']] },
        { name: 'Doc', data: [{ k: 'v' }] }, { name: 'Name', data: ['n'] },
      ],
      schema: [
        { name: 'root', num_children: 12 },
        { name: 'Millis', type: 'INT64', repetition_type: 'OPTIONAL', converted_type: 'TIMESTAMP_MILLIS' },
        { name: 'Micros', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
        { name: 'Nanos', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } },
        { name: 'BeforeEpoch', type: 'INT64', repetition_type: 'OPTIONAL', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } },
        { name: 'Day', type: 'INT32', repetition_type: 'OPTIONAL', converted_type: 'DATE' },
        { name: 'Id', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, repetition_type: 'OPTIONAL', logical_type: { type: 'UUID' } },
        { name: 'Small', type: 'INT32', repetition_type: 'OPTIONAL' },
        { name: 'Single', type: 'FLOAT', repetition_type: 'OPTIONAL' },
        { name: 'Flag', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
        { name: 'Tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'Doc', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'JSON' },
        { name: 'Name', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL', converted_type: 'UTF8' },
      ],
    });
    const { rows, schema, rejected } = await load(dir, 'Imported');
    assert.deepEqual(rejected, []);
    assert.deepEqual(schema.map((c) => `${c.name}:${c.type}`), [
      'Millis:datetime', 'Micros:datetime', 'Nanos:datetime', 'BeforeEpoch:datetime', 'Day:datetime', 'Id:guid',
      'Small:int', 'Single:real', 'Flag:bool', 'Tags:dynamic', 'Doc:dynamic', 'Name:string',
    ]);
    assert.deepEqual(rows, [{
      Millis: ticks('2024-03-01T10:00:00.123Z'), Micros: ticks('2024-03-01T10:00:00.123Z', 4560n),
      // Nanoseconds finer than a tick are cut toward the past: …123456789 ns → …1234567 ticks; -150 ns → -2 ticks.
      Nanos: ticks('2024-03-01T10:00:00.123Z', 4567n), BeforeEpoch: -2n, Day: ticks('2024-03-01T00:00:00Z'),
      Id: 'aabbccdd-0001-4002-8003-00000000000f', Small: -3, Single: 0.5, Flag: true, Tags: ['x', 'y'], Doc: { k: 'v' }, Name: 'n',
    }]);
  });

  test('GZIP-compressed pages are read (node zlib), as SNAPPY ones are', async () => {
    const dir = newFolder();
    parquetWriteFile({
      filename: join(dir, 'Zipped.parquet'),
      columnData: [{ name: 'Name', data: ['a', 'b'] }, { name: 'N', data: [1, 2], type: 'INT32' }],
      codec: 'GZIP',
      compressors: { GZIP: (input) => new Uint8Array(gzipSync(input)) },
    });
    const metadata = parquetMetadata(toArrayBuffer(readFileSync(join(dir, 'Zipped.parquet'))));
    assert.equal(metadata.row_groups[0]!.columns[0]!.meta_data!.codec, 'GZIP');
    assert.deepEqual((await load(dir, 'Zipped')).rows, [{ Name: 'a', N: 1 }, { Name: 'b', N: 2 }]);
  });

  test('a column the schema lacks (first seen after the sampled records) is named in a warning and not read', async () => {
    const dir = newFolder();
    mkdirSync(join(dir, 'DeviceFileEvents'));
    parquetWriteFile({ filename: join(dir, 'DeviceFileEvents', 'part.parquet'), columnData: [{ name: 'FileName', data: ['x'] }] });
    // The schema is fixed from the first SAMPLE_RECORDS (1000) records, all in a.ndjson.
    writeFileSync(join(dir, 'DeviceFileEvents', 'a.ndjson'), '{"FileName":"first"}\n'.repeat(1000));
    const later = new ParquetTableWriter(join(dir, 'DeviceFileEvents', 'z.parquet'), 'DeviceFileEvents', {
      baseSchema: [{ name: 'FileName', type: 'string' }, { name: 'Surprise', type: 'long' }],
    });
    later.add({ FileName: 'late', Surprise: 1 }, 'in', 1);
    later.close();
    const { rows, warnings } = await load(dir, 'DeviceFileEvents', ['FileName']);
    assert.deepEqual(rows.map((r) => r['FileName']), [...Array(1000).fill('first'), 'x', 'late']);
    assert.deepEqual(warnings, [`${join(dir, 'DeviceFileEvents', 'z.parquet')}: column "Surprise" is not in the table's schema, fixed from its first files; its values are ignored`]);
  });
});

describe('damaged Parquet', () => {
  test('a file that is not Parquet, or is gzipped, is one rejection saying so', async () => {
    const dir = newFolder();
    writeFileSync(join(dir, 'DeviceFileEvents.parquet'), 'PAR1 but nothing else');
    const plain = join(newFolder(), 'DeviceFileEvents.parquet');
    const writer = new ParquetTableWriter(plain, 'DeviceFileEvents');
    writer.add({ FileName: 'x' }, 'in', 1);
    writer.close();
    writeFileSync(join(dir, 'DeviceProcessEvents.parquet.gz'), gzipSync(readFileSync(plain)));
    const files = await load(dir, 'DeviceFileEvents');
    assert.deepEqual(files.rows, []);
    assert.equal(files.rejected.length, 1);
    assert.match(files.rejected[0]!.reason, /^not a readable Parquet file: /);
    const processes = await load(dir, 'DeviceProcessEvents');
    assert.deepEqual(processes.rejected.map((r) => r.reason), ['a gzip-compressed Parquet file: decompress it first (Parquet compresses its pages itself)']);
  });

  test('a damaged row group is rejected as a whole, naming its rows; the others are read', async () => {
    const dir = newFolder();
    const path = join(dir, 'DeviceFileEvents.parquet');
    const writer = new ParquetTableWriter(path, 'DeviceFileEvents', { rowGroupRows: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) writer.add({ FileName: `${name}.zip` }, 'in', 1);
    writer.close();
    const bytes = readFileSync(path);
    const metadata = parquetMetadata(toArrayBuffer(bytes));
    const fileNameChunk = metadata.row_groups[1]!.columns.find((c) => c.meta_data!.path_in_schema[0] === 'FileName')!;
    const start = Number(fileNameChunk.meta_data!.data_page_offset);
    bytes.fill(0xff, start, start + Number(fileNameChunk.meta_data!.total_compressed_size));
    writeFileSync(path, bytes);
    const { rows, rejected } = await load(dir, 'DeviceFileEvents', ['FileName']);
    assert.deepEqual(rows.map((r) => r['FileName']), ['a.zip', 'b.zip', 'e.zip']);
    assert.equal(rejected.length, 1);
    assert.equal(rejected[0]!.line, 3);
    assert.match(rejected[0]!.reason, /^rows 3-4 unreadable \(a damaged row group\): /);
  });
});
