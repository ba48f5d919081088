/**
 * Union of polygons on the sphere, with S2's output conventions (Kusto's geo_union_polygons_array is
 * S2Polygon::DestructiveUnion):
 * - the polygons are merged pairwise, always the two with the fewest vertices first (a polygon made by
 *   a merge counts the vertices of both inputs), the smaller one as the first operand;
 * - edges are geodesics; the result keeps every input vertex on its boundary and adds the points where
 *   edges cross;
 * - each edge of the result remembers the input edge it lies on (input edges are numbered first
 *   operand, then second, loop by loop). S2Builder rotates every loop so that the edge with the
 *   largest such number comes last (the pieces of one split input edge stay together) and orders the
 *   loops by the number of their first edge, so that an output loop equal to an input loop keeps the
 *   input's vertex order.
 * Loops keep their interior on the left: shells counter-clockwise, holes clockwise.
 */
import { type Vec3, add, angle, cross, dot, edgeIntersection, edgesCross, distanceToEdge, norm, normalize, sub, scale } from './sphere.js';
import type { DynamicValue } from '../../values/types.js';
import { type Loop, type Polygon, loopContains, makeLoop, parsePolygons } from './shapes.js';

/** A loop with its interior on the left; ids[i] is the input edge that edge i (vertex i → i+1) lies on. */
export interface NumberedLoop {
  vertices: Vec3[];
  ids: number[];
}

/** A polygon as S2 holds it: shells, each followed by its holes (a multipolygon when several shells). */
export type Region = NumberedLoop[];

/** Vertices closer than this (radians, about 6 µm on Earth) are the same vertex: shared cell corners computed twice. */
const SAME_VERTEX = 1e-12;
/** A vertex this close to an edge (radians) lies on it and splits it, as S2Builder's intersection tolerance does. */
const ON_EDGE = 1e-14;

/** The working form of parsed polygons: shells as given (counter-clockwise), holes reversed to clockwise. */
export function regionOf(polygons: Polygon[]): Region {
  const loops: NumberedLoop[] = [];
  for (const polygon of polygons) {
    polygon.loops.forEach((loop, i) => {
      const vertices = i === 0 ? [...loop.vertices] : [...loop.vertices].reverse();
      loops.push({ vertices, ids: vertices.map(() => 0) });
    });
  }
  return loops;
}

function vertexCount(region: Region): number {
  return region.reduce((sum, loop) => sum + loop.vertices.length, 0);
}

/**
 * S2Polygon::DestructiveUnion: repeatedly merges the two polygons with the fewest vertices (ties in
 * input order). Undefined for an empty list.
 */
export function unionRegions(regions: Region[]): Region | undefined {
  const queue = regions.map((region) => ({ size: vertexCount(region), region }));
  while (queue.length > 1) {
    queue.sort((x, y) => x.size - y.size);
    const a = queue.shift()!;
    const b = queue.shift()!;
    const merged = { size: a.size + b.size, region: unionPair(a.region, b.region) };
    // A multimap inserts after the entries with an equal key.
    const at = queue.findIndex((entry) => entry.size > merged.size);
    queue.splice(at < 0 ? queue.length : at, 0, merged);
  }
  return queue[0]?.region;
}

interface Edge {
  from: Vec3;
  to: Vec3;
  id: number;
  owner: 0 | 1;
  /** Points strictly inside the edge where it must be split. */
  splits: Vec3[];
  box: Box;
}

/** An axis-aligned box in 3-D around points or arcs: a cheap test that two shapes cannot meet. */
interface Box {
  min: [number, number, number];
  max: [number, number, number];
}

