/**
 * Typing NDJSON lines straight from their bytes (json-fields.ts), for scans that need some columns:
 * only the needed values are decoded, and of the other columns only those whose type can reject a
 * value (not string, not dynamic) are checked — so exactly the records the general path
 * (JSON.parse + RecordTyper) rejects are rejected, whatever columns a query mentions.
 *
 * Anything unusual — a line that is not a plain JSON object, a value its column refuses, a column the
 * schema lacks — is answered `general`: the caller runs that line through the general path, which
 * says what is wrong in the same words as always.
 */
import type { ScalarType, Schema, Value } from '../kql/values/types.js';
import { coerceValue } from './coerce.js';
import { JsonFieldScanner, TokenKind } from './json-fields.js';
import { isIsoUtcDatetime, parseIsoUtcDatetime } from './fast-datetime.js';
import { timeFallbacks } from './time-fallbacks.js';

const REJECTED = Symbol('rejected');

export type LineResult = 'row' | 'blank' | 'general';

/** Types whose coercion never fails: an unneeded column of such a type need not be looked at. */
function acceptsAnything(type: ScalarType): boolean {
  return type === 'string' || type === 'dynamic';
}

/**
 * Where the deferred values of pending rows are: per row, per deferred slot, the token's kind, start
 * and end in the current block (valid until the next block is read).
 */
export class DeferredTokens {
  readonly kinds: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;

  constructor(readonly perRow: number, rows: number) {
    this.kinds = new Uint8Array(perRow * rows);
    this.starts = new Int32Array(perRow * rows);
    this.ends = new Int32Array(perRow * rows);
  }
}

export class NdjsonRowTyper {
  /** After a `row` result: the typed values, at their schema index (unneeded and deferred columns hold stale values). */
  readonly row: Value[];
  /** Schema indexes of the deferred columns (decoded by decodeDeferred, only for rows that are kept). */
  readonly deferredColumns: number[] = [];
  private readonly scanner: JsonFieldScanner;
  /** Per slot: its schema column, type, and whether the scan needs its value. Eager slots come first. */
  private readonly slotColumn: number[] = [];
  private readonly slotType: ScalarType[] = [];
  private readonly slotNeeded: boolean[] = [];
  private readonly slotOfColumn: number[];
  private readonly eagerSlots: number;
  /** Time-column fallbacks whose target the scan needs: [target, source] schema indexes. */
  private readonly fallbacks: Array<[number, number]>;

  /**
   * `needed`: the columns the scan must deliver. `deferrable`: needed columns that may be decoded later
   * (decodeDeferred), once a filter has kept the row — only columns that cannot reject a value qualify.
   */
  constructor(table: string, schema: Schema, needed: readonly boolean[], deferrable: (column: number) => boolean = () => false) {
    this.row = new Array<Value>(schema.length).fill(null);
    this.fallbacks = timeFallbacks(table, schema).filter(([target]) => needed[target]);
    const inFallback = new Set(this.fallbacks.flat());
    const eager: number[] = [];
    schema.forEach((column, c) => {
      if (needed[c] && acceptsAnything(column.type) && !inFallback.has(c) && deferrable(c)) this.deferredColumns.push(c);
      else if (needed[c] || !acceptsAnything(column.type) || inFallback.has(c)) eager.push(c);
    });
    this.eagerSlots = eager.length;
    this.slotOfColumn = schema.map(() => -1);
    const slotNames: string[] = [];
    for (const c of [...eager, ...this.deferredColumns]) {
      this.slotOfColumn[c] = slotNames.length;
      slotNames.push(schema[c]!.name);
      this.slotColumn.push(c);
      this.slotType.push(schema[c]!.type);
      this.slotNeeded.push(needed[c]! || inFallback.has(c));
    }
    this.scanner = new JsonFieldScanner(slotNames, schema.map((c) => c.name));
  }

  /** Storage for the deferred tokens of up to `rows` pending rows. */
  deferredStore(rows: number): DeferredTokens {
    return new DeferredTokens(this.deferredColumns.length, rows);
  }

  /** Keeps where the deferred values of the last typed line are, as pending row `row`. */
  saveDeferred(store: DeferredTokens, row: number): void {
    const scanner = this.scanner;
    let at = row * store.perRow;
    for (let slot = this.eagerSlots; slot < this.slotColumn.length; slot++, at++) {
      store.kinds[at] = scanner.kinds[slot]!;
      store.starts[at] = scanner.starts[slot]!;
      store.ends[at] = scanner.ends[slot]!;
    }
  }

