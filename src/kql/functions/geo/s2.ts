/**
 * S2 cells (the public S2 geometry cell hierarchy): the sphere is projected onto the six faces of a
 * cube with S2's quadratic (u,v)↔(s,t) transform, each face is subdivided 30 times into quadrants
 * ordered along a Hilbert curve, and a cell id is a 64-bit number: 3 face bits, 2 bits per level,
 * then a marker 1 bit. Kusto names cells by their token: the id in hex without trailing zeros.
 */
import { type Vec3, normalize } from './sphere.js';

export const MAX_LEVEL = 30;
const MAX_SIZE = 1 << MAX_LEVEL;
const SWAP_MASK = 1;
const INVERT_MASK = 2;
const POS_TO_IJ = [[0, 1, 3, 2], [0, 2, 3, 1], [3, 2, 0, 1], [3, 1, 0, 2]];
const IJ_TO_POS = [[0, 1, 3, 2], [0, 3, 1, 2], [2, 3, 1, 0], [2, 1, 3, 0]];
const POS_TO_ORIENTATION = [SWAP_MASK, 0, 0, INVERT_MASK | SWAP_MASK];

export interface CellBounds {
  face: number;
  level: number;
  /** Leaf-cell coordinates of the cell's lower-left corner and its size in leaf cells. */
  i: number;
  j: number;
  size: number;
}

function stToUV(s: number): number {
  return s >= 0.5 ? (1 / 3) * (4 * s * s - 1) : (1 / 3) * (1 - 4 * (1 - s) * (1 - s));
}

function uvToST(u: number): number {
  return u >= 0 ? 0.5 * Math.sqrt(1 + 3 * u) : 1 - 0.5 * Math.sqrt(1 - 3 * u);
}

function stToIJ(s: number): number {
  return Math.max(0, Math.min(MAX_SIZE - 1, Math.floor(MAX_SIZE * s)));
}

export function faceUVToXYZ(face: number, u: number, v: number): Vec3 {
  switch (face) {
    case 0: return [1, u, v];
    case 1: return [-u, 1, v];
    case 2: return [-u, -v, 1];
    case 3: return [-1, -v, -u];
    case 4: return [v, -1, -u];
    default: return [v, u, -1];
  }
}

export function xyzToFaceUV(p: Vec3): [number, number, number] {
  const ax = Math.abs(p[0]);
  const ay = Math.abs(p[1]);
  const az = Math.abs(p[2]);
  let face = ax > ay ? (ax > az ? 0 : 2) : (ay > az ? 1 : 2);
  if (p[face]! < 0) face += 3;
  const [x, y, z] = p;
  switch (face) {
    case 0: return [face, y / x, z / x];
    case 1: return [face, -x / y, z / y];
    case 2: return [face, -x / z, -y / z];
    case 3: return [face, z / x, y / x];
    case 4: return [face, z / y, -x / y];
    default: return [face, -y / z, -x / z];
  }
}

/** The leaf cell id (bigint) of face and leaf coordinates i, j. */
export function fromFaceIJ(face: number, i: number, j: number): bigint {
  let orientation = face & SWAP_MASK;
  let id = BigInt(face);
  for (let k = MAX_LEVEL - 1; k >= 0; k--) {
    const ij = (((i >> k) & 1) << 1) | ((j >> k) & 1);
    const pos = IJ_TO_POS[orientation]![ij]!;
    id = (id << 2n) | BigInt(pos);
    orientation ^= POS_TO_ORIENTATION[pos]!;
  }
  return (id << 1n) | 1n;
}

function lowestOnBit(level: number): bigint {
  return 1n << BigInt(2 * (MAX_LEVEL - level));
}

export function parentAtLevel(id: bigint, level: number): bigint {
  const lsb = lowestOnBit(level);
  return (id & -lsb) | lsb;
}

export function cellLevel(id: bigint): number {
  let level = MAX_LEVEL;
  let x = id;
  while ((x & 1n) === 0n) {
    x >>= 2n;
    level--;
  }
  return level;
}

export function pointToCell(p: Vec3, level: number): bigint {
  const [face, u, v] = xyzToFaceUV(p);
  return parentAtLevel(fromFaceIJ(face, stToIJ(uvToST(u)), stToIJ(uvToST(v))), level);
}

export function cellBounds(id: bigint): CellBounds {
  const face = Number(id >> 61n);
  const level = cellLevel(id);
  let orientation = face & SWAP_MASK;
  let i = 0;
  let j = 0;
  for (let k = 0; k < level; k++) {
    const pos = Number((id >> BigInt(59 - 2 * k)) & 3n);
    const ij = POS_TO_IJ[orientation]![pos]!;
    i |= (ij >> 1) << (MAX_LEVEL - 1 - k);
    j |= (ij & 1) << (MAX_LEVEL - 1 - k);
    orientation ^= POS_TO_ORIENTATION[pos]!;
  }
  return { face, level, i, j, size: 2 ** (MAX_LEVEL - level) };
}