/** How far an arc between vertices `chord` apart strays from its chord (plus rounding room). */
function arcBulge(a: Vec3, b: Vec3): number {
  const chord2 = (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2 + (a[2] - b[2]) ** 2;
  return 1 - Math.sqrt(Math.max(0, 1 - chord2 / 4)) + 1e-12;
}

/** The box around the geodesic edges between consecutive `points` (closed when `closed`). */
function boxAround(points: Vec3[], closed: boolean): Box {
  const min: [number, number, number] = [Infinity, Infinity, Infinity];
  const max: [number, number, number] = [-Infinity, -Infinity, -Infinity];
  let bulge = 1e-12;
  points.forEach((p, i) => {
    for (let k = 0; k < 3; k++) {
      min[k] = Math.min(min[k]!, p[k]!);
      max[k] = Math.max(max[k]!, p[k]!);
    }
    const next = points[i + 1] ?? (closed ? points[0] : undefined);
    if (next) bulge = Math.max(bulge, arcBulge(p, next));
  });
  return { min: min.map((v) => v - bulge) as Box['min'], max: max.map((v) => v + bulge) as Box['max'] };
}

function boxesMeet(a: Box, b: Box): boolean {
  return a.min[0] <= b.max[0] && b.min[0] <= a.max[0] && a.min[1] <= b.max[1] && b.min[1] <= a.max[1] && a.min[2] <= b.max[2] && b.min[2] <= a.max[2];
}

function boxHolds(box: Box, p: Vec3): boolean {
  return p[0] >= box.min[0] && p[0] <= box.max[0] && p[1] >= box.min[1] && p[1] <= box.max[1] && p[2] >= box.min[2] && p[2] <= box.max[2];
}

function numberedEdges(region: Region, owner: 0 | 1, firstId: number): Edge[] {
  const edges: Edge[] = [];
  let id = firstId;
  for (const loop of region) {
    const v = loop.vertices;
    for (let i = 0; i < v.length; i++) {
      const from = v[i]!;
      const to = v[(i + 1) % v.length]!;
      edges.push({ from, to, id: id++, owner, splits: [], box: boxAround([from, to], false) });
    }
  }
  return edges;
}

/**
 * Replaces vertices of `edges` that lie within SAME_VERTEX of one seen earlier by that one: the
 * distinct vertices sorted by x, each compared with those following it within SAME_VERTEX in x.
 */
function mergeNearVertices(edges: Edge[]): void {
  const firstSeen = new Map<string, { p: Vec3; order: number }>();
  for (const e of edges) {
    for (const p of [e.from, e.to]) if (!firstSeen.has(key(p))) firstSeen.set(key(p), { p, order: firstSeen.size });
  }
  const sorted = [...firstSeen.values()].sort((u, v) => u.p[0] - v.p[0]);
  const replacement = new Map<Vec3, Vec3>();
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.p[0] - sorted[i]!.p[0] < SAME_VERTEX; j++) {
      const [u, v] = sorted[i]!.order < sorted[j]!.order ? [sorted[i]!, sorted[j]!] : [sorted[j]!, sorted[i]!];
      if (angle(u.p, v.p) < SAME_VERTEX && !replacement.has(v.p)) replacement.set(v.p, replacement.get(u.p) ?? u.p);
    }
  }
  const canonical = (p: Vec3): Vec3 => {
    const first = firstSeen.get(key(p))!.p;
    return replacement.get(first) ?? first;
  };
  for (const e of edges) {
    e.from = canonical(e.from);
    e.to = canonical(e.to);
    e.box = boxAround([e.from, e.to], false);
  }
}

/**
 * Records where the edges of the two operands cross or touch each other, on both edges. Edges that
 * touch (share a vertex, or one's vertex lies on the other, as along shared cell boundaries) are only
 * split at those vertices: their orientation tests are rounding noise, not a crossing.
 */
function findSplits(first: Edge[], second: Edge[]): void {
  for (const e of first) {
    for (const f of second) {
      if (!boxesMeet(e.box, f.box)) continue;
      const touchingE = [f.from, f.to].filter((p) => touches(p, e));
      const touchingF = [e.from, e.to].filter((p) => touches(p, f));
      if (touchingE.length > 0 || touchingF.length > 0) {
        for (const p of touchingE) if (p !== e.from && p !== e.to) e.splits.push(p);
        for (const p of touchingF) if (p !== f.from && p !== f.to) f.splits.push(p);
      } else if (edgesCross(e.from, e.to, f.from, f.to)) {
        const x = edgeIntersection(e.from, e.to, f.from, f.to);
        e.splits.push(x);
        f.splits.push(x);
      }
    }
  }
}

/** Whether p is a vertex of e or lies on it. */
function touches(p: Vec3, e: Edge): boolean {
  return p === e.from || p === e.to || distanceToEdge(p, e.from, e.to) < ON_EDGE;
}

interface Piece {
  from: Vec3;
  to: Vec3;
  id: number;
  owner: 0 | 1;
}

function pieces(e: Edge): Piece[] {
  const points = [...new Set(e.splits)].sort((p, q) => angle(e.from, p) - angle(e.from, q));
  const chain = [e.from, ...points, e.to];
  const out: Piece[] = [];
  for (let i = 0; i + 1 < chain.length; i++) out.push({ from: chain[i]!, to: chain[i + 1]!, id: e.id, owner: e.owner });
  return out;
}

/**
 * Whether p is inside the loops (even–odd over all their edges). Near p the loops are projected
 * gnomonically (great circles become straight lines) and counted with a planar ray: exact in relative
 * terms however small the loops are, where a spherical reference point would drown in rounding. Loops
 * reaching a hemisphere away from p fall back to the spherical test.
 */
