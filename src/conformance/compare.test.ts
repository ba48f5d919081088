import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  cellMatches, compareCase, expectedRowsInResultOrder, notComparableReason, parseDocsNumber, parseDocsTimespan, rowsAreOrdered, sourceIsSerialized, topLevelOperators, type DocsCase,
} from './compare.js';
import { causeOf, groupBy } from './report.js';

function docsCase(partial: Partial<DocsCase>): DocsCase {
  return {
    source_path: 'data-explorer/kusto/query/x.md',
    query: 'print x = 1',
    expected_columns: ['x'],
    expected_rows: [['1']],
    ls_result_columns: [{ name: 'x', type: 'long' }],
    ragged_rows: 0,
    ...partial,
  };
}

describe('cellMatches: numbers', () => {
  test('numerically, whatever the display', () => {
    assert.ok(cellMatches('5', 5, 'long'));
    assert.ok(cellMatches('1,000,000,020', 1000000020, 'decimal'));
    assert.ok(cellMatches('1E+20', 1e20, 'real'));
    assert.ok(cellMatches('0.1', 0.1, 'real'));
    assert.ok(!cellMatches('5', 6, 'long'));
    assert.ok(!cellMatches('5', '5x', 'long'));
  });
  test('the docs round reals: ≥ 3 shown digits compare after rounding ours, fewer do not', () => {
    assert.ok(cellMatches('7.389056', Math.exp(2), 'real'));
    assert.ok(cellMatches('1.4142135623731', Math.SQRT2, 'real'));
    assert.ok(!cellMatches('1', 1.4, 'real'));
    assert.ok(!cellMatches('7.38', Math.exp(2), 'real'));
  });
  test('NaN and infinities by name; null cells', () => {
    assert.ok(cellMatches('NaN', 'NaN', 'real'));
    assert.ok(cellMatches('Infinity', 'Infinity', 'real'));
    assert.ok(!cellMatches('NaN', 0, 'real'));
    assert.ok(cellMatches('', null, 'long'));
    assert.ok(cellMatches(null, null, 'real'));
    assert.ok(cellMatches('(null)', null, 'int'));
    assert.ok(!cellMatches('', 0, 'long'));
  });
  test('parseDocsNumber refuses text and malformed separators', () => {
    assert.equal(parseDocsNumber('1,234.5'), 1234.5);
    assert.equal(parseDocsNumber('12,34'), undefined);
    assert.equal(parseDocsNumber('abc'), undefined);
  });
});

