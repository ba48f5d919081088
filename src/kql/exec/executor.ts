/**
 * Runs a plan: every operator is an async stream of column batches pulled from its input.
 * Streaming operators (filter, project, take, union) hold one batch at a time; blocking ones
 * (aggregate, sort) hold their state and report its size through `onMemory`.
 */
import type { EvalContext } from '../functions/registry.js';
import { KqlError } from '../syntax/diagnostics.js';
import { BATCH_SIZE, type Batch, type ScanFilter, type Selection, batchRows, gather, selectRows } from '../values/batch.js';
import type { Schema, Value } from '../values/types.js';
import {
  type AggregateNode, type BoundExpr, type FilterNode, type PlanNode, type ProjectNode, type RangeNode, type SortNode,
  type ScanNode, type SubqueryExpr, type TakeNode, type UnionNode, argInfo,
} from '../semantics/bound.js';
import { type CompiledExpr, compileExpr, rowsKeptByAll } from './expressions.js';
import { SharedScans } from './shared-scans.js';
import { scanFilterOf } from './portable-filter.js';
import { GroupIndex } from './group-index.js';
import { type HoldingReporter, MemoryBudget, valueBytes } from './memory.js';
import { SharedResults } from './shared-results.js';
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
  /** Told what blocking operators hold (rows or groups, estimated bytes), for progress and memory reporting. */
  onHolding?: HoldingReporter;
  /** The most the blocking operators may hold together, in estimated bytes (default: defaultMemoryLimit()). */
  maxMemory?: number;
  /** Shared by the runs of one query (sub-queries, data-dependent binding); made from maxMemory when absent. */
  budget?: MemoryBudget;
}

/** Per held row of a sort: its slot in the order array. */
const ROW_INDEX_BYTES = 8;
/**
 * Per summarize group, besides what the group index counts (its codes and slots, new key values)
 * and the aggregate states: bookkeeping and headroom. Measured with V8 (`node --expose-gc`, 200,000
 * groups of the seed rule's summarize: count, make_set, min, max by five strings): 336 bytes of heap
 * per group, key strings included; the estimate comes to about 455.
 */
const GROUP_OVERHEAD_BYTES = 48;
/** Per key column and group: the group's slot for its key value. */
const KEY_SLOT_BYTES = 8;
/** Per aggregate and group, unless the aggregate says otherwise (stateBytes): a number or a small object. */
const AGGREGATE_STATE_BYTES = 48;

