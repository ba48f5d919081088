/**
 * Execution of the graph operators. A graph is built in memory from its edges and nodes tables
 * (make-graph is a blocking operator: it holds every node and edge), then graph-match enumerates
 * the pattern's matches by backtracking over the pattern's steps, in batches of match rows that
 * the ordinary expression evaluator filters (`where`) and projects (`project`).
 *
 * Node order is Kusto's: the nodes tables' rows first, then nodes seen only in the edges, in the
 * order they appear (source before target). Node ids (graph-to-table) are `hash(key)`, as in Kusto.
 */
import { BATCH_SIZE, type Batch } from '../values/batch.js';
import { toDynamic } from '../values/dynamic.js';
import type { DynamicValue, Schema, Value } from '../values/types.js';
import type { BoundExpr, PlanNode } from '../semantics/bound.js';
import type {
  GraphMarkComponentsNode, GraphMatchNode, GraphPartitionNode, GraphPlaceholderNode, GraphPlan, GraphToTableNode, MakeGraphNode,
} from '../semantics/graph-plan.js';
import type { CompiledExpr } from './expressions.js';
import { groupKey } from './grouping.js';

type Compile = (expr: BoundExpr) => Promise<CompiledExpr>;
type Run = (plan: PlanNode) => AsyncIterable<Batch>;

/** Matches enumerated by one graph-match before it gives up (a pattern that explodes is a query to narrow). */
const MAX_CANDIDATE_MATCHES = 20_000_000;

export interface RuntimeGraph {
  keys: Value[];
  /** One row of properties per node (in the graph's nodeSchema order). */
  nodeProperties: Value[][];
  edgeSource: number[];
  edgeTarget: number[];
  /** One row per edge: the edges table's columns. */
  edgeProperties: Value[][];
  outEdges: number[][];
  inEdges: number[][];
}

/** The graph of each partition, while a partitioned make-graph runs its sub-query over it. */
const currentPartitionGraph = new WeakMap<GraphPlaceholderNode, RuntimeGraph>();

async function collect(plan: PlanNode, run: Run): Promise<Value[][]> {
  const rows: Value[][] = [];
  for await (const batch of run(plan)) {
    for (let r = 0; r < batch.length; r++) rows.push(batch.columns.map((c) => c[r]!));
  }
  return rows;
}

export async function buildGraph(plan: GraphPlan, run: Run): Promise<RuntimeGraph> {
  switch (plan.kind) {
    case 'MakeGraph':
      return assembleGraph(plan, await collect(plan.edges, run), await Promise.all(plan.nodeTables.map((t) => collect(t.plan, run))));
    case 'GraphMarkComponents':
      return markComponents(await buildGraph(plan.input, run), plan);
    case 'GraphPlaceholder': {
      const graph = currentPartitionGraph.get(plan);
      if (!graph) throw new Error('internal: a partitioned graph was read outside its partition');
      return graph;
    }
  }
}

function emptyProperty(schema: Schema, index: number): Value {
  return schema[index]!.type === 'string' ? '' : null;
}

/** make-graph over rows already read: nodes (merged by key, first non-empty value wins), then the edges. */
export function assembleGraph(plan: MakeGraphNode, edgeRows: Value[][], nodeTableRows: Value[][][]): RuntimeGraph {
  const { nodeSchema } = plan.graph;
  const graph: RuntimeGraph = { keys: [], nodeProperties: [], edgeSource: [], edgeTarget: [], edgeProperties: [], outEdges: [], inEdges: [] };
  const indexOfKey = new Map<string, number>();
  const nodeOf = (key: Value): number => {
    const id = groupKey([key]);
    let index = indexOfKey.get(id);
    if (index === undefined) {
      index = graph.keys.push(key) - 1;
      const properties = nodeSchema.map((_, i) => emptyProperty(nodeSchema, i));
      if (plan.keyProperty >= 0) properties[plan.keyProperty] = key;
      graph.nodeProperties.push(properties);
      graph.outEdges.push([]);
      graph.inEdges.push([]);
      indexOfKey.set(id, index);
    }
    return index;
  };
  plan.nodeTables.forEach((table, t) => {
    for (const row of nodeTableRows[t]!) {
      const key = row[table.keyColumn] ?? null;
      if (key === null) continue; // a node without an id cannot be reached by any edge
      const properties = graph.nodeProperties[nodeOf(key)]!;
      row.forEach((value, c) => {
        const p = table.propertyIndexes[c]!;
        if (properties[p] === null || properties[p] === '') properties[p] = value;
      });
    }
  });
  for (const row of edgeRows) {
    const source = row[plan.sourceColumn] ?? null;
    const target = row[plan.targetColumn] ?? null;
    if (source === null || target === null) continue; // Kusto drops edges with an empty end
    const s = nodeOf(source);
    const t = nodeOf(target);
    const e = graph.edgeSource.push(s) - 1;
    graph.edgeTarget.push(t);
    graph.edgeProperties.push(row);
    graph.outEdges[s]!.push(e);
    graph.inEdges[t]!.push(e);
  }
  return graph;
}