describe('cellMatches: other types', () => {
  test('bool spellings, trailing <br>', () => {
    for (const t of ['true', 'True', '1', 'true<br>']) assert.ok(cellMatches(t, true, 'bool'), t);
    assert.ok(cellMatches('False', false, 'bool'));
    assert.ok(!cellMatches('true', false, 'bool'));
    assert.ok(cellMatches('null', null, 'bool'));
  });
  test('datetimes as instants in any style', () => {
    assert.ok(cellMatches('2017-05-22 00:00:00.0000000', '2017-05-22T00:00:00Z', 'datetime'));
    assert.ok(cellMatches('2015-12-12 09:10:04.627', '2015-12-12T09:10:04.627Z', 'datetime'));
    assert.ok(!cellMatches('2015-12-12 09:10:04.627', '2015-12-12T09:10:04.6Z', 'datetime'));
    assert.ok(!cellMatches('1675225922.4', '2023-02-01T04:32:02.4Z', 'datetime'));
  });
  test('timespans as durations, including the d:hh:mm:ss docs style', () => {
    assert.equal(parseDocsTimespan('14:00:00:00'), 14n * 864_000_000_000n);
    assert.ok(cellMatches('14:00:00:00', '14.00:00:00', 'timespan'));
    assert.ok(cellMatches('1.00:00:00', '1.00:00:00', 'timespan'));
    assert.ok(!cellMatches('01:00:00', '00:01:00', 'timespan'));
  });
  test('guid ignoring case', () => {
    assert.ok(cellMatches('0123ABCD-89ab-cdef-0123-456789abcdef', '0123abcd-89ab-cdef-0123-456789abcdef', 'guid'));
  });
  test('dynamic as parsed JSON: spacing, <br>, key order, number tolerance, datetimes inside', () => {
    assert.ok(cellMatches('{<br>"b": 2,<br> "a": [1, 2.0]<br>}', { a: [1, 2], b: 2 }, 'dynamic'));
    assert.ok(!cellMatches('{"a":1}', { a: 1, b: 2 }, 'dynamic'));
    assert.ok(!cellMatches('[1,2]', [2, 1], 'dynamic'));
    assert.ok(cellMatches('a', 'a', 'dynamic'));
    assert.ok(cellMatches('5', '5', 'dynamic'));
    assert.ok(cellMatches('["2007-01-01T00:00:00.0000000Z"]', ['2007-01-01T00:00:00Z'], 'dynamic'));
    assert.ok(!cellMatches('["2007-01-01T00:00:00.0000000Z"]', ['2007-01-02T00:00:00Z'], 'dynamic'));
  });
  test('strings: exact, whitespace as markdown shows it, JSON-in-string as JSON', () => {
    assert.ok(cellMatches('abc', 'abc', 'string'));
    assert.ok(!cellMatches('abc', 'abd', 'string'));
    assert.ok(!cellMatches('abc', 5, 'string'));
    assert.ok(cellMatches('a\\|b', 'a|b', 'string'));
    assert.ok(cellMatches('K<br>u', 'K\nu', 'string'));
    assert.ok(cellMatches('{"a": 1}', '{"a":1}', 'string'));
    assert.ok(!cellMatches('Abc', 'abc', 'string'));
    assert.ok(cellMatches('', '', 'string'));
    assert.ok(cellMatches('&nbsp;', '', 'string') && cellMatches('&nbsp;', null, 'long'));
    assert.ok(cellMatches('[https://a.b/c?x=1](https://a.b/c?x=1)', 'https://a.b/c?x=1', 'string'));
    assert.ok(!cellMatches('[text](https://a.b/)', 'https://a.b/', 'string'));
  });
});

describe('row order', () => {
  test('serialized sources without order-destroying operators keep order', () => {
    assert.ok(rowsAreOrdered('range x from 1 to 3 step 1 | extend y = x'));
    assert.ok(rowsAreOrdered('print x = 1'));
    assert.ok(rowsAreOrdered('let R = range x from 1 to 3 step 1; R | where x > 1'));
  });
  test('a datatable is not serialized: its rows compare as a multiset unless sorted', () => {
    assert.ok(!rowsAreOrdered('datatable(a:int)[1,2] | extend b = a'));
    assert.ok(!rowsAreOrdered('let T = datatable(a:int)[1,2];\nlet U = T | where a > 0;\nU | project a'));
    assert.ok(!rowsAreOrdered('let T = (datatable(a:int)[1,2]); T'));
    assert.ok(rowsAreOrdered('datatable(a:int)[1,2] | sort by a'));
    assert.ok(!sourceIsSerialized('let T = datatable(a:int)[1]; // range\nT'));
    assert.ok(sourceIsSerialized('let T = T; T'));
  });
  test('mv-expand, count and the graph operators destroy order', () => {
    assert.ok(!rowsAreOrdered('range x from 1 to 3 step 1 | mv-expand y = pack_array(x, x)'));
    assert.ok(!rowsAreOrdered('G | graph-match (a)-->(b) project a.name'));
    assert.ok(!rowsAreOrdered('G | graph-shortest-paths (a)-[e*1..3]->(b) project a.name'));
    assert.ok(rowsAreOrdered('G | graph-match (a)-->(b) project n = a.name | sort by n'));
  });
  test('summarize/join/union destroy order unless a later sort restores it', () => {
    assert.ok(!rowsAreOrdered('T | summarize count() by a'));
    assert.ok(rowsAreOrdered('T | summarize count() by a | sort by a'));
    assert.ok(!rowsAreOrdered('T | sort by a | summarize count() by a'));
    assert.ok(rowsAreOrdered('T | join (U) on a | top 3 by a'));
  });
  test('datatable rows are not serialized: their order counts only after sort, top or serialize', () => {
    assert.ok(!rowsAreOrdered('datatable(a:int)[2,1] | extend b = a'));
    assert.ok(rowsAreOrdered('datatable(a:int)[2,1] | sort by a'));
    assert.ok(rowsAreOrdered('datatable(a:int)[2,1] | serialize | extend r = row_number()'));
    assert.ok(rowsAreOrdered('range x from 1 to 3 step 1 | extend y = x'));
    assert.ok(!rowsAreOrdered('range x from 1 to 3 step 1 | summarize count() by x'));
  });
  test('operators inside subqueries, comments and strings do not count', () => {
    assert.deepEqual(topLevelOperators('T | join (U | sort by x) on a | where s == "| sort" // | order'), ['join', 'where']);
    assert.ok(!rowsAreOrdered('T | join (U | sort by x) on a'));
  });
});

