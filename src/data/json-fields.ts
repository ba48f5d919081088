/**
 * Projection pushdown for NDJSON: a byte-level scanner over one line that checks the line is one
 * JSON object exactly as `JSON.parse` would accept it, and records where the values of the wanted
 * top-level keys are, without building the object. Values are decoded only when asked for
 * (`value(slot)`), so a scan that needs 9 of 60 columns builds 9 values per line, not an object of 60.
 *
 * Guarantees the fast path relies on (and the tests check):
 * - `scanLine` answers `record` only for a line `JSON.parse` parses into an object; any other line
 *   (broken JSON, a non-object, unusual whitespace) is `other`, and the caller falls back to
 *   `JSON.parse` for the exact message. The scanner may be stricter than JSON.parse, never laxer.
 * - A decoded value equals the one `JSON.parse` gives for that key: escapes and `\uXXXX` (surrogate
 *   pairs included) are decoded by JSON.parse itself, nested objects and arrays too; for a duplicate
 *   key the last occurrence wins, as in JSON.parse.
 */

/** Kinds of a located value; 0 means the key was absent from the line. */
export const enum TokenKind {
  Absent = 0,
  /** A string without escapes whose bytes are all ASCII. */
  AsciiString,
  /** A string without escapes holding UTF-8 beyond ASCII. */
  Utf8String,
  /** A string with backslash escapes, all of its bytes ASCII. */
  EscapedAscii,
  /** A string with backslash escapes and UTF-8 beyond ASCII. */
  EscapedString,
  Number,
  True,
  False,
  Null,
  /** An object or an array. */
  Nested,
}

export type LineOutcome = 'record' | 'blank' | 'other';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const CR = 0x0d;

/** A key outside the known names whose value is not null or "" (so JSON.parse's record would carry it). */
const SLOT_UNKNOWN = -2;
/** A known key the scan does not need. */
const SLOT_SKIP = -1;

/** 1 for the bytes a JSON string holds as they are and that are ASCII (not `"`, `\\`, controls). */
const PLAIN_STRING_BYTE = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) PLAIN_STRING_BYTE[c] = c === QUOTE || c === BACKSLASH ? 0 : 1;

/**
 * Whether any of the four bytes of `word` (read little-endian) stops a run of plain string bytes:
 * a quote, a backslash, a control byte, or a byte beyond ASCII. Bitwise tests on all four at once
 * (each term is exact in telling whether some byte matches), so plain text is skipped a word at a time.
 */
function hasSpecialByte(word: number): boolean {
  const quote = word ^ 0x22222222;
  const backslash = word ^ 0x5c5c5c5c;
  return ((word | ((word - 0x20202020) & ~word) | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash)) & 0x80808080) !== 0;
}

function wordsOf(bytes: Buffer): Int32Array {
  const words = new Int32Array(bytes.length >> 2);
  for (let w = 0; w < words.length; w++) words[w] = bytes.readInt32LE(4 * w);
  return words;
}

function isJsonSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === CR;
}

function isHexDigit(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Bytes of `\"\\/bfnrt` allowed after a backslash (besides `u`). */
function isSimpleEscape(c: number): boolean {
  return c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;
}

function keyHash(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + bytes[i]!) | 0;
  return hash;
}

/** Node's Buffer decoders without toString's argument handling (present since Node 0.x, untyped). */
interface SliceDecoders {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const STRING_CACHE_SIZE = 4096;
/** Misses after which a slot's cache is dropped unless it has hit at least as often. */
const STRING_CACHE_TRIAL = 8192;

interface StringCache {
  enabled: boolean;
  /** Per entry: the raw content bytes (as latin1 text), the decoded text, and the hash of the raw bytes. */
  raws: Array<string | undefined>;
  texts: string[];
  hashes: Int32Array;
  hits: number;
  misses: number;
}

function newStringCache(): StringCache {
  return { enabled: true, raws: new Array<string | undefined>(STRING_CACHE_SIZE), texts: new Array<string>(STRING_CACHE_SIZE), hashes: new Int32Array(STRING_CACHE_SIZE), hits: 0, misses: 0 };
}

/** What `\x` stands for, by the byte x (JSON's simple escapes). */
const SIMPLE_ESCAPES = new Uint8Array(256);
for (const [escape, byte] of [[0x22, 0x22], [0x5c, 0x5c], [0x2f, 0x2f], [0x62, 0x08], [0x66, 0x0c], [0x6e, 0x0a], [0x72, 0x0d], [0x74, 0x09]]) {
  SIMPLE_ESCAPES[escape!] = byte!;
}

let unescaped = Buffer.allocUnsafe(4096);

/**
 * Decodes the content of a validated ASCII string with escapes into one flat string; undefined when
 * it holds a `\uXXXX` (left to JSON.parse, which pairs surrogates exactly as it always does).
 */
function unescapeAscii(bytes: Uint8Array, start: number, end: number): string | undefined {
  if (unescaped.length < end - start) unescaped = Buffer.allocUnsafe(2 * (end - start));
  const out = unescaped;
  let length = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c !== BACKSLASH) {
      out[length++] = c;
      continue;
    }
    const decoded = SIMPLE_ESCAPES[bytes[++i]!]!;
    if (decoded === 0) return undefined;
    out[length++] = decoded;
  }
  return (out as unknown as SliceDecoders).latin1Slice(0, length);
}