// ───────────────────────────── graph-mark-components ─────────────────────────────

function markComponents(graph: RuntimeGraph, plan: GraphMarkComponentsNode): RuntimeGraph {
  const raw = plan.strong ? strongComponents(graph) : weakComponents(graph);
  // components are numbered 0, 1, … in the order of their first node
  const renumber = new Map<number, number>();
  const ids = raw.map((c) => {
    if (!renumber.has(c)) renumber.set(c, renumber.size);
    return renumber.get(c)!;
  });
  return { ...graph, nodeProperties: graph.nodeProperties.map((p, n) => [...p, ids[n]!]) };
}

function weakComponents(graph: RuntimeGraph): number[] {
  const parent = graph.keys.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  graph.edgeSource.forEach((s, e) => {
    const a = find(s);
    const b = find(graph.edgeTarget[e]!);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  });
  return graph.keys.map((_, i) => find(i));
}

/** Tarjan's algorithm, iterative (graphs may be deep); returns a component label per node. */
function strongComponents(graph: RuntimeGraph): number[] {
  const n = graph.keys.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { node: number; next: number }[] = [{ node: root, next: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.outEdges[frame.node]!;
      if (frame.next < edges.length) {
        const to = graph.edgeTarget[edges[frame.next++]!]!;
        if (index[to] === -1) {
          index[to] = low[to] = counter++;
          stack.push(to);
          onStack[to] = true;
          work.push({ node: to, next: 0 });
        } else if (onStack[to]) {
          low[frame.node] = Math.min(low[frame.node]!, index[to]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node]!, low[frame.node]!);
      if (low[frame.node] === index[frame.node]) {
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = false;
          component[member] = frame.node;
        } while (member !== frame.node);
      }
    }
  }
  return component;
}

// ───────────────────────────── graph-to-table ─────────────────────────────

export async function* graphToTable(node: GraphToTableNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const graph = await buildGraph(node.input, run);
  const hash = await compile(node.idExpr);
  const nodeIds = node.idColumns.length > 0 ? hash({ schema: [{ name: '$key', type: node.input.graph.keyType }], columns: [graph.keys], length: graph.keys.length }) : [];
  const rows = node.entity === 'nodes' ? graph.nodeProperties : graph.edgeProperties;
  const idColumns = node.idColumns.map((role) => {
    if (role === 'node') return nodeIds;
    const ends = role === 'source' ? graph.edgeSource : graph.edgeTarget;
    return ends.map((n) => nodeIds[n]!);
  });
  const width = node.schema.length - idColumns.length;
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    const end = Math.min(rows.length, start + BATCH_SIZE);
    const slice = rows.slice(start, end);
    const properties = Array.from({ length: width }, (_, c) => slice.map((r) => r[c] ?? null));
    yield { schema: node.schema, columns: [...idColumns.map((col) => col.slice(start, end)), ...properties], length: end - start };
  }
}

// ───────────────────────────── make-graph … partitioned-by ─────────────────────────────

