/**
 * Literal scanning and decoding, shared by the lexer and the parser.
 *
 * Everything here is pure and position-based: functions take the query text and an offset and
 * return what they found plus any problems (with offsets), never throwing. The rules follow
 * docs/kql-semantics.md §2 (strings) and §7 (timespans), i.e. Kusto.Language's TokenParser:
 *
 *  - strings `"…"` / `'…'` with the escapes `\\ \' \" \a \b \f \n \r \t \v \uXXXX \UXXXXXXXX \xHH`
 *    and octal `\o`, `\oo`, `\ooo` (three digits only when the first is 0-3); any other escape is
 *    reported and kept verbatim; a raw line break ends the literal (unterminated);
 *  - verbatim `@"…"` / `@'…'` (the quote doubled stands for itself, backslash is literal);
 *  - obfuscated `h"…"` / `H'…'` / `h@"…"` (the `h` is not part of the value);
 *  - multi-line ```` ```…``` ```` (no escapes, may span lines);
 *  - timespans `digits[.digits]suffix` → exact 100 ns ticks as bigint.
 */

export interface LiteralProblem {
  /** Offset in the query text. */
  start: number;
  length: number;
  message: string;
  /** `escape` for a bad escape sequence, `unterminated` for a missing closing quote. */
  kind: 'escape' | 'unterminated';
}

export interface ScannedString {
  /** Offset just past the literal (past the closing quote when there is one). */
  end: number;
  /** The decoded value. */
  value: string;
  terminated: boolean;
  problems: LiteralProblem[];
}

const CH_BACKSLASH = 92;
const CH_DQUOTE = 34;
const CH_SQUOTE = 39;
const CH_BACKTICK = 96;
const CH_AT = 64;

/** Kusto.Language's TextFacts.IsLineBreakStart. */
export function isLineBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

export function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

export function isDecimalDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexRun(text: string, pos: number, count: number): boolean {
  if (pos + count > text.length) return false;
  for (let i = 0; i < count; i++) if (!isHexDigit(text.charCodeAt(pos + i))) return false;
  return true;
}

/**
 * If a string literal starts at `pos` (`"`, `'`, `@"`, `@'`, ```` ``` ````, `h"`, `H@'`, …),
 * returns the offset of its opening quote character(s) and its flavour; otherwise undefined.
 */
export function stringLiteralPrefix(
  text: string,
  pos: number,
): { quotePos: number; verbatim: boolean; multiLine: boolean; obfuscated: boolean } | undefined {
  let p = pos;
  let obfuscated = false;
  let c = text.charCodeAt(p);
  if (c === 104 /* h */ || c === 72 /* H */) {
    obfuscated = true;
    p++;
    c = text.charCodeAt(p);
  }
  let verbatim = false;
  if (c === CH_AT) {
    verbatim = true;
    p++;
    c = text.charCodeAt(p);
  }
  if (c === CH_DQUOTE || c === CH_SQUOTE) return { quotePos: p, verbatim, multiLine: false, obfuscated };
  if (c === CH_BACKTICK && text.startsWith('```', p)) return { quotePos: p, verbatim, multiLine: true, obfuscated };
  return undefined;
}

/**
 * Scans and decodes the string literal starting at `pos`. The caller must have checked
 * `stringLiteralPrefix(text, pos)`.
 */
export function scanStringLiteral(text: string, pos: number): ScannedString {
  const prefix = stringLiteralPrefix(text, pos);
  if (!prefix) return { end: pos, value: '', terminated: false, problems: [] };
  const problems: LiteralProblem[] = [];
  let p = prefix.quotePos;

  if (prefix.multiLine) {
    p += 3;
    const close = text.indexOf('```', p);
    if (close < 0) {
      problems.push({ start: text.length, length: 0, message: 'Unterminated multi-line string literal: expected closing ```', kind: 'unterminated' });
      return { end: text.length, value: text.slice(p), terminated: false, problems };
    }
    return { end: close + 3, value: text.slice(p, close), terminated: true, problems };
  }

  const quote = text.charCodeAt(p);
  p++;
  let value = '';
  let runStart = p;
  while (p < text.length) {
    const c = text.charCodeAt(p);
    if (c === quote) {
      if (prefix.verbatim && text.charCodeAt(p + 1) === quote) {
        value += text.slice(runStart, p + 1);
        p += 2;
        runStart = p;
        continue;
      }
      value += text.slice(runStart, p);
      return { end: p + 1, value, terminated: true, problems };
    }
    if (isLineBreak(c)) break;
    if (c === CH_BACKSLASH && !prefix.verbatim) {
      value += text.slice(runStart, p);
      const esc = decodeEscape(text, p);
      if (esc.ok) {
        value += esc.value;
        p += esc.length;
      } else {
        const next = text.charCodeAt(p + 1);
        const shown = p + 1 < text.length && !isLineBreak(next) ? text.slice(p, p + 2) : '\\';
        problems.push({ start: p, length: shown.length, message: `Invalid escape sequence '${shown}' in string literal`, kind: 'escape' });
        // keep the text as written and go on scanning, so the rest of the literal stays a literal
        value += shown;
        p += shown.length;
      }
      runStart = p;
      continue;
    }
    p++;
  }
  value += text.slice(runStart, p);
  // Reported where the closing quote is missing (the end of the literal), as Kusto.Language does.
  problems.push({ start: p, length: 0, message: 'Unterminated string literal', kind: 'unterminated' });
  return { end: p, value, terminated: false, problems };
}

