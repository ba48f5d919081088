/**
 * Scalar expressions over column batches: an expression is compiled once per operator into a
 * function from a batch to a column of values. Function kernels are prepared once (constant
 * arguments decoded there); sub-queries are run once, before any row is evaluated.
 *
 * An expression may be evaluated on a selection of the batch's rows (the rows a `where` kept), so
 * that filters, projections and aggregations after a `where` never copy the columns they do not
 * read. `and` / `or` evaluate their right operand only on the rows the left one did not decide.
 */
import { convertValue } from '../functions/common.js';
import type { EvalContext, RowKernel } from '../functions/registry.js';
import { type Batch, type Selection, constantColumn, gather } from '../values/batch.js';
import { dynamicIndex } from '../values/dynamic.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { type BoundExpr, argInfo } from '../semantics/bound.js';

/**
 * Evaluates an expression over a batch: one value per row, or, given `rows` (ascending row
 * indexes), one value per selected row (`result[j]` belongs to row `rows[j]`).
 */
export type CompiledExpr = (batch: Batch, rows?: Selection) => Value[];

/** How many values an evaluation produces. */
function outputLength(batch: Batch, rows: Selection | undefined): number {
  return rows === undefined ? batch.length : rows.length;
}

/** Runs a sub-query plan to completion and returns its rows (provided by the executor). */
/**
 * The rows of `batch` that every predicate of a `where` chain keeps, each predicate evaluated only
 * on the rows the ones before it kept (a row is kept when the value is exactly true: null and false
 * drop it). Undefined means all rows; an empty selection, none.
 */
export function rowsKeptByAll(batch: Batch, predicates: readonly CompiledExpr[]): Selection | undefined {
  let rows: number[] | undefined;
  for (const predicate of predicates) {
    const values = predicate(batch, rows);
    const keep: number[] = [];
    for (let i = 0; i < values.length; i++) if (values[i] === true) keep.push(rows === undefined ? i : rows[i]!);
    rows = keep;
    if (rows.length === 0) break;
  }
  return rows === undefined || rows.length === batch.length ? undefined : rows;
}

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
      return (batch, rows) => (rows === undefined ? batch.columns[index]! : gather(batch.columns[index]!, rows));
    }
    case 'Constant': {
      const value = expr.value;
      return (batch, rows) => constantColumn(value, outputLength(batch, rows));
    }
    case 'Call':
      return compileCall(expr, ctx);
    case 'Access': {
      const target = compileResolved(expr.target, ctx);
      const key = compileResolved(expr.key, ctx);
      return (batch, rows) => {
        const targets = target(batch, rows);
        const keys = key(batch, rows);
        const n = outputLength(batch, rows);
        const out = new Array<Value>(n);
        for (let i = 0; i < n; i++) {
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
  const stringResult = expr.type === 'string';
  const name = expr.fn.name;
  if ((name === 'and' || name === 'or') && args.length === 2) return shortCircuit(name === 'or', expr.args[0]!.type, args[0]!, args[1]!, kernel);
  if (name === 'coalesce') return lazyArguments(args, kernel, stringResult, coalescePending);
  if ((name === 'iff' || name === 'iif') && args.length === 3) return lazyArguments(args, kernel, stringResult, iffPending);
  if (name === 'case' && args.length % 2 === 1) return lazyArguments(args, kernel, stringResult, casePending);
  const arity = args.length;
  return (batch, rows) => {
    const columns = args.map((a) => a(batch, rows));
    const n = outputLength(batch, rows);
    const out = new Array<Value>(n);
    const rowArgs = new Array<Value>(arity);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < arity; a++) rowArgs[a] = columns[a]![i]!;
      const v = kernel(rowArgs);
      // Kusto strings are never null: a string-typed result that is missing is the empty string.
      out[i] = stringResult && v === null ? '' : v;
    }
    return out;
  };
}

/**
 * Which rows need argument `index` (index ≥ 1), given the values of the arguments before it.
 * Rows are positions in the output; `previous` holds those that needed argument `index - 1`,
 * `all` every position.
 */
type PendingRows = (index: number, earlier: Value[][], previous: number[], all: number[]) => number[];

