/**
 * The KQL syntax tree. Plain data: the parser builds it, the binder reads it.
 * Every node carries `start`/`end` offsets into the query text (end exclusive) so that any later
 * phase can report a diagnostic at the right line and column.
 *
 * Scalar and tabular expressions share one `Expression` union, as in Kusto's grammar: whether
 * `X` names a table, a `let`-bound scalar or a column is decided by the binder, not the parser.
 */

export interface Span {
  start: number;
  end: number;
}

// ───────────────────────────── statements ─────────────────────────────

export interface Query extends Span {
  kind: 'Query';
  statements: Statement[];
}

export type Statement = LetStatement | SetStatement | ExpressionStatement | UnsupportedStatement;

/** `set OptionName [= value];` — a request property for the rest of the query (e.g. query_bin_auto_size). */
export interface SetStatement extends Span {
  kind: 'SetStatement';
  name: Identifier;
  /** Absent for `set OptionName;`, which sets the option to true. */
  value?: Expression;
}

/** `let Name = expression;` — the value may be scalar or tabular. */
export interface LetStatement extends Span {
  kind: 'LetStatement';
  name: Identifier;
  value: Expression | FunctionDefinition;
}

/**
 * `let f = (a:string, b:long = 5) { body };` — parsed so that the binder can say precisely that
 * user-defined functions are not supported yet.
 */
export interface FunctionDefinition extends Span {
  kind: 'FunctionDefinition';
  /** `view () { … }`: a parameterless function that `union *` and `search` read like a table. */
  view?: boolean;
  parameters: { name: Identifier; typeName: string; defaultValue?: Expression }[];
  body: Statement[];
}

export interface ExpressionStatement extends Span {
  kind: 'ExpressionStatement';
  expression: Expression;
}

/** A statement recognised but not supported (`declare`, `alias`, `restrict`, `pattern`…). */
export interface UnsupportedStatement extends Span {
  kind: 'UnsupportedStatement';
  keyword: string;
}

// ───────────────────────────── expressions ─────────────────────────────

export type Expression =
  | NameReference
  | Literal
  | DynamicLiteral
  | UnaryExpression
  | BinaryExpression
  | InExpression
  | BetweenExpression
  | CallExpression
  | IndexExpression
  | MemberExpression
  | ParenthesizedExpression
  | StarExpression
  | NamedArgument
  | PipeExpression
  | PrintExpression
  | DatatableExpression
  | RangeExpression
  | UnionExpression
  | ExternalDataExpression
  | FindExpression;

/** A plain or bracketed identifier: `FileName`, `['File Name']`, `["x"]`. */
export interface Identifier extends Span {
  kind: 'Identifier';
  name: string;
}

export interface NameReference extends Span {
  kind: 'NameReference';
  name: string;
}

/**
 * A scalar literal. `value` is decoded by the parser where that needs no knowledge of types:
 *   string → the decoded string (escapes applied, adjacent literals concatenated)
 *   bool   → boolean
 *   int / long / real → number (`long` for integer literals, `real` for `1.5`, `1e3`, `real(1)`)
 *   timespan → bigint ticks (100 ns) for `24h`, `1.5h`, `timespan(1d)`, `time(2)` …
 *   datetime / guid / decimal → the raw text inside `datetime(…)`, `guid(…)`, `decimal(…)`,
 *                               converted by the binder (the parser knows no calendars)
 *   any type → `null` for `long(null)`, `datetime(null)`, `timespan(null)`, `dynamic(null)`, …
 * `text` is the literal exactly as written in the query (for names like `print_0` and messages).
 */
export interface Literal extends Span {
  kind: 'Literal';
  type: LiteralType;
  value: string | number | boolean | bigint | null;
  text: string;
}

export type LiteralType = 'string' | 'bool' | 'int' | 'long' | 'real' | 'decimal' | 'datetime' | 'timespan' | 'guid' | 'dynamic';

/** `dynamic([...])`, `dynamic({...})` or a scalar inside `dynamic(...)`. */
export interface DynamicLiteral extends Span {
  kind: 'DynamicLiteral';
  value: DynamicLiteralNode;
}

export type DynamicLiteralNode =
  | { kind: 'array'; items: DynamicLiteralNode[] }
  | { kind: 'object'; entries: { key: string; value: DynamicLiteralNode }[] }
  | { kind: 'scalar'; literal: Literal };

export interface UnaryExpression extends Span {
  kind: 'UnaryExpression';
  operator: '-' | '+';
  operand: Expression;
}

