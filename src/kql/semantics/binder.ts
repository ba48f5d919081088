/**
 * The binder: resolves names (columns, `let` values, tables, functions), infers the type of every
 * expression and the schema of every tabular operator, and reports Kusto-like diagnostics.
 * Input: the syntax tree. Output: a plan (see bound.ts) per query statement.
 *
 * Diagnostic codes (message wording follows Kusto's where Kusto has one):
 *   KB001 unknown column or scalar name       KB002 unknown table or tabular name
 *   KB003 unknown function                    KB004 wrong function/operator arguments
 *   KB005 wrong type for this position        KB006 column declared twice
 *   KB007 aggregate misplaced                 KB008 scalar/tabular expected
 *   KB009 invalid literal                     KB010 constant expected
 *   KB900 not supported yet                   KB901 cannot run offline
 */
import type * as Ast from '../syntax/ast.js';
import { type Diagnostic, makeDiagnostic } from '../syntax/diagnostics.js';
import type { AggregateFunction, ArgInfo, EvalContext, FunctionRegistry, ScalarFunction } from '../functions/registry.js';
import { TICKS_PER_DAY, formatDatetime, formatTimespan, parseDatetime } from '../values/datetime.js';
import { type ColumnSchema, type DynamicValue, type ScalarType, type Schema, type Value, isNumericType, parseTypeName } from '../values/types.js';
import { type AggregateSlot, type BoundExpr, type PlanNode, type SortKey, type UnionLeg, type WindowColumn, argInfo, referencedColumns, windowInputs } from './bound.js';
import { NameAllocator, expressionResultName } from './naming.js';
import { type LetBinding, LetScope, type SchemaProvider, columnIndex } from './scope.js';
import { type TabularContext, bindJoin, bindMakeSeries, bindMvApply, bindMvExpand, bindParse, bindParseKv, bindTopNested, getSchemaOf, joinKindOf } from './operators.js';
import { type ResolvedInputs, bindEvaluate } from './plugins.js';
import { columnsOfAll, expandSearchTerms } from './search.js';
import { mayOutputColumns, multiOutputColumns } from '../functions/multi-output.js';
import { bindGraphMarkComponents, bindGraphMatch, bindGraphToTable, bindMakeGraph, checkGraphInput, checkNotGraph } from './graph.js';

export interface BindOptions {
  registry: FunctionRegistry;
  tables: SchemaProvider;
  /** Fixed for the whole query: `now()`/`ago()` fold to constants against it. */
  context: EvalContext;
  /** Input rows of data-dependent operators, already run (see NeedsData). */
  resolved?: ResolvedInputs;
}

export interface BindResult {
  /** One plan per query (expression) statement, in order. */
  plans: PlanNode[];
  diagnostics: Diagnostic[];
  /** Things the user should know that are not errors (e.g. `render` draws nothing offline). */
  notes: string[];
}

/** Functions that exist in Defender/Sentinel but need an online service. */
const ONLINE_ONLY_FUNCTIONS: Record<string, string> = {
  FileProfile: 'it enriches rows from Microsoft Defender\'s online file reputation service',
  DeviceFromIP: 'it resolves devices through Microsoft Defender\'s online inventory',
  AssignedIPAddresses: 'it reads Microsoft Defender\'s online device inventory',
  SeenBy: 'it reads Microsoft Defender\'s online device inventory',
  _GetWatchlist: 'it reads a Microsoft Sentinel watchlist',
  geo_info_from_ip_address: 'it needs a geolocation database',
};

/** Stops binding the current statement; its diagnostic is already recorded. */
class StatementAbort extends Error {}

export function bind(text: string, query: Ast.Query, options: BindOptions): BindResult {
  return new Binder(text, options).bindQuery(query);
}

class Binder {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly notes: string[] = [];
  private readonly registry: FunctionRegistry;
  /** `set` statements seen so far: request property name → its constant value. */
  private readonly requestProperties = new Map<string, BoundExpr>();
  /** Depth of user-defined function expansion (Kusto forbids recursion; this bounds it). */
  private functionDepth = 0;

  constructor(
    private readonly text: string,
    private readonly options: BindOptions,
  ) {
    this.registry = options.registry;
  }

  bindQuery(query: Ast.Query): BindResult {
    const lets = new LetScope();
    const plans: PlanNode[] = [];
    for (const statement of query.statements) {
      try {
        const plan = this.bindStatement(statement, lets);
        if (plan) plans.push(plan);
      } catch (e) {
        if (!(e instanceof StatementAbort)) throw e;
      }
    }
    return { plans, diagnostics: this.diagnostics, notes: this.notes };
  }

  // ───────────── diagnostics ─────────────

  private fail(code: string, message: string, span: Ast.Span): never {
    this.diagnostics.push(makeDiagnostic(this.text, code, message, span.start, span.end - span.start));
    throw new StatementAbort(message);
  }

  // ───────────── statements ─────────────

  private bindStatement(statement: Ast.Statement, lets: LetScope): PlanNode | undefined {
    switch (statement.kind) {
      case 'UnsupportedStatement':
        return this.fail('KB900', `The '${statement.keyword}' statement is not supported yet.`, statement);
      case 'LetStatement':
        this.bindLet(statement, lets);
        return undefined;
      case 'SetStatement':
        this.bindSet(statement, lets);
        return undefined;
      case 'ExpressionStatement':
        if (!this.isTabular(statement.expression, lets)) {
          return this.fail('KB008', 'A query statement must produce a table; this expression is scalar.', statement.expression);
        }
        return checkNotGraph(this.tabularContext(lets), this.bindTabular(statement.expression, lets), statement.expression);
    }
  }

  /** `set Name [= constant];`: a request property read by later statements (bin_auto reads two). */
  private bindSet(statement: Ast.SetStatement, lets: LetScope): void {
    const value: BoundExpr = statement.value ? this.bindScalar(statement.value, { schema: [], lets }) : { kind: 'Constant', value: true, type: 'bool' };
    if (value.kind !== 'Constant') this.fail('KB010', `set ${statement.name.name}: the value must be a constant.`, statement.value ?? statement);
    this.requestProperties.set(statement.name.name, value);
  }

  /** bin_auto(x): bin_at(x, query_bin_auto_size, query_bin_auto_at), or bin(x, size) without a fixed point. */
  private bindBinAuto(call: Ast.CallExpression, scope: ScalarScope): BoundExpr {
    if (call.args.length !== 1) return this.fail('KB004', 'bin_auto(): expected 1 argument.', call);
    const size = this.requestProperties.get('query_bin_auto_size');
    if (!size) return this.fail('KB004', 'bin_auto() needs the bin size: put `set query_bin_auto_size = …;` before the query.', call.name);
    const at = this.requestProperties.get('query_bin_auto_at');
    const value = this.bindScalar(call.args[0]!, scope);
    const args = at ? [value, size, at] : [value, size];
    return this.callOrFold(this.registry.scalar(at ? 'bin_at' : 'bin')!, args, call, call.name, args.map(() => call));
  }

  private bindLet(statement: Ast.LetStatement, lets: LetScope): void {
    const value = statement.value;
    if (value.kind === 'FunctionDefinition') {
      lets.define(statement.name.name, { kind: 'function', name: statement.name.name, definition: value, closure: lets });
      return;
    }
    if (this.isTabular(value, lets)) {
      lets.define(statement.name.name, { kind: 'tabular', plan: this.bindTabular(value, lets) });
    } else {
      lets.define(statement.name.name, { kind: 'scalar', expr: this.bindScalar(value, { schema: [], lets }) });
    }
  }

  // ───────────── tabular or scalar? ─────────────

  private isTabular(expr: Ast.Expression, lets: LetScope): boolean {
    switch (expr.kind) {
      case 'PipeExpression':
      case 'PrintExpression':
      case 'DatatableExpression':
      case 'RangeExpression':
      case 'UnionExpression':
      case 'ExternalDataExpression':
      case 'FindExpression':
        return true;
      case 'ParenthesizedExpression':
        return this.isTabular(expr.expression, lets);
      case 'NameReference': {
        const binding = lets.lookup(expr.name);
        if (binding?.kind === 'function') return this.functionReturnsTable(binding);
        if (binding) return binding.kind === 'tabular';
        return this.options.tables.tableSchema(expr.name) !== undefined || expr.name.includes('*');
      }
      case 'CallExpression': {
        const binding = lets.lookup(expr.name.name);
        if (binding?.kind === 'function') return this.functionReturnsTable(binding);
        return expr.name.name === 'materialize' || expr.name.name === 'view' || expr.name.name === 'externaldata';
      }
      default:
        return false;
    }
  }

  /** Whether a user function's body ends in a tabular expression (parameters stand in by kind). */
  private functionReturnsTable(binding: Extract<LetBinding, { kind: 'function' }>): boolean {
    const scope = binding.closure.child();
    const placeholder: PlanNode = { kind: 'Values', rows: [], schema: [] };
    for (const p of binding.definition.parameters) {
      if (isTabularParameter(p.typeName)) scope.define(p.name.name, { kind: 'tabular', plan: placeholder });
      else scope.define(p.name.name, { kind: 'scalar', expr: { kind: 'Constant', value: null, type: 'dynamic' } });
    }
    const body = binding.definition.body;
    for (const st of body) {
      if (st.kind === 'LetStatement' && st.value.kind !== 'FunctionDefinition' && this.isTabular(st.value, scope)) {
        scope.define(st.name.name, { kind: 'tabular', plan: placeholder });
      }
    }
    const last = body[body.length - 1];
    return last?.kind === 'ExpressionStatement' && this.isTabular(last.expression, scope);
  }