/** coalesce: an argument is needed until one was neither null nor empty (its kernel's rule). */
const coalescePending: PendingRows = (index, earlier, previous) => {
  const values = earlier[index - 1]!;
  return previous.filter((i) => values[i] === null || values[i] === '');
};

/** iff(c, then, else): `then` is needed where c is true, `else` everywhere else. */
const iffPending: PendingRows = (index, earlier, _previous, all) => {
  const conditions = earlier[0]!;
  return all.filter((i) => (conditions[i] === true) === (index === 1));
};

/**
 * case(p1, v1, p2, v2, …, else): a predicate is needed where no earlier predicate was true; a value
 * where its predicate was (and was needed); the else value where the last predicate was needed and
 * not true.
 */
const casePending: PendingRows = (index, earlier, previous, all) => {
  const isValue = index % 2 === 1;
  if (isValue) {
    const predicate = earlier[index - 1]!;
    return predicatePending(index - 1, earlier, all).filter((i) => predicate[i] === true);
  }
  return predicatePending(index, earlier, all);
};

/** The rows where every predicate of case() before `index` (an even index) was not true. */
function predicatePending(index: number, earlier: Value[][], all: number[]): number[] {
  return all.filter((i) => {
    for (let p = 0; p < index; p += 2) if (earlier[p]![i] === true) return false;
    return true;
  });
}

/**
 * A call whose kernel reads only some of its arguments per row (coalesce, iff, case): each argument is
 * evaluated only on the rows that need it, so `coalesce(extract(a), extract(b), …)` runs the later
 * regexes only where the earlier ones found nothing. Arguments not evaluated for a row are passed
 * to the kernel as null, where it does not read them.
 */
function lazyArguments(args: CompiledExpr[], kernel: RowKernel, stringResult: boolean, pendingRows: PendingRows): CompiledExpr {
  return (batch, rows) => {
    const n = outputLength(batch, rows);
    const values: Value[][] = [];
    const all = Array.from({ length: n }, (_, i) => i);
    let pending = all;
    for (let a = 0; a < args.length; a++) {
      pending = a === 0 ? all : pendingRows(a, values, pending, all);
      const column = new Array<Value>(n).fill(null);
      if (pending.length > 0) {
        const selection = pending.length === n ? rows : pending.map((i) => (rows === undefined ? i : rows[i]!));
        const evaluated = args[a]!(batch, selection);
        for (let j = 0; j < pending.length; j++) column[pending[j]!] = evaluated[j]!;
      }
      values.push(column);
    }
    const out = new Array<Value>(n);
    const rowArgs = new Array<Value>(args.length);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < args.length; a++) rowArgs[a] = values[a]![i]!;
      const v = kernel(rowArgs);
      out[i] = stringResult && v === null ? '' : v;
    }
    return out;
  };
}

/**
 * `and` / `or` over a batch: where the left operand alone decides (false for `and`, true for `or`,
 * whatever the right one is, null included) the right operand is not evaluated at all; the other
 * rows are combined by the operator's own kernel, so three-valued logic stays in one place.
 */
function shortCircuit(decisive: boolean, leftType: ScalarType, left: CompiledExpr, right: CompiledExpr, kernel: RowKernel): CompiledExpr {
  const decides = (v: Value) => (leftType === 'bool' ? v === decisive : convertValue(v, leftType, 'bool') === decisive);
  return (batch, rows) => {
    const lefts = left(batch, rows);
    const n = lefts.length;
    const out = new Array<Value>(n);
    const undecided: number[] = [];
    const undecidedRows: number[] = [];
    for (let i = 0; i < n; i++) {
      if (decides(lefts[i]!)) out[i] = decisive;
      else {
        undecided.push(i);
        undecidedRows.push(rows === undefined ? i : rows[i]!);
      }
    }
    if (undecided.length === 0) return out;
    const rights = right(batch, undecidedRows);
    const pair = new Array<Value>(2);
    for (let j = 0; j < undecided.length; j++) {
      const i = undecided[j]!;
      pair[0] = lefts[i]!;
      pair[1] = rights[j]!;
      out[i] = kernel(pair);
    }
    return out;
  };
}
