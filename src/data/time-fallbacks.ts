/**
 * Defender exports carry `Timestamp`, Sentinel exports `TimeGenerated`; for the built-in tables both
 * mean the event time, so a record lacking one reads it from the other and a rule written against
 * either column works on either export. Only built-in tables get this (their schemas have both).
 */
import type { Schema } from '../kql/values/types.js';
import { builtinSchema } from './schemas.js';

/** Pairs [target, source] of schema indexes: where the target's raw value is absent, it takes the source's typed value. */
export function timeFallbacks(tableName: string, schema: Schema): Array<[target: number, source: number]> {
  if (!builtinSchema(tableName)) return [];
  const timestamp = schema.findIndex((c) => c.name === 'Timestamp');
  const timeGenerated = schema.findIndex((c) => c.name === 'TimeGenerated');
  if (timestamp < 0 || timeGenerated < 0) return [];
  return [[timeGenerated, timestamp], [timestamp, timeGenerated]];
}

/** A raw value that counts as missing for the fallback and for unknown-column warnings. */
export function isAbsent(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}
