/**
 * The string matching routines behind every string predicate: ONE term matcher for
 * has / !has / has_cs / hasprefix / hassuffix / has_any / has_all, and the substring tests for
 * contains / startswith / endswith. Case-insensitive variants fold ASCII only (kql-semantics.md §1.2).
 *
 * `termMatch` is the definition; `NeedleSet` is its fast form for constant needles (one pass over
 * the haystack for any number of needles, no folded copy of the haystack), and the prepared tests
 * below compare folded characters in place instead of folding whole strings.
 */
import { asciiLower } from './common.js';

/** Term characters are ASCII letters and digits (kql-semantics.md §1.1). */
export function isTermChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Which ends of a match must sit on a term boundary. */
export interface TermAlignment {
  start: boolean;
  end: boolean;
}

export const WHOLE_TERM: TermAlignment = { start: true, end: true };
export const TERM_PREFIX: TermAlignment = { start: true, end: false };
export const TERM_SUFFIX: TermAlignment = { start: false, end: true };

/**
 * Term-aligned substring search (kql-semantics.md §1.3): the needle must occur in the haystack, and
 * where the needle begins (ends) with a term character the occurrence must not be preceded (followed)
 * by a term character. Both strings must already be case-folded by the caller when folding applies.
 * An empty needle matches nothing.
 */
export function termMatch(haystack: string, needle: string, align: TermAlignment): boolean {
  if (needle.length === 0) return false;
  const checkStart = align.start && isTermChar(needle.charCodeAt(0));
  const checkEnd = align.end && isTermChar(needle.charCodeAt(needle.length - 1));
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) {
    if (checkStart && i > 0 && isTermChar(haystack.charCodeAt(i - 1))) continue;
    const j = i + needle.length;
    if (checkEnd && j < haystack.length && isTermChar(haystack.charCodeAt(j))) continue;
    return true;
  }
  return false;
}

/** A needle prepared once (folded when case-insensitive) and tested against many haystacks. */
export type TextTest = (haystack: string) => boolean;

export type MatchKind = 'has' | 'hasprefix' | 'hassuffix' | 'contains' | 'startswith' | 'endswith' | 'equals';

/**
 * The definition of every predicate, for one haystack and one needle (folding both as asked):
 * used when the needle varies per row, and as the reference the prepared tests are checked against.
 */
export function matchText(kind: MatchKind, haystack: string, needle: string, caseSensitive: boolean): boolean {
  const h = caseSensitive ? haystack : asciiLower(haystack);
  const n = caseSensitive ? needle : asciiLower(needle);
  switch (kind) {
    case 'has':
      return termMatch(h, n, WHOLE_TERM);
    case 'hasprefix':
      return termMatch(h, n, TERM_PREFIX);
    case 'hassuffix':
      return termMatch(h, n, TERM_SUFFIX);
    case 'contains':
      return h.includes(n);
    case 'startswith':
      return h.startsWith(n);
    case 'endswith':
      return h.endsWith(n);
    case 'equals':
      return h === n;
  }
}

/** A test for one constant needle, prepared once: the same answers as matchText, without copying the haystack. */
export function textTest(kind: MatchKind, needle: string, caseSensitive: boolean): TextTest {
  const n = caseSensitive ? needle : asciiLower(needle);
  switch (kind) {
    case 'has':
      return needleSetTest(n, caseSensitive, WHOLE_TERM);
    case 'hasprefix':
      return needleSetTest(n, caseSensitive, TERM_PREFIX);
    case 'hassuffix':
      return needleSetTest(n, caseSensitive, TERM_SUFFIX);
    case 'contains':
      // Every string contains the empty string.
      if (caseSensitive || n.length === 0) return (h) => h.includes(n);
      return needleSetTest(n, caseSensitive, ANYWHERE);
    case 'startswith':
      return caseSensitive ? (h) => h.startsWith(n) : (h) => h.length >= n.length && foldedRegionEquals(h, 0, n);
    case 'endswith':
      return caseSensitive ? (h) => h.endsWith(n) : (h) => h.length >= n.length && foldedRegionEquals(h, h.length - n.length, n);
    case 'equals':
      return caseSensitive ? (h) => h === n : (h) => h.length === n.length && foldedRegionEquals(h, 0, n);
  }
}

/** No alignment: a plain substring (contains). */
const ANYWHERE: TermAlignment = { start: false, end: false };

function needleSetTest(foldedNeedle: string, caseSensitive: boolean, align: TermAlignment): TextTest {
  const set = new NeedleSet([foldedNeedle], caseSensitive, align);
  return (h) => set.matchesAny(h);
}

/** Whether `haystack`, ASCII-folded, holds `folded` at `offset` (the caller checks the length). */
export function foldedRegionEquals(haystack: string, offset: number, folded: string): boolean {
  for (let i = 0; i < folded.length; i++) {
    let c = haystack.charCodeAt(offset + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== folded.charCodeAt(i)) return false;
  }
  return true;
}

/** has_any: true when any needle is a term-aligned match (one folding of the haystack for all needles). */
export function hasAny(haystack: string, foldedNeedles: readonly string[], caseSensitive: boolean): boolean {
  const h = caseSensitive ? haystack : asciiLower(haystack);
  return foldedNeedles.some((n) => termMatch(h, n, WHOLE_TERM));
}

/** has_all: true when every needle matches; an empty needle list is false (nothing was found). */
export function hasAll(haystack: string, foldedNeedles: readonly string[], caseSensitive: boolean): boolean {
  if (foldedNeedles.length === 0) return false;
  const h = caseSensitive ? haystack : asciiLower(haystack);
  return foldedNeedles.every((n) => termMatch(h, n, WHOLE_TERM));
}

