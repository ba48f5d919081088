/** Kusto's geo_* functions against the examples of their documentation pages (expected values from the docs). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DynamicValue } from '../../values/types.js';
import { bindScalar, callScalar, resultType, type Typed } from '../test-support.js';
import { encodeGeohash, decodeGeohash } from './geohash.js';
import { cellToToken, pointToCell, tokenToCell, cellLevel } from './s2.js';
import { fromLngLat } from './sphere.js';

const num = (v: number): Typed => [v, 'real'];
const dyn = (v: DynamicValue): Typed => [v, 'dynamic'];
const str = (v: string): Typed => [v, 'string'];
const int = (v: number | null): Typed => [v, 'int'];

function close(actual: unknown, expected: number, relative = 1e-9): void {
  assert.equal(typeof actual, 'number', `expected a number, got ${String(actual)}`);
  assert.ok(Math.abs((actual as number) - expected) <= Math.abs(expected) * relative + 1e-12, `${String(actual)} ≈ ${expected}`);
}

function closePoint(actual: unknown, lng: number, lat: number): void {
  const point = actual as { type: string; coordinates: number[] };
  assert.equal(point.type, 'Point');
  close(point.coordinates[0], lng);
  close(point.coordinates[1], lat);
}

const CENTRAL_PARK = {
  type: 'Polygon',
  coordinates: [[[-73.9495, 40.7969], [-73.95807266235352, 40.80068603561921], [-73.98201942443848, 40.76825672305777], [-73.97317886352539, 40.76455136505513], [-73.9495, 40.7969]]],
};
const VEGAS_ROAD = {
  type: 'LineString',
  coordinates: [[-115.115385, 36.229195], [-115.136995, 36.200366], [-115.140252, 36.19247], [-115.143558, 36.188523], [-115.144076, 36.181954], [-115.154662, 36.174483], [-115.166431, 36.176388], [-115.183289, 36.175007], [-115.192612, 36.176736], [-115.202485, 36.173439], [-115.225355, 36.174365]],
};
const DEGENERATE_POLYGON = { type: 'Polygon', coordinates: [[[0, 0], [10, 10], [10, 10], [0, 0]]] };

describe('geo distances, lengths and areas', () => {
  test('geo_distance_2points', () => {
    close(callScalar('geo_distance_2points', [num(-122.407628), num(47.578557), num(-118.275287), num(34.019056)]), 1546754.35197381);
    assert.equal(callScalar('geo_distance_2points', [num(300), num(1), num(1), num(1)]), null);
    assert.equal(resultType(bindScalar('geo_distance_2points', ['real', 'real', 'long', 'int'])), 'real');
  });
  test('geo_distance_point_to_line', () => {
    close(callScalar('geo_distance_point_to_line', [num(-115.199625), num(36.210419), dyn(VEGAS_ROAD)]), 3797.88887253334);
    assert.equal(callScalar('geo_distance_point_to_line', [num(1), num(1), dyn({ type: 'LineString' })]), null);
    assert.equal(callScalar('geo_distance_point_to_line', [num(300), num(3), dyn({ type: 'LineString', coordinates: [[1, 1], [2, 2]] })]), null);
  });
  test('geo_distance_point_to_polygon', () => {
    close(callScalar('geo_distance_point_to_polygon', [num(-73.9839), num(40.7705), dyn(CENTRAL_PARK)]), 259.940756070596);
    assert.equal(callScalar('geo_distance_point_to_polygon', [num(-73.96), num(40.785), dyn(CENTRAL_PARK)]), 0);
    assert.equal(callScalar('geo_distance_point_to_polygon', [num(1), num(1), dyn(DEGENERATE_POLYGON)]), null);
  });
  test('geo_line_length, geo_polygon_area, geo_polygon_perimeter', () => {
    const line = { type: 'LineString', coordinates: [[-73.95807266235352, 40.800426144169315], [-73.94966125488281, 40.79691751000055], [-73.97317886352539, 40.764486356930334]] };
    close(callScalar('geo_line_length', [dyn(line)]), 4922.48016992081);
    const multi = { type: 'MultiLineString', coordinates: [[[-73.95798683166502, 40.800556090021466], [-73.98193359375, 40.76819171855746]], [[-73.94940376281738, 40.79691751000055], [-73.97317886352539, 40.76435634049001]]] };
    close(callScalar('geo_line_length', [dyn(multi)]), 8262.24339753741);
    assert.equal(callScalar('geo_line_length', [dyn({ type: 'LineString', coordinates: [[1, 1]] })]), null);
    close(callScalar('geo_polygon_area', [dyn(CENTRAL_PARK)]), 3475207.28346606);
    close(callScalar('geo_polygon_perimeter', [dyn(CENTRAL_PARK)]), 9930.30149604938);
    assert.equal(callScalar('geo_polygon_area', [dyn(DEGENERATE_POLYGON)]), null);
    assert.equal(callScalar('geo_polygon_perimeter', [dyn(DEGENERATE_POLYGON)]), null);
  });
  test('a ring given clockwise still means the smaller region', () => {
    const reversed = { type: 'Polygon', coordinates: [[...CENTRAL_PARK.coordinates[0]!].reverse()] };
    close(callScalar('geo_polygon_area', [dyn(reversed)]), 3475207.28346606);
    assert.equal(callScalar('geo_point_in_polygon', [num(-73.96), num(40.785), dyn(reversed)]), true);
  });
  test('geo_angle and geo_azimuth', () => {
    close(callScalar('geo_angle', [num(0), num(10), num(0), num(5), num(3), num(-10)]), 2.94493843406882);
    assert.equal(callScalar('geo_angle', [num(0), num(10), num(0), num(10), num(3), num(-10)]), null);
    close(callScalar('geo_azimuth', [num(5), num(10), num(10), num(-40)]), 3.05459939796449);
    assert.equal(callScalar('geo_azimuth', [num(5), num(10), num(5), num(10)]), null);
  });
});

describe('geo predicates', () => {
  test('geo_point_in_circle', () => {
    assert.equal(callScalar('geo_point_in_circle', [num(-122.143564), num(47.535677), num(-122.100896), num(47.527351), num(3500)]), true);
    assert.equal(callScalar('geo_point_in_circle', [num(-122.137575), num(47.630683), num(-122.100896), num(47.527351), num(3500)]), false);
    assert.equal(callScalar('geo_point_in_circle', [num(200), num(1), num(1), num(1), num(1)]), null);
    assert.equal(callScalar('geo_point_in_circle', [num(1), num(1), num(1), num(1), num(-1)]), null);
  });
  test('geo_point_in_polygon: Manhattan without Central Park (a hole)', () => {
    const manhattan = {
      type: 'Polygon',
      coordinates: [
        [[-73.92597198486328, 40.87821814104651], [-73.94691467285156, 40.85069618625578], [-73.94691467285156, 40.841865966890786], [-74.01008605957031, 40.7519385984599], [-74.01866912841797, 40.704586878965245], [-74.01214599609375, 40.699901911003046], [-73.99772644042969, 40.70875101828792], [-73.97747039794922, 40.71083299030839], [-73.97026062011719, 40.7290474687069], [-73.97506713867186, 40.734510840309376], [-73.970947265625, 40.74543623770158], [-73.94210815429688, 40.77586181063573], [-73.9434814453125, 40.78080140115127], [-73.92974853515625, 40.79691751000055], [-73.93077850341797, 40.804454347291006], [-73.93489837646484, 40.80965166748853], [-73.93524169921875, 40.837190668541105], [-73.92288208007812, 40.85770758108904], [-73.9101791381836, 40.871728144624974], [-73.92597198486328, 40.87821814104651]],
        [[-73.95824432373047, 40.80071852197889], [-73.98206233978271, 40.76815921628347], [-73.97309303283691, 40.76422632379533], [-73.94914627075195, 40.796949998204596], [-73.95824432373047, 40.80071852197889]],
      ],
    };
    assert.equal(callScalar('geo_point_in_polygon', [num(-73.985654), num(40.748487), dyn(manhattan)]), true);
    assert.equal(callScalar('geo_point_in_polygon', [num(-73.963249), num(40.779525), dyn(manhattan)]), false);
    assert.equal(callScalar('geo_point_in_polygon', [num(-73.874367), num(40.777356), dyn(manhattan)]), false);
    assert.equal(callScalar('geo_point_in_polygon', [num(200), num(1), dyn({ type: 'Polygon', coordinates: [[[0, 0], [10, 10], [10, 1], [0, 0]]] })]), null);
    assert.equal(callScalar('geo_point_in_polygon', [num(1), num(1), dyn(DEGENERATE_POLYGON)]), null);
  });
  test('geo_intersects_2lines, geo_intersects_line_with_polygon, geo_intersects_2polygons', () => {
    const line1 = { type: 'LineString', coordinates: [[-73.978929, 40.785155], [-73.980903, 40.782621]] };
    const line2 = { type: 'LineString', coordinates: [[-73.985195, 40.788275], [-73.974552, 40.779761]] };
    assert.equal(callScalar('geo_intersects_2lines', [dyn(line1), dyn(line2)]), true);
    assert.equal(callScalar('geo_intersects_2lines', [dyn(line1), dyn({ type: 'LineString', coordinates: [[-73.985195, 40.788275]] })]), null);
    const triangle = { type: 'Polygon', coordinates: [[[-73.9712905883789, 40.78580561168767], [-73.98004531860352, 40.775276834803655], [-73.97000312805176, 40.77852663535664], [-73.9712905883789, 40.78580561168767]]] };
    assert.equal(callScalar('geo_intersects_line_with_polygon', [dyn(line2), dyn(triangle)]), true);
    assert.equal(callScalar('geo_intersects_line_with_polygon', [dyn({ type: 'LineString', coordinates: [[1, 1], [2, 2]] }), dyn(triangle)]), false);
    const p1 = { type: 'Polygon', coordinates: [[[-73.9630937576294, 40.77498840732385], [-73.963565826416, 40.774383111780914], [-73.96205306053162, 40.773745311181585], [-73.96160781383514, 40.7743912365898], [-73.9630937576294, 40.77498840732385]]] };
    const p2 = { type: 'Polygon', coordinates: [[[-73.96213352680206, 40.775045280447145], [-73.9631313085556, 40.774578106920345], [-73.96207988262177, 40.77416780398293], [-73.96213352680206, 40.775045280447145]]] };
    assert.equal(callScalar('geo_intersects_2polygons', [dyn(p1), dyn(p2)]), true);
    assert.equal(callScalar('geo_intersects_2polygons', [dyn({ type: 'Polygon' }), dyn(CENTRAL_PARK)]), null);
  });
});

describe('geo constructions', () => {
  test('centroids, closest points, interpolation and location on a line', () => {
    closePoint(callScalar('geo_polygon_centroid', [dyn(CENTRAL_PARK)]), -73.965735689907618, 40.782550538057812);
    const line = { type: 'LineString', coordinates: [[-73.95796, 40.80042], [-73.97317, 40.764486]] };
    closePoint(callScalar('geo_line_centroid', [dyn(line)]), -73.965567057230942, 40.782453249627416);
    closePoint(callScalar('geo_line_interpolate_point', [dyn(line), num(0.25)]), -73.961764043218281, 40.791436687257232);
    close(callScalar('geo_line_locate_point', [dyn(line), num(-73.965), num(40.792)]), 0.25560135100307552);
    closePoint(callScalar('geo_closest_point_on_line', [num(-115.199625), num(36.210419), dyn(VEGAS_ROAD)]), -115.192612, 36.176736);
    closePoint(callScalar('geo_closest_point_on_polygon', [num(-73.9839), num(40.7705), dyn(CENTRAL_PARK)]), -73.981205580153926, 40.769359452843211);
    assert.equal(callScalar('geo_line_centroid', [dyn({ type: 'LineString', coordinates: [[1, 1]] })]), null);
    assert.equal(callScalar('geo_closest_point_on_line', [num(300), num(3), dyn({ type: 'LineString', coordinates: [[1, 1], [2, 2]] })]), null);
  });
  test('geo_line_simplify and geo_polygon_simplify', () => {
    const line = { type: 'LineString', coordinates: [[-73.97033169865608, 40.789063020152824], [-73.97039607167244, 40.78897975920816], [-73.9704617857933, 40.78888837512432], [-73.97052884101868, 40.7887949601531], [-73.9706052839756, 40.788698498903564], [-73.97065222263336, 40.78862640672032], [-73.97072866559029, 40.78852791445617], [-73.97079303860664, 40.788434498977836]] };
    const simplified = callScalar('geo_line_simplify', [dyn(line), num(10)]) as { coordinates: number[][] };
    assert.equal(simplified.coordinates.length, 2);
    close(simplified.coordinates[1]![0], -73.97079303860664);
    assert.equal(callScalar('geo_line_simplify', [dyn({ type: 'LineString', coordinates: [[1, 1], [2, 2]] }), num(-1)]), null);
    assert.equal(callScalar('geo_line_simplify', [dyn({ type: 'LineString', coordinates: [[1.1, 1.1], [1.2, 1.2]] }), num(100000)]), null);
    const polygon = { type: 'Polygon', coordinates: [[[-73.94885122776031, 40.79673476355657], [-73.94885927438736, 40.79692258628347], [-73.94887939095497, 40.79692055577034], [-73.9488673210144, 40.79693476936093], [-73.94888743758202, 40.79693476936093], [-73.9488834142685, 40.796959135509105], [-73.94890084862709, 40.79695304397289], [-73.94906312227248, 40.79710736271788], [-73.94923612475395, 40.7968708081794], [-73.94885122776031, 40.79673476355657]]] };
    const ring = (callScalar('geo_polygon_simplify', [dyn(polygon)]) as { coordinates: number[][][] }).coordinates[0]!;
    assert.equal(ring.length, 4);
    close(ring[1]![0], -73.949063122272477);
    close(ring[2]![1], 40.7968708081794);
    assert.equal(callScalar('geo_polygon_simplify', [dyn({ type: 'Polygon', coordinates: [[[5, 48], [0, 50], [0, 47], [4, 47], [5, 48]]] }), num(1000000)]), null);
  });
  test('geo_polygon_densify adds points along planar edges', () => {
    assert.deepEqual(callScalar('geo_polygon_densify', [dyn({ type: 'Polygon', coordinates: [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]] })]), {
      type: 'Polygon',
      coordinates: [[[10, 10], [10.25, 10], [10.5, 10], [10.75, 10], [11, 10], [11, 11], [10.75, 11], [10.5, 11], [10.25, 11], [10, 11], [10, 10]]],
    });
    assert.equal(callScalar('geo_polygon_densify', [dyn({ type: 'Polygon', coordinates: [[[10, 900], [11, 10], [11, 11], [10, 11], [10, 10]]] })]), null);
    assert.equal(callScalar('geo_polygon_densify', [dyn({ type: 'Polygon', coordinates: [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]] }), num(0)]), null);
  });
  test('geo_intersection_2lines and geo_intersection_line_with_polygon', () => {
    const line1 = { type: 'LineString', coordinates: [[-73.978929, 40.785155], [-73.980903, 40.782621]] };
    const line2 = { type: 'LineString', coordinates: [[-73.985195, 40.788275], [-73.974552, 40.779761]] };
    closePoint(callScalar('geo_intersection_2lines', [dyn(line1), dyn(line2)]), -73.979837116670978, 40.783989289772165);
    const same = callScalar('geo_intersection_2lines', [dyn(line1), dyn(line1)]) as { type: string; coordinates: number[][] };
    assert.equal(same.type, 'LineString');
    close(same.coordinates[0]![0], -73.978929);
    close(same.coordinates[1]![1], 40.782621);
    assert.deepEqual(callScalar('geo_intersection_2lines', [dyn({ type: 'LineString', coordinates: [[1, 1], [2, 2]] }), dyn({ type: 'LineString', coordinates: [[3, 3], [4, 4]] })]), { type: 'GeometryCollection', geometries: [] });
    const polygon = { type: 'Polygon', coordinates: [[[-90.263, 36.738], [-102.041, 45.274], [-109.335, 36.527], [-90.263, 36.738]], [[-100.393, 41.705], [-103.139, 38.925], [-97.558, 39.113], [-100.393, 41.705]]] };
    const clipped = callScalar('geo_intersection_line_with_polygon', [dyn({ type: 'LineString', coordinates: [[-110.522, 39.198], [-91.428, 40.88]] }), dyn(polygon)]) as { type: string; coordinates: number[][][] };
    assert.equal(clipped.type, 'MultiLineString');
    close(clipped.coordinates[0]![0]![0], -106.89353655881905);
    close(clipped.coordinates[1]![1]![1], 40.799060242246348);
  });
  test('geo_union_lines_array merges shared edges into one line', () => {
    const a = { type: 'LineString', coordinates: [[-73.95683884620665, 40.80502891480884], [-73.95633727312088, 40.8057171711177], [-73.95489156246185, 40.80510200431311]] };
    const b = { type: 'LineString', coordinates: [[-73.95633727312088, 40.8057171711177], [-73.95489156246185, 40.80510200431311], [-73.95537436008453, 40.804413741624515]] };
    const union = callScalar('geo_union_lines_array', [dyn([a, b])]) as { type: string; coordinates: number[][] };
    assert.equal(union.type, 'LineString');
    assert.equal(union.coordinates.length, 4);
    close(union.coordinates[3]![1], 40.804413741624522);
    assert.equal(callScalar('geo_union_lines_array', [dyn([a, { type: 'LineString', coordinates: [[1, 1]] }])]), null);
  });
  test('geo_point_buffer: a circle polygon; invalid center or radius is null', () => {
    const buffer = callScalar('geo_point_buffer', [num(-115.1745008278), num(36.1497251277), num(20000)]) as { type: string; coordinates: number[][][] };
    assert.equal(buffer.type, 'Polygon');
    assert.equal(buffer.coordinates.length, 1);
    const ring = buffer.coordinates[0]!;
    assert.equal(callScalar('geo_point_in_polygon', [num(-115.1745008278), num(36.1497251277), dyn(buffer as unknown as DynamicValue)]), true);
    assert.equal(callScalar('geo_point_in_polygon', [num(-115.1745008278), num(36.35), dyn(buffer as unknown as DynamicValue)]), false);
    assert.deepEqual(ring[0], ring[ring.length - 1]);
    for (const [lng, lat] of ring.slice(0, 5)) {
      close(callScalar('geo_distance_2points', [num(-115.1745008278), num(36.1497251277), num(lng!), num(lat!)]), 20000, 1e-9);
    }
    assert.equal(callScalar('geo_point_buffer', [num(200), num(1), num(0.1)]), null);
    assert.equal(callScalar('geo_point_buffer', [num(10), num(10), num(-1)]), null);
    assert.equal(callScalar('geo_point_buffer', [num(10), num(10), num(1000), num(1e-5)]), null, 'tolerance under 0.0001% of the radius');
  });
  test('geo_point_buffer: the tolerance (default 10 m) sets how many vertices the circle gets', () => {
    const vertices = (...tolerance: number[]) => (callScalar('geo_point_buffer', [num(0), num(0), num(20000), ...tolerance.map(num)]) as { coordinates: number[][][] }).coordinates[0]!.length;
    assert.equal(vertices(), vertices(10));
    assert.ok(vertices(0.1) > vertices(10) && vertices(10) > vertices(1000));
    assert.equal(vertices(50000), vertices(19980), 'a tolerance above the radius is lowered below it');
  });
  test('geo_from_wkt', () => {
    assert.deepEqual(callScalar('geo_from_wkt', [str('POINT (1 2)')]), { type: 'Point', coordinates: [1, 2] });
    assert.deepEqual(callScalar('geo_from_wkt', [str('MULTIPOINT (1 1, 2 2, 3 3)')]), { type: 'MultiPoint', coordinates: [[1, 1], [2, 2], [3, 3]] });
    assert.deepEqual(callScalar('geo_from_wkt', [str('GEOMETRYCOLLECTION (POINT (1 1),LINESTRING (2 2, 3 3, 4 4),POLYGON ((10 10, 12 10, 12 12, 10 10)))')]), {
      type: 'GeometryCollection',
      geometries: [{ type: 'Point', coordinates: [1, 1] }, { type: 'LineString', coordinates: [[2, 2], [3, 3], [4, 4]] }, { type: 'Polygon', coordinates: [[[10, 10], [12, 10], [12, 12], [10, 10]]] }],
    });
    assert.equal(callScalar('geo_from_wkt', [str('LINESTRING')]), null);
    assert.equal(callScalar('geo_from_wkt', [str('POINT (1 2) trailing')]), null);
  });
});

describe('geohash cells', () => {
  test('geo_point_to_geohash', () => {
    assert.equal(callScalar('geo_point_to_geohash', [num(-80.195829), num(25.802215), int(8)]), 'dhwfz15h');
    assert.equal(callScalar('geo_point_to_geohash', [num(-122.303404), num(47.570482)]), 'c23n8');
    assert.equal(callScalar('geo_point_to_geohash', [num(-122.278156), num(47.566936)]), 'c23n9');
    assert.equal(callScalar('geo_point_to_geohash', [num(200), num(1), int(8)]), '');
    assert.equal(callScalar('geo_point_to_geohash', [num(1), num(1), int(null)]), '');
    assert.equal(resultType(bindScalar('geo_point_to_geohash', ['real', 'real'])), 'string');
  });
  test('geo_geohash_to_central_point, geo_geohash_to_polygon, geo_geohash_neighbors', () => {
    assert.deepEqual(callScalar('geo_geohash_to_central_point', [str('sunny')]), { type: 'Point', coordinates: [42.47314453125, 23.70849609375] });
    assert.equal(callScalar('geo_geohash_to_central_point', [str('a')]), null);
    assert.deepEqual(callScalar('geo_geohash_to_polygon', [str('dr5ru')]), {
      type: 'Polygon',
      coordinates: [[[-74.00390625, 40.7373046875], [-73.9599609375, 40.7373046875], [-73.9599609375, 40.78125], [-74.00390625, 40.78125], [-74.00390625, 40.7373046875]]],
    });
    assert.deepEqual(callScalar('geo_geohash_neighbors', [str('sunny')]), ['sunnt', 'sunpj', 'sunnx', 'sunpn', 'sunnv', 'sunpp', 'sunnz', 'sunnw']);
    assert.equal(callScalar('geo_geohash_neighbors', [str('a')]), null);
  });
  test('encode and decode round-trip', () => {
    const box = decodeGeohash(encodeGeohash(34.80245590209961, 32.15620994567871, 8))!;
    assert.ok(box.minLng <= 34.80245590209961 && 34.80245590209961 <= box.maxLng);
    assert.equal(decodeGeohash('sv8wzvy7a'.repeat(3)), undefined);
  });
});

describe('S2 cells', () => {
  test('geo_point_to_s2cell and tokens', () => {
    // 89c259 is a level-10 cell; its level-6 ancestor keeps 15 bits of 0x89c2 and sets the marker bit: 89c3.
    assert.equal(cellToToken(pointToCell(fromLngLat(-73.98, 40.76), 10)), '89c259');
    assert.equal(cellToToken(pointToCell(fromLngLat(-73.98, 40.76), 6)), '89c3');
    assert.equal(cellLevel(tokenToCell('89c259')!), 10);
    assert.equal(tokenToCell('a'), undefined);
    assert.equal(callScalar('geo_point_to_s2cell', [num(-73.956683), num(40.807907), int(10)]), '89c2f7');
    assert.equal(callScalar('geo_point_to_s2cell', [num(1), num(1), int(31)]), '');
  });
  test('geo_s2cell_to_polygon and geo_s2cell_neighbors', () => {
    const ring = (callScalar('geo_s2cell_to_polygon', [str('89c259')]) as { coordinates: number[][][] }).coordinates[0]!;
    const expected = [[-74.030012249838478, 40.8012684339439], [-74.030012249838478, 40.7222262918358], [-73.935982114337421, 40.708880489804564], [-73.935982114337421, 40.787917134506841], [-74.030012249838478, 40.8012684339439]];
    assert.equal(ring.length, expected.length);
    ring.forEach((p, i) => { close(p[0], expected[i]![0]!); close(p[1], expected[i]![1]!); });
    assert.deepEqual(callScalar('geo_s2cell_neighbors', [str('89c259')]), ['89c25d', '89c2f9', '89c251', '89c257', '89c25f', '89c25b', '89c2f7', '89c2f5']);
    assert.equal(callScalar('geo_s2cell_neighbors', [str('a')]), null);
    assert.equal(callScalar('geo_s2cell_to_polygon', [str('a')]), null);
  });
  test('geo_polygon_to_s2cells covers the polygon with cells of one level', () => {
    const polygon = { type: 'Polygon', coordinates: [[[0, 0], [0, 50], [100, 50], [0, 0]]] };
    assert.equal((callScalar('geo_polygon_to_s2cells', [dyn(polygon), int(5)]) as string[]).length, 286);
    assert.equal(callScalar('geo_polygon_to_s2cells', [dyn(polygon), int(30)]), null);
  });
  test('geo_line_to_s2cells covers the line, or everything within the radius of it', () => {
    const street = { type: 'LineString', coordinates: [[-0.1399656708283601, 51.50190802248855], [-0.14088438832752104, 51.50012082761452]] };
    const station = callScalar('geo_point_to_s2cell', [num(-0.13451078568013486), num(51.49919145858172), int(14)]) as string;
    const bare = callScalar('geo_line_to_s2cells', [dyn(street), int(14)]) as string[];
    const wide = callScalar('geo_line_to_s2cells', [dyn(street), int(14), num(500)]) as string[];
    assert.ok(!bare.includes(station) && wide.includes(station), 'a station 450 m away is only in the 500 m covering');
    assert.ok(bare.every((cell) => wide.includes(cell)));
    for (const end of street.coordinates) assert.ok(bare.includes(callScalar('geo_point_to_s2cell', [num(end[0]!), num(end[1]!), int(14)]) as string));
    assert.deepEqual(callScalar('geo_line_to_s2cells', [dyn({ type: 'LineString', coordinates: [[0.5, 0.5], [0.5, 0.6]] }), int(5)]), [callScalar('geo_point_to_s2cell', [num(0.5), num(0.5), int(5)])]);
  });
  test('geo_line_to_s2cells: invalid line, level or radius, or too many cells, is null', () => {
    const line = { type: 'LineString', coordinates: [[0, 0], [1, 1]] };
    assert.equal(callScalar('geo_line_to_s2cells', [dyn({ type: 'LineString', coordinates: [[[0, 0], [0, 0]]] })]), null);
    assert.equal(callScalar('geo_line_to_s2cells', [dyn(line), int(31)]), null);
    assert.equal(callScalar('geo_line_to_s2cells', [dyn(line), int(11), num(-1)]), null);
    assert.equal(callScalar('geo_line_to_s2cells', [dyn({ type: 'LineString', coordinates: [[0, 0], [0, 60]] }), int(30)]), null);
  });
});

describe('H3 cells', () => {
  test('geo_point_to_h3cell, level, parent, children', () => {
    assert.equal(callScalar('geo_point_to_h3cell', [num(-74.04450446039874), num(40.689250859314974), int(6)]), '862a1072fffffff');
    assert.equal(callScalar('geo_point_to_h3cell', [num(-73.956683), num(40.807907), int(5)]), '852a100bfffffff');
    assert.equal(callScalar('geo_point_to_h3cell', [num(1), num(1), int(16)]), '');
    assert.equal(callScalar('geo_h3cell_level', [str('862a1072fffffff')]), 6);
    assert.equal(resultType(bindScalar('geo_h3cell_level', ['string'])), 'int');
    assert.equal(callScalar('geo_h3cell_level', [str('abc')]), null);
    assert.equal(callScalar('geo_h3cell_parent', [str('862a1072fffffff')]), '852a1073fffffff');
    assert.equal(callScalar('geo_h3cell_parent', [str('862a1072fffffff'), int(1)]), '812a3ffffffffff');
    assert.equal(callScalar('geo_h3cell_parent', [str('862a1072fffffff'), int(15)]), '');
    assert.deepEqual(callScalar('geo_h3cell_children', [str('862a1072fffffff')]), ['872a10728ffffff', '872a10729ffffff', '872a1072affffff', '872a1072bffffff', '872a1072cffffff', '872a1072dffffff', '872a1072effffff']);
    assert.equal((callScalar('geo_h3cell_children', [str('862a1072fffffff'), int(9)]) as string[]).length, 343);
    assert.equal(callScalar('geo_h3cell_children', [str('892a1072fffffff'), int(15)]), null);
  });
  test('geo_h3cell_neighbors, rings, central point and polygon', () => {
    assert.deepEqual(callScalar('geo_h3cell_neighbors', [str('862a1072fffffff')]), ['862a10727ffffff', '862a10707ffffff', '862a1070fffffff', '862a10777ffffff', '862a100dfffffff', '862a100d7ffffff']);
    assert.deepEqual((callScalar('geo_h3cell_rings', [str('861f8894fffffff'), int(1)]) as string[][])[1], ['861f88947ffffff', '861f8895fffffff', '861f88867ffffff', '861f8d497ffffff', '861f8d4b7ffffff', '861f8896fffffff']);
    assert.equal(callScalar('geo_h3cell_rings', [str('861f8894fffffff'), int(150)]), null);
    closePoint(callScalar('geo_h3cell_to_central_point', [str('862a1072fffffff')]), -74.016008479792447, 40.7041679083504);
    assert.equal(callScalar('geo_h3cell_to_central_point', [str('1')]), null);
    const ring = (callScalar('geo_h3cell_to_polygon', [str('862a1072fffffff')]) as { coordinates: number[][][] }).coordinates[0]!;
    close(ring[0]![0], -74.0022744646159);
    close(ring[1]![1], 40.727986222489115);
  });
  test('geo_polygon_to_h3cells finds the docs example cells', () => {
    const polygon = { type: 'Polygon', coordinates: [[[-3.659, 40.553], [-3.913, 40.409], [-3.729, 40.273], [-3.524, 40.44], [-3.659, 40.553]]] };
    const cells = callScalar('geo_polygon_to_h3cells', [dyn(polygon)]) as string[];
    assert.deepEqual([...cells].sort(), ['86390cb57ffffff', '86390cb0fffffff', '86390ca27ffffff', '86390cb87ffffff', '86390cb07ffffff', '86390ca2fffffff', '86390ca37ffffff', '86390cb17ffffff', '86390cb1fffffff', '86390cb8fffffff', '86390cba7ffffff', '86390ca07ffffff', '86390cbafffffff'].sort());
    assert.equal(callScalar('geo_polygon_to_h3cells', [dyn({ type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] })]), null);
  });
});