describe('docs columns in another order', () => {
  test('cells are moved to the order of the result columns, matched by name', () => {
    const c = docsCase({ expected_columns: ['b', 'a'], expected_rows: [['2', '1']], ls_result_columns: [{ name: 'a', type: 'long' }, { name: 'b', type: 'long' }] });
    assert.deepEqual(expectedRowsInResultOrder(c), [['1', '2']]);
    assert.equal(compareCase(c, { columns: c.ls_result_columns, rows: [[1, 2]] }).status, 'pass');
  });
  test('tables whose names differ from the result columns are left as they are', () => {
    const c = docsCase({ expected_columns: ['x', 'a'], expected_rows: [['2', '1']], ls_result_columns: [{ name: 'a', type: 'long' }, { name: 'b', type: 'long' }] });
    assert.deepEqual(expectedRowsInResultOrder(c), [['2', '1']]);
  });
});

describe('not comparable, with reasons', () => {
  test('each illustrative kind is recognised', () => {
    assert.match(notComparableReason(docsCase({ query: 'print rand()' }))!, /random/);
    assert.match(notComparableReason(docsCase({ query: 'print now()' }))!, /current time/);
    assert.match(notComparableReason(docsCase({ ragged_rows: 1 }))!, /ragged/);
    assert.match(notComparableReason(docsCase({ expected_rows: [['...']] }))!, /truncated/);
    assert.match(notComparableReason(docsCase({ expected_rows: [['["a","b",.....,"z"]']] }))!, /truncated/);
    assert.match(notComparableReason(docsCase({ query: 'let T = external_data(a:string) ["https://x/y.csv"]; T' }))!, /external data/);
    const table = (query: string, cell: string) => notComparableReason(docsCase({ query, expected_columns: ['s'], expected_rows: [[cell]], ls_result_columns: [{ name: 's', type: 'string' }] }));
    assert.match(table('datatable(s:string) ["New York"]', 'New York city')!, /edited by hand/);
    assert.equal(table('datatable(s:string) ["New York"]', 'New York'), undefined);
    assert.equal(table('datatable(s:string) ["New York"] | extend s = strcat(s, " city")', 'New York city'), undefined);
    assert.equal(table('datatable(s:string) ["a"]', '&nbsp;'), undefined);
    const ranged = (query: string, rows: string[][]) => notComparableReason(docsCase({
      query, expected_columns: ['x', 'y'], expected_rows: rows, ls_result_columns: [{ name: 'x', type: 'long' }, { name: 'y', type: 'long' }],
    }));
    assert.match(ranged('range x from 1 to 3 step 1 | extend y = x', [['2', '2'], ['1', '1'], ['3', '3']])!, /range order/);
    assert.equal(ranged('range x from 3 to 1 step -1 | extend y = x', [['3', '3'], ['2', '2'], ['1', '1']]), undefined);
    assert.equal(ranged('range x from 1 to 3 step 1 | extend y = x | sort by y', [['2', '2'], ['1', '1'], ['3', '3']]), undefined);
    assert.equal(ranged('range x from 1 to 3 step 1 | extend y = x, x = 5 - x', [['2', '2'], ['1', '1'], ['3', '3']]), undefined);
    assert.match(notComparableReason(docsCase({ query: 'let T = datatable(a:int)[1]; T; T | count' }))!, /several result tables/);
    assert.equal(notComparableReason(docsCase({ query: 'let T = datatable(a:int)[1];\nlet U = T;\nU // ; print 1' })), undefined);
    const dynamicCase = { ls_result_columns: [{ name: 'x', type: 'dynamic' }] };
    assert.match(notComparableReason(docsCase({ ...dynamicCase, expected_rows: [['"type": "Point", "coordinates": [1, 2]}']] }))!, /opening brace/);
    assert.equal(notComparableReason(docsCase({ ...dynamicCase, expected_rows: [['{"type": "Point", "coordinates": [1, 2]}']] })), undefined);
    assert.equal(notComparableReason(docsCase({ ...dynamicCase, expected_rows: [['"a": 1']] })), undefined);
    assert.match(notComparableReason(docsCase({ expected_rows: [['{"type": "Polygon","coordinates": [ ... ]}']] }))!, /truncated/);
    assert.match(notComparableReason(docsCase({ expected_rows: [['{"geometries": [ ... ... ... ]}']] }))!, /truncated/);
    assert.match(notComparableReason(docsCase({ query: 'T | summarize count() by a | take 3' }))!, /arbitrary rows/);
    assert.match(notComparableReason(docsCase({ expected_columns: ['x', 'y'] }))!, /other columns/);
    assert.match(notComparableReason(docsCase({ ls_result_columns: [] }))!, /no tabular result/);
  });
  test('comparable cases have no reason (a word in a string is not a call)', () => {
    assert.equal(notComparableReason(docsCase({ query: 'print x = "now()"' })), undefined);
    assert.equal(notComparableReason(docsCase({ query: 'datatable(a:int)[1,2] | take 1' })), undefined);
  });
});

