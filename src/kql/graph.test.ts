/**
 * The graph operators end to end: make-graph, graph-match, graph-shortest-paths, graph-to-table,
 * graph-mark-components. Expected values are the outputs printed in the Kusto documentation
 * (make-graph-operator.md, graph-match-operator.md, graph-shortest-paths-operator.md,
 * graph-to-table-operator.md, graph-mark-components-operator.md, the graph function pages) or follow
 * from the definitions there. Kusto does not fix the order of graph-match rows, so those are compared sorted.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type TableSource, KqlError, compileQuery, executeQuery } from './index.js';
import { parseDatetime } from './values/datetime.js';
import type { Value } from './values/types.js';

const NOW = parseDatetime('2026-01-01T00:00:00Z')!;
const NO_TABLES: TableSource = {
  tableSchema: () => undefined,
  tableNames: () => [],
  // eslint-disable-next-line require-yield
  async *scan() {
    throw new Error('no tables in these tests');
  },
};

async function run(kql: string) {
  const result = await executeQuery(kql, { tables: NO_TABLES, now: NOW });
  return { columns: result.schema.map((c) => `${c.name}:${c.type}`), rows: result.rows };
}

function sorted(rows: Value[][]): Value[][] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

function diagnosticsOf(kql: string) {
  try {
    compileQuery(kql, { tables: NO_TABLES, now: NOW });
  } catch (e) {
    if (e instanceof KqlError) return e.diagnostics;
    throw e;
  }
  assert.fail(`expected diagnostics for: ${kql}`);
}

const PEOPLE = `
let nodes = datatable(name:string, type:string, age:long)
[ "Alice", "Person", 23, "Bob", "Person", 31, "Eve", "Person", 17, "Trent", "System", 99 ];
let edges = datatable(source:string, destination:string, edge_type:string)
[ "Alice", "Bob", "communicatesWith", "Alice", "Trent", "trusts", "Bob", "Trent", "hasPermission",
  "Eve", "Alice", "attacks", "Mallory", "Alice", "attacks", "Mallory", "Bob", "attacks" ];
`;

const ORG = `
let employees = datatable(name:string, age:long)
[ "Alice", 32, "Bob", 31, "Eve", 27, "Joe", 29, "Chris", 45, "Alex", 35, "Ben", 23, "Richard", 39 ];
let reports = datatable(employee:string, manager:string)
[ "Bob", "Alice", "Chris", "Alice", "Eve", "Bob", "Ben", "Chris", "Joe", "Alice", "Richard", "Bob" ];
`;

const STATIONS = `
let connections = datatable(from_station:string, to_station:string, line:string)
[ "Central", "North", "red", "North", "Central", "red", "Central", "South", "red", "South", "Central", "red",
  "South", "South-West", "red", "South-West", "South", "red", "South-West", "West", "red", "West", "South-West", "red",
  "Central", "East", "blue", "East", "Central", "blue", "Central", "West", "blue", "West", "Central", "blue" ];
let stations = datatable(station:string, wifi:bool)
[ "Central", true, "North", false, "South", false, "South-West", true, "West", true, "East", false ];
`;

describe('make-graph and graph-match', () => {
  test('a two-hop attack path (make-graph-operator.md)', async () => {
    const r = await run(`${PEOPLE} edges | make-graph source --> destination with nodes on name
      | graph-match (mallory)-[attacks]->(compromised)-[hasPermission]->(trent)
        where mallory.name == "Mallory" and trent.name == "Trent" and attacks.edge_type == "attacks" and hasPermission.edge_type == "hasPermission"
        project Attacker = mallory.name, Compromised = compromised.name, System = trent.name`);
    assert.deepEqual(r.columns, ['Attacker:string', 'Compromised:string', 'System:string']);
    assert.deepEqual(r.rows, [['Mallory', 'Bob', 'Trent']]);
  });

  test('with_node_id names the node property that holds the id (no nodes table)', async () => {
    const r = await run(`${PEOPLE} edges | make-graph source --> destination with_node_id=name
      | graph-match (mallory)-[attacks]->(compromised)-[hasPermission]->(trent)
        where mallory.name == "Mallory" and trent.name == "Trent" and attacks.edge_type == "attacks" and hasPermission.edge_type == "hasPermission"
        project Attacker = mallory.name, Compromised = compromised.name, System = trent.name`);
    assert.deepEqual(r.rows, [['Mallory', 'Bob', 'Trent']]);
  });

  test('comma-separated patterns share variables; -[e]- matches either direction (graph-match-operator.md)', async () => {
    const r = await run(`${PEOPLE} edges | make-graph source --> destination with nodes on name
      | graph-match (mallory)-[attacks]->(compromised)-[hasPermission]->(trent), (compromised)-[communicates]-(alice)
        where mallory.name == "Mallory" and trent.name == "Trent" and attacks.edge_type == "attacks"
          and hasPermission.edge_type == "hasPermission" and alice.name == "Alice"
        project Attacker = mallory.name, Compromised = compromised.name, System = trent.name`);
    assert.deepEqual(r.rows, [['Mallory', 'Bob', 'Trent']]);
  });

  test('variable-length edges against their direction; map() lists the edges in pattern order', async () => {
    const r = await run(`${ORG} reports | make-graph employee --> manager with employees on name
      | graph-match (alice)<-[reports*1..5]-(employee)
        where alice.name == "Alice" and employee.age < 30
        project employee = employee.name, age = employee.age, reportingPath = map(reports, manager)`);
    assert.deepEqual(r.columns, ['employee:string', 'age:long', 'reportingPath:dynamic']);
    assert.deepEqual(sorted(r.rows), sorted([['Joe', 29, ['Alice']], ['Eve', 27, ['Alice', 'Bob']], ['Ben', 23, ['Alice', 'Chris']]]));
  });

  test('all() and map() over inner_nodes() (inner-nodes-graph-function.md)', async () => {
    const r = await run(`${ORG} reports | make-graph employee --> manager with employees on name
      | graph-match (manager)<-[reports*1..5]-(employee)
        where manager.name == "Alice" and all(inner_nodes(reports), age < 40)
        project employee = employee.name, manager = manager.name, reportingPath = map(inner_nodes(reports), name)`);
    assert.deepEqual(sorted(r.rows), sorted([
      ['Bob', 'Alice', []], ['Chris', 'Alice', []], ['Joe', 'Alice', []], ['Eve', 'Alice', ['Bob']], ['Richard', 'Alice', ['Bob']],
    ]));
  });

  test('node_degree_in / node_degree_out of variables (node-degree-out.md)', async () => {
    const r = await run(`${ORG.replace('"Richard", 39', '"Richard", 39, "Jim", 42').replace('"Richard", "Bob"', '"Richard", "Bob", "Alice", "Jim"')}
      reports | make-graph employee --> manager with employees on name
      | graph-match (manager)<-[reports]-(employee)
        where node_degree_out(manager) == 0
        project manager.name, employee.name, di_m = node_degree_in(manager), do_m = node_degree_out(manager),
                di_e = node_degree_in(employee), do_e = node_degree_out(employee)`);
    assert.deepEqual(r.columns, ['manager_name:string', 'employee_name:string', 'di_m:long', 'do_m:long', 'di_e:long', 'do_e:long']);
    assert.deepEqual(r.rows, [['Jim', 'Alice', 1, 0, 3, 1]]);
  });

  test('node_id() of a variable and, without argument, of each inner node (node-id.md)', async () => {
    const r = await run(`let employees = datatable(name:string, age:long) [ "Alice", 32, "Bob", 31, "Eve", 27 ];
      let reports = datatable(employee:string, manager:string) [ "Bob", "Alice", "Chris", "Alice", "Eve", "Bob" ];
      reports | make-graph employee --> manager with employees on name
      | graph-match (employee)-[reports*1..3]->(manager)
        where node_id(employee) startswith "E"
        project manager1 = node_id(manager), manager2 = map(inner_nodes(reports), node_id())`);
    assert.deepEqual(r.columns, ['manager1:string', 'manager2:dynamic']);
    assert.deepEqual(sorted(r.rows), sorted([['Bob', []], ['Alice', ['Bob']]]));
  });

  test('a projected call without a natural name is ColumnN; inner node degrees inside map()', async () => {
    const r = await run(`let Routes = datatable(o:string, d:string) [ "NY", "SF", "NY", "CHI", "SF", "LA" ];
      Routes | make-graph o --> d with_node_id=city
      | graph-match (src)-[route*2..2]->(dest)
        project src.city, dest.city, node_degree_out(src), inner = map(inner_nodes(route), node_degree_out())`);
    assert.deepEqual(r.columns, ['src_city:string', 'dest_city:string', 'Column1:long', 'inner:dynamic']);
    assert.deepEqual(r.rows, [['NY', 'LA', 2, [1]]]);
  });

  test('cycles=none never revisits a node (map-graph-function.md)', async () => {
    const r = await run(`${STATIONS} connections | make-graph from_station --> to_station with stations on station
      | graph-match cycles=none (start)-[connections*1..5]->(destination)
        where start.station == "South-West" and destination.station == "East"
        project stopovers = strcat_array(map(inner_nodes(connections), station), "->")`);
    assert.deepEqual(sorted(r.rows), [['South->Central'], ['West->Central']]);
  });

  test('a variable-length edge\'s property is the array of it over the edges (graph-match-operator.md)', async () => {
    const r = await run('datatable(s:string, t:string) [ "a", "b", "b", "c" ] | make-graph s --> t with_node_id=id | graph-match (x)-[e*2..2]->(y) project hops = e.s');
    assert.deepEqual(r.columns, ['hops:dynamic']);
    assert.deepEqual(r.rows, [[['a', 'b']]]);
  });

  test('what is computed from a variable-length edge is dynamic, as Kusto types it (all-graph-function.md)', async () => {
    const r = await run(`${STATIONS} connections | make-graph from_station --> to_station with stations on station
      | graph-match cycles=none (start)-[connections*1..5]->(destination)
        where start.station == "South-West" and destination.station == "East" and all(inner_nodes(connections), wifi)
        project stopovers = strcat_array(map(inner_nodes(connections), station), "->"), hops = array_length(map(connections, line)),
                all_wifi = all(inner_nodes(connections), wifi), from = start.station`);
    assert.deepEqual(r.columns, ['stopovers:dynamic', 'hops:dynamic', 'all_wifi:dynamic', 'from:string']);
    assert.deepEqual(r.rows, [['West->Central', 3, true, 'South-West']]);
  });

  test('cycles: unique_edges (default) may revisit nodes but not edges; all may reuse edges', async () => {
    const base = 'datatable(s:string, t:string) [ "a", "b", "b", "a" ] | make-graph s --> t with_node_id=id';
    const hops = (cycles: string) => run(`${base} | graph-match ${cycles} (x)-[e*1..3]->(y) where x.id == "a" project n = array_length(map(e, s))`);
    assert.deepEqual(sorted((await hops('')).rows), [[1], [2]]);
    assert.deepEqual(sorted((await hops('cycles=all')).rows), [[1], [2], [3]]);
    assert.deepEqual((await hops('cycles=none')).rows, [[1]]);
  });

  test('anonymous nodes and edges: () and -->', async () => {
    const r = await run(`${PEOPLE} edges | make-graph source --> destination with nodes on name
      | graph-match (a)-->()-->(c) where a.name == "Eve" project c.name`);
    assert.deepEqual(sorted(r.rows), [['Bob'], ['Trent']]);
  });

  test('make-graph partitioned-by runs the graph operator over each partition', async () => {
    const r = await run(`let nodes = datatable(id:string, tenant:string, name:string) [ "u1", "A", "Ann", "u2", "A", "Abe", "u3", "B", "Bea", "u4", "B", "Ben" ];
      let edges = datatable(s:string, t:string, tenant:string) [ "u1", "u2", "A", "u3", "u4", "B", "u1", "u3", "B" ];
      edges | make-graph s --> t with nodes on id partitioned-by tenant (
        graph-match (a)-->(b) project pair = strcat(a.name, "->", b.name), tenant = b.tenant )`);
    // the u1 -> u3 edge belongs to B, where u1 is not a node of B's nodes table: it exists with its id only
    assert.deepEqual(sorted(r.rows), sorted([['Ann->Abe', 'A'], ['Bea->Ben', 'B'], ['->Bea', 'B']]));
  });
});

describe('graph-shortest-paths', () => {
  const query = (output: string) => `${STATIONS} connections | make-graph from_station --> to_station with_node_id=station
    | graph-shortest-paths ${output} (start)-[connections*1..5]->(destination)
      where start.station == "South-West" and destination.station == "North"
      project from = start.station, path = map(connections, to_station), line = map(connections, line), to = destination.station`;

  test('output=any (default): one shortest path per pair (graph-shortest-paths-operator.md)', async () => {
    const r = await run(query(''));
    assert.equal(r.rows.length, 1);
    const [row] = r.rows;
    assert.equal(row![0], 'South-West');
    assert.equal((row![1] as string[]).length, 3);
    assert.deepEqual(row![3], 'North');
  });

  test('output=all: every shortest path (graph-shortest-paths-operator.md)', async () => {
    const r = await run(query('output=all'));
    assert.deepEqual(sorted(r.rows), sorted([
      ['South-West', ['South', 'Central', 'North'], ['red', 'red', 'red'], 'North'],
      ['South-West', ['West', 'Central', 'North'], ['red', 'blue', 'red'], 'North'],
    ]));
  });

  test('constraints on the path choose among paths (all-graph-function.md)', async () => {
    const r = await run(`${STATIONS} connections | make-graph from_station --> to_station with stations on station
      | graph-shortest-paths (start)-[connections*2..5]->(destination)
        where start.station == "South-West" and destination.station == "North" and all(inner_nodes(connections), wifi)
        project from = start.station, stations = strcat_array(map(inner_nodes(connections), station), "->"), to = destination.station`);
    assert.deepEqual(r.rows, [['South-West', 'West->Central', 'North']]);
  });
});

describe('graph-to-table and graph-mark-components', () => {
  test('nodes: nodes-table rows first, then nodes known only from edges; ids are hash(key) (graph-to-table-operator.md)', async () => {
    const r = await run(`${PEOPLE} edges | make-graph source --> destination with nodes on name | graph-to-table nodes with_node_id=NodeId`);
    assert.deepEqual(r.columns, ['NodeId:long', 'name:string', 'type:string', 'age:long']);
    assert.deepEqual(r.rows, [
      [Number('-3122868243544336885'), 'Alice', 'Person', 23],
      [Number('-7133945255344544237'), 'Bob', 'Person', 31],
      [Number('4363395278938690453'), 'Eve', 'Person', 17],
      [Number('2533909231875758225'), 'Trent', 'System', 99],
      [Number('3855580634910899594'), 'Mallory', '', null],
    ]);
  });

  test('edges with source and target ids (graph-to-table-operator.md)', async () => {
    const r = await run(`${PEOPLE} edges | make-graph source --> destination with nodes on name
      | graph-to-table edges with_source_id=SourceId with_target_id=TargetId | take 2`);
    assert.deepEqual(r.columns, ['SourceId:long', 'TargetId:long', 'source:string', 'destination:string', 'edge_type:string']);
    assert.deepEqual(r.rows, [
      [Number('-3122868243544336885'), Number('-7133945255344544237'), 'Alice', 'Bob', 'communicatesWith'],
      [Number('-3122868243544336885'), Number('2533909231875758225'), 'Alice', 'Trent', 'trusts'],
    ]);
  });

  test('nodes as N, edges as E binds both tables', async () => {
    const r = await run(`${PEOPLE} edges | make-graph source --> destination with nodes on name
      | graph-to-table nodes as N with_node_id=NodeId, edges as E with_source_id=SourceId; E | count`);
    assert.deepEqual(r.rows, [[6]]);
  });

  test('weak components numbered in node order (graph-mark-components-operator.md)', async () => {
    const r = await run(`datatable(child:string, parent:string) [ "Alice", "Bob", "Carol", "Alice", "Carol", "Dave", "Greg", "Alice",
        "Greg", "Dave", "Howard", "Alice", "Howard", "Dave", "Eve", "Frank", "Frank", "Mallory", "Eve", "Kirk" ]
      | make-graph child --> parent with_node_id=name | graph-mark-components with_component_id = family | graph-to-table nodes`);
    assert.deepEqual(r.columns, ['name:string', 'family:long']);
    assert.deepEqual(r.rows, [
      ['Alice', 0], ['Bob', 0], ['Carol', 0], ['Dave', 0], ['Greg', 0], ['Howard', 0], ['Eve', 1], ['Frank', 1], ['Mallory', 1], ['Kirk', 1],
    ]);
  });

  test('kind=strong follows edge directions; the default column is ComponentId', async () => {
    const r = await run(`datatable(s:string, t:string) [ "a", "b", "b", "a", "b", "c" ]
      | make-graph s --> t with_node_id=n | graph-mark-components kind=strong | graph-to-table nodes`);
    assert.deepEqual(r.columns, ['n:string', 'ComponentId:long']);
    assert.deepEqual(r.rows, [['a', 0], ['b', 0], ['c', 1]]);
  });

  test('components can be read in graph-match (graph-mark-components-operator.md)', async () => {
    const r = await run(`datatable(child:string, parent:string) [ "Alice", "Bob", "Carol", "Alice", "Eve", "Frank", "Frank", "Mallory" ]
      | make-graph child --> parent with_node_id=name | graph-mark-components with_component_id = family
      | graph-match (descendant)-[childOf*1..5]->(ancestor)
        project name = ancestor.name, lineage = map(childOf, child), family = ancestor.family
      | summarize (generations, name) = arg_max(array_length(lineage), name) by family`);
    assert.deepEqual(sorted(r.rows), [[0, 2, 'Bob'], [1, 2, 'Mallory']]);
  });
});

describe('graph errors', () => {
  const graph = 'datatable(s:string, t:string) [ "a", "b" ] | make-graph s --> t with_node_id=id';

  test('a graph where a table is expected', () => {
    assert.equal(diagnosticsOf(`${graph} | where id == "a"`)[0]!.code, 'KB008');
    assert.equal(diagnosticsOf(graph)[0]!.code, 'KB008');
  });

  test('a table where a graph is expected', () => {
    assert.equal(diagnosticsOf('datatable(s:string) ["a"] | graph-to-table nodes')[0]!.code, 'KB008');
  });

  test('unknown columns and properties', () => {
    assert.equal(diagnosticsOf('datatable(s:string, t:string) [] | make-graph s --> nope')[0]!.code, 'KB001');
    const [d] = diagnosticsOf(`${graph} | graph-match (x)-->(y) project x.nope`);
    assert.equal(d!.code, 'KB001');
    assert.match(d!.message, /no property 'nope'/);
  });

  test('a variable-length edge has only its edges\' properties; map() needs a variable-length edge', () => {
    const [d] = diagnosticsOf(`${graph}\n| graph-match (x)-[e*1..2]->(y) project e.nope`);
    assert.equal(d!.code, 'KB001');
    assert.equal(d!.line, 2);
    assert.equal(diagnosticsOf(`${graph} | graph-match (x)-[e]->(y) project map(e, s)`)[0]!.code, 'KB004');
  });

  test('bad parameters and pattern syntax', () => {
    assert.equal(diagnosticsOf(`${graph} | graph-match cycles=some (x)-->(y) project x.id`)[0]!.code, 'KB004');
    assert.equal(diagnosticsOf(`${graph} | graph-match (x)<-[e]->(y) project x.id`)[0]!.code, 'KS014');
    assert.equal(diagnosticsOf(`${graph} | graph-match (x)-[e*1..]->(y) project x.id`)[0]!.code, 'KS010');
    assert.equal(diagnosticsOf(`${graph} | graph-match (x)-->(y) where x.id == "a"`)[0]!.code, 'KS010');
  });
});
