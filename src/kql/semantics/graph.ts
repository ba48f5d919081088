/**
 * Binding of the graph operators (see graph-plan.ts for the plan nodes they produce).
 *
 * graph-match's `where` and `project` speak of pattern variables (`a.name`, `node_degree_in(a)`,
 * `map(e, expr)`, `all(inner_nodes(e), pred)`). They are rewritten into ordinary expressions over
 * the match row, whose columns are named `variable.property` (names no KQL identifier can spell),
 * and bound by the ordinary scalar binder. A function over a variable-length edge's elements
 * becomes a hidden column of the match row, computed by the executor from an element expression
 * bound over the edge (or node) properties.
 */
import type * as Ast from '../syntax/ast.js';
import type { ColumnSchema, Schema } from '../values/types.js';
import type { BoundExpr, PlanNode } from './bound.js';
import {
  type BoundPatternChain, type GraphMatchNode, type GraphPlan, type GraphShape, type GraphToTableNode, type MakeGraphNode,
  type MatchVariable, type PathAggregate, NODE_HIDDEN_COLUMNS, isGraphPlan,
} from './graph-plan.js';
import { NameAllocator, expressionResultName } from './naming.js';
import type { TabularContext } from './operators.js';
import { columnIndex } from './scope.js';

/** Every operator but make-graph's graph consumers needs a table: a graph is refused before the operator is bound. */
export function checkGraphInput(ctx: TabularContext, input: PlanNode, op: Ast.QueryOperator): void {
  const consumesGraph = op.kind === 'GraphMatchOperator' || op.kind === 'GraphToTableOperator' || op.kind === 'GraphMarkComponentsOperator';
  if (isGraphPlan(input) && !consumesGraph) {
    ctx.fail('KB008', 'This operator needs a table, but its input is a graph (from make-graph): use graph-match, graph-shortest-paths or graph-to-table first.', op);
  }
}

/** The graph a graph operator reads; a table in its place is an error. */
function graphInput(ctx: TabularContext, input: PlanNode, op: Ast.QueryOperator): GraphPlan {
  if (!isGraphPlan(input)) return ctx.fail('KB008', 'This operator needs a graph as its input: build one with make-graph.', op);
  return input;
}

/** A query statement (or `let`) whose value is a graph: Kusto has no way to return it. */
export function checkNotGraph(ctx: TabularContext, plan: PlanNode, span: Ast.Span): PlanNode {
  if (isGraphPlan(plan)) return ctx.fail('KB008', 'A graph cannot be the result of a query: follow make-graph with graph-match, graph-shortest-paths or graph-to-table.', span);
  return plan;
}

// ───────────────────────────── make-graph ─────────────────────────────

export function bindMakeGraph(ctx: TabularContext, edges: PlanNode, op: Ast.MakeGraphOperator): PlanNode {
  const sourceColumn = requireColumn(ctx, edges.schema, op.source, 'the edges');
  const targetColumn = requireColumn(ctx, edges.schema, op.target, 'the edges');
  const keyType = edges.schema[sourceColumn]!.type;
  if (edges.schema[targetColumn]!.type !== keyType) {
    ctx.fail('KB005', `The source and target node ids must have the same type (${keyType} vs ${edges.schema[targetColumn]!.type}).`, op.target);
  }
  const nodeSchema: Schema = [];
  const nodeTables = op.nodeTables.map(({ table, key }) => {
    const plan = ctx.bindTabular(table);
    checkNotGraph(ctx, plan, table);
    const keyColumn = requireColumn(ctx, plan.schema, key, 'the nodes table');
    if (plan.schema[keyColumn]!.type !== keyType) {
      ctx.fail('KB005', `The node id column '${key.name}' is ${plan.schema[keyColumn]!.type}, but the edges' node ids are ${keyType}.`, key);
    }
    return { plan, keyColumn, propertyIndexes: plan.schema.map((c) => nodeProperty(ctx, nodeSchema, c, key)) };
  });
  const nodeIdName = op.parameters.find((p) => p.name === 'with_node_id');
  let keyProperty = -1;
  if (nodeIdName) keyProperty = nodeProperty(ctx, nodeSchema, { name: String(nodeIdName.value), type: keyType }, nodeIdName);
  else if (nodeTables[0]) keyProperty = nodeTables[0].propertyIndexes[nodeTables[0].keyColumn]!;
  const graph: GraphShape = { keyType, nodeSchema, edgeSchema: edges.schema };
  const node: MakeGraphNode = { kind: 'MakeGraph', schema: [], graph, edges, sourceColumn, targetColumn, nodeTables, keyProperty };
  return op.partitionedBy ? bindPartitioned(ctx, node, op.partitionedBy, op.nodeTables) : node;
}

