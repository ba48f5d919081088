/** geo_* functions over cell systems: geohash, S2 (own implementation, s2.ts) and H3 (Uber's h3-js). */
import { createRequire } from 'node:module';
import type * as H3 from 'h3-js';
import type { ScalarFunction } from '../registry.js';
import type { DynamicValue, Value } from '../../values/types.js';
import { DYNAMIC, INTEGER, NUMBER, STRING } from '../common.js';
import { type Vec3, EARTH_RADIUS_METERS, fromLngLat, toLngLat } from './sphere.js';
import { bufferRegion } from './buffer.js';
import { regionPolygons } from './polygon-union.js';
import { type Polygon, makeLoop, parsePolygons, polygonEdges, polygonsContain, loopContains, anyEdgesCross, polygonArea, parseLines, lineEdges, toVec } from './shapes.js';
import { coordinate, geoScalar, lngLatJson, optionalNumber, pointJson } from './define.js';
import { MAX_GEOHASH_LENGTH, decodeGeohash, encodeGeohash, geohashNeighbors } from './geohash.js';
import {

  MAX_LEVEL, allNeighbors, cellCenter, cellChildren, cellLevel, cellToToken, cellVertices, faceCells, pointToCell,
  tokenToCell,
} from './s2.js';

const requireModule = createRequire(import.meta.url);
let h3Module: typeof H3 | undefined;
/** h3-js is large (about 80 ms to load): it is loaded by the first H3 call, not by every query and scan thread. */
function h3(): typeof H3 {
  return (h3Module ??= requireModule('h3-js') as typeof H3);
}