/** The cell's four corners, counter-clockwise from (u0,v0) as S2Cell::GetVertex numbers them. */
export function cellVertices(id: bigint): Vec3[] {
  const b = cellBounds(id);
  const u0 = stToUV(b.i / MAX_SIZE);
  const u1 = stToUV((b.i + b.size) / MAX_SIZE);
  const v0 = stToUV(b.j / MAX_SIZE);
  const v1 = stToUV((b.j + b.size) / MAX_SIZE);
  return [[u0, v0], [u1, v0], [u1, v1], [u0, v1]].map(([u, v]) => normalize(faceUVToXYZ(b.face, u!, v!)));
}

export function cellCenter(id: bigint): Vec3 {
  const b = cellBounds(id);
  const u = stToUV((b.i + b.size / 2) / MAX_SIZE);
  const v = stToUV((b.j + b.size / 2) / MAX_SIZE);
  return normalize(faceUVToXYZ(b.face, u, v));
}

export function cellChildren(id: bigint): bigint[] {
  const level = cellLevel(id);
  const lsb = lowestOnBit(level);
  const childLsb = lowestOnBit(level + 1);
  const first = id - lsb + childLsb;
  return [0n, 1n, 2n, 3n].map((k) => first + k * 2n * childLsb);
}

export function faceCells(): bigint[] {
  return [0, 1, 2, 3, 4, 5].map((face) => (BigInt(face) << 61n) | (1n << 60n));
}

/** Leaf coordinates just beyond a face's edge, moved onto the adjacent face (S2CellId::FromFaceIJWrap). */
function fromFaceIJWrap(face: number, i: number, j: number): bigint {
  const ci = Math.max(-1, Math.min(MAX_SIZE, i));
  const cj = Math.max(-1, Math.min(MAX_SIZE, j));
  const limit = 1 + Number.EPSILON;
  const u = Math.max(-limit, Math.min(limit, (2 * (ci - MAX_SIZE / 2) + 1) / MAX_SIZE));
  const v = Math.max(-limit, Math.min(limit, (2 * (cj - MAX_SIZE / 2) + 1) / MAX_SIZE));
  const [f, fu, fv] = xyzToFaceUV(faceUVToXYZ(face, u, v));
  return fromFaceIJ(f, stToIJ(0.5 * (fu + 1)), stToIJ(0.5 * (fv + 1)));
}

function fromFaceIJSame(face: number, i: number, j: number, sameFace: boolean): bigint {
  return sameFace ? fromFaceIJ(face, i, j) : fromFaceIJWrap(face, i, j);
}

/** The cells of the same level sharing an edge or a corner with this one (S2CellId::AppendAllNeighbors). */
export function allNeighbors(id: bigint): bigint[] {
  const b = cellBounds(id);
  const { face, i, j, size, level } = b;
  const out: bigint[] = [];
  for (let k = -size; ; k += size) {
    let sameFace: boolean;
    if (k < 0) {
      sameFace = j + k >= 0;
    } else if (k >= size) {
      sameFace = j + k < MAX_SIZE;
    } else {
      sameFace = true;
      out.push(parentAtLevel(fromFaceIJSame(face, i + k, j - size, j - size >= 0), level));
      out.push(parentAtLevel(fromFaceIJSame(face, i + k, j + size, j + size < MAX_SIZE), level));
    }
    out.push(parentAtLevel(fromFaceIJSame(face, i - size, j + k, sameFace && i - size >= 0), level));
    out.push(parentAtLevel(fromFaceIJSame(face, i + size, j + k, sameFace && i + size < MAX_SIZE), level));
    if (k >= size) break;
  }
  return out;
}

export function cellToToken(id: bigint): string {
  if (id === 0n) return 'X';
  return id.toString(16).padStart(16, '0').replace(/0+$/, '');
}

/** The cell id of a token, or undefined when the token is not a valid cell. */
export function tokenToCell(token: string): bigint | undefined {
  if (token.length === 0 || token.length > 16 || !/^[0-9a-fA-F]+$/.test(token)) return undefined;
  const id = BigInt('0x' + token.padEnd(16, '0'));
  if (id === 0n || Number(id >> 61n) > 5) return undefined;
  // A valid id has its lowest set bit at an even position.
  let x = id;
  let position = 0;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    position++;
  }
  return position % 2 === 0 ? id : undefined;
}