export function loopsContain(loops: Vec3[][], p: Vec3): boolean {
  return loops.filter((loop) => loopContainsPoint(loop, boxAround(loop, true), p)).length % 2 === 1;
}

/** One loop's (smaller side's) containment of p; a loop whose box misses p cannot hold it. */
function loopContainsPoint(loop: Vec3[], box: Box, p: Vec3): boolean {
  if (!boxHolds(box, p)) return false;
  if (loop.some((v) => dot(v, p) <= 0)) {
    const l = makeLoop(loop);
    return l !== undefined && loopContains(l, p);
  }
  const [e, n] = planeAxes(p);
  const last = loop[loop.length - 1]!;
  let xj = dot(last, e) / dot(last, p);
  let yj = dot(last, n) / dot(last, p);
  let inside = false;
  for (const v of loop) {
    const w = dot(v, p);
    const xi = dot(v, e) / w;
    const yi = dot(v, n) / w;
    if ((yi > 0) !== (yj > 0) && 0 < xj + ((0 - yj) * (xi - xj)) / (yi - yj)) inside = !inside;
    xj = xi;
    yj = yi;
  }
  return inside;
}

/** Loops with their boxes, for repeated containment tests. */
interface BoxedLoop {
  vertices: Vec3[];
  box: Box;
}

function boxedLoops(region: Region): BoxedLoop[] {
  return region.map((loop) => ({ vertices: loop.vertices, box: boxAround(loop.vertices, true) }));
}

function boxedContain(loops: BoxedLoop[], p: Vec3): boolean {
  return loops.filter((loop) => loopContainsPoint(loop.vertices, loop.box, p)).length % 2 === 1;
}

/** Two orthonormal tangent directions at p. */
function planeAxes(p: Vec3): [Vec3, Vec3] {
  const east = cross([0, 0, 1], p);
  const e = norm(east) < 1e-9 ? normalize(cross([1, 0, 0], p)) : normalize(east);
  return [e, cross(p, e)];
}

function key(p: Vec3): string {
  return `${p[0]},${p[1]},${p[2]}`;
}

/** The union of two regions (a's edges numbered first), in S2's canonical loop and vertex order. */
export function unionPair(a: Region, b: Region): Region {
  const first = numberedEdges(a, 0, 0);
  const second = numberedEdges(b, 1, first.length);
  mergeNearVertices([...first, ...second]);
  findSplits(first, second);
  const containment = [a, b].map(boxedLoops);
  const all = [...first, ...second].flatMap(pieces);
  const byEndpoints = new Map<string, Piece[]>();
  for (const piece of all) {
    const k = `${key(piece.from)}>${key(piece.to)}`;
    const list = byEndpoints.get(k);
    if (list) list.push(piece);
    else byEndpoints.set(k, [piece]);
  }
  const kept: Piece[] = [];
  for (const piece of all) {
    const other = (1 - piece.owner) as 0 | 1;
    const reversed = byEndpoints.get(`${key(piece.to)}>${key(piece.from)}`)?.some((p) => p.owner === other);
    // Shared boundary walked in opposite directions: both sides are interior, the edge vanishes.
    if (reversed) continue;
    const same = byEndpoints.get(`${key(piece.from)}>${key(piece.to)}`)!.filter((p) => p.owner === other);
    if (same.length > 0) {
      // Shared boundary in the same direction: one edge remains, numbered by the smaller input edge.
      if (piece.owner === 1) continue;
      kept.push({ ...piece, id: Math.min(piece.id, ...same.map((p) => p.id)) });
      continue;
    }
    if (!boxedContain(containment[other]!, normalize(add(piece.from, piece.to)))) kept.push(piece);
  }
  return canonicalOrder(linkLoops(kept));
}

/** Clockwise angle at v from direction (towards) `from` to direction (towards) `to`, in [0, 2π). */
function clockwiseAngle(v: Vec3, from: Vec3, to: Vec3): number {
  const a = sub(from, scale(v, dot(from, v)));
  const b = sub(to, scale(v, dot(to, v)));
  const counterClockwise = Math.atan2(dot(v, cross(a, b)), dot(a, b));
  return (2 * Math.PI - counterClockwise) % (2 * Math.PI);
}

