/**
 * Geometry on the unit sphere, as Kusto computes it: Kusto's geospatial functions are built on the
 * S2 geometry library, so points are unit vectors, edges are geodesics (great-circle arcs shorter
 * than 180°), distances are angles times S2's Earth radius (6,371,010 m), and the formulas below
 * follow the public S2 definitions (triangle areas, true centroids, edge crossings, projections).
 */

export type Vec3 = readonly [number, number, number];

/** S2Earth::RadiusMeters(): the mean Earth radius Kusto's distances are measured with. */
export const EARTH_RADIUS_METERS = 6371010;

const DEG = Math.PI / 180;

export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

export function scale(a: Vec3, k: number): Vec3 {
  return [a[0] * k, a[1] * k, a[2] * k];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function norm(a: Vec3): number {
  return Math.sqrt(dot(a, a));
}

export function normalize(a: Vec3): Vec3 {
  const n = norm(a);
  return n === 0 ? a : scale(a, 1 / n);
}

/** (b + a) × (b − a) = 2 (a × b), computed the way S2 does for accuracy with nearby points. */
export function robustCross(a: Vec3, b: Vec3): Vec3 {
  return cross(add(b, a), sub(b, a));
}

/** The angle between two vectors, accurate for small and large angles alike. */
export function angle(a: Vec3, b: Vec3): number {
  return Math.atan2(norm(cross(a, b)), dot(a, b));
}

export function fromLngLat(lng: number, lat: number): Vec3 {
  const phi = lat * DEG;
  const theta = lng * DEG;
  const c = Math.cos(phi);
  return [c * Math.cos(theta), c * Math.sin(theta), Math.sin(phi)];
}

/** [longitude, latitude] in degrees of a (not necessarily unit) vector. */
export function toLngLat(p: Vec3): [number, number] {
  const lat = Math.atan2(p[2], Math.sqrt(p[0] * p[0] + p[1] * p[1]));
  const lng = Math.atan2(p[1], p[0]);
  return [lng * (180 / Math.PI), lat * (180 / Math.PI)];
}

/** Sign of the orientation of (a, b, c): +1 counter-clockwise, −1 clockwise, 0 collinear. */
export function orientation(a: Vec3, b: Vec3, c: Vec3): number {
  return Math.sign(dot(cross(a, b), c));
}

/**
 * Whether geodesic edges AB and CD cross at a point interior to both (S2's CrossingSign: all four
 * orientation tests agree, which also rules out the antipodal intersection of the two great circles).
 * Touching at a vertex counts as crossing when `inclusive`.
 */
export function edgesCross(a: Vec3, b: Vec3, c: Vec3, d: Vec3, inclusive = false): boolean {
  const acb = -orientation(a, b, c);
  const bda = orientation(a, b, d);
  const cbd = -orientation(c, d, b);
  const dac = orientation(c, d, a);
  if (acb !== 0 && bda !== 0 && cbd !== 0 && dac !== 0) return acb === bda && bda === cbd && cbd === dac;
  if (!inclusive) return false;
  if (acb === 0 && bda === 0) return collinearOverlap(a, b, c, d);
  return [acb, bda, cbd, dac].filter((s) => s !== 0).every((s, _, all) => s === all[0]) && edgesTouch(a, b, c, d);
}

/** For degenerate (touching) configurations: some endpoint lies on the other edge. */
function edgesTouch(a: Vec3, b: Vec3, c: Vec3, d: Vec3): boolean {
  return onEdge(c, a, b) || onEdge(d, a, b) || onEdge(a, c, d) || onEdge(b, c, d);
}

function collinearOverlap(a: Vec3, b: Vec3, c: Vec3, d: Vec3): boolean {
  return edgesTouch(a, b, c, d);
}

/** Whether p lies on geodesic edge AB (within rounding). */
export function onEdge(p: Vec3, a: Vec3, b: Vec3): boolean {
  return distanceToEdge(p, a, b) < 1e-15;
}

/** The point of edges AB and CD's great circles that lies on both edges (call only when they cross). */
export function edgeIntersection(a: Vec3, b: Vec3, c: Vec3, d: Vec3): Vec3 {
  const ab = robustCross(a, b);
  const cd = robustCross(c, d);
  let x = normalize(cross(ab, cd));
  // Of the two antipodal candidates, take the one nearer the edges.
  const s = add(add(a, b), add(c, d));
  if (dot(x, s) < 0) x = scale(x, -1);
  return x;
}

/** The point of edge AB closest to x (S2::Project). */
export function projectOnEdge(x: Vec3, a: Vec3, b: Vec3): Vec3 {
  const n = robustCross(a, b);
  const nn = dot(n, n);
  if (nn === 0) return a;
  // Foot of x on the great circle of AB, then clamp to the edge's endpoints.
  const foot = normalize(sub(x, scale(n, dot(x, n) / nn)));
  if (isInteriorOfEdge(foot, a, b, n)) return foot;
  return angle(x, a) <= angle(x, b) ? a : b;
}

function isInteriorOfEdge(p: Vec3, a: Vec3, b: Vec3, n: Vec3): boolean {
  return dot(cross(n, a), p) > 0 && dot(cross(b, n), p) > 0;
}

/** Angular distance from x to the nearest point of edge AB. */
export function distanceToEdge(x: Vec3, a: Vec3, b: Vec3): number {
  return angle(x, projectOnEdge(x, a, b));
}

/** The point at angular distance `ax` from a towards b (S2::GetPointOnLine). */
export function pointOnLine(a: Vec3, b: Vec3, ax: number): Vec3 {
  const normal = robustCross(a, b);
  const tangent = cross(normal, a);
  const tn = norm(tangent);
  if (tn === 0) return a;
  return normalize(add(scale(a, Math.cos(ax)), scale(tangent, Math.sin(ax) / tn)));
}

function girardArea(a: Vec3, b: Vec3, c: Vec3): number {
  const ab = robustCross(a, b);
  const bc = robustCross(b, c);
  const ac = robustCross(a, c);
  return Math.max(0, angle(ab, ac) - angle(ab, bc) + angle(bc, ac));
}

/** Area of the spherical triangle ABC (S2::Area: l'Huilier's formula, Girard's for skinny triangles). */
export function triangleArea(a: Vec3, b: Vec3, c: Vec3): number {
  const sa = angle(b, c);
  const sb = angle(c, a);
  const sc = angle(a, b);
  const s = 0.5 * (sa + sb + sc);
  if (s >= 3e-4) {
    const s2 = s * s;
    const dmin = s - Math.max(sa, sb, sc);
    if (dmin < 1e-2 * s * s2 * s2) {
      const area = girardArea(a, b, c);
      if (dmin < s * (0.1 * area)) return area;
    }
  }
  const t = Math.tan(0.5 * s) * Math.tan(0.5 * (s - sa)) * Math.tan(0.5 * (s - sb)) * Math.tan(0.5 * (s - sc));
  return 4 * Math.atan(Math.sqrt(Math.max(0, t)));
}

export function signedTriangleArea(a: Vec3, b: Vec3, c: Vec3): number {
  return triangleArea(a, b, c) * (orientation(a, b, c) || 1);
}

/**
 * The true centroid of triangle ABC multiplied by its area (S2::TrueCentroid): summing these over a
 * fan gives a loop's centroid direction.
 */
export function triangleTrueCentroid(a: Vec3, b: Vec3, c: Vec3): Vec3 {
  const angleA = angle(b, c);
  const angleB = angle(c, a);
  const angleC = angle(a, b);
  const ra = angleA === 0 ? 1 : angleA / Math.sin(angleA);
  const rb = angleB === 0 ? 1 : angleB / Math.sin(angleB);
  const rc = angleC === 0 ? 1 : angleC / Math.sin(angleC);
  const x: Vec3 = [a[0], b[0] - a[0], c[0] - a[0]];
  const y: Vec3 = [a[1], b[1] - a[1], c[1] - a[1]];
  const z: Vec3 = [a[2], b[2] - a[2], c[2] - a[2]];
  const r: Vec3 = [ra, rb - ra, rc - ra];
  return scale([dot(cross(y, z), r), dot(cross(z, x), r), dot(cross(x, y), r)], 0.5);
}

/** The true centroid of edge AB multiplied by its length (S2::TrueCentroid for an edge). */
export function edgeTrueCentroid(a: Vec3, b: Vec3): Vec3 {
  const sum = add(a, b);
  const vsum2 = dot(sum, sum);
  if (vsum2 === 0) return [0, 0, 0];
  const diff = sub(a, b);
  return scale(sum, Math.sqrt(dot(diff, diff) / vsum2));
}

/**
 * Clockwise angle from north of the geodesic from a to b, in radians [0, 2π); NaN when the points
 * coincide or are antipodal (no defined direction).
 */
export function azimuth(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const phi1 = lat1 * DEG;
  const phi2 = lat2 * DEG;
  const dl = (lng2 - lng1) * DEG;
  const y = Math.sin(dl) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dl);
  if (Math.abs(x) < 1e-15 && Math.abs(y) < 1e-15) return NaN;
  const az = Math.atan2(y, x);
  return az < 0 ? az + 2 * Math.PI : az;
}
