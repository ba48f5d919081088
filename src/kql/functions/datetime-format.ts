/**
 * format_datetime / format_timespan: the format specifiers the Kusto docs list, with .NET's meaning.
 * datetime: d dd, f…fffffff, F…FFFFFFF, h hh, H HH, m mm, M MM, s ss, y yy yyyy, tt.
 * timespan: d…dddddddd (days, zero-padded to the count), f…, F…, h hh / H HH (hours 0–23), m mm, s ss.
 * Other letters are rejected; every other character (separators, brackets, spaces) is copied.
 * `F` drops trailing zeros, and a zero F fraction also drops the `.` just before it (.NET rule).
 */
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND, datetimeFields } from '../values/datetime.js';

interface Token {
  letter: string;
  count: number;
}

/** Splits a format into runs of one specifier letter and literal characters. */
function tokenize(format: string): (Token | string)[] {
  const out: (Token | string)[] = [];
  for (let i = 0; i < format.length;) {
    const c = format[i]!;
    if (!/[a-zA-Z]/.test(c)) {
      out.push(c);
      i++;
      continue;
    }
    let j = i;
    while (j < format.length && format[j] === c) j++;
    out.push({ letter: c, count: j - i });
    i = j;
  }
  return out;
}

const DATETIME_SPECIFIERS: Record<string, number[]> = {
  d: [1, 2], f: [1, 2, 3, 4, 5, 6, 7], F: [1, 2, 3, 4, 5, 6, 7], h: [1, 2], H: [1, 2], m: [1, 2], M: [1, 2],
  s: [1, 2], y: [1, 2, 4], t: [2],
};
const TIMESPAN_SPECIFIERS: Record<string, number[]> = {
  d: [1, 2, 3, 4, 5, 6, 7, 8], f: [1, 2, 3, 4, 5, 6, 7], F: [1, 2, 3, 4, 5, 6, 7], h: [1, 2], H: [1, 2], m: [1, 2], s: [1, 2],
};

function validate(format: string, allowed: Record<string, number[]>): string | undefined {
  for (const token of tokenize(format)) {
    if (typeof token === 'string') continue;
    if (!allowed[token.letter]?.includes(token.count)) return `unsupported format specifier '${token.letter.repeat(token.count)}' in '${format}'`;
  }
  return undefined;
}

export const validateDatetimeFormat = (f: string) => validate(f, DATETIME_SPECIFIERS);
export const validateTimespanFormat = (f: string) => validate(f, TIMESPAN_SPECIFIERS);

const pad = (n: number | bigint, width: number) => String(n).padStart(width, '0');

/** Appends a fraction (7-digit ticks) for f/F runs; F trims zeros and may drop a preceding '.'. */
function appendFraction(out: string, fractionTicks: bigint, token: Token): string {
  const digits = pad(fractionTicks, 7).slice(0, token.count);
  if (token.letter === 'f') return out + digits;
  const trimmed = digits.replace(/0+$/, '');
  if (trimmed === '' && out.endsWith('.')) return out.slice(0, -1);
  return out + trimmed;
}

export function formatDatetimeWith(ticks: bigint, format: string): string {
  const f = datetimeFields(ticks);
  let out = '';
  for (const token of tokenize(format)) {
    if (typeof token === 'string') {
      out += token;
      continue;
    }
    const { letter, count } = token;
    switch (letter) {
      case 'd': out += pad(f.day, count); break;
      case 'M': out += pad(f.month, count); break;
      case 'y': out += count === 4 ? pad(f.year, 4) : pad(f.year % 100, count); break;
      case 'H': out += pad(f.hour, count); break;
      case 'h': out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count); break;
      case 'm': out += pad(f.minute, count); break;
      case 's': out += pad(f.second, count); break;
      case 't': out += f.hour < 12 ? 'AM' : 'PM'; break;
      default: out = appendFraction(out, f.fractionTicks, token);
    }
  }
  return out;
}

export function formatTimespanWith(ticks: bigint, format: string): string {
  const abs = ticks < 0n ? -ticks : ticks;
  const days = abs / TICKS_PER_DAY;
  const hours = (abs % TICKS_PER_DAY) / TICKS_PER_HOUR;
  const minutes = (abs % TICKS_PER_HOUR) / TICKS_PER_MINUTE;
  const seconds = (abs % TICKS_PER_MINUTE) / TICKS_PER_SECOND;
  let out = ticks < 0n ? '-' : '';
  for (const token of tokenize(format)) {
    if (typeof token === 'string') {
      out += token;
      continue;
    }
    switch (token.letter) {
      case 'd': out += pad(days, token.count); break;
      case 'h':
      case 'H': out += pad(hours, token.count); break;
      case 'm': out += pad(minutes, token.count); break;
      case 's': out += pad(seconds, token.count); break;
      default: out = appendFraction(out, abs % TICKS_PER_SECOND, token);
    }
  }
  return out;
}