  // ───────────── tabular expressions ─────────────

  private bindTabular(expr: Ast.Expression, lets: LetScope): PlanNode {
    switch (expr.kind) {
      case 'NameReference':
        return this.bindTableName(expr, lets);
      case 'ParenthesizedExpression':
        return this.bindTabular(expr.expression, lets);
      case 'PipeExpression':
        return this.bindOperator(this.bindTabular(expr.source, lets), expr.operator, lets);
      case 'PrintExpression':
        return this.bindPrint(expr, lets);
      case 'DatatableExpression':
        return this.bindDatatable(expr, lets);
      case 'RangeExpression':
        return this.bindRange(expr, lets);
      case 'UnionExpression':
        return this.bindUnion([], expr.parameters, expr.tables, lets);
      case 'ExternalDataExpression':
        return this.bindExternalData(expr);
      case 'FindExpression':
        return this.bindFind(expr, lets);
      case 'CallExpression': {
        const binding = lets.lookup(expr.name.name);
        if (binding?.kind === 'function') {
          const result = this.expandFunction(binding, expr, lets, undefined, undefined);
          if (result.kind !== 'tabular') return this.fail('KB008', `'${expr.name.name}' returns a scalar, not a table.`, expr);
          return result.plan;
        }
        if (expr.name.name === 'materialize' && expr.args.length === 1) return this.bindTabular(expr.args[0]!, lets);
        return this.fail('KB008', `'${expr.name.name}' does not produce a table here.`, expr);
      }
      default:
        return this.fail('KB008', 'Expected a tabular expression (a table, a let-bound table or a pipeline).', expr);
    }
  }

  private bindTableName(ref: Ast.NameReference, lets: LetScope): PlanNode {
    const binding = lets.lookup(ref.name);
    if (binding?.kind === 'tabular') return binding.plan;
    if (binding?.kind === 'scalar') return this.fail('KB008', `'${ref.name}' is a scalar value, not a table.`, ref);
    if (binding?.kind === 'function') {
      // A view (or any parameterless function) may be named without parentheses.
      const call: Ast.CallExpression = { kind: 'CallExpression', name: { kind: 'Identifier', name: ref.name, start: ref.start, end: ref.end }, args: [], start: ref.start, end: ref.end };
      const result = this.expandFunction(binding, call, lets, undefined, undefined);
      if (result.kind !== 'tabular') return this.fail('KB008', `'${ref.name}' returns a scalar, not a table.`, ref);
      return result.plan;
    }
    const schema = this.options.tables.tableSchema(ref.name);
    if (!schema) {
      return this.fail('KB002', `The name '${ref.name}' does not refer to any known table, tabular variable or function.`, ref);
    }
    return { kind: 'Scan', table: ref.name, schema };
  }

  private bindOperator(input: PlanNode, op: Ast.QueryOperator, lets: LetScope): PlanNode {
    checkGraphInput(this.tabularContext(lets), input, op);
    switch (op.kind) {
      case 'WhereOperator':
        return this.bindWhere(input, op, lets);
      case 'ExtendOperator':
        return this.bindExtend(input, op, lets);
      case 'ProjectOperator':
        return this.bindProject(input, op, lets);
      case 'ProjectAwayOperator':
        return this.selectColumns(input, this.matchPatterns(input.schema, op.columns, true), 'away');
      case 'ProjectKeepOperator':
        return this.selectColumns(input, this.matchPatterns(input.schema, op.columns, true), 'keep');
      case 'ProjectRenameOperator':
        return this.bindRename(input, op);
      case 'ProjectReorderOperator':
        return this.bindReorder(input, op);
      case 'SummarizeOperator':
        return this.bindSummarize(input, op, lets);
      case 'CountOperator':
        return this.bindCount(input, op);
      case 'TakeOperator':
        return { kind: 'Take', input, count: this.constantCount(op.count, lets), schema: input.schema };
      case 'TopOperator': {
        const keys = [this.bindSortKey(op.by, input.schema, lets)];
        return { kind: 'Sort', input, keys, limit: this.constantCount(op.count, lets), schema: input.schema };
      }
      case 'SortOperator':
        return { kind: 'Sort', input, keys: op.by.map((k) => this.bindSortKey(k, input.schema, lets)), schema: input.schema };
      case 'DistinctOperator':
        return this.bindDistinct(input, op, lets);
      case 'UnionOperator':
        return this.bindUnion([{ plan: input, name: 'union_arg0' }], op.parameters, op.tables, lets);
      case 'JoinOperator': {
        const ctx = this.tabularContext(lets);
        return bindJoin(ctx, input, op, joinKindOf(ctx, op.parameters, 'innerunique'), false);
      }
      case 'LookupOperator': {
        const ctx = this.tabularContext(lets);
        return bindJoin(ctx, input, op, joinKindOf(ctx, op.parameters, 'leftouter'), true);
      }
      case 'MvExpandOperator':
        return bindMvExpand(this.tabularContext(lets), input, op);
      case 'ParseOperator':
        return bindParse(this.tabularContext(lets), input, op);
      case 'AsOperator':
        lets.define(op.name.name, { kind: 'tabular', plan: input });
        return input;
      case 'InvokeOperator':
        return this.bindInvoke(input, op, lets);
      case 'RenderOperator':
        this.notes.push(`render ${op.chart}: charts are not drawn offline; the rows are returned as they are`);
        return input;
      case 'SerializeOperator':
        return op.columns.length === 0 ? input : this.bindExtend(input, { ...op, kind: 'ExtendOperator' }, lets);
      case 'GetSchemaOperator':
        return getSchemaOf(input);
      case 'EvaluateOperator':
        return bindEvaluate(this.tabularContext(lets), input, op, this.options.resolved);
      case 'MvApplyOperator':
        return bindMvApply(this.tabularContext(lets), input, op);
      case 'MakeSeriesOperator':
        return bindMakeSeries(this.tabularContext(lets), input, op);
      case 'ParseKvOperator':
        return bindParseKv(this.tabularContext(lets), input, op);
      case 'SearchOperator':
        return this.searchLeg(input, op.predicate, lets, caseSensitiveSearch(op.parameters), new Map());
      case 'PartitionOperator':
        return this.bindPartition(input, op, lets);
      case 'TopNestedOperator':
        return bindTopNested(this.tabularContext(lets), input, op);
      case 'MakeGraphOperator':
        return bindMakeGraph(this.tabularContext(lets), input, op);
      case 'GraphMatchOperator':
        return bindGraphMatch(this.tabularContext(lets), input, op);
      case 'GraphToTableOperator':
        return bindGraphToTable(this.tabularContext(lets), input, op);
      case 'GraphMarkComponentsOperator':
        return bindGraphMarkComponents(this.tabularContext(lets), input, op);
      case 'UnsupportedOperator':
        return this.fail('KB900', `The '${op.name}' operator is not supported yet.`, op);
    }
  }

  /** What the operator binders in operators.ts need from the binder. */
  private tabularContext(lets: LetScope): TabularContext {
    return {
      lets,
      fail: (code, message, span) => this.fail(code, message, span),
      bindScalar: (expr, schema) => this.bindScalar(expr, { schema, lets }),
      bindTabular: (expr) => this.bindTabular(expr, lets),
      bindOperators: (source, operators) => operators.reduce((plan, op) => this.bindOperator(plan, op, lets), source),
      bindCall: (name, args, span, operator) => {
        const fn = operator ? this.registry.operator(name) : this.registry.scalar(name);
        if (!fn) return this.fail('KB003', `Unknown function: '${name}'.`, span);
        return this.callOrFold(fn, args, span, span, args.map(() => span));
      },
      bindAggregate: (call, schema) => {
        if (!this.registry.aggregate(call.name.name)) return undefined;
        const column: Ast.NamedExpression = { kind: 'NamedExpression', names: [], expression: call, start: call.start, end: call.end };
        const { slot, columns } = this.bindAggregateCall(call, column, schema, lets, new NameAllocator(), []);
        return { slot, type: columns[0]!.type };
      },
    };
  }

  private bindWhere(input: PlanNode, op: Ast.WhereOperator, lets: LetScope): PlanNode {
    const windows: WindowColumn[] = [];
    const predicate = this.bindScalar(op.predicate, { schema: input.schema, lets, windows });
    if (predicate.type !== 'bool' && predicate.type !== 'dynamic') {
      this.fail('KB005', `The where predicate must be of type bool, but it is of type ${predicate.type}.`, op.predicate);
    }
    if (windows.length === 0) return { kind: 'Filter', input, predicate, schema: input.schema };
    // `where row_number() == n`: filter over the rows with their window columns, then drop those.
    const source = this.windowSource(input, windows);
    const filtered: PlanNode = { kind: 'Filter', input: source, predicate, schema: source.schema };
    return this.projectIndexes(filtered, input.schema.map((_, i) => i));
  }

