/**
 * Projection pushdown: tells every scan which columns the query really reads, so that readers
 * can skip the rest (a Defender row has 60+ columns; the seed rule reads 9 of them).
 * Plans can share nodes (a `let`-bound table used twice), so scans accumulate requirements.
 */
import { type BoundExpr, type PlanNode, referencedColumns, windowInputs } from '../semantics/bound.js';
import { graphPlanInputs } from '../semantics/graph-plan.js';

export function pushDownProjections(plan: PlanNode): PlanNode {
  const subqueries: PlanNode[] = [];
  require(plan, allColumns(plan), subqueries);
  // Sub-queries are separate plans whose whole output is read.
  for (let i = 0; i < subqueries.length; i++) require(subqueries[i]!, allColumns(subqueries[i]!), subqueries);
  return plan;
}

function allColumns(plan: PlanNode): Set<number> {
  return new Set(plan.schema.map((_, i) => i));
}

function refs(exprs: BoundExpr[], subqueries: PlanNode[]): Set<number> {
  const into = new Set<number>();
  for (const e of exprs) {
    referencedColumns(e, into);
    collectSubqueries(e, subqueries);
  }
  return into;
}

function collectSubqueries(expr: BoundExpr, into: PlanNode[]): void {
  if (expr.kind === 'Subquery') into.push(expr.plan);
  else if (expr.kind === 'Call') expr.args.forEach((a) => collectSubqueries(a, into));
  else if (expr.kind === 'Access') {
    collectSubqueries(expr.target, into);
    collectSubqueries(expr.key, into);
  }
}

function require(node: PlanNode, needed: Set<number>, subqueries: PlanNode[]): void {
  switch (node.kind) {
    case 'Scan': {
      const names = new Set(node.columns ?? []);
      for (const i of needed) names.add(node.schema[i]!.name);
      node.columns = node.schema.map((c) => c.name).filter((n) => names.has(n));
      return;
    }
    case 'Range':
      refs([node.from, node.to, node.step], subqueries); // toscalar() bounds run sub-queries of their own
      return;
    case 'Values':
    case 'External':
      return;
    case 'Filter':
      require(node.input, union(needed, refs([node.predicate], subqueries)), subqueries);
      return;
    case 'Project':
      require(node.input, refs([...needed].map((i) => node.exprs[i]!), subqueries), subqueries);
      return;
    case 'Aggregate': {
      refs(node.post ?? [], subqueries);
      require(node.input, refs([...node.keys, ...node.aggregates.flatMap((a) => a.args)], subqueries), subqueries);
      return;
    }
    case 'Sort':
      require(node.input, union(needed, refs(node.keys.map((k) => k.expr), subqueries)), subqueries);
      return;
    case 'Take':
      require(node.input, needed, subqueries);
      return;
    case 'Join': {
      const fromSide = (side: 'left' | 'right') =>
        new Set([...needed].filter((i) => node.outputs[i]!.side === side).map((i) => node.outputs[i]!.index));
      require(node.left, union(fromSide('left'), refs(node.leftKeys, subqueries)), subqueries);
      require(node.right, union(fromSide('right'), refs(node.rightKeys, subqueries)), subqueries);
      return;
    }
    case 'MvExpand':
    case 'Parse':
    case 'ParseKv': {
      const carried = new Set([...needed].map((i) => node.carried[i]!).filter((c) => c >= 0));
      const exprs = node.kind === 'MvExpand' ? node.expansions.map((e) => e.expr) : [node.source];
      require(node.input, union(carried, refs(exprs, subqueries)), subqueries);
      return;
    }
    case 'MvApply': {
      // The sub-query reads its own sub-table, whose columns are all produced here.
      require(node.subquery, allColumns(node.subquery), subqueries);
      require(node.input, union(new Set(node.carried), refs(node.expansions.map((e) => e.expr), subqueries)), subqueries);
      return;
    }
    case 'ActivityWindows':
      require(node.input, refs([node.id, node.time, ...node.dims], subqueries), subqueries);
      return;
    case 'PredicateJoin': {
      // The predicate reads left columns below the left width and right columns above it.
      const width = node.left.schema.length;
      const used = refs([node.predicate], subqueries);
      const left = new Set([...used].filter((i) => i < width));
      const right = new Set([...used].filter((i) => i >= width).map((i) => i - width));
      for (const i of needed) (node.outputs[i]!.side === 'left' ? left : right).add(node.outputs[i]!.index);
      require(node.left, left, subqueries);
      require(node.right, right, subqueries);
      return;
    }
    case 'Partition':
      require(node.subquery, allColumns(node.subquery), subqueries);
      require(node.input, allColumns(node.input), subqueries);
      return;
    case 'TopNested':
      require(node.input, refs(node.levels.flatMap((l) => [l.of, ...l.aggregate.args]), subqueries), subqueries);
      return;
    case 'MakeSeries':
      require(node.input, refs([...node.keys, node.axis, ...node.aggregates.flatMap((a) => a.args)], subqueries), subqueries);
      return;
    case 'BagUnpack': {
      const carried = new Set([...needed].flatMap((i) => (node.outputs[i]!.from === 'input' ? [(node.outputs[i] as { index: number }).index] : [])));
      require(node.input, union(carried, refs([node.bag], subqueries)), subqueries);
      return;
    }
    case 'Window': {
      const width = node.input.schema.length;
      const exprs = node.columns.flatMap(windowInputs);
      require(node.input, union(new Set([...needed].filter((i) => i < width)), refs(exprs, subqueries)), subqueries);
      return;
    }
    case 'MakeGraph':
    case 'GraphMarkComponents':
    case 'GraphPlaceholder':
    case 'GraphMatch':
    case 'GraphToTable':
    case 'GraphPartition':
      // a graph keeps every column of its edges and nodes as properties
      for (const input of graphPlanInputs(node)) require(input, allColumns(input), subqueries);
      return;
    case 'Union':
      for (const leg of node.legs) {
        const legNeeded = new Set<number>();
        for (const i of needed) if (leg.columnMap[i]! >= 0) legNeeded.add(leg.columnMap[i]!);
        require(leg.plan, legNeeded, subqueries);
      }
      return;
  }
}

function union(a: Set<number>, b: Set<number>): Set<number> {
  return new Set([...a, ...b]);
}