export async function* graphPartitions(node: GraphPartitionNode, run: Run): AsyncIterable<Batch> {
  const make = node.graph;
  const edgeRows = await collect(make.edges, run);
  const nodeRows = await Promise.all(make.nodeTables.map((t) => collect(t.plan, run)));
  const partitions = new Map<string, { edges: Value[][]; nodes: Value[][][] }>();
  const partitionOf = (value: Value) => {
    const id = groupKey([value]);
    let p = partitions.get(id);
    if (!p) partitions.set(id, (p = { edges: [], nodes: make.nodeTables.map(() => []) }));
    return p;
  };
  for (const row of edgeRows) partitionOf(row[node.edgePartitionColumn] ?? null).edges.push(row);
  nodeRows.forEach((rows, t) => {
    for (const row of rows) partitionOf(row[node.nodePartitionColumns[t]!] ?? null).nodes[t]!.push(row);
  });
  for (const partition of partitions.values()) {
    currentPartitionGraph.set(node.placeholder, assembleGraph(make, partition.edges, partition.nodes));
    // each partition's rows are read to the end before the next graph replaces this one
    const batches: Batch[] = [];
    for await (const batch of run(node.subquery)) batches.push(batch);
    yield* batches;
  }
  currentPartitionGraph.delete(node.placeholder);
}

// ───────────────────────────── graph-match, graph-shortest-paths ─────────────────────────────

/** A variable-length edge's walk: its edges and the nodes it visits (both ends included). */
interface PathBinding {
  edges: number[];
  nodes: number[];
}

interface Match {
  /** Node index per node variable, edge index per edge variable (-1 for paths). */
  elements: number[];
  paths: (PathBinding | undefined)[];
  /** Edges walked in total (graph-shortest-paths keeps the smallest). */
  length: number;
}

type Step = { kind: 'node'; variable: number } | { kind: 'edge'; from: number; to: number; edge: GraphMatchNode['patterns'][number]['edges'][number] };

function stepsOf(node: GraphMatchNode): Step[] {
  const steps: Step[] = [];
  for (const chain of node.patterns) {
    steps.push({ kind: 'node', variable: chain.nodes[0]! });
    chain.edges.forEach((edge, i) => steps.push({ kind: 'edge', from: chain.nodes[i]!, to: chain.nodes[i + 1]!, edge }));
  }
  return steps;
}

/** Every match of the pattern, by backtracking over its steps (node steps bind a start, edge steps walk). */
function* enumerateMatches(node: GraphMatchNode, graph: RuntimeGraph): Generator<Match> {
  const steps = stepsOf(node);
  const elements = new Array<number>(node.variables.length).fill(-1);
  const paths = new Array<PathBinding | undefined>(node.variables.length).fill(undefined);
  const edgeUses = new Uint32Array(graph.edgeSource.length);
  const uniqueEdges = node.cycles === 'unique_edges';
  const simplePaths = node.cycles === 'none';
  let produced = 0;

  function* solve(s: number, length: number): Generator<Match> {
    if (s === steps.length) {
      if (++produced > MAX_CANDIDATE_MATCHES) throw new Error(`graph-match: more than ${MAX_CANDIDATE_MATCHES} candidate matches; narrow the pattern (fewer hops, a bound start node)`);
      yield { elements: [...elements], paths: paths.map((p) => p && { edges: [...p.edges], nodes: [...p.nodes] }), length };
      return;
    }
    const step = steps[s]!;
    if (step.kind === 'node') {
      if (elements[step.variable] !== -1) {
        yield* solve(s + 1, length);
        return;
      }
      for (let n = 0; n < graph.keys.length; n++) {
        elements[step.variable] = n;
        yield* solve(s + 1, length);
      }
      elements[step.variable] = -1;
      return;
    }
    yield* walk(s, step, elements[step.from]!, { edges: [], nodes: [elements[step.from]!] }, length);
  }

  function* walk(s: number, step: Extract<Step, { kind: 'edge' }>, at: number, path: PathBinding, length: number): Generator<Match> {
    const hops = path.edges.length;
    if (hops >= step.edge.minHops) yield* arrive(s, step, at, path, length + hops);
    if (hops >= step.edge.maxHops) return;
    for (const [e, next] of adjacent(graph, at, step.edge.direction)) {
      if (uniqueEdges && edgeUses[e]! > 0) continue;
      if (simplePaths && path.nodes.includes(next)) continue;
      edgeUses[e]!++;
      path.edges.push(e);
      path.nodes.push(next);
      yield* walk(s, step, next, path, length);
      path.edges.pop();
      path.nodes.pop();
      edgeUses[e]!--;
    }
  }

  /** The walk ends at `at`: bind (or check) the step's end node and the edge variable, then go on. */
  function* arrive(s: number, step: Extract<Step, { kind: 'edge' }>, at: number, path: PathBinding, length: number): Generator<Match> {
    const bound = elements[step.to]!;
    if (bound !== -1 && bound !== at) return;
    const variable = node.variables[step.edge.variable]!;
    elements[step.to] = at;
    if (variable.kind === 'path') paths[step.edge.variable] = path;
    else elements[step.edge.variable] = path.edges[0]!;
    yield* solve(s + 1, length);
    if (variable.kind === 'path') paths[step.edge.variable] = undefined;
    else elements[step.edge.variable] = -1;
    elements[step.to] = bound;
  }

  yield* solve(0, 0);
}