/**
 * Binary operators, written exactly as in KQL (lower-case for the word operators):
 * logical `and` `or`; comparison `==` `!=` `<>` `<` `<=` `>` `>=` `=~` `!~`;
 * arithmetic `+` `-` `*` `/` `%`;
 * string predicates `has` `!has` `has_cs` `!has_cs` `hasprefix` `!hasprefix` `hasprefix_cs` `!hasprefix_cs`
 * `hassuffix` `!hassuffix` `hassuffix_cs` `!hassuffix_cs` `contains` `!contains` `contains_cs` `!contains_cs`
 * `startswith` `!startswith` `startswith_cs` `!startswith_cs` `endswith` `!endswith` `endswith_cs` `!endswith_cs`
 * `matches regex` (stored as `matches regex`) and `like`-family words are not KQL.
 */
export interface BinaryExpression extends Span {
  kind: 'BinaryExpression';
  operator: string;
  left: Expression;
  right: Expression;
  /** Span of the operator token itself, for diagnostics. */
  operatorSpan: Span;
}

/**
 * List operators: `in` `!in` `in~` `!in~` `has_any` `has_all`.
 * Each list item is a scalar expression (often a literal or a `let`-bound dynamic array) or a
 * tabular expression in parentheses (`x in ((T | project y))`, or `x in (T)` for a tabular name).
 */
export interface InExpression extends Span {
  kind: 'InExpression';
  operator: 'in' | '!in' | 'in~' | '!in~' | 'has_any' | 'has_all';
  left: Expression;
  items: Expression[];
  operatorSpan: Span;
}

/** `x between (low .. high)` and `x !between (low .. high)`. */
export interface BetweenExpression extends Span {
  kind: 'BetweenExpression';
  negated: boolean;
  left: Expression;
  low: Expression;
  high: Expression;
}

/** `name(args)`. `count()` and `arg_max(Timestamp, *)` use `StarExpression` for `*`. */
export interface CallExpression extends Span {
  kind: 'CallExpression';
  name: Identifier;
  args: Expression[];
  /** Set for a call after a dot, `target.name(args)`, e.g. `cluster('c').database('d')`. */
  target?: Expression;
}

/** `x[0]`, `x[-1]`, `x["key"]`. */
export interface IndexExpression extends Span {
  kind: 'IndexExpression';
  target: Expression;
  index: Expression;
}

/** `x.key` (also `x.['key']`). */
export interface MemberExpression extends Span {
  kind: 'MemberExpression';
  target: Expression;
  member: Identifier;
}

export interface ParenthesizedExpression extends Span {
  kind: 'ParenthesizedExpression';
  expression: Expression;
}

export interface StarExpression extends Span {
  kind: 'StarExpression';
}

/**
 * A named call argument, `f(c=7, a=12)` (user functions, some built-ins): appears only in
 * `CallExpression.args`.
 */
export interface NamedArgument extends Span {
  kind: 'NamedArgument';
  name: Identifier;
  value: Expression;
}

/** `source | operator`. A pipeline `T | a | b` is `Pipe(Pipe(T, a), b)`. */
export interface PipeExpression extends Span {
  kind: 'PipeExpression';
  source: Expression;
  operator: QueryOperator;
}

/** `print [Name =] expr, …` */
export interface PrintExpression extends Span {
  kind: 'PrintExpression';
  columns: NamedExpression[];
}

/** `datatable(Name:type, …) [v1, v2, …]` — values row-major. */
export interface DatatableExpression extends Span {
  kind: 'DatatableExpression';
  columns: { name: Identifier; typeName: string; typeSpan: Span }[];
  values: Expression[];
}

/** `range Name from a to b step s` */
export interface RangeExpression extends Span {
  kind: 'RangeExpression';
  name: Identifier;
  from: Expression;
  to: Expression;
  step: Expression;
}

/** `union [kind=inner|outer] [withsource=Name] [isfuzzy=true|false] T1, T2, …` (also as `| union …`). */
export interface UnionExpression extends Span {
  kind: 'UnionExpression';
  parameters: OperatorParameter[];
  tables: Expression[];
}

/** `name=value` parameters on operators (`kind=outer`, `withsource=Src`, `isfuzzy=true`, hints). */
export interface OperatorParameter extends Span {
  kind: 'OperatorParameter';
  name: string;
  /** The value as written: an identifier, number or string literal's text/decoded value. */
  value: string | number | boolean;
}