function sameAscii(text: string, bytes: Uint8Array, start: number): boolean {
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) !== bytes[start + k]) return false;
  return true;
}

interface KeyEntry {
  bytes: Buffer;
  /** The key's bytes as little-endian 32-bit words, for comparing four bytes at a time (the last partial word left out). */
  words: Int32Array;
  slot: number;
  /** Its bytes need no escaping in JSON, so finding them between quotes means this key. */
  predictable: boolean;
}

export class JsonFieldScanner {
  /** Per slot: kind, start and end (exclusive) of its value's bytes in the last scanned line. */
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** The last line had a key outside `known` with a value other than null or "". */
  unknownKeyPresent = false;
  private bytes: Uint8Array = Buffer.alloc(0);
  /** The same bytes, read four at a time. */
  private words: DataView = new DataView(new ArrayBuffer(0));
  private readonly byHash = new Map<number, KeyEntry[]>();
  private readonly byName = new Map<string, number>();
  private readonly caches: StringCache[];
  /** The key entry found at each member place of the previous line. */
  private readonly predicted: Array<KeyEntry | undefined> = [];
  /** Set by the string scanner: what the last string held (escapes, bytes beyond ASCII, or neither). */
  private lastStringKind: TokenKind = TokenKind.AsciiString;

  /**
   * `slots[i]`: the key whose value is located into slot i. `known`: further keys that are expected
   * and not needed (skipped without a second look); any other key with a value sets `unknownKeyPresent`.
   */
  constructor(slots: readonly string[], known: Iterable<string> = []) {
    this.kinds = new Uint8Array(slots.length);
    this.starts = new Int32Array(slots.length);
    this.ends = new Int32Array(slots.length);
    this.caches = slots.map(() => newStringCache());
    for (const name of known) this.addKey(name, SLOT_SKIP);
    slots.forEach((name, slot) => this.addKey(name, slot));
  }

  /** Treats `name` as known and unneeded from now on (e.g. once it has been warned about). */
  ignoreKey(name: string): void {
    if (!this.byName.has(name)) this.addKey(name, SLOT_SKIP);
  }

  private addKey(name: string, slot: number): void {
    const bytes = Buffer.from(name, 'utf8');
    const hash = keyHash(bytes, 0, bytes.length);
    const entries = this.byHash.get(hash) ?? [];
    const existing = entries.find((e) => e.bytes.equals(bytes));
    if (existing) existing.slot = slot;
    else entries.push({ bytes, words: wordsOf(bytes), slot, predictable: bytes.every((b) => PLAIN_STRING_BYTE[b] === 1 || b >= 0x80) });
    this.byHash.set(hash, entries);
    this.byName.set(name, slot);
  }

