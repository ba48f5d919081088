/**
 * Projection pushdown for CSV (files that are not gzip): records are split into fields by scanning
 * bytes (RFC 4180: `"` quotes, `""` inside quotes, delimiters and line breaks inside quotes), and only
 * the fields the scan needs — plus those whose column can reject a value — are decoded and typed.
 *
 * csv-parse (formats.ts) stays the reference. It fixes the record delimiter from the first line
 * (LF or CRLF) and keeps state across records, so on the first record this reader does not find
 * plainly regular (a bare CR, a LF where CRLF was established, a quote inside an unquoted field,
 * text after a closing quote, a quoted line break cut by a read) it hands the rest of the file, from
 * that record's first byte, to csv-parse, with the header, line number and delimiter established.
 * Records with the wrong number of fields, values a column refuses and columns the schema lacks go
 * through the general typer, which words the messages.
 */
import type { ScalarType, Schema, Value } from '../kql/values/types.js';
import { coerceValue } from './coerce.js';
import { isIsoUtcDatetime, parseIsoUtcDatetime } from './fast-datetime.js';
import { timeFallbacks } from './time-fallbacks.js';

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

const FIELD_QUOTED = 1;
const FIELD_DOUBLED_QUOTES = 2;
const FIELD_NON_ASCII = 4;

/** Node's Buffer decoders without toString's argument handling (untyped, present in every Node). */
interface SliceDecoders {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/**
 * Whether any of the four bytes of `word` is a comma, LF, CR, quote or a byte beyond ASCII (bitwise
 * tests on all four at once, each exact in telling whether some byte matches).
 */
function endsPlainRun(word: number): boolean {
  const comma = word ^ 0x2c2c2c2c;
  const lf = word ^ 0x0a0a0a0a;
  const cr = word ^ 0x0d0d0d0d;
  const quote = word ^ 0x22222222;
  return ((word | ((comma - 0x01010101) & ~comma) | ((lf - 0x01010101) & ~lf) | ((cr - 0x01010101) & ~cr)
    | ((quote - 0x01010101) & ~quote)) & 0x80808080) !== 0;
}

/** Whether any of the four bytes of `word` is a quote, LF or a byte beyond ASCII. */
function endsQuotedRun(word: number): boolean {
  const lf = word ^ 0x0a0a0a0a;
  const quote = word ^ 0x22222222;
  return ((word | ((lf - 0x01010101) & ~lf) | ((quote - 0x01010101) & ~quote)) & 0x80808080) !== 0;
}

export type RecordDelimiter = '\n' | '\r\n';

/** Splits records into fields; positions refer to the last scanned buffer. */
export class CsvRecordScanner {
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  fieldCount = 0;
  /** Line feeds inside quoted fields of the last record (its extra lines). */
  innerLines = 0;
  /** Fixed by the first record that ends with a line break. */
  delimiter: RecordDelimiter | undefined;
  private bytes: Uint8Array = Buffer.alloc(0);
  /** The same bytes, read four at a time. */
  private words: DataView = new DataView(new ArrayBuffer(0));