  /** The value of deferred column `k` (index into deferredColumns) of pending row `row`. */
  decodeDeferred(store: DeferredTokens, row: number, k: number): Value {
    const at = row * store.perRow + k;
    const slot = this.eagerSlots + k;
    const kind = store.kinds[at] as TokenKind;
    if (kind === TokenKind.Absent || kind === TokenKind.Null) return this.slotType[slot] === 'string' ? '' : null;
    const start = store.starts[at]!;
    const end = store.ends[at]!;
    if (this.slotType[slot] === 'string') {
      const text = this.scanner.plainStringAt(slot, kind, start, end);
      if (text !== undefined) return text;
    }
    const coerced = coerceValue(this.slotType[slot]!, this.scanner.valueAt(kind, start, end));
    if (!coerced.ok) throw new Error(`internal: deferred column ${this.slotColumn[slot]} refused a value`);
    return coerced.value;
  }

  /** A column not in the schema that has been warned about: from now on it is skipped silently. */
  ignoreColumn(name: string): void {
    this.scanner.ignoreKey(name);
  }

  /** Types the line in bytes[start, end) into `row`, or says the line needs the general path. */
  typeLine(bytes: Uint8Array, start: number, end: number): LineResult {
    const outcome = this.scanner.scanLine(bytes, start, end);
    if (outcome !== 'record') return outcome === 'blank' ? 'blank' : 'general';
    if (this.scanner.unknownKeyPresent) return 'general';
    for (let slot = 0; slot < this.eagerSlots; slot++) {
      if (!this.slotNeeded[slot]) {
        if (!this.slotAccepted(slot, bytes)) return 'general';
        continue;
      }
      const value = this.slotValue(slot, bytes);
      if (value === REJECTED) return 'general';
      this.row[this.slotColumn[slot]!] = value;
    }
    for (const [target, source] of this.fallbacks) {
      if (this.isAbsent(this.slotOfColumn[target]!)) this.row[target] = this.row[source]!;
    }
    return 'row';
  }

  /**
   * The typed value of a slot, or REJECTED when its column refuses it. The common shapes (plain
   * strings, plain integers, ISO UTC datetimes, absent values) are typed without the general coercion.
   */
  private slotValue(slot: number, bytes: Uint8Array): Value | typeof REJECTED {
    const scanner = this.scanner;
    const type = this.slotType[slot]!;
    const kind = scanner.kinds[slot] as TokenKind;
    if (kind === TokenKind.Absent || kind === TokenKind.Null) return type === 'string' ? '' : null;
    if (type === 'string') {
      const text = scanner.plainString(slot);
      if (text !== undefined) return text;
    } else if (type === 'long' || type === 'real') {
      const integer = scanner.plainInteger(slot);
      if (!Number.isNaN(integer)) return integer;
    } else if (type === 'datetime' && kind === TokenKind.AsciiString) {
      const ticks = parseIsoUtcDatetime(bytes, scanner.starts[slot]! + 1, scanner.ends[slot]! - 1);
      if (ticks !== null) return ticks;
    }
    const coerced = coerceValue(type, scanner.value(slot));
    return coerced.ok ? coerced.value : REJECTED;
  }

  /** Whether a slot's column accepts its value, for a column checked but not needed (ISO datetimes are checked without building a bigint). */
  private slotAccepted(slot: number, bytes: Uint8Array): boolean {
    const scanner = this.scanner;
    if (this.slotType[slot] === 'datetime' && scanner.kinds[slot] === TokenKind.AsciiString
      && isIsoUtcDatetime(bytes, scanner.starts[slot]! + 1, scanner.ends[slot]! - 1)) return true;
    return this.slotValue(slot, bytes) !== REJECTED;
  }

  /** The raw value of a slot was absent, null or "" (as table-source's isAbsent judges raw values). */
  private isAbsent(slot: number): boolean {
    const kind = this.scanner.kinds[slot];
    if (kind === TokenKind.Absent || kind === TokenKind.Null) return true;
    return kind === TokenKind.AsciiString && this.scanner.ends[slot]! - this.scanner.starts[slot]! === 2;
  }
}
