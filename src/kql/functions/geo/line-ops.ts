/**
 * Operations that build new geometry from lines and rings: interpolation along a line, locating a
 * point on it, Douglas–Peucker simplification with vertex snapping, densification of planar edges,
 * edge-set union of lines, and the intersections of lines with lines and with polygons.
 */
import {
  type Vec3, add, angle, cross, dot, edgeIntersection, edgesCross, fromLngLat, norm, normalize, pointOnLine,
  projectOnEdge, distanceToEdge, edgeTrueCentroid, EARTH_RADIUS_METERS,
} from './sphere.js';
import { type LngLat, type Polygon, crossingPoints, parallel, polygonEdges, polygonsContain } from './shapes.js';

export function lineLength(line: Vec3[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < line.length; i++) sum += angle(line[i]!, line[i + 1]!);
  return sum;
}

/** Sum of the edges' true centroids (each scaled by its length): the direction of the lines' centroid. */
export function linesCentroid(lines: Vec3[][]): Vec3 {
  let c: Vec3 = [0, 0, 0];
  for (const line of lines) for (let i = 0; i + 1 < line.length; i++) c = add(c, edgeTrueCentroid(line[i]!, line[i + 1]!));
  return c;
}

/** The point at `fraction` of the line's length (S2Polyline::Interpolate). */
export function interpolate(line: Vec3[], fraction: number): Vec3 {
  if (fraction <= 0) return line[0]!;
  const target = fraction * lineLength(line);
  let covered = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const edge = angle(line[i]!, line[i + 1]!);
    if (covered + edge > target) return pointOnLine(line[i]!, line[i + 1]!, target - covered);
    covered += edge;
  }
  return line[line.length - 1]!;
}

/** The fraction of the line's length at which the point nearest to p lies (S2Polyline::UnInterpolate). */
export function locate(line: Vec3[], p: Vec3): number {
  let bestDistance = Infinity;
  let bestEdge = 0;
  let bestPoint = line[0]!;
  for (let i = 0; i + 1 < line.length; i++) {
    const q = projectOnEdge(p, line[i]!, line[i + 1]!);
    const d = angle(p, q);
    if (d < bestDistance) [bestDistance, bestEdge, bestPoint] = [d, i, q];
  }
  const total = lineLength(line);
  if (total === 0) return 0;
  const before = lineLength(line.slice(0, bestEdge + 1));
  return Math.min(1, (before + angle(line[bestEdge]!, bestPoint)) / total);
}

/** The point of the lines nearest to p. */
export function closestPointOnEdges(p: Vec3, edges: Iterable<[Vec3, Vec3]>): Vec3 | undefined {
  let best: Vec3 | undefined;
  let bestDistance = Infinity;
  for (const [a, b] of edges) {
    const q = projectOnEdge(p, a, b);
    const d = angle(p, q);
    if (d < bestDistance) [best, bestDistance] = [q, d];
  }
  return best;
}

/**
 * Vertices within `tolerance` (radians) of the last kept vertex snap onto it, then Douglas–Peucker
 * drops vertices nearer than `tolerance` to the simplified chain. For a ring, pass it closed (first
 * vertex repeated at the end).
 */
export function simplifyChain(chain: Vec3[], tolerance: number): Vec3[] {
  const snapped: Vec3[] = [chain[0]!];
  for (const v of chain.slice(1)) if (angle(v, snapped[snapped.length - 1]!) > tolerance) snapped.push(v);
  const last = chain[chain.length - 1]!;
  if (snapped.length > 1 && angle(snapped[snapped.length - 1]!, last) !== 0 && angle(snapped[0]!, last) === 0) {
    // A closed ring stays closed even when its last vertices snapped away.
    snapped.push(last);
  }
  if (snapped.length < 3) return snapped;
  const keep = new Array<boolean>(snapped.length).fill(false);
  keep[0] = keep[snapped.length - 1] = true;
  douglasPeucker(snapped, 0, snapped.length - 1, tolerance, keep);
  return snapped.filter((_, i) => keep[i]);
}

function douglasPeucker(v: Vec3[], first: number, last: number, tolerance: number, keep: boolean[]): void {
  let farthest = -1;
  let farthestDistance = tolerance;
  for (let i = first + 1; i < last; i++) {
    const d = distanceToEdge(v[i]!, v[first]!, v[last]!);
    if (d > farthestDistance) [farthest, farthestDistance] = [i, d];
  }
  if (farthest < 0) return;
  keep[farthest] = true;
  douglasPeucker(v, first, farthest, tolerance, keep);
  douglasPeucker(v, farthest, last, tolerance, keep);
}

/** Bisects the planar (longitude/latitude) edge until each piece's geodesic is within `toleranceMeters` of it. */
export function densifyEdge(a: LngLat, b: LngLat, toleranceMeters: number, out: LngLat[], depth = 0): void {
  const mid: LngLat = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const deviation = distanceToEdge(fromLngLat(...mid), fromLngLat(...a), fromLngLat(...b)) * EARTH_RADIUS_METERS;
  if (deviation > toleranceMeters && depth < 20) {
    densifyEdge(a, mid, toleranceMeters, out, depth + 1);
    densifyEdge(mid, b, toleranceMeters, out, depth + 1);
  } else {
    out.push(b);
  }
}

export function densifyChain(chain: LngLat[], toleranceMeters: number): LngLat[] {
  const out: LngLat[] = [chain[0]!];
  for (let i = 0; i + 1 < chain.length; i++) densifyEdge(chain[i]!, chain[i + 1]!, toleranceMeters, out);
  return out;
}

