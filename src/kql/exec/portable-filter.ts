/**
 * `where` predicates in a form that can cross to a worker thread (structured clone): functions are
 * named by their registry entry instead of held, and the worker compiles them again. Only
 * predicates made of columns, constants, built-in calls and dynamic access are portable; anything
 * else (a sub-query, a non-deterministic function, a user function's closure) keeps the scan on
 * the main thread.
 */
import type { Span } from '../syntax/ast.js';
import { BUILTINS } from '../functions/builtins.js';
import type { ScalarFunction } from '../functions/registry.js';
import { type BoundExpr, referencedColumns } from '../semantics/bound.js';
import type { ScanFilter } from '../values/batch.js';
import type { ScalarType, Schema, Value } from '../values/types.js';
import { type CompiledExpr, compileExpr } from './expressions.js';

export type PortableExpr =
  | { kind: 'Column'; index: number; name: string; type: ScalarType }
  | { kind: 'Constant'; value: Value; type: ScalarType; typeLiteral?: ScalarType }
  | { kind: 'Call'; registry: 'scalar' | 'operator'; name: string; args: PortableExpr[]; type: ScalarType; span: Span }
  | { kind: 'Access'; target: PortableExpr; key: PortableExpr; type: 'dynamic' };

export interface PortableFilter {
  predicates: PortableExpr[];
  /** now() of the query, in ticks. */
  now: bigint;
}

/** Which registry holds `fn` under its name, if either does (a call to anything else is not portable). */
function registryOf(fn: ScalarFunction): 'scalar' | 'operator' | undefined {
  if (BUILTINS.scalar(fn.name) === fn) return 'scalar';
  if (BUILTINS.operator(fn.name) === fn) return 'operator';
  return undefined;
}

function portableExpr(expr: BoundExpr): PortableExpr | undefined {
  switch (expr.kind) {
    case 'Column':
      return { kind: 'Column', index: expr.index, name: expr.name, type: expr.type };
    case 'Constant':
      return { kind: 'Constant', value: expr.value, type: expr.type, ...(expr.typeLiteral ? { typeLiteral: expr.typeLiteral } : {}) };
    case 'Call': {
      const registry = registryOf(expr.fn);
      if (!registry || expr.fn.deterministic === false) return undefined;
      const args: PortableExpr[] = [];
      for (const arg of expr.args) {
        const portable = portableExpr(arg);
        if (!portable) return undefined;
        args.push(portable);
      }
      return { kind: 'Call', registry, name: expr.fn.name, args, type: expr.type, span: expr.span };
    }
    case 'Access': {
      const target = portableExpr(expr.target);
      const key = portableExpr(expr.key);
      return target && key ? { kind: 'Access', target, key, type: 'dynamic' } : undefined;
    }
    case 'Subquery':
      return undefined;
  }
}

/** The predicates in portable form, or undefined when one of them is not portable. */
export function portableFilter(predicates: readonly BoundExpr[], now: bigint): PortableFilter | undefined {
  const portable: PortableExpr[] = [];
  for (const predicate of predicates) {
    const expr = portableExpr(predicate);
    if (!expr) return undefined;
    portable.push(expr);
  }
  return { predicates: portable, now };
}

function boundExpr(expr: PortableExpr): BoundExpr {
  switch (expr.kind) {
    case 'Column':
    case 'Constant':
      return expr;
    case 'Call': {
      const fn = expr.registry === 'scalar' ? BUILTINS.scalar(expr.name) : BUILTINS.operator(expr.name);
      if (!fn) throw new Error(`internal: no ${expr.registry} named ${expr.name} in this thread's registry`);
      return { kind: 'Call', fn, args: expr.args.map(boundExpr), type: expr.type, span: expr.span };
    }
    case 'Access':
      return { kind: 'Access', target: boundExpr(expr.target), key: boundExpr(expr.key), type: 'dynamic' };
  }
}

/** Compiles portable predicates again (in a worker thread), as the executor compiles `where` predicates. */
export async function compilePortableFilter(filter: PortableFilter): Promise<CompiledExpr[]> {
  const compiled: CompiledExpr[] = [];
  for (const predicate of filter.predicates) {
    compiled.push(await compileExpr(boundExpr(predicate), { now: filter.now }, () => {
      throw new Error('internal: a portable predicate has no sub-query');
    }));
  }
  return compiled;
}

/**
 * What a reader needs to filter while scanning: the columns the predicates read, the compiled
 * predicates (applied in order), and their portable form when they can cross to worker threads.
 */
export function scanFilterOf(predicates: readonly BoundExpr[], compiled: readonly CompiledExpr[], schema: Schema, now: bigint): ScanFilter {
  const used = new Set<number>();
  for (const predicate of predicates) referencedColumns(predicate, used);
  const columns = [...used].sort((a, b) => a - b).map((i) => schema[i]!.name);
  const portable = portableFilter(predicates, now);
  return { columns, predicates: compiled.map((p) => (batch) => p(batch)), ...(portable ? { portable } : {}) };
}
