import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BATCH_SIZE, constantColumn, gather, isUniformColumn, selectRows } from './batch.js';
import type { Schema } from './types.js';

describe('constant columns and row selection', () => {
  test('constant columns hold the value; common fillers up to a batch long are shared', () => {
    const a = constantColumn('', 5);
    assert.deepEqual(a, ['', '', '', '', '']);
    assert.equal(constantColumn('', 5), a);
    assert.ok(isUniformColumn(a));
    assert.notEqual(constantColumn('x', 3), constantColumn('x', 3), 'other values are not shared');
    assert.deepEqual(constantColumn(7, 2), [7, 7]);
    const long = constantColumn(null, BATCH_SIZE + 1);
    assert.equal(long.length, BATCH_SIZE + 1);
    assert.notEqual(constantColumn(null, BATCH_SIZE + 1), long, 'longer than a batch: not kept');
  });

  test('gather picks rows in the order given; from a uniform column it gives a uniform column', () => {
    assert.deepEqual(gather(['a', 'b', 'c', 'd'], [3, 0, 2]), ['d', 'a', 'c']);
    assert.deepEqual(gather(['a'], []), []);
    const uniform = constantColumn(true, 10);
    const picked = gather(uniform, [1, 4, 9]);
    assert.deepEqual(picked, [true, true, true]);
    assert.ok(isUniformColumn(picked));
    assert.ok(!isUniformColumn(['a', 'a']));
  });

  test('selectRows keeps the schema and selects every column', () => {
    const schema: Schema = [{ name: 'x', type: 'long' }, { name: 's', type: 'string' }];
    const batch = { schema, columns: [[1, 2, 3], constantColumn('', 3)], length: 3 };
    const selected = selectRows(batch, [2, 0]);
    assert.equal(selected.schema, schema);
    assert.equal(selected.length, 2);
    assert.deepEqual(selected.columns, [[3, 1], ['', '']]);
  });
});
