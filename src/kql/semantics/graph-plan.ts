/**
 * Plan nodes of the graph operators. A graph is not a table: `MakeGraph` and `GraphMarkComponents`
 * produce a graph (their `schema` is empty), which only `GraphMatch` and `GraphToTable` turn back
 * into rows. The binder refuses a graph wherever a table is expected.
 */
import type { Schema, ScalarType } from '../values/types.js';
import type { BoundExpr, PlanNode } from './bound.js';

/** What a graph holds: the key type of its nodes and the properties of nodes and edges. */
export interface GraphShape {
  keyType: ScalarType;
  nodeSchema: Schema;
  edgeSchema: Schema;
}

/** A nodes table of `make-graph … with T on Key`: its key column and where each column goes among node properties. */
export interface GraphNodeTable {
  plan: PlanNode;
  keyColumn: number;
  /** For each column of the table, its index in `GraphShape.nodeSchema`. */
  propertyIndexes: number[];
}

export interface MakeGraphNode {
  kind: 'MakeGraph';
  schema: Schema;
  graph: GraphShape;
  edges: PlanNode;
  sourceColumn: number;
  targetColumn: number;
  nodeTables: GraphNodeTable[];
  /** The node property that holds the key of a node known only from the edges (with_node_id, or the first table's key); -1 if none. */
  keyProperty: number;
}

export interface GraphMarkComponentsNode {
  kind: 'GraphMarkComponents';
  schema: Schema;
  graph: GraphShape;
  input: GraphPlan;
  /** strong: strongly connected components (edge directions count); weak: connected ignoring directions. */
  strong: boolean;
}

/**
 * `make-graph … partitioned-by Col (sub-query)`: one graph per value of Col (edges and nodes with that
 * value), the sub-query run over each (through `placeholder`, which the executor points at each graph).
 */
export interface GraphPartitionNode {
  kind: 'GraphPartition';
  schema: Schema;
  graph: MakeGraphNode;
  /** Column of Col in the edges and in each nodes table. */
  edgePartitionColumn: number;
  nodePartitionColumns: number[];
  placeholder: GraphPlaceholderNode;
  subquery: PlanNode;
}

/** Stands for "the current partition's graph" inside a GraphPartition sub-query. */
export interface GraphPlaceholderNode {
  kind: 'GraphPlaceholder';
  schema: Schema;
  graph: GraphShape;
}

export type GraphPlan = MakeGraphNode | GraphMarkComponentsNode | GraphPlaceholderNode;

/** One variable of a pattern, in the order their columns appear in the match row. */
export type MatchVariable =
  | { kind: 'node'; name: string; firstColumn: number }
  | { kind: 'edge'; name: string; firstColumn: number }
  | { kind: 'path'; name: string };

export interface BoundPatternEdge {
  direction: 'forward' | 'backward' | 'any';
  minHops: number;
  maxHops: number;
  /** Index in `variables`; anonymous edges have one too (never projected). */
  variable: number;
}

/** A chain `(n0)-[e0]-(n1)-…`: node and edge entries are indexes into `variables`. */
export interface BoundPatternChain {
  nodes: number[];
  edges: BoundPatternEdge[];
}

/**
 * A value computed from a variable-length edge's elements: `map(e, expr)`, `all(e, pred)`,
 * `any(e, pred)` over the edges or `inner_nodes(e)`. `element` is bound over the edge properties, or
 * over the node properties followed by the hidden node columns (see NODE_HIDDEN_COLUMNS).
 */
export interface PathAggregate {
  fn: 'map' | 'all' | 'any';
  variable: number;
  over: 'edges' | 'inner_nodes';
  element: BoundExpr;
  type: ScalarType;
}

/** Hidden columns after a node's properties, in this order: node_id(), node_degree_in(), node_degree_out(). */
export const NODE_HIDDEN_COLUMNS = ['$id', '$degree_in', '$degree_out'] as const;

/**
 * `graph-match` / `graph-shortest-paths`: every match of the patterns becomes one row of `matchSchema`
 * (node variables: properties + hidden columns; edge variables: properties; then the path aggregates),
 * filtered by `where` and projected by `project`.
 */
export interface GraphMatchNode {
  kind: 'GraphMatch';
  schema: Schema;
  input: GraphPlan;
  variables: MatchVariable[];
  patterns: BoundPatternChain[];
  matchSchema: Schema;
  pathAggregates: PathAggregate[];
  where?: BoundExpr;
  project: BoundExpr[];
  cycles: 'all' | 'none' | 'unique_edges';
  /** graph-shortest-paths: keep the shortest matches per pair of end nodes (one, or all of that length). */
  shortest?: { all: boolean };
}

/** `graph-to-table nodes|edges`: the node (or edge) properties, after an optional id column (Kusto's hash of the key). */
export interface GraphToTableNode {
  kind: 'GraphToTable';
  schema: Schema;
  input: GraphPlan;
  entity: 'nodes' | 'edges';
  /** hash(key) over a one-column batch of keys (used for the id columns). */
  idExpr: BoundExpr;
  /** Output columns before the properties: node id, or source id / target id. */
  idColumns: ('node' | 'source' | 'target')[];
}

export type GraphPlanNode = GraphPlan | GraphPartitionNode | GraphMatchNode | GraphToTableNode;

export function isGraphPlan(plan: PlanNode): plan is GraphPlan {
  return plan.kind === 'MakeGraph' || plan.kind === 'GraphMarkComponents' || plan.kind === 'GraphPlaceholder';
}

/** The tabular inputs under a graph plan node (for projection pushdown: graphs read every column). */
export function graphPlanInputs(node: GraphPlanNode): PlanNode[] {
  switch (node.kind) {
    case 'MakeGraph':
      return [node.edges, ...node.nodeTables.map((t) => t.plan)];
    case 'GraphMarkComponents':
    case 'GraphMatch':
    case 'GraphToTable':
      return [node.input];
    case 'GraphPartition':
      return [node.graph, node.subquery];
    case 'GraphPlaceholder':
      return [];
  }
}

