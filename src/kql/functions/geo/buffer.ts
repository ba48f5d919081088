/**
 * Buffers on the sphere: the region within a distance of a line or polygon, as the union of a disc
 * around every vertex and a band along every edge (plus the polygon itself), each approximated by
 * geodesic edges that stay within the tolerance of the ideal boundary. Round joins and end caps.
 */
import { type Vec3, add, angle, cross, distanceToEdge, normalize, scale } from './sphere.js';
import type { Polygon } from './shapes.js';
import { type Region, regionOf, unionRegions } from './polygon-union.js';

/** Most vertices a disc or band side gets, whatever the tolerance. */
const MAX_VERTICES = 1024;

/** Vertices a circle of `radius` needs so that its chords stay within `tolerance` of it (same units). */
export function circleVertexCount(radius: number, tolerance: number): number {
  const sagitta = Math.min(tolerance / radius, 1);
  return Math.max(8, Math.min(4096, Math.ceil(Math.PI / Math.acos(1 - sagitta))));
}

/** Two unit tangents at p: east and north (any orthonormal pair at the poles). */
function tangents(p: Vec3): [Vec3, Vec3] {
  const east = cross([0, 0, 1], p);
  const u = Math.hypot(...east) < 1e-12 ? normalize(cross([1, 0, 0], p)) : normalize(east);
  return [u, cross(p, u)];
}

/** A counter-clockwise loop of `count` vertices on the circle of angular radius r around c. */
function disc(c: Vec3, r: number, count: number): Vec3[] {
  const [u, v] = tangents(c);
  const out: Vec3[] = [];
  for (let k = 0; k < count; k++) {
    const theta = (2 * Math.PI * k) / count;
    out.push(normalize(add(scale(c, Math.cos(r)), scale(add(scale(u, Math.cos(theta)), scale(v, Math.sin(theta))), Math.sin(r)))));
  }
  return out;
}

/** The point of edge ab at fraction t, moved the angular distance `offset` to the left (negative: right). */
function offsetPoint(a: Vec3, b: Vec3, t: number, offset: number): Vec3 {
  const theta = angle(a, b);
  const onEdge = theta === 0 ? a : normalize(add(scale(a, Math.sin((1 - t) * theta)), scale(b, Math.sin(t * theta))));
  const left = normalize(cross(a, b));
  return normalize(add(scale(onEdge, Math.cos(offset)), scale(left, Math.sin(offset))));
}

/** Pieces a band side needs so that its geodesic chords stay within `tolerance` of the offset curve. */
function bandPieces(a: Vec3, b: Vec3, r: number, tolerance: number): number {
  for (let n = 1; n < MAX_VERTICES; n *= 2) {
    const p = offsetPoint(a, b, 0, r);
    const q = offsetPoint(a, b, 1 / n, r);
    if (distanceToEdge(offsetPoint(a, b, 0.5 / n, r), p, q) <= tolerance) return n;
  }
  return MAX_VERTICES;
}

/** The band within r of edge ab (without its ends), counter-clockwise: right side forward, left side back. */
function band(a: Vec3, b: Vec3, r: number, tolerance: number): Vec3[] {
  const n = bandPieces(a, b, r, tolerance);
  const right: Vec3[] = [];
  const left: Vec3[] = [];
  for (let i = 0; i <= n; i++) {
    right.push(offsetPoint(a, b, i / n, -r));
    left.push(offsetPoint(a, b, i / n, r));
  }
  return [...right, ...left.reverse()];
}

/**
 * The buffer of lines (vertex chains) and polygons at angular radius r with angular tolerance:
 * undefined when there is nothing to buffer. The discs are inscribed in the ideal circles and the
 * bands are a tolerance narrower, so every piece stays within the tolerance inside the ideal buffer
 * and the pieces overlap instead of touching.
 */
export function bufferRegion(lines: Vec3[][], polygons: Polygon[], r: number, tolerance: number): Region | undefined {
  const count = circleVertexCount(r, tolerance);
  const inner = r * Math.cos(Math.PI / count);
  const pieces: Region[] = polygons.map((polygon) => regionOf([polygon]));
  const chains = [...lines, ...polygons.flatMap((polygon) => polygon.loops.map((loop) => [...loop.vertices, loop.vertices[0]!]))];
  for (const chain of chains) {
    chain.forEach((vertex, i) => {
      if (i === chain.length - 1 && chain.length > 1 && angle(vertex, chain[0]!) === 0) return;
      pieces.push(single(disc(vertex, r, count)));
      const next = chain[i + 1];
      if (next && angle(vertex, next) > 0) pieces.push(single(band(vertex, next, inner, tolerance)));
    });
  }
  return unionRegions(pieces);
}

function single(vertices: Vec3[]): Region {
  return [{ vertices, ids: vertices.map(() => 0) }];
}
