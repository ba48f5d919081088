/** geo_* functions that measure or test shapes: distances, lengths, areas, angles and predicates. */
import type { ScalarFunction } from '../registry.js';
import type { DynamicValue, Value } from '../../values/types.js';
import { DYNAMIC, NUMBER } from '../common.js';
import { EARTH_RADIUS_METERS, angle, azimuth } from './sphere.js';
import {
  anyEdgesCross, distanceToEdges, lineEdges, parseLines, parsePolygons, polygonArea, polygonEdges,
  polygonsContain, toVec,
} from './shapes.js';
import { coordinate, geoScalar } from './define.js';
import { lineLength, locate } from './line-ops.js';
import { parseMergedPolygons } from './polygon-union.js';

const R = EARTH_RADIUS_METERS;

function distance2Points(args: Value[]): number | undefined {
  const a = coordinate(args[0]!, args[1]!);
  const b = coordinate(args[2]!, args[3]!);
  return a && b ? angle(toVec(a), toVec(b)) * R : undefined;
}

function distancePointToLine(args: Value[]): number | undefined {
  const p = coordinate(args[0]!, args[1]!);
  const lines = parseLines(args[2] as DynamicValue);
  if (!p || !lines) return undefined;
  return distanceToEdges(toVec(p), lines.flatMap((l) => [...lineEdges(l.map(toVec))])) * R;
}

function distancePointToPolygon(args: Value[]): number | undefined {
  const p = coordinate(args[0]!, args[1]!);
  const polygons = parsePolygons(args[2] as DynamicValue);
  if (!p || !polygons) return undefined;
  const v = toVec(p);
  if (polygonsContain(polygons, v)) return 0;
  return distanceToEdges(v, polygons.flatMap((polygon) => [...polygonEdges(polygon)])) * R;
}

function pointInCircle(args: Value[]): boolean | undefined {
  const p = coordinate(args[0]!, args[1]!);
  const c = coordinate(args[2]!, args[3]!);
  const radius = args[4] as number;
  if (!p || !c || !(radius >= 0)) return undefined;
  return angle(toVec(p), toVec(c)) * R <= radius;
}

function pointInPolygon(args: Value[]): boolean | undefined {
  const p = coordinate(args[0]!, args[1]!);
  const polygons = parsePolygons(args[2] as DynamicValue);
  return p && polygons ? polygonsContain(polygons, toVec(p)) : undefined;
}

function area(args: Value[]): number | undefined {
  const polygons = parseMergedPolygons(args[0] as DynamicValue);
  return polygons ? polygons.reduce((sum, p) => sum + polygonArea(p), 0) * R * R : undefined;
}

function perimeter(args: Value[]): number | undefined {
  const polygons = parseMergedPolygons(args[0] as DynamicValue);
  if (!polygons) return undefined;
  let sum = 0;
  for (const polygon of polygons) for (const [a, b] of polygonEdges(polygon)) sum += angle(a, b);
  return sum * R;
}

function length(args: Value[]): number | undefined {
  const lines = parseLines(args[0] as DynamicValue);
  return lines ? lines.reduce((sum, l) => sum + lineLength(l.map(toVec)), 0) * R : undefined;
}

/** Clockwise angle at point 2 from the line towards point 1 to the line towards point 3. */
function geoAngle(args: Value[]): number | undefined {
  const p1 = coordinate(args[0]!, args[1]!);
  const p2 = coordinate(args[2]!, args[3]!);
  const p3 = coordinate(args[4]!, args[5]!);
  if (!p1 || !p2 || !p3) return undefined;
  const first = azimuth(p2[0], p2[1], p1[0], p1[1]);
  const second = azimuth(p2[0], p2[1], p3[0], p3[1]);
  if (Number.isNaN(first) || Number.isNaN(second)) return undefined;
  const turn = second - first;
  return turn < 0 ? turn + 2 * Math.PI : turn;
}