/** `Name = expr`, `(A, B) = expr` or a bare `expr` (name chosen by the binder). */
export interface NamedExpression extends Span {
  kind: 'NamedExpression';
  names: Identifier[];
  expression: Expression;
}

// ───────────────────────────── tabular operators (after `|`) ─────────────────────────────

export type QueryOperator =
  | WhereOperator
  | ExtendOperator
  | ProjectOperator
  | ProjectAwayOperator
  | ProjectKeepOperator
  | ProjectRenameOperator
  | ProjectReorderOperator
  | SummarizeOperator
  | CountOperator
  | TakeOperator
  | TopOperator
  | SortOperator
  | DistinctOperator
  | UnionOperator
  | JoinOperator
  | LookupOperator
  | MvExpandOperator
  | ParseOperator
  | AsOperator
  | InvokeOperator
  | RenderOperator
  | SerializeOperator
  | GetSchemaOperator
  | EvaluateOperator
  | MvApplyOperator
  | MakeSeriesOperator
  | ParseKvOperator
  | PartitionOperator
  | SearchOperator
  | TopNestedOperator
  | MakeGraphOperator
  | GraphMatchOperator
  | GraphToTableOperator
  | GraphMarkComponentsOperator
  | UnsupportedOperator;

/** `where` / `filter` */
export interface WhereOperator extends Span {
  kind: 'WhereOperator';
  predicate: Expression;
}

export interface ExtendOperator extends Span {
  kind: 'ExtendOperator';
  columns: NamedExpression[];
}

export interface ProjectOperator extends Span {
  kind: 'ProjectOperator';
  columns: NamedExpression[];
}

/** A column name that may contain `*` wildcards, as used by project-away / project-keep / project-reorder. */
export interface ColumnPattern extends Span {
  kind: 'ColumnPattern';
  pattern: string;
}

export interface ProjectAwayOperator extends Span {
  kind: 'ProjectAwayOperator';
  columns: ColumnPattern[];
}

export interface ProjectKeepOperator extends Span {
  kind: 'ProjectKeepOperator';
  columns: ColumnPattern[];
}

export interface ProjectRenameOperator extends Span {
  kind: 'ProjectRenameOperator';
  renames: { newName: Identifier; oldName: Identifier }[];
}

/** `project-reorder A, B* asc, C` (asc/desc/granny-asc/granny-desc apply to wildcard matches). */
export interface ProjectReorderOperator extends Span {
  kind: 'ProjectReorderOperator';
  columns: { pattern: ColumnPattern; order?: 'asc' | 'desc' | 'granny-asc' | 'granny-desc' }[];
}

/** `summarize [params] [aggregates] [by groups]` */
export interface SummarizeOperator extends Span {
  kind: 'SummarizeOperator';
  parameters: OperatorParameter[];
  aggregates: NamedExpression[];
  by: NamedExpression[];
}

export interface CountOperator extends Span {
  kind: 'CountOperator';
}

/** `take N` / `limit N` */
export interface TakeOperator extends Span {
  kind: 'TakeOperator';
  count: Expression;
}

