/**
 * Batch evaluation of the calls that read only some of their arguments per row: and / or,
 * coalesce, iff. Results must equal the row-by-row kernel's; arguments a row does not need must
 * not be evaluated for it (assert() shows which rows an argument ran on).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { executeQuery, type TableSource } from '../index.js';
import type { Schema, Value } from '../values/types.js';

const SCHEMA: Schema = [
  { name: 'x', type: 'long' },
  { name: 's', type: 'string' },
  { name: 'b', type: 'bool' },
  { name: 'd', type: 'dynamic' },
];
const ROWS: Value[][] = [
  [1, 'a', true, true],
  [-2, '', false, false],
  [null, 'c', null, null],
  [4, '', true, 'x'],
  [0, 'e', false, true],
  [null, '', null, false],
];

const tables: TableSource = {
  tableSchema: (name) => (name === 'T' ? SCHEMA : undefined),
  tableNames: () => ['T'],
  async *scan() {
    yield { schema: SCHEMA, columns: SCHEMA.map((_, c) => ROWS.map((r) => r[c]!)), length: ROWS.length };
  },
};

const column = async (kql: string) => (await executeQuery(kql, { tables, now: 0n })).rows.map((r) => r[r.length - 1]);

describe('and / or evaluate the right operand only where the left one does not decide', () => {
  test('three-valued results over every combination, bool and dynamic operands', async () => {
    assert.deepEqual(await column('T | extend r = b and x > 0'), [true, false, null, true, false, null]);
    assert.deepEqual(await column('T | extend r = b or x > 0'), [true, false, null, true, false, null]);
    assert.deepEqual(await column('T | extend r = x > 0 or b'), [true, false, null, true, false, null]);
    assert.deepEqual(await column('T | extend r = d and b'), [true, false, null, null, false, false]);
    assert.deepEqual(await column('T | extend r = d or isnull(x)'), [true, false, true, null, true, true]);
  });

  test('the right operand never runs on decided rows', async () => {
    // null is not decisive for `and`: null rows are decided by the isnotnull test here.
    assert.deepEqual(await column('T | extend r = isnotnull(x) and x > 0 and assert(x > 0, "right side of and ran on a decided row")'), [true, false, false, true, false, false]);
    assert.deepEqual(await column('T | extend r = isnull(x) or assert(isnotnull(x), "right side of or ran on a decided row")'), [true, true, true, true, true, true]);
  });

  test('in a where, after another where (evaluated on a selection of the batch)', async () => {
    assert.deepEqual(await column('T | where isnotempty(s) | where x > 0 or b | project x'), [1]);
    assert.deepEqual(await column('T | where isnotempty(s) and (x > 0 or isnull(b)) | project s'), ['a', 'c']);
  });
});

describe('coalesce and iff evaluate each argument only where it is needed', () => {
  test('coalesce: first value that is neither null nor empty, later arguments only where needed', async () => {
    assert.deepEqual(await column('T | extend r = coalesce(s, tostring(x), "none")'), ['a', '-2', 'c', '4', 'e', 'none']);
    assert.deepEqual(await column('T | extend r = coalesce(x, 7)'), [1, -2, 7, 4, 0, 7]);
    assert.deepEqual(
      await column('T | extend r = coalesce(s, iff(assert(isempty(s), "second argument ran where the first decided"), "second", ""))'),
      ['a', 'second', 'c', 'second', 'e', 'second'],
    );
  });

  test('iff: then where the condition is true, else where it is false or null', async () => {
    assert.deepEqual(await column('T | extend r = iff(b, x, -1)'), [1, -1, -1, 4, -1, -1]);
    assert.deepEqual(await column('T | extend r = iff(b, "t", s)'), ['t', '', 'c', 't', 'e', '']);
    assert.deepEqual(await column('T | extend r = iff(b, assert(b, "then branch ran on a false row"), isnull(assert(b != true, "else branch ran on a true row")))'), [true, false, false, true, false, false]);
  });

  test('case: the first true predicate\'s value; later predicates and values only where needed', async () => {
    assert.deepEqual(await column('T | extend r = case(x > 0, "pos", x < 0, "neg", isnull(x), "null", "zero")'), ['pos', 'neg', 'null', 'pos', 'zero', 'null']);
    assert.deepEqual(await column('T | extend r = case(b, 1, isnotempty(s), 2, 3)'), [1, 3, 2, 1, 2, 3]);
    assert.deepEqual(
      await column(`T | extend r = case(
        x > 0, assert(x > 0, "first value ran where its predicate was not true"),
        assert(isnull(x) or x <= 0, "second predicate ran where the first was true") and isnull(x), false,
        isnull(assert(isnotnull(x) and x <= 0, "else ran where a predicate was true")))`),
      [true, false, false, true, false, false],
    );
  });

  test('under a selection (after a where)', async () => {
    assert.deepEqual(await column('T | where isnotnull(x) | extend r = iff(x > 0, s, coalesce(s, "empty"))'), ['a', 'empty', '', 'e']);
  });
});
