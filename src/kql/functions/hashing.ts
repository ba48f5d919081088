/**
 * Hash functions: hash (xxHash64, as the hash() docs state), hash_sha256, hash_sha1, hash_md5
 * (node:crypto, lower-case hex of the UTF-8 bytes of tostring(source), which the docs examples
 * confirm: hash_md5("World") = f5a7924e621e84c9280a9a27e1bcb7f6).
 *
 * hash() of a string hashes its UTF-8 bytes with seed 0 (docs: hash("World") = 1846988464401551951).
 * Other types hash a fixed-width binary form: long/int/bool as an 8-byte little-endian integer,
 * real as its IEEE bits, datetime/timespan as .NET ticks. [UNCERTAIN] The docs example
 * hash(datetime("2015-01-01")) = 1380966698541616202 is NOT reproduced: Kusto's binary layout for
 * datetimes is not documented (the docs also say the algorithm "may change" and advise using hash()
 * only within one query), so non-string hashes are stable here but differ from Kusto's values.
 */
import { createHash } from 'node:crypto';
import type { ScalarFunction } from './registry.js';
import type { ScalarType, Value } from '../values/types.js';
import { ANY, INTEGER, dotnetTicks, simpleScalar, textOf } from './common.js';

const MASK64 = (1n << 64n) - 1n;
const PRIME1 = 11400714785074694791n;
const PRIME2 = 14029467366897019727n;
const PRIME3 = 1609587929392839161n;
const PRIME4 = 9650029242287828579n;
const PRIME5 = 2870177450012600261n;

function rotl64(x: bigint, r: number): bigint {
  return ((x << BigInt(r)) | (x >> BigInt(64 - r))) & MASK64;
}

function read64(bytes: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(bytes[at + k]!);
  return v;
}

function read32(bytes: Uint8Array, at: number): bigint {
  return BigInt((bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0);
}

function round(acc: bigint, input: bigint): bigint {
  return (rotl64((acc + input * PRIME2) & MASK64, 31) * PRIME1) & MASK64;
}

function mergeRound(acc: bigint, lane: bigint): bigint {
  return (((acc ^ round(0n, lane)) * PRIME1) + PRIME4) & MASK64;
}

/** xxHash64 (Yann Collet's public algorithm) of `bytes`; an unsigned 64-bit value. */
export function xxHash64(bytes: Uint8Array, seed = 0n): bigint {
  const n = bytes.length;
  let i = 0;
  let h: bigint;
  if (n >= 32) {
    let [v1, v2, v3, v4] = [(seed + PRIME1 + PRIME2) & MASK64, (seed + PRIME2) & MASK64, seed, (seed - PRIME1) & MASK64];
    for (; i + 32 <= n; i += 32) {
      v1 = round(v1, read64(bytes, i));
      v2 = round(v2, read64(bytes, i + 8));
      v3 = round(v3, read64(bytes, i + 16));
      v4 = round(v4, read64(bytes, i + 24));
    }
    h = (rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18)) & MASK64;
    for (const v of [v1, v2, v3, v4]) h = mergeRound(h, v);
  } else {
    h = (seed + PRIME5) & MASK64;
  }
  h = (h + BigInt(n)) & MASK64;
  for (; i + 8 <= n; i += 8) h = ((rotl64(h ^ round(0n, read64(bytes, i)), 27) * PRIME1) + PRIME4) & MASK64;
  if (i + 4 <= n) {
    h = ((rotl64(h ^ ((read32(bytes, i) * PRIME1) & MASK64), 23) * PRIME2) + PRIME3) & MASK64;
    i += 4;
  }
  for (; i < n; i++) h = (rotl64(h ^ ((BigInt(bytes[i]!) * PRIME5) & MASK64), 11) * PRIME1) & MASK64;
  h ^= h >> 33n;
  h = (h * PRIME2) & MASK64;
  h ^= h >> 29n;
  h = (h * PRIME3) & MASK64;
  return h ^ (h >> 32n);
}

function int64Bytes(v: bigint): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(BigInt.asIntN(64, v));
  return bytes;
}