/** The index of a node property, added on first sight; the same name in two nodes tables must have one type. */
function nodeProperty(ctx: TabularContext, nodeSchema: Schema, column: ColumnSchema, span: Ast.Span): number {
  const existing = columnIndex(nodeSchema, column.name);
  if (existing < 0) return nodeSchema.push({ name: column.name, type: column.type }) - 1;
  if (nodeSchema[existing]!.type !== column.type) {
    ctx.fail('KB005', `The node property '${column.name}' has two types (${nodeSchema[existing]!.type} and ${column.type}).`, span);
  }
  return existing;
}

function bindPartitioned(
  ctx: TabularContext,
  graph: MakeGraphNode,
  partition: NonNullable<Ast.MakeGraphOperator['partitionedBy']>,
  tables: Ast.MakeGraphOperator['nodeTables'],
): PlanNode {
  const edgePartitionColumn = requireColumn(ctx, graph.edges.schema, partition.column, 'the edges');
  const nodePartitionColumns = graph.nodeTables.map((t, i) => requireColumn(ctx, t.plan.schema, partition.column, 'the nodes table', tables[i]!.table));
  const placeholder = { kind: 'GraphPlaceholder' as const, schema: [], graph: graph.graph };
  if (partition.subquery.length === 0) ctx.fail('KB004', 'partitioned-by needs a graph operator in its parentheses.', partition.column);
  const subquery = ctx.bindOperators(placeholder, partition.subquery);
  checkNotGraph(ctx, subquery, partition.subquery[partition.subquery.length - 1]!);
  return { kind: 'GraphPartition', schema: subquery.schema, graph, edgePartitionColumn, nodePartitionColumns, placeholder, subquery };
}

function requireColumn(ctx: TabularContext, schema: Schema, name: Ast.Identifier, where: string, span: Ast.Span = name): number {
  const index = columnIndex(schema, name.name);
  if (index < 0) ctx.fail('KB001', `The column '${name.name}' does not exist in ${where}.`, span);
  return index;
}

// ───────────────────────────── graph-mark-components, graph-to-table ─────────────────────────────

export function bindGraphMarkComponents(ctx: TabularContext, source: PlanNode, op: Ast.GraphMarkComponentsOperator): PlanNode {
  const input = graphInput(ctx, source, op);
  const kind = String(op.parameters.find((p) => p.name === 'kind')?.value ?? 'weak').toLowerCase();
  if (kind !== 'weak' && kind !== 'strong') ctx.fail('KB004', `graph-mark-components: kind must be weak or strong, not '${kind}'.`, op);
  const name = String(op.parameters.find((p) => p.name === 'with_component_id')?.value ?? 'ComponentId');
  const nodeSchema = input.graph.nodeSchema.filter((c) => c.name !== name);
  if (nodeSchema.length !== input.graph.nodeSchema.length) ctx.fail('KB006', `The nodes already have a property named '${name}'.`, op);
  const graph: GraphShape = { ...input.graph, nodeSchema: [...nodeSchema, { name, type: 'long' }] };
  return { kind: 'GraphMarkComponents', schema: [], graph, input, strong: kind === 'strong' };
}

/**
 * `graph-to-table`: one output gives the statement's table; with two (`nodes as N, edges as E`) each is
 * also bound to its `as` name and the statement's table is the first.
 */
export function bindGraphToTable(ctx: TabularContext, source: PlanNode, op: Ast.GraphToTableOperator): PlanNode {
  const input = graphInput(ctx, source, op);
  const plans = op.outputs.map((output) => {
    const plan = graphTable(ctx, input, output);
    if (output.asName) ctx.lets.define(output.asName.name, { kind: 'tabular', plan });
    return plan;
  });
  if (op.outputs.length > 1 && op.outputs.some((o) => !o.asName)) ctx.fail('KB004', 'graph-to-table with nodes and edges needs `as Name` for each.', op);
  return plans[0]!;
}