/** Edges leaving `at` in a direction, with the node each leads to (a self-loop once for `any`). */
function adjacent(graph: RuntimeGraph, at: number, direction: 'forward' | 'backward' | 'any'): [number, number][] {
  const out: [number, number][] = [];
  if (direction !== 'backward') for (const e of graph.outEdges[at]!) out.push([e, graph.edgeTarget[e]!]);
  if (direction !== 'forward') {
    for (const e of graph.inEdges[at]!) if (direction === 'backward' || graph.edgeSource[e] !== at) out.push([e, graph.edgeSource[e]!]);
  }
  return out;
}

function nodeElementRow(graph: RuntimeGraph, n: number): Value[] {
  return [...graph.nodeProperties[n]!, graph.keys[n]!, graph.inEdges[n]!.length, graph.outEdges[n]!.length];
}

/** The match rows (without path aggregates) of a list of matches. */
function matchRows(node: GraphMatchNode, graph: RuntimeGraph, matches: Match[]): Value[][] {
  return matches.map((m) => {
    const row: Value[] = [];
    node.variables.forEach((v, i) => {
      if (v.kind === 'node') row.push(...nodeElementRow(graph, m.elements[i]!));
      else if (v.kind === 'edge') row.push(...graph.edgeProperties[m.elements[i]!]!);
    });
    return row;
  });
}

interface CompiledMatch {
  elements: CompiledExpr[];
  where?: CompiledExpr;
  project: CompiledExpr[];
}

async function compileMatch(node: GraphMatchNode, compile: Compile): Promise<CompiledMatch> {
  const elements: CompiledExpr[] = [];
  for (const a of node.pathAggregates) elements.push(await compile(a.element));
  const project: CompiledExpr[] = [];
  for (const p of node.project) project.push(await compile(p));
  return { elements, project, ...(node.where ? { where: await compile(node.where) } : {}) };
}

/** Path aggregate columns: each element expression evaluated once over all the elements of the batch's matches. */
function pathAggregateColumns(node: GraphMatchNode, graph: RuntimeGraph, matches: Match[], compiled: CompiledMatch): Value[][] {
  return node.pathAggregates.map((aggregate, a) => {
    const counts: number[] = [];
    const rows: Value[][] = [];
    for (const m of matches) {
      const path = m.paths[aggregate.variable]!;
      const items = aggregate.over === 'edges' ? path.edges.map((e) => graph.edgeProperties[e]!) : path.nodes.slice(1, -1).map((n) => nodeElementRow(graph, n));
      counts.push(items.length);
      rows.push(...items);
    }
    const width = rows[0]?.length ?? 0;
    const batch: Batch = { schema: [], columns: Array.from({ length: width }, (_, c) => rows.map((r) => r[c]!)), length: rows.length };
    const values = rows.length > 0 ? compiled.elements[a]!(batch) : [];
    let offset = 0;
    return counts.map((count): Value => {
      const own = values.slice(offset, (offset += count));
      if (aggregate.fn === 'all') return own.every((v) => v === true);
      if (aggregate.fn === 'any') return own.some((v) => v === true);
      return own.map((v) => toDynamic(v, aggregate.element.type)) as DynamicValue;
    });
  });
}

