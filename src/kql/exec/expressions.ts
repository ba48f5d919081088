/**
 * Scalar expressions over column batches: an expression is compiled once per operator into a
 * function from a batch to a column of values. Function kernels are prepared once (constant
 * arguments decoded there); sub-queries are run once, before any row is evaluated.
 */
import type { EvalContext, RowKernel } from '../functions/registry.js';
import type { Batch } from '../values/batch.js';
import { dynamicIndex } from '../values/dynamic.js';
import type { DynamicValue, Value } from '../values/types.js';
import { type BoundExpr, argInfo } from '../semantics/bound.js';

export type CompiledExpr = (batch: Batch) => Value[];

/** Runs a sub-query plan to completion and returns its rows (provided by the executor). */
export type SubqueryRunner = (expr: Extract<BoundExpr, { kind: 'Subquery' }>) => Promise<Value>;

export async function compileExpr(expr: BoundExpr, ctx: EvalContext, runSubquery: SubqueryRunner): Promise<CompiledExpr> {
  const resolved = await resolveSubqueries(expr, runSubquery);
  return compileResolved(resolved, ctx);
}

/** Replaces every sub-query by its value, so that kernels see constants (and can precompute needles). */
async function resolveSubqueries(expr: BoundExpr, runSubquery: SubqueryRunner): Promise<BoundExpr> {
  switch (expr.kind) {
    case 'Subquery':
      return { kind: 'Constant', value: await runSubquery(expr), type: expr.type };
    case 'Call': {
      const args: BoundExpr[] = [];
      for (const a of expr.args) args.push(await resolveSubqueries(a, runSubquery));
      return { ...expr, args };
    }
    case 'Access':
      return { ...expr, target: await resolveSubqueries(expr.target, runSubquery), key: await resolveSubqueries(expr.key, runSubquery) };
    default:
      return expr;
  }
}

function compileResolved(expr: BoundExpr, ctx: EvalContext): CompiledExpr {
  switch (expr.kind) {
    case 'Column': {
      const index = expr.index;
      return (batch) => batch.columns[index]!;
    }
    case 'Constant': {
      const value = expr.value;
      return (batch) => new Array<Value>(batch.length).fill(value);
    }
    case 'Call':
      return compileCall(expr, ctx);
    case 'Access': {
      const target = compileResolved(expr.target, ctx);
      const key = compileResolved(expr.key, ctx);
      return (batch) => {
        const targets = target(batch);
        const keys = key(batch);
        const out = new Array<Value>(batch.length);
        for (let i = 0; i < batch.length; i++) {
          const k = keys[i];
          out[i] = typeof k === 'number' || typeof k === 'string' ? dynamicIndex(targets[i] as DynamicValue, k) : null;
        }
        return out;
      };
    }
    case 'Subquery':
      throw new Error('internal: sub-query not resolved before compilation');
  }
}

function compileCall(expr: Extract<BoundExpr, { kind: 'Call' }>, ctx: EvalContext): CompiledExpr {
  const kernel: RowKernel = expr.fn.prepare(expr.args.map(argInfo), ctx);
  const args = expr.args.map((a) => compileResolved(a, ctx));
  const arity = args.length;
  const stringResult = expr.type === 'string';
  return (batch) => {
    const columns = args.map((a) => a(batch));
    const out = new Array<Value>(batch.length);
    const rowArgs = new Array<Value>(arity);
    for (let i = 0; i < batch.length; i++) {
      for (let a = 0; a < arity; a++) rowArgs[a] = columns[a]![i]!;
      const v = kernel(rowArgs);
      // Kusto strings are never null: a string-typed result that is missing is the empty string.
      out[i] = stringResult && v === null ? '' : v;
    }
    return out;
  };
}