export interface SortExpression extends Span {
  kind: 'SortExpression';
  expression: Expression;
  order?: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

/** `top N by expr [asc|desc] [nulls first|last]` */
export interface TopOperator extends Span {
  kind: 'TopOperator';
  count: Expression;
  by: SortExpression;
}

/** `sort by …` / `order by …` */
export interface SortOperator extends Span {
  kind: 'SortOperator';
  by: SortExpression[];
}

/** `distinct A, B` or `distinct *` (then `columns` is empty and `star` true). */
export interface DistinctOperator extends Span {
  kind: 'DistinctOperator';
  star: boolean;
  columns: NamedExpression[];
}

/** `| union …`: the piped input is the first leg. */
export interface UnionOperator extends Span {
  kind: 'UnionOperator';
  parameters: OperatorParameter[];
  tables: Expression[];
}

/** An operator the parser recognised but the engine does not run yet (`join`, `mv-expand`, …). */
export interface UnsupportedOperator extends Span {
  kind: 'UnsupportedOperator';
  name: string;
}

export type Node =
  | Query
  | Statement
  | Expression
  | QueryOperator
  | Identifier
  | NamedExpression
  | OperatorParameter
  | SortExpression
  | ColumnPattern
  | FunctionDefinition;

// ───────────── operators of the wider language (join, mv-expand, parse, …) ─────────────

/**
 * One join/lookup key: `on X` (same name on both sides: left and right are the same NameReference) or
 * `on $left.A == $right.B` (left is the `$left` member, right the `$right` member).
 */
export interface JoinCondition extends Span {
  kind: 'JoinCondition';
  left: Expression;
  right: Expression;
}

/** `join [kind=…] [hint.…=…] (Right) on Conditions`. */
export interface JoinOperator extends Span {
  kind: 'JoinOperator';
  parameters: OperatorParameter[];
  right: Expression;
  on: JoinCondition[];
}

/** `lookup [kind=leftouter|inner] (Right) on Conditions`. */
export interface LookupOperator extends Span {
  kind: 'LookupOperator';
  parameters: OperatorParameter[];
  right: Expression;
  on: JoinCondition[];
}

/** `mv-expand [bagexpansion=…] [with_itemindex=I] Col [to typeof(T)], … [limit N]`. */
export interface MvExpandOperator extends Span {
  kind: 'MvExpandOperator';
  parameters: OperatorParameter[];
  columns: { column: NamedExpression; toTypeName?: string }[];
  limit?: Expression;
}

export type ParsePatternPart =
  | { kind: 'text'; value: string; span: Span }
  | { kind: 'column'; name: Identifier; typeName?: string }
  | { kind: 'star'; span: Span };

/** `parse [kind=simple|regex|relaxed] [flags=…] Expr with Pattern` and `parse-where`. */
export interface ParseOperator extends Span {
  kind: 'ParseOperator';
  /** True for `parse-where` (rows that do not match are dropped). */
  where: boolean;
  parameters: OperatorParameter[];
  source: Expression;
  pattern: ParsePatternPart[];
}

/** `as [hint.materialized=true] Name`. */
export interface AsOperator extends Span {
  kind: 'AsOperator';
  parameters: OperatorParameter[];
  name: Identifier;
}

/** `invoke f(args)`: the piped table is the function's first (tabular) argument. */
export interface InvokeOperator extends Span {
  kind: 'InvokeOperator';
  call: CallExpression;
}

/** `render chart [with (…)]`: accepted and ignored by an offline engine (results are returned as they are). */
export interface RenderOperator extends Span {
  kind: 'RenderOperator';
  chart: string;
}

/** `serialize [Name = expr, …]`. */
export interface SerializeOperator extends Span {
  kind: 'SerializeOperator';
  columns: NamedExpression[];
}

export interface GetSchemaOperator extends Span {
  kind: 'GetSchemaOperator';
}

/** `externaldata (Col:type, …) [ "uri", … ] [with (format="csv", ignoreFirstRecord=true, …)]`. */
export interface ExternalDataExpression extends Span {
  kind: 'ExternalDataExpression';
  columns: { name: Identifier; typeName: string; typeSpan: Span }[];
  uris: { value: string; span: Span }[];
  properties: OperatorParameter[];
}

/** `evaluate [hint.…=…] plugin(args) [: (*, Name:type, …)]`. */
export interface EvaluateOperator extends Span {
  kind: 'EvaluateOperator';
  parameters: OperatorParameter[];
  call: CallExpression;
  /** The optional output schema: `*` keeps the input columns, then the declared ones. */
  outputSchema?: { star: boolean; columns: { name: Identifier; typeName: string; typeSpan: Span }[] };
}

/** `mv-apply [with_itemindex=I] Col [to typeof(T)], … [limit N] on ( operators )`. */
export interface MvApplyOperator extends Span {
  kind: 'MvApplyOperator';
  parameters: OperatorParameter[];
  columns: { column: NamedExpression; toTypeName?: string }[];
  limit?: Expression;
  /** The sub-query: operators applied to each row's expanded sub-table. */
  subquery: QueryOperator[];
}

/**
 * `make-series [kind=nonempty] [Name =] Agg(…) [default = X], … on Axis [from A] [to B] step S [by …]`
 * (also `on Axis in range(A, B, S)`).
 */
export interface MakeSeriesOperator extends Span {
  kind: 'MakeSeriesOperator';
  parameters: OperatorParameter[];
  aggregates: { column: NamedExpression; defaultValue?: Expression }[];
  axis: Expression;
  from?: Expression;
  to?: Expression;
  step: Expression;
  by: NamedExpression[];
}

/** `parse-kv Expr as (Key:type, …) [with (pair_delimiter=…, kv_delimiter=…, quote=…, escape=…, greedy=…, regex=…)]`. */
export interface ParseKvOperator extends Span {
  kind: 'ParseKvOperator';
  source: Expression;
  columns: { name: Identifier; typeName: string; typeSpan: Span }[];
  properties: OperatorParameter[];
}

/**
 * `find [withsource=Name] [in (T1, …)] where Predicate [project …]` and
 * `search [kind=…] [in (T1, …)] Predicate` at the start of a query (`search: true`). A bare string in a
 * search predicate matches any string column containing the term.
 */
export interface FindExpression extends Span {
  kind: 'FindExpression';
  search: boolean;
  parameters: OperatorParameter[];
  /** The tables of `in (…)`; empty means every table the query can read. */
  tables: Expression[];
  predicate: Expression;
  /** `project A, B` (find only): the columns to show; absent means project-smart. */
  project?: Identifier[];
}

/** `T | search [kind=case_sensitive] Predicate` */
export interface SearchOperator extends Span {
  kind: 'SearchOperator';
  parameters: OperatorParameter[];
  predicate: Expression;
}

/** `partition [hint…] by Column ( operators )`: the sub-query per group of equal values, results concatenated. */
export interface PartitionOperator extends Span {
  kind: 'PartitionOperator';
  parameters: OperatorParameter[];
  by: Identifier;
  /** `( operators )`: applied to each partition's rows. */
  subquery: QueryOperator[];
  /** `{ query }` (legacy strategy): a query with its own source, run per key; it reads the key as toscalar(Column). */
  source?: Expression;
}

/** `top-nested [N] of Expr [with others = V] by Aggregate [asc|desc], …` */
export interface TopNestedOperator extends Span {
  kind: 'TopNestedOperator';
  levels: { count?: Expression; of: NamedExpression; others?: Expression; by: NamedExpression; order?: 'asc' | 'desc' }[];
}

// ───────────── graph operators (make-graph, graph-match, graph-shortest-paths, graph-to-table, …) ─────────────

/**
 * `make-graph [with_node_id=N] Src --> Tgt [with_node_id=N] [with Nodes1 on Id1 [, Nodes2 on Id2]]
 * [partitioned-by Col ( graph operators )]`: builds a graph, which only graph operators consume.
 */
export interface MakeGraphOperator extends Span {
  kind: 'MakeGraphOperator';
  parameters: OperatorParameter[];
  source: Identifier;
  target: Identifier;
  nodeTables: { table: Expression; key: Identifier }[];
  partitionedBy?: { column: Identifier; subquery: QueryOperator[] };
}

/** `(name)` or `()` in a graph pattern. */
export interface GraphPatternNode extends Span {
  kind: 'GraphPatternNode';
  name?: Identifier;
}

/** `-[e]->`, `<-[e]-`, `-[e]-`, `-->`, `<--`, `--`, with `*min..max` for a variable-length edge. */
export interface GraphPatternEdge extends Span {
  kind: 'GraphPatternEdge';
  name?: Identifier;
  direction: 'forward' | 'backward' | 'any';
  /** Set for `*min..max` (`*n` means exactly n hops). */
  length?: { min: number; max: number };
}

/** One chain of a pattern: `nodes.length === edges.length + 1`, `edges[i]` joins `nodes[i]` and `nodes[i + 1]`. */
export interface GraphPatternChain extends Span {
  nodes: GraphPatternNode[];
  edges: GraphPatternEdge[];
}

/**
 * `graph-match [cycles=…] Pattern [where Constraints] project …` and
 * `graph-shortest-paths [output=any|all] Pattern [where Constraints] project …` (`shortestPaths`).
 */
export interface GraphMatchOperator extends Span {
  kind: 'GraphMatchOperator';
  shortestPaths: boolean;
  parameters: OperatorParameter[];
  patterns: GraphPatternChain[];
  where?: Expression;
  project: NamedExpression[];
}

/** `graph-to-table nodes [as N] [with_node_id=C] [, edges [as E] [with_source_id=S] [with_target_id=T]]` (either order). */
export interface GraphToTableOperator extends Span {
  kind: 'GraphToTableOperator';
  outputs: { entity: 'nodes' | 'edges'; entitySpan: Span; asName?: Identifier; parameters: OperatorParameter[] }[];
}

/** `graph-mark-components [kind=weak|strong] [with_component_id=C]` */
export interface GraphMarkComponentsOperator extends Span {
  kind: 'GraphMarkComponentsOperator';
  parameters: OperatorParameter[];
}
