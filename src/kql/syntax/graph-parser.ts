/**
 * Parsing of the graph operators (make-graph, graph-match, graph-shortest-paths, graph-to-table,
 * graph-mark-components). The Parser class hands these functions its token API (`GraphParserHost`),
 * so the graph grammar lives here and parser.ts only dispatches to it.
 *
 * Graph pattern notation (Kusto's): nodes `(n)` / `()`; edges `-[e]->`, `<-[e]-`, `-[e]-` and the
 * anonymous `-->`, `<--`, `--`; a variable-length edge `-[e*1..3]->` (`*3` = exactly 3 hops).
 * The lexer splits `-->` into `-` `-` `>` and `<-` into `<` `-`, which is what we read here.
 */
import type * as A from './ast.js';
import { KS } from './codes.js';
import type { Token } from './lexer.js';

/** The parts of the Parser these functions use (bound to one Parser instance). */
export interface GraphParserHost {
  tok(): Token;
  next(): Token;
  prevEnd(): number;
  atPunct(p: string): boolean;
  eatPunct(p: string): Token | undefined;
  expectPunct(p: string): Token | undefined;
  atWord(w?: string): boolean;
  expectWord(w: string): Token | undefined;
  errorAt(t: Token, code: string, message: string): void;
  parseName(): A.Identifier;
  parseExpr(): A.Expression;
  parsePostfix(): A.Expression;
  parseNamedList(required: boolean): A.NamedExpression[];
  parseOperatorParameters(accept: (name: string) => boolean): A.OperatorParameter[];
  /** Query operators up to the closing `)` of a sub-query (`op | op | …`), the `)` not consumed. */
  parseSubqueryOperators(): A.QueryOperator[];
}

type SpanFn = () => A.Span;

const MAKE_GRAPH_PARAMETERS = new Set(['with_node_id']);
const GRAPH_TO_TABLE_PARAMETERS = new Set(['with_node_id', 'with_source_id', 'with_target_id']);

export function parseMakeGraph(p: GraphParserHost, span: SpanFn): A.MakeGraphOperator {
  const parameters = p.parseOperatorParameters((n) => MAKE_GRAPH_PARAMETERS.has(n));
  const source = p.parseName();
  if (p.expectPunct('-') && p.expectPunct('-')) p.expectPunct('>');
  const target = p.parseName();
  parameters.push(...p.parseOperatorParameters((n) => MAKE_GRAPH_PARAMETERS.has(n)));
  const nodeTables: A.MakeGraphOperator['nodeTables'] = [];
  if (p.atWord('with')) {
    p.next();
    do {
      const table = p.parsePostfix();
      p.expectWord('on');
      nodeTables.push({ table, key: p.parseName() });
    } while (p.eatPunct(','));
  }
  const node: A.MakeGraphOperator = { kind: 'MakeGraphOperator', parameters, source, target, nodeTables, ...span() };
  const t = p.tok();
  if (t.kind === 'Keyword' && t.text === 'partitioned-by') {
    p.next();
    const column = p.parseName();
    let subquery: A.QueryOperator[] = [];
    if (p.expectPunct('(')) {
      subquery = p.parseSubqueryOperators();
      p.expectPunct(')');
    }
    node.partitionedBy = { column, subquery };
    Object.assign(node, span());
  }
  return node;
}

/** graph-match and graph-shortest-paths share their grammar: parameters, pattern, where, project. */
export function parseGraphMatch(p: GraphParserHost, span: SpanFn, shortestPaths: boolean): A.GraphMatchOperator {
  const accepted = shortestPaths ? 'output' : 'cycles';
  const parameters = p.parseOperatorParameters((n) => n === accepted || n.startsWith('hint.'));
  const patterns: A.GraphPatternChain[] = [parseChain(p)];
  while (p.atPunct(',')) {
    p.next();
    patterns.push(parseChain(p));
  }
  let where: A.Expression | undefined;
  if (p.atWord('where')) {
    p.next();
    where = p.parseExpr();
  }
  let project: A.NamedExpression[] = [];
  if (p.expectWord('project')) project = p.parseNamedList(true);
  return { kind: 'GraphMatchOperator', shortestPaths, parameters, patterns, ...(where ? { where } : {}), project, ...span() };
}

