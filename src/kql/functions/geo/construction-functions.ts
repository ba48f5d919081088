/** geo_* functions that construct shapes: centroids, closest points, simplified/densified shapes, intersections, buffers, WKT. */
import type { ScalarFunction } from '../registry.js';
import type { DynamicValue, Value } from '../../values/types.js';
import { DYNAMIC, NUMBER, STRING, BOOL } from '../common.js';
import { type Vec3, EARTH_RADIUS_METERS, fromLngLat, norm, toLngLat } from './sphere.js';
import {
  type LngLat, asObject, lineEdges, parseLines, parsePolygons, polygonCentroid, polygonEdges, polygonsContain,
  toVec,
} from './shapes.js';
import { coordinate, geoScalar, lngLatJson, optionalNumber, pointJson } from './define.js';
import {
  clipLinesToPolygons, closestPointOnEdges, densifyChain, interpolate, intersectLines, linesCentroid,
  simplifyChain, unionLines,
} from './line-ops.js';
import { wktToGeoJson } from './wkt.js';
import { bufferRegion, circleVertexCount } from './buffer.js';
import { type Region, parseMergedPolygons, regionOf, regionPolygons, unionRegions } from './polygon-union.js';

const R = EARTH_RADIUS_METERS;
const DEFAULT_TOLERANCE_METERS = 10;

function closestPointOnLine(args: Value[]): DynamicValue | undefined {
  const p = coordinate(args[0]!, args[1]!);
  const lines = parseLines(args[2] as DynamicValue);
  if (!p || !lines) return undefined;
  const q = closestPointOnEdges(toVec(p), lines.flatMap((l) => [...lineEdges(l.map(toVec))]));
  return q && pointJson(q);
}

function closestPointOnPolygon(args: Value[]): DynamicValue | undefined {
  const p = coordinate(args[0]!, args[1]!);
  const polygons = parsePolygons(args[2] as DynamicValue);
  if (!p || !polygons) return undefined;
  const v = toVec(p);
  if (polygonsContain(polygons, v)) return pointJson(v);
  const q = closestPointOnEdges(v, polygons.flatMap((polygon) => [...polygonEdges(polygon)]));
  return q && pointJson(q);
}

function polygonCentroidJson(args: Value[]): DynamicValue | undefined {
  const polygons = parseMergedPolygons(args[0] as DynamicValue);
  if (!polygons) return undefined;
  const sum = polygons.map(polygonCentroid).reduce((a, b): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
  return norm(sum) === 0 ? undefined : pointJson(sum);
}

function lineCentroidJson(args: Value[]): DynamicValue | undefined {
  const lines = parseLines(args[0] as DynamicValue);
  if (!lines) return undefined;
  const c = linesCentroid(lines.map((l) => l.map(toVec)));
  return norm(c) === 0 ? undefined : pointJson(c);
}

function interpolatePoint(args: Value[]): DynamicValue | undefined {
  const lines = parseLines(args[0] as DynamicValue, false);
  const fraction = args[1] as number;
  if (!lines || !(fraction >= 0 && fraction <= 1)) return undefined;
  return pointJson(interpolate(lines[0]!.map(toVec), fraction));
}

function validTolerance(tolerance: number): boolean {
  return Number.isFinite(tolerance) && tolerance >= 0;
}

function simplifyLine(args: Value[]): DynamicValue | undefined {
  const lines = parseLines(args[0] as DynamicValue);
  const tolerance = optionalNumber(args, 1, DEFAULT_TOLERANCE_METERS);
  if (!lines || !validTolerance(tolerance)) return undefined;
  const simplified = lines.map((l) => simplifyChain(l.map(toVec), tolerance / R));
  if (simplified.some((l) => l.length < 2)) return undefined;
  return simplified.length === 1
    ? { type: 'LineString', coordinates: lngLatJson(simplified[0]!) }
    : { type: 'MultiLineString', coordinates: simplified.map(lngLatJson) };
}

function simplifyPolygon(args: Value[]): DynamicValue | undefined {
  const polygons = parsePolygons(args[0] as DynamicValue);
  const tolerance = optionalNumber(args, 1, DEFAULT_TOLERANCE_METERS);
  if (!polygons || !validTolerance(tolerance)) return undefined;
  const simplified = rawRings(args[0] as DynamicValue)!.map((rings) => rings.map((ring) => {
    const closed = ring.map(toVec);
    return simplifyChain(closed, tolerance / R);
  }));
  // A ring needs three distinct vertices plus its closing repeat.
  if (simplified.some((rings) => rings.some((ring) => ring.length < 4))) return undefined;
  return polygonJson(simplified.map((rings) => rings.map(lngLatJson)));
}

/** The rings of a valid Polygon/MultiPolygon as given (closed), one list per polygon. */
function rawRings(value: DynamicValue): LngLat[][][] | undefined {
  const obj = asObject(value)!;
  const coords = obj['coordinates'] as DynamicValue[];
  const polygons = (obj['type'] === 'Polygon' ? [coords] : coords) as LngLat[][][];
  return polygons.map((rings) => rings.map((ring) => ring.map((p) => [p[0], p[1]] as LngLat)));
}

function polygonJson(polygons: DynamicValue[][]): DynamicValue {
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };
}