  /** Each extended column is its own projection step, so later expressions can use earlier ones. */
  private bindExtend(input: PlanNode, op: Ast.ExtendOperator, lets: LetScope): PlanNode {
    let current = input;
    const names = new NameAllocator(input.schema.map((c) => c.name));
    for (const column of op.columns) {
      const windows: WindowColumn[] = [];
      const outputs = this.columnOutputs(column, { schema: current.schema, lets, windows, operatorInputWidth: input.schema.length });
      const source = this.windowSource(current, windows);
      const exprs: BoundExpr[] = current.schema.map((c, i) => ({ kind: 'Column', index: i, name: c.name, type: c.type }));
      const schema: Schema = [...current.schema];
      for (const output of outputs) {
        const name = output.name ?? names.invent();
        names.reserve(name);
        const existing = columnIndex(schema, name);
        // Kusto.Language replaces an existing column in place (the docs' "moved to the end" is not what the binder does).
        if (existing >= 0) {
          exprs[existing] = output.expr;
          schema[existing] = { name, type: output.expr.type };
        } else {
          exprs.push(output.expr);
          schema.push({ name, type: output.expr.type });
        }
      }
      current = { kind: 'Project', input: source, exprs, schema };
    }
    return current;
  }

  private bindProject(input: PlanNode, op: Ast.ProjectOperator, lets: LetScope): PlanNode {
    const names = new NameAllocator();
    const exprs: BoundExpr[] = [];
    const schema: Schema = [];
    for (const c of op.columns) for (const n of c.names) names.reserve(n.name);
    const declared = new Set<string>();
    const windows: WindowColumn[] = [];
    for (const column of op.columns) {
      for (const output of this.columnOutputs(column, { schema: input.schema, lets, windows })) {
        const name = output.name ?? names.invent();
        if (declared.has(name)) this.fail('KB006', `A column with the name '${name}' is already declared.`, column);
        declared.add(name);
        names.reserve(name);
        exprs.push(output.expr);
        schema.push({ name, type: output.expr.type });
      }
    }
    return { kind: 'Project', input: this.windowSource(input, windows), exprs, schema };
  }

  /**
   * The column(s) one `Name = expr` of extend/project produces: usually one; a function whose result
   * Kusto spreads over several columns (series_stats, series_fit_line, array_sort_asc(a, b), …) gives
   * one per output, named by the tuple `(a, b) = …` where given, else automatically.
   */
  private columnOutputs(column: Ast.NamedExpression, scope: ScalarScope): { name?: string; expr: BoundExpr }[] {
    const call = unwrapParens(column.expression);
    const bound = this.bindScalar(column.expression, scope);
    const spreads = call.kind === 'CallExpression' && mayOutputColumns(call.name.name);
    const outputs = spreads ? multiOutputColumns(call.name.name, this.boundArgTypes(call, bound, scope)) : undefined;
    if (!outputs) return [{ name: this.singleName(column) ?? expressionResultName(column.expression), expr: bound }];
    if (column.names.length > outputs.length) {
      this.fail('KB004', `${(call as Ast.CallExpression).name.name}() produces ${outputs.length} columns but ${column.names.length} names were given.`, column);
    }
    const argNames = (call as Ast.CallExpression).args.map((a) => expressionResultName(a));
    return outputs.map((out, i) => ({
      name: column.names[i]?.name ?? out.name((call as Ast.CallExpression).name.name, argNames),
      expr: this.convertTo({ kind: 'Access', target: bound, key: { kind: 'Constant', value: out.key, type: typeof out.key === 'number' ? 'long' : 'string' }, type: 'dynamic' }, out.type, column),
    }));
  }

  /**
   * The argument types of a bound call; a call folded to a constant had only constant arguments, which
   * bind again without side effects (no window or aggregate columns).
   */
  private boundArgTypes(call: Ast.CallExpression, bound: BoundExpr, scope: ScalarScope): ScalarType[] {
    if (bound.kind === 'Call') return bound.args.map((a) => a.type);
    if (bound.kind !== 'Constant') return [];
    return call.args.map((a) => this.bindScalar(a, { schema: scope.schema, lets: scope.lets }).type);
  }

  /** A dynamic value read as `type` (the registry's own conversion function). */
  private convertTo(expr: BoundExpr, type: ScalarType, span: Ast.Span): BoundExpr {
    if (type === 'dynamic') return expr;
    const fn = this.registry.scalar(CONVERSIONS[type] ?? 'tostring');
    if (!fn) return this.fail('KB003', `No conversion to ${type}.`, span);
    return this.callOrFold(fn, [expr], span, span, [span]);
  }

  /**
   * Window functions (`row_number()`, `prev()`, `next()`) found while binding become hidden columns
   * appended by a Window node; column indexes below the input's width stay valid over it.
   */
  private windowSource(input: PlanNode, windows: WindowColumn[]): PlanNode {
    // A window call inside another's argument (`row_rank_min(v, k != prev(k))`) is an earlier hidden
    // column; a column that reads one of its own node's columns starts a new Window node on top.
    const width = input.schema.length;
    let node = input;
    let start = 0;
    const close = (end: number) => {
      if (end === start) return;
      const hidden = windows.slice(start, end).map((w, i) => ({ name: `__window${start + i}`, type: windowType(w) }));
      node = { kind: 'Window', input: node, columns: windows.slice(start, end), schema: [...node.schema, ...hidden] };
      start = end;
    };
    windows.forEach((w, i) => {
      const reads = new Set<number>();
      for (const e of windowInputs(w)) referencedColumns(e, reads);
      if ([...reads].some((c) => c >= width + start)) close(i);
    });
    close(windows.length);
    return node;
  }

  private singleName(column: Ast.NamedExpression): string | undefined {
    if (column.names.length > 1) {
      this.fail('KB900', 'Tuple names (A, B) = … are only supported for arg_max/arg_min/take_any in summarize.', column);
    }
    return column.names[0]?.name;
  }

  private matchPatterns(schema: Schema, patterns: Ast.ColumnPattern[], requireMatch: boolean): number[] {
    const matched: number[] = [];
    for (const p of patterns) {
      const hits = schema.map((c, i) => (wildcardMatches(p.pattern, c.name) ? i : -1)).filter((i) => i >= 0);
      if (hits.length === 0 && requireMatch && !p.pattern.includes('*')) {
        this.fail('KB001', `The name '${p.pattern}' does not refer to any known column.`, p);
      }
      for (const h of hits) if (!matched.includes(h)) matched.push(h);
    }
    return matched;
  }

  private selectColumns(input: PlanNode, matched: number[], mode: 'away' | 'keep'): PlanNode {
    const keep = input.schema.map((_, i) => i).filter((i) => matched.includes(i) === (mode === 'keep'));
    return this.projectIndexes(input, keep);
  }

  private projectIndexes(input: PlanNode, indexes: number[], rename?: Map<number, string>): PlanNode {
    const exprs: BoundExpr[] = indexes.map((i) => ({ kind: 'Column', index: i, name: input.schema[i]!.name, type: input.schema[i]!.type }));
    const schema = indexes.map((i) => ({ name: rename?.get(i) ?? input.schema[i]!.name, type: input.schema[i]!.type }));
    return { kind: 'Project', input, exprs, schema };
  }

  private bindRename(input: PlanNode, op: Ast.ProjectRenameOperator): PlanNode {
    const rename = new Map<number, string>();
    for (const { newName, oldName } of op.renames) {
      const index = columnIndex(input.schema, oldName.name);
      if (index < 0) this.fail('KB001', `The name '${oldName.name}' does not refer to any known column.`, oldName);
      rename.set(index, newName.name);
    }
    const result = this.projectIndexes(input, input.schema.map((_, i) => i), rename);
    const seen = new Set<string>();
    for (const c of result.schema) {
      if (seen.has(c.name)) this.fail('KB006', `A column with the name '${c.name}' is already declared.`, op);
      seen.add(c.name);
    }
    return result;
  }

  private bindReorder(input: PlanNode, op: Ast.ProjectReorderOperator): PlanNode {
    const order: number[] = [];
    for (const { pattern, order: direction } of op.columns) {
      let hits = this.matchPatterns(input.schema, [pattern], true).filter((i) => !order.includes(i));
      if (direction) {
        const sign = direction.endsWith('desc') ? -1 : 1;
        hits = [...hits].sort((a, b) => sign * compareOrdinal(input.schema[a]!.name, input.schema[b]!.name));
      }
      order.push(...hits);
    }
    for (let i = 0; i < input.schema.length; i++) if (!order.includes(i)) order.push(i);
    return this.projectIndexes(input, order);
  }

  private bindCount(input: PlanNode, op: Ast.CountOperator): PlanNode {
    const fn = this.requireAggregate('count', op);
    const slot: AggregateSlot = { fn, args: [], outputs: 1 };
    const schema: Schema = [{ name: 'Count', type: 'long' }];
    return { kind: 'Aggregate', input, keys: [], aggregates: [slot], innerSchema: schema, schema };
  }

  private requireAggregate(name: string, span: Ast.Span): AggregateFunction {
    const fn = this.registry.aggregate(name);
    if (!fn) return this.fail('KB003', `Unknown aggregate function: '${name}'.`, span);
    return fn;
  }

  private bindDistinct(input: PlanNode, op: Ast.DistinctOperator, lets: LetScope): PlanNode {
    if (op.star) {
      const keys: BoundExpr[] = input.schema.map((c, i) => ({ kind: 'Column', index: i, name: c.name, type: c.type }));
      return { kind: 'Aggregate', input, keys, aggregates: [], innerSchema: input.schema, schema: input.schema };
    }
    const { keys, schema } = this.bindGroupKeys(op.columns, input.schema, lets, new NameAllocator());
    return { kind: 'Aggregate', input, keys, aggregates: [], innerSchema: schema, schema };
  }

