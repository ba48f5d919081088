/**
 * The binder's output: typed scalar expressions and typed tabular operators with their schemas.
 * This is the logical plan the planner rewrites and the executor runs; it refers to functions by
 * their registry entries, to columns by position in the input schema, and keeps source spans for
 * runtime diagnostics.
 */
import type { AggregateFunction, ArgInfo, ScalarFunction } from '../functions/registry.js';
import type { Span } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import type { ScalarType, Schema, Value } from '../values/types.js';
import type { GraphPlanNode } from './graph-plan.js';

// ───────────────────────────── scalar ─────────────────────────────

export type BoundExpr = ColumnRef | Constant | CallExpr | AccessExpr | SubqueryExpr;

export interface ColumnRef {
  kind: 'Column';
  index: number;
  name: string;
  type: ScalarType;
}

export interface Constant {
  kind: 'Constant';
  value: Value;
  type: ScalarType;
  /** Set for a type literal `typeof(T)` passed as an argument (extract, extract_json). */
  typeLiteral?: ScalarType;
}

/** A scalar function or an operator (both are registry entries). */
export interface CallExpr {
  kind: 'Call';
  fn: ScalarFunction;
  args: BoundExpr[];
  type: ScalarType;
  span: Span;
}

/** `x[i]`, `x["key"]`, `x.key` on a dynamic value. */
export interface AccessExpr {
  kind: 'Access';
  target: BoundExpr;
  key: BoundExpr;
  type: 'dynamic';
}

/**
 * A tabular expression used as a scalar: `toscalar(T | …)` (first cell) or the list of an
 * `in`/`has_any` (first column as a dynamic array). Evaluated once before the query runs.
 */
export interface SubqueryExpr {
  kind: 'Subquery';
  plan: PlanNode;
  mode: 'scalar' | 'list';
  type: ScalarType;
}

/** Column indexes an expression reads from its input (for projection pushdown). */
export function referencedColumns(expr: BoundExpr, into: Set<number>): Set<number> {
  switch (expr.kind) {
    case 'Column':
      into.add(expr.index);
      break;
    case 'Call':
      for (const a of expr.args) referencedColumns(a, into);
      break;
    case 'Access':
      referencedColumns(expr.target, into);
      referencedColumns(expr.key, into);
      break;
    default:
      break;
  }
  return into;
}

export function argInfo(expr: BoundExpr): ArgInfo {
  if (expr.kind === 'Constant') {
    return expr.typeLiteral ? { type: expr.type, typeLiteral: expr.typeLiteral, constant: { value: null } } : { type: expr.type, constant: { value: expr.value } };
  }
  return expr.kind === 'Column' ? { type: expr.type, columnName: expr.name } : { type: expr.type };
}

// ───────────────────────────── tabular ─────────────────────────────

export type PlanNode =
  | ScanNode
  | ValuesNode
  | RangeNode
  | FilterNode
  | ProjectNode
  | AggregateNode
  | SortNode
  | TakeNode
  | UnionNode
  | JoinNode
  | MvExpandNode
  | ParseNode
  | WindowNode
  | ExternalNode
  | BagUnpackNode
  | MvApplyNode
  | MakeSeriesNode
  | ParseKvNode
  | PartitionNode
  | TopNestedNode
  | PredicateJoinNode
  | ActivityWindowsNode
  | GraphPlanNode;

interface PlanBase {
  schema: Schema;
}

/** Rows of a table from the catalog. `columns` (set by the planner) lists the columns the query reads. */
export interface ScanNode extends PlanBase {
  kind: 'Scan';
  table: string;
  columns?: string[];
}

/** Literal rows: `print`, `datatable`. */
export interface ValuesNode extends PlanBase {
  kind: 'Values';
  rows: Value[][];
}

/** `range x from a to b step s` */
export interface RangeNode extends PlanBase {
  kind: 'Range';
  /** Row-independent expressions (constants, toscalar), evaluated once before the rows are made. */
  from: BoundExpr;
  to: BoundExpr;
  step: BoundExpr;
}

export interface FilterNode extends PlanBase {
  kind: 'Filter';
  input: PlanNode;
  predicate: BoundExpr;
}

/** One output column per entry: `project`, `extend`, `project-away/-keep/-rename/-reorder` all become this. */
export interface ProjectNode extends PlanBase {
  kind: 'Project';
  input: PlanNode;
  exprs: BoundExpr[];
}

export interface AggregateSlot {
  fn: AggregateFunction;
  args: BoundExpr[];
  /** Number of output columns (1, or one per argument for arg_max / arg_min / take_any(a, b)). */
  outputs: number;
}

/**
 * `summarize`, `distinct`, `count`: output = group keys, then every aggregate slot's outputs,
 * then (when `post` is set) a projection over those columns (for `sum(a) + sum(b)`).
 */