  /**
   * Scans the line in `bytes[start, end)` (without its line feed; a trailing CR is JSON space).
   * `record`: the line is one JSON object, its wanted values are located. `blank`: only JSON space.
   * `other`: anything else — the caller parses the line itself.
   */
  scanLine(bytes: Uint8Array, start: number, end: number): LineOutcome {
    if (this.bytes !== bytes) {
      this.bytes = bytes;
      this.words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.kinds.fill(TokenKind.Absent);
    this.unknownKeyPresent = false;
    try {
      let i = this.skipSpace(start, end);
      if (i === end) return 'blank';
      if (bytes[i] !== OPEN_BRACE) return 'other';
      i = this.scanMembers(i + 1, end, true);
      if (i < 0) return 'other';
      return this.skipSpace(i, end) === end ? 'record' : 'other';
    } catch {
      // Nesting deep enough to exhaust the stack: JSON.parse decides.
      return 'other';
    }
  }

  /** The decoded value of a slot, as JSON.parse gives it; undefined when its key was absent. */
  value(slot: number): unknown {
    return this.valueAt(this.kinds[slot] as TokenKind, this.starts[slot]!, this.ends[slot]!);
  }

  /** The decoded value of a token of the last scanned buffer (a slot's kind, start and end, kept for later). */
  valueAt(kind: TokenKind, start: number, end: number): unknown {
    const bytes = this.bytes as unknown as SliceDecoders;
    switch (kind) {
      case TokenKind.Absent: return undefined;
      case TokenKind.AsciiString: return bytes.latin1Slice(start + 1, end - 1);
      case TokenKind.Utf8String: return bytes.utf8Slice(start + 1, end - 1);
      case TokenKind.Number: return Number(bytes.latin1Slice(start, end));
      case TokenKind.True: return true;
      case TokenKind.False: return false;
      case TokenKind.Null: return null;
      case TokenKind.EscapedAscii:
      case TokenKind.EscapedString:
      case TokenKind.Nested:
        return JSON.parse(bytes.utf8Slice(start, end));
    }
  }

  /**
   * The slot's integer when it is written as plain digits (optional minus, at most 15 digits, so the
   * value is exact), without building text; NaN for any other token (the caller then uses value()).
   */
  plainInteger(slot: number): number {
    if (this.kinds[slot] !== TokenKind.Number) return NaN;
    const bytes = this.bytes;
    let i = this.starts[slot]!;
    const end = this.ends[slot]!;
    const negative = bytes[i] === MINUS;
    if (negative) i++;
    if (end - i > 15) return NaN;
    let value = 0;
    for (; i < end; i++) {
      const d = bytes[i]! - DIGIT_0;
      if (d < 0 || d > 9) return NaN;
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }

  /**
   * The slot's string when it is plain ASCII (no escapes), else undefined. Repeated values (host
   * names, action types, command lines) come from a small per-slot cache instead of new strings;
   * a slot whose values rarely repeat stops using the cache.
   */
  plainString(slot: number): string | undefined {
    return this.plainStringAt(slot, this.kinds[slot] as TokenKind, this.starts[slot]!, this.ends[slot]!);
  }

  /** plainString() of a token of the last scanned buffer, cached as the slot's values are. */
  plainStringAt(slot: number, kind: TokenKind, tokenStart: number, tokenEnd: number): string | undefined {
    if (kind !== TokenKind.AsciiString && kind !== TokenKind.EscapedAscii) return undefined;
    const start = tokenStart + 1;
    const end = tokenEnd - 1;
    const cache = this.caches[slot]!;
    if (!cache.enabled) return this.asciiText(kind, start, end);
    // Keyed by the raw bytes (escapes included): equal bytes decode to equal text.
    const bytes = this.bytes;
    const hash = keyHash(bytes, start, end);
    const index = hash & (STRING_CACHE_SIZE - 1);
    const raw = cache.raws[index];
    if (raw !== undefined && cache.hashes[index] === hash && raw.length === end - start && sameAscii(raw, bytes, start)) {
      cache.hits++;
      return cache.texts[index];
    }
    const text = this.asciiText(kind, start, end);
    cache.raws[index] = kind === TokenKind.AsciiString ? text : (bytes as unknown as SliceDecoders).latin1Slice(start, end);
    cache.texts[index] = text;
    cache.hashes[index] = hash;
    if (++cache.misses === STRING_CACHE_TRIAL && cache.hits < cache.misses) cache.enabled = false;
    return text;
  }

  /** The text of an ASCII string's content bytes[start, end), decoding its escapes. */
  private asciiText(kind: TokenKind, start: number, end: number): string {
    const decoders = this.bytes as unknown as SliceDecoders;
    if (kind === TokenKind.AsciiString) return decoders.latin1Slice(start, end);
    return unescapeAscii(this.bytes, start, end) ?? (JSON.parse(decoders.latin1Slice(start - 1, end + 1)) as string);
  }

  private skipSpace(i: number, end: number): number {
    const bytes = this.bytes;
    while (i < end && isJsonSpace(bytes[i]!)) i++;
    return i;
  }

  /**
   * The members of an object whose `{` is just before `i`; returns the index after its `}`, or -1.
   * At the top level (`locate`) keys are looked up and values located; nested objects are only checked.
   */
  private scanMembers(i: number, end: number, locate: boolean): number {
    const bytes = this.bytes;
    i = this.skipSpace(i, end);
    if (i < end && bytes[i] === CLOSE_BRACE) return i + 1;
    for (let member = 0; ; member++) {
      if (i >= end || bytes[i] !== QUOTE) return -1;
      const keyStart = i + 1;
      let slot = SLOT_SKIP;
      // Lines of one export list their keys in the same order: try the key seen at this place last time.
      const predicted = locate ? this.predicted[member] : undefined;
      if (predicted !== undefined && this.keyAt(predicted, keyStart, end)) {
        i = keyStart + predicted.bytes.length + 1;
        slot = predicted.slot;
      } else {
        i = this.scanString(keyStart, end);
        if (i < 0) return -1;
        if (locate) slot = this.slotOfKey(keyStart, i - 1, member);
      }
      i = this.skipSpace(i, end);
      if (i >= end || bytes[i] !== COLON) return -1;
      i = this.skipSpace(i + 1, end);
      const valueStart = i;
      let kind = this.valueKind(i, end);
      i = this.scanValue(kind, i, end);
      if (i < 0) return -1;
      // valueKind calls every string ASCII; the string scanner knows better.
      if (kind === TokenKind.AsciiString) kind = this.lastStringKind;
      if (slot >= 0) {
        this.kinds[slot] = kind;
        this.starts[slot] = valueStart;
        this.ends[slot] = i;
      } else if (slot === SLOT_UNKNOWN && kind !== TokenKind.Null && !(kind === TokenKind.AsciiString && i - valueStart === 2)) {
        this.unknownKeyPresent = true;
      }
      i = this.skipSpace(i, end);
      if (i >= end) return -1;
      const c = bytes[i];
      if (c === CLOSE_BRACE) return i + 1;
      if (c !== COMMA) return -1;
      i = this.skipSpace(i + 1, end);
    }
  }

  private scanElements(i: number, end: number): number {
    const bytes = this.bytes;
    i = this.skipSpace(i, end);
    if (i < end && bytes[i] === CLOSE_BRACKET) return i + 1;
    for (;;) {
      i = this.scanValue(this.valueKind(i, end), i, end);
      if (i < 0) return -1;
      i = this.skipSpace(i, end);
      if (i >= end) return -1;
      const c = bytes[i];
      if (c === CLOSE_BRACKET) return i + 1;
      if (c !== COMMA) return -1;
      i = this.skipSpace(i + 1, end);
    }
  }

  /** The kind of the value starting at i, judged by its first byte (strings are refined by scanValue). */
  private valueKind(i: number, end: number): TokenKind {
    if (i >= end) return TokenKind.Absent;
    const c = this.bytes[i]!;
    if (c === QUOTE) return TokenKind.AsciiString;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) return TokenKind.Nested;
    if (c === 0x74) return TokenKind.True;
    if (c === 0x66) return TokenKind.False;
    if (c === 0x6e) return TokenKind.Null;
    if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) return TokenKind.Number;
    return TokenKind.Absent;
  }