  private bindGroupKeys(columns: Ast.NamedExpression[], inputSchema: Schema, lets: LetScope, names: NameAllocator) {
    const keys: BoundExpr[] = [];
    const schema: Schema = [];
    for (const column of columns) {
      const expr = this.bindScalar(column.expression, { schema: inputSchema, lets });
      const given = this.singleName(column);
      const name = given !== undefined ? given : names.unique(expressionResultName(column.expression) ?? names.invent());
      if (given !== undefined) {
        if (names.has(given)) this.fail('KB006', `A column with the name '${given}' is already declared.`, column);
        names.reserve(given);
      }
      keys.push(expr);
      schema.push({ name, type: expr.type });
    }
    return { keys, schema };
  }

  private bindSummarize(input: PlanNode, op: Ast.SummarizeOperator, lets: LetScope): PlanNode {
    const names = new NameAllocator();
    // Given names are reserved first so that invented ones never take them.
    for (const c of [...op.by, ...op.aggregates]) for (const n of c.names) names.reserve(n.name);
    for (const c of op.by) for (const n of c.names) names.release(n.name);
    const { keys, schema: keySchema } = this.bindGroupKeys(op.by, input.schema, lets, names);
    const slots: AggregateSlot[] = [];
    const slotSchema: Schema = [];
    // Per aggregate expression: either direct slot columns (passed through) or an expression over hidden slots.
    const outputs: ({ direct: ColumnSchema[]; firstInner: number } | { expr: BoundExpr; column: ColumnSchema })[] = [];

    for (const column of op.aggregates) {
      const call = unwrapParens(column.expression);
      const firstInner = keySchema.length + slotSchema.length;
      if (call.kind === 'CallExpression' && this.registry.aggregate(call.name.name) !== undefined) {
        const added = this.bindAggregateCall(call, column, input.schema, lets, names, keySchema);
        slots.push(added.slot);
        slotSchema.push(...added.columns);
        outputs.push({ direct: added.columns, firstInner });
        continue;
      }
      const collector: { slots: AggregateSlot[]; schema: Schema } = { slots: [], schema: [] };
      const bound = this.bindScalar(column.expression, {
        schema: input.schema,
        lets,
        aggregates: { collector, baseIndex: firstInner, hiddenNames: names },
      });
      if (collector.slots.length === 0) {
        this.fail('KB007', 'A summarize aggregate expression must contain an aggregate function such as count() or max(x).', column);
      }
      slots.push(...collector.slots);
      slotSchema.push(...collector.schema);
      const name = this.singleName(column) ?? names.unique(expressionResultName(column.expression) ?? names.invent());
      outputs.push({ expr: bound, column: { name, type: bound.type } });
    }
    const innerSchema = [...keySchema, ...slotSchema];
    if (outputs.every((o) => 'direct' in o)) {
      return { kind: 'Aggregate', input, keys, aggregates: slots, innerSchema, schema: innerSchema };
    }
    const post: BoundExpr[] = keySchema.map((c, i) => ({ kind: 'Column', index: i, name: c.name, type: c.type }));
    const schema: Schema = [...keySchema];
    for (const o of outputs) {
      if ('expr' in o) {
        post.push(o.expr);
        schema.push(o.column);
        continue;
      }
      o.direct.forEach((c, j) => {
        post.push({ kind: 'Column', index: o.firstInner + j, name: c.name, type: c.type });
        schema.push(c);
      });
    }
    return { kind: 'Aggregate', input, keys, aggregates: slots, innerSchema, post, schema };
  }

