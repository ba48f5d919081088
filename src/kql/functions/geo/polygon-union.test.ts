/** Spherical polygon union in S2's canonical loop order, and geo_union_polygons_array built on it. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DynamicValue } from '../../values/types.js';
import { compileQuery, KqlError } from '../../index.js';
import { callScalar, type Typed } from '../test-support.js';
import { fromLngLat, toLngLat } from './sphere.js';
import { type NumberedLoop, type Region, loopsContain, rotateToCanonical, unionPair, unionRegions, regionPolygons } from './polygon-union.js';

const dyn = (v: DynamicValue): Typed => [v, 'dynamic'];

function square(lng: number, lat: number, size: number): Region {
  const corners: [number, number][] = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size]];
  return [{ vertices: corners.map(([x, y]) => fromLngLat(x, y)), ids: [0, 0, 0, 0] }];
}

function lngLats(loop: NumberedLoop): number[][] {
  return loop.vertices.map((v) => toLngLat(v).map((x) => Math.round(x * 1e9) / 1e9));
}

describe('rotateToCanonical', () => {
  const loop = (ids: number[]): NumberedLoop => ({ vertices: ids.map((_, i) => fromLngLat(i, 0)), ids });
  test('puts the largest input edge last', () => {
    assert.deepEqual(rotateToCanonical(loop([2, 3, 0, 1])).ids, [0, 1, 2, 3]);
  });
  test('keeps the pieces of a split largest edge together, last', () => {
    assert.deepEqual(rotateToCanonical(loop([7, 7, 4, 5, 6, 7])).ids, [4, 5, 6, 7, 7, 7]);
  });
  test('moves the vertices with their edges', () => {
    const rotated = rotateToCanonical(loop([5, 1, 2]));
    assert.deepEqual(rotated.ids, [1, 2, 5]);
    assert.deepEqual(toLngLat(rotated.vertices[0]!).map(Math.round), [1, 0]);
  });
});

describe('unionPair', () => {
  test('disjoint polygons stay two shells, ordered by their first input edge', () => {
    const union = unionPair(square(10, 10, 1), square(0, 0, 1));
    assert.equal(union.length, 2);
    assert.deepEqual(lngLats(union[0]!)[0], [10, 10]);
    assert.deepEqual(lngLats(union[1]!)[0], [0, 0]);
  });
  test('a shared edge walked in opposite directions disappears; its end vertices stay', () => {
    const union = unionPair(square(0, 0, 1), square(1, 0, 1));
    assert.equal(union.length, 1);
    // The second square's last edge (2,1)→(1,1) has the largest input edge number: it comes last.
    assert.deepEqual(lngLats(union[0]!), [[1, 1], [0, 1], [0, 0], [1, 0], [2, 0], [2, 1]]);
  });
  test('corners computed twice (a rounding apart) are one vertex: the shared edge still vanishes', () => {
    const right = square(1, 0, 1);
    right[0]!.vertices[3] = fromLngLat(1 + 1e-14, 1);
    const union = unionPair(square(0, 0, 1), right);
    assert.equal(union.length, 1);
    assert.equal(union[0]!.vertices.length, 6);
  });
  test('crossing squares gain the crossing points and lose the vertices inside the other', () => {
    const union = unionPair(square(0, 0, 2), square(1, 1, 2));
    assert.equal(union.length, 1);
    assert.equal(union[0]!.vertices.length, 8);
    const points = lngLats(union[0]!).map((p) => p.join(','));
    assert.ok(!points.includes('1,1') && !points.includes('2,2'), 'vertices inside the other square are gone');
    assert.ok(points.some((p) => p.startsWith('2,1.')), 'the crossing near (2, 1) is a vertex');
  });
  test('a polygon inside another leaves only the outer one', () => {
    const union = unionPair(square(0, 0, 4), square(1, 1, 1));
    assert.equal(union.length, 1);
    assert.equal(union[0]!.vertices.length, 4);
  });
});

describe('unionRegions', () => {
  test('merges the polygons with the fewest vertices first; nothing to merge is undefined', () => {
    assert.equal(unionRegions([]), undefined);
    const union = unionRegions([square(0, 0, 1), square(1, 0, 1), square(2, 0, 1)])!;
    assert.equal(union.length, 1);
    assert.equal(union[0]!.vertices.length, 8);
  });
  test('a ring of squares around a gap gives a shell and a clockwise hole', () => {
    const cells: Region[] = [];
    for (let x = 0; x < 3; x++) for (let y = 0; y < 3; y++) if (x !== 1 || y !== 1) cells.push(square(x, y, 1));
    const polygons = regionPolygons(unionRegions(cells)!);
    assert.equal(polygons.length, 1);
    assert.equal(polygons[0]!.length, 2);
    assert.equal(polygons[0]![1]!.length, 4);
  });
});

describe('geo_union_polygons_array', () => {
  const a = { type: 'Polygon', coordinates: [[[-73.9495, 40.7969], [-73.95807, 40.80068], [-73.98201, 40.76825], [-73.97317, 40.76455], [-73.9495, 40.7969]]] };
  const b = { type: 'Polygon', coordinates: [[[-73.94622, 40.79249], [-73.96888, 40.79282], [-73.9577, 40.7789], [-73.94622, 40.79249]]] };
  test('the docs example: one polygon starting where the first input starts, crossings added', () => {
    const union = callScalar('geo_union_polygons_array', [dyn([a, b])]) as { type: string; coordinates: number[][][] };
    assert.equal(union.type, 'Polygon');
    const ring = union.coordinates[0]!;
    assert.equal(ring.length, 12);
    assert.deepEqual(ring[0], ring[11]);
    assert.ok(Math.abs(ring[2]![0]! - -73.9639277517478) < 1e-12 && Math.abs(ring[2]![1]! - 40.792748258673875) < 1e-12);
  });
  test('disjoint inputs give a MultiPolygon; a single input is itself', () => {
    const far = { type: 'Polygon', coordinates: [[[10, 10], [11, 10], [11, 11], [10, 10]]] };
    assert.equal((callScalar('geo_union_polygons_array', [dyn([a, far])]) as { type: string }).type, 'MultiPolygon');
    assert.equal((callScalar('geo_union_polygons_array', [dyn([far])]) as { coordinates: unknown[][] }).coordinates[0]!.length, 4);
  });
  test('an invalid polygon, a non-array or an empty array is null', () => {
    assert.equal(callScalar('geo_union_polygons_array', [dyn([a, { type: 'Polygon', coordinates: [[[-73.94622, 40.79249]]] }])]), null);
    assert.equal(callScalar('geo_union_polygons_array', [dyn(a)]), null);
    assert.equal(callScalar('geo_union_polygons_array', [dyn([])]), null);
  });
  test('wrong arity or argument type is a binder diagnostic at the call', () => {
    for (const query of ['print x = geo_union_polygons_array()', 'print\n  x = geo_union_polygons_array("a")']) {
      assert.throws(() => compileQuery(query, { tables: { tableSchema: () => undefined, tableNames: () => [], scan: () => { throw new Error('no tables'); } }, now: 0n }), (e: unknown) => {
        assert.ok(e instanceof KqlError);
        const [d] = e.diagnostics;
        assert.ok(d && d.line === (query.includes('\n') ? 2 : 1) && d.column > 1, JSON.stringify(d));
        return true;
      });
    }
  });
});

describe('overlapping parts of a MultiPolygon count once', () => {
  const first = [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]];
  const second = [[[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]];
  const overlapping = { type: 'MultiPolygon', coordinates: [first, second] };
  const area = (v: DynamicValue): number => callScalar('geo_polygon_area', [dyn(v)]) as number;
  test('area and perimeter are those of the union', () => {
    const a = area({ type: 'Polygon', coordinates: first });
    const b = area({ type: 'Polygon', coordinates: second });
    const both = area(overlapping);
    assert.ok(both < a + b * 0.9 && both > a, `${both} between ${a} and ${a + b}`);
    const perimeter = callScalar('geo_polygon_perimeter', [dyn(overlapping)]) as number;
    const single = callScalar('geo_polygon_perimeter', [dyn({ type: 'Polygon', coordinates: first })]) as number;
    assert.ok(Math.abs(perimeter - 1.5 * single) < single * 0.01, `two 2x2 squares overlapping by 1x1: outline 12 of 16 (${perimeter} vs ${single})`);
  });
  test('the centroid of the union lies on the diagonal, in the middle', () => {
    const c = callScalar('geo_polygon_centroid', [dyn(overlapping)]) as { coordinates: number[] };
    assert.ok(Math.abs(c.coordinates[0]! - 1.5) < 0.01 && Math.abs(c.coordinates[1]! - 1.5) < 0.01, JSON.stringify(c));
  });
  test('an invalid part is still null', () => {
    assert.equal(callScalar('geo_polygon_area', [dyn({ type: 'MultiPolygon', coordinates: [first, [[[1, 1]]]] })]), null);
  });
});

describe('geo_simplify_polygons_array', () => {
  const a = { type: 'Polygon', coordinates: [[[-73.9495, 40.7969], [-73.95807, 40.80068], [-73.98201, 40.76825], [-73.97317, 40.76455], [-73.9495, 40.7969]]] };
  const b = { type: 'Polygon', coordinates: [[[-73.94622, 40.79249], [-73.96888, 40.79282], [-73.9577, 40.7789], [-73.94622, 40.79249]]] };
  const simplify = (items: DynamicValue, tolerance?: number): DynamicValue =>
    callScalar('geo_simplify_polygons_array', tolerance === undefined ? [dyn(items)] : [dyn(items), [tolerance, 'real']]) as DynamicValue;
  test('the union, with vertices nearer than the tolerance dropped', () => {
    const exact = simplify([a, b], 0) as { type: string; coordinates: number[][][] };
    assert.equal(exact.type, 'Polygon');
    assert.equal(exact.coordinates[0]!.length, 12);
    const coarse = simplify([a, b], 500) as { coordinates: number[][][] };
    assert.ok(coarse.coordinates[0]!.length < 12 && coarse.coordinates[0]!.length >= 4, JSON.stringify(coarse));
    assert.equal((simplify([a, b]) as { coordinates: number[][][] }).coordinates[0]!.length, 12, 'the default 10 m keeps every vertex here');
  });
  test('a tolerance larger than the shapes leaves nothing: null', () => {
    assert.equal(simplify([a, b], 10000), null);
  });
  test('an invalid polygon or a negative tolerance is null', () => {
    assert.equal(simplify([a, { type: 'Polygon', coordinates: [[[-73.94622, 40.79249]]] }]), null);
    assert.equal(simplify([a, b], -1), null);
    assert.equal(simplify({ type: 'Polygon' }), null);
  });
});

describe('loopsContain', () => {
  const ring = (lng: number, lat: number, size: number) => square(lng, lat, size)[0]!.vertices;
  test('works for loops a few millimetres across', () => {
    const tiny = ring(-80.666, 24.894, 1e-8);
    assert.ok(loopsContain([tiny], fromLngLat(-80.666 + 5e-9, 24.894 + 5e-9)));
    assert.ok(!loopsContain([tiny], fromLngLat(-80.666 + 2e-8, 24.894 + 5e-9)));
  });
  test('counts holes out (even–odd), and falls back to the sphere for far loops', () => {
    assert.ok(!loopsContain([ring(0, 0, 4), ring(1, 1, 1).reverse()], fromLngLat(1.5, 1.5)));
    assert.ok(loopsContain([ring(0, 0, 4), ring(1, 1, 1).reverse()], fromLngLat(3, 3)));
    assert.ok(!loopsContain([ring(0, 0, 4)], fromLngLat(180, 0)));
  });
});
