/**
 * Runs a plan: every operator is an async stream of column batches pulled from its input.
 * Streaming operators (filter, project, take, union) hold one batch at a time; blocking ones
 * (aggregate, sort) hold their state and report its size through `onMemory`.
 */
import type { EvalContext } from '../functions/registry.js';
import { KqlError } from '../syntax/diagnostics.js';
import { BATCH_SIZE, type Batch, type ScanFilter, batchRows, selectRows } from '../values/batch.js';
import type { Schema, Value } from '../values/types.js';
import {
  type AggregateNode, type BoundExpr, type FilterNode, type PlanNode, type ProjectNode, type RangeNode, type SortNode,
  type ScanNode, type SubqueryExpr, type TakeNode, type UnionNode, argInfo, referencedColumns,
} from '../semantics/bound.js';
import { type CompiledExpr, compileExpr } from './expressions.js';
import { groupKey } from './grouping.js';
import { portableFilter } from './portable-filter.js';
import { rowComparator } from './ordering.js';
import { bagUnpack, hashJoin, mvApply, mvExpand, parseKeyValues, parseRows, predicateJoin, windowRows } from './reshape.js';
import { activityWindows } from './activity.js';
import { makeSeries } from './make-series.js';
import { partitionRows, topNested } from './grouped.js';
import { graphMatch, graphPartitions, graphToTable } from './graph.js';

/** Where scans read rows from: the data layer's catalog, adapted by the caller. */
export interface TableReader {
  scan(table: string, columns: readonly string[] | undefined, schema: Schema): AsyncIterable<Batch>;
  /**
   * A scan that applies `where` predicates itself, so a reader can test the filter's columns before
   * decoding the rest of a record. Optional: without it the executor filters the scanned batches.
   */
  scanFiltered?(table: string, columns: readonly string[] | undefined, schema: Schema, filter: ScanFilter): AsyncIterable<Batch>;
  /** `externaldata` over local files, typed by the declared schema. */
  external?(source: { paths: string[]; format: string; ignoreFirstRecord: boolean; schema: Schema }): AsyncIterable<Batch>;
}

export interface ExecutionEnv {
  tables: TableReader;
  context: EvalContext;
  /** Told what blocking operators hold (rows), for progress and memory reporting. */
  onHolding?: (operator: string, rows: number) => void;
}

export function execute(plan: PlanNode, env: ExecutionEnv): AsyncIterable<Batch> {
  return new Executor(env).run(plan);
}

/** Runs a plan and returns all its rows (in schema order). */
export async function collectRows(plan: PlanNode, env: ExecutionEnv): Promise<Value[][]> {
  const rows: Value[][] = [];
  for await (const batch of execute(plan, env)) for (const row of batchRows(batch)) rows.push(row);
  return rows;
}

class Executor {
  /** Sub-query results by node: `toscalar(…)` and `in (T | …)` run once per query. */
  private readonly subqueryCache = new Map<SubqueryExpr, Promise<Value>>();

  constructor(private readonly env: ExecutionEnv) {}