/** Match rows with their path aggregates, filtered by `where`: the rows kept and which matches they are. */
function filterMatches(node: GraphMatchNode, graph: RuntimeGraph, matches: Match[], compiled: CompiledMatch): { batch: Batch; kept: Match[] } {
  const rows = matchRows(node, graph, matches);
  const width = node.matchSchema.length - node.pathAggregates.length;
  const columns: Value[][] = Array.from({ length: width }, (_, c) => rows.map((r) => r[c]!));
  columns.push(...pathAggregateColumns(node, graph, matches, compiled));
  const batch: Batch = { schema: node.matchSchema, columns, length: matches.length };
  if (!compiled.where) return { batch, kept: matches };
  const verdicts = compiled.where(batch);
  const keep: number[] = [];
  verdicts.forEach((v, i) => v === true && keep.push(i));
  return { batch: { schema: node.matchSchema, columns: columns.map((col) => keep.map((i) => col[i]!)), length: keep.length }, kept: keep.map((i) => matches[i]!) };
}

/** The project columns; those the binder typed dynamic (computed from a variable-length edge) are converted. */
function project(node: GraphMatchNode, batch: Batch, compiled: CompiledMatch): Batch {
  const columns = compiled.project.map((p, i) => {
    const values = p(batch);
    const exprType = node.project[i]!.type;
    return node.schema[i]!.type === exprType ? values : values.map((v) => toDynamic(v, exprType));
  });
  return { schema: node.schema, columns, length: batch.length };
}

export async function* graphMatch(node: GraphMatchNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const graph = await buildGraph(node.input, run);
  const compiled = await compileMatch(node, compile);
  if (node.shortest) {
    yield* shortestPaths(node, graph, compiled, node.shortest.all);
    return;
  }
  let pending: Match[] = [];
  for (const match of enumerateMatches(node, graph)) {
    pending.push(match);
    if (pending.length < BATCH_SIZE) continue;
    const { batch } = filterMatches(node, graph, pending, compiled);
    pending = [];
    if (batch.length > 0) yield project(node, batch, compiled);
  }
  if (pending.length === 0) return;
  const { batch } = filterMatches(node, graph, pending, compiled);
  if (batch.length > 0) yield project(node, batch, compiled);
}

/**
 * graph-shortest-paths: among the matches that satisfy `where`, per combination of node variables
 * (the path's ends), the shortest — the first found (output=any) or every one of that length (output=all).
 */
async function* shortestPaths(node: GraphMatchNode, graph: RuntimeGraph, compiled: CompiledMatch, all: boolean): AsyncIterable<Batch> {
  const nodeVariables = node.variables.flatMap((v, i) => (v.kind === 'node' ? [i] : []));
  const best = new Map<string, { length: number; rows: Value[][] }>();
  const consider = (matches: Match[]) => {
    const { batch, kept } = filterMatches(node, graph, matches, compiled);
    kept.forEach((m, r) => {
      const key = nodeVariables.map((v) => m.elements[v]).join(',');
      const current = best.get(key);
      const row = batch.columns.map((c) => c[r]!);
      if (!current || m.length < current.length) best.set(key, { length: m.length, rows: [row] });
      else if (all && m.length === current.length) current.rows.push(row);
    });
  };
  let pending: Match[] = [];
  for (const match of enumerateMatches(node, graph)) {
    pending.push(match);
    if (pending.length === BATCH_SIZE) {
      consider(pending);
      pending = [];
    }
  }
  if (pending.length > 0) consider(pending);
  const rows = [...best.values()].flatMap((b) => b.rows);
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    const slice = rows.slice(start, start + BATCH_SIZE);
    const batch: Batch = { schema: node.matchSchema, columns: node.matchSchema.map((_, c) => slice.map((r) => r[c]!)), length: slice.length };
    yield project(node, batch, compiled);
  }
}
