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
import { parseIsoUtcDatetime } from './fast-datetime.js';
import { timeFallbacks } from './time-fallbacks.js';

const REJECTED = Symbol('rejected');

export type LineResult = 'row' | 'blank' | 'general';

/** Types whose coercion never fails: an unneeded column of such a type need not be looked at. */
function acceptsAnything(type: ScalarType): boolean {
  return type === 'string' || type === 'dynamic';
}

export class NdjsonRowTyper {
  /** After a `row` result: the typed values, at their schema index (unneeded columns hold stale values). */
  readonly row: Value[];
  private readonly scanner: JsonFieldScanner;
  /** Per slot: its schema column, type, and whether the scan needs its value. */
  private readonly slotColumn: number[] = [];
  private readonly slotType: ScalarType[] = [];
  private readonly slotNeeded: boolean[] = [];
  private readonly slotOfColumn: number[];
  /** Time-column fallbacks whose target the scan needs: [target, source] schema indexes. */
  private readonly fallbacks: Array<[number, number]>;

  constructor(table: string, schema: Schema, needed: readonly boolean[]) {
    this.row = new Array<Value>(schema.length).fill(null);
    this.fallbacks = timeFallbacks(table, schema).filter(([target]) => needed[target]);
    const decoded = new Set<number>();
    schema.forEach((column, c) => {
      if (needed[c] || !acceptsAnything(column.type)) decoded.add(c);
    });
    for (const [, source] of this.fallbacks) decoded.add(source);
    this.slotOfColumn = schema.map(() => -1);
    const slotNames: string[] = [];
    for (const c of [...decoded].sort((a, b) => a - b)) {
      this.slotOfColumn[c] = slotNames.length;
      slotNames.push(schema[c]!.name);
      this.slotColumn.push(c);
      this.slotType.push(schema[c]!.type);
      this.slotNeeded.push(needed[c]! || this.fallbacks.some(([, source]) => source === c));
    }
    this.scanner = new JsonFieldScanner(slotNames, schema.map((c) => c.name));
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
    for (let slot = 0; slot < this.slotColumn.length; slot++) {
      const value = this.slotValue(slot, bytes);
      if (value === REJECTED) return 'general';
      if (this.slotNeeded[slot]) this.row[this.slotColumn[slot]!] = value;
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

  /** The raw value of a slot was absent, null or "" (as table-source's isAbsent judges raw values). */
  private isAbsent(slot: number): boolean {
    const kind = this.scanner.kinds[slot];
    if (kind === TokenKind.Absent || kind === TokenKind.Null) return true;
    return kind === TokenKind.AsciiString && this.scanner.ends[slot]! - this.scanner.starts[slot]! === 2;
  }
}