  /**
   * Scans the record at bytes[i, end); returns the index after its record delimiter (or `end` for a
   * last record without one), or -1 when the record is not plainly regular (csv-parse takes over).
   */
  scanRecord(bytes: Uint8Array, i: number, end: number): number {
    if (this.bytes !== bytes) {
      this.bytes = bytes;
      this.words = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    this.fieldCount = 0;
    this.innerLines = 0;
    for (;;) {
      const after = bytes[i] === QUOTE && i < end ? this.quotedField(i, end) : this.plainField(i, end);
      if (after < 0) return -1;
      if (after >= end) return end;
      const c = bytes[after];
      if (c === COMMA) {
        i = after + 1;
        continue;
      }
      return this.recordEnd(after, end);
    }
  }

  /** The field at i without quotes: up to a comma or line break. */
  private plainField(i: number, end: number): number {
    const bytes = this.bytes;
    let flags = 0;
    let k = i;
    // Four bytes at a time while none ends the field or needs a look (comma, line break, quote, non-ASCII).
    const words = this.words;
    while (k + 4 <= end && !endsPlainRun(words.getInt32(k, true))) k += 4;
    for (; k < end; k++) {
      const c = bytes[k]!;
      if (c === COMMA || c === LF || c === CR) break;
      if (c === QUOTE) return -1; // csv-parse's relax_quotes rules decide
      if (c >= 0x80) flags = FIELD_NON_ASCII;
    }
    this.addField(i, k, flags);
    return k;
  }

  /** The quoted field at i (its opening quote): content up to the closing quote; `""` is a quote. */
  private quotedField(i: number, end: number): number {
    const bytes = this.bytes;
    let flags = FIELD_QUOTED;
    const words = this.words;
    for (let k = i + 1; k < end; k++) {
      // Four bytes at a time while none is a quote, a line feed or beyond ASCII.
      while (k + 4 <= end && !endsQuotedRun(words.getInt32(k, true))) k += 4;
      if (k >= end) break;
      const c = bytes[k]!;
      if (c === QUOTE) {
        if (k + 1 < end && bytes[k + 1] === QUOTE) {
          flags |= FIELD_DOUBLED_QUOTES;
          k++;
          continue;
        }
        const next = k + 1 < end ? bytes[k + 1] : undefined;
        if (next !== undefined && next !== COMMA && next !== LF && next !== CR) return -1;
        this.addField(i + 1, k, flags);
        return k + 1;
      }
      if (c === LF) this.innerLines++;
      else if (c >= 0x80) flags |= FIELD_NON_ASCII;
    }
    return -1; // unterminated here: the quote may close after a read boundary, or never
  }

  /** The record ends with a line break at i: returns the index after it, fixing the delimiter on the first. */
  private recordEnd(i: number, end: number): number {
    const bytes = this.bytes;
    const crlf = bytes[i] === CR;
    if (crlf && (i + 1 >= end || bytes[i + 1] !== LF)) return -1;
    const delimiter: RecordDelimiter = crlf ? '\r\n' : '\n';
    if (this.delimiter === undefined) this.delimiter = delimiter;
    else if (this.delimiter !== delimiter) return -1;
    return i + (crlf ? 2 : 1);
  }

  private addField(start: number, end: number, flags: number): void {
    if (this.fieldCount === this.starts.length) {
      const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const larger = make(a.length * 2);
        larger.set(a);
        return larger;
      };
      this.starts = grow(this.starts, (n) => new Int32Array(n));
      this.ends = grow(this.ends, (n) => new Int32Array(n));
      this.flags = grow(this.flags, (n) => new Uint8Array(n));
    }
    this.starts[this.fieldCount] = start;
    this.ends[this.fieldCount] = end;
    this.flags[this.fieldCount] = flags;
    this.fieldCount++;
  }

  /** The text of field `f` of the last record. */
  text(f: number): string {
    const decoders = this.bytes as unknown as SliceDecoders;
    const flags = this.flags[f]!;
    const start = this.starts[f]!;
    const end = this.ends[f]!;
    const text = flags & FIELD_NON_ASCII ? decoders.utf8Slice(start, end) : decoders.latin1Slice(start, end);
    return flags & FIELD_DOUBLED_QUOTES ? text.replaceAll('""', '"') : text;
  }

  /** All fields of the last record, as csv-parse gives them. */
  texts(): string[] {
    return Array.from({ length: this.fieldCount }, (_, f) => this.text(f));
  }

  /** Field `f` is a datetime in the ISO UTC form: its ticks, read from bytes; else null. */
  isoDatetime(f: number): bigint | null {
    if (this.flags[f]! & FIELD_DOUBLED_QUOTES) return null;
    return parseIsoUtcDatetime(this.bytes, this.starts[f]!, this.ends[f]!);
  }

  /** isoDatetime(f) would read the field, without building its value (a column checked, not needed). */
  isIsoDatetime(f: number): boolean {
    return (this.flags[f]! & FIELD_DOUBLED_QUOTES) === 0 && isIsoUtcDatetime(this.bytes, this.starts[f]!, this.ends[f]!);
  }

