/**
 * RecordTyper types a block given column by column (Parquet row groups) exactly as it types each
 * record on its own: same rows, same rejections with the same words, same time fallbacks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ColumnBlock } from './formats.js';
import { builtinSchema } from './schemas.js';
import { RecordTyper } from './table-source.js';

test('typeColumns agrees with type record by record', () => {
  const schema = builtinSchema('DeviceFileEvents')!;
  const typer = new RecordTyper('DeviceFileEvents', schema);
  const records: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 300; i++) {
    records.push({
      Timestamp: i % 7 === 0 ? null : i % 11 === 0 ? 'not a time' : `2026-11-27T10:00:${String(i % 60).padStart(2, '0')}Z`,
      TimeGenerated: i % 5 === 0 ? `2026-11-27T11:00:00Z` : null,
      FileSize: i % 13 === 0 ? 'big' : i % 3 === 0 ? null : i * 10,
      FileName: i % 4 === 0 ? null : `f${i}.zip`,
      DeviceName: `h${i % 9}`,
      ...(i % 17 === 0 ? { InitiatingProcessId: 'x' } : {}),
    });
  }
  const names = ['Timestamp', 'TimeGenerated', 'FileSize', 'FileName', 'DeviceName', 'InitiatingProcessId'];
  const block: ColumnBlock = { kind: 'columns', line: 1, length: records.length, columns: new Map(names.map((n) => [n, records.map((r) => r[n])])) };
  const expected = records.map((r) => typer.type(r));
  const got: Array<unknown[] | string> = new Array(records.length);
  // In two slices, as a scan types a large row group a batch at a time.
  for (const [from, length] of [[0, 120], [120, 180]] as const) {
    let next = from;
    typer.typeColumns(block, from, length, typer.newRow(),
      (values) => {
        while (got[next] !== undefined) next++;
        got[next++] = values.slice();
      },
      (index, reason) => (got[from + index] = reason));
  }
  assert.deepEqual(got, expected);
  assert.ok(expected.some((e) => typeof e === 'string'), 'some records are refused');
  assert.ok(expected.some((e) => Array.isArray(e) && e[schema.findIndex((c) => c.name === 'Timestamp')] !== null), 'some are typed');
});