export interface AggregateNode extends PlanBase {
  kind: 'Aggregate';
  input: PlanNode;
  keys: BoundExpr[];
  aggregates: AggregateSlot[];
  /** Schema of keys + aggregate outputs before `post`. */
  innerSchema: Schema;
  post?: BoundExpr[];
}

export interface SortKey {
  expr: BoundExpr;
  descending: boolean;
  nullsFirst: boolean;
}

export interface SortNode extends PlanBase {
  kind: 'Sort';
  input: PlanNode;
  keys: SortKey[];
  /** `top N`: keep only the first N rows of the order. */
  limit?: number;
}

export interface TakeNode extends PlanBase {
  kind: 'Take';
  input: PlanNode;
  count: number;
}

export interface UnionLeg {
  plan: PlanNode;
  /** For each output column, the leg's column index feeding it, or -1 (null / "" fill). */
  columnMap: number[];
  /** Value of the `withsource` column for this leg. */
  sourceName: string;
}

export interface UnionNode extends PlanBase {
  kind: 'Union';
  legs: UnionLeg[];
  /** Index of the `withsource=` column in the output, or -1. */
  sourceColumn: number;
}

export type JoinKind =
  | 'innerunique' | 'inner' | 'leftouter' | 'rightouter' | 'fullouter'
  | 'leftsemi' | 'leftanti' | 'rightsemi' | 'rightanti';

/**
 * `join` and `lookup`: a hash join. The right side is held in memory (the smaller side by Kusto's
 * own advice); the left side streams. `outputs` says where each output column comes from.
 */
export interface JoinNode extends PlanBase {
  kind: 'Join';
  joinKind: JoinKind;
  left: PlanNode;
  right: PlanNode;
  leftKeys: BoundExpr[];
  rightKeys: BoundExpr[];
  outputs: { side: 'left' | 'right'; index: number }[];
}

/** One expanded column of `mv-expand`: its source expression, output column and element type. */
export interface MvExpansion {
  expr: BoundExpr;
  outputIndex: number;
  /** Element type (`to typeof(T)`); dynamic when not given. */
  type: ScalarType;
}

export interface MvExpandNode extends PlanBase {
  kind: 'MvExpand';
  input: PlanNode;
  /** Input columns carried to the output, in output order (-1 where an expansion or the index goes). */
  carried: number[];
  expansions: MvExpansion[];
  bagExpansion: 'bag' | 'array';
  /** Output index of the `with_itemindex` column, or -1. */
  itemIndexColumn: number;
  limit: number;
}

export type ParseStep =
  | { kind: 'text'; value: string }
  | { kind: 'capture'; outputIndex: number; type: ScalarType }
  | { kind: 'skip' };

/**
 * `parse` / `parse-where`: the pattern compiled to one RE2 regular expression whose groups fill
 * the capture columns (`columns` lists their output indexes, in group order).
 */
export interface ParseNode extends PlanBase {
  kind: 'Parse';
  input: PlanNode;
  source: BoundExpr;
  regex: string;
  flags: string;
  captures: { outputIndex: number; type: ScalarType }[];
  /** Output column → input column index, or -1 for a capture column. */
  carried: number[];
  /** parse-where drops rows that do not match; parse keeps them with empty captures. */
  dropUnmatched: boolean;
  /** simple/regex: a typed capture that does not convert fails the whole match; relaxed: only it is null. */
  strictTypes: boolean;
}

/**
 * `serialize` and the window functions over serialized rows (`row_number()`, `prev()`, `next()`):
 * the new columns are computed in row order across batches.
 */
export interface WindowNode extends PlanBase {
  kind: 'Window';
  input: PlanNode;
  /** Appended columns, each a window function call over input columns. */
  columns: WindowColumn[];
}

export type WindowColumn =
  | { fn: 'row_number'; start: number; restart?: BoundExpr }
  | { fn: 'prev' | 'next'; expr: BoundExpr; offset: number; fallback: Value }
  | RunningWindowColumn;

/** Window functions whose value depends only on the rows so far: computed as rows arrive. */
export type RunningWindowColumn =
  | { fn: 'row_cumsum' | 'row_rank_min' | 'row_rank_dense'; expr: BoundExpr; restart?: BoundExpr }
  /** Gaps in ticks (100 ns), as datetimes are stored. */
  | { fn: 'row_window_session'; expr: BoundExpr; maxFromFirst: bigint; maxBetween: bigint; restart?: BoundExpr };

/** The expressions a window column reads from its input row. */
export function windowInputs(column: WindowColumn): BoundExpr[] {
  const restart = 'restart' in column && column.restart ? [column.restart] : [];
  return column.fn === 'row_number' ? restart : [column.expr, ...restart];
}

/**
 * `evaluate activity_counts_metrics(Id, Time, Start, End, Window [, dims…])` and
 * `evaluate sliding_window_counts(Id, Time, Start, End, Lookback, Bin [, dims…])`: per time bin from Start
 * to End (and per combination of the dimensions), counts of the rows and distinct ids in that bin (or in
 * the lookback ending with it). Times are datetime ticks, spans timespan ticks.
 */
