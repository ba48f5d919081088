/**
 * GeoJSON shapes as Kusto accepts them (Point, LineString, MultiLineString, Polygon, MultiPolygon),
 * validated with Kusto's rules and converted to unit vectors, plus the loop and polygon operations
 * built on them (area, containment, centroid). Anything invalid parses to undefined: the functions
 * return null for it, as Kusto does.
 */
import type { DynamicValue } from '../../values/types.js';
import {
  type Vec3, add, angle, distanceToEdge, edgeIntersection, fromLngLat, normalize, scale, cross, dot,
  signedTriangleArea, triangleTrueCentroid, edgesCross,
} from './sphere.js';

export type LngLat = [number, number];

/** A closed ring without its repeated closing vertex, oriented so its interior is on the left. */
export interface Loop {
  vertices: Vec3[];
  /** Area of the interior in steradians (at most 2π: Kusto takes the smaller of the two regions). */
  area: number;
  /** A point known to be inside the loop, the start of the crossing-count containment test. */
  reference: Vec3;
}

/** A polygon: loops[0] is the shell, the rest are holes. */
export interface Polygon {
  loops: Loop[];
}

export function validCoordinate(lng: number, lat: number): boolean {
  return Number.isFinite(lng) && Number.isFinite(lat) && lng >= -180 && lng <= 180 && lat >= -90 && lat <= 90;
}

/** A dynamic argument as a JSON object (a string holding JSON is read too). */
export function asObject(value: DynamicValue): { [key: string]: DynamicValue } | undefined {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as DynamicValue;
    } catch {
      return undefined;
    }
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

export function parsePosition(value: DynamicValue): LngLat | undefined {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) return undefined;
  const [lng, lat] = value;
  if (typeof lng !== 'number' || typeof lat !== 'number' || !validCoordinate(lng, lat)) return undefined;
  return [lng, lat];
}

function parsePositions(value: DynamicValue, minCount: number): LngLat[] | undefined {
  if (!Array.isArray(value) || value.length < minCount) return undefined;
  const out: LngLat[] = [];
  for (const item of value) {
    const p = parsePosition(item);
    if (!p) return undefined;
    out.push(p);
  }
  return out;
}

function typed(value: DynamicValue, ...types: string[]): { type: string; coordinates: DynamicValue } | undefined {
  const obj = asObject(value);
  if (!obj || typeof obj['type'] !== 'string' || !types.includes(obj['type'])) return undefined;
  if (!('coordinates' in obj)) return undefined;
  return { type: obj['type'], coordinates: obj['coordinates']! };
}

export function parsePoint(value: DynamicValue): LngLat | undefined {
  const shape = typed(value, 'Point');
  return shape ? parsePosition(shape.coordinates) : undefined;
}

/** LineString or MultiLineString: each line has at least two positions. */
export function parseLines(value: DynamicValue, allowMulti = true): LngLat[][] | undefined {
  const shape = allowMulti ? typed(value, 'LineString', 'MultiLineString') : typed(value, 'LineString');
  if (!shape) return undefined;
  if (shape.type === 'LineString') {
    const line = parsePositions(shape.coordinates, 2);
    return line ? [line] : undefined;
  }
  if (!Array.isArray(shape.coordinates) || shape.coordinates.length === 0) return undefined;
  const lines: LngLat[][] = [];
  for (const item of shape.coordinates) {
    const line = parsePositions(item, 2);
    if (!line) return undefined;
    lines.push(line);
  }
  return lines;
}

/** Polygon or MultiPolygon, each ring validated and normalised to a Loop. */
export function parsePolygons(value: DynamicValue, allowMulti = true): Polygon[] | undefined {
  const shape = allowMulti ? typed(value, 'Polygon', 'MultiPolygon') : typed(value, 'Polygon');
  if (!shape) return undefined;
  const polygonCoords = shape.type === 'Polygon' ? [shape.coordinates] : shape.coordinates;
  if (!Array.isArray(polygonCoords) || polygonCoords.length === 0) return undefined;
  const polygons: Polygon[] = [];
  for (const rings of polygonCoords) {
    const polygon = parsePolygonRings(rings);
    if (!polygon) return undefined;
    polygons.push(polygon);
  }
  return polygons;
}

export function parsePolygonRings(rings: DynamicValue): Polygon | undefined {
  if (!Array.isArray(rings) || rings.length === 0) return undefined;
  const loops: Loop[] = [];
  for (const ring of rings) {
    const positions = parsePositions(ring, 4);
    if (!positions) return undefined;
    const loop = ringToLoop(positions);
    if (!loop) return undefined;
    loops.push(loop);
  }
  return { loops };
}

/** The ring's vertices without the closing repeat; undefined unless closed with ≥3 distinct consecutive vertices. */
export function ringVertices(positions: LngLat[]): LngLat[] | undefined {
  const first = positions[0]!;
  const last = positions[positions.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) return undefined;
  const open = positions.slice(0, -1);
  for (let i = 0; i < open.length; i++) {
    const a = fromLngLat(...open[i]!);
    const b = fromLngLat(...open[(i + 1) % open.length]!);
    if (angle(a, b) === 0) return undefined;
  }
  return open.length >= 3 ? open : undefined;
}