function geoAzimuth(args: Value[]): number | undefined {
  const p1 = coordinate(args[0]!, args[1]!);
  const p2 = coordinate(args[2]!, args[3]!);
  if (!p1 || !p2) return undefined;
  const az = azimuth(p1[0], p1[1], p2[0], p2[1]);
  return Number.isNaN(az) ? undefined : az;
}

function locatePoint(args: Value[]): number | undefined {
  const lines = parseLines(args[0] as DynamicValue, false);
  const p = coordinate(args[1]!, args[2]!);
  return lines && p ? locate(lines[0]!.map(toVec), toVec(p)) : undefined;
}

function lineEdgesOf(value: Value) {
  const lines = parseLines(value as DynamicValue);
  return lines?.flatMap((l) => [...lineEdges(l.map(toVec))]);
}

function intersects2Lines(args: Value[]): boolean | undefined {
  const first = lineEdgesOf(args[0]!);
  const second = lineEdgesOf(args[1]!);
  return first && second ? anyEdgesCross(first, second) : undefined;
}

function intersectsLineWithPolygon(args: Value[]): boolean | undefined {
  const lines = parseLines(args[0] as DynamicValue);
  const polygons = parsePolygons(args[1] as DynamicValue);
  if (!lines || !polygons) return undefined;
  const vertices = lines.flat().map(toVec);
  if (vertices.some((v) => polygonsContain(polygons, v))) return true;
  const edges = lines.flatMap((l) => [...lineEdges(l.map(toVec))]);
  return anyEdgesCross(edges, polygons.flatMap((p) => [...polygonEdges(p)]));
}

function intersects2Polygons(args: Value[]): boolean | undefined {
  const first = parsePolygons(args[0] as DynamicValue);
  const second = parsePolygons(args[1] as DynamicValue);
  if (!first || !second) return undefined;
  const edgesOf = (ps: typeof first) => ps.flatMap((p) => [...polygonEdges(p)]);
  if (anyEdgesCross(edgesOf(first), edgesOf(second))) return true;
  const someVertexInside = (ps: typeof first, others: typeof first) =>
    ps.some((p) => p.loops[0]!.vertices.some((v) => polygonsContain(others, v)));
  return someVertexInside(first, second) || someVertexInside(second, first);
}

export function measureFunctions(): ScalarFunction[] {
  return [
    geoScalar('geo_distance_2points', [NUMBER, NUMBER, NUMBER, NUMBER], 'real', distance2Points),
    geoScalar('geo_distance_point_to_line', [NUMBER, NUMBER, DYNAMIC], 'real', distancePointToLine),
    geoScalar('geo_distance_point_to_polygon', [NUMBER, NUMBER, DYNAMIC], 'real', distancePointToPolygon),
    geoScalar('geo_point_in_circle', [NUMBER, NUMBER, NUMBER, NUMBER, NUMBER], 'bool', pointInCircle),
    geoScalar('geo_point_in_polygon', [NUMBER, NUMBER, DYNAMIC], 'bool', pointInPolygon),
    geoScalar('geo_polygon_area', [DYNAMIC], 'real', area),
    geoScalar('geo_polygon_perimeter', [DYNAMIC], 'real', perimeter),
    geoScalar('geo_line_length', [DYNAMIC], 'real', length),
    geoScalar('geo_angle', [NUMBER, NUMBER, NUMBER, NUMBER, NUMBER, NUMBER], 'real', geoAngle),
    geoScalar('geo_azimuth', [NUMBER, NUMBER, NUMBER, NUMBER], 'real', geoAzimuth),
    geoScalar('geo_line_locate_point', [DYNAMIC, NUMBER, NUMBER], 'real', locatePoint),
    geoScalar('geo_intersects_2lines', [DYNAMIC, DYNAMIC], 'bool', intersects2Lines),
    geoScalar('geo_intersects_line_with_polygon', [DYNAMIC, DYNAMIC], 'bool', intersectsLineWithPolygon),
    geoScalar('geo_intersects_2polygons', [DYNAMIC, DYNAMIC], 'bool', intersects2Polygons),
  ];
}