/** Kusto accepts densification tolerances from 0.1 m to 10 km. */
function validDensifyTolerance(tolerance: number): boolean {
  return tolerance >= 0.1 && tolerance <= 10000;
}

function densifyPolygon(args: Value[]): DynamicValue | undefined {
  const polygons = parsePolygons(args[0] as DynamicValue);
  const tolerance = optionalNumber(args, 1, DEFAULT_TOLERANCE_METERS);
  if (!polygons || !validDensifyTolerance(tolerance)) return undefined;
  const rings = rawRings(args[0] as DynamicValue)!;
  return polygonJson(rings.map((polygon) => polygon.map((ring) => densifyChain(ring, tolerance))));
}

function densifyLine(args: Value[]): DynamicValue | undefined {
  const lines = parseLines(args[0] as DynamicValue);
  const tolerance = optionalNumber(args, 1, DEFAULT_TOLERANCE_METERS);
  if (!lines || !validDensifyTolerance(tolerance)) return undefined;
  const dense = lines.map((l) => densifyChain(l, tolerance));
  return dense.length === 1 ? { type: 'LineString', coordinates: dense[0]! } : { type: 'MultiLineString', coordinates: dense };
}

const EMPTY_COLLECTION: DynamicValue = { type: 'GeometryCollection', geometries: [] };

function linesJson(chains: Vec3[][]): DynamicValue {
  if (chains.length === 0) return EMPTY_COLLECTION;
  return chains.length === 1
    ? { type: 'LineString', coordinates: lngLatJson(chains[0]!) }
    : { type: 'MultiLineString', coordinates: chains.map(lngLatJson) };
}

function intersection2Lines(args: Value[]): DynamicValue | undefined {
  const first = parseLines(args[0] as DynamicValue, false);
  const second = parseLines(args[1] as DynamicValue, false);
  if (!first || !second) return undefined;
  const { points, segments } = intersectLines(first.map((l) => l.map(toVec)), second.map((l) => l.map(toVec)));
  const chains = unionLines(segments.map(([a, b]) => [a, b]));
  const pointShapes: DynamicValue[] = points.map(pointJson);
  if (pointShapes.length === 0) return linesJson(chains);
  if (chains.length === 0) {
    return points.length === 1 ? pointShapes[0]! : { type: 'MultiPoint', coordinates: points.map((p) => toLngLat(p)) };
  }
  return { type: 'GeometryCollection', geometries: [...pointShapes, linesJson(chains)] };
}

