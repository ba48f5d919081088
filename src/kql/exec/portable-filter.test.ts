import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTINS } from '../functions/builtins.js';
import type { BoundExpr } from '../semantics/bound.js';
import type { Batch } from '../values/batch.js';
import { compileExpr } from './expressions.js';
import { compilePortableFilter, portableFilter } from './portable-filter.js';

const SPAN = { start: 0, end: 1 };
const NOW = 1_000_000_000n;

function call(registry: 'scalar' | 'operator', name: string, args: BoundExpr[], type: BoundExpr['type'] = 'bool'): BoundExpr {
  const fn = registry === 'scalar' ? BUILTINS.scalar(name) : BUILTINS.operator(name);
  assert.ok(fn, `${registry} ${name} exists`);
  return { kind: 'Call', fn, args, type, span: SPAN };
}

const NAME: BoundExpr = { kind: 'Column', index: 0, name: 'Name', type: 'string' };
const SIZE: BoundExpr = { kind: 'Column', index: 1, name: 'Size', type: 'long' };
const BATCH: Batch = {
  schema: [{ name: 'Name', type: 'string' }, { name: 'Size', type: 'long' }],
  columns: [['a.zip', 'B.ZIP', 'c.txt', ''], [10, 200, null, 5]],
  length: 4,
};

test('portable predicates, compiled again, give what the original compiles to', async () => {
  const predicates: BoundExpr[] = [
    call('operator', 'and', [
      call('operator', 'endswith', [NAME, { kind: 'Constant', value: '.zip', type: 'string' }]),
      call('operator', '>', [SIZE, { kind: 'Constant', value: 50, type: 'long' }]),
    ]),
    call('operator', 'in', [call('scalar', 'tolower', [NAME], 'string'), { kind: 'Constant', value: 'b.zip', type: 'string' }]),
  ];
  const portable = portableFilter(predicates, NOW);
  assert.ok(portable);
  // It survives a structured clone, as it must to reach a worker thread.
  const compiled = await compilePortableFilter(structuredClone(portable));
  for (let i = 0; i < predicates.length; i++) {
    const original = await compileExpr(predicates[i]!, { now: NOW }, () => Promise.resolve(null));
    assert.deepEqual(compiled[i]!(BATCH), original(BATCH));
  }
});

test('sub-queries and non-deterministic functions keep a filter on its thread', () => {
  const subquery: BoundExpr = { kind: 'Subquery', plan: { kind: 'Values' } as never, mode: 'scalar', type: 'long' };
  assert.equal(portableFilter([call('operator', '>', [SIZE, subquery])], NOW), undefined);
  const rand = call('scalar', 'rand', [], 'real');
  assert.equal(portableFilter([call('operator', '<', [rand, { kind: 'Constant', value: 0.5, type: 'real' }])], NOW), undefined);
});

test('a call to a function outside the registry is not portable', () => {
  const custom = { ...BUILTINS.scalar('tolower')! };
  const expr: BoundExpr = { kind: 'Call', fn: custom, args: [NAME], type: 'string', span: SPAN };
  assert.equal(portableFilter([call('operator', '==', [expr, { kind: 'Constant', value: 'x', type: 'string' }])], NOW), undefined);
});