export interface ActivityWindowsNode extends PlanBase {
  kind: 'ActivityWindows';
  plugin: 'activity_counts_metrics' | 'sliding_window_counts';
  input: PlanNode;
  id: BoundExpr;
  time: BoundExpr;
  dims: BoundExpr[];
  start: bigint;
  end: bigint;
  bin: bigint;
  /** sliding_window_counts: the span each bin's counts look back over, ending with the bin. */
  lookback: bigint;
}

/** `externaldata`: rows from local files (paths or file:// URIs), typed by the declared schema. */
export interface ExternalNode extends PlanBase {
  kind: 'External';
  paths: string[];
  /** `format` property: csv (default), tsv, txt, json, multijson, … */
  format: string;
  ignoreFirstRecord: boolean;
  /** URIs this offline engine cannot read (http(s), cloud storage): reported when the rows are needed. */
  unreachable?: Diagnostic[];
}

/** `evaluate bag_unpack(col)`: each output column is an input column or one property of the bag. */
export interface BagUnpackNode extends PlanBase {
  kind: 'BagUnpack';
  input: PlanNode;
  bag: BoundExpr;
  outputs: ({ from: 'input'; index: number } | { from: 'bag'; key: string })[];
}

/**
 * `mv-apply`: each input row's expanded values form a sub-table (`source`, whose rows the executor
 * sets per input row) that `subquery` runs over; its rows follow the row's carried columns.
 */
export interface MvApplyNode extends PlanBase {
  kind: 'MvApply';
  input: PlanNode;
  /** Input columns kept in the output (not expanded under their own name); the sub-table starts with them. */
  carried: number[];
  /** Per carried column, the sub-query output column of the same name that replaces it, or -1. */
  carriedFromSubquery: number[];
  /** Sub-query output columns appended after the carried ones. */
  subqueryExtra: number[];
  expansions: { expr: BoundExpr; type: ScalarType }[];
  withItemIndex: boolean;
  limit: number;
  source: ValuesNode;
  subquery: PlanNode;
}

/** `make-series`: per group, one array per aggregate over the bins of the axis, and the axis itself. */
export interface MakeSeriesNode extends PlanBase {
  kind: 'MakeSeries';
  input: PlanNode;
  keys: BoundExpr[];
  aggregates: AggregateSlot[];
  defaults: Value[];
  axis: BoundExpr;
  from: Value;
  to: Value;
  step: Value;
  /** kind=nonempty: one row of defaults even when there is no input (and no `by`). */
  nonempty: boolean;
}

/** How parse-kv finds keys and values (see exec/key-values.ts). */
export type KeyValueMode =
  | { kind: 'delimited'; pair: string; kv: string; quote: [string, string] | undefined; escape: string | undefined; greedy: boolean }
  | { kind: 'auto'; quote: [string, string] | undefined; escape: string | undefined }
  | { kind: 'regex'; regex: string };

export interface ParseKvNode extends PlanBase {
  kind: 'ParseKv';
  input: PlanNode;
  source: BoundExpr;
  keys: { key: string; outputIndex: number; type: ScalarType }[];
  carried: number[];
  mode: KeyValueMode;
}

/** `partition by Column (sub-query)`: the sub-query runs over each group of rows (re-pointing `source`). */
export interface PartitionNode extends PlanBase {
  kind: 'Partition';
  input: PlanNode;
  key: number;
  /** The sub-query's source: each partition's rows are put here before it runs. */
  source: ValuesNode;
  /**
   * Legacy `{ query }` form: the one-row, one-column table the key column's name stands for inside
   * the query (its own source); the key value is put here before each run.
   */
  keyTable?: ValuesNode;
  subquery: PlanNode;
}

/** One level of `top-nested`: group by `of` (within the outer levels), keep the top `count` by the aggregate. */
export interface TopNestedLevel {
  of: BoundExpr;
  aggregate: AggregateSlot;
  count: number;
  descending: boolean;
  /** `with others = V`: one more row per parent group holding V and the aggregate over the rest. */
  others?: Value;
}

export interface TopNestedNode extends PlanBase {
  kind: 'TopNested';
  input: PlanNode;
  levels: TopNestedLevel[];
}

/**
 * A join on a predicate rather than equal keys (the lookup plugins: ipv4_lookup, geo_polygon_lookup, …):
 * `predicate` is bound over the left columns followed by the right columns; the right side is held.
 */
export interface PredicateJoinNode extends PlanBase {
  kind: 'PredicateJoin';
  left: PlanNode;
  right: PlanNode;
  predicate: BoundExpr;
  /** Left rows without a match are kept (right cells empty). */
  keepUnmatched: boolean;
  outputs: { side: 'left' | 'right'; index: number }[];
}