  /** Checks the value at i and returns the index after it, or -1. For strings, stores the refined kind. */
  private scanValue(kind: TokenKind, i: number, end: number): number {
    const bytes = this.bytes;
    switch (kind) {
      case TokenKind.AsciiString: return this.scanString(i + 1, end);
      case TokenKind.Nested:
        return bytes[i] === OPEN_BRACE ? this.scanMembers(i + 1, end, false) : this.scanElements(i + 1, end);
      case TokenKind.True: return this.literal(i, end, 'true');
      case TokenKind.False: return this.literal(i, end, 'false');
      case TokenKind.Null: return this.literal(i, end, 'null');
      case TokenKind.Number: return this.scanNumber(i, end);
      default: return -1;
    }
  }

  /** Scans string content from i (after the opening quote); returns the index after the closing quote, or -1. */
  private scanString(i: number, end: number): number {
    const bytes = this.bytes;
    let escape = false;
    let nonAscii = false;
    const words = this.words;
    for (;;) {
      // Most bytes are plain ASCII: four at a time, then one table look-up each up to the one that stops the run.
      while (i + 4 <= end && !hasSpecialByte(words.getInt32(i, true))) i += 4;
      while (i < end && PLAIN_STRING_BYTE[bytes[i]!] === 1) i++;
      if (i >= end) return -1;
      const c = bytes[i]!;
      if (c === QUOTE) break;
      if (c >= 0x80) {
        nonAscii = true;
        i++;
      } else if (c === BACKSLASH) {
        escape = true;
        i = this.escapeEnd(i, end);
        if (i < 0) return -1;
      } else {
        return -1; // a control character, which JSON strings must escape
      }
    }
    this.lastStringKind = escape
      ? (nonAscii ? TokenKind.EscapedString : TokenKind.EscapedAscii)
      : (nonAscii ? TokenKind.Utf8String : TokenKind.AsciiString);
    return i + 1;
  }