/** Decodes one backslash escape at `pos` (which holds the backslash). */
function decodeEscape(text: string, pos: number): { ok: true; value: string; length: number } | { ok: false } {
  const c = text.charCodeAt(pos + 1);
  switch (c) {
    case CH_BACKSLASH:
      return { ok: true, value: '\\', length: 2 };
    case CH_SQUOTE:
      return { ok: true, value: "'", length: 2 };
    case CH_DQUOTE:
      return { ok: true, value: '"', length: 2 };
    case 97: // a
      return { ok: true, value: '\x07', length: 2 };
    case 98: // b
      return { ok: true, value: '\b', length: 2 };
    case 102: // f
      return { ok: true, value: '\f', length: 2 };
    case 110: // n
      return { ok: true, value: '\n', length: 2 };
    case 114: // r
      return { ok: true, value: '\r', length: 2 };
    case 116: // t
      return { ok: true, value: '\t', length: 2 };
    case 118: // v
      return { ok: true, value: '\v', length: 2 };
    case 117: // u: exactly four hex digits
      if (!hexRun(text, pos + 2, 4)) return { ok: false };
      return { ok: true, value: String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16)), length: 6 };
    case 85: {
      // U: exactly eight hex digits, a code point
      if (!hexRun(text, pos + 2, 8)) return { ok: false };
      const cp = parseInt(text.slice(pos + 2, pos + 10), 16);
      if (cp > 0x10ffff) return { ok: false };
      return { ok: true, value: String.fromCodePoint(cp), length: 10 };
    }
    case 120: // x: exactly two hex digits
      if (!hexRun(text, pos + 2, 2)) return { ok: false };
      return { ok: true, value: String.fromCharCode(parseInt(text.slice(pos + 2, pos + 4), 16)), length: 4 };
    default: {
      // octal: 1-3 digits 0-7; three only when the first is 0-3 (so the value fits a byte)
      const d1 = c - 48;
      if (!(d1 >= 0 && d1 <= 7)) return { ok: false };
      const d2 = text.charCodeAt(pos + 2) - 48;
      if (!(d2 >= 0 && d2 <= 7)) return { ok: true, value: String.fromCharCode(d1), length: 2 };
      const d3 = text.charCodeAt(pos + 3) - 48;
      if (d3 >= 0 && d3 <= 7 && d1 <= 3) return { ok: true, value: String.fromCharCode(d1 * 64 + d2 * 8 + d3), length: 4 };
      return { ok: true, value: String.fromCharCode(d1 * 8 + d2), length: 3 };
    }
  }
}

// ───────────────────────────── timespans ─────────────────────────────

/** Ticks (100 ns) per unit, as a fraction num/den so that nanoseconds stay exact. */
interface TickUnit {
  num: bigint;
  den: bigint;
}

const DAY: TickUnit = { num: 864_000_000_000n, den: 1n };
const HOUR: TickUnit = { num: 36_000_000_000n, den: 1n };
const MINUTE: TickUnit = { num: 600_000_000n, den: 1n };
const SECOND: TickUnit = { num: 10_000_000n, den: 1n };
const MILLI: TickUnit = { num: 10_000n, den: 1n };
const MICRO: TickUnit = { num: 10n, den: 1n };
const NANO: TickUnit = { num: 1n, den: 100n };
const TICK: TickUnit = { num: 1n, den: 1n };