  run(plan: PlanNode): AsyncIterable<Batch> {
    switch (plan.kind) {
      case 'Scan':
        return this.env.tables.scan(plan.table, plan.columns, plan.schema);
      case 'Values':
        return single({ schema: plan.schema, columns: plan.schema.map((_, c) => plan.rows.map((r) => r[c] ?? null)), length: plan.rows.length });
      case 'Range':
        return this.range(plan);
      case 'Filter':
        return this.filter(plan);
      case 'Project':
        return this.project(plan);
      case 'Aggregate':
        return this.aggregate(plan);
      case 'Sort':
        return this.sort(plan);
      case 'Take':
        return this.take(plan);
      case 'Union':
        return this.union(plan);
      case 'Join':
        return hashJoin(plan, this.runner, this.compiler, this.env.onHolding);
      case 'MvExpand':
        return mvExpand(plan, this.runner, this.compiler);
      case 'Parse':
        return parseRows(plan, this.runner, this.compiler);
      case 'Window':
        return windowRows(plan, this.runner, this.compiler);
      case 'ActivityWindows':
        return activityWindows(plan, this.runner, this.compiler);
      case 'PredicateJoin':
        return predicateJoin(plan, this.runner, this.compiler);
      case 'Partition':
        return partitionRows(plan, this.runner, () => this.subqueryCache.clear());
      case 'TopNested':
        return topNested(plan, this.runner, this.compiler, this.env.context);
      case 'ParseKv':
        return parseKeyValues(plan, this.runner, this.compiler);
      case 'MvApply':
        return mvApply(plan, this.runner, this.compiler);
      case 'MakeSeries':
        return makeSeries(plan, this.runner, this.compiler, this.env.context);
      case 'BagUnpack':
        return bagUnpack(plan, this.runner, this.compiler);
      case 'GraphMatch':
        return graphMatch(plan, this.runner, this.compiler);
      case 'GraphToTable':
        return graphToTable(plan, this.runner, this.compiler);
      case 'GraphPartition':
        return graphPartitions(plan, this.runner);
      case 'MakeGraph':
      case 'GraphMarkComponents':
      case 'GraphPlaceholder':
        throw new Error('internal: a graph was read as a table (the binder should have refused it)');
      case 'External':
        if (plan.unreachable) throw new KqlError(plan.unreachable);
        if (!this.env.tables.external) throw new Error('externaldata is not available here: no file reader was given to the engine');
        return this.env.tables.external(plan);
    }
  }

  private readonly runner = (plan: PlanNode) => this.run(plan);
  private readonly compiler = (expr: BoundExpr) => this.compile(expr);

  private compile(expr: BoundExpr): Promise<CompiledExpr> {
    return compileExpr(expr, this.env.context, (sub) => this.subquery(sub));
  }

  private subquery(expr: SubqueryExpr): Promise<Value> {
    let result = this.subqueryCache.get(expr);
    if (!result) {
      result = collectRows(expr.plan, this.env).then((rows) =>
        expr.mode === 'scalar' ? (rows[0]?.[0] ?? null) : (rows.map((r) => r[0] ?? null) as Value),
      );
      this.subqueryCache.set(expr, result);
    }
    return result;
  }

  private async *filter(node: FilterNode): AsyncIterable<Batch> {
    const pushed = await this.filteredScan(node);
    if (pushed) {
      yield* pushed;
      return;
    }
    const predicate = await this.compile(node.predicate);
    for await (const batch of this.run(node.input)) {
      const values = predicate(batch);
      const keep: number[] = [];
      for (let i = 0; i < batch.length; i++) if (values[i] === true) keep.push(i);
      if (keep.length === batch.length) yield batch;
      else if (keep.length > 0) yield selectRows(batch, keep);
    }
  }

  /** range: its bounds are evaluated once, over a row of no columns (they read none). */
  private async *range(node: RangeNode): AsyncIterable<Batch> {
    const noColumns: Batch = { schema: [], columns: [], length: 1 };
    const [from, to, step] = await Promise.all([node.from, node.to, node.step].map(async (e) => (await this.compile(e))(noColumns)[0] ?? null));
    yield* rangeRows(node, from!, to!, step!);
  }

  /**
   * `T | where a | where b` straight over a table: the reader applies the predicates (in order) while
   * scanning. Undefined when the filter is not over a scan or the reader cannot filter.
   */
  private async filteredScan(node: FilterNode): Promise<AsyncIterable<Batch> | undefined> {
    const filters: FilterNode[] = [node];
    let input = node.input;
    while (input.kind === 'Filter') {
      filters.unshift(input);
      input = input.input;
    }
    const tables = this.env.tables;
    if (input.kind !== 'Scan' || !tables.scanFiltered) return undefined;
    const scan: ScanNode = input;
    const used = new Set<number>();
    const predicates: Array<(batch: Batch) => Value[]> = [];
    for (const filter of filters) {
      referencedColumns(filter.predicate, used);
      predicates.push(await this.compile(filter.predicate));
    }
    const columns = [...used].sort((a, b) => a - b).map((i) => scan.schema[i]!.name);
    const portable = portableFilter(filters.map((f) => f.predicate), this.env.context.now);
    return tables.scanFiltered(scan.table, scan.columns, scan.schema, { columns, predicates, ...(portable ? { portable } : {}) });
  }

