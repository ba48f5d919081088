/**
 * datetime and timespan: 100 ns ticks held in bigint (see types.ts), parsing and Kusto's printing.
 *
 * All arithmetic on instants is done on bigint ticks and integer day numbers, never on JS Dates, so
 * the seventh fractional digit survives parsing, arithmetic and printing.
 */
export const TICKS_PER_MILLISECOND = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 600_000_000n;
export const TICKS_PER_HOUR = 36_000_000_000n;
export const TICKS_PER_DAY = 864_000_000_000n;

/** Kusto's datetime range is 0001-01-01 .. 9999-12-31T23:59:59.9999999 (the .NET DateTime range). */
export const MIN_DATETIME_TICKS = daysFromCivil(1, 1, 1) * TICKS_PER_DAY;
export const MAX_DATETIME_TICKS = (daysFromCivil(9999, 12, 31) + 1n) * TICKS_PER_DAY - 1n;

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, H. Hinnant's days_from_civil / civil_from_days).

/** Days since 1970-01-01 of a civil date (month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): bigint {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthIndex = (month + 9) % 12; // March = 0
  const dayOfYear = Math.floor((153 * monthIndex + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return BigInt(era * 146097 + dayOfEra - 719468);
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Civil date of a day number (days since 1970-01-01). */
export function civilFromDays(days: bigint): CivilDate {
  const z = Number(days) + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Floor division for bigint (JS `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
}

/** Non-negative remainder for a positive divisor. */
export function floorMod(a: bigint, b: bigint): bigint {
  return a - floorDiv(a, b) * b;
}

export function isValidDatetime(ticks: bigint): boolean {
  return ticks >= MIN_DATETIME_TICKS && ticks <= MAX_DATETIME_TICKS;
}

// ---------------------------------------------------------------------------------------------
// Parsing datetimes.

interface DateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Sub-second ticks (0 .. 9_999_999), already rounded to 7 digits. */
  fractionTicks: bigint;
  /** Offset from UTC in minutes (`+02:00` → 120); 0 for `Z`, GMT, UTC and unmarked times. */
  offsetMinutes: number;
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9,
  october: 10, november: 11, december: 12, sept: 9,
};

const WEEKDAY = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\\s+)?';
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?';
const ZONE = '\\s*(z|utc|gmt|[+-]\\d{2}(?::?\\d{2})?)?';
const AMPM = '(?:\\s*([ap]\\.?m\\.?))?';

/** ISO 8601 and its relatives: `2026-11-28`, `2026-11-28T10:00:00.1234567Z`, `2026/11/28 10:00 +02:00`. */
const ISO_PATTERN = new RegExp(`^(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})(?:(?:t|\\s+)${TIME}${ZONE})?$`, 'i');
/**
 * US month-first forms (invariant culture) written by the Defender portal and Log Analytics CSV exports:
 * `11/28/2026, 10:00:00.123 AM`, also `12-02-2022` (the todatetime docs example).
 */
const US_PATTERN = new RegExp(`^(\\d{1,2})([/-])(\\d{1,2})\\2(\\d{4})(?:,?\\s+${TIME}${AMPM}${ZONE})?$`, 'i');
/** RFC 1123 / RFC 822 style: `Sat, 28 Nov 2026 10:00:00 GMT`, `28 Nov 2026`. */
const DAY_MONTH_NAME_PATTERN = new RegExp(`^${WEEKDAY}(\\d{1,2})[\\s-]+([a-z]+)[\\s-]+(\\d{4})(?:\\s+${TIME}${AMPM}${ZONE})?$`, 'i');
/** Month name first: `Nov 28, 2026 10:00:00 AM` (Defender portal grid copy). */
const MONTH_NAME_DAY_PATTERN = new RegExp(`^${WEEKDAY}([a-z]+)\\s+(\\d{1,2}),?\\s+(\\d{4})(?:,?\\s+${TIME}${AMPM}${ZONE})?$`, 'i');

/**
 * Parses the datetime forms Kusto and Defender/Sentinel exports use; null when unparsable.
 *
 * Accepted: ISO 8601 with `T` or a space, with or without seconds, 0–7+ fractional digits, `Z`,
 * `UTC`/`GMT` or an offset (`+02:00`, `+0200`, `+02`); date only; `yyyy/MM/dd`; US `M/d/yyyy[,] h:mm[:ss[.f]] [AM|PM]`
 * (or `M-d-yyyy`);
 * RFC 1123 (`Sat, 28 Nov 2026 10:00:00 GMT`); `Nov 28, 2026 10:00 AM`. Times without a zone are UTC
 * (Kusto datetimes are always UTC). More than 7 fractional digits are rounded half-to-even to the
 * nearest tick, as .NET's parser (which Kusto uses) rounds the fraction to ticks.
 */
export function parseDatetime(text: string): bigint | null {
  const parts = matchDatetime(text.trim());
  if (!parts || !validParts(parts)) return null;
  const days = daysFromCivil(parts.year, parts.month, parts.day);
  const ticks =
    days * TICKS_PER_DAY +
    BigInt(parts.hour) * TICKS_PER_HOUR +
    BigInt(parts.minute) * TICKS_PER_MINUTE +
    BigInt(parts.second) * TICKS_PER_SECOND +
    parts.fractionTicks -
    BigInt(parts.offsetMinutes) * TICKS_PER_MINUTE;
  return isValidDatetime(ticks) ? ticks : null;
}

function matchDatetime(text: string): DateTimeParts | null {
  let m = ISO_PATTERN.exec(text);
  if (m) return buildParts(+m[1]!, +m[2]!, +m[3]!, m, 4, undefined, m[8]);
  m = US_PATTERN.exec(text);
  if (m) return buildParts(+m[4]!, +m[1]!, +m[3]!, m, 5, m[9], m[10]);
  m = DAY_MONTH_NAME_PATTERN.exec(text);
  if (m) return monthNamed(m[2]!, +m[3]!, +m[1]!, m);
  m = MONTH_NAME_DAY_PATTERN.exec(text);
  if (m) return monthNamed(m[1]!, +m[3]!, +m[2]!, m);
  return null;
}

function monthNamed(monthName: string, year: number, day: number, m: RegExpExecArray): DateTimeParts | null {
  const month = MONTHS[monthName.toLowerCase()];
  return month === undefined ? null : buildParts(year, month, day, m, 4, m[8], m[9]);
}

/** Reads hour, minute, second, fraction at `timeGroup`..+3 of a match, with optional AM/PM and zone. */
function buildParts(
  year: number, month: number, day: number, m: RegExpExecArray, timeGroup: number,
  ampm: string | undefined, zone: string | undefined,
): DateTimeParts | null {
  let hour = m[timeGroup] === undefined ? 0 : +m[timeGroup]!;
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12) return null;
    const pm = ampm.toLowerCase().startsWith('p');
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  const offsetMinutes = parseZone(zone);
  if (offsetMinutes === null) return null;
  return {
    year, month, day, hour,
    minute: m[timeGroup + 1] === undefined ? 0 : +m[timeGroup + 1]!,
    second: m[timeGroup + 2] === undefined ? 0 : +m[timeGroup + 2]!,
    fractionTicks: fractionToTicks(m[timeGroup + 3] ?? ''),
    offsetMinutes,
  };
}

function parseZone(zone: string | undefined): number | null {
  if (zone === undefined) return 0;
  const z = zone.toLowerCase();
  if (z === 'z' || z === 'utc' || z === 'gmt') return 0;
  const digits = z.slice(1).replace(':', '');
  const hours = +digits.slice(0, 2);
  const minutes = digits.length > 2 ? +digits.slice(2) : 0;
  if (hours > 14 || minutes > 59) return null;
  return (z[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * Decimal fraction digits → ticks (7 digits). Longer fractions round half-to-even at the 8th digit;
 * the result may be 10_000_000 (a carry into the seconds), which the caller's addition absorbs.
 */
export function fractionToTicks(digits: string): bigint {
  if (digits.length <= 7) return BigInt(digits.padEnd(7, '0') || '0');
  const kept = BigInt(digits.slice(0, 7));
  const rest = digits.slice(7);
  const half = '5'.padEnd(rest.length, '0');
  if (rest > half) return kept + 1n;
  if (rest < half) return kept;
  return kept % 2n === 0n ? kept : kept + 1n;
}

function validParts(p: DateTimeParts): boolean {
  return (
    p.year >= 1 && p.year <= 9999 &&
    p.month >= 1 && p.month <= 12 &&
    p.day >= 1 && p.day <= daysInMonth(p.year, p.month) &&
    p.hour <= 23 && p.minute <= 59 && p.second <= 59
  );
}

// ---------------------------------------------------------------------------------------------
// Printing datetimes.

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

/** The 7-digit fraction without trailing zeros, with its leading dot; empty when zero. */
function trimmedFraction(fractionTicks: bigint): string {
  if (fractionTicks === 0n) return '';
  return '.' + pad(fractionTicks, 7).replace(/0+$/, '');
}

export interface DatetimeFields extends CivilDate {
  hour: number;
  minute: number;
  second: number;
  /** 0 .. 9_999_999 */
  fractionTicks: bigint;
}

/** Splits ticks into calendar fields (UTC). */
export function datetimeFields(ticks: bigint): DatetimeFields {
  const days = floorDiv(ticks, TICKS_PER_DAY);
  const timeOfDay = ticks - days * TICKS_PER_DAY;
  const seconds = Number(timeOfDay / TICKS_PER_SECOND);
  return {
    ...civilFromDays(days),
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    fractionTicks: timeOfDay % TICKS_PER_SECOND,
  };
}

/** Kusto's printing: `2026-11-27T10:00:00Z`, up to 7 fractional digits, trailing zeros trimmed. */
export function formatDatetime(ticks: bigint): string {
  const f = datetimeFields(ticks);
  return (
    `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}` +
    `T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}${trimmedFraction(f.fractionTicks)}Z`
  );
}

/**
 * The round-trip form (.NET "o") Kusto uses when a datetime becomes text (tostring(), strcat, hash
 * input) or a dynamic value: always 7 fractional digits. Docs evidence: reverse(datetime(2017-10-15
 * 12:00)) = "Z0000000.00:00:21T51-01-7102", hash_md5(datetime(2020-01-01)) is the MD5 of
 * "2020-01-01T00:00:00.0000000Z", range(datetime(2007-01-01), …) holds "2007-01-01T00:00:00.0000000Z".
 */
export function formatDatetimeRoundTrip(ticks: bigint): string {
  const f = datetimeFields(ticks);
  return (
    `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}` +
    `T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}.${pad(f.fractionTicks, 7)}Z`
  );
}

// ---------------------------------------------------------------------------------------------
// Timespans.

/** Timespan literal suffixes (Kusto.Language TokenParser.TimespanSuffixes) → ticks per unit. */
const TIMESPAN_UNITS: Record<string, bigint> = {
  d: TICKS_PER_DAY, day: TICKS_PER_DAY, days: TICKS_PER_DAY,
  h: TICKS_PER_HOUR, hr: TICKS_PER_HOUR, hrs: TICKS_PER_HOUR, hour: TICKS_PER_HOUR, hours: TICKS_PER_HOUR,
  m: TICKS_PER_MINUTE, min: TICKS_PER_MINUTE, minute: TICKS_PER_MINUTE, minutes: TICKS_PER_MINUTE,
  s: TICKS_PER_SECOND, sec: TICKS_PER_SECOND, second: TICKS_PER_SECOND, seconds: TICKS_PER_SECOND,
  ms: TICKS_PER_MILLISECOND, milli: TICKS_PER_MILLISECOND, millis: TICKS_PER_MILLISECOND,
  millisec: TICKS_PER_MILLISECOND, millisecond: TICKS_PER_MILLISECOND, milliseconds: TICKS_PER_MILLISECOND,
  micro: 10n, micros: 10n, microsec: 10n, microsecond: 10n, microseconds: 10n,
  tick: 1n, ticks: 1n,
};
/** Nanosecond units are a hundredth of a tick: kept as a separate rational scale. */
const NANO_UNITS = new Set(['nano', 'nanos', 'nanosec', 'nanosecond', 'nanoseconds']);

const LITERAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?\s*([a-z]+)$/i;
const CLOCK_PATTERN = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/;
const DAYS_ONLY_PATTERN = /^(-)?(\d+)$/;

/**
 * Parses `[-][d.]hh:mm[:ss[.fffffff]]`, a bare day count (`2` = 2 days, as .NET and `timespan(2)`),
 * and literal forms like `1d`, `1.5h`, `100ms`, `10microseconds`, `1tick`; null when unparsable.
 * Literal fractions are exact: `1.5h` is 54_000_000_000 ticks; sub-tick remainders round half away from zero.
 */
export function parseTimespan(text: string): bigint | null {
  const t = text.trim();
  return parseClock(t) ?? parseLiteral(t) ?? parseDays(t);
}

function parseClock(text: string): bigint | null {
  const m = CLOCK_PATTERN.exec(text);
  if (!m) return null;
  const [hours, minutes, seconds] = [+m[3]!, +m[4]!, m[5] === undefined ? 0 : +m[5]];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const ticks =
    BigInt(m[2] ?? '0') * TICKS_PER_DAY + BigInt(hours) * TICKS_PER_HOUR + BigInt(minutes) * TICKS_PER_MINUTE +
    BigInt(seconds) * TICKS_PER_SECOND + fractionToTicks(m[6] ?? '');
  return m[1] ? -ticks : ticks;
}

function parseLiteral(text: string): bigint | null {
  const m = LITERAL_PATTERN.exec(text);
  if (!m) return null;
  const unit = m[4]!.toLowerCase();
  const fraction = m[3] ?? '';
  const mantissa = BigInt(m[2]! + fraction);
  let numerator: bigint;
  let denominator = 10n ** BigInt(fraction.length);
  if (NANO_UNITS.has(unit)) {
    numerator = mantissa;
    denominator *= 100n;
  } else {
    const perUnit = TIMESPAN_UNITS[unit];
    if (perUnit === undefined) return null;
    numerator = mantissa * perUnit;
  }
  const ticks = (numerator * 2n + denominator) / (2n * denominator); // round half up (values are non-negative)
  return m[1] ? -ticks : ticks;
}

function parseDays(text: string): bigint | null {
  const m = DAYS_ONLY_PATTERN.exec(text);
  if (!m) return null;
  const ticks = BigInt(m[2]!) * TICKS_PER_DAY;
  return m[1] ? -ticks : ticks;
}

/** Kusto's printing (.NET TimeSpan "c"): `[-][d.]hh:mm:ss[.fffffff]`, the fraction always 7 digits. */
export function formatTimespan(ticks: bigint): string {
  const negative = ticks < 0n;
  const abs = negative ? -ticks : ticks;
  const days = abs / TICKS_PER_DAY;
  const hours = (abs / TICKS_PER_HOUR) % 24n;
  const minutes = (abs / TICKS_PER_MINUTE) % 60n;
  const seconds = (abs / TICKS_PER_SECOND) % 60n;
  const fraction = abs % TICKS_PER_SECOND;
  return (
    (negative ? '-' : '') +
    (days > 0n ? `${days}.` : '') +
    `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}` +
    (fraction > 0n ? `.${pad(fraction, 7)}` : '')
  );
}

export function datetimeFromDate(date: Date): bigint {
  return BigInt(date.getTime()) * TICKS_PER_MILLISECOND;
}

/** Milliseconds since the epoch (sub-millisecond ticks truncated toward negative infinity). */
export function datetimeToMillis(ticks: bigint): number {
  const ms = ticks / TICKS_PER_MILLISECOND;
  return Number(ticks < 0n && ms * TICKS_PER_MILLISECOND !== ticks ? ms - 1n : ms);
}