/** Every timespan suffix of docs/kql-semantics.md §7 (Kusto.Language `TimespanSuffixes`). */
export const TIMESPAN_SUFFIXES: ReadonlyMap<string, TickUnit> = new Map<string, TickUnit>([
  ['d', DAY], ['day', DAY], ['days', DAY],
  ['h', HOUR], ['hr', HOUR], ['hrs', HOUR], ['hour', HOUR], ['hours', HOUR],
  ['m', MINUTE], ['min', MINUTE], ['minute', MINUTE], ['minutes', MINUTE],
  ['s', SECOND], ['sec', SECOND], ['second', SECOND], ['seconds', SECOND],
  ['ms', MILLI], ['milli', MILLI], ['millis', MILLI], ['millisec', MILLI], ['millisecond', MILLI], ['milliseconds', MILLI],
  ['micro', MICRO], ['micros', MICRO], ['microsec', MICRO], ['microsecond', MICRO], ['microseconds', MICRO],
  ['nano', NANO], ['nanos', NANO], ['nanosec', NANO], ['nanosecond', NANO], ['nanoseconds', NANO],
  ['tick', TICK], ['ticks', TICK],
]);

const SUFFIXES_LONGEST_FIRST = [...TIMESPAN_SUFFIXES.keys()].sort((a, b) => b.length - a.length);

/** The longest timespan suffix that starts at `pos` (case-sensitive, as in Kusto), if any. */
export function matchTimespanSuffix(text: string, pos: number): string | undefined {
  for (const s of SUFFIXES_LONGEST_FIRST) if (text.startsWith(s, pos)) return s;
  return undefined;
}

/** Divides rounding half away from zero. */
function divRound(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an * 2n + ad) / (ad * 2n);
  return neg ? -q : q;
}

/**
 * `intDigits[.fracDigits]` × unit, exactly, in ticks. A result that is not a whole number of ticks
 * (`1.23456789ms`, `1nano`) is rounded half away from zero.
 */
export function decimalToTicks(intDigits: string, fracDigits: string, unit: TickUnit): bigint {
  const scale = 10n ** BigInt(fracDigits.length);
  const mantissa = BigInt(intDigits || '0') * scale + BigInt(fracDigits || '0');
  return divRound(mantissa * unit.num, scale * unit.den);
}

/**
 * Decodes a timespan literal token such as `24h`, `1.5h`, `100ms`, `10microsecond`, `1tick`.
 * Returns undefined when the text is not exactly `digits[.digits]suffix`.
 */
export function decodeTimespanToken(text: string): bigint | undefined {
  const m = /^([0-9]+)(?:\.([0-9]*))?([a-z]+)$/.exec(text);
  if (!m) return undefined;
  const unit = TIMESPAN_SUFFIXES.get(m[3]!);
  if (!unit) return undefined;
  return decimalToTicks(m[1]!, m[2] ?? '', unit);
}

/**
 * Decodes the inside of `timespan(…)` / `time(…)` (already trimmed, not `null`):
 *  - a timespan with a unit, optionally with spaces before the unit: `1d`, `15 seconds`, `1.5h`;
 *  - a bare number = days: `2`, `1.5`;
 *  - `[d.]hh:mm[:ss[.fffffff]]`: `12:34`, `0.12:34:56.7`;
 * each optionally signed (`-1d`, `-01:00:00`).
 */
export function decodeTimespanText(inner: string): bigint | undefined {
  let s = inner.trim();
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1n;
    s = s.slice(1).trimStart();
  }
  let m = /^([0-9]+)(?:\.([0-9]*))?\s*([a-z]*)$/.exec(s);
  if (m) {
    const unitName = m[3]!;
    const unit = unitName === '' ? DAY : TIMESPAN_SUFFIXES.get(unitName);
    if (!unit) return undefined;
    return sign * decimalToTicks(m[1]!, m[2] ?? '', unit);
  }
  m = /^(?:([0-9]+)\.)?([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:\.([0-9]{1,7}))?)?$/.exec(s);
  if (m) {
    const days = BigInt(m[1] ?? '0');
    const hours = BigInt(m[2]!);
    const minutes = BigInt(m[3]!);
    const seconds = BigInt(m[4] ?? '0');
    if (hours > 23n || minutes > 59n || seconds > 59n) return undefined;
    const frac = m[5] ?? '';
    const fracTicks = frac === '' ? 0n : BigInt(frac.padEnd(7, '0'));
    return sign * (days * DAY.num + hours * HOUR.num + minutes * MINUTE.num + seconds * SECOND.num + fracTicks);
  }
  return undefined;
}

// ───────────────────────────── numbers ─────────────────────────────

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;
const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;

/**
 * Decodes a long literal (`123`, `0x1F`) to a number. Values beyond ±2^53 lose precision (the AST
 * holds numbers; `Literal.text` keeps the exact digits). Returns undefined when out of the long range.
 */