/** The bytes hash() digests for a value of a type (see the module note). */
function hashInput(value: Value, type: ScalarType): Uint8Array {
  switch (type) {
    case 'int':
    case 'long':
      return int64Bytes(BigInt(value as number));
    case 'bool':
      return int64Bytes(value ? 1n : 0n);
    case 'real':
    case 'decimal': {
      const bytes = Buffer.alloc(8);
      bytes.writeDoubleLE(value as number);
      return bytes;
    }
    case 'datetime':
      return int64Bytes(dotnetTicks(value as bigint));
    case 'timespan':
      return int64Bytes(value as bigint);
    default:
      return Buffer.from(textOf(value, type), 'utf8');
  }
}

/** hash(source [, mod]): signed long; with mod, the unsigned hash modulo mod (0 … mod-1). */
function hash(): ScalarFunction {
  return simpleScalar({
    name: 'hash',
    params: [ANY, INTEGER],
    optional: 1,
    result: 'long',
    kernel: (args) => ([value, mod]) => {
      const h = xxHash64(hashInput(value!, args[0]!.type));
      if (mod === undefined) return Number(BigInt.asIntN(64, h));
      const m = BigInt(Math.trunc(mod as number));
      return m <= 0n ? null : Number(h % m);
    },
  });
}

/**
 * Combines 64-bit hashes the way xxHash64 digests a stream of 8-byte lanes: the hashes' little-endian
 * bytes, concatenated, hashed with seed 0. [UNCERTAIN] Kusto's combination is undocumented and this
 * does NOT reproduce the docs' value (hash_combine(hash("Hello"), hash("World")) = -1440138333540407281;
 * boost-style, multiply-add, HashCode-style and xxHash64-over-lanes variants were tried). What the docs
 * do fix holds: hash_many(a, b) = hash_combine(hash(a), hash(b)), order matters, and the docs advise
 * relying on the values only within one query.
 */
export function combineHashes(hashes: readonly bigint[]): bigint {
  const bytes = Buffer.alloc(8 * hashes.length);
  hashes.forEach((h, i) => bytes.writeBigUInt64LE(BigInt.asUintN(64, h), 8 * i));
  return xxHash64(bytes);
}

/** hash_combine(h1, h2 [, …]): one signed long from 2–32767 integer hashes; null if any is null. */
function hashCombine(): ScalarFunction {
  return simpleScalar({
    name: 'hash_combine',
    params: [INTEGER, INTEGER],
    rest: INTEGER,
    maxArgs: 32767,
    result: 'long',
    kernel: () => (hashes) => Number(BigInt.asIntN(64, combineHashes(hashes.map((h) => BigInt(h as number))))),
  });
}

/** hash_many(v1 [, v2 …]): hash() of each value (any type), combined as hash_combine does; null if any is null. */
function hashMany(): ScalarFunction {
  return simpleScalar({
    name: 'hash_many',
    params: [ANY],
    rest: ANY,
    maxArgs: 32767,
    result: 'long',
    kernel: (args) => (values) => {
      // Each hash passes through the engine's long (a double), exactly as hash() hands it to
      // hash_combine, so that hash_many(a, b) = hash_combine(hash(a), hash(b)) holds here too.
      const hashes = values.map((v, i) => BigInt(Number(BigInt.asIntN(64, xxHash64(hashInput(v!, args[i]!.type))))));
      return Number(BigInt.asIntN(64, combineHashes(hashes)));
    },
  });
}

function digest(name: string, algorithm: 'sha256' | 'sha1' | 'md5'): ScalarFunction {
  return simpleScalar({
    name,
    params: [ANY],
    result: 'string',
    kernel: (args) => ([value]) => createHash(algorithm).update(textOf(value!, args[0]!.type), 'utf8').digest('hex'),
  });
}

export function hashFunctions(): ScalarFunction[] {
  return [hash(), hashCombine(), hashMany(), digest('hash_sha256', 'sha256'), digest('hash_sha1', 'sha1'), digest('hash_md5', 'md5')];
}