  private async *project(node: ProjectNode): AsyncIterable<Batch> {
    const exprs: CompiledExpr[] = [];
    for (const e of node.exprs) exprs.push(await this.compile(e));
    for await (const batch of this.run(node.input)) {
      yield { schema: node.schema, columns: exprs.map((e) => e(batch)), length: batch.length };
    }
  }

  private async *take(node: TakeNode): AsyncIterable<Batch> {
    let remaining = node.count;
    if (remaining <= 0) return;
    for await (const batch of this.run(node.input)) {
      if (batch.length <= remaining) {
        remaining -= batch.length;
        yield batch;
      } else {
        yield selectRows(batch, Array.from({ length: remaining }, (_, i) => i));
        remaining = 0;
      }
      if (remaining === 0) return;
    }
  }

  private async *union(node: UnionNode): AsyncIterable<Batch> {
    for (const leg of node.legs) {
      for await (const batch of this.run(leg.plan)) {
        const columns = node.schema.map((column, c) => {
          if (c === node.sourceColumn) return new Array<Value>(batch.length).fill(leg.sourceName);
          const from = leg.columnMap[c]!;
          if (from >= 0) return batch.columns[from]!;
          // A column this leg lacks: null, or "" for strings (Kusto strings have no null).
          return new Array<Value>(batch.length).fill(column.type === 'string' ? '' : null);
        });
        yield { schema: node.schema, columns, length: batch.length };
      }
    }
  }

  private async *sort(node: SortNode): AsyncIterable<Batch> {
    const keyExprs: CompiledExpr[] = [];
    for (const k of node.keys) keyExprs.push(await this.compile(k.expr));
    const held: Value[][] = node.schema.map(() => []);
    const keyColumns: Value[][] = node.keys.map(() => []);
    let rows = 0;
    for await (const batch of this.run(node.input)) {
      batch.columns.forEach((col, c) => appendAll(held[c]!, col));
      keyExprs.forEach((k, i) => appendAll(keyColumns[i]!, k(batch)));
      rows += batch.length;
      this.env.onHolding?.('sort', rows);
    }
    const order = Array.from({ length: rows }, (_, i) => i);
    order.sort(rowComparator(node.keys, keyColumns));
    const limit = node.limit === undefined ? rows : Math.min(node.limit, rows);
    for (let start = 0; start < limit; start += BATCH_SIZE) {
      const slice = order.slice(start, Math.min(limit, start + BATCH_SIZE));
      yield { schema: node.schema, columns: held.map((col) => slice.map((i) => col[i]!)), length: slice.length };
    }
  }

