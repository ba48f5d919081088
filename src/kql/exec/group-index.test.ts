/**
 * GroupIndex (dictionary codes packed per row) must group exactly as groupKey (one text key per
 * row) does: same groups, numbered in order of first appearance.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupIndex } from './group-index.js';
import { groupKey } from './grouping.js';
import type { ScalarType, Value } from '../values/types.js';

/** Group numbers by the reference rule: one groupKey text per row. */
function referenceGroups(columns: Value[][], length: number): number[] {
  const ids = new Map<string, number>();
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const key = groupKey(columns.map((c) => c[i]!));
    if (!ids.has(key)) ids.set(key, ids.size);
    out.push(ids.get(key)!);
  }
  return out;
}

function check(types: ScalarType[], batches: Value[][][]): void {
  const index = new GroupIndex(types);
  const all: Value[][] = types.map(() => []);
  const got: number[] = [];
  for (const columns of batches) {
    const length = columns[0]!.length;
    got.push(...index.groupsOf(columns, length));
    columns.forEach((c, k) => all[k]!.push(...c));
  }
  const expected = referenceGroups(all, all[0]!.length);
  assert.deepEqual(got, expected);
  assert.equal(index.size, new Set(expected).size);
}

describe('GroupIndex groups as groupKey does', () => {
  test('one key: null is not "", -0 is 0, NaNs are one group, 1 and 1n differ', () => {
    check(['string'], [[['a', '', null, 'a', '', 'b', null, undefined as unknown as Value]]]);
    check(['real'], [[[0, -0, NaN, NaN, 1.5, null, 1.5, Infinity, -Infinity]]]);
    check(['long'], [[[1, 1n, 1, 2n, 2n, null, 0]]]);
    check(['bool'], [[[true, false, null, true]]]);
  });

  test('dynamic keys by canonical text: equal arrays and bags (any key order) group together', () => {
    check(['dynamic'], [[[[1, 2], [1, 2], { a: 1, b: 2 }, { b: 2, a: 1 }, '1', 1, null, [2, 1], 's1:x', 'x']]]);
  });

  test('several keys, across batches; no separator can be forged by the data', () => {
    check(['string', 'string'], [
      [['a', 'ab', 'a', '', 'x'], ['bc', 'c', 'bc', 'abc', '']],
      [['ab', 'a', 'abc', 'x', ''], ['c', 'bc', '', '', 'abc']],
    ]);
    check(['string', 'long', 'dynamic'], [[
      ['a', 'a', 'a', 'b', 'a'],
      [1, 1, 2, 1, 1],
      [[1], [1], [1], [1], { k: [1] }],
    ]]);
  });

  test('many distinct values (codes past 16 bits pack into two units)', () => {
    const n = 70_000;
    const a = Array.from({ length: n }, (_, i) => `v${i}`);
    const b = Array.from({ length: n }, (_, i) => i % 3);
    check(['string', 'long'], [[a, b], [a.slice().reverse(), b]]);
  });

  test('many groups over several batches: the slot table grows and every group is found again', () => {
    let seed = 7;
    const next = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const batches: Value[][][] = [];
    for (let b = 0; b < 5; b++) {
      const length = 8000;
      batches.push([
        Array.from({ length }, () => `h${next(300)}`),
        Array.from({ length }, () => next(40)),
        Array.from({ length }, () => (next(10) === 0 ? null : `p${next(50)}`)),
      ]);
    }
    check(['string', 'long', 'string'], batches);
  });

  test('keyValue gives the first value seen for a key, shared by every group with it', () => {
    const index = new GroupIndex(['string', 'dynamic']);
    const first = ['x'.repeat(3), 'x'.repeat(3)];
    index.groupsOf([first, [[1], { a: 1 }]], 2);
    assert.equal(index.keyValue(0, 1), 'xxx');
    assert.deepEqual(index.keyValue(1, 1), { a: 1 });
    index.groupsOf([['xxx', 'yyy'], [[1], null]], 2);
    assert.deepEqual(index.keyValue(1, 0), [1]);
    assert.equal(index.keyValue(0, 1), 'yyy');
    assert.equal(index.keyValue(1, 1), null);
  });

  test('needs at least one key column', () => {
    assert.throws(() => new GroupIndex([]), /at least one key column/);
  });
});