// ---------------------------------------------------------------------------------------------
/**
 * NeedleSet: many constant needles tested against one haystack in a single pass, without folding or copying
 * the haystack: an Aho–Corasick automaton over UTF-16 code units, built once per query. It backs
 * has / has_any / has_all (term-aligned) and contains (any position) when the needles are constants.
 *
 * Matching follows `termMatch` exactly (kql-semantics.md §1.3): a needle matches where it occurs
 * and, when it begins (ends) with a term character, the occurrence is not preceded (followed) by a
 * term character. Case-insensitive matching folds ASCII A–Z only, on both sides (§1.2); needles are
 * given already folded. Empty needles match nothing.
 */

/** Transitions for code units below this are a dense table; others go through per-state maps. */
const DENSE = 128;
/** Past this many states the dense table would be too large: ASCII transitions go through the maps too. */
const MAX_DENSE_STATES = 8192;

interface Needle {
  length: number;
  checkStart: boolean;
  checkEnd: boolean;
}

export class NeedleSet {
  /** Number of distinct non-empty needles. */
  readonly size: number;
  private readonly needles: Needle[];
  private readonly fold: boolean;
  /** Full DFA transitions for code units < DENSE: `dense[state * DENSE + c]`. Empty when too many states. */
  private readonly dense: Int32Array;
  /** Trie edges for every code unit (used for code units ≥ DENSE, or all when `dense` is empty). */
  private readonly edges: Map<number, number>[];
  private readonly fail: Int32Array;
  /** Needle ids ending at each state (own and inherited through failure links). */
  private readonly outputs: number[][];

  constructor(foldedNeedles: readonly string[], caseSensitive: boolean, align: TermAlignment) {
    this.fold = !caseSensitive;
    const unique = [...new Set(foldedNeedles.filter((n) => n.length > 0))];
    this.size = unique.length;
    this.needles = unique.map((n) => ({
      length: n.length,
      checkStart: align.start && isTermChar(n.charCodeAt(0)),
      checkEnd: align.end && isTermChar(n.charCodeAt(n.length - 1)),
    }));
    this.edges = [new Map()];
    const own: number[][] = [[]];
    unique.forEach((needle, id) => {
      let state = 0;
      for (let i = 0; i < needle.length; i++) {
        const c = needle.charCodeAt(i);
        let next = this.edges[state]!.get(c);
        if (next === undefined) {
          next = this.edges.length;
          this.edges.push(new Map());
          own.push([]);
          this.edges[state]!.set(c, next);
        }
        state = next;
      }
      own[state]!.push(id);
    });
    const states = this.edges.length;
    this.fail = new Int32Array(states);
    this.outputs = own;
    this.dense = new Int32Array(states <= MAX_DENSE_STATES ? states * DENSE : 0);
    this.link();
  }

  /** Failure links and outputs, breadth first; then the dense DFA table for ASCII code units. */
  private link(): void {
    const order: number[] = [];
    for (const child of this.edges[0]!.values()) order.push(child);
    for (let k = 0; k < order.length; k++) {
      const state = order[k]!;
      for (const [c, child] of this.edges[state]!) {
        this.fail[child] = this.walk(this.fail[state]!, c);
        const inherited = this.outputs[this.fail[child]!]!;
        if (inherited.length > 0) this.outputs[child] = [...this.outputs[child]!, ...inherited];
        order.push(child);
      }
    }
    if (this.dense.length === 0) return;
    // States in BFS order: a state's failure target is always filled in before the state itself.
    for (const state of [0, ...order]) {
      for (let c = 0; c < DENSE; c++) {
        const edge = this.edges[state]!.get(c);
        this.dense[state * DENSE + c] = edge ?? (state === 0 ? 0 : this.dense[this.fail[state]! * DENSE + c]!);
      }
    }
  }

  /** The state after reading `c` in `state`, following failure links through the trie edges. */
  private walk(state: number, c: number): number {
    for (;;) {
      const next = this.edges[state]!.get(c);
      if (next !== undefined) return next;
      if (state === 0) return 0;
      state = this.fail[state]!;
    }
  }

  /** Whether a needle occurs in `haystack` (term-aligned as configured). */
  matchesAny(haystack: string): boolean {
    if (this.size === 0) return false;
    return this.scan(haystack, undefined);
  }

  /** Whether every needle occurs in `haystack`; false when there are no needles. */
  matchesAll(haystack: string): boolean {
    if (this.size === 0) return false;
    return this.scan(haystack, new Uint8Array(this.size));
  }

  /** Runs the automaton; with `found`, returns true once every needle was seen, else on the first match. */
  private scan(haystack: string, found: Uint8Array | undefined): boolean {
    const { dense, fold, outputs, needles } = this;
    const useDense = dense.length > 0;
    const length = haystack.length;
    let missing = found ? found.length : 0;
    let state = 0;
    for (let j = 0; j < length; j++) {
      let c = haystack.charCodeAt(j);
      if (fold && c >= 65 && c <= 90) c += 32;
      state = useDense && c < DENSE ? dense[state * DENSE + c]! : this.walk(state, c);
      const ending = outputs[state]!;
      for (let k = 0; k < ending.length; k++) {
        const id = ending[k]!;
        const needle = needles[id]!;
        const start = j - needle.length + 1;
        if (needle.checkStart && start > 0 && isTermChar(haystack.charCodeAt(start - 1))) continue;
        if (needle.checkEnd && j + 1 < length && isTermChar(haystack.charCodeAt(j + 1))) continue;
        if (!found) return true;
        if (found[id] === 0) {
          found[id] = 1;
          if (--missing === 0) return true;
        }
      }
    }
    return false;
  }
}