  private bindAggregateCall(
    call: Ast.CallExpression,
    column: Ast.NamedExpression,
    inputSchema: Schema,
    lets: LetScope,
    names: NameAllocator,
    keySchema: Schema,
  ): { slot: AggregateSlot; columns: ColumnSchema[] } {
    const fn = this.registry.aggregate(call.name.name)!;
    const star = call.args.length > 0 && call.args[call.args.length - 1]!.kind === 'StarExpression';
    const argExprs = call.args.filter((a) => a.kind !== 'StarExpression');
    const args = argExprs.map((a) => this.bindScalar(a, { schema: inputSchema, lets }));
    const argNames: (string | undefined)[] = argExprs.map((a) => expressionResultName(a));
    if (star) {
      if (!fn.multiOutput) this.fail('KB004', `${fn.name}() does not accept '*'.`, call);
      // `arg_max(X, *)`: every input column except X and the group keys.
      const skip = new Set([...keySchema.map((k) => k.name), argNames[0]]);
      inputSchema.forEach((c, i) => {
        if (skip.has(c.name)) return;
        args.push({ kind: 'Column', index: i, name: c.name, type: c.type });
        argNames.push(c.name);
      });
    }
    const infos = args.map(argInfo);
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      this.fail('KB004', `${fn.name}(): expected ${arity(fn.minArgs, fn.maxArgs)} argument(s), got ${args.length}.`, call);
    }
    const result = fn.bind(infos);
    if ('error' in result) this.failArgument(result, call);
    const types = 'types' in result ? result.types : [(result as { type: ScalarType }).type];
    const given = column.names.map((n) => n.name);
    if (given.length > 1 && given.length !== types.length) {
      this.fail('KB004', `${fn.name}() produces ${types.length} column(s) but ${given.length} names were given.`, column);
    }
    const columns = types.map((type, i) => ({ name: given[i] ?? names.unique(this.aggregateColumnName(fn, i, argNames, infos)), type }));
    return { slot: { fn, args, outputs: types.length }, columns };
  }

  /** Kusto's automatic names for aggregate outputs (rules in AggregateFunction.outputNaming). */
  private aggregateColumnName(fn: AggregateFunction, outputIndex: number, argNames: (string | undefined)[], args: ArgInfo[]): string {
    if (fn.outputName) return fn.outputName(outputIndex, argNames, args);
    const first = argNames[0];
    if (fn.outputNaming !== 'arguments') return `${fn.resultNamePrefix}_${first ?? ''}`;
    const own = argNames[outputIndex];
    if (own !== undefined) return own;
    // arg_max/arg_min name a computed output after the maximised expression; take_any by position.
    if (!fn.name.startsWith('arg_')) return `${fn.resultNamePrefix}_arg${outputIndex}`;
    return outputIndex === 0 ? `${fn.resultNamePrefix}_${first ?? ''}` : `${fn.resultNamePrefix}_${first ?? ''}_arg${outputIndex}`;
  }

  private failArgument(result: { error: string; argIndex?: number }, call: Ast.CallExpression): never {
    const arg = result.argIndex !== undefined ? call.args[result.argIndex] : undefined;
    return this.fail('KB004', result.error, arg ?? call);
  }

  private bindSortKey(key: Ast.SortExpression, schema: Schema, lets: LetScope): SortKey {
    const expr = this.bindScalar(key.expression, { schema, lets });
    const descending = (key.order ?? 'desc') === 'desc';
    const nullsFirst = key.nulls ? key.nulls === 'first' : !descending;
    return { expr, descending, nullsFirst };
  }

  private constantCount(expr: Ast.Expression, lets: LetScope): number {
    const bound = this.bindScalar(expr, { schema: [], lets });
    if (bound.kind !== 'Constant' || typeof bound.value !== 'number' || !Number.isFinite(bound.value) || bound.value < 0) {
      return this.fail('KB010', 'The row count must be a constant non-negative number.', expr);
    }
    return Math.floor(bound.value);
  }

  private bindPrint(expr: Ast.PrintExpression, lets: LetScope): PlanNode {
    const names = new NameAllocator(expr.columns.map((c) => c.names[0]?.name).filter((n): n is string => !!n));
    const schema: Schema = [];
    const exprs: BoundExpr[] = [];
    expr.columns.forEach((column, i) => {
      const outputs = this.columnOutputs(column, { schema: [], lets });
      for (const output of outputs) {
        // Kusto names an unnamed print column by its position, whatever the expression (unless the
        // function spreads over several columns, which name themselves).
        const name = outputs.length > 1 ? names.unique(output.name!) : (column.names[0]?.name ?? names.unique(`print_${i}`));
        exprs.push(output.expr);
        schema.push({ name, type: output.expr.type });
      }
    });
    // A one-row source with no columns, projected: non-constant expressions (toscalar) still work.
    const source: PlanNode = { kind: 'Values', rows: [[]], schema: [] };
    return { kind: 'Project', input: source, exprs, schema };
  }

  private bindDatatable(expr: Ast.DatatableExpression, lets: LetScope): PlanNode {
    const schema = this.declaredSchema(expr.columns);
    if (schema.length === 0) this.fail('KB004', 'datatable needs at least one column.', expr);
    if (expr.values.length % schema.length !== 0) {
      this.fail('KB004', `datatable has ${schema.length} column(s) but ${expr.values.length} value(s), which is not a whole number of rows.`, expr);
    }
    const rows: Value[][] = [];
    for (let i = 0; i < expr.values.length; i += schema.length) {
      rows.push(schema.map((column, c) => this.datatableCell(expr.values[i + c]!, column, lets)));
    }
    return { kind: 'Values', rows, schema };
  }

  private datatableCell(valueExpr: Ast.Expression, column: ColumnSchema, lets: LetScope): Value {
    const bound = this.bindScalar(valueExpr, { schema: [], lets });
    if (bound.kind !== 'Constant') return this.fail('KB010', 'datatable values must be constants.', valueExpr);
    const converted = convertConstant(bound.value, bound.type, column.type);
    if (converted === undefined) {
      return this.fail('KB005', `A value of type ${bound.type} cannot be stored in column '${column.name}' of type ${column.type}.`, valueExpr);
    }
    return converted;
  }

  /**
   * `find`/`search`: one filtered leg per table (all readable tables when no `in (…)`), unioned with
   * the table name first (`source_` for find, `$table` for search).
   */
  private bindFind(expr: Ast.FindExpression, lets: LetScope): PlanNode {
    // Without `in (…)`, every table of the catalog and every view the query defines is searched.
    const tableExprs: Ast.Expression[] = expr.tables.length > 0
      ? expr.tables
      : [...this.options.tables.tableNames().sort(), ...lets.viewNames()].map((name) => ({ kind: 'NameReference', name, start: expr.start, end: expr.start }));
    const legs = tableExprs.flatMap((t, i) => this.unionLegs(t, i, lets, expr.tables.length === 0));
    if (legs.length === 0) return this.fail('KB002', `${expr.search ? 'search' : 'find'} has no table to read.`, expr);
    const missing = columnsOfAll(legs.map((l) => l.plan.schema));
    const caseSensitive = caseSensitiveSearch(expr.parameters);
    const filtered = legs.map((leg) => ({ name: leg.name, plan: this.searchLeg(leg.plan, expr.predicate, lets, caseSensitive, missing, expr.search) }));
    const withSource = String(expr.parameters.find((p) => p.name.toLowerCase() === 'withsource')?.value ?? (expr.search ? '$table' : 'source_'));
    const merged = mergeUnion(filtered, false, withSource);
    if (!expr.project) return merged;
    const keep = [0, ...expr.project.map((id) => {
      const i = columnIndex(merged.schema, id.name);
      return i >= 0 ? i : this.fail('KB001', `The name '${id.name}' does not refer to any column of the tables searched.`, id);
    })];
    return this.projectIndexes(merged, keep);
  }

  /** One table of a search: the predicate bound against it (missing columns read as null). */
  private searchLeg(input: PlanNode, predicate: Ast.Expression, lets: LetScope, caseSensitive: boolean, missing: Map<string, ScalarType>, terms = true): PlanNode {
    const expanded = terms ? expandSearchTerms(predicate, input.schema, caseSensitive) : predicate;
    const bound = this.bindScalar(expanded, { schema: input.schema, lets, missing });
    if (bound.type !== 'bool' && bound.type !== 'dynamic') this.fail('KB005', `The search predicate must be of type bool, but it is of type ${bound.type}.`, predicate);
    return { kind: 'Filter', input, predicate: bound, schema: input.schema };
  }

  /** `partition by Column (sub-query)`: the sub-query over each group of equal values; `{ query }`: a query per key. */
  private bindPartition(input: PlanNode, op: Ast.PartitionOperator, lets: LetScope): PlanNode {
    const key = columnIndex(input.schema, op.by.name);
    if (key < 0) return this.fail('KB001', `The name '${op.by.name}' does not refer to any known column.`, op.by);
    const source: PlanNode & { kind: 'Values' } = { kind: 'Values', rows: [], schema: input.schema };
    if (op.source) {
      // Inside `{ query }` the key column's name is the partition's key value (Column or toscalar(Column)),
      // read from a one-row table that is refilled per partition.
      const keyTable: PlanNode & { kind: 'Values' } = { kind: 'Values', rows: [], schema: [input.schema[key]!] };
      const inner = lets.child();
      inner.define(op.by.name, { kind: 'scalar', expr: { kind: 'Subquery', plan: keyTable, mode: 'scalar', type: input.schema[key]!.type } });
      const subquery = this.bindTabular(op.source, inner);
      return { kind: 'Partition', input, key, source, keyTable, subquery, schema: subquery.schema };
    }
    const subquery = op.subquery.reduce((plan, o) => this.bindOperator(plan, o, lets), source as PlanNode);
    return { kind: 'Partition', input, key, source, subquery, schema: subquery.schema };
  }

  /** externaldata reads local files only: this engine never reaches the network. */
  private bindExternalData(expr: Ast.ExternalDataExpression): PlanNode {
    const schema = this.declaredSchema(expr.columns);
    if (expr.uris.length === 0) this.fail('KB004', 'externaldata needs at least one path or URI in [ … ].', expr);
    const unreachable: Diagnostic[] = [];
    const paths = expr.uris.map(({ value, span }) => {
      const uri = value.trim();
      const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
      if (scheme !== undefined && scheme !== 'file') {
        // The query binds (names and types are known); reading the rows is what cannot happen offline.
        const why = scheme === 'http' || scheme === 'https'
          ? `externaldata: ${uri} is not reachable offline: download it and pass the file with --data, or give its local path here.`
          : `externaldata: ${scheme} storage is not reachable offline; give a local path or a file:// URI.`;
        unreachable.push(makeDiagnostic(this.text, 'KB901', why, span.start, span.end - span.start));
      }
      return uri.replace(/^file:\/\//i, '');
    });
    const property = (name: string) => expr.properties.find((p) => p.name.toLowerCase() === name.toLowerCase())?.value;
    const format = String(property('format') ?? 'csv').toLowerCase();
    const ignoreFirstRecord = property('ignoreFirstRecord') === true || String(property('ignoreFirstRecord')).toLowerCase() === 'true';
    return { kind: 'External', paths, format, ignoreFirstRecord, schema, ...(unreachable.length ? { unreachable } : {}) };
  }

  private declaredSchema(columns: Ast.DatatableExpression['columns']): Schema {
    return columns.map((c) => {
      const type = parseTypeName(c.typeName);
      if (!type) this.fail('KB005', `Unknown type '${c.typeName}'.`, c.typeSpan);
      return { name: c.name.name, type };
    });
  }

  private bindRange(expr: Ast.RangeExpression, lets: LetScope): PlanNode {
    const scope = { schema: [], lets };
    const from = this.bindScalar(expr.from, scope);
    const to = this.bindScalar(expr.to, scope);
    const step = this.bindScalar(expr.step, scope);
    // The bounds see no row (the scope has no columns): constants, or values such as toscalar(…) known
    // before the first row is made.
    const type: ScalarType = from.type === 'int' ? 'long' : from.type;
    if (!['long', 'real', 'datetime', 'timespan'].includes(type)) {
      this.fail('KB005', `range cannot run over values of type ${from.type}.`, expr.from);
    }
    return { kind: 'Range', from, to, step, schema: [{ name: expr.name.name, type }] };
  }

  private bindUnion(
    piped: { plan: PlanNode; name: string }[],
    parameters: Ast.OperatorParameter[],
    tables: Ast.Expression[],
    lets: LetScope,
  ): PlanNode {
    const param = (name: string) => parameters.find((p) => p.name.toLowerCase() === name)?.value;
    const kind = String(param('kind') ?? 'outer').toLowerCase();
    const withSource = param('withsource');
    const fuzzy = param('isfuzzy') === true || String(param('isfuzzy')).toLowerCase() === 'true';
    const legs = [...piped];
    tables.forEach((t, i) => legs.push(...this.unionLegs(t, piped.length + i, lets, fuzzy)));
    if (legs.length === 0) return this.fail('KB002', 'union has no tables to read.', tables[0] ?? { start: 0, end: 0 });
    return mergeUnion(legs, kind === 'inner', withSource === undefined ? undefined : String(withSource));
  }

  private unionLegs(table: Ast.Expression, position: number, lets: LetScope, fuzzy: boolean) {
    if (table.kind === 'NameReference' && table.name.includes('*')) {
      // A wildcard reads the catalog's tables and the views the query defines (`let V = view () { … }`).
      const names = [...new Set([...this.options.tables.tableNames()])].filter((n) => wildcardMatches(table.name, n)).sort();
      const views = lets.viewNames().filter((n) => wildcardMatches(table.name, n));
      return [
        ...names.map((name) => ({ plan: { kind: 'Scan', table: name, schema: this.options.tables.tableSchema(name)! } as PlanNode, name })),
        ...views.map((name) => ({ plan: this.bindTabular({ kind: 'NameReference', name, start: table.start, end: table.end }, lets), name })),
      ];
    }
    const name = unionLegName(table) ?? `union_arg${position}`;
    if (!fuzzy) return [{ plan: this.bindTabular(table, lets), name }];
    // isfuzzy=true: a leg naming a table or view that does not exist is left out, not an error.
    const before = this.diagnostics.length;
    try {
      return [{ plan: this.bindTabular(table, lets), name }];
    } catch (e) {
      const added = this.diagnostics.slice(before);
      if (!(e instanceof StatementAbort) || !added.every((d) => d.code === 'KB002')) throw e;
      this.diagnostics.length = before;
      this.notes.push(`union isfuzzy=true: left out ${added.map((d) => d.message.match(/'([^']+)'/)?.[1] ?? '?').join(', ')} (not found)`);
      return [];
    }
  }

  // ───────────── scalar expressions ─────────────

  bindScalar(expr: Ast.Expression, scope: ScalarScope): BoundExpr {
    switch (expr.kind) {
      case 'Literal':
        return this.bindLiteral(expr);
      case 'DynamicLiteral':
        return { kind: 'Constant', value: this.dynamicValue(expr.value), type: 'dynamic' };
      case 'NameReference':
        return this.bindName(expr, scope);
      case 'ParenthesizedExpression':
        if (this.isTabular(expr.expression, scope.lets)) return this.tabularAsScalar(expr.expression);
        return this.bindScalar(expr.expression, scope);
      case 'UnaryExpression': {
        const operand = this.bindScalar(expr.operand, scope);
        if (expr.operator === '+') return operand;
        return this.applyOperator('neg', [operand], expr, expr, [expr.operand]);
      }
      case 'BinaryExpression': {
        const left = this.bindScalar(expr.left, scope);
        const right = this.bindScalar(expr.right, scope);
        return this.applyOperator(expr.operator === '<>' ? '!=' : expr.operator, [left, right], expr, expr.operatorSpan, [expr.left, expr.right]);
      }
      case 'InExpression': {
        const left = this.bindScalar(expr.left, scope);
        const items = expr.items.map((item) => this.bindListItem(item, scope));
        return this.applyOperator(expr.operator, [left, ...items], expr, expr.operatorSpan, [expr.left, ...expr.items]);
      }
      case 'BetweenExpression': {
        const args = [expr.left, expr.low, expr.high].map((e) => this.bindScalar(e, scope));
        return this.applyOperator(expr.negated ? '!between' : 'between', args, expr, expr, [expr.left, expr.low, expr.high]);
      }
      case 'CallExpression':
        return this.bindCall(expr, scope);
      case 'IndexExpression':
        return this.bindAccess(this.bindScalar(expr.target, scope), this.bindScalar(expr.index, scope), expr);
      case 'MemberExpression':
        return this.bindAccess(this.bindScalar(expr.target, scope), { kind: 'Constant', value: expr.member.name, type: 'string' }, expr);
      case 'StarExpression':
        return this.fail('KB005', "'*' is only allowed as an argument of count(), arg_max() and arg_min().", expr);
      default:
        if (this.isTabular(expr, scope.lets)) return this.tabularAsScalar(expr);
        return this.fail('KB008', 'Expected a scalar expression here.', expr);
    }
  }

  private tabularAsScalar(expr: Ast.Expression): BoundExpr {
    return this.fail('KB008', 'A tabular expression cannot be used as a scalar here; wrap it in toscalar(…).', expr);
  }

  private bindListItem(item: Ast.Expression, scope: ScalarScope): BoundExpr {
    const inner = unwrapParens(item);
    if (this.isTabular(inner, scope.lets)) {
      const plan = this.bindTabular(inner, scope.lets);
      return { kind: 'Subquery', plan, mode: 'list', type: 'dynamic' };
    }
    return this.bindScalar(item, scope);
  }

  private bindName(ref: Ast.NameReference, scope: ScalarScope): BoundExpr {
    const index = columnIndex(scope.schema, ref.name);
    if (index >= 0) return { kind: 'Column', index, name: ref.name, type: scope.schema[index]!.type };
    const binding = scope.lets.lookup(ref.name);
    if (binding?.kind === 'scalar') return binding.expr;
    const missingType = scope.missing?.get(ref.name);
    if (missingType) return { kind: 'Constant', value: missingType === 'string' ? '' : null, type: missingType };
    if (binding?.kind === 'tabular' || this.options.tables.tableSchema(ref.name)) {
      return this.fail('KB008', `'${ref.name}' is a table; a scalar value is expected here.`, ref);
    }
    return this.fail('KB001', `The name '${ref.name}' does not refer to any known column, table, variable or function.`, ref);
  }

  private bindLiteral(lit: Ast.Literal): BoundExpr {
    const constant = (value: Value, type: ScalarType): BoundExpr => ({ kind: 'Constant', value, type });
    if (lit.value === null) return constant(lit.type === 'string' ? '' : null, lit.type);
    switch (lit.type) {
      case 'datetime': {
        const ticks = parseDatetime(String(lit.value)) ?? this.timeOfToday(String(lit.value));
        if (ticks === null) this.fail('KB009', `Invalid datetime literal: '${lit.text}'.`, lit);
        return constant(ticks, 'datetime');
      }
      case 'guid': {
        const text = String(lit.value).trim().toLowerCase();
        if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(text)) {
          this.fail('KB009', `Invalid guid literal: '${lit.text}'.`, lit);
        }
        return constant(text, 'guid');
      }
      case 'decimal': {
        const n = Number(lit.value);
        if (Number.isNaN(n) && String(lit.value).toLowerCase() !== 'nan') this.fail('KB009', `Invalid decimal literal: '${lit.text}'.`, lit);
        return constant(n, 'decimal');
      }
      case 'dynamic':
        return constant(lit.value as DynamicValue, 'dynamic');
      default:
        return constant(lit.value, lit.type);
    }
  }

  /** `datetime("8:00:00 AM")`: a time without a date is that time today (the day of the query's now()). */
  private timeOfToday(text: string): bigint | null {
    const m = /^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*(AM|PM)?\s*$/i.exec(text);
    if (!m) return null;
    let hours = Number(m[1]);
    const meridiem = m[5]?.toUpperCase();
    if (meridiem && (hours < 1 || hours > 12)) return null;
    if (meridiem === 'PM' && hours !== 12) hours += 12;
    if (meridiem === 'AM' && hours === 12) hours = 0;
    const minutes = Number(m[2]);
    const seconds = Number(m[3] ?? 0);
    if (hours > 23 || minutes > 59 || seconds > 59) return null;
    const day = TICKS_PER_DAY;
    const today = this.options.context.now - (((this.options.context.now % day) + day) % day);
    const fraction = BigInt((m[4] ?? '').padEnd(7, '0') || '0');
    return today + BigInt(hours * 3600 + minutes * 60 + seconds) * 10_000_000n + fraction;
  }

  /** Literals inside `dynamic(…)` keep their value; datetimes and timespans are stored as Kusto prints them. */
  private dynamicValue(node: Ast.DynamicLiteralNode): DynamicValue {
    switch (node.kind) {
      case 'array':
        return node.items.map((item) => this.dynamicValue(item));
      case 'object': {
        const bag: { [key: string]: DynamicValue } = {};
        for (const entry of node.entries) bag[entry.key] = this.dynamicValue(entry.value);
        return bag;
      }
      case 'scalar': {
        const bound = this.bindLiteral(node.literal) as { value: Value; type: ScalarType };
        if (bound.value === null) return null;
        if (bound.type === 'datetime') return formatDatetime(bound.value as bigint);
        if (bound.type === 'timespan') return formatTimespan(bound.value as bigint);
        return bound.value as DynamicValue;
      }
    }
  }

  private bindAccess(target: BoundExpr, key: BoundExpr, span: Ast.Span): BoundExpr {
    if (target.type !== 'dynamic') {
      this.fail('KB005', `Only dynamic values can be indexed; this value is of type ${target.type}.`, span);
    }
    if (key.type !== 'string' && key.type !== 'long' && key.type !== 'int' && key.type !== 'dynamic') {
      this.fail('KB005', `An index must be a number or a string, not ${key.type}.`, span);
    }
    return { kind: 'Access', target, key, type: 'dynamic' };
  }

  private bindCall(call: Ast.CallExpression, scope: ScalarScope): BoundExpr {
    const name = call.name.name;
    const local = scope.lets.lookup(name);
    if (local?.kind === 'function') {
      const result = this.expandFunction(local, call, scope.lets, scope, undefined);
      if (result.kind !== 'scalar') return this.fail('KB008', `'${name}' returns a table; a scalar value is expected here.`, call);
      return result.expr;
    }
    if (WINDOW_FUNCTIONS.has(name)) return this.bindWindowCall(call, scope);
    if (name === 'typeof') return this.bindTypeLiteral(call);
    if (name === 'column_ifexists' || name === 'columnifexists') return this.bindColumnIfExists(call, scope);
    if (name === 'pack_all') return this.bindPackAll(call, scope);
    if (name === 'bin_auto') return this.bindBinAuto(call, scope);
    if (name === 'column_names_of') return this.bindColumnNamesOf(call, scope);
    if (name === 'toscalar') {
      if (call.args.length !== 1) this.fail('KB004', 'toscalar() takes exactly one tabular argument.', call);
      // toscalar of a scalar expression is that value (Kusto accepts both).
      if (!this.isTabular(call.args[0]!, scope.lets)) return this.bindScalar(call.args[0]!, scope);
      const plan = this.bindTabular(call.args[0]!, scope.lets);
      const type = plan.schema[0]?.type ?? 'dynamic';
      return { kind: 'Subquery', plan, mode: 'scalar', type };
    }
    const aggregate = this.registry.aggregate(name);
    const fn = this.registry.scalar(name);
    if (aggregate && !fn) {
      if (scope.aggregates) return this.collectAggregate(call, aggregate, scope);
      return this.fail('KB007', `The aggregate function '${name}' can only be used in summarize (or make-series).`, call.name);
    }
    if (!fn) {
      if (ONLINE_ONLY_FUNCTIONS[name]) {
        return this.fail('KB901', `${name}() cannot run offline: ${ONLINE_ONLY_FUNCTIONS[name]}.`, call.name);
      }
      return this.fail('KB003', `Unknown function: '${name}'.`, call.name);
    }
    // estimate_data_size(*) sizes the whole row: `*` stands for every column.
    const args = call.args.flatMap((a) => (a.kind === 'StarExpression' && STAR_ROW_FUNCTIONS.has(name)
      ? scope.schema.map((c, index): BoundExpr => ({ kind: 'Column', index, name: c.name, type: c.type }))
      : [this.bindScalar(a, scope)]));
    if (args.length < fn.minArgs || args.length > fn.maxArgs) {
      this.fail('KB004', `${name}(): expected ${arity(fn.minArgs, fn.maxArgs)} argument(s), got ${args.length}.`, call);
    }
    return this.callOrFold(fn, args, call, call, call.args);
  }

  /**
   * A call of a user-defined function: its body is bound in the scope where the function was
   * defined, with each parameter bound to the caller's argument (or its default value).
   * `piped` is the table `invoke` passes as the first (tabular) argument.
   */
  private expandFunction(
    binding: Extract<LetBinding, { kind: 'function' }>,
    call: Ast.CallExpression,
    callerLets: LetScope,
    callerScope: ScalarScope | undefined,
    piped: PlanNode | undefined,
  ): { kind: 'scalar'; expr: BoundExpr } | { kind: 'tabular'; plan: PlanNode } {
    if (this.functionDepth >= 32) return this.fail('KB004', `'${binding.name}' calls itself too deeply (recursion is not allowed in KQL).`, call);
    const { parameters, body } = binding.definition;
    const scope = binding.closure.child();
    const positional = call.args.filter((a) => a.kind !== 'NamedArgument');
    const named = new Map(call.args.flatMap((a) => (a.kind === 'NamedArgument' ? [[a.name.name, a.value] as const] : [])));
    let next = 0;
    parameters.forEach((param, i) => {
      const pipedHere = piped !== undefined && i === 0;
      const arg = pipedHere ? undefined : (named.get(param.name.name) ?? positional[next++]);
      if (isTabularParameter(param.typeName)) {
        if (pipedHere) scope.define(param.name.name, { kind: 'tabular', plan: piped });
        else if (arg) scope.define(param.name.name, { kind: 'tabular', plan: this.bindTabular(arg, callerLets) });
        else this.fail('KB004', `${binding.name}(): missing tabular argument '${param.name.name}'.`, call);
        return;
      }
      let value: BoundExpr;
      if (arg) value = this.bindScalar(arg, callerScope ?? { schema: [], lets: callerLets });
      else if (param.defaultValue) value = this.bindScalar(param.defaultValue, { schema: [], lets: binding.closure });
      else return this.fail('KB004', `${binding.name}(): missing argument '${param.name.name}'.`, call);
      const declared = parseTypeName(param.typeName);
      if (declared && declared !== value.type && value.type !== 'dynamic' && !(isNumericType(declared) && isNumericType(value.type))) {
        this.fail('KB004', `${binding.name}(): argument '${param.name.name}' must be ${declared}, got ${value.type}.`, arg ?? call);
      }
      scope.define(param.name.name, { kind: 'scalar', expr: value });
    });
    if (next < positional.length) this.fail('KB004', `${binding.name}(): expected ${parameters.length} argument(s), got ${call.args.length}.`, call);
    this.functionDepth++;
    try {
      let result: { kind: 'scalar'; expr: BoundExpr } | { kind: 'tabular'; plan: PlanNode } | undefined;
      for (const statement of body) {
        if (statement.kind === 'LetStatement') this.bindLet(statement, scope);
        else if (statement.kind === 'ExpressionStatement') {
          result = this.isTabular(statement.expression, scope)
            ? { kind: 'tabular', plan: this.bindTabular(statement.expression, scope) }
            : { kind: 'scalar', expr: this.bindScalar(statement.expression, { ...(callerScope ?? { schema: [] }), schema: [], lets: scope }) };
        } else this.bindStatement(statement, scope);
      }
      if (!result) return this.fail('KB008', `The body of '${binding.name}' has no expression to return.`, call);
      return result;
    } finally {
      this.functionDepth--;
    }
  }

  /** `T | invoke f(args)`: T becomes f's first, tabular, parameter. */
  private bindInvoke(input: PlanNode, op: Ast.InvokeOperator, lets: LetScope): PlanNode {
    const name = op.call.name.name;
    const binding = lets.lookup(name);
    if (binding?.kind !== 'function') {
      if (ONLINE_ONLY_FUNCTIONS[name]) return this.fail('KB901', `${name}() cannot run offline: ${ONLINE_ONLY_FUNCTIONS[name]}.`, op.call.name);
      return this.fail('KB003', `The name '${name}' does not refer to any known function.`, op.call.name);
    }
    const first = binding.definition.parameters[0];
    if (!first || !isTabularParameter(first.typeName)) {
      return this.fail('KB004', `'${name}' cannot be invoked: its first parameter must be a table.`, op.call);
    }
    const result = this.expandFunction(binding, op.call, lets, undefined, input);
    if (result.kind !== 'tabular') return this.fail('KB008', `'${name}' returns a scalar; invoke needs a function that returns a table.`, op.call);
    return result.plan;
  }

  /** `column_ifexists("Name", default)`: the column when the input has it, else the default value. */
  /**
   * `pack_all([ignore_null_empty])`: a bag of every column of the row. The binder knows the columns, so the
   * call becomes the registry's `pack_all` over (flag, column, column, …), each column carrying its name.
   */
  private bindPackAll(call: Ast.CallExpression, scope: ScalarScope): BoundExpr {
    if (call.args.length > 1) return this.fail('KB004', 'pack_all(): expected 0 or 1 arguments (ignore_null_empty).', call);
    const flag: BoundExpr = call.args[0] ? this.bindScalar(call.args[0], scope) : { kind: 'Constant', value: false, type: 'bool' };
    // The operator's input row: columns an earlier `Name = …` of the same extend adds are not part of it.
    const row = scope.schema.slice(0, scope.operatorInputWidth ?? scope.schema.length);
    const columns: BoundExpr[] = row.map((c, index) => ({ kind: 'Column', index, name: c.name, type: c.type }));
    const fn = this.registry.scalar('pack_all')!;
    const spans = [call.args[0] ?? call, ...columns.map(() => call)];
    return this.callOrFold(fn, [flag, ...columns], call, call.name, spans);
  }

  /** `column_names_of(T)`: the names of a tabular expression's columns, known when binding. */
  private bindColumnNamesOf(call: Ast.CallExpression, scope: ScalarScope): BoundExpr {
    const [arg] = call.args;
    if (call.args.length !== 1 || !arg) return this.fail('KB004', 'column_names_of(): expected 1 tabular argument.', call);
    if (!this.isTabular(arg, scope.lets)) return this.fail('KB005', 'column_names_of(): the argument must be a table or tabular expression.', arg);
    const plan = this.bindTabular(arg, scope.lets);
    return { kind: 'Constant', value: plan.schema.map((c) => c.name), type: 'dynamic' };
  }

  private bindColumnIfExists(call: Ast.CallExpression, scope: ScalarScope): BoundExpr {
    const [nameArg, fallback] = call.args;
    if (call.args.length !== 2 || !nameArg || !fallback) return this.fail('KB004', `${call.name.name}(): expected 2 arguments (column name, default value).`, call);
    const name = this.bindScalar(nameArg, { schema: [], lets: scope.lets });
    if (name.kind !== 'Constant' || typeof name.value !== 'string') return this.fail('KB010', `${call.name.name}(): the column name must be a constant string.`, nameArg);
    const index = columnIndex(scope.schema, name.value);
    if (index >= 0) return { kind: 'Column', index, name: name.value, type: scope.schema[index]!.type };
    return this.bindScalar(fallback, scope);
  }

  /** `typeof(long)`: a type passed as an argument (extract's and extract_json's result type). */
  private bindTypeLiteral(call: Ast.CallExpression): BoundExpr {
    const arg = call.args[0];
    const typeName = call.args.length === 1 && arg?.kind === 'NameReference' ? arg.name : undefined;
    const type = typeName ? parseTypeName(typeName) : undefined;
    if (!type) return this.fail('KB005', 'typeof() takes one type name, e.g. typeof(long).', call);
    return { kind: 'Constant', value: null, type, typeLiteral: type };
  }

  /** `row_number()`, `prev()`, `next()`, `row_cumsum()`, `row_rank_*()`, `row_window_session()`: hidden columns of a Window node (see windowSource). */
  private bindWindowCall(call: Ast.CallExpression, scope: ScalarScope): BoundExpr {
    const name = call.name.name;
    if (!scope.windows) {
      return this.fail('KB005', `${name}() works on rows in order: use it in extend or project (after sort, top or serialize).`, call.name);
    }
    // Arguments may hold window calls of their own (a restart condition is often `k != prev(k)`).
    const args = call.args.map((a) => this.bindScalar(a, { schema: scope.schema, lets: scope.lets, windows: scope.windows }));
    const constant = (i: number, fallback: Value): Value => {
      const a = args[i];
      if (!a) return fallback;
      if (a.kind !== 'Constant') return this.fail('KB010', `${name}(): argument ${i + 1} must be a constant.`, call.args[i]!);
      return a.value;
    };
    let column: WindowColumn;
    if (name === 'row_number') {
      if (args.length > 2) this.fail('KB004', 'row_number(): expected 0 to 2 arguments.', call);
      column = { fn: 'row_number', start: Number(constant(0, 1)), ...(args[1] ? { restart: args[1] } : {}) };
    } else if (name === 'prev' || name === 'next') {
      if (args.length < 1 || args.length > 3) this.fail('KB004', `${name}(): expected 1 to 3 arguments.`, call);
      column = { fn: name, expr: args[0]!, offset: Number(constant(1, 1)), fallback: constant(2, null) };
    } else {
      column = this.runningWindowColumn(name, args, call);
    }
    const index = scope.schema.length + scope.windows.length;
    scope.windows.push(column);
    return { kind: 'Column', index, name: `__window${scope.windows.length - 1}`, type: windowType(column) };
  }

  /** row_cumsum(Term [, Restart]), row_rank_min/row_rank_dense(Term [, Restart]), row_window_session(Expr, MaxFromFirst, MaxBetween [, Restart]). */
  private runningWindowColumn(name: string, args: BoundExpr[], call: Ast.CallExpression): WindowColumn {
    const session = name === 'row_window_session';
    const required = session ? 3 : 1;
    if (args.length < required || args.length > required + 1) {
      this.fail('KB004', `${name}(): expected ${required} or ${required + 1} arguments.`, call);
    }
    const restart = args[required];
    if (restart && restart.type !== 'bool') this.fail('KB005', `${name}(): the restart argument must be bool, not ${restart.type}.`, call.args[required]!);
    const expr = args[0]!;
    const numeric = ['int', 'long', 'real', 'decimal'].includes(expr.type);
    if (name === 'row_cumsum' && !numeric) this.fail('KB005', `row_cumsum(): the term must be a number, not ${expr.type}.`, call.args[0]!);
    const optional = restart ? { restart } : {};
    if (!session) return { fn: name as 'row_cumsum' | 'row_rank_min' | 'row_rank_dense', expr, ...optional };
    if (expr.type !== 'datetime') this.fail('KB005', `row_window_session(): the expression must be a datetime, not ${expr.type}.`, call.args[0]!);
    const gap = (i: number): bigint => {
      const a = args[i]!;
      if (a.kind !== 'Constant' || a.type !== 'timespan' || a.value === null) {
        return this.fail('KB010', `row_window_session(): argument ${i + 1} must be a constant timespan.`, call.args[i]!);
      }
      return a.value as bigint;
    };
    return { fn: 'row_window_session', expr, maxFromFirst: gap(1), maxBetween: gap(2), ...optional };
  }

  /** An aggregate nested inside a summarize expression: it becomes a hidden slot column. */
  private collectAggregate(call: Ast.CallExpression, fn: AggregateFunction, scope: ScalarScope): BoundExpr {
    const agg = scope.aggregates!;
    if (call.args.some((a) => a.kind === 'StarExpression')) {
      this.fail('KB004', `${fn.name}(…, *) must be the whole aggregate expression.`, call);
    }
    const args = call.args.map((a) => this.bindScalar(a, { schema: scope.schema, lets: scope.lets }));
    const result = fn.bind(args.map(argInfo));
    if ('error' in result) this.failArgument(result, call);
    if ('types' in result) this.fail('KB004', `${fn.name}() returns several columns and cannot be part of an expression.`, call);
    const type = (result as { type: ScalarType }).type;
    const index = agg.baseIndex + agg.collector.schema.length;
    const name = agg.hiddenNames.unique(`__agg${index}`);
    agg.collector.slots.push({ fn, args, outputs: 1 });
    agg.collector.schema.push({ name, type });
    return { kind: 'Column', index, name, type };
  }

  private applyOperator(name: string, args: BoundExpr[], whole: Ast.Span, opSpan: Ast.Span, argSpans: Ast.Span[]): BoundExpr {
    const fn = this.registry.operator(name);
    if (!fn) return this.fail('KB900', `The operator '${name}' is not supported yet.`, opSpan);
    return this.callOrFold(fn, args, whole, opSpan, argSpans);
  }

  /** Binds a call; a call whose arguments are all constants is evaluated now (so needle lists are constants). */
  private callOrFold(fn: ScalarFunction, args: BoundExpr[], whole: Ast.Span, errorSpan: Ast.Span, argSpans: Ast.Span[]): BoundExpr {
    const infos = args.map(argInfo);
    const result = fn.bind(infos);
    if ('error' in result) {
      const argSpan = result.argIndex !== undefined ? argSpans[result.argIndex] : undefined;
      return this.fail('KB004', result.error, argSpan ?? errorSpan);
    }
    const call: BoundExpr = { kind: 'Call', fn, args, type: result.type, span: { start: whole.start, end: whole.end } };
    if (fn.deterministic === false || !args.every((a) => a.kind === 'Constant')) return call;
    try {
      const kernel = fn.prepare(infos, this.options.context);
      const value = kernel(args.map((a) => (a as { value: Value }).value));
      return { kind: 'Constant', value: result.type === 'string' && value === null ? '' : value, type: result.type };
    } catch {
      return call; // leave it to run time, where the failure is reported with its position
    }
  }
}