function graphTable(ctx: TabularContext, input: GraphPlan, output: Ast.GraphToTableOperator['outputs'][number]): GraphToTableNode {
  const idColumns: GraphToTableNode['idColumns'] = [];
  const idNames: string[] = [];
  const allowed: Record<string, GraphToTableNode['idColumns'][number]> = output.entity === 'nodes' ? { with_node_id: 'node' } : { with_source_id: 'source', with_target_id: 'target' };
  for (const p of output.parameters) {
    const role = allowed[p.name];
    if (!role) ctx.fail('KB004', `graph-to-table ${output.entity} does not take ${p.name}.`, p);
    idColumns.push(role);
    idNames.push(String(p.value));
  }
  const properties = output.entity === 'nodes' ? input.graph.nodeSchema : input.graph.edgeSchema;
  const schema: Schema = [...idNames.map((name) => ({ name, type: 'long' as const })), ...properties];
  const keySpan = output.entitySpan;
  const idExpr = ctx.bindCall('hash', [{ kind: 'Column', index: 0, name: '$key', type: input.graph.keyType }], keySpan);
  return { kind: 'GraphToTable', schema, input, entity: output.entity, idExpr, idColumns };
}

// ───────────────────────────── graph-match, graph-shortest-paths ─────────────────────────────

interface MatchScope {
  ctx: TabularContext;
  graph: GraphShape;
  variables: MatchVariable[];
  byName: Map<string, number>;
  matchSchema: Schema;
  pathAggregates: PathAggregate[];
}

export function bindGraphMatch(ctx: TabularContext, source: PlanNode, op: Ast.GraphMatchOperator): PlanNode {
  const input = graphInput(ctx, source, op);
  const scope: MatchScope = { ctx, graph: input.graph, variables: [], byName: new Map(), matchSchema: [], pathAggregates: [] };
  const patterns = op.patterns.map((chain) => bindChain(scope, chain));
  addVariableColumns(scope);
  let where: BoundExpr | undefined;
  if (op.where) {
    where = ctx.bindScalar(rewriteMatchExpression(scope, op.where), scope.matchSchema);
    if (where.type !== 'bool' && where.type !== 'dynamic') ctx.fail('KB005', `The where constraints must be of type bool, not ${where.type}.`, op.where);
  }
  if (op.project.length === 0) ctx.fail('KB004', `${op.shortestPaths ? 'graph-shortest-paths' : 'graph-match'} needs a project clause.`, op);
  const names = new NameAllocator();
  for (const column of op.project) for (const n of column.names) names.reserve(n.name);
  const project: BoundExpr[] = [];
  const schema: Schema = [];
  for (const column of op.project) {
    const aggregatesBefore = scope.pathAggregates.length;
    const expr = ctx.bindScalar(rewriteMatchExpression(scope, column.expression), scope.matchSchema);
    // Kusto returns what is computed from a variable-length edge as dynamic, whatever the expression's type.
    const type = scope.pathAggregates.length > aggregatesBefore ? 'dynamic' : expr.type;
    const given = column.names[0]?.name;
    const natural = given ?? expressionResultName(column.expression);
    const name = given ?? (natural !== undefined ? names.unique(natural) : names.invent());
    if (schema.some((c) => c.name === name)) ctx.fail('KB006', `A column with the name '${name}' is already declared.`, column);
    project.push(expr);
    schema.push({ name, type });
  }
  const node: GraphMatchNode = {
    kind: 'GraphMatch', schema, input, variables: scope.variables, patterns, matchSchema: scope.matchSchema,
    pathAggregates: scope.pathAggregates, project, cycles: cyclesOf(ctx, op),
    ...(where ? { where } : {}),
  };
  if (op.shortestPaths) node.shortest = { all: shortestOutputOf(ctx, op) === 'all' };
  return node;
}

function cyclesOf(ctx: TabularContext, op: Ast.GraphMatchOperator): GraphMatchNode['cycles'] {
  // graph-shortest-paths looks for shortest paths, which never repeat a node
  if (op.shortestPaths) return 'none';
  const given = op.parameters.find((p) => p.name === 'cycles');
  const value = String(given?.value ?? 'unique_edges').toLowerCase();
  if (value !== 'all' && value !== 'none' && value !== 'unique_edges') ctx.fail('KB004', `cycles must be all, none or unique_edges, not '${value}'.`, given!);
  return value;
}

function shortestOutputOf(ctx: TabularContext, op: Ast.GraphMatchOperator): 'any' | 'all' {
  const given = op.parameters.find((p) => p.name === 'output');
  const value = String(given?.value ?? 'any').toLowerCase();
  if (value !== 'any' && value !== 'all') ctx.fail('KB004', `output must be any or all, not '${value}'.`, given!);
  return value;
}

