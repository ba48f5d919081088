import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { builtinTableSchemas, kustoResultColumns } from './kusto-oracle.js';
import { repoPath } from './repo.js';

/** kql-semantics.md §11: the seed rule's union output, in order. */
const SEED_RESULT_COLUMNS = [
  { name: 'Timestamp', type: 'datetime' },
  { name: 'DeviceName', type: 'string' },
  { name: 'AccountName', type: 'string' },
  { name: 'InitiatingProcessFileName', type: 'string' },
  { name: 'InitiatingProcessCommandLine', type: 'string' },
  { name: 'FolderPath', type: 'string' },
  { name: 'FileCount', type: 'long' },
  { name: 'Extensions', type: 'dynamic' },
  { name: 'StagingType', type: 'string' },
  { name: 'FileName', type: 'string' },
  { name: 'ProcessCommandLine', type: 'string' },
];

const seedQuery = () => readFileSync(repoPath('rules', 't1074-seed', 'query.kql'), 'utf8');
const DEFENDER_TABLES = builtinTableSchemas();
const errorsOf = (query: string, tables = DEFENDER_TABLES) =>
  kustoResultColumns(query, tables).diagnostics.filter(d => d.severity === 'Error');

describe('kusto-oracle', () => {
  test('the seed rule binds without errors over the built-in schemas and yields the §11 columns', () => {
    const { columns } = kustoResultColumns(seedQuery(), DEFENDER_TABLES);
    assert.deepEqual(columns, SEED_RESULT_COLUMNS);
    assert.deepEqual(errorsOf(seedQuery()), []);
  });

  test('the seed rule over tables lacking a column it needs is an error on that column', () => {
    const withoutFolderPath = {
      ...DEFENDER_TABLES,
      DeviceFileEvents: DEFENDER_TABLES['DeviceFileEvents']!.filter(c => c.name !== 'FolderPath'),
    };
    const errors = errorsOf(seedQuery(), withoutFolderPath);
    assert.ok(errors.length > 0);
    assert.ok(errors.every(e => seedQuery().slice(e.start, e.start + e.length) === 'FolderPath'));
  });

  test('an unknown column is an error located on the name', () => {
    const query = 'DeviceFileEvents | where FolderPth has "temp"';
    const errors = errorsOf(query);
    assert.equal(errors.length, 1);
    const [error] = errors;
    assert.equal(error!.code, 'KS142');
    assert.match(error!.message, /FolderPth/);
    assert.equal(error!.start, query.indexOf('FolderPth'));
    assert.equal(error!.length, 'FolderPth'.length);
  });

  test('an unknown table is an error located on the name', () => {
    const query = 'DeviceFileEvent | take 1';
    const [error, ...rest] = errorsOf(query);
    assert.deepEqual(rest, []);
    assert.equal(error!.start, 0);
    assert.equal(error!.length, 'DeviceFileEvent'.length);
  });

  test('a missing expression is a syntax error at the end of the text', () => {
    const query = 'DeviceFileEvents | project x=';
    const errors = errorsOf(query);
    assert.ok(errors.length >= 1);
    assert.ok(errors.some(e => e.start === query.length && /expression/i.test(e.message)));
  });

  test('summarize names default aggregate columns count_, set_X and max_X, after the by columns', () => {
    const query = 'DeviceFileEvents | summarize count(), make_set(FileName), max(Timestamp) by DeviceName';
    assert.deepEqual(kustoResultColumns(query, DEFENDER_TABLES).columns, [
      { name: 'DeviceName', type: 'string' },
      { name: 'count_', type: 'long' },
      { name: 'set_FileName', type: 'dynamic' },
      { name: 'max_Timestamp', type: 'datetime' },
    ]);
  });

  test('outer union splits a same-name column of different types into name_type columns', () => {
    const query = 'union (datatable(x:long)[1]), (datatable(x:string)["a"])';
    assert.deepEqual(kustoResultColumns(query, {}).columns, [
      { name: 'x_long', type: 'long' },
      { name: 'x_string', type: 'string' },
    ]);
  });

  test('caller-given tables are used as given', () => {
    const query = 'T | extend Doubled = Size * 2';
    assert.deepEqual(kustoResultColumns(query, { T: [{ name: 'Size', type: 'int' }] }).columns, [
      { name: 'Size', type: 'int' },
      { name: 'Doubled', type: 'long' },
    ]);
  });

  test('an unknown type name in a schema is refused, not bound as unknown', () => {
    assert.throws(() => kustoResultColumns('T', { T: [{ name: 'a', type: 'strng' }] }), /unknown Kusto type 'strng'/);
  });
});
