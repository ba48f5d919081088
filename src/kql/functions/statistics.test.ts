/** covariance, weighted percentiles and buildschema; expected values from the Kusto docs pages cited per test. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArgInfo } from './registry.js';
import type { ScalarType, Value } from '../values/types.js';
import { aggregate, aggregateEntry } from './test-support.js';

const args = (...types: ScalarType[]): ArgInfo[] => types.map((type) => ({ type }));
const bindErrorOf = (name: string, infos: ArgInfo[]) => (aggregateEntry(name).bind(infos) as { error: string }).error;

describe('covariance family', () => {
  const xs = [1, 2, 3, 4, 5];
  const ys = [14, 10, 17, 20, 50];
  const pairs = xs.map((x, i) => [x, ys[i]!]);

  test('covariancep of the docs table is 16.4 (covariancep-aggregation-function.md); covariance divides by n − 1', () => {
    assert.equal(aggregate('covariancep', args('real', 'real'), pairs), 16.4);
    assert.ok(Math.abs((aggregate('covariance', args('real', 'real'), pairs) as number) - 20.5) < 1e-12);
  });

  test('covarianceif = 2142 and covariancepif = 2077.0909… over x % 3 == 0 (covarianceif / covariancepif docs)', () => {
    const rows = Array.from({ length: 100 }, (_, i) => i + 1).map((x) => [x, x % 2 === 0 ? x * 2 : x * 3, x % 3 === 0]);
    assert.ok(Math.abs((aggregate('covarianceif', args('long', 'long', 'bool'), rows) as number) - 2142) < 1e-9);
    assert.ok(Math.abs((aggregate('covariancepif', args('long', 'long', 'bool'), rows) as number) - 2077.09090909091) < 1e-9);
  });

  test('rows with a null are skipped; one pair and no pairs follow variance', () => {
    const withNulls = [...pairs, [null, 3], [7, null]];
    assert.ok(Math.abs((aggregate('covariancep', args('real', 'real'), withNulls) as number) - 16.4) < 1e-12);
    assert.equal(aggregate('covariance', args('long', 'long'), [[1, 2]]), 0);
    assert.equal(aggregate('covariancep', args('long', 'long'), [[1, 2]]), 0);
    assert.equal(aggregate('covariance', args('long', 'long'), []), 0);
    assert.equal(aggregate('covariancep', args('long', 'long'), []), null);
  });

  test('binding', () => {
    assert.match(bindErrorOf('covariance', args('long', 'string')), /argument 2 must be a number/);
    assert.match(bindErrorOf('covarianceif', args('long', 'long', 'long')), /argument 3 must be bool/);
    assert.match(bindErrorOf('covariance', args('long')), /expects 2 arguments/);
  });
});

describe('percentilew, percentilesw, percentilesw_array', () => {
  // percentilesw-aggregation-function.md: (ReqCount, LatencyBucket) = (8, 10), (6, 20), (3, 30), (1, 40).
  const rows = [[10, 8], [20, 6], [30, 3], [40, 1]];
  const constant = (value: Value, type: ScalarType = 'real'): ArgInfo => ({ type, constant: { value } });
  const column = (name: string): ArgInfo => ({ type: 'long', columnName: name });
  const percentArgs = [column('LatencyBucket'), column('ReqCount'), constant(50, 'long'), constant(75, 'long'), constant(99.9)];

  test('the docs example gives 20, 20, 40', () => {
    assert.deepEqual(aggregate('percentilesw', percentArgs, rows), [20, 20, 40]);
    assert.deepEqual(aggregate('percentilesw_array', percentArgs, rows), [20, 20, 40]);
    const arrayArgs = [column('LatencyBucket'), column('ReqCount'), constant([50, 75, 99.9], 'dynamic')];
    assert.deepEqual(aggregate('percentilesw_array', arrayArgs, rows), [20, 20, 40]);
    assert.equal(aggregate('percentilew', percentArgs.slice(0, 3), rows), 20);
  });

  test('automatic names and types as Kusto.Language gives them', () => {
    const agg = aggregateEntry('percentilesw');
    const names = ['LatencyBucket', 'ReqCount'];
    assert.deepEqual([0, 1, 2].map((i) => agg.outputName!(i, names, percentArgs)), [
      'percentile_LatencyBucket_50', 'percentile_LatencyBucket_75', 'percentile_LatencyBucket_99_9',
    ]);
    assert.equal(aggregateEntry('percentilesw_array').outputName!(0, names, percentArgs), 'percentiles_LatencyBucket');
    assert.deepEqual(aggregateEntry('percentilew').bind([{ type: 'int' }, { type: 'long' }, constant(50)]), { type: 'long' });
    assert.deepEqual(aggregateEntry('percentilew').bind([{ type: 'decimal' }, { type: 'int' }, constant(50)]), { type: 'real' });
  });

  test('null, zero and negative weights are skipped; no rows give null', () => {
    const noisy = [...rows, [1000, 0], [2000, -5], [3000, null], [null, 4]];
    assert.deepEqual(aggregate('percentilesw', percentArgs, noisy), [20, 20, 40]);
    assert.equal(aggregate('percentilew', percentArgs.slice(0, 3), []), null);
    assert.equal(aggregate('percentilesw_array', percentArgs, []), null);
  });

  test('binding', () => {
    assert.match(bindErrorOf('percentilew', [{ type: 'long' }, { type: 'real' }, constant(50)]), /integer weight/);
    assert.match(bindErrorOf('percentilew', [{ type: 'string' }, { type: 'long' }, constant(50)]), /number, datetime or timespan/);
    assert.match(bindErrorOf('percentilew', args('long', 'long', 'long')), /must be a constant/);
  });
});

describe('buildschema', () => {
  test('the docs example (buildschema-aggregation-function.md)', () => {
    const values: Value[] = [
      { x: 1, y: 3.5 },
      { x: 'somevalue', z: [1, 2, 3] },
      { y: { w: 'zzz' }, t: ['aa', 'bb'], z: ['foo'] },
    ];
    const schema = aggregate('buildschema', args('dynamic'), values.map((v) => [v]));
    assert.deepEqual(schema, {
      x: ['long', 'string'],
      y: ['double', { w: 'string' }],
      z: { '`indexer`': ['long', 'string'] },
      t: { '`indexer`': 'string' },
    });
    assert.deepEqual(Object.keys(schema as object), ['x', 'y', 'z', 't'], 'properties in order of first appearance');
  });

  test('primitives, nulls and no rows', () => {
    assert.deepEqual(aggregate('buildschema', args('dynamic'), [[true], [1], [null], ['s']]), ['bool', 'long', 'string']);
    assert.deepEqual(aggregate('buildschema', args('dynamic'), [[{ a: null, b: 1 }]]), { b: 'long' });
    assert.equal(aggregate('buildschema', args('dynamic'), []), null, 'summarize-operator.md: buildschema of no rows is null');
    assert.equal(aggregate('buildschema', args('dynamic'), [[null]]), null);
  });

  test('binding: the argument must be dynamic', () => {
    assert.match(bindErrorOf('buildschema', args('string')), /argument 1 must be dynamic/);
  });
});
