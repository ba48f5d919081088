/** The shared shape of a geo function entry: fixed parameter types and a per-row computation. */
import type { ScalarFunction } from '../registry.js';
import type { DynamicValue, ScalarType, Value } from '../../values/types.js';
import { type TypeSet, simpleScalar } from '../common.js';
import { type Vec3, toLngLat } from './sphere.js';
import { type LngLat, validCoordinate } from './shapes.js';

/**
 * A geo function whose null arguments give a null result and whose computation returns undefined for
 * invalid input (also null). `optional` trailing parameters may be omitted.
 */
export function geoScalar(
  name: string,
  params: readonly TypeSet[],
  result: ScalarType,
  compute: (args: Value[]) => Value | undefined,
  optional = 0,
): ScalarFunction {
  const empty: Value = result === 'string' ? '' : null;
  return simpleScalar({
    name,
    params,
    optional,
    result,
    kernel: () => (args) => {
      const value = compute(args);
      return value === undefined || (typeof value === 'number' && !Number.isFinite(value)) ? empty : value;
    },
  });
}

/** A (longitude, latitude) argument pair when both are valid coordinates. */
export function coordinate(lng: Value, lat: Value): LngLat | undefined {
  const x = lng as number;
  const y = lat as number;
  return validCoordinate(x, y) ? [x, y] : undefined;
}

export function pointJson(p: Vec3): DynamicValue {
  return { type: 'Point', coordinates: toLngLat(p) };
}

export function lngLatJson(coords: Vec3[]): DynamicValue {
  return coords.map((p) => toLngLat(p));
}

/** An optional numeric argument, or its default when omitted. */
export function optionalNumber(args: Value[], index: number, fallback: number): number {
  return args.length > index ? (args[index] as number) : fallback;
}
