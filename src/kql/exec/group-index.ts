/**
 * The hash table behind `summarize … by`: gives each combination of key values a dense group
 * number, in order of first appearance, without building a string of the values per row.
 *
 * It works a batch at a time: each key column is first dictionary-encoded (one Map per column
 * from value to a small code, a column at a time), then, with two or more key columns, the codes
 * of a row are packed into a short string (two UTF-16 units per code) that is the group's key.
 * Map equality (SameValueZero) is exactly group identity for scalar columns: `1`, `"1"` and `1n`
 * differ, `0` and `-0` are one group, as are all NaNs, and null is not the empty string. Dynamic
 * values (arrays, bags) are keyed by their canonical text.
 */
import type { ScalarType, Value } from '../values/types.js';
import { groupKey } from './grouping.js';
import { valueBytes } from './memory.js';

/** A dictionary entry: its Map slot and the code. */
const DICTIONARY_ENTRY_BYTES = 24;

export class GroupIndex {
  private readonly dictionaries: Map<unknown, number>[];
  /** Per key column, the first value seen for each code: groups keep these, so equal keys share one string. */
  private readonly values: Value[][];
  /** The codes of the last batch given to groupsOf, per key column. */
  private codes: Int32Array[] = [];
  private readonly dynamicKeys: boolean[];
  /** With two or more key columns: packed codes → group number. */
  private readonly combinations = new Map<string, number>();
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
    for (let i = 0; i < length; i++) {
      let key = '';
      for (let k = 0; k < codes.length; k++) {
        const code = codes[k]![i]!;
        key += String.fromCharCode(code & 0xffff, code >>> 16);
      }
      let group = this.combinations.get(key);
      if (group === undefined) {
        group = this.size++;
        this.combinations.set(key, group);
      }
      groups[i] = group;
    }
    return groups;
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