interface ScalarScope {
  schema: Schema;
  lets: LetScope;
  /** Set where window functions may appear (extend, project): they become hidden Window columns. */
  windows?: WindowColumn[];
  /** extend: how many leading columns of `schema` are the operator's input row (what pack_all() packs). */
  operatorInputWidth?: number;
  /** find/search: columns other tables have, which read as null in this one. */
  missing?: Map<string, ScalarType>;
  /** Set inside summarize aggregate expressions: nested aggregate calls become slots. */
  aggregates?: { collector: { slots: AggregateSlot[]; schema: Schema }; baseIndex: number; hiddenNames: NameAllocator };
}

const WINDOW_FUNCTIONS = new Set(['row_number', 'prev', 'next', 'row_cumsum', 'row_rank_min', 'row_rank_dense', 'row_window_session']);

/** Scalar functions whose `*` argument means every column of the row. */
const STAR_ROW_FUNCTIONS = new Set(['estimate_data_size']);

/** The conversion function that reads a dynamic value as each type. */
const CONVERSIONS: Partial<Record<ScalarType, string>> = {
  bool: 'tobool', int: 'toint', long: 'tolong', real: 'toreal', decimal: 'todecimal', string: 'tostring',
  datetime: 'todatetime', timespan: 'totimespan', guid: 'toguid',
};