function key(p: Vec3): string {
  return `${p[0]},${p[1]},${p[2]}`;
}

/**
 * The union of lines as an edge set: repeated edges (either direction) count once, and the edges are
 * joined into maximal chains in the order they first appear.
 */
export function unionLines(lines: Vec3[][]): Vec3[][] {
  const seen = new Set<string>();
  const edges: [Vec3, Vec3][] = [];
  for (const line of lines) {
    for (let i = 0; i + 1 < line.length; i++) {
      const [a, b] = [line[i]!, line[i + 1]!];
      if (seen.has(`${key(a)}|${key(b)}`) || seen.has(`${key(b)}|${key(a)}`)) continue;
      seen.add(`${key(a)}|${key(b)}`);
      edges.push([a, b]);
    }
  }
  return chainEdges(edges);
}

function chainEdges(edges: [Vec3, Vec3][]): Vec3[][] {
  const outgoing = new Map<string, number[]>();
  const incoming = new Map<string, number>();
  edges.forEach(([a, b], i) => {
    outgoing.set(key(a), [...(outgoing.get(key(a)) ?? []), i]);
    incoming.set(key(b), (incoming.get(key(b)) ?? 0) + 1);
  });
  const used = new Array<boolean>(edges.length).fill(false);
  const chains: Vec3[][] = [];
  const isChainStart = (i: number) => {
    const a = key(edges[i]![0]);
    return (incoming.get(a) ?? 0) !== 1 || (outgoing.get(a) ?? []).length !== 1;
  };
  const follow = (start: number) => {
    const chain: Vec3[] = [edges[start]![0]];
    let current: number | undefined = start;
    while (current !== undefined && !used[current]) {
      used[current] = true;
      const end: Vec3 = edges[current]![1];
      chain.push(end);
      const next = (outgoing.get(key(end)) ?? []).filter((j) => !used[j]);
      current = (incoming.get(key(end)) ?? 0) === 1 && next.length === 1 ? next[0] : undefined;
    }
    chains.push(chain);
  };
  edges.forEach((_, i) => { if (!used[i] && isChainStart(i)) follow(i); });
  edges.forEach((_, i) => { if (!used[i]) follow(i); });
  return chains;
}

/** Signed angle of p from a along the great circle through a with pole n. */
function alongAngle(a: Vec3, n: Vec3, p: Vec3): number {
  return Math.atan2(dot(cross(a, p), n), dot(a, p));
}

export interface LineIntersection {
  points: Vec3[];
  segments: [Vec3, Vec3][];
}

/** Shared stretches of collinear edges and crossing points of the others. */
export function intersectLines(first: Vec3[][], second: Vec3[][]): LineIntersection {
  const segments: [Vec3, Vec3][] = [];
  const points: Vec3[] = [];
  const edgesOf = (lines: Vec3[][]) => lines.flatMap((l) => l.slice(0, -1).map((v, i): [Vec3, Vec3] => [v, l[i + 1]!]));
  const others = edgesOf(second);
  for (const [a, b] of edgesOf(first)) {
    for (const [c, d] of others) {
      if (parallel(a, b, c, d)) {
        const overlap = collinearOverlap(a, b, c, d);
        if (overlap) segments.push(overlap);
      } else if (edgesCross(a, b, c, d, true)) {
        points.push(edgeIntersection(a, b, c, d));
      }
    }
  }
  const isolated = points.filter((p) => !segments.some(([s, e]) => distanceToEdge(p, s, e) < 1e-14));
  return { points: dedupe(isolated), segments };
}

function dedupe(points: Vec3[]): Vec3[] {
  const out: Vec3[] = [];
  for (const p of points) if (!out.some((q) => angle(p, q) < 1e-15)) out.push(p);
  return out;
}

function collinearOverlap(a: Vec3, b: Vec3, c: Vec3, d: Vec3): [Vec3, Vec3] | undefined {
  const n = normalize(cross(a, b));
  if (norm(n) === 0) return undefined;
  const length = alongAngle(a, n, b);
  const candidates: [number, Vec3][] = [[0, a], [length, b], [alongAngle(a, n, c), c], [alongAngle(a, n, d), d]];
  const lo = Math.max(0, Math.min(candidates[2]![0], candidates[3]![0]));
  const hi = Math.min(length, Math.max(candidates[2]![0], candidates[3]![0]));
  if (!(hi > lo)) return undefined;
  const at = (t: number) => candidates.find(([ct]) => ct === t)?.[1] ?? pointOnLine(a, b, t);
  return [at(lo), at(hi)];
}

/** The parts of the lines inside the polygons, as chains. */
export function clipLinesToPolygons(lines: Vec3[][], polygons: Polygon[]): Vec3[][] {
  const boundary = polygons.flatMap((p) => [...polygonEdges(p)]);
  const chains: Vec3[][] = [];
  for (const line of lines) {
    let current: Vec3[] | undefined;
    for (let i = 0; i + 1 < line.length; i++) {
      const [a, b] = [line[i]!, line[i + 1]!];
      const cuts = crossingPoints(a, b, boundary).sort((p, q) => angle(a, p) - angle(a, q));
      const stops = [a, ...cuts, b];
      for (let k = 0; k + 1 < stops.length; k++) {
        const [s, e] = [stops[k]!, stops[k + 1]!];
        if (angle(s, e) === 0) continue;
        if (polygonsContain(polygons, normalize(add(s, e)))) {
          if (!current) chains.push((current = [s]));
          current.push(e);
        } else {
          current = undefined;
        }
      }
    }
  }
  return chains;
}