/** Joins the kept pieces into loops, turning left where several continue from one vertex (S2's left-turn map). */
function linkLoops(kept: Piece[]): NumberedLoop[] {
  const outgoing = new Map<string, Piece[]>();
  for (const piece of kept) outgoing.set(key(piece.from), [...(outgoing.get(key(piece.from)) ?? []), piece]);
  const used = new Set<Piece>();
  const loops: NumberedLoop[] = [];
  for (const start of kept) {
    if (used.has(start)) continue;
    const vertices: Vec3[] = [];
    const ids: number[] = [];
    let piece: Piece | undefined = start;
    while (piece && !used.has(piece)) {
      used.add(piece);
      vertices.push(piece.from);
      ids.push(piece.id);
      const arrivedFrom: Vec3 = piece.from;
      const at: Vec3 = piece.to;
      const candidates: Piece[] = (outgoing.get(key(at)) ?? []).filter((p) => !used.has(p) || p === start);
      piece = candidates.sort((p, q) => clockwiseAngle(at, arrivedFrom, p.to) - clockwiseAngle(at, arrivedFrom, q.to))[0];
      if (piece === start) break;
    }
    if (vertices.length >= 3) loops.push({ vertices, ids });
  }
  return loops;
}

/**
 * Rotates a loop so that its edge with the largest input edge id comes last; when that id's pieces
 * are contiguous, the last of them (S2Builder::Graph::CanonicalizeLoopOrder).
 */
export function rotateToCanonical(loop: NumberedLoop): NumberedLoop {
  const ids = loop.ids;
  let pos = 0;
  let sawGap = false;
  for (let i = 1; i < ids.length; i++) {
    const cmp = ids[i]! - ids[pos]!;
    if (cmp < 0) sawGap = true;
    else if (cmp > 0 || !sawGap) {
      pos = i;
      sawGap = false;
    }
  }
  const start = (pos + 1) % ids.length;
  return {
    vertices: [...loop.vertices.slice(start), ...loop.vertices.slice(0, start)],
    ids: [...ids.slice(start), ...ids.slice(0, start)],
  };
}

/**
 * Loops rotated canonically, sorted by the input edge of their first edge, then nested as S2Polygon
 * does: each shell followed by the loops inside it, depth first, in that order.
 */
function canonicalOrder(loops: NumberedLoop[]): Region {
  const rotated = loops.map(rotateToCanonical).sort((x, y) => x.ids[0]! - y.ids[0]!);
  const regions = rotated.map((loop) => makeLoop(loop.vertices));
  const inside = (i: number, j: number): boolean => {
    const outer = regions[j];
    return outer !== undefined && i !== j && regions[i] !== undefined && regions[i]!.area < outer.area && loopsContain([rotated[j]!.vertices], rotated[i]!.vertices[0]!);
  };
  const parentOf = rotated.map((_, i) => {
    let parent = -1;
    rotated.forEach((__, j) => {
      if (inside(i, j) && (parent < 0 || regions[j]!.area < regions[parent]!.area)) parent = j;
    });
    return parent;
  });
  const ordered: Region = [];
  const visit = (parent: number): void => {
    rotated.forEach((loop, i) => {
      if (parentOf[i] !== parent) return;
      ordered.push(loop);
      visit(i);
    });
  };
  visit(-1);
  return ordered;
}

/** Shells (loops at even nesting depth), each with its holes: the polygons of a GeoJSON result. */
export function regionPolygons(region: Region): Vec3[][][] {
  const smaller = region.map((loop) => makeLoop(loop.vertices));
  const depth = region.map((loop, i) => smaller.filter((outer, j) => j !== i && outer !== undefined && outer.area > (smaller[i]?.area ?? 0) && loopsContain([region[j]!.vertices], loop.vertices[0]!)).length);
  const polygons: Vec3[][][] = [];
  region.forEach((loop, i) => {
    if (depth[i]! % 2 === 0 || polygons.length === 0) polygons.push([loop.vertices]);
    else polygons[polygons.length - 1]!.push(loop.vertices);
  });
  return polygons;
}

/**
 * The polygons of a MultiPolygon with overlaps merged: Kusto builds one S2Polygon from them, so an
 * area, perimeter or centroid counts overlapping parts once. A single polygon is returned as is.
 */
export function mergedPolygons(polygons: Polygon[]): Polygon[] | undefined {
  if (polygons.length < 2) return polygons;
  const union = unionRegions(polygons.map((polygon) => regionOf([polygon])));
  if (!union) return undefined;
  const merged: Polygon[] = [];
  for (const rings of regionPolygons(union)) {
    const loops = rings.map((ring) => makeLoop(ring));
    if (loops.some((loop) => loop === undefined)) return undefined;
    merged.push({ loops: loops as Loop[] });
  }
  return merged;
}

/** A Polygon/MultiPolygon value with overlapping parts merged; undefined when invalid. */
export function parseMergedPolygons(value: DynamicValue): Polygon[] | undefined {
  const polygons = parsePolygons(value);
  return polygons && mergedPolygons(polygons);
}