describe('compareCase', () => {
  const c = docsCase({
    query: 'datatable(a:string, n:long)["x", 1, "y", 2] | summarize n = sum(n) by a',
    expected_columns: ['a', 'n'],
    expected_rows: [['y', '2'], ['x', '1']],
    ls_result_columns: [{ name: 'a', type: 'string' }, { name: 'n', type: 'long' }],
  });
  const columns = [{ name: 'a', type: 'string' }, { name: 'n', type: 'long' }];
  test('unordered results match as a multiset', () => {
    assert.deepEqual(compareCase(c, { columns, rows: [['x', 1], ['y', 2]] }), { status: 'pass', ordered: false });
  });
  test('each expected row needs its own match (multiset, not set)', () => {
    const twice = { ...c, expected_rows: [['x', '1'], ['x', '1']] };
    const verdict = compareCase(twice, { columns, rows: [['x', 1], ['y', 2]] });
    assert.equal(verdict.status, 'fail');
  });
  test('ordered results must be in order, and the reason names the first differing cell', () => {
    const sorted = { ...c, query: `${c.query} | sort by a asc`, expected_rows: [['x', '1'], ['y', '2']] };
    const verdict = compareCase(sorted, { columns, rows: [['y', 2], ['x', 1]] });
    assert.deepEqual(verdict, { status: 'fail', kind: 'rows', reason: 'row 1, a: expected "x", got "y"' });
  });
  test('column names and types are checked against Kusto.Language', () => {
    const verdict = compareCase(c, { columns: [{ name: 'a', type: 'string' }, { name: 'n', type: 'int' }], rows: [['x', 1], ['y', 2]] });
    assert.equal(verdict.status, 'fail');
    assert.match((verdict as { reason: string }).reason, /Kusto \(a:string, n:long\), ours \(a:string, n:int\)/);
  });
  test('row count differences are reported', () => {
    const verdict = compareCase(c, { columns, rows: [['x', 1]] });
    assert.deepEqual(verdict, { status: 'fail', kind: 'rows', reason: 'expected 2 rows, got 1' });
  });
});

describe('report helpers', () => {
  test('causes drop positions and numbers so equal causes group', () => {
    assert.equal(causeOf("KB003 (line 3, column 7): Unknown function: 'foo' at 12"), "Unknown function: 'foo' at N");
    const groups = groupBy(['a', 'b', 'a'], (x) => x);
    assert.deepEqual(groups, [['a', ['a', 'a']], ['b', ['b']]]);
  });
});