function windowType(column: WindowColumn): ScalarType {
  if (column.fn === 'row_number' || column.fn === 'row_rank_min' || column.fn === 'row_rank_dense') return 'long';
  return column.expr.type;
}

/** Tabular parameters are declared with a schema in parentheses: `(T:(*))`, `(T:(x:long))`. */
function isTabularParameter(typeName: string): boolean {
  return typeName.trim().startsWith('(');
}

function caseSensitiveSearch(parameters: Ast.OperatorParameter[]): boolean {
  return String(parameters.find((p) => p.name.toLowerCase() === 'kind')?.value ?? '').toLowerCase() === 'case_sensitive';
}

/** What `withsource=` calls a leg: its table or view name, or the name given by a final `as`. */
function unionLegName(table: Ast.Expression): string | undefined {
  const inner = unwrapParens(table);
  if (inner.kind === 'NameReference') return inner.name;
  if (inner.kind === 'PipeExpression' && inner.operator.kind === 'AsOperator') return inner.operator.name.name;
  return undefined;
}

function unwrapParens(expr: Ast.Expression): Ast.Expression {
  return expr.kind === 'ParenthesizedExpression' ? unwrapParens(expr.expression) : expr;
}

function arity(min: number, max: number): string {
  if (min === max) return String(min);
  return max === Number.POSITIVE_INFINITY || max > 1000 ? `at least ${min}` : `${min} to ${max}`;
}