export function execute(plan: PlanNode, env: ExecutionEnv): AsyncIterable<Batch> {
  return new Executor(env, plan).run(plan);
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

  /** One budget per query: every blocking operator's account counts against the same limit. */
  private readonly budget: MemoryBudget;

  /** Results of plan parts read more than once (a `let` named by several branches), run once. */
  private readonly shared: SharedResults;

  constructor(
    private readonly env: ExecutionEnv,
    root: PlanNode,
  ) {
    this.budget = env.budget ?? new MemoryBudget(env.maxMemory, env.onHolding);
    this.shared = new SharedResults(root, this.budget);
    const tables = env.tables;
    const scanFiltered = tables.scanFiltered?.bind(tables);
    this.sharedScans = new SharedScans(root, this.fusable, scanFiltered && {
      compile: (expr) => this.compile(expr),
      scanFiltered: (table, columns, scan, filter) => scanFiltered(table, columns, scan.schema, filter),
      now: env.context.now,
      budget: this.budget,
    });
  }

  /** A `where` joins the chain above it unless its result is shared (read through run(), which keeps it). */
  private readonly fusable = (node: PlanNode): node is FilterNode => node.kind === 'Filter' && !this.shared.isShared(node);

  /** Chains of `where`s over the same table that read it in one pass. */
  private readonly sharedScans: SharedScans;

  run(plan: PlanNode): AsyncIterable<Batch> {
    return this.shared.stream(plan, () => this.runNode(plan));
  }

  private runNode(plan: PlanNode): AsyncIterable<Batch> {
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
        return hashJoin(plan, this.runner, this.compiler, this.budget);
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
    for await (const { batch, rows } of this.selected(node, true)) yield rows === undefined ? batch : selectRows(batch, rows);
  }

  /**
   * The batches of `plan` with the rows it keeps (`running`: `plan` is the `where` being run): for a
   * chain of `where`s, the input batches and the
   * rows every predicate accepted (each predicate is evaluated only on the rows the ones before it
   * kept, and no column is copied); for any other plan, its batches whole. Batches with no row kept
   * are skipped.
   */
  private async *selected(plan: PlanNode, running = false): AsyncIterable<{ batch: Batch; rows?: Selection }> {
    const fusable = this.fusable;
    if (!running && !fusable(plan)) {
      for await (const batch of this.run(plan)) yield { batch };
      return;
    }
    const chain: FilterNode[] = [plan as FilterNode];
    let source: PlanNode = (plan as FilterNode).input;
    for (; fusable(source); source = source.input) chain.unshift(source);
    const sharedScan = source.kind === 'Scan' ? this.sharedScans.stream(plan as FilterNode) : undefined;
    if (sharedScan) {
      yield* sharedScan;
      return;
    }
    const predicates: CompiledExpr[] = [];
    for (const f of chain) predicates.push(await this.compile(f.predicate));
    if (source.kind === 'Scan') {
      const pushed = this.filteredScan(chain, source, predicates);
      if (pushed) {
        for await (const batch of pushed) yield { batch };
        return;
      }
    }
    for await (const batch of this.run(source)) {
      const rows = rowsKeptByAll(batch, predicates);
      if (rows === undefined) yield { batch };
      else if (rows.length > 0) yield { batch, rows };
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
   * scanning. Undefined when the reader cannot filter.
   */
  private filteredScan(chain: readonly FilterNode[], scan: ScanNode, predicates: readonly CompiledExpr[]): AsyncIterable<Batch> | undefined {
    const tables = this.env.tables;
    if (!tables.scanFiltered) return undefined;
    const filter = scanFilterOf(chain.map((f) => f.predicate), predicates, scan.schema, this.env.context.now);
    return tables.scanFiltered(scan.table, scan.columns, scan.schema, filter);
  }

  private async *project(node: ProjectNode): AsyncIterable<Batch> {
    const exprs: CompiledExpr[] = [];
    for (const e of node.exprs) exprs.push(await this.compile(e));
    for await (const { batch, rows } of this.selected(node.input)) {
      yield { schema: node.schema, columns: exprs.map((e) => e(batch, rows)), length: rows?.length ?? batch.length };
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
    const account = this.budget.open('sort');
    for await (const { batch, rows } of this.selected(node.input)) {
      const n = rows?.length ?? batch.length;
      let bytes = 0;
      batch.columns.forEach((col, c) => (bytes += appendAll(held[c]!, rows === undefined ? col : gather(col, rows))));
      keyExprs.forEach((k, i) => (bytes += appendAll(keyColumns[i]!, k(batch, rows))));
      account.add(n, bytes + ROW_INDEX_BYTES * n);
      account.report();
    }
    const total = account.rows;
    const order = Array.from({ length: total }, (_, i) => i);
    order.sort(rowComparator(node.keys, keyColumns));
    const limit = node.limit === undefined ? total : Math.min(node.limit, total);
    account.close();
    for (let start = 0; start < limit; start += BATCH_SIZE) {
      const slice = order.slice(start, Math.min(limit, start + BATCH_SIZE));
      yield { schema: node.schema, columns: held.map((col) => gather(col, slice)), length: slice.length };
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
    const index = node.keys.length > 0 ? new GroupIndex(node.keys.map((k) => k.type)) : undefined;
    const groupKeys: Value[][] = node.keys.map(() => []);
    // One flat array of states, `width` per group: no array object per group (millions of groups at 10M events).
    const width = aggregators.length;
    const states: unknown[] = [];
    let groupCount = 0;
    const account = this.budget.open(node.aggregates.length === 0 ? 'distinct' : 'summarize');
    const groupBytes = node.aggregates.reduce((bytes, slot) => bytes + (slot.fn.stateBytes ?? AGGREGATE_STATE_BYTES), GROUP_OVERHEAD_BYTES);
    // Without `by`, there is exactly one group even over no rows (count() = 0, make_set() = []).
    if (!index) {
      for (const a of aggregators) states.push(a.init());
      groupCount = 1;
    }

    for await (const { batch, rows } of this.selected(node.input)) {
      const n = rows?.length ?? batch.length;
      const keyColumns = keyExprs.map((k) => k(batch, rows));
      const argColumns = slotArgs.map((args) => args.map((a) => a(batch, rows)));
      const rowArgs = node.aggregates.map((slot) => new Array<Value>(slot.args.length));
      const groups = index?.groupsOf(keyColumns, n);
      let newBytes = 0;
      let newGroups = 0;
      for (let i = 0; i < n; i++) {
        let group = 0;
        if (groups) {
          group = groups[i]!;
          if (group === groupCount) {
            for (const a of aggregators) states.push(a.init());
            groupCount++;
            // Key values are shared through the index's dictionaries (counted there, once per distinct value).
            for (let k = 0; k < keyColumns.length; k++) groupKeys[k]!.push(index!.keyValue(k, i));
            newBytes += groupBytes + KEY_SLOT_BYTES * keyColumns.length;
            newGroups++;
          }
        }
        const base = group * width;
        for (let s = 0; s < width; s++) {
          const args = rowArgs[s]!;
          const columns = argColumns[s]!;
          for (let a = 0; a < args.length; a++) args[a] = columns[a]![i]!;
          states[base + s] = aggregators[s]!.step(states[base + s], args);
        }
      }
      if (index) newBytes += index.takeAddedBytes();
      if (newGroups > 0 || newBytes > 0) account.add(newGroups, newBytes, 'groups');
      account.report();
    }

    const groups = groupCount;
    const inner: Value[][] = [...groupKeys];
    const results: Value[][] = node.innerSchema.slice(groupKeys.length).map(() => new Array<Value>(groups));
    for (let g = 0; g < groups; g++) {
      let c = 0;
      aggregators.forEach((agg, s) => {
        const result = agg.finish(states[g * width + s]);
        // Multi-output aggregates (arg_max, take_any) finish with one value per output, even when that is one.
        if (node.aggregates[s]!.fn.multiOutput) for (const v of result as Value[]) results[c++]![g] = v;
        else results[c++]![g] = result as Value;
      });
    }
    account.close();
    inner.push(...results);
    let out: Batch = { schema: node.innerSchema, columns: inner, length: groups };
    if (node.post) {
      const post: CompiledExpr[] = [];
      for (const e of node.post) post.push(await this.compile(e));
      out = { schema: node.schema, columns: post.map((p) => p(out)), length: out.length };
    }
    yield* chunks(out);
  }
}

/** Appends `source` to `target`; returns the estimated bytes appended. */
function appendAll(target: Value[], source: Value[]): number {
  let bytes = 0;
  for (let i = 0; i < source.length; i++) {
    const v = source[i]!;
    target.push(v);
    bytes += valueBytes(v);
  }
  return bytes;
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