function bindChain(scope: MatchScope, chain: Ast.GraphPatternChain): BoundPatternChain {
  const nodes = chain.nodes.map((n) => declareVariable(scope, n.name, 'node', n));
  const edges = chain.edges.map((e) => {
    const kind = e.length ? 'path' : 'edge';
    if (e.length && (e.length.min < 0 || e.length.max < e.length.min || e.length.max < 1)) {
      scope.ctx.fail('KB004', `A variable-length edge needs 0 <= min <= max and max >= 1 (got ${e.length.min}..${e.length.max}).`, e);
    }
    const variable = declareVariable(scope, e.name, kind, e);
    return { direction: e.direction, minHops: e.length?.min ?? 1, maxHops: e.length?.max ?? 1, variable };
  });
  return { nodes, edges };
}

/** A named node may appear several times (the same node); edges are declared once. Anonymous elements get hidden names. */
function declareVariable(scope: MatchScope, name: Ast.Identifier | undefined, kind: MatchVariable['kind'], span: Ast.Span): number {
  if (name) {
    const existing = scope.byName.get(name.name);
    if (existing !== undefined) {
      if (kind !== 'node' || scope.variables[existing]!.kind !== 'node') scope.ctx.fail('KB006', `The pattern variable '${name.name}' is declared twice.`, span);
      return existing;
    }
  }
  const variableName = name?.name ?? `$anonymous${scope.variables.length}`;
  const variable: MatchVariable = kind === 'path' ? { kind, name: variableName } : { kind, name: variableName, firstColumn: -1 };
  scope.variables.push(variable);
  scope.byName.set(variableName, scope.variables.length - 1);
  return scope.variables.length - 1;
}

function addVariableColumns(scope: MatchScope): void {
  for (const v of scope.variables) {
    if (v.kind === 'path') continue;
    v.firstColumn = scope.matchSchema.length;
    const properties = v.kind === 'node' ? nodeElementSchema(scope.graph) : scope.graph.edgeSchema;
    for (const c of properties) scope.matchSchema.push({ name: `${v.name}.${c.name}`, type: c.type });
  }
}

/** A node's properties followed by the hidden columns node_id(), node_degree_in(), node_degree_out() read. */
export function nodeElementSchema(graph: GraphShape): Schema {
  return [...graph.nodeSchema, { name: NODE_HIDDEN_COLUMNS[0], type: graph.keyType }, { name: NODE_HIDDEN_COLUMNS[1], type: 'long' }, { name: NODE_HIDDEN_COLUMNS[2], type: 'long' }];
}

const NODE_FUNCTIONS: Record<string, string> = { node_id: '$id', node_degree_in: '$degree_in', node_degree_out: '$degree_out' };
const PATH_FUNCTIONS = new Set(['map', 'all', 'any']);

function reference(name: string, span: Ast.Span): Ast.NameReference {
  return { kind: 'NameReference', name, start: span.start, end: span.end };
}

/** Rewrites pattern-variable syntax in a where/project expression into references to match-row columns. */
function rewriteMatchExpression(scope: MatchScope, expr: Ast.Expression): Ast.Expression {
  return rewriteTree(expr, (node) => {
    if (node.kind === 'MemberExpression' && node.target.kind === 'NameReference') return variableProperty(scope, node.target, node.member, node);
    if (node.kind !== 'CallExpression' || node.target) return undefined;
    const name = node.name.name;
    if (NODE_FUNCTIONS[name] !== undefined) return nodeFunction(scope, node);
    if (PATH_FUNCTIONS.has(name) && node.args.length === 2) return pathFunction(scope, node);
    if (name === 'inner_nodes') scope.ctx.fail('KB004', 'inner_nodes() is used as the first argument of map(), all() or any().', node);
    return undefined;
  });
}

