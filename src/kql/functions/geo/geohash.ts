/**
 * Geohash (Gustavo Niemeyer's public geocoding scheme): base-32 characters, each adding 5 bits that
 * alternately halve the longitude and latitude ranges, longitude first.
 */
const ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

export const MAX_GEOHASH_LENGTH = 18;

export function encodeGeohash(lng: number, lat: number, length: number): string {
  let lngRange: [number, number] = [-180, 180];
  let latRange: [number, number] = [-90, 90];
  let out = '';
  let bits = 0;
  let bitCount = 0;
  let evenBit = true;
  while (out.length < length) {
    const range = evenBit ? lngRange : latRange;
    const value = evenBit ? lng : lat;
    const mid = (range[0] + range[1]) / 2;
    bits <<= 1;
    if (value >= mid) {
      bits |= 1;
      range[0] = mid;
    } else {
      range[1] = mid;
    }
    evenBit = !evenBit;
    if (++bitCount === 5) {
      out += ALPHABET[bits];
      bits = 0;
      bitCount = 0;
    }
  }
  return out;
}

export interface GeohashBox {
  minLng: number;
  maxLng: number;
  minLat: number;
  maxLat: number;
}

/** The cell of a geohash, or undefined when it is empty, too long or has a character outside the alphabet. */
export function decodeGeohash(hash: string): GeohashBox | undefined {
  if (hash.length === 0 || hash.length > MAX_GEOHASH_LENGTH) return undefined;
  const box: GeohashBox = { minLng: -180, maxLng: 180, minLat: -90, maxLat: 90 };
  let evenBit = true;
  for (const ch of hash) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) return undefined;
    for (let bit = 4; bit >= 0; bit--) {
      const on = ((index >> bit) & 1) === 1;
      if (evenBit) {
        const mid = (box.minLng + box.maxLng) / 2;
        if (on) box.minLng = mid;
        else box.maxLng = mid;
      } else {
        const mid = (box.minLat + box.maxLat) / 2;
        if (on) box.minLat = mid;
        else box.maxLat = mid;
      }
      evenBit = !evenBit;
    }
  }
  return box;
}

/** The 8 surrounding cells of the same length, in Kusto's order; cells past a pole are left out. */
export function geohashNeighbors(hash: string): string[] | undefined {
  const box = decodeGeohash(hash);
  if (!box) return undefined;
  const width = box.maxLng - box.minLng;
  const height = box.maxLat - box.minLat;
  const centerLng = (box.minLng + box.maxLng) / 2;
  const centerLat = (box.minLat + box.maxLat) / 2;
  const out: string[] = [];
  for (const [dx, dy] of NEIGHBOR_OFFSETS) {
    const lat = centerLat + dy * height;
    if (lat > 90 || lat < -90) continue;
    let lng = centerLng + dx * width;
    if (lng > 180) lng -= 360;
    if (lng < -180) lng += 360;
    out.push(encodeGeohash(lng, lat, hash.length));
  }
  return out;
}

/**
 * [dLng, dLat] steps in the order Kusto lists neighbours (geo_geohash_neighbors('sunny') in its docs):
 * south-west, north-west, south-east, north, west, north-east, east, south.
 */
const NEIGHBOR_OFFSETS: readonly [number, number][] = [
  [-1, -1], [-1, 1], [1, -1], [0, 1], [-1, 0], [1, 1], [1, 0], [0, -1],
];