function intersectionLineWithPolygon(args: Value[]): DynamicValue | undefined {
  const lines = parseLines(args[0] as DynamicValue);
  const polygons = parsePolygons(args[1] as DynamicValue);
  if (!lines || !polygons) return undefined;
  return linesJson(clipLinesToPolygons(lines.map((l) => l.map(toVec)), polygons));
}

function unionLinesArray(args: Value[]): DynamicValue | undefined {
  const items = args[0];
  if (!Array.isArray(items)) return undefined;
  const lines: Vec3[][] = [];
  for (const item of items) {
    const parsed = parseLines(item);
    if (!parsed) return undefined;
    lines.push(...parsed.map((l) => l.map(toVec)));
  }
  return lines.length === 0 ? undefined : linesJson(unionLines(lines));
}

/** The union of an array of polygons/multipolygons; undefined when it is not an array, is empty or holds an invalid shape. */
function unionOfArray(items: Value): Region | undefined {
  if (!Array.isArray(items)) return undefined;
  const regions: Region[] = [];
  for (const item of items) {
    const parsed = parsePolygons(item);
    if (!parsed) return undefined;
    regions.push(regionOf(parsed));
  }
  return unionRegions(regions);
}

function unionPolygonsArray(args: Value[]): DynamicValue | undefined {
  return regionJson(unionOfArray(args[0]!));
}

/**
 * The union of an array of polygons, each ring simplified like geo_polygon_simplify: no two vertices
 * nearer than `tolerance` meters. Rings that collapse (fewer than three vertices left) disappear with
 * their holes; null when nothing is left, any polygon is invalid or the tolerance is negative.
 */
function simplifyPolygonsArray(args: Value[]): DynamicValue | undefined {
  const tolerance = optionalNumber(args, 1, DEFAULT_TOLERANCE_METERS);
  const union = validTolerance(tolerance) ? unionOfArray(args[0]!) : undefined;
  if (!union) return undefined;
  const polygons: DynamicValue[][] = [];
  for (const rings of regionPolygons(union)) {
    const simplified = rings.map((ring) => simplifyChain([...ring, ring[0]!], tolerance / R));
    if (simplified[0]!.length < 4) continue;
    polygons.push(simplified.filter((ring) => ring.length >= 4).map(lngLatJson));
  }
  return polygons.length === 0 ? undefined : polygonJson(polygons);
}

/**
 * Radius and tolerance of a line/polygon buffer in radians: undefined unless the radius is positive
 * (and under half the Earth's circumference) and the tolerance at least 0.0001% of it; a tolerance
 * above the radius is lowered to just below it.
 */
function bufferDistances(args: Value[], radiusAt = 1): { radius: number; tolerance: number } | undefined {
  const radius = args[radiusAt] as number;
  const tolerance = optionalNumber(args, radiusAt + 1, DEFAULT_TOLERANCE_METERS);
  if (!(radius > 0) || !(radius < Math.PI * R) || !(tolerance >= radius * 1e-6)) return undefined;
  return { radius: radius / R, tolerance: Math.min(tolerance, radius * 0.999) / R };
}

function regionJson(region: Region | undefined): DynamicValue | undefined {
  if (!region || region.length === 0) return undefined;
  return polygonJson(regionPolygons(region).map((rings) => rings.map((ring) => lngLatJson([...ring, ring[0]!]))));
}

function lineBuffer(args: Value[]): DynamicValue | undefined {
  const lines = parseLines(args[0] as DynamicValue);
  const distances = bufferDistances(args);
  if (!lines || !distances) return undefined;
  return regionJson(bufferRegion(lines.map((l) => l.map(toVec)), [], distances.radius, distances.tolerance));
}

function polygonBuffer(args: Value[]): DynamicValue | undefined {
  const polygons = parsePolygons(args[0] as DynamicValue);
  const distances = bufferDistances(args);
  if (!polygons || !distances) return undefined;
  return regionJson(bufferRegion([], polygons, distances.radius, distances.tolerance));
}

