/**
 * make-series: rows are grouped by the `by` keys and binned on the axis (bin = floor((axis - from) / step));
 * each aggregate becomes an array with one value per bin (its default where a bin has no rows),
 * and the axis column holds the bins' start values.
 */
import type { EvalContext } from '../functions/registry.js';
import { argInfo, type MakeSeriesNode, type PlanNode, type BoundExpr } from '../semantics/bound.js';
import type { Batch } from '../values/batch.js';
import { formatDatetime, formatTimespan } from '../values/datetime.js';
import { toDynamic } from '../values/dynamic.js';
import type { DynamicValue, Value } from '../values/types.js';
import type { CompiledExpr } from './expressions.js';
import { groupKey } from './grouping.js';

/** Bins beyond this are refused: a wrong step would otherwise allocate without bound. */
const MAX_BINS = 1_000_000;

interface HeldRow {
  group: number;
  axis: number | bigint;
  args: Value[][];
}

export async function* makeSeries(
  node: MakeSeriesNode,
  run: (plan: PlanNode) => AsyncIterable<Batch>,
  compile: (expr: BoundExpr) => Promise<CompiledExpr>,
  ctx: EvalContext,
): AsyncIterable<Batch> {
  const keyExprs = await Promise.all(node.keys.map(compile));
  const axisExpr = await compile(node.axis);
  const argExprs = await Promise.all(node.aggregates.map((slot) => Promise.all(slot.args.map(compile))));
  const groups = new Map<string, number>();
  const groupKeys: Value[][] = [];
  const held: HeldRow[] = [];
  let min: number | bigint | null = null;
  let max: number | bigint | null = null;
  for await (const batch of run(node.input)) {
    const keys = keyExprs.map((k) => k(batch));
    const axis = axisExpr(batch);
    const args = argExprs.map((list) => list.map((a) => a(batch)));
    for (let i = 0; i < batch.length; i++) {
      const a = axis[i];
      if (a === null || a === undefined) continue;
      const position = typeof a === 'bigint' ? a : Number(a);
      const key = keys.map((k) => k[i]!);
      const id = groupKey(key);
      let group = groups.get(id);
      if (group === undefined) {
        group = groupKeys.push(key) - 1;
        groups.set(id, group);
      }
      held.push({ group, axis: position, args: args.map((list) => list.map((col) => col[i]!)) });
      if (min === null || position < min) min = position;
      if (max === null || position > max) max = position;
    }
  }
  if (groupKeys.length === 0 && node.nonempty && node.keys.length === 0) groupKeys.push([]);
  const start = (node.from ?? min) as number | bigint | null;
  if (start === null || groupKeys.length === 0) return;
  const step = node.step as number | bigint;
  const span = (node.to ?? max) as number | bigint;
  const bins = binCount(start, span, step, node.to === null);
  const aggregators = node.aggregates.map((slot) => slot.fn.create(slot.args.map(argInfo), ctx));
  const states = groupKeys.map(() => aggregators.map((a) => new Array<unknown>(bins).fill(undefined).map(() => a.init())));
  const filled = groupKeys.map(() => new Uint8Array(bins));
  for (const row of held) {
    const bin = binOf(row.axis, start, step);
    if (bin < 0 || bin >= bins) continue;
    filled[row.group]![bin] = 1;
    aggregators.forEach((a, s) => {
      states[row.group]![s]![bin] = a.step(states[row.group]![s]![bin], row.args[s]!);
    });
  }
  const axisType = node.axis.type;
  const axisValues: DynamicValue[] = Array.from({ length: bins }, (_, b) => axisValue(start, step, b, axisType));
  const columns: Value[][] = node.schema.map(() => []);
  groupKeys.forEach((key, g) => {
    let c = 0;
    for (const v of key) columns[c++]!.push(v);
    aggregators.forEach((a, s) => {
      const slot = node.aggregates[s]!;
      const type = slot.fn.bind(slot.args.map(argInfo));
      const resultType = 'type' in type ? type.type : 'dynamic';
      const values: DynamicValue[] = [];
      for (let b = 0; b < bins; b++) {
        let v: Value = node.defaults[s]!;
        if (filled[g]![b]) {
          const finished = a.finish(states[g]![s]![b]);
          // take_any (a plain expression's aggregate) finishes with one value per argument.
          v = slot.fn.multiOutput ? (finished as Value[])[0]! : (finished as Value);
        }
        values.push(toDynamic(v, resultType));
      }
      columns[c++]!.push(values);
    });
    columns[c]!.push(axisValues);
  });
  yield { schema: node.schema, columns, length: groupKeys.length };
}

/** Bins from `start`: up to `end` exclusive when `to` was given, else up to and including the largest axis value. */
function binCount(start: number | bigint, end: number | bigint, step: number | bigint, inclusiveEnd: boolean): number {
  let count: number;
  if (typeof start === 'bigint') {
    const span = (end as bigint) - start;
    const s = step as bigint;
    count = Number(inclusiveEnd ? span / s + 1n : (span + s - 1n) / s);
  } else {
    const span = ((end as number) - start) / (step as number);
    count = inclusiveEnd ? Math.floor(span) + 1 : Math.ceil(span);
  }
  if (!Number.isFinite(count) || count < 0) return 0;
  if (count > MAX_BINS) throw new Error(`make-series: ${count} bins is too many (at most ${MAX_BINS}); use a larger step`);
  return count;
}

function binOf(value: number | bigint, start: number | bigint, step: number | bigint): number {
  if (typeof value === 'bigint') {
    const offset = value - (start as bigint);
    const s = step as bigint;
    return Number(offset >= 0n ? offset / s : -((-offset + s - 1n) / s));
  }
  return Math.floor((value - (start as number)) / (step as number));
}

function axisValue(start: number | bigint, step: number | bigint, bin: number, type: string): DynamicValue {
  if (typeof start === 'bigint') {
    const ticks = start + (step as bigint) * BigInt(bin);
    return type === 'timespan' ? formatTimespan(ticks) : formatDatetime(ticks);
  }
  return start + (step as number) * bin;
}
