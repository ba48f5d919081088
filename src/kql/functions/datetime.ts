/**
 * Date and time functions. `now()` is fixed per query (EvalContext.now). Every datetime is UTC ticks
 * (bigint); calendar parts come from values/datetime. A result outside 0001–9999 is null.
 *
 * Weeks start on Sunday (startofweek docs); week_of_year is the ISO 8601 week (datetime_part docs:
 * 2017-10-30 → 44); dayofweek is a timespan of days since Sunday.
 */
import type { ArgInfo, BindResult, ScalarFunction } from './registry.js';
import type { ScalarType } from '../values/types.js';
import {
  MIN_DATETIME_TICKS, TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MILLISECOND, TICKS_PER_MINUTE, TICKS_PER_SECOND,
  civilFromDays, datetimeFields, daysFromCivil, floorDiv, floorMod, isValidDatetime,
} from '../values/datetime.js';
import { DATETIME, INTEGER, NUMBER, STRING, TIMESPAN, checkArgs, constantValue, defineScalar, simpleScalar } from './common.js';
import { formatDatetimeWith, formatTimespanWith, validateDatetimeFormat, validateTimespanFormat } from './datetime-format.js';

function validOrNull(ticks: bigint): bigint | null {
  return isValidDatetime(ticks) ? ticks : null;
}

const dayOf = (ticks: bigint) => floorDiv(ticks, TICKS_PER_DAY);

/** 0 for Sunday … 6 for Saturday (1970-01-01, day 0, was a Thursday). */
const daysSinceSunday = (day: bigint) => floorMod(day + 4n, 7n);

// ---------------------------------------------------------------------------------------------
// startof* / endof*

type Period = 'day' | 'week' | 'month' | 'year';

/** First tick of the period containing `ticks`, moved by `offset` periods. */
export function startOfPeriod(ticks: bigint, period: Period, offset: number): bigint {
  const day = dayOf(ticks);
  switch (period) {
    case 'day':
      return (day + BigInt(offset)) * TICKS_PER_DAY;
    case 'week': {
      return (day - daysSinceSunday(day) + 7n * BigInt(offset)) * TICKS_PER_DAY;
    }
    case 'month': {
      const { year, month } = civilFromDays(day);
      const index = year * 12 + (month - 1) + offset;
      return daysFromCivil(Math.floor(index / 12), (index % 12 + 12) % 12 + 1, 1) * TICKS_PER_DAY;
    }
    case 'year':
      return daysFromCivil(civilFromDays(day).year + offset, 1, 1) * TICKS_PER_DAY;
  }
}

