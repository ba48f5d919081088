/**
 * Operators that work on whole groups of rows: `partition` (a sub-query per group) and
 * `top-nested` (the top values per level, within the levels above).
 */
import type { EvalContext } from '../functions/registry.js';
import { argInfo, type BoundExpr, type PartitionNode, type PlanNode, type TopNestedLevel, type TopNestedNode } from '../semantics/bound.js';
import type { Batch } from '../values/batch.js';
import type { Value } from '../values/types.js';
import type { CompiledExpr } from './expressions.js';
import { groupKey } from './grouping.js';
import { compareValues } from './ordering.js';

type Run = (plan: PlanNode) => AsyncIterable<Batch>;
type Compile = (expr: BoundExpr) => Promise<CompiledExpr>;

/**
 * The sub-query once per partition key, in the order keys first appear. `forgetSubqueries` drops the
 * executor's toscalar() results: in the `{ query }` form they read the key, which changes per run.
 */
export async function* partitionRows(node: PartitionNode, run: Run, forgetSubqueries: () => void): AsyncIterable<Batch> {
  const groups = new Map<string, Value[][]>();
  for await (const batch of run(node.input)) {
    for (let i = 0; i < batch.length; i++) {
      const row = batch.columns.map((c) => c[i]!);
      const id = groupKey([row[node.key]!]);
      const rows = groups.get(id);
      if (rows) rows.push(row);
      else groups.set(id, [row]);
    }
  }
  for (const rows of groups.values()) {
    // The sub-query reads this group: its source node is re-pointed before each run.
    node.source.rows = rows;
    if (node.keyTable) {
      node.keyTable.rows = [[rows[0]![node.key]!]];
      forgetSubqueries();
    }
    yield* run(node.subquery);
  }
}

interface Held {
  ofs: Value[];
  args: Value[][];
}

export async function* topNested(node: TopNestedNode, run: Run, compile: Compile, ctx: EvalContext): AsyncIterable<Batch> {
  const ofExprs = await Promise.all(node.levels.map((l) => compile(l.of)));
  const argExprs = await Promise.all(node.levels.map((l) => Promise.all(l.aggregate.args.map(compile))));
  const held: Held[] = [];
  for await (const batch of run(node.input)) {
    const ofs = ofExprs.map((e) => e(batch));
    const args = argExprs.map((list) => list.map((a) => a(batch)));
    for (let i = 0; i < batch.length; i++) {
      held.push({ ofs: ofs.map((c) => c[i]!), args: args.map((list) => list.map((c) => c[i]!)) });
    }
  }
  const out: Value[][] = [];
  nest(node.levels, 0, held, [], out, ctx);
  const columns = node.schema.map((_, c) => out.map((row) => row[c] ?? null));
  yield { schema: node.schema, columns, length: out.length };
}

/** Groups `rows` on level `depth`, keeps the top ones, and recurses into each kept group. */
function nest(levels: TopNestedLevel[], depth: number, rows: Held[], prefix: Value[], out: Value[][], ctx: EvalContext): void {
  if (depth === levels.length) {
    out.push(prefix);
    return;
  }
  const level = levels[depth]!;
  const aggregator = level.aggregate.fn.create(level.aggregate.args.map(argInfo), ctx);
  const groups = new Map<string, { value: Value; rows: Held[]; state: unknown }>();
  for (const row of rows) {
    const value = row.ofs[depth]!;
    const id = groupKey([value]);
    let group = groups.get(id);
    if (!group) {
      group = { value, rows: [], state: aggregator.init() };
      groups.set(id, group);
    }
    group.rows.push(row);
    group.state = aggregator.step(group.state, row.args[depth]!);
  }
  const ranked = [...groups.values()].map((g) => ({ ...g, total: aggregator.finish(g.state) as Value }));
  ranked.sort((a, b) => (level.descending ? -1 : 1) * compareValues(a.total, b.total));
  const kept = ranked.slice(0, level.count);
  for (const group of kept) nest(levels, depth + 1, group.rows, [...prefix, group.value, group.total], out, ctx);
  if (level.others !== undefined && ranked.length > kept.length) {
    let state = aggregator.init();
    const rest = ranked.slice(kept.length).flatMap((g) => g.rows);
    for (const row of rest) state = aggregator.step(state, row.args[depth]!);
    nest(levels, depth + 1, rest, [...prefix, level.others, aggregator.finish(state) as Value], out, ctx);
  }
}