export function wildcardMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name;
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
  return regex.test(name);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compareOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Union's outer/inner schema merge (kql-semantics.md §6.1) and each leg's column mapping. */
function mergeUnion(legs: { plan: PlanNode; name: string }[], inner: boolean, withSource: string | undefined): PlanNode {
  const typesByName = new Map<string, ScalarType[]>();
  for (const leg of legs) {
    for (const c of leg.plan.schema) {
      const types = typesByName.get(c.name) ?? [];
      if (!types.includes(c.type)) types.push(c.type);
      typesByName.set(c.name, types);
    }
  }
  const inAllLegs = (name: string, type: ScalarType) => legs.every((l) => l.plan.schema.some((c) => c.name === name && c.type === type));
  // Names are handed out in column order, so a later real `x_long` gives way to an earlier split
  // `x_long` (Kusto.Language names it `x_long1`; the conformance suite takes its names as the authority).
  const names = new NameAllocator(withSource ? [withSource] : []);
  const output: { schema: ColumnSchema; sourceName: string; sourceType: ScalarType }[] = [];
  for (const [name, types] of typesByName) {
    for (const type of types) {
      if (inner && !inAllLegs(name, type)) continue;
      const outName = names.unique(types.length === 1 ? name : `${name}_${type}`);
      output.push({ schema: { name: outName, type }, sourceName: name, sourceType: type });
    }
  }
  const schema: Schema = [...(withSource ? [{ name: withSource, type: 'string' as ScalarType }] : []), ...output.map((o) => o.schema)];
  const unionLegs: UnionLeg[] = legs.map((leg) => ({
    plan: leg.plan,
    sourceName: leg.name,
    columnMap: [
      ...(withSource ? [-1] : []),
      ...output.map((o) => leg.plan.schema.findIndex((c) => c.name === o.sourceName && c.type === o.sourceType)),
    ],
  }));
  return { kind: 'Union', legs: unionLegs, sourceColumn: withSource ? 0 : -1, schema };
}

/** Converts a constant to a column type where Kusto would (e.g. a long literal into an int or real column). */
function convertConstant(value: Value, from: ScalarType, to: ScalarType): Value | undefined {
  if (value === null) return to === 'string' ? '' : null;
  if (from === to) return value;
  const numeric = ['int', 'long', 'real', 'decimal'];
  if (numeric.includes(from) && numeric.includes(to)) {
    const n = value as number;
    return to === 'int' || to === 'long' ? Math.trunc(n) : n;
  }
  if (to === 'dynamic') {
    if (from === 'datetime') return formatDatetime(value as bigint);
    if (from === 'timespan') return formatTimespan(value as bigint);
    return value as DynamicValue;
  }
  return undefined;
}