export function ringToLoop(positions: LngLat[]): Loop | undefined {
  const open = ringVertices(positions);
  if (!open) return undefined;
  return makeLoop(open.map(([lng, lat]) => fromLngLat(lng, lat)));
}

/** Orients the vertices so that the smaller region is on the left and precomputes what containment needs. */
export function makeLoop(vertices: Vec3[]): Loop | undefined {
  let leftArea = 0;
  for (let i = 1; i + 1 < vertices.length; i++) leftArea += signedTriangleArea(vertices[0]!, vertices[i]!, vertices[i + 1]!);
  if (leftArea < 0) leftArea += 4 * Math.PI;
  const oriented = leftArea > 2 * Math.PI ? [...vertices].reverse() : vertices;
  const area = Math.min(leftArea, 4 * Math.PI - leftArea);
  if (!(area > 0)) return undefined;
  return { vertices: oriented, area, reference: referenceInside(oriented) };
}

/** A point just left of the longest edge's midpoint: inside the loop, away from its vertices. */
function referenceInside(v: Vec3[]): Vec3 {
  let best = 0;
  let bestLength = -1;
  for (let i = 0; i < v.length; i++) {
    const len = angle(v[i]!, v[(i + 1) % v.length]!);
    if (len > bestLength) [best, bestLength] = [i, len];
  }
  const a = v[best]!;
  const b = v[(best + 1) % v.length]!;
  const mid = normalize(add(a, b));
  const left = normalize(cross(a, b));
  return normalize(add(mid, scale(left, Math.min(1e-9, bestLength * 1e-7))));
}

/** Sign with ties broken one way, so that an arc through a vertex is counted consistently. */
function side(a: Vec3, b: Vec3, c: Vec3): number {
  return dot(cross(a, b), c) >= 0 ? 1 : -1;
}

function crossesForParity(a: Vec3, b: Vec3, c: Vec3, d: Vec3): boolean {
  const acb = -side(a, b, c);
  return side(a, b, d) === acb && -side(c, d, b) === acb && side(c, d, a) === acb;
}

export function loopContains(loop: Loop, p: Vec3): boolean {
  let inside = true;
  const v = loop.vertices;
  for (let i = 0; i < v.length; i++) {
    if (crossesForParity(loop.reference, p, v[i]!, v[(i + 1) % v.length]!)) inside = !inside;
  }
  return inside;
}

export function polygonContains(polygon: Polygon, p: Vec3): boolean {
  if (!loopContains(polygon.loops[0]!, p)) return false;
  return !polygon.loops.slice(1).some((hole) => loopContains(hole, p));
}

export function polygonsContain(polygons: Polygon[], p: Vec3): boolean {
  return polygons.some((polygon) => polygonContains(polygon, p));
}

export function polygonArea(polygon: Polygon): number {
  return polygon.loops.reduce((sum, loop, i) => (i === 0 ? sum + loop.area : sum - loop.area), 0);
}

/** The loop's true centroid scaled by its area; holes subtract. */
function loopCentroid(loop: Loop): Vec3 {
  const v = loop.vertices;
  let c: Vec3 = [0, 0, 0];
  for (let i = 1; i + 1 < v.length; i++) c = add(c, triangleTrueCentroid(v[0]!, v[i]!, v[i + 1]!));
  return c;
}

export function polygonCentroid(polygon: Polygon): Vec3 {
  let c: Vec3 = [0, 0, 0];
  polygon.loops.forEach((loop, i) => {
    const lc = loopCentroid(loop);
    c = i === 0 ? add(c, lc) : add(c, scale(lc, -1));
  });
  return c;
}

/** Every edge of a polygon's loops, as vertex pairs. */
export function* polygonEdges(polygon: Polygon): Generator<[Vec3, Vec3]> {
  for (const loop of polygon.loops) {
    const v = loop.vertices;
    for (let i = 0; i < v.length; i++) yield [v[i]!, v[(i + 1) % v.length]!];
  }
}

export function* lineEdges(line: Vec3[]): Generator<[Vec3, Vec3]> {
  for (let i = 0; i + 1 < line.length; i++) yield [line[i]!, line[i + 1]!];
}

export function distanceToEdges(p: Vec3, edges: Iterable<[Vec3, Vec3]>): number {
  let best = Infinity;
  for (const [a, b] of edges) best = Math.min(best, distanceToEdge(p, a, b));
  return best;
}

/** Whether any edge of one set crosses or touches any edge of the other. */
export function anyEdgesCross(first: [Vec3, Vec3][], second: [Vec3, Vec3][]): boolean {
  return first.some(([a, b]) => second.some(([c, d]) => edgesCross(a, b, c, d, true)));
}

export function crossingPoints(a: Vec3, b: Vec3, edges: [Vec3, Vec3][]): Vec3[] {
  const out: Vec3[] = [];
  for (const [c, d] of edges) if (edgesCross(a, b, c, d, true) && !parallel(a, b, c, d)) out.push(edgeIntersection(a, b, c, d));
  return out;
}

export function parallel(a: Vec3, b: Vec3, c: Vec3, d: Vec3): boolean {
  const n1 = normalize(cross(a, b));
  const n2 = normalize(cross(c, d));
  return Math.abs(Math.abs(dot(n1, n2)) - 1) < 1e-15;
}

export function toVec(p: LngLat): Vec3 {
  return fromLngLat(p[0], p[1]);
}