  private async *aggregate(node: AggregateNode): AsyncIterable<Batch> {
    const keyExprs: CompiledExpr[] = [];
    for (const k of node.keys) keyExprs.push(await this.compile(k));
    const slotArgs: CompiledExpr[][] = [];
    for (const slot of node.aggregates) {
      const compiled: CompiledExpr[] = [];
      for (const a of slot.args) compiled.push(await this.compile(a));
      slotArgs.push(compiled);
    }
    const aggregators = node.aggregates.map((slot) => slot.fn.create(slot.args.map(argInfo), this.env.context));
    const groups = new Map<string, number>();
    const groupKeys: Value[][] = [];
    const states: unknown[][] = [];
    const newGroup = (key: Value[]): number => {
      groupKeys.push(key);
      states.push(aggregators.map((a) => a.init()));
      return groupKeys.length - 1;
    };
    // Without `by`, there is exactly one group even over no rows (count() = 0, make_set() = []).
    if (node.keys.length === 0) newGroup([]);

    for await (const batch of this.run(node.input)) {
      const keyColumns = keyExprs.map((k) => k(batch));
      const argColumns = slotArgs.map((args) => args.map((a) => a(batch)));
      const rowArgs = node.aggregates.map((slot) => new Array<Value>(slot.args.length));
      for (let i = 0; i < batch.length; i++) {
        let group = 0;
        if (keyColumns.length > 0) {
          const key = keyColumns.map((col) => col[i]!);
          const id = groupKey(key);
          const found = groups.get(id);
          group = found ?? newGroup(key);
          if (found === undefined) groups.set(id, group);
        }
        const groupStates = states[group]!;
        for (let s = 0; s < aggregators.length; s++) {
          const args = rowArgs[s]!;
          const columns = argColumns[s]!;
          for (let a = 0; a < args.length; a++) args[a] = columns[a]![i]!;
          groupStates[s] = aggregators[s]!.step(groupStates[s], args);
        }
      }
      this.env.onHolding?.('summarize', groupKeys.length);
    }

    const inner: Value[][] = node.innerSchema.map(() => []);
    for (let g = 0; g < groupKeys.length; g++) {
      let c = 0;
      for (const v of groupKeys[g]!) inner[c++]!.push(v);
      aggregators.forEach((agg, s) => {
        const result = agg.finish(states[g]![s]);
        // Multi-output aggregates (arg_max, take_any) finish with one value per output, even when that is one.
        if (node.aggregates[s]!.fn.multiOutput) for (const v of result as Value[]) inner[c++]!.push(v);
        else inner[c++]!.push(result as Value);
      });
    }
    let out: Batch = { schema: node.innerSchema, columns: inner, length: groupKeys.length };
    if (node.post) {
      const post: CompiledExpr[] = [];
      for (const e of node.post) post.push(await this.compile(e));
      out = { schema: node.schema, columns: post.map((p) => p(out)), length: out.length };
    }
    yield* chunks(out);
  }
}

function appendAll(target: Value[], source: Value[]): void {
  for (let i = 0; i < source.length; i++) target.push(source[i]!);
}

async function* single(batch: Batch): AsyncIterable<Batch> {
  yield batch;
}

/** Splits a large batch into BATCH_SIZE pieces. */
async function* chunks(batch: Batch): AsyncIterable<Batch> {
  if (batch.length <= BATCH_SIZE) {
    yield batch;
    return;
  }
  for (let start = 0; start < batch.length; start += BATCH_SIZE) {
    const end = Math.min(batch.length, start + BATCH_SIZE);
    yield { schema: batch.schema, columns: batch.columns.map((c) => c.slice(start, end)), length: end - start };
  }
}

/** `range`: inclusive of `to` when the step lands on it; an empty range when the step goes the wrong way. */
async function* rangeRows(node: RangeNode, from: Value, to: Value, step: Value): AsyncIterable<Batch> {
  if (from === null || to === null || step === null) return;
  const bigintRange = typeof from === 'bigint';
  const stepValue = bigintRange ? (step as bigint) : Number(step);
  if (stepValue === 0 || stepValue === 0n) return;
  const ascending = bigintRange ? (stepValue as bigint) > 0n : (stepValue as number) > 0;
  let current: number | bigint = bigintRange ? (from as bigint) : Number(from);
  const end: number | bigint = bigintRange ? (to as bigint) : Number(to);
  const limit = 100_000_000;
  let produced = 0;
  let buffer: Value[] = [];
  const inRange = () => (ascending ? current <= end : current >= end);
  while (inRange() && produced < limit) {
    buffer.push(current);
    produced++;
    current = bigintRange ? (current as bigint) + (stepValue as bigint) : (current as number) + (stepValue as number);
    if (buffer.length === BATCH_SIZE) {
      yield { schema: node.schema, columns: [buffer], length: buffer.length };
      buffer = [];
    }
  }
  if (buffer.length > 0) yield { schema: node.schema, columns: [buffer], length: buffer.length };
}