function periodFunction(name: string, period: Period, end: boolean): ScalarFunction {
  return simpleScalar({
    name,
    params: [DATETIME, INTEGER],
    optional: 1,
    result: 'datetime',
    kernel: () => ([d, offset]) => {
      const shift = (offset as number | undefined) ?? 0;
      const year = civilFromDays(dayOf(d as bigint)).year;
      if (Math.abs(shift) > 120_000 || year + (period === 'year' ? shift : 0) < 1) return null;
      const ticks = end ? startOfPeriod(d as bigint, period, shift + 1) - 1n : startOfPeriod(d as bigint, period, shift);
      return validOrNull(ticks);
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Calendar parts

/** ISO 8601 week number (weeks start Monday; week 1 holds the year's first Thursday). */
export function isoWeekOfYear(ticks: bigint): number {
  const day = dayOf(ticks);
  const weekday = Number(((day + 3n) % 7n + 7n) % 7n); // Monday = 0
  const thursday = day - BigInt(weekday) + 3n;
  const year = civilFromDays(thursday).year;
  return Number((thursday - daysFromCivil(year, 1, 1)) / 7n) + 1;
}

type PartReader = (ticks: bigint) => number;

const PARTS: Record<string, PartReader> = {
  year: (t) => datetimeFields(t).year,
  quarter: (t) => Math.floor((datetimeFields(t).month - 1) / 3) + 1,
  month: (t) => datetimeFields(t).month,
  week_of_year: isoWeekOfYear,
  day: (t) => datetimeFields(t).day,
  dayofyear: (t) => Number(dayOf(t) - daysFromCivil(datetimeFields(t).year, 1, 1)) + 1,
  hour: (t) => datetimeFields(t).hour,
  minute: (t) => datetimeFields(t).minute,
  second: (t) => datetimeFields(t).second,
  millisecond: (t) => Number(datetimeFields(t).fractionTicks / TICKS_PER_MILLISECOND),
  microsecond: (t) => Number(datetimeFields(t).fractionTicks / 10n),
  nanosecond: (t) => Number(datetimeFields(t).fractionTicks * 100n),
};
PARTS.weekofyear = PARTS.week_of_year!;

function partFunction(name: string, part: PartReader): ScalarFunction {
  return simpleScalar({ name, params: [DATETIME], result: 'int', kernel: () => ([d]) => part(d as bigint) });
}

/** A constant unit name checked at bind time (case-insensitive, as Kusto accepts `dayOfYear`). */
function unitError(fn: string, args: ArgInfo[], index: number, known: Record<string, unknown>): BindResult | undefined {
  const unit = constantValue(args[index]);
  if (typeof unit === 'string' && !(unit.toLowerCase() in known)) {
    return { error: `${fn}(): unknown period '${unit}' (expected one of ${Object.keys(known).join(', ')})`, argIndex: index };
  }
  return undefined;
}

function datetimePart(): ScalarFunction {
  return defineScalar({
    name: 'datetime_part',
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      return checkArgs('datetime_part', args, [STRING, DATETIME]) ?? unitError('datetime_part', args, 0, PARTS) ?? { type: 'int' };
    },
    prepare() {
      return ([part, d]) => {
        const reader = PARTS[(part as string).toLowerCase()];
        return reader === undefined || d === null ? null : reader(d as bigint);
      };
    },
  });
}

// ---------------------------------------------------------------------------------------------
// datetime_add, datetime_diff

const FIXED_UNITS: Record<string, bigint> = {
  week: 7n * TICKS_PER_DAY, day: TICKS_PER_DAY, hour: TICKS_PER_HOUR, minute: TICKS_PER_MINUTE,
  second: TICKS_PER_SECOND, millisecond: TICKS_PER_MILLISECOND, microsecond: 10n,
};
const CALENDAR_MONTHS: Record<string, number> = { year: 12, quarter: 3, month: 1 };
const ADD_UNITS = { ...FIXED_UNITS, ...CALENDAR_MONTHS, nanosecond: 1 };

/** Adds months as .NET DateTime.AddMonths: the day is clamped to the target month's length. */
function addMonths(ticks: bigint, months: number): bigint | null {
  const day = dayOf(ticks);
  const timeOfDay = ticks - day * TICKS_PER_DAY;
  const { year, month, day: dom } = civilFromDays(day);
  const index = year * 12 + (month - 1) + months;
  const [y, m] = [Math.floor(index / 12), (index % 12 + 12) % 12 + 1];
  if (y < 1 || y > 9999) return null;
  const lastDay = Number(daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1));
  return daysFromCivil(y, m, Math.min(dom, lastDay)) * TICKS_PER_DAY + timeOfDay;
}

function datetimeAdd(): ScalarFunction {
  return defineScalar({
    name: 'datetime_add',
    minArgs: 3,
    maxArgs: 3,
    bind(args) {
      return checkArgs('datetime_add', args, [STRING, INTEGER, DATETIME]) ?? unitError('datetime_add', args, 0, ADD_UNITS) ?? { type: 'datetime' };
    },
    prepare() {
      return ([unit, amount, d]) => {
        if (unit === null || amount === null || d === null) return null;
        const u = (unit as string).toLowerCase();
        const n = Math.trunc(amount as number);
        if (u in CALENDAR_MONTHS) {
          const ticks = addMonths(d as bigint, n * CALENDAR_MONTHS[u]!);
          return ticks === null ? null : validOrNull(ticks);
        }
        if (u === 'nanosecond') return validOrNull((d as bigint) + BigInt(Math.trunc(n / 100)));
        const size = FIXED_UNITS[u];
        return size === undefined ? null : validOrNull((d as bigint) + BigInt(n) * size);
      };
    },
  });
}

/**
 * datetime_diff(unit, a, b): the number of unit boundaries between b and a (a − b), as the docs
 * examples show: calendar units compare year/quarter/month numbers, weeks compare Sunday-based
 * week starts, fixed units compare truncated unit counts (`second` of 10.1s and 0.9s → 10).
 */
export function datetimeDiff(unit: string, a: bigint, b: bigint): number | null {
  const u = unit.toLowerCase();
  if (u in CALENDAR_MONTHS) {
    const [fa, fb] = [datetimeFields(a), datetimeFields(b)];
    const monthIndex = (f: { year: number; month: number }) => f.year * 12 + f.month - 1;
    const per = CALENDAR_MONTHS[u]!;
    return Math.floor(monthIndex(fa) / per) - Math.floor(monthIndex(fb) / per);
  }
  if (u === 'week') return Number((startOfPeriod(a, 'week', 0) - startOfPeriod(b, 'week', 0)) / FIXED_UNITS.week!);
  if (u === 'nanosecond') return Number((a - b) * 100n);
  const size = FIXED_UNITS[u];
  if (size === undefined) return null;
  const origin = MIN_DATETIME_TICKS;
  return Number(floorDiv(a - origin, size) - floorDiv(b - origin, size));
}

function datetimeDiffFunction(): ScalarFunction {
  return defineScalar({
    name: 'datetime_diff',
    minArgs: 3,
    maxArgs: 3,
    bind(args) {
      return checkArgs('datetime_diff', args, [STRING, DATETIME, DATETIME]) ?? unitError('datetime_diff', args, 0, ADD_UNITS) ?? { type: 'long' };
    },
    prepare() {
      return ([unit, a, b]) => (unit === null || a === null || b === null ? null : datetimeDiff(unit as string, a as bigint, b as bigint));
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Construction: make_datetime, make_timespan, unixtime_*_todatetime

/** make_datetime(year, month, day [, hour, minute [, second]]): null for an invalid date. */
function makeDatetime(): ScalarFunction {
  return simpleScalar({
    name: 'make_datetime',
    params: [INTEGER, INTEGER, INTEGER, INTEGER, INTEGER, NUMBER],
    optional: 3,
    result: 'datetime',
    kernel: () => ([y, mo, d, h, mi, s]) => {
      const [year, month, day] = [y as number, mo as number, d as number];
      const [hour, minute, second] = [(h as number | undefined) ?? 0, (mi as number | undefined) ?? 0, (s as number | undefined) ?? 0];
      if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second >= 60) return null;
      const days = daysFromCivil(year, month, day);
      if (civilFromDays(days).day !== day) return null;
      const ticks = days * TICKS_PER_DAY + BigInt(hour) * TICKS_PER_HOUR + BigInt(minute) * TICKS_PER_MINUTE +
        BigInt(Math.round(second * 1e7));
      return validOrNull(ticks);
    },
  });
}

/** make_timespan(hour, minute) / (hour, minute, second) / (day, hour, minute, second); second may be fractional. */
function makeTimespan(): ScalarFunction {
  return simpleScalar({
    name: 'make_timespan',
    params: [INTEGER, INTEGER, NUMBER, NUMBER],
    optional: 2,
    result: 'timespan',
    kernel: () => (values) => {
      const parts = values.map((v) => v as number);
      const [day, hour, minute, second] = parts.length === 4 ? parts : parts.length === 3 ? [0, ...parts] : [0, ...parts, 0];
      return BigInt(Math.trunc(day!)) * TICKS_PER_DAY + BigInt(Math.trunc(hour!)) * TICKS_PER_HOUR +
        BigInt(Math.trunc(minute!)) * TICKS_PER_MINUTE + BigInt(Math.round(second! * 1e7));
    },
  });
}

/** unixtime_*_todatetime(n): n units since 1970-01-01 (fractions kept to the tick); out of range → null. */
function unixTime(name: string, ticksPerUnit: number): ScalarFunction {
  return simpleScalar({
    name,
    params: [NUMBER],
    result: 'datetime',
    kernel: () => ([n]) => {
      const value = n as number;
      if (!Number.isFinite(value)) return null;
      let ticks: bigint;
      if (!Number.isInteger(value)) ticks = BigInt(Math.floor(value * ticksPerUnit));
      else if (ticksPerUnit >= 1) ticks = BigInt(value) * BigInt(ticksPerUnit);
      else ticks = floorDiv(BigInt(value), BigInt(Math.round(1 / ticksPerUnit)));
      return validOrNull(ticks);
    },
  });
}

function formatFunction(name: string, type: ScalarType, validate: (f: string) => string | undefined, format: (t: bigint, f: string) => string): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      const err = checkArgs(name, args, [{ types: [type], description: type }, STRING]);
      if (err) return err;
      const f = constantValue(args[1]);
      const problem = typeof f === 'string' ? validate(f) : undefined;
      return problem ? { error: `${name}(): ${problem}`, argIndex: 1 } : { type: 'string' };
    },
    prepare() {
      return ([v, f]) => (v === null || f === null || validate(f as string) ? '' : format(v as bigint, f as string));
    },
  });
}

export function datetimeFunctions(): ScalarFunction[] {
  const now = simpleScalar({
    name: 'now',
    params: [TIMESPAN],
    optional: 1,
    result: 'datetime',
    kernel: (_args, ctx) => ([offset]) => validOrNull(ctx.now + ((offset as bigint | undefined) ?? 0n)),
  });
  const ago = simpleScalar({
    name: 'ago',
    params: [TIMESPAN],
    result: 'datetime',
    kernel: (_args, ctx) => ([span]) => validOrNull(ctx.now - (span as bigint)),
  });
  const dayofweek = simpleScalar({
    name: 'dayofweek',
    params: [DATETIME],
    result: 'timespan',
    kernel: () => ([d]) => daysSinceSunday(dayOf(d as bigint)) * TICKS_PER_DAY,
  });
  return [
    now, ago, dayofweek,
    ...(['day', 'week', 'month', 'year'] as Period[]).flatMap((p) => [periodFunction(`startof${p}`, p, false), periodFunction(`endof${p}`, p, true)]),
    partFunction('dayofmonth', PARTS.day!),
    partFunction('dayofyear', PARTS.dayofyear!),
    partFunction('hourofday', PARTS.hour!),
    partFunction('getmonth', PARTS.month!),
    partFunction('monthofyear', PARTS.month!),
    partFunction('getyear', PARTS.year!),
    partFunction('weekofyear', isoWeekOfYear),
    partFunction('week_of_year', isoWeekOfYear),
    datetimePart(), datetimeAdd(), datetimeDiffFunction(), makeDatetime(), makeTimespan(),
    unixTime('unixtime_seconds_todatetime', 1e7),
    unixTime('unixtime_milliseconds_todatetime', 1e4),
    unixTime('unixtime_microseconds_todatetime', 10),
    unixTime('unixtime_nanoseconds_todatetime', 0.01),
    formatFunction('format_datetime', 'datetime', validateDatetimeFormat, formatDatetimeWith),
    formatFunction('format_timespan', 'timespan', validateTimespanFormat, formatTimespanWith),
  ];
}