  /** The index after the escape sequence whose backslash is at i, or -1 when it is not a JSON escape. */
  private escapeEnd(i: number, end: number): number {
    const bytes = this.bytes;
    if (i + 1 >= end) return -1;
    const next = bytes[i + 1]!;
    if (isSimpleEscape(next)) return i + 2;
    if (next !== 0x75 || i + 5 >= end) return -1;
    for (let k = i + 2; k < i + 6; k++) if (!isHexDigit(bytes[k]!)) return -1;
    return i + 6;
  }

  private literal(i: number, end: number, word: string): number {
    if (i + word.length > end) return -1;
    for (let k = 0; k < word.length; k++) if (this.bytes[i + k] !== word.charCodeAt(k)) return -1;
    return i + word.length;
  }

  /** JSON's number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  private scanNumber(i: number, end: number): number {
    const bytes = this.bytes;
    if (bytes[i] === MINUS) i++;
    if (i >= end) return -1;
    if (bytes[i] === DIGIT_0) i++;
    else if (bytes[i]! >= 0x31 && bytes[i]! <= DIGIT_9) i = this.digits(i, end);
    else return -1;
    if (i < end && bytes[i] === DOT) {
      const afterDot = this.digits(i + 1, end);
      if (afterDot === i + 1) return -1;
      i = afterDot;
    }
    if (i < end && (bytes[i] === 0x65 || bytes[i] === 0x45)) {
      i++;
      if (i < end && (bytes[i] === 0x2b || bytes[i] === MINUS)) i++;
      const afterExponent = this.digits(i, end);
      if (afterExponent === i) return -1;
      i = afterExponent;
    }
    return i;
  }

  private digits(i: number, end: number): number {
    const bytes = this.bytes;
    while (i < end && bytes[i]! >= DIGIT_0 && bytes[i]! <= DIGIT_9) i++;
    return i;
  }

  /** The slot of the key in bytes[start, end) (just scanned), remembering it as the guess for this member place. */
  private slotOfKey(start: number, end: number, member: number): number {
    this.predicted[member] = undefined;
    if (this.lastStringKind !== TokenKind.AsciiString && this.lastStringKind !== TokenKind.Utf8String) {
      // Escaped key: its name is what JSON.parse makes of it.
      const name = JSON.parse(Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start - 1, end - start + 2).toString('utf8')) as string;
      return this.byName.get(name) ?? SLOT_UNKNOWN;
    }
    const entries = this.byHash.get(keyHash(this.bytes, start, end));
    if (entries) {
      for (const entry of entries) {
        if (!this.sameBytes(entry, start, end)) continue;
        if (entry.predictable) this.predicted[member] = entry;
        return entry.slot;
      }
    }
    return SLOT_UNKNOWN;
  }

  /** The key starting at `start` is exactly `expected` (then a closing quote). */
  private keyAt(expected: KeyEntry, start: number, end: number): boolean {
    const close = start + expected.bytes.length;
    return close < end && this.bytes[close] === QUOTE && this.sameBytes(expected, start, close);
  }

  private sameBytes(expected: KeyEntry, start: number, end: number): boolean {
    const bytes = expected.bytes;
    const length = bytes.length;
    if (length !== end - start) return false;
    const view = this.words;
    const words = expected.words;
    for (let w = 0; w < words.length; w++) if (view.getInt32(start + 4 * w, true) !== words[w]) return false;
    for (let i = 4 * words.length; i < length; i++) if (this.bytes[start + i] !== bytes[i]) return false;
    return true;
  }
}
