/**
 * The engine end to end (parse → bind → plan → execute) over small in-memory tables: one test per
 * tabular operator and per binder rule, with expected results worked out from the Kusto docs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type TableSource, executeQuery, compileQuery, KqlError } from './index.js';
import { batchFromRows } from './values/batch.js';
import { parseDatetime } from './values/datetime.js';
import type { Schema, Value } from './values/types.js';

const NOW = parseDatetime('2026-11-28T00:00:00Z')!;
const dt = (s: string) => parseDatetime(s)!;

const T_SCHEMA: Schema = [
  { name: 'ts', type: 'datetime' },
  { name: 'name', type: 'string' },
  { name: 'n', type: 'long' },
  { name: 'd', type: 'dynamic' },
];
const T_ROWS: Value[][] = [
  [dt('2026-11-27T10:00:00Z'), 'alpha', 3, { a: 1, list: ['x', 'y'] }],
  [dt('2026-11-27T11:00:00Z'), 'beta', null, { a: 2 }],
  [dt('2026-11-27T12:00:00Z'), 'alpha', 5, null],
  [null, '', 1, ['p', 'q']],
];
const U_SCHEMA: Schema = [
  { name: 'name', type: 'string' },
  { name: 'n', type: 'real' },
  { name: 'extra', type: 'bool' },
];
const U_ROWS: Value[][] = [['gamma', 1.5, true]];

function tables(extra: Record<string, { schema: Schema; rows: Value[][] }> = {}): TableSource {
  const all: Record<string, { schema: Schema; rows: Value[][] }> = { T: { schema: T_SCHEMA, rows: T_ROWS }, U: { schema: U_SCHEMA, rows: U_ROWS }, ...extra };
  return {
    tableSchema: (name) => all[name]?.schema,
    tableNames: () => Object.keys(all),
    async *scan(name) {
      const t = all[name]!;
      yield batchFromRows(t.schema, t.rows);
    },
  };
}

async function run(kql: string) {
  const result = await executeQuery(kql, { tables: tables(), now: NOW });
  return { columns: result.schema.map((c) => `${c.name}:${c.type}`), rows: result.rows };
}

function diagnosticsOf(kql: string) {
  try {
    compileQuery(kql, { tables: tables(), now: NOW });
  } catch (e) {
    if (e instanceof KqlError) return e.diagnostics;
    throw e;
  }
  assert.fail(`expected diagnostics for: ${kql}`);
}

describe('where', () => {
  test('keeps rows whose predicate is true; null comparisons are not true', async () => {
    const r = await run('T | where n > 2 | project name, n');
    assert.deepEqual(r.rows, [['alpha', 3], ['alpha', 5]]);
  });
  test('filter is a synonym; and/or combine', async () => {
    const r = await run('T | filter n == 1 or name == "beta" | project name');
    assert.deepEqual(r.rows, [['beta'], ['']]);
  });
  test('a non-bool predicate is an error at its position', () => {
    const [d] = diagnosticsOf('T | where name');
    assert.equal(d!.code, 'KB005');
    assert.equal(d!.column, 11);
  });
});

describe('extend and project', () => {
  test('extend appends new columns and can use earlier ones of the same extend', async () => {
    const r = await run('T | take 1 | extend m = n * 2, k = m + 1 | project m, k');
    assert.deepEqual(r.columns, ['m:long', 'k:long']);
    assert.deepEqual(r.rows, [[6, 7]]);
  });
  test('extend of an existing name replaces the column in place (Kusto.Language)', async () => {
    const r = await run('T | take 1 | extend n = "three"');
    assert.deepEqual(r.columns, ['ts:datetime', 'name:string', 'n:string', 'd:dynamic']);
    assert.equal(r.rows[0]![2], 'three');
  });
  test('unnamed expressions get Kusto names: Column1, d_a, strlen_name, bin keeps its column', async () => {
    const r = await run('T | take 1 | project tolower(name), d.a, strlen(name), bin(ts, 1d), d["list"][0]');
    assert.deepEqual(r.columns, ['Column1:string', 'd_a:dynamic', 'strlen_name:long', 'ts:datetime', 'd_list_0:dynamic']);
    assert.deepEqual(r.rows, [['alpha', 1, 5, dt('2026-11-27T00:00:00Z'), 'x']]);
  });
  test('functions Kusto spreads over several columns: automatic names, tuple names, types', async () => {
    const stats = await run('print d = dynamic([1, 5, 3]) | extend series_stats(d) | project-away d');
    assert.deepEqual(stats.columns.slice(0, 3), ['series_stats_d_min:real', 'series_stats_d_min_idx:long', 'series_stats_d_max:real']);
    assert.deepEqual(stats.rows[0]!.slice(0, 5), [1, 0, 5, 1, 3]);
    const tuple = await run('print d = dynamic([1, 5, 3]) | project (lo, at) = series_stats(d)');
    assert.deepEqual(tuple.columns.slice(0, 3), ['lo:real', 'at:long', 'series_stats_d_max:real']);
    const sorted = await run('print a = dynamic([3, 1, 2]), b = dynamic(["c", "a", "b"]) | project array_sort_asc(a, b)');
    assert.deepEqual(sorted.columns, ['a_sorted:dynamic', 'b_sorted:dynamic']);
    assert.deepEqual(sorted.rows, [[[1, 2, 3], ['a', 'b', 'c']]]);
  });
  test('a spreading call over constants (folded when binding) still gives one column per output', async () => {
    const lets = await run('let a = dynamic([3, 1, 2]); let b = dynamic(["c", "a", "b"]); print array_sort_asc(a, b)');
    assert.deepEqual(lets.columns, ['a_sorted:dynamic', 'b_sorted:dynamic']);
    assert.deepEqual(lets.rows, [[[1, 2, 3], ['a', 'b', 'c']]]);
    const literal = await run('print series_stats(dynamic([1, 2, 3]))');
    assert.deepEqual(literal.columns.slice(0, 2), ['series_stats__min:real', 'series_stats__min_idx:long']);
  });
  test('project declaring a name twice is an error', () => {
    const [d] = diagnosticsOf('T | project name, name');
    assert.equal(d!.code, 'KB006');
  });
  test('an unknown column is reported with its line and column', () => {
    const [d] = diagnosticsOf('T\n| project nme');
    assert.equal(d!.code, 'KB001');
    assert.equal(d!.line, 2);
    assert.equal(d!.column, 11);
    assert.match(d!.message, /'nme'/);
  });
});

describe('project-away, -keep, -rename, -reorder', () => {
  test('project-away removes columns, wildcards allowed', async () => {
    assert.deepEqual((await run('T | project-away n, d*')).columns, ['ts:datetime', 'name:string']);
  });
  test('project-keep keeps matching columns in input order', async () => {
    assert.deepEqual((await run('T | project-keep n*, ts')).columns, ['ts:datetime', 'name:string', 'n:long']);
  });
  test('project-rename keeps position', async () => {
    assert.deepEqual((await run('T | project-rename Count = n')).columns, ['ts:datetime', 'name:string', 'Count:long', 'd:dynamic']);
  });
  test('project-reorder puts named columns first, the rest in order', async () => {
    assert.deepEqual((await run('T | project-reorder n, name')).columns, ['n:long', 'name:string', 'ts:datetime', 'd:dynamic']);
  });
  test('renaming an unknown column is an error', () => {
    assert.equal(diagnosticsOf('T | project-rename a = nope')[0]!.code, 'KB001');
  });
});

describe('summarize', () => {
  test('by-columns first, then aggregates with Kusto names and types', async () => {
    const r = await run('T | summarize count(), sum(n), max(ts), make_set(name), dcount(name) by name | sort by name asc');
    assert.deepEqual(r.columns, ['name:string', 'count_:long', 'sum_n:long', 'max_ts:datetime', 'set_name:dynamic', 'dcount_name:long']);
    assert.deepEqual(r.rows[0], ['', 1, 1, null, [''], 1]);
    assert.deepEqual(r.rows[1], ['alpha', 2, 8, dt('2026-11-27T12:00:00Z'), ['alpha'], 1]);
    // beta's only n is null: sum over nulls is left to the aggregate's own tests.
    assert.deepEqual([r.rows[2]![0], r.rows[2]![1], r.rows[2]![3], r.rows[2]![4]], ['beta', 1, dt('2026-11-27T11:00:00Z'), ['beta']]);
  });
  test('without by there is one row, even over no rows', async () => {
    const r = await run('T | where n > 100 | summarize c = count(), s = make_set(name)');
    assert.deepEqual(r.rows, [[0, []]]);
  });
  test('aggregates inside expressions', async () => {
    const r = await run('T | summarize total = sum(n) * 2, c = count()');
    assert.deepEqual(r.columns, ['total:long', 'c:long']);
    assert.deepEqual(r.rows, [[18, 4]]);
  });
  test('duplicate automatic names get numeric suffixes', async () => {
    assert.deepEqual((await run('T | summarize count(), count()')).columns, ['count_:long', 'count_1:long']);
  });
  test('arg_max(ts, *) returns the latest row per group', async () => {
    const r = await run('T | where isnotnull(ts) | summarize arg_max(ts, *) by name | sort by name asc');
    assert.deepEqual(r.columns, ['name:string', 'ts:datetime', 'n:long', 'd:dynamic']);
    assert.deepEqual(r.rows[0], ['alpha', dt('2026-11-27T12:00:00Z'), 5, null]);
  });
  test('take_any and arg_max name outputs after their arguments (Kusto.Language)', async () => {
    const r = await run('T | summarize take_any(name), arg_max(n, tolower(name)), take_any(tolower(name))');
    assert.deepEqual(r.columns, ['name:string', 'n:long', 'max_n_arg1:string', 'any_arg0:string']);
    assert.deepEqual(r.rows[0]!.slice(1, 3), [5, 'alpha']);
    const any = await run('T | where name == "beta" | summarize any(ts), take_any(n)');
    assert.deepEqual(any.rows, [[dt('2026-11-27T11:00:00Z'), null]]);
    const star = await run('T | summarize take_any(*) by name');
    assert.deepEqual(star.columns, ['name:string', 'ts:datetime', 'n:long', 'd:dynamic']);
  });
  test('an aggregate outside summarize is an error', () => {
    assert.equal(diagnosticsOf('T | extend c = count()')[0]!.code, 'KB007');
  });
  test('count operator', async () => {
    assert.deepEqual(await run('T | count'), { columns: ['Count:long'], rows: [[4]] });
  });
});

describe('sort, top, take, distinct', () => {
  test('sort desc puts nulls last; asc puts them first', async () => {
    assert.deepEqual((await run('T | sort by n desc | project n')).rows, [[5], [3], [1], [null]]);
    assert.deepEqual((await run('T | sort by n asc | project n')).rows, [[null], [1], [3], [5]]);
    assert.deepEqual((await run('T | order by n asc nulls last | project n')).rows, [[1], [3], [5], [null]]);
  });
  test('sort defaults to desc; several keys', async () => {
    assert.deepEqual((await run('T | sort by name, n asc | project name, n')).rows, [['beta', null], ['alpha', 3], ['alpha', 5], ['', 1]]);
  });
  test('top N by', async () => {
    assert.deepEqual((await run('T | top 2 by ts | project name')).rows, [['alpha'], ['beta']]);
  });
  test('take and limit', async () => {
    assert.equal((await run('T | take 2')).rows.length, 2);
    assert.equal((await run('T | limit 0')).rows.length, 0);
  });
  test('distinct', async () => {
    assert.deepEqual((await run('T | distinct name | sort by name asc')).rows, [[''], ['alpha'], ['beta']]);
  });
});

describe('union', () => {
  test('outer union merges columns: leg 1 order, then new columns; same name with other type → name_type', async () => {
    const r = await run('union T, U');
    assert.deepEqual(r.columns, ['ts:datetime', 'name:string', 'n_long:long', 'n_real:real', 'd:dynamic', 'extra:bool']);
    const gamma = r.rows.find((row) => row[1] === 'gamma')!;
    assert.deepEqual(gamma, [null, 'gamma', null, 1.5, null, true]);
    assert.equal(r.rows.length, 5);
  });
  test('missing string cells are empty strings, not null', async () => {
    const r = await run('union (T | project n), (U | project name)');
    assert.deepEqual(r.columns, ['n:long', 'name:string']);
    assert.deepEqual(r.rows[0], [3, '']);
    assert.deepEqual(r.rows[4], [null, 'gamma']);
  });
  test('withsource names each row\'s table; kind=inner keeps common columns', async () => {
    const r = await run('union withsource=Src kind=inner T, U');
    assert.deepEqual(r.columns, ['Src:string', 'name:string']);
    assert.deepEqual(r.rows.map((row) => row[0]), ['T', 'T', 'T', 'T', 'U']);
  });
  test('views are named without parentheses; isfuzzy leaves out legs over missing names; as names a leg', async () => {
    const views = 'let View_1 = view () { print x=1 }; let View_2 = view () { print x=toint(2) }; let View_3 = view () { print x_long=3 };';
    const r = await run(`${views} union withsource=TableName View_1, View_2, View_3`);
    // names go in column order: the split x:long column is x_long, the later real x_long becomes x_long1
    assert.deepEqual(r.columns, ['TableName:string', 'x_long:long', 'x_int:int', 'x_long1:long']);
    assert.deepEqual(r.rows, [['View_1', 1, null, null], ['View_2', null, 2, null], ['View_3', null, null, 3]]);
    const fuzzy = await run(`${views} union isfuzzy=true (View_1 | where x > 0), (Nope | where x > 0) | count`);
    assert.deepEqual(fuzzy.rows, [[1]]);
    const named = await run('union withsource=S (range x from 1 to 2 step 1 | as A), (range x from 1 to 1 step 1 | as B)');
    assert.deepEqual(named.rows.map((row) => row[0]), ['A', 'A', 'B']);
  });
  test('piped union', async () => {
    assert.equal((await run('T | union U | count')).rows[0]![0], 5);
  });
});

describe('sources and let', () => {
  test('print names every unnamed column by its position (Kusto.Language)', async () => {
    assert.deepEqual((await run('let d = "x"; print d, strlen(d), n = 1')).columns, ['print_0:string', 'print_1:long', 'n:long']);
  });
  test('print names columns print_N unless named', async () => {
    const r = await run('print 1, x = "a", strcat("b", "c")');
    assert.deepEqual(r.columns, ['print_0:long', 'x:string', 'print_2:string']);
    assert.deepEqual(r.rows, [[1, 'a', 'bc']]);
  });
  test('datatable', async () => {
    const r = await run('datatable(a:string, b:int, c:datetime) ["x", 1, datetime(2026-01-02), "y", 2, datetime(null)]');
    assert.deepEqual(r.columns, ['a:string', 'b:int', 'c:datetime']);
    assert.deepEqual(r.rows, [['x', 1, dt('2026-01-02T00:00:00Z')], ['y', 2, null]]);
  });
  test('range', async () => {
    assert.deepEqual((await run('range i from 1 to 7 step 3')).rows, [[1], [4], [7]]);
    assert.equal((await run('range t from datetime(2026-01-01) to datetime(2026-01-02) step 6h')).rows.length, 5);
  });
  test('let scalar, let dynamic list, let tabular', async () => {
    const r = await run('let names = dynamic(["alpha"]); let limit = 4; let X = T | where n < limit; X | where name in (names) | project n');
    assert.deepEqual(r.rows, [[3]]);
  });
  test('views (let V = view () { … }) are read by search without a table list and by union *; plain functions are not', async () => {
    const lets = 'let V1 = view () { print MyColumn = 5 }; let V2 = view () { range MyColumn from 4 to 6 step 1 }; let F = () { print MyColumn = 5 };';
    const searched = await run(`${lets} search MyColumn == 5 | where $table startswith "V"`);
    assert.deepEqual(searched.rows.map((r) => [r[0], r[r.length - 1]]).sort(), [['V1', 5], ['V2', 5]]);
    const unioned = await run(`${lets} union withsource=Source V* | summarize count() by Source | order by Source asc`);
    assert.deepEqual(unioned.rows, [['V1', 1], ['V2', 3]]);
  });
  test('estimate_data_size(*) sizes every column of the row; * elsewhere is an error', async () => {
    const r = await run("range x from 1 to 10 step 1 | extend Text = '1234567890' | summarize Total = sum(estimate_data_size(*))");
    assert.deepEqual(r.rows, [[180]]);
    const [star] = diagnosticsOf('print a = 1 | extend h = strlen(*)');
    assert.equal(star!.code, 'KB005');
    assert.equal(star!.column, 33);
  });
  test('set statements give bin_auto its size and fixed point', async () => {
    const at = await run('set query_bin_auto_size=1h; set query_bin_auto_at=datetime(2017-01-01 00:05); range T from datetime(2017-01-01 00:05) to datetime(2017-01-01 02:00) step 1m | summarize c = count() by bin_auto(T)');
    assert.deepEqual(at.columns, ['T:datetime', 'c:long']);
    assert.deepEqual(at.rows, [[dt('2017-01-01T00:05:00Z'), 60], [dt('2017-01-01T01:05:00Z'), 56]]);
    const plain = await run('set query_bin_auto_size = 10; range x from 3 to 25 step 11 | project b = bin_auto(x)');
    assert.deepEqual(plain.rows, [[0], [10], [20]]);
  });
  test('bin_auto without query_bin_auto_size, and a set value that is not a constant, are errors', () => {
    const [missing] = diagnosticsOf('print b = bin_auto(5)');
    assert.equal(missing!.code, 'KB004');
    assert.equal(missing!.column, 11);
    const [notConstant] = diagnosticsOf('set query_bin_auto_size = toscalar(print 1); print 1');
    assert.equal(notConstant!.code, 'KB010');
  });
  test('range bounds and step may be toscalar() values, evaluated before the rows are made', async () => {
    const r = await run('let Start = toscalar(print x = 1); let End = toscalar(range x from 1 to 9 step 1 | count); range z from Start to End step toscalar(4)');
    assert.deepEqual(r.rows, [[1], [5], [9]]);
    const empty = await run('let End = toscalar(T | where n < 0 | summarize max(n)); range z from 1 to End step 1');
    assert.deepEqual(empty.rows, []);
  });
  test('toscalar and in over a sub-query', async () => {
    const r = await run('let top1 = toscalar(T | summarize max(n)); T | where n == top1 | project name');
    assert.deepEqual(r.rows, [['alpha']]);
    const s = await run('T | where name in ((U | project name)) or n in ((T | where name == "beta" | project n)) | count');
    assert.deepEqual(s.rows, [[0]]);
  });
  test('column_ifexists: the column when present, the default otherwise', async () => {
    const r = await run('T | take 1 | project a = column_ifexists("name", "none"), b = column_ifexists("nope", "none")');
    assert.deepEqual(r.rows, [['alpha', 'none']]);
  });
  test('a datetime literal with only a time is that time on the day of now(); toscalar of a scalar', async () => {
    const r = await run('print a = datetime("8:00:00 AM"), b = datetime("5:30 PM"), c = toscalar(strlen("abc"))');
    assert.deepEqual(r.rows, [[dt('2026-11-28T08:00:00Z'), dt('2026-11-28T17:30:00Z'), 3]]);
  });
  test('now() and ago() are one fixed instant per query', async () => {
    const r = await run('print now(), ago(1d), now() - ago(1d)');
    assert.deepEqual(r.rows, [[NOW, NOW - 864_000_000_000n, 864_000_000_000n]]);
  });
});

describe('diagnostics', () => {
  test('unknown table', () => {
    const [d] = diagnosticsOf('Nope | take 1');
    assert.equal(d!.code, 'KB002');
    assert.match(d!.message, /'Nope'/);
  });
  test('unknown function names the function', () => {
    const [d] = diagnosticsOf('T | extend x = frobnicate(n)');
    assert.equal(d!.code, 'KB003');
    assert.equal(d!.column, 16);
  });
  test('an operator that is not supported yet is reported by name and position', () => {
    const [d] = diagnosticsOf('T\n| sample-distinct 3 of name');
    assert.equal(d!.code, 'KB900');
    assert.match(d!.message, /'sample-distinct'/);
    assert.equal(d!.line, 2);
    assert.equal(d!.column, 3);
  });
  test('online-only functions say why they cannot run', () => {
    const [d] = diagnosticsOf('T | invoke FileProfile()');
    assert.ok(d);
    const [e] = diagnosticsOf('T | extend p = FileProfile(name)');
    assert.equal(e!.code, 'KB901');
    assert.match(e!.message, /offline/);
  });
  test('wrong argument types', () => {
    const [d] = diagnosticsOf('T | extend x = strlen(n, n)');
    assert.equal(d!.code, 'KB004');
  });
  test('several statements with errors report each', () => {
    const ds = diagnosticsOf('let a = T | project nope; let b = nope2; T');
    assert.deepEqual(ds.map((d) => d.code), ['KB001', 'KB001']);
  });
});