export function decodeLongText(text: string, kind: 'long' | 'int' = 'long'): number | undefined {
  const m = /^([+-]?)\s*(0[xX][0-9a-fA-F]+|[0-9]+)$/.exec(text.trim());
  if (!m) return undefined;
  const digits = m[2]!;
  let v: bigint;
  if (digits.length > 2 && (digits[1] === 'x' || digits[1] === 'X')) {
    v = BigInt(digits);
    if (v > 0xffff_ffff_ffff_ffffn) return undefined;
    // hex literals are two's-complement bit patterns: 0xFFFFFFFFFFFFFFFF is -1
    if (kind === 'int') {
      if (v > 0xffff_ffffn) return undefined;
      v = BigInt.asIntN(32, v);
    } else {
      v = BigInt.asIntN(64, v);
    }
  } else {
    v = BigInt(digits);
  }
  if (m[1] === '-') v = -v;
  const [lo, hi] = kind === 'int' ? [INT_MIN, INT_MAX] : [LONG_MIN, LONG_MAX];
  if (v < lo || v > hi) return undefined;
  return Number(v);
}

/** Decodes a real literal (`1.5`, `1e3`, `1.`, `nan`, `+inf`, `-inf`); undefined when malformed. */
export function decodeRealText(text: string): number | undefined {
  const s = text.trim();
  const special = /^([+-]?)\s*(nan|inf|infinity)$/i.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return special[1] === '' ? NaN : undefined;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!/^[+-]?\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(s)) return undefined;
  return Number(s.replace(/\s+/g, ''));
}

// ───────────────────────────── typed literals: `type(…)` ─────────────────────────────

/** The keywords that introduce a parenthesised literal, and the literal type they make. */
export const TYPED_LITERAL_KEYWORDS: ReadonlyMap<string, 'int' | 'long' | 'real' | 'bool' | 'decimal' | 'datetime' | 'timespan' | 'guid'> = new Map([
  ['int', 'int'],
  ['long', 'long'],
  ['real', 'real'],
  ['double', 'real'],
  ['bool', 'bool'],
  ['boolean', 'bool'],
  ['decimal', 'decimal'],
  ['datetime', 'datetime'],
  ['date', 'datetime'],
  ['timespan', 'timespan'],
  ['time', 'timespan'],
  ['guid', 'guid'],
] as const);

export type TypedLiteralResult =
  | { ok: true; type: 'int' | 'long' | 'real' | 'bool' | 'decimal' | 'datetime' | 'timespan' | 'guid'; value: string | number | boolean | bigint | null }
  | { ok: false; type: 'int' | 'long' | 'real' | 'bool' | 'decimal' | 'datetime' | 'timespan' | 'guid'; message: string };

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Decodes the inside of `keyword(inner)`, e.g. `long(-5)`, `datetime(2024-01-01 10:00)`.
 * `inner` is the raw text between the parentheses. `type(null)` is `null` for every type.
 */
export function decodeTypedLiteral(keyword: string, inner: string): TypedLiteralResult {
  const type = TYPED_LITERAL_KEYWORDS.get(keyword);
  if (!type) return { ok: false, type: 'long', message: `Unknown literal type '${keyword}'` };
  const s = inner.trim();
  const bad = (what: string): TypedLiteralResult => ({ ok: false, type, message: `Invalid ${what} literal '${keyword}(${inner})'` });
  if (s === 'null') return { ok: true, type, value: null };
  switch (type) {
    case 'int':
    case 'long': {
      const v = decodeLongText(s, type);
      return v === undefined ? bad(type) : { ok: true, type, value: v };
    }
    case 'real': {
      const v = decodeRealText(s);
      return v === undefined ? bad('real') : { ok: true, type, value: v };
    }
    case 'bool': {
      const l = s.toLowerCase();
      if (l === 'true') return { ok: true, type, value: true };
      if (l === 'false') return { ok: true, type, value: false };
      return bad('bool');
    }
    case 'decimal':
      return s === '' || !/^[+-]?\s*(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$|^[+-]?(nan|inf)$/i.test(s)
        ? bad('decimal')
        : { ok: true, type, value: s };
    case 'guid':
      return GUID_RE.test(s) ? { ok: true, type, value: s } : bad('guid');
    case 'datetime': {
      if (s === '') return bad('datetime');
      const q = stringLiteralPrefix(s, 0);
      if (q) {
        const str = scanStringLiteral(s, 0);
        if (!str.terminated || str.problems.length > 0 || str.end !== s.length) return bad('datetime');
        return { ok: true, type, value: str.value };
      }
      return { ok: true, type, value: s };
    }
    case 'timespan': {
      const v = decodeTimespanText(s);
      return v === undefined ? bad('timespan') : { ok: true, type, value: v };
    }
  }
}