function inRange(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

// ---- geohash ----

function pointToGeohash(args: Value[]): string | undefined {
  const p = coordinate(args[0]!, args[1]!);
  const accuracy = optionalNumber(args, 2, 5);
  return p && inRange(accuracy, 1, MAX_GEOHASH_LENGTH) ? encodeGeohash(p[0], p[1], accuracy) : undefined;
}

function geohashCenter(args: Value[]): DynamicValue | undefined {
  const box = decodeGeohash(args[0] as string);
  return box && { type: 'Point', coordinates: [(box.minLng + box.maxLng) / 2, (box.minLat + box.maxLat) / 2] };
}

function geohashPolygon(args: Value[]): DynamicValue | undefined {
  const box = decodeGeohash(args[0] as string);
  if (!box) return undefined;
  const ring = [
    [box.minLng, box.minLat], [box.maxLng, box.minLat], [box.maxLng, box.maxLat], [box.minLng, box.maxLat], [box.minLng, box.minLat],
  ];
  return { type: 'Polygon', coordinates: [ring] };
}

// ---- S2 ----

const MAX_S2_COVERING = 65536;

function pointToS2(args: Value[]): string | undefined {
  const p = coordinate(args[0]!, args[1]!);
  const level = optionalNumber(args, 2, 11);
  return p && inRange(level, 0, MAX_LEVEL) ? cellToToken(pointToCell(fromLngLat(p[0], p[1]), level)) : undefined;
}

function s2Center(args: Value[]): DynamicValue | undefined {
  const id = tokenToCell(args[0] as string);
  return id === undefined ? undefined : pointJson(cellCenter(id));
}

function s2Polygon(args: Value[]): DynamicValue | undefined {
  const id = tokenToCell(args[0] as string);
  if (id === undefined) return undefined;
  const ring = lngLatJson(cellVertices(id)) as DynamicValue[];
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

/**
 * Kusto lists S2 neighbours in this permutation of S2CellId::AppendAllNeighbors' order (as its docs
 * show for '89c259'): (+1,+1), (−1,−1), (+1,−1), (0,−1), (0,+1), (+1,0), (−1,0), (−1,+1) in (i, j) steps.
 */
const S2_NEIGHBOR_ORDER = [7, 0, 1, 2, 3, 5, 4, 6];

function s2Neighbors(args: Value[]): DynamicValue | undefined {
  const id = tokenToCell(args[0] as string);
  if (id === undefined) return undefined;
  const neighbors = allNeighbors(id);
  // Face-corner cells have 7 neighbours; keep S2's order for them rather than guess.
  if (neighbors.length !== S2_NEIGHBOR_ORDER.length) return [...new Set(neighbors.map(cellToToken))];
  return S2_NEIGHBOR_ORDER.map((k) => cellToToken(neighbors[k]!));
}

/** Whether an S2 cell and the polygons share any point. */
function cellIntersects(id: bigint, polygons: Polygon[]): boolean {
  const corners = cellVertices(id);
  if (corners.some((c) => polygonsContain(polygons, c))) return true;
  const cellLoop = makeLoop(corners);
  if (!cellLoop) return false;
  if (polygons.some((p) => p.loops[0]!.vertices.some((v) => loopContains(cellLoop, v)))) return true;
  const cellEdges = corners.map((c, i): [typeof c, typeof c] => [c, corners[(i + 1) % 4]!]);
  return anyEdgesCross(cellEdges, polygons.flatMap((p) => [...polygonEdges(p)]));
}

/** The cells of one level that `intersects` accepts, in cell-id order; undefined past Kusto's limit. */
function coverCells(intersects: (id: bigint) => boolean, level: number): string[] | undefined {
  const out: string[] = [];
  const stack = faceCells().reverse();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (!intersects(id)) continue;
    if (cellLevel(id) === level) {
      out.push(cellToToken(id));
      if (out.length > MAX_S2_COVERING) return undefined;
    } else {
      stack.push(...cellChildren(id).reverse());
    }
  }
  return out;
}

function coverPolygons(polygons: Polygon[], level: number): string[] | undefined {
  return coverCells((id) => cellIntersects(id, polygons), level);
}

/** Whether an S2 cell and the lines share any point: a line vertex inside, or an edge crossing the cell's. */
function cellTouchesLines(id: bigint, lines: Vec3[][]): boolean {
  const corners = cellVertices(id);
  const cellLoop = makeLoop(corners);
  if (cellLoop && lines.some((line) => line.some((v) => loopContains(cellLoop, v)))) return true;
  const cellEdges = corners.map((c, i): [Vec3, Vec3] => [c, corners[(i + 1) % 4]!]);
  return anyEdgesCross(cellEdges, lines.flatMap((line) => [...lineEdges(line)]));
}

/**
 * The cells of one level covering lines, or with a positive radius (meters) everything within it of
 * them (their buffer, drawn to 1% of the radius).
 */
function lineToS2Cells(args: Value[]): DynamicValue | undefined {
  const lines = parseLines(args[0] as DynamicValue);
  const level = optionalNumber(args, 1, 11);
  const radius = optionalNumber(args, 2, 0);
  if (!lines || !inRange(level, 0, MAX_LEVEL) || !(radius >= 0) || !(radius < Math.PI * EARTH_RADIUS_METERS)) return undefined;
  const chains = lines.map((line) => line.map(toVec));
  if (radius === 0) return coverCells((id) => cellTouchesLines(id, chains), level);
  const buffer = bufferRegion(chains, [], radius / EARTH_RADIUS_METERS, (radius * 0.01) / EARTH_RADIUS_METERS);
  if (!buffer) return undefined;
  const polygons = regionPolygons(buffer).map((rings) => ({ loops: rings.map((ring) => makeLoop(ring)!) }));
  return coverPolygons(polygons, level);
}

/** S2's kMaxArea derivative: no cell of level L covers more than this / 4^L steradians. */
const MAX_CELL_AREA_DERIV = 2.635799256963161;

function polygonToS2Cells(args: Value[]): DynamicValue | undefined {
  const polygons = parsePolygons(args[0] as DynamicValue);
  const level = optionalNumber(args, 1, 11);
  if (!polygons || !inRange(level, 0, MAX_LEVEL)) return undefined;
  // A covering needs at least area / (largest cell area) cells: past the limit, answer without searching.
  const area = polygons.reduce((sum, p) => sum + polygonArea(p), 0);
  if (area / (MAX_CELL_AREA_DERIV / 4 ** level) > MAX_S2_COVERING) return undefined;
  return coverPolygons(polygons, level);
}

// ---- H3 ----

const MAX_H3_RESOLUTION = 15;
const MAX_H3_RING_DISTANCE = 142;
const MAX_H3_CHILD_LEVELS = 5;

function validH3(cell: Value): cell is string {
  return typeof cell === 'string' && h3().isValidCell(cell);
}

function pointToH3(args: Value[]): string | undefined {
  const p = coordinate(args[0]!, args[1]!);
  const resolution = optionalNumber(args, 2, 6);
  return p && inRange(resolution, 0, MAX_H3_RESOLUTION) ? h3().latLngToCell(p[1], p[0], resolution) : undefined;
}

function h3Center(args: Value[]): DynamicValue | undefined {
  if (!validH3(args[0]!)) return undefined;
  const [lat, lng] = h3().cellToLatLng(args[0]);
  return { type: 'Point', coordinates: [lng, lat] };
}

function h3Polygon(args: Value[]): DynamicValue | undefined {
  if (!validH3(args[0]!)) return undefined;
  return { type: 'Polygon', coordinates: [h3().cellToBoundary(args[0], true)] };
}

function h3Level(args: Value[]): number | undefined {
  return validH3(args[0]!) ? h3().getResolution(args[0]) : undefined;
}

function h3Parent(args: Value[]): string | undefined {
  const cell = args[0]!;
  if (!validH3(cell)) return undefined;
  const level = h3().getResolution(cell);
  const resolution = optionalNumber(args, 1, level - 1);
  return inRange(resolution, 0, level - 1) ? h3().cellToParent(cell, resolution) : undefined;
}

function h3Children(args: Value[]): DynamicValue | undefined {
  const cell = args[0]!;
  if (!validH3(cell)) return undefined;
  const level = h3().getResolution(cell);
  const resolution = optionalNumber(args, 1, level + 1);
  if (!inRange(resolution, level, Math.min(MAX_H3_RESOLUTION, level + MAX_H3_CHILD_LEVELS))) return undefined;
  return h3().cellToChildren(cell, resolution);
}

function h3Neighbors(args: Value[]): DynamicValue | undefined {
  const cell = args[0]!;
  return validH3(cell) ? h3().gridDisk(cell, 1).filter((c) => c !== cell) : undefined;
}

function h3Rings(args: Value[]): DynamicValue | undefined {
  const cell = args[0]!;
  const distance = args[1] as number;
  if (!validH3(cell) || !inRange(distance, 0, MAX_H3_RING_DISTANCE)) return undefined;
  return h3().gridDiskDistances(cell, distance);
}

function polygonToH3Cells(args: Value[]): DynamicValue | undefined {
  const polygons = parsePolygons(args[0] as DynamicValue);
  const resolution = optionalNumber(args, 1, 6);
  if (!polygons || !inRange(resolution, 0, MAX_H3_RESOLUTION)) return undefined;
  const cells = new Set<string>();
  for (const polygon of polygons) {
    const rings = polygon.loops.map((loop) => loop.vertices.map((v) => { const [lng, lat] = toLngLat(v); return [lat, lng]; }));
    for (const cell of h3().polygonToCells(rings, resolution)) cells.add(cell);
  }
  return [...cells];
}

export function cellFunctions(): ScalarFunction[] {
  return [
    geoScalar('geo_point_to_geohash', [NUMBER, NUMBER, INTEGER], 'string', pointToGeohash, 1),
    geoScalar('geo_geohash_to_central_point', [STRING], 'dynamic', geohashCenter),
    geoScalar('geo_geohash_to_polygon', [STRING], 'dynamic', geohashPolygon),
    geoScalar('geo_geohash_neighbors', [STRING], 'dynamic', (args) => geohashNeighbors(args[0] as string)),
    geoScalar('geo_point_to_s2cell', [NUMBER, NUMBER, INTEGER], 'string', pointToS2, 1),
    geoScalar('geo_s2cell_to_central_point', [STRING], 'dynamic', s2Center),
    geoScalar('geo_s2cell_to_polygon', [STRING], 'dynamic', s2Polygon),
    geoScalar('geo_s2cell_neighbors', [STRING], 'dynamic', s2Neighbors),
    geoScalar('geo_line_to_s2cells', [DYNAMIC, INTEGER, NUMBER], 'dynamic', lineToS2Cells, 2),
    geoScalar('geo_polygon_to_s2cells', [DYNAMIC, INTEGER], 'dynamic', polygonToS2Cells, 1),
    geoScalar('geo_point_to_h3cell', [NUMBER, NUMBER, INTEGER], 'string', pointToH3, 1),
    geoScalar('geo_h3cell_to_central_point', [STRING], 'dynamic', h3Center),
    geoScalar('geo_h3cell_to_polygon', [STRING], 'dynamic', h3Polygon),
    geoScalar('geo_h3cell_level', [STRING], 'int', h3Level),
    geoScalar('geo_h3cell_parent', [STRING, INTEGER], 'string', h3Parent, 1),
    geoScalar('geo_h3cell_children', [STRING, INTEGER], 'dynamic', h3Children, 1),
    geoScalar('geo_h3cell_neighbors', [STRING], 'dynamic', h3Neighbors),
    geoScalar('geo_h3cell_rings', [STRING, INTEGER], 'dynamic', h3Rings),
    geoScalar('geo_polygon_to_h3cells', [DYNAMIC, INTEGER], 'dynamic', polygonToH3Cells, 1),
  ];
}

