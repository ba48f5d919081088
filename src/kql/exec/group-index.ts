/**
 * The hash table behind `summarize … by`: gives each combination of key values a dense group
 * number, in order of first appearance, without building a string of the values per row.
 *
 * It works a batch at a time: each key column is first dictionary-encoded (one Map per column
 * from value to a small code, a column at a time), then, with two or more key columns, the row's
 * codes are looked up in an open-addressing hash table over typed arrays (the groups' codes side by
 * side, and a slot table of group numbers): no string or object per row or per group, which at
 * millions of groups is both the time and the memory of a wide summarize.
 * Map equality (SameValueZero) is exactly group identity for scalar columns: `1`, `"1"` and `1n`
 * differ, `0` and `-0` are one group, as are all NaNs, and null is not the empty string. Dynamic
 * values (arrays, bags) are keyed by their canonical text.
 */
import type { ScalarType, Value } from '../values/types.js';
import { groupKey } from './grouping.js';
import { valueBytes } from './memory.js';

/** A dictionary entry: its Map slot and the code. */
const DICTIONARY_ENTRY_BYTES = 24;
/** Per group with several key columns: its share of the slot table (at most half full, so two slots of 4 bytes). */
const SLOT_BYTES_PER_GROUP = 8;

/** Folds key column k's code into a row's hash (the same for a row of a batch and a stored group). */
function mixCode(hash: number, code: number, k: number): number {
  return Math.imul(hash ^ code, 0x9e3779b1) + k;
}

function finalHash(hash: number): number {
  return (hash ^ (hash >>> 15)) >>> 0;
}

export class GroupIndex {
  private readonly dictionaries: Map<unknown, number>[];
  /** Per key column, the first value seen for each code: groups keep these, so equal keys share one string. */
  private readonly values: Value[][];
  /** The codes of the last batch given to groupsOf, per key column. */
  private codes: Int32Array[] = [];
  private readonly dynamicKeys: boolean[];
  /** With two or more key columns: each group's codes, `width` per group, in group order. */
  private groupCodes = new Int32Array(0);
  /** Open-addressing slots: group number + 1, 0 for empty; the size is a power of two. */
  private slots = new Int32Array(0);
  /** Number of groups so far; group numbers are 0 … size-1 in order of first appearance. */
  size = 0;
  /** Estimated bytes of the distinct key values and dictionary entries added since last read (see takeAddedBytes). */
  private addedBytes = 0;

  constructor(keyTypes: readonly ScalarType[]) {
    if (keyTypes.length === 0) throw new Error('internal: GroupIndex needs at least one key column');
    this.dictionaries = keyTypes.map(() => new Map());
    this.values = keyTypes.map(() => []);
    this.dynamicKeys = keyTypes.map((t) => t === 'dynamic');
  }

  /**
   * The group number of each of the first `length` rows of the key columns. Within the batch,
   * new groups appear in row order: a row whose group number equals the number of groups seen
   * before it is that group's first row.
   */
  groupsOf(keyColumns: readonly Value[][], length: number): Int32Array {
    const codes = (this.codes = keyColumns.map((column, k) => this.encode(k, column, length)));
    if (codes.length === 1) {
      this.size = this.dictionaries[0]!.size;
      return codes[0]!;
    }
    const groups = new Int32Array(length);
    const width = codes.length;
    for (let i = 0; i < length; i++) {
      let hash = 0;
      for (let k = 0; k < width; k++) hash = mixCode(hash, codes[k]![i]!, k);
      groups[i] = this.findOrAdd(codes, i, finalHash(hash), width);
    }
    return groups;
  }

  /** The group of row `row`'s codes, added (with the next number) when new. */
  private findOrAdd(codes: readonly Int32Array[], row: number, hash: number, width: number): number {
    if (2 * (this.size + 1) > this.slots.length) this.growSlots(width);
    const mask = this.slots.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = this.slots[at]!;
      if (entry === 0) {
        const group = this.size++;
        this.slots[at] = group + 1;
        if ((group + 1) * width > this.groupCodes.length) this.growCodes(width);
        for (let k = 0; k < width; k++) this.groupCodes[group * width + k] = codes[k]![row]!;
        this.addedBytes += SLOT_BYTES_PER_GROUP + 4 * width;
        return group;
      }
      const group = entry - 1;
      let same = true;
      for (let k = 0; k < width && same; k++) same = this.groupCodes[group * width + k] === codes[k]![row];
      if (same) return group;
    }
  }

  /** Doubles the slot table (at most half full) and puts every group back. */
  private growSlots(width: number): void {
    const slots = new Int32Array(Math.max(1024, this.slots.length * 2));
    const mask = slots.length - 1;
    for (let group = 0; group < this.size; group++) {
      let hash = 0;
      for (let k = 0; k < width; k++) hash = mixCode(hash, this.groupCodes[group * width + k]!, k);
      let at = finalHash(hash) & mask;
      while (slots[at] !== 0) at = (at + 1) & mask;
      slots[at] = group + 1;
    }
    this.slots = slots;
  }

  private growCodes(width: number): void {
    const codes = new Int32Array(Math.max(1024 * width, this.groupCodes.length * 2));
    codes.set(this.groupCodes);
    this.groupCodes = codes;
  }

  /**
   * The value of key column `k` for row `row` of the last batch given to groupsOf, as first seen:
   * one shared value per distinct key, where the row's own value would be a copy per group.
   */
  keyValue(k: number, row: number): Value {
    return this.values[k]![this.codes[k]![row]!]!;
  }

  /** The estimated bytes of distinct key values added since the last call (for memory accounting). */
  takeAddedBytes(): number {
    const bytes = this.addedBytes;
    this.addedBytes = 0;
    return bytes;
  }

  /** Dictionary codes of one key column (new values get the next code). */
  private encode(k: number, column: readonly Value[], length: number): Int32Array {
    const dictionary = this.dictionaries[k]!;
    const dynamic = this.dynamicKeys[k]!;
    const codes = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const v = column[i];
      const key = v === undefined ? null : dynamic ? groupKey([v]) : v;
      let code = dictionary.get(key);
      if (code === undefined) {
        code = dictionary.size;
        dictionary.set(key, code);
        this.values[k]!.push(v === undefined ? null : v);
        this.addedBytes += valueBytes(v ?? null) + DICTIONARY_ENTRY_BYTES;
      }
      codes[i] = code;
    }
    return codes;
  }
}
