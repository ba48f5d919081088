/**
 * Time-zone conversions: datetime_utc_to_local(utc, tz) and datetime_local_to_utc(local, tz), with the
 * IANA zones Node's Intl (ICU) knows — including link names such as "US/Pacific". An unknown zone or a
 * result outside Kusto's datetime range gives null.
 *
 * A local time can be ambiguous (the hour repeated when clocks go back) or skipped (the hour lost when
 * they go forward). Ambiguous times are read as standard time, as .NET's TimeZoneInfo does. Skipped
 * times take the offset in force after the change; the docs example fixes this: in Europe/Brussels,
 * local 2022-03-27 02:00 (skipped) → 00:00 UTC, as are 01:00 → 00:00 and 03:00 → 01:00.
 */
import type { ScalarFunction } from './registry.js';
import { TICKS_PER_DAY, TICKS_PER_MILLISECOND, TICKS_PER_SECOND, isValidDatetime } from '../values/datetime.js';
import { DATETIME, STRING, simpleScalar } from './common.js';

const formatters = new Map<string, Intl.DateTimeFormat | undefined>();

function formatterFor(zone: string): Intl.DateTimeFormat | undefined {
  if (!formatters.has(zone)) {
    let formatter: Intl.DateTimeFormat | undefined;
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', era: 'short',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      formatter = undefined; // RangeError: not a time zone ICU knows
    }
    formatters.set(zone, formatter);
  }
  return formatters.get(zone);
}

/** The zone's UTC offset in ticks at a UTC instant (whole seconds, as the tz database has). */
function offsetAt(formatter: Intl.DateTimeFormat, utcTicks: bigint): bigint {
  const utcMillis = Number((utcTicks - floorMod(utcTicks, TICKS_PER_SECOND)) / TICKS_PER_MILLISECOND);
  const parts: Record<string, string> = {};
  for (const p of formatter.formatToParts(new Date(utcMillis))) parts[p.type] = p.value;
  const year = parts['era'] === 'BC' || parts['era'] === 'B' ? 1 - Number(parts['year']) : Number(parts['year']);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(parts['month']) - 1, Number(parts['day']));
  wall.setUTCHours(Number(parts['hour']), Number(parts['minute']), Number(parts['second']), 0);
  return BigInt(wall.getTime() - utcMillis) * TICKS_PER_MILLISECOND;
}

function floorMod(a: bigint, b: bigint): bigint {
  const r = a % b;
  return r < 0n ? r + b : r;
}

function utcToLocal(utc: bigint, zone: string): bigint | null {
  const formatter = formatterFor(zone);
  if (!formatter) return null;
  const local = utc + offsetAt(formatter, utc);
  return isValidDatetime(local) ? local : null;
}

function localToUtc(local: bigint, zone: string): bigint | null {
  const formatter = formatterFor(zone);
  if (!formatter) return null;
  // The offsets in force a day either side cover any single transition near `local`.
  const before = offsetAt(formatter, local - TICKS_PER_DAY);
  const after = offsetAt(formatter, local + TICKS_PER_DAY);
  const candidates = [before, after].filter((offset) => offsetAt(formatter, local - offset) === offset);
  // Ambiguous: standard time is the smaller offset. Skipped: the offset after the change.
  const offset = candidates.length === 0 ? after : candidates.reduce((a, b) => (a < b ? a : b));
  const utc = local - offset;
  return isValidDatetime(utc) ? utc : null;
}

export function timeZoneFunctions(): ScalarFunction[] {
  return [
    simpleScalar({
      name: 'datetime_utc_to_local', params: [DATETIME, STRING], result: 'datetime',
      kernel: () => ([utc, zone]) => utcToLocal(utc as bigint, zone as string),
    }),
    simpleScalar({
      name: 'datetime_local_to_utc', params: [DATETIME, STRING], result: 'datetime',
      kernel: () => ([local, zone]) => localToUtc(local as bigint, zone as string),
    }),
  ];
}
