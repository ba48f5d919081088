/** geo_line_buffer and geo_polygon_buffer: the region within a radius, to the tolerance; invalid input is null. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DynamicValue } from '../../values/types.js';
import { compileQuery, KqlError } from '../../index.js';
import { callScalar, type Typed } from '../test-support.js';
import { circleVertexCount } from './buffer.js';

const dyn = (v: DynamicValue): Typed => [v, 'dynamic'];
const num = (v: number): Typed => [v, 'real'];
type Shape = { type: string; coordinates: number[][][] | number[][][][] };

const area = (shape: DynamicValue): number => callScalar('geo_polygon_area', [dyn(shape)]) as number;
const length = (shape: DynamicValue): number => callScalar('geo_line_length', [dyn(shape)]) as number;
const pointInside = (lng: number, lat: number, shape: DynamicValue): boolean => callScalar('geo_point_in_polygon', [num(lng), num(lat), dyn(shape)]) as boolean;

describe('circleVertexCount', () => {
  test('more vertices for a finer tolerance, within [8, 4096]', () => {
    assert.equal(circleVertexCount(1000, 1000), 8);
    assert.ok(circleVertexCount(1000, 1) > circleVertexCount(1000, 10));
    assert.equal(circleVertexCount(1e7, 1e-9), 4096);
  });
});

describe('geo_line_buffer', () => {
  const line = { type: 'LineString', coordinates: [[-80.66634997047466, 24.894526340592122], [-80.67373241820246, 24.890808090321286]] };
  test('a band with round ends: area 2·r·length + π·r² within the tolerance', () => {
    const buffer = callScalar('geo_line_buffer', [dyn(line), num(4), num(0.1)]) as Shape;
    assert.equal(buffer.type, 'Polygon');
    const ideal = 2 * 4 * length(line) + Math.PI * 16;
    const lowest = 2 * 3.9 * length(line) + Math.PI * 3.9 * 3.9;
    const a = area(buffer);
    assert.ok(a <= ideal && a >= lowest, `${a} in [${lowest}, ${ideal}]`);
    assert.ok(pointInside(-80.66634997047466, 24.894526340592122, buffer), 'the line start is inside');
    assert.ok(!pointInside(-80.6660, 24.8945, buffer), 'a point 30 m away is outside');
  });
  test('a MultiLineString of crossing lines gives one polygon; far apart lines a MultiPolygon', () => {
    const cross = { type: 'MultiLineString', coordinates: [[[0, 0], [0.001, 0]], [[0.0005, -0.0005], [0.0005, 0.0005]]] };
    assert.equal((callScalar('geo_line_buffer', [dyn(cross), num(5)]) as Shape).type, 'Polygon');
    const apart = { type: 'MultiLineString', coordinates: [[[0, 0], [0.001, 0]], [[1, 1], [1.001, 1]]] };
    assert.equal((callScalar('geo_line_buffer', [dyn(apart), num(5)]) as Shape).type, 'MultiPolygon');
  });
  test('a tolerance above the radius is lowered below it', () => {
    assert.equal((callScalar('geo_line_buffer', [dyn(line), num(4), num(100)]) as Shape).type, 'Polygon');
  });
  test('invalid line, radius or tolerance is null', () => {
    assert.equal(callScalar('geo_line_buffer', [dyn({ type: 'LineString' }), num(5)]), null);
    assert.equal(callScalar('geo_line_buffer', [dyn({ type: 'LineString', coordinates: [[0, 0], [1, 1]] }), num(0)]), null);
    assert.equal(callScalar('geo_line_buffer', [dyn(line), num(-3)]), null);
    assert.equal(callScalar('geo_line_buffer', [dyn(line), num(1000), num(1e-5)]), null, 'tolerance under 0.0001% of the radius');
  });
});

describe('geo_polygon_buffer', () => {
  const polygon = { type: 'Polygon', coordinates: [[[139.813757, 35.719666], [139.72558, 35.71813], [139.727471, 35.653231], [139.818721, 35.657264], [139.813757, 35.719666]]] };
  test('grows the polygon by the radius: area ≈ A + perimeter·r + π·r²', () => {
    const buffer = callScalar('geo_polygon_buffer', [dyn(polygon), num(10000)]) as Shape;
    assert.equal(buffer.type, 'Polygon');
    const perimeter = callScalar('geo_polygon_perimeter', [dyn(polygon)]) as number;
    const ideal = area(polygon) + perimeter * 10000 + Math.PI * 1e8;
    const a = area(buffer);
    assert.ok(a <= ideal && a > ideal * 0.995, `${a} vs ${ideal}`);
    assert.ok(pointInside(139.77, 35.69, buffer) && pointInside(139.9, 35.69, buffer) && !pointInside(140, 35.69, buffer));
  });
  test('invalid polygon or radius is null', () => {
    assert.equal(callScalar('geo_polygon_buffer', [dyn({ type: 'p' }), num(1)]), null);
    assert.equal(callScalar('geo_polygon_buffer', [dyn({ type: 'Polygon', coordinates: [[[10, 10], [0, 10], [0, 0], [10, 10]]] }), num(0)]), null);
  });
});

describe('buffer functions in a query', () => {
  const tables = { tableSchema: () => undefined, tableNames: () => [], scan: () => { throw new Error('no tables'); } };
  test('wrong arity or argument types are binder diagnostics at the call', () => {
    for (const query of ['print geo_line_buffer(dynamic(null))', 'print\n  b = geo_polygon_buffer(dynamic(null), "far")']) {
      assert.throws(() => compileQuery(query, { tables, now: 0n }), (e: unknown) => {
        assert.ok(e instanceof KqlError);
        const [d] = e.diagnostics;
        assert.ok(d && d.line === (query.includes('\n') ? 2 : 1) && d.column > 1, JSON.stringify(d));
        return true;
      });
    }
  });
});