/** A geodesic circle as a polygon whose chords stay within `tolerance` meters of the circle. */
function pointBuffer(args: Value[]): DynamicValue | undefined {
  const center = coordinate(args[0]!, args[1]!);
  const distances = bufferDistances(args, 2);
  if (!center || !distances) return undefined;
  const angularRadius = distances.radius;
  const count = circleVertexCount(distances.radius, distances.tolerance);
  const ring: [number, number][] = [];
  for (let k = 0; k < count; k++) ring.push(destination(center, angularRadius, (-2 * Math.PI * k) / count));
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

/** The point at angular distance d from `from` along initial bearing `bearing` (clockwise from north). */
function destination(from: LngLat, d: number, bearing: number): [number, number] {
  const phi1 = (from[1] * Math.PI) / 180;
  const lambda1 = (from[0] * Math.PI) / 180;
  const phi2 = Math.asin(Math.sin(phi1) * Math.cos(d) + Math.cos(phi1) * Math.sin(d) * Math.cos(bearing));
  const lambda2 = lambda1 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(phi1), Math.cos(d) - Math.sin(phi1) * Math.sin(phi2));
  return toLngLat(fromLngLat((lambda2 * 180) / Math.PI, (phi2 * 180) / Math.PI));
}

function fromWkt(args: Value[]): DynamicValue | undefined {
  return wktToGeoJson(args[0] as string);
}

export function constructionFunctions(): ScalarFunction[] {
  return [
    geoScalar('geo_closest_point_on_line', [NUMBER, NUMBER, DYNAMIC], 'dynamic', closestPointOnLine),
    geoScalar('geo_closest_point_on_polygon', [NUMBER, NUMBER, DYNAMIC], 'dynamic', closestPointOnPolygon),
    geoScalar('geo_polygon_centroid', [DYNAMIC], 'dynamic', polygonCentroidJson),
    geoScalar('geo_line_centroid', [DYNAMIC], 'dynamic', lineCentroidJson),
    geoScalar('geo_line_interpolate_point', [DYNAMIC, NUMBER], 'dynamic', interpolatePoint),
    geoScalar('geo_line_simplify', [DYNAMIC, NUMBER], 'dynamic', simplifyLine, 1),
    geoScalar('geo_polygon_simplify', [DYNAMIC, NUMBER], 'dynamic', simplifyPolygon, 1),
    geoScalar('geo_polygon_densify', [DYNAMIC, NUMBER, BOOL], 'dynamic', densifyPolygon, 2),
    geoScalar('geo_line_densify', [DYNAMIC, NUMBER, BOOL], 'dynamic', densifyLine, 2),
    geoScalar('geo_intersection_2lines', [DYNAMIC, DYNAMIC], 'dynamic', intersection2Lines),
    geoScalar('geo_intersection_line_with_polygon', [DYNAMIC, DYNAMIC], 'dynamic', intersectionLineWithPolygon),
    geoScalar('geo_union_lines_array', [DYNAMIC], 'dynamic', unionLinesArray),
    geoScalar('geo_simplify_polygons_array', [DYNAMIC, NUMBER], 'dynamic', simplifyPolygonsArray, 1),
    geoScalar('geo_union_polygons_array', [DYNAMIC], 'dynamic', unionPolygonsArray),
    geoScalar('geo_line_buffer', [DYNAMIC, NUMBER, NUMBER], 'dynamic', lineBuffer, 1),
    geoScalar('geo_polygon_buffer', [DYNAMIC, NUMBER, NUMBER], 'dynamic', polygonBuffer, 1),
    geoScalar('geo_point_buffer', [NUMBER, NUMBER, NUMBER, NUMBER], 'dynamic', pointBuffer, 1),
    geoScalar('geo_from_wkt', [STRING], 'dynamic', fromWkt),
  ];
}

