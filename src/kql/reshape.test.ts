/**
 * join, lookup, mv-expand, parse, user functions / invoke, window functions, getschema, render:
 * end to end over small tables, expected results worked out from the Kusto docs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type TableSource, executeQuery, compileQuery, KqlError } from './index.js';
import { batchFromRows } from './values/batch.js';
import { parseDatetime } from './values/datetime.js';
import type { Schema, Value } from './values/types.js';

const NOW = parseDatetime('2026-11-28T00:00:00Z')!;

const TABLES: Record<string, { schema: Schema; rows: Value[][] }> = {
  Procs: {
    schema: [
      { name: 'DeviceName', type: 'string' },
      { name: 'Pid', type: 'long' },
      { name: 'Image', type: 'string' },
    ],
    rows: [
      ['a', 1, 'cmd.exe'],
      ['a', 2, 'robocopy.exe'],
      ['b', 1, 'powershell.exe'],
      ['c', 9, 'svchost.exe'],
    ],
  },
  Files: {
    schema: [
      { name: 'DeviceName', type: 'string' },
      { name: 'Pid', type: 'long' },
      { name: 'FileName', type: 'string' },
    ],
    rows: [
      ['a', 2, 'x.zip'],
      ['a', 2, 'y.zip'],
      ['b', 1, 'z.7z'],
      ['d', 5, 'w.txt'],
    ],
  },
  Events: {
    schema: [
      { name: 'Id', type: 'long' },
      { name: 'Tags', type: 'dynamic' },
      { name: 'Line', type: 'string' },
    ],
    rows: [
      [1, ['x', 'y'], 'user=alice size=10 path=C:\\Temp\\a.zip'],
      [2, [], 'user=bob size=oops path=/tmp/b'],
      [3, null, 'garbage'],
      [4, { k: 1, j: 2 }, 'user=eve size=7 path=x'],
    ],
  },
};

const tables: TableSource = {
  tableSchema: (name) => TABLES[name]?.schema,
  tableNames: () => Object.keys(TABLES),
  async *scan(name) {
    yield batchFromRows(TABLES[name]!.schema, TABLES[name]!.rows);
  },
};

async function run(kql: string) {
  const r = await executeQuery(kql, { tables, now: NOW });
  return { columns: r.schema.map((c) => `${c.name}:${c.type}`), rows: r.rows, notes: r.notes };
}

function errorOf(kql: string) {
  try {
    compileQuery(kql, { tables, now: NOW });
  } catch (e) {
    if (e instanceof KqlError) return e.diagnostics[0]!;
    throw e;
  }
  assert.fail(`expected an error for ${kql}`);
}

const sortRows = (rows: Value[][]) => [...rows].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));

describe('join', () => {
  test('inner join on two keys: both sides\' columns, clashing right names get 1', async () => {
    const r = await run('Procs | join kind=inner Files on DeviceName, Pid');
    assert.deepEqual(r.columns, ['DeviceName:string', 'Pid:long', 'Image:string', 'DeviceName1:string', 'Pid1:long', 'FileName:string']);
    assert.deepEqual(sortRows(r.rows), [
      ['a', 2, 'robocopy.exe', 'a', 2, 'x.zip'],
      ['a', 2, 'robocopy.exe', 'a', 2, 'y.zip'],
      ['b', 1, 'powershell.exe', 'b', 1, 'z.7z'],
    ]);
  });
  test('default innerunique keeps one left row per key', async () => {
    const r = await run('Procs | join Files on DeviceName | project DeviceName, FileName');
    // left keys a (2 rows → 1 kept), b; right a has 2 rows, b 1 → 3 rows.
    assert.equal(r.rows.length, 3);
  });
  test('innerunique keeps the last left row of each key (the docs\' join-innerunique example)', async () => {
    const t = (rows: string) => `datatable(key:long, value:string) [${rows}]`;
    const r = await run(`${t('1, "val1.1", 1, "val1.2"')} | join kind=innerunique ${t('1, "val1.3", 1, "val1.4"')} on key`);
    assert.deepEqual(sortRows(r.rows), [[1, 'val1.2', 1, 'val1.3'], [1, 'val1.2', 1, 'val1.4']]);
  });
  test('leftouter keeps unmatched left rows with empty right cells ("" for strings, null otherwise)', async () => {
    const r = await run('Procs | where DeviceName == "c" | join kind=leftouter Files on DeviceName');
    assert.deepEqual(r.rows, [['c', 9, 'svchost.exe', '', null, '']]);
  });
  test('leftanti, leftsemi, rightanti, rightsemi', async () => {
    assert.deepEqual((await run('Procs | join kind=leftanti Files on DeviceName | project DeviceName')).rows, [['c']]);
    assert.deepEqual(sortRows((await run('Procs | join kind=leftsemi Files on DeviceName | project DeviceName, Pid')).rows), [['a', 1], ['a', 2], ['b', 1]]);
    assert.deepEqual((await run('Procs | join kind=rightanti Files on DeviceName')).rows, [['d', 5, 'w.txt']]);
    assert.deepEqual((await run('Procs | join kind=rightsemi Files on DeviceName | count')).rows, [[3]]);
  });
  test('fullouter has unmatched rows of both sides', async () => {
    const r = await run('Procs | join kind=fullouter Files on DeviceName | project DeviceName, DeviceName1');
    assert.ok(r.rows.some((row) => row[0] === 'c' && row[1] === ''));
    assert.ok(r.rows.some((row) => row[0] === '' && row[1] === 'd'));
  });
  test('$left/$right keys and a sub-query on the right', async () => {
    const r = await run('Procs | join kind=inner (Files | where FileName endswith ".7z") on $left.Pid == $right.Pid, DeviceName | project Image');
    assert.deepEqual(r.rows, [['powershell.exe']]);
  });
  test('keys of different types are an error', () => {
    const d = errorOf('Procs | join Files on $left.Pid == $right.FileName');
    assert.equal(d.code, 'KB005');
  });
});

describe('lookup', () => {
  test('leftouter by default; the key appears once', async () => {
    const r = await run('Files | lookup (Procs | project DeviceName, Pid, Image) on DeviceName, Pid');
    assert.deepEqual(r.columns, ['DeviceName:string', 'Pid:long', 'FileName:string', 'Image:string']);
    assert.deepEqual(sortRows(r.rows), [['a', 2, 'x.zip', 'robocopy.exe'], ['a', 2, 'y.zip', 'robocopy.exe'], ['b', 1, 'z.7z', 'powershell.exe'], ['d', 5, 'w.txt', '']]);
  });
  test('kind=inner drops unmatched rows', async () => {
    assert.equal((await run('Files | lookup kind=inner Procs on DeviceName, Pid | count')).rows[0]![0], 3);
  });
});

describe('mv-expand', () => {
  test('arrays expand to one row per element; null gives one row; an empty array none', async () => {
    const r = await run('Events | mv-expand Tags | project Id, Tags');
    assert.deepEqual(r.rows, [[1, 'x'], [1, 'y'], [3, null], [4, { k: 1 }], [4, { j: 2 }]]);
  });
  test('bagexpansion=array, with_itemindex, to typeof and limit', async () => {
    const r = await run('Events | where Id == 4 | mv-expand bagexpansion=array with_itemindex=i Tags | project Id, Tags, i');
    assert.deepEqual(r.rows, [[4, ['k', 1], 0], [4, ['j', 2], 1]]);
    const typed = await run('print d = dynamic([1, "2", 3, 4]) | mv-expand d to typeof(long) limit 3');
    assert.deepEqual(typed.columns, ['d:long']);
    // to typeof() casts, it does not parse: the string "2" becomes null.
    assert.deepEqual(typed.rows, [[1], [null], [3]]);
  });
  test('a named expression becomes a new column; several columns expand in parallel', async () => {
    const r = await run('print a = dynamic([1, 2, 3]), b = dynamic(["x"]) | mv-expand a, c = b');
    assert.deepEqual(r.columns, ['a:dynamic', 'b:dynamic', 'c:dynamic']);
    assert.deepEqual(r.rows, [[1, ['x'], 'x'], [2, ['x'], null], [3, ['x'], null]]);
  });
  test('a non-dynamic column is an error', () => {
    assert.equal(errorOf('Events | mv-expand Id').code, 'KB005');
  });
});

describe('parse', () => {
  test('simple mode with typed captures; unmatched rows get empty values', async () => {
    const r = await run('Events | parse Line with "user=" User " size=" Size:long " path=" Path | project Id, User, Size, Path');
    assert.deepEqual(r.columns, ['Id:long', 'User:string', 'Size:long', 'Path:string']);
    assert.deepEqual(r.rows, [
      [1, 'alice', 10, 'C:\\Temp\\a.zip'],
      [2, '', null, ''],
      [3, '', null, ''],
      [4, 'eve', 7, 'x'],
    ]);
  });
  test('simple mode is strict: a typed capture that does not convert empties every capture of the row', async () => {
    const r = await run('print t = "n=abc d=2016-02-17 x=1" | parse t with "n=" N " d=" D:datetime " x=" X:long | project N, D, X');
    assert.deepEqual(r.rows, [['abc', parseDatetime('2016-02-17T00:00:00Z'), 1]]);
    const bad = await run('print t = "n=abc d=never x=1" | parse t with "n=" N " d=" D:datetime " x=" X:long | project N, D, X');
    assert.deepEqual(bad.rows, [['', null, null]]);
  });
  test('relaxed mode prefers text of the capture\'s type, so a typed capture before * still converts', async () => {
    const line = 'totalSlices=bad, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=never)';
    const r = await run(`print t = ${JSON.stringify(line)} | parse kind=relaxed t with "totalSlices=" T:long ", sliceNumber=" S:long * "releaseTime=" R:datetime ")" | project T, S, R`);
    assert.deepEqual(r.rows, [[null, 23, null]]);
  });
  test('parse-where drops rows that do not match', async () => {
    const r = await run('Events | parse-where Line with * "size=" Size:long " " * | project Id, Size');
    assert.deepEqual(r.rows, [[1, 10], [4, 7]]);
  });
  test('relaxed mode keeps rows whose typed captures do not convert', async () => {
    const r = await run('Events | parse kind=relaxed Line with "user=" User " size=" Size:long " path=" * | project Id, User, Size');
    assert.deepEqual(r.rows[1], [2, 'bob', null]);
  });
  test('regex mode: * and string captures are greedy unless flags=U; the pattern\'s own groups do not shift captures', async () => {
    const line = 'Event (resourceName=Pipe, totalSlices=27, sliceNumber=23)';
    const p = async (pattern: string) => (await run(`print t = ${JSON.stringify(line)} | parse kind=regex ${pattern} | project-away t`)).rows[0];
    assert.deepEqual(await p('t with * "resourceName=" r \',\' *'), ['Pipe, totalSlices=27']);
    assert.deepEqual(await p('flags=U t with * "resourceName=" r \',\' *'), ['Pipe']);
    assert.deepEqual(await p('t with "(.*?)[a-zA-Z]*=" r ", totalSlices=" n:long'), ['Pipe', 27]);
  });
  test('regex mode', async () => {
    const r = await run('Events | parse kind=regex Line with @"user=" User @"\\s+size=" Size:long | project Id, User, Size');
    assert.deepEqual(r.rows[0], [1, 'alice', 10]);
  });
});

describe('user-defined functions and invoke', () => {
  test('scalar function with a default parameter', async () => {
    const r = await run('let twice = (x:long, k:long = 2) { x * k }; Procs | project v = twice(Pid), w = twice(Pid, 10) | take 1');
    assert.deepEqual(r.rows, [[2, 10]]);
  });
  test('tabular function and invoke', async () => {
    const r = await run('let onDevice = (T:(DeviceName:string), name:string) { T | where DeviceName == name }; Procs | invoke onDevice("b") | project Image');
    assert.deepEqual(r.rows, [['powershell.exe']]);
    const s = await run('let zips = () { Files | where FileName endswith ".zip" }; zips() | count');
    assert.deepEqual(s.rows, [[2]]);
  });
  test('a missing argument is an error naming the parameter', () => {
    const d = errorOf('let f = (x:long) { x }; print f()');
    assert.match(d.message, /'x'/);
  });
});

describe('window functions, getschema, render', () => {
  test('row_number, prev and next over sorted rows', async () => {
    const r = await run('Procs | sort by Pid asc, DeviceName asc | extend n = row_number(), p = prev(Image), q = next(Pid, 1, -1) | project DeviceName, n, p, q');
    assert.deepEqual(r.rows, [
      ['a', 1, '', 1],
      ['b', 2, 'cmd.exe', 2],
      ['a', 3, 'powershell.exe', 9],
      ['c', 4, 'robocopy.exe', -1],
    ]);
  });
  test('row_number in where', async () => {
    assert.deepEqual((await run('Procs | serialize | where row_number() == 3 | project Image')).rows, [['powershell.exe']]);
  });
  test('serialize with columns', async () => {
    assert.deepEqual((await run('Procs | serialize rn = row_number(10) | project rn')).rows, [[10], [11], [12], [13]]);
  });
  test('row_cumsum sums in row order, restarting where the condition (a nested prev()) holds', async () => {
    const data = 'datatable(name:string, month:int, salary:long) ["Alice", 1, 1000, "Bob", 1, 1000, "Alice", 2, 2000, "Bob", 2, 1950, "Alice", 3, 1400, "Bob", 3, 1450]';
    const r = await run(`${data} | order by name asc, month asc | extend total = row_cumsum(salary, name != prev(name)), all = row_cumsum(month)`);
    assert.deepEqual(r.columns.slice(3), ['total:long', 'all:int']);
    assert.deepEqual(r.rows.map((row) => row.slice(3)), [[1000, 1], [3000, 3], [4400, 6], [1000, 7], [2950, 9], [4400, 12]]);
  });
  test('row_rank_min and row_rank_dense: equal terms share a rank; min skips, dense does not', async () => {
    const data = 'datatable(Airport:string, Departures:long) ["SEA", 3, "SEA", 100, "SEA", 3, "SEA", 2, "SEA", 3, "AMS", 1, "AMS", 1]';
    const r = await run(`${data} | sort by Airport desc, Departures asc | extend Min = row_rank_min(Departures), Dense = row_rank_dense(Departures), PerAirport = row_rank_dense(Departures, prev(Airport) != Airport)`);
    assert.deepEqual(r.columns.slice(2), ['Min:long', 'Dense:long', 'PerAirport:long']);
    assert.deepEqual(r.rows.map((row) => row.slice(1)), [
      [2, 1, 1, 1], [3, 2, 2, 2], [3, 2, 2, 2], [3, 2, 2, 2], [100, 5, 3, 3], [1, 6, 4, 1], [1, 6, 4, 1],
    ]);
  });
  test('row_window_session: a session ends after MaxDistanceFromFirst, a gap of MaxDistanceBetweenNeighbors, a restart or a null', async () => {
    const t = (hm: string) => parseDatetime(`2024-04-11T${hm}:00Z`);
    const data = `datatable(ID:string, Timestamp:datetime) [
      "1", datetime(2024-04-11 10:00), "1", datetime(2024-04-11 10:04), "1", datetime(2024-04-11 10:08), "1", datetime(2024-04-11 10:30),
      "1", datetime(2024-04-11 10:31), "2", datetime(2024-04-11 10:32), "2", datetime(null), "2", datetime(2024-04-11 10:33)]`;
    const r = await run(`${data} | serialize | extend S = row_window_session(Timestamp, 10m, 5m, ID != prev(ID))`);
    assert.deepEqual(r.columns[2], 'S:datetime');
    assert.deepEqual(r.rows.map((row) => row[2]), [t('10:00'), t('10:00'), t('10:00'), t('10:30'), t('10:30'), t('10:32'), null, t('10:33')]);
    const capped = await run('range i from 0 to 4 step 1 | extend T = datetime(2024-01-01) + i * 4m | extend S = row_window_session(T, 10m, 5m) | project S');
    assert.deepEqual(capped.rows.map((row) => row[0]), ['00:00', '00:00', '00:00', '12:00', '12:00'].map((hm) => parseDatetime(`2024-01-01T00:${hm}Z`)));
  });
  test('running window functions: wrong arity, types and non-constant gaps are errors at the argument', () => {
    assert.equal(errorOf('Procs | serialize | extend c = row_cumsum(Image)').code, 'KB005');
    assert.equal(errorOf('Procs | serialize | extend c = row_cumsum()').code, 'KB004');
    assert.equal(errorOf('Procs | serialize | extend c = row_rank_min(Pid, Pid)').code, 'KB005');
    const gap = errorOf('Procs | serialize | extend s = row_window_session(now(), Pid * 1m, 5m)');
    assert.equal(gap.code, 'KB010');
    assert.equal(gap.column, 'Procs | serialize | extend s = row_window_session(now(), '.length + 1);
    assert.equal(errorOf('Procs | serialize | extend s = row_window_session(Pid, 1h, 5m)').code, 'KB005');
    assert.equal(errorOf('Procs | summarize c = row_cumsum(Pid)').code, 'KB005');
  });
  test('getschema', async () => {
    const r = await run('Files | getschema');
    assert.deepEqual(r.rows[1], ['Pid', 1, 'System.Int64', 'long']);
  });
  test('render returns the rows and says so', async () => {
    const r = await run('Procs | summarize count() by DeviceName | render barchart');
    assert.equal(r.rows.length, 3);
    assert.match(r.notes[0]!, /render barchart/);
  });
});

describe('evaluate bag_unpack', () => {
  const bags = 'datatable(Name:string, d:dynamic) ["James", dynamic({"Name": "John", "Age": 20}), "David", dynamic({"Age": 40, "Height": 170}), "Emily", dynamic(null)]';
  test('the properties the data holds become columns, sorted by name and typed by their values', async () => {
    const r = await run(`${bags} | project d | evaluate bag_unpack(d)`);
    assert.deepEqual(r.columns, ['Age:long', 'Height:long', 'Name:string']);
    assert.deepEqual(r.rows, [[20, null, 'John'], [40, 170, ''], [null, null, '']]);
  });
  test('a prefix; columnsConflict keep_source / replace_source; later operators see the new columns', async () => {
    assert.deepEqual((await run(`${bags} | evaluate bag_unpack(d, 'p_') | project p_Age`)).rows, [[20], [40], [null]]);
    const keep = await run(`${bags} | evaluate bag_unpack(d, columnsConflict='keep_source') | project Name, Age`);
    assert.deepEqual(keep.rows, [['James', 20], ['David', 40], ['Emily', null]]);
    const replace = await run(`${bags} | evaluate bag_unpack(d, columnsConflict='replace_source') | project Name`);
    assert.deepEqual(replace.rows, [['John'], [''], ['']]);
  });
  test('a clash without columnsConflict is an error at the plugin call', async () => {
    await assert.rejects(run(`${bags} | evaluate bag_unpack(d)`), (e: unknown) => {
      assert.ok(e instanceof KqlError);
      assert.equal(e.diagnostics[0]!.code, 'KB006');
      assert.match(e.diagnostics[0]!.message, /clashes with the column 'Name'/);
      return true;
    });
  });
  test('a declared output schema needs no look at the data', async () => {
    const r = await run(`${bags} | evaluate bag_unpack(d) : (*, Age:long)`);
    assert.deepEqual(r.columns, ['Name:string', 'Age:long']);
    assert.deepEqual(r.rows[1], ['David', 40]);
  });
  test('compiling without data says the columns depend on the data', () => {
    assert.equal(errorOf(`${bags} | evaluate bag_unpack(d)`).code, 'KB902');
  });
  test('other plugins are named as not supported yet', () => {
    assert.match(errorOf('Procs | evaluate narrow()').message, /'narrow'/);
  });
});

describe('mv-apply', () => {
  test('the sub-query runs over each row\'s expanded values; a renamed expansion keeps its source column', async () => {
    const data = 'datatable(index:int, Arr:dynamic) [0, dynamic([7]), 1, dynamic([6, 11, 7])]';
    const r = await run(`${data} | mv-apply Arr2 = Arr to typeof(long) on (take 100)`);
    assert.deepEqual(r.columns, ['index:int', 'Arr:dynamic', 'Arr2:long']);
    assert.deepEqual(r.rows, [[0, [7], 7], [1, [6, 11, 7], 6], [1, [6, 11, 7], 11], [1, [6, 11, 7], 7]]);
  });
  test('top per row, and summarize over each sub-table', async () => {
    const data = 'datatable(index:int, Arr:dynamic) [0, dynamic([1, 5, 3]), 1, dynamic([10, 2, 5, 7])]';
    const top = await run(`${data} | mv-apply Arr to typeof(long) on (top 2 by Arr)`);
    assert.deepEqual(top.columns, ['index:int', 'Arr:long']);
    assert.deepEqual(top.rows, [[0, 5], [0, 3], [1, 10], [1, 7]]);
    const sum = await run(`${data} | mv-apply with_itemindex=i Arr to typeof(long) on (summarize s = sum(Arr), n = max(i))`);
    assert.deepEqual(sum.rows, [[0, 9, 2], [1, 24, 3]]);
  });
  test('the sub-query sees the row\'s other columns; a column it returns under their name replaces it', async () => {
    const data = 'datatable(a:dynamic, o:long) [dynamic([1, 2]), 10]';
    const r = await run(`${data} | mv-apply x = a to typeof(long) on (extend y = o + x)`);
    assert.deepEqual(r.columns, ['a:dynamic', 'o:long', 'x:long', 'y:long']);
    assert.deepEqual(r.rows, [[[1, 2], 10, 1, 11], [[1, 2], 10, 2, 12]]);
    const replaced = await run(`${data} | mv-apply x = a to typeof(long) on (summarize o = sum(x) + max(o))`);
    assert.deepEqual(replaced.columns, ['a:dynamic', 'o:long']);
    assert.deepEqual(replaced.rows, [[[1, 2], 13]]);
  });
});

describe('make-series', () => {
  const data = `datatable(timestamp:datetime, metric:real, host:string) [
    datetime(2016-12-31T06:00), 50, "a",
    datetime(2017-01-01), 4, "a",
    datetime(2017-01-02), 3, "a",
    datetime(2017-01-03), 4, "b",
    datetime(2017-01-03T03:00), 6, "a"]`;
  test('one array per aggregate over the bins from..to (exclusive) and the axis of bin starts', async () => {
    const r = await run(`${data} | make-series avg(metric) on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 1d`);
    assert.deepEqual(r.columns, ['avg_metric:dynamic', 'timestamp:dynamic']);
    assert.deepEqual(r.rows, [[[4, 3, 5], ['2017-01-01T00:00:00Z', '2017-01-02T00:00:00Z', '2017-01-03T00:00:00Z']]]);
  });
  test('by groups, defaults for empty bins, named aggregates', async () => {
    const r = await run(`${data} | make-series n = count() default = -1, s = sum(metric) on timestamp from datetime(2017-01-01) to datetime(2017-01-04) step 1d by host | sort by host asc`);
    assert.deepEqual(r.columns, ['host:string', 'n:dynamic', 's:dynamic', 'timestamp:dynamic']);
    assert.deepEqual(r.rows.map((row) => row.slice(0, 3)), [['a', [1, 1, 1], [4, 3, 6]], ['b', [-1, -1, 1], [0, 0, 4]]]);
  });
  test('a plain expression takes its value in bins with rows, the default elsewhere (the docs example)', async () => {
    const r = await run(`${data} | make-series other = -1 default = -2 on timestamp from datetime(2017-01-01) to datetime(2017-01-05) step 1d`);
    assert.deepEqual(r.rows[0]![0], [-1, -1, -1, -2]);
  });
  test('no rows: no series, unless kind=nonempty', async () => {
    assert.equal((await run(`${data} | take 0 | make-series avg(metric) on timestamp from datetime(2017-01-01) to datetime(2017-01-03) step 1d`)).rows.length, 0);
    const nonempty = await run(`${data} | take 0 | make-series kind=nonempty avg(metric) default=1.0 on timestamp from datetime(2017-01-01) to datetime(2017-01-03) step 1d`);
    assert.deepEqual(nonempty.rows, [[[1, 1], ['2017-01-01T00:00:00Z', '2017-01-02T00:00:00Z']]]);
  });
});

describe('parse-kv (the docs examples)', () => {
  const kv = async (text: string, clause: string) => (await run(`print str=${JSON.stringify(text)} | parse-kv str as ${clause} | project-away str`)).rows[0];
  test('pair and key/value delimiters; keys and values trimmed', async () => {
    assert.deepEqual(await kv('ThreadId:458745723, Machine:Node001, Text: The service is up, Level: Info', "(Text: string, ThreadId:long, Machine: string) with (pair_delimiter=',', kv_delimiter=':')"), ['The service is up', 458745723, 'Node001']);
  });
  test('quoted keys and values, two-character quotes, escapes', async () => {
    const spec = "(['event time']:datetime, src:string, failure:string) with (pair_delimiter=' ', kv_delimiter='='";
    assert.deepEqual(await kv('src=10.1.1.123 failure="connection aborted" "event time"=2021-01-01T10:00:54', `${spec}, quote='"')`), [parseDatetime('2021-01-01T10:00:54Z'), '10.1.1.123', 'connection aborted']);
    assert.deepEqual(await kv('src=10.1.1.123 failure=(connection aborted) (event time)=(2021-01-01 10:00:54)', `${spec}, quote='()')`), [parseDatetime('2021-01-01T10:00:54Z'), '10.1.1.123', 'connection aborted']);
    assert.deepEqual(await kv('failure="the remote host sent \\"bye!\\"" src=1', `(failure:string, src:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"', escape='\\\\')`), ['the remote host sent "bye!"', '1']);
  });
  test('greedy values run to the next key', async () => {
    const text = 'name=John Doe phone=555 5555 city=New York';
    const spec = "(name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='='";
    assert.deepEqual(await kv(text, `${spec})`), ['John', '555', 'New']);
    assert.deepEqual(await kv(text, `${spec}, greedy=true)`), ['John Doe', '555 5555', 'New York']);
  });
  test('no delimiters: each key is looked for, followed by : or =', async () => {
    assert.deepEqual(await kv('2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: Started', '(Text: string, ThreadId:long, Machine: string)'), ['Started', 458745723, 'Node001']);
  });
  test('regex with key and value groups; a missing key reads as empty', async () => {
    const text = '"referer url: https://h.com/r", "advertiser id: 24fefbca-cf27-4d62-a623-249c2ad30c73"';
    assert.deepEqual(await kv(text, `(['referer url']:string, ['advertiser id']:guid, nope:long) with (regex=@'"([\\w ]+)\\s*:\\s*([^"]*)"')`), ['https://h.com/r', '24fefbca-cf27-4d62-a623-249c2ad30c73', null]);
  });
});

describe('search, find, partition, top-nested', () => {
  test('search in (tables) with a bare term: any string column has it; $table first', async () => {
    const r = await run('search in (Procs, Files) "zip"');
    assert.deepEqual(r.columns, ['$table:string', 'DeviceName:string', 'Pid:long', 'Image:string', 'FileName:string']);
    assert.deepEqual(r.rows, [['Files', 'a', 2, '', 'x.zip'], ['Files', 'a', 2, '', 'y.zip']]);
  });
  test('search over every table with a column predicate; a column a table lacks reads as null', async () => {
    const r = await run('search FileName endswith ".7z" or Image == "svchost.exe" | project $table, DeviceName');
    assert.deepEqual(sortRows(r.rows), [['Files', 'b'], ['Procs', 'c']]);
  });
  test('piped search, with wildcards', async () => {
    assert.deepEqual((await run('Procs | search "*copy*" | project Image')).rows, [['robocopy.exe']]);
    assert.deepEqual((await run('Procs | search "power*" | project Image')).rows, [['powershell.exe']]);
  });
  test('find in (tables) where … project …', async () => {
    const r = await run('find in (Procs, Files) where Pid == 1 project DeviceName, Image');
    assert.deepEqual(r.columns, ['source_:string', 'DeviceName:string', 'Image:string']);
    assert.deepEqual(sortRows(r.rows), [['Files', 'b', ''], ['Procs', 'a', 'cmd.exe'], ['Procs', 'b', 'powershell.exe']]);
  });
  test('partition by: the sub-query per group', async () => {
    const r = await run('Files | partition by DeviceName (top 1 by FileName asc) | project DeviceName, FileName');
    assert.deepEqual(sortRows(r.rows), [['a', 'x.zip'], ['b', 'z.7z'], ['d', 'w.txt']]);
  });
  test('partition by Column { query }: a query with its own source per key, reading the key as Column or toscalar(Column)', async () => {
    const r = await run(`Files | summarize by Device = DeviceName | partition hint.strategy=legacy by Device
      { Procs | where DeviceName == Device | summarize n = count() | extend device = toscalar(Device) }`);
    assert.deepEqual(r.columns, ['n:long', 'device:string']);
    assert.deepEqual(sortRows(r.rows), [[0, 'd'], [1, 'b'], [2, 'a']]);
  });
  test('partition by Column { query }: the key column is the only name from the input; an unclosed brace is a syntax error', () => {
    assert.equal(errorOf('Files | partition by DeviceName { Procs | where Image == toscalar(FileName) }').code, 'KB001');
    const unclosed = errorOf('Files | partition by DeviceName {\n Procs | take 1');
    assert.match(unclosed.code, /^KS/);
    assert.equal(unclosed.line, 2);
  });
  test('top-nested: top values per level within the level above, with others', async () => {
    const r = await run('Files | top-nested 1 of DeviceName by count() , top-nested of FileName by count() asc');
    assert.deepEqual(r.columns, ['DeviceName:string', 'aggregated_DeviceName:long', 'FileName:string', 'aggregated_FileName:long']);
    assert.deepEqual(sortRows(r.rows), [['a', 2, 'x.zip', 1], ['a', 2, 'y.zip', 1]]);
    const others = await run('Files | top-nested 1 of DeviceName with others = "rest" by count()');
    assert.deepEqual(sortRows(others.rows), [['a', 2], ['rest', 2]]);
  });
});

describe('lookup plugins', () => {
  const networks = 'let IP_Data = datatable(network:string, country:string) ["5.8.0.0/19", "Russia", "2.20.183.0/24", "United Kingdom"];';
  test('ipv4_lookup: each address with the ranges it falls in; unmatched rows only when asked', async () => {
    const ips = 'datatable(ip:string) ["2.20.183.12", "5.8.1.2", "192.165.12.17"]';
    const r = await run(`${networks} ${ips} | evaluate ipv4_lookup(IP_Data, ip, network)`);
    assert.deepEqual(r.columns, ['ip:string', 'network:string', 'country:string']);
    assert.deepEqual(r.rows, [['2.20.183.12', '2.20.183.0/24', 'United Kingdom'], ['5.8.1.2', '5.8.0.0/19', 'Russia']]);
    const all = await run(`${networks} ${ips} | evaluate ipv4_lookup(IP_Data, ip, network, return_unmatched = true)`);
    assert.deepEqual(all.rows[2], ['192.165.12.17', '', '']);
  });
  test('geo_polygon_lookup: points in polygons; the polygon column only with return_lookup_key', async () => {
    const polygons = 'let P = datatable(name:string, polygon:dynamic) ["box", dynamic({"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]})];';
    const points = 'datatable(id:long, lon:real, lat:real) [1, 1.0, 1.0, 2, 5.0, 5.0]';
    const r = await run(`${polygons} ${points} | evaluate geo_polygon_lookup(P, polygon, lon, lat)`);
    assert.deepEqual(r.columns, ['id:long', 'lon:real', 'lat:real', 'name:string']);
    assert.deepEqual(r.rows, [[1, 1, 1, 'box']]);
    const keyed = await run(`${polygons} ${points} | evaluate geo_polygon_lookup(P, polygon, lon, lat, return_lookup_key = true)`);
    assert.equal(keyed.columns.at(-1), 'polygon:dynamic');
  });
});

describe('functions bound against the row or a table: pack_all, column_names_of', () => {
  const data = `datatable(Source:string, Target:string, Count:long) ['a', 'b', 1, 'c', '', long(null)]`;
  test('pack_all() packs the operator\'s input columns; pack_all(true) leaves out null and empty values', async () => {
    const r = await run(`${data} | extend Packed = pack_all(), Sparse = pack_all(true)`);
    assert.deepEqual(r.rows.map((row) => row.slice(3)), [
      [{ Source: 'a', Target: 'b', Count: 1 }, { Source: 'a', Target: 'b', Count: 1 }],
      [{ Source: 'c', Target: '', Count: null }, { Source: 'c' }],
    ]);
    const projected = await run(`${data} | project Source | project p = pack_all()`);
    assert.deepEqual(projected.rows, [[{ Source: 'a' }], [{ Source: 'c' }]]);
  });
  test('pack_all: more than one argument or a non-bool flag is an error at the call', () => {
    const tooMany = errorOf(`${data} | extend p = pack_all(true, false)`);
    assert.equal(tooMany.code, 'KB004');
    assert.equal(tooMany.column, data.length + 15);
    const flag = errorOf(`${data} | extend p = pack_all("yes")`);
    assert.equal(flag.code, 'KB004');
    assert.match(flag.message, /ignore_null_empty must be bool/);
    assert.equal(flag.column, data.length + 24);
  });
  test('column_names_of(T) lists the columns of a table, a let-bound table or a function call', async () => {
    const r = await run('let T = datatable(A:string, B:int) []; let F = (n:int) { print X = n, Y = 2 }; print t = column_names_of(T), f = column_names_of(F(1)), p = column_names_of(Procs)');
    assert.deepEqual(r.rows, [[['A', 'B'], ['X', 'Y'], ['DeviceName', 'Pid', 'Image']]]);
  });
  test('column_names_of: a scalar argument or a wrong arity is an error', () => {
    const scalar = errorOf('print c = column_names_of(1)');
    assert.equal(scalar.code, 'KB005');
    assert.deepEqual([scalar.line, scalar.column], [1, 27]);
    assert.equal(errorOf('print c = column_names_of()').code, 'KB004');
  });
});

describe('evaluate dcount_intersect', () => {
  const sketches = `range x from 1 to 100 step 1
    | summarize even = hll(iif(x % 2 == 0, x, long(null))), mod3 = hll(iif(x % 3 == 0, x, long(null))), mod5 = hll(iif(x % 5 == 0, x, long(null)))`;
  test('s0 … sN-1: distinct values held by all of the first i+1 sketches, after the input columns', async () => {
    const r = await run(`${sketches} | evaluate dcount_intersect(even, mod3, mod5) | project-away even, mod3, mod5`);
    assert.deepEqual(r.columns, ['s0:long', 's1:long', 's2:long']);
    assert.deepEqual(r.rows, [[50, 16, 3]]);
  });
  test('an intersection with a value that is not an hll is null; too few or non-dynamic arguments are errors', async () => {
    const r = await run(`${sketches} | extend other = dynamic([1, 2]) | evaluate dcount_intersect(even, other) | project s0, s1`);
    assert.deepEqual(r.rows, [[50, null]]);
    assert.equal(errorOf(`${sketches} | evaluate dcount_intersect(even)`).code, 'KB004');
    const typed = errorOf(`${sketches} | extend n = 1 | evaluate dcount_intersect(even, n)`);
    assert.equal(typed.code, 'KB005');
    assert.match(typed.message, /argument 2 must be an hll/);
  });
});
