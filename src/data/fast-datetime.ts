/**
 * The datetime form exports nearly always use — `2026-11-27T10:00:00.1234567Z` — read straight from
 * bytes. Any other text (offsets, spaces, other layouts, out-of-range fields) is left to the general
 * parser (`parseDatetime`), which this must agree with on everything it accepts.
 */
import { TICKS_PER_DAY, daysFromCivil } from '../kql/values/datetime.js';

const DIGIT_0 = 0x30;

function digitAt(bytes: Uint8Array, i: number): number {
  const d = bytes[i]! - DIGIT_0;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The value of `count` digits at i, or -1 when one is not a digit. */
function number(bytes: Uint8Array, i: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) {
    const d = digitAt(bytes, i + k);
    if (d < 0) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Ticks at the start of the last date seen: timestamps in a file mostly share their date. */
let cachedDateKey = -1;
let cachedDayTicks = 0n;

function dayTicksOf(year: number, month: number, day: number): bigint {
  const key = (year * 100 + month) * 100 + day;
  if (key !== cachedDateKey) {
    cachedDayTicks = BigInt(daysFromCivil(year, month, day)) * TICKS_PER_DAY;
    cachedDateKey = key;
  }
  return cachedDayTicks;
}

/** The date and time within the day of the last text isoUtcParts accepted. */
let partYear = 0;
let partMonth = 0;
let partDay = 0;
let partTickOfDay = 0;

/**
 * Reads `YYYY-MM-DDTHH:MM:SS[.f…f]Z` (1–7 fraction digits) in bytes[start, end) into the part
 * variables; false for any other text, including impossible dates.
 */
function isoUtcParts(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < 20 || length > 28 || bytes[end - 1] !== 0x5a /* Z */) return false;
  if (bytes[start + 4] !== 0x2d || bytes[start + 7] !== 0x2d || bytes[start + 10] !== 0x54 /* T */
    || bytes[start + 13] !== 0x3a || bytes[start + 16] !== 0x3a) return false;
  const year = number(bytes, start, 4);
  const month = number(bytes, start + 5, 2);
  const day = number(bytes, start + 8, 2);
  const hour = number(bytes, start + 11, 2);
  const minute = number(bytes, start + 14, 2);
  const second = number(bytes, start + 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let fraction = 0;
  if (length > 20) {
    // `.` then 1–7 digits before the Z; the fraction is scaled to 7 digits (ticks).
    if (bytes[start + 19] !== 0x2e || length === 21) return false;
    const digits = length - 21;
    const value = number(bytes, start + 20, digits);
    if (value < 0) return false;
    fraction = value * 10 ** (7 - digits);
  }
  partYear = year;
  partMonth = month;
  partDay = day;
  // Ticks within a day stay below 2^53 (8.64e11), so they are summed exactly as a number.
  partTickOfDay = (hour * 3600 + minute * 60 + second) * 10_000_000 + fraction;
  return true;
}

/**
 * Ticks of `YYYY-MM-DDTHH:MM:SS[.f…f]Z` (1–7 fraction digits) in bytes[start, end); null for any
 * other text, including impossible dates, which the general parser then rejects or reads.
 */
export function parseIsoUtcDatetime(bytes: Uint8Array, start: number, end: number): bigint | null {
  if (!isoUtcParts(bytes, start, end)) return null;
  return dayTicksOf(partYear, partMonth, partDay) + BigInt(partTickOfDay);
}

/** Whether parseIsoUtcDatetime reads the text, without building its value (a column checked, not needed). */
export function isIsoUtcDatetime(bytes: Uint8Array, start: number, end: number): boolean {
  return isoUtcParts(bytes, start, end);
}
