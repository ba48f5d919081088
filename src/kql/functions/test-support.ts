/**
 * Helpers for the function tests: bind, prepare and run registry entries the way the binder and
 * executor do. Every call is evaluated twice — once with all arguments marked constant (exercising
 * the precomputed paths in `prepare`) and once with none — and both results must agree.
 */
import assert from 'node:assert/strict';
import type { AggregateFunction, ArgInfo, BindResult, EvalContext, ScalarFunction } from './registry.js';
import type { ScalarType, Value } from '../values/types.js';
import { BUILTINS } from './builtins.js';

/** A typed argument: `[value, type]`. */
export type Typed = [Value, ScalarType];

export const TEST_NOW: EvalContext = { now: 17958600000000000n }; // 2026-11-28T10:00:00Z

function lookup(kind: 'scalar' | 'operator', name: string): ScalarFunction {
  const fn = kind === 'scalar' ? BUILTINS.scalar(name) : BUILTINS.operator(name);
  assert.ok(fn, `${kind} ${name} is registered`);
  return fn;
}

function infos(args: Typed[], constant: boolean): ArgInfo[] {
  return args.map(([value, type]) => (constant ? { type, constant: { value } } : { type }));
}

function run(fn: ScalarFunction, args: Typed[], constant: boolean, ctx: EvalContext): Value {
  const kernel = fn.prepare(infos(args, constant), ctx);
  return kernel(args.map(([v]) => v));
}

function evaluate(kind: 'scalar' | 'operator', name: string, args: Typed[], ctx: EvalContext): Value {
  const fn = lookup(kind, name);
  const bound = fn.bind(infos(args, true));
  assert.ok(!('error' in bound), `${name} binds: ${'error' in bound ? bound.error : ''}`);
  const withConstants = run(fn, args, true, ctx);
  // Some arguments must be constants (trim's regex); only compare when per-row arguments bind too.
  if ('error' in fn.bind(infos(args, false))) return withConstants;
  const withoutConstants = run(fn, args, false, ctx);
  assert.deepEqual(withConstants, withoutConstants, `${name}: constant and per-row evaluation agree`);
  return withConstants;
}

export function callScalar(name: string, args: Typed[], ctx: EvalContext = TEST_NOW): Value {
  return evaluate('scalar', name, args, ctx);
}

export function callOperator(name: string, args: Typed[], ctx: EvalContext = TEST_NOW): Value {
  return evaluate('operator', name, args, ctx);
}

export function bindScalar(name: string, types: ScalarType[]): BindResult {
  return lookup('scalar', name).bind(types.map((type) => ({ type })));
}

export function bindOperator(name: string, types: ScalarType[]): BindResult {
  return lookup('operator', name).bind(types.map((type) => ({ type })));
}

/** The bound result type (failing the test when binding fails). */
export function resultType(bound: BindResult): ScalarType {
  assert.ok(!('error' in bound), `binds: ${'error' in bound ? bound.error : ''}`);
  return (bound as { type: ScalarType }).type;
}

export function bindError(bound: BindResult): string {
  assert.ok('error' in bound, 'binding fails');
  return (bound as { error: string }).error;
}

export function aggregateEntry(name: string): AggregateFunction {
  const agg = BUILTINS.aggregate(name);
  assert.ok(agg, `aggregate ${name} is registered`);
  return agg;
}

/**
 * Runs an aggregate over rows (each row = the argument values). Also checks `merge`: the rows are
 * split in two partial states which, merged, must give the same result.
 */
export function aggregate(name: string, args: ArgInfo[], rows: Value[][]): Value | Value[] {
  const agg = aggregateEntry(name);
  const bound = agg.bind(args);
  assert.ok(!('error' in bound), `${name} binds: ${'error' in bound ? bound.error : ''}`);
  const single = agg.create(args, TEST_NOW);
  let state = single.init();
  for (const row of rows) state = single.step(state, row);
  const whole = single.finish(state);

  const half = Math.floor(rows.length / 2);
  const split = agg.create(args, TEST_NOW);
  let left = split.init();
  let right = split.init();
  rows.slice(0, half).forEach((row) => (left = split.step(left, row)));
  rows.slice(half).forEach((row) => (right = split.step(right, row)));
  assert.deepEqual(split.finish(split.merge(left, right)), whole, `${name}: merged partial states agree`);
  return whole;
}