function parseChain(p: GraphParserHost): A.GraphPatternChain {
  const first = parsePatternNode(p);
  const chain: A.GraphPatternChain = { nodes: [first], edges: [], start: first.start, end: first.end };
  while (p.atPunct('-') || p.atPunct('<')) {
    chain.edges.push(parsePatternEdge(p));
    chain.nodes.push(parsePatternNode(p));
  }
  chain.end = p.prevEnd();
  return chain;
}

function parsePatternNode(p: GraphParserHost): A.GraphPatternNode {
  const start = p.tok().start;
  const node: A.GraphPatternNode = { kind: 'GraphPatternNode', start, end: start };
  if (p.expectPunct('(')) {
    if (!p.atPunct(')')) node.name = p.parseName();
    p.expectPunct(')');
  }
  node.end = p.prevEnd();
  return node;
}

function parsePatternEdge(p: GraphParserHost): A.GraphPatternEdge {
  const start = p.tok().start;
  const backward = p.eatPunct('<') !== undefined;
  const edge: A.GraphPatternEdge = { kind: 'GraphPatternEdge', direction: 'any', start, end: start };
  p.expectPunct('-');
  if (p.eatPunct('[')) {
    if (p.atWord()) edge.name = p.parseName();
    if (p.eatPunct('*')) edge.length = parseHopRange(p);
    p.expectPunct(']');
  }
  p.expectPunct('-');
  const forward = p.eatPunct('>') !== undefined;
  if (backward && forward) p.errorAt(p.tok(), KS.UnexpectedToken, 'A graph edge has one direction: use <-[…]- or -[…]->, not both');
  edge.direction = forward ? 'forward' : backward ? 'backward' : 'any';
  edge.end = p.prevEnd();
  return edge;
}

/** `min..max` or `n` after `*`. */
function parseHopRange(p: GraphParserHost): { min: number; max: number } {
  const min = parseHopCount(p);
  if (!p.eatPunct('..')) return { min, max: min };
  return { min, max: parseHopCount(p) };
}

function parseHopCount(p: GraphParserHost): number {
  const t = p.tok();
  if (t.kind === 'Long' && typeof t.value === 'number') {
    p.next();
    return t.value;
  }
  p.errorAt(t, KS.ExpectedToken, 'Expected a number of hops');
  return 0;
}

export function parseGraphToTable(p: GraphParserHost, span: SpanFn): A.GraphToTableOperator {
  const outputs: A.GraphToTableOperator['outputs'] = [];
  do {
    const t = p.tok();
    let entity: 'nodes' | 'edges' = 'nodes';
    if (t.kind === 'Identifier' && (t.text === 'nodes' || t.text === 'edges')) {
      entity = t.text;
      p.next();
    } else {
      p.errorAt(t, KS.ExpectedToken, `Expected 'nodes' or 'edges'`);
    }
    const parameters = p.parseOperatorParameters((n) => GRAPH_TO_TABLE_PARAMETERS.has(n));
    let asName: A.Identifier | undefined;
    if (p.atWord('as')) {
      p.next();
      asName = p.parseName();
    }
    parameters.push(...p.parseOperatorParameters((n) => GRAPH_TO_TABLE_PARAMETERS.has(n)));
    outputs.push({ entity, entitySpan: { start: t.start, end: t.end }, ...(asName ? { asName } : {}), parameters });
  } while (p.eatPunct(','));
  return { kind: 'GraphToTableOperator', outputs, ...span() };
}

export function parseGraphMarkComponents(p: GraphParserHost, span: SpanFn): A.GraphMarkComponentsOperator {
  const parameters = p.parseOperatorParameters((n) => n === 'kind' || n === 'with_component_id');
  return { kind: 'GraphMarkComponentsOperator', parameters, ...span() };
}