function variableProperty(scope: MatchScope, target: Ast.NameReference, member: Ast.Identifier, span: Ast.Span): Ast.Expression | undefined {
  const index = scope.byName.get(target.name);
  if (index === undefined) return undefined;
  const variable = scope.variables[index]!;
  if (variable.kind === 'path') {
    // A variable-length edge's property is the array of that property over its edges: map(e, property).
    if (columnIndex(scope.graph.edgeSchema, member.name) < 0) scope.ctx.fail('KB001', `The edges of '${target.name}' have no property '${member.name}'.`, member);
    const name: Ast.Identifier = { kind: 'Identifier', name: 'map', start: span.start, end: span.end };
    return pathFunction(scope, { kind: 'CallExpression', name, args: [target, reference(member.name, member)], start: span.start, end: span.end });
  }
  const properties = variable.kind === 'node' ? scope.graph.nodeSchema : scope.graph.edgeSchema;
  if (columnIndex(properties, member.name) < 0) scope.ctx.fail('KB001', `The ${variable.kind} '${target.name}' has no property '${member.name}'.`, member);
  return reference(`${variable.name}.${member.name}`, span);
}

/** `node_degree_in(n)`, `node_degree_out(n)`, `node_id(n)` on a node variable. */
function nodeFunction(scope: MatchScope, call: Ast.CallExpression): Ast.Expression {
  const arg = call.args[0];
  const variable = arg?.kind === 'NameReference' && call.args.length === 1 ? scope.byName.get(arg.name) : undefined;
  if (variable === undefined || scope.variables[variable]!.kind !== 'node') {
    return scope.ctx.fail('KB004', `${call.name.name}() takes a node variable of the pattern here (or no argument inside map/all/any over inner_nodes()).`, call);
  }
  return reference(`${scope.variables[variable]!.name}.${NODE_FUNCTIONS[call.name.name]}`, call);
}

/** `map(e, expr)`, `all(e, pred)`, `any(e, pred)` over a variable-length edge `e` or `inner_nodes(e)`: a hidden match column. */
function pathFunction(scope: MatchScope, call: Ast.CallExpression): Ast.Expression | undefined {
  const source = call.args[0]!;
  const over = source.kind === 'CallExpression' && source.name.name === 'inner_nodes' ? 'inner_nodes' : 'edges';
  const pathRef = over === 'inner_nodes' ? (source as Ast.CallExpression).args[0] : source;
  const variable = pathRef?.kind === 'NameReference' ? scope.byName.get(pathRef.name) : undefined;
  if (variable === undefined) return over === 'inner_nodes' ? scope.ctx.fail('KB004', 'inner_nodes() takes a variable-length edge of the pattern.', source) : undefined;
  if (scope.variables[variable]!.kind !== 'path') scope.ctx.fail('KB004', `${call.name.name}() needs a variable-length edge (like -[e*1..3]->), and '${(pathRef as Ast.NameReference).name}' is not one.`, source);
  const elementSchema = over === 'edges' ? scope.graph.edgeSchema : nodeElementSchema(scope.graph);
  const element = scope.ctx.bindScalar(rewriteElementExpression(scope.ctx, call.args[1]!, over), elementSchema);
  const fn = call.name.name as PathAggregate['fn'];
  if (fn !== 'map' && element.type !== 'bool') scope.ctx.fail('KB005', `${fn}() needs a bool predicate, not ${element.type}.`, call.args[1]!);
  const type = fn === 'map' ? 'dynamic' : 'bool';
  scope.pathAggregates.push({ fn, variable, over, element, type });
  const column = `$path${scope.pathAggregates.length - 1}`;
  scope.matchSchema.push({ name: column, type });
  return reference(column, call);
}

/** Inside map/all/any, names are the element's properties; `node_id()`, `node_degree_in()`… (no argument) read the element node. */
function rewriteElementExpression(ctx: TabularContext, expr: Ast.Expression, over: 'edges' | 'inner_nodes'): Ast.Expression {
  return rewriteTree(expr, (node) => {
    if (node.kind !== 'CallExpression' || NODE_FUNCTIONS[node.name.name] === undefined) return undefined;
    if (over !== 'inner_nodes' || node.args.length > 0) ctx.fail('KB004', `${node.name.name}() without an argument reads the current node of map/all/any over inner_nodes().`, node);
    return reference(NODE_FUNCTIONS[node.name.name]!, node);
  });
}

/** Rebuilds a syntax tree bottom-up except where `replace` returns a substitute for a node. */
function rewriteTree(expr: Ast.Expression, replace: (node: Ast.Expression) => Ast.Expression | undefined): Ast.Expression {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (value === null || typeof value !== 'object') return value;
    const node = value as { kind?: string };
    if (typeof node.kind === 'string') {
      const substitute = replace(node as Ast.Expression);
      if (substitute) return substitute;
    }
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(node)) copy[key] = visit(field);
    return copy;
  };
  return visit(expr) as Ast.Expression;
}