  /**
   * Field `f` written as plain digits (an optional minus, at most 15 digits, so the value is exact),
   * read from bytes as Number(text) reads it; NaN for any other text (the general coercion decides).
   */
  plainInteger(f: number): number {
    const bytes = this.bytes;
    let i = this.starts[f]!;
    const end = this.ends[f]!;
    const negative = bytes[i] === 0x2d;
    if (negative) i++;
    if (i >= end || end - i > 15) return NaN;
    let value = 0;
    for (; i < end; i++) {
      const d = bytes[i]! - 0x30;
      if (d < 0 || d > 9) return NaN;
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }
}

/** The field is empty (a missing value), as the general typer judges `""`. */
function isEmptyField(scanner: CsvRecordScanner, f: number): boolean {
  return scanner.ends[f]! === scanner.starts[f]!;
}

export type CsvLineResult = 'row' | 'blank' | 'general';

/** Types the records of one CSV file, given its header, by the table's schema. */
export class CsvRowTyper {
  readonly row: Value[];
  /** Per schema column that is decoded: the header field holding it (-1: not in the file). */
  private readonly columns: Array<{ column: number; field: number; type: ScalarType; needed: boolean }> = [];
  private readonly fallbacks: Array<[number, number]>;
  private readonly fieldOfColumn: number[];
  /** Header fields whose column the schema lacks (their values need the general path, once, for the warning). */
  private readonly unknownFields: number[];

  constructor(table: string, schema: Schema, needed: readonly boolean[], private readonly header: readonly string[], known: ReadonlySet<string>) {
    this.row = new Array<Value>(schema.length).fill(null);
    this.fallbacks = timeFallbacks(table, schema).filter(([target]) => needed[target]);
    const inFallback = new Set(this.fallbacks.flat());
    const fieldByName = new Map(header.map((name, f) => [name, f]));
    this.fieldOfColumn = schema.map((c) => fieldByName.get(c.name) ?? -1);
    schema.forEach((c, i) => {
      const decode = needed[i] || inFallback.has(i) || (c.type !== 'string' && c.type !== 'dynamic');
      if (decode) this.columns.push({ column: i, field: this.fieldOfColumn[i]!, type: c.type, needed: needed[i]! || inFallback.has(i) });
    });
    this.unknownFields = header.flatMap((name, f) => (known.has(name) ? [] : [f]));
  }

  /** Header fields of columns that have been warned about need no general path any more. */
  ignoreWarned(warned: ReadonlySet<string>): void {
    for (let k = this.unknownFields.length - 1; k >= 0; k--) {
      if (warned.has(this.header[this.unknownFields[k]!]!)) this.unknownFields.splice(k, 1);
    }
  }

  /** Types the last scanned record into `row`, or says it needs the general path. */
  typeRecord(scanner: CsvRecordScanner): CsvLineResult {
    if (scanner.fieldCount === 1 && scanner.text(0).trim() === '') return 'blank';
    if (scanner.fieldCount !== this.header.length) return 'general';
    for (const f of this.unknownFields) if (!isEmptyField(scanner, f)) return 'general';
    for (const { column, field, type, needed } of this.columns) {
      let value: Value;
      if (field < 0 || isEmptyField(scanner, field)) {
        value = type === 'string' ? '' : null;
      } else if (type === 'string') {
        value = scanner.text(field);
      } else if (type === 'datetime' && !needed && scanner.isIsoDatetime(field)) {
        continue;
      } else if (type === 'datetime' && (value = scanner.isoDatetime(field)) !== null) {
        // read from bytes
      } else if ((type === 'long' || type === 'real') && !Number.isNaN((value = scanner.plainInteger(field)))) {
        // read from bytes, as the coercion reads integer text
      } else {
        const coerced = coerceValue(type, scanner.text(field));
        if (!coerced.ok) return 'general';
        value = coerced.value;
      }
      if (needed) this.row[column] = value;
    }
    for (const [target, source] of this.fallbacks) {
      const field = this.fieldOfColumn[target]!;
      if (field < 0 || isEmptyField(scanner, field)) this.row[target] = this.row[source]!;
    }
    return 'row';
  }
}
