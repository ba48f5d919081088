/**
 * The string matching routines behind every string predicate: ONE term matcher for
 * has / !has / has_cs / hasprefix / hassuffix / has_any / has_all, and the substring tests for
 * contains / startswith / endswith. Case-insensitive variants fold ASCII only (kql-semantics.md §1.2).
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

export function textTest(kind: MatchKind, needle: string, caseSensitive: boolean): TextTest {
  const n = caseSensitive ? needle : asciiLower(needle);
  const fold = caseSensitive ? (s: string) => s : asciiLower;
  switch (kind) {
    case 'has':
      return (h) => termMatch(fold(h), n, WHOLE_TERM);
    case 'hasprefix':
      return (h) => termMatch(fold(h), n, TERM_PREFIX);
    case 'hassuffix':
      return (h) => termMatch(fold(h), n, TERM_SUFFIX);
    case 'contains':
      return (h) => fold(h).includes(n);
    case 'startswith':
      return (h) => fold(h).startsWith(n);
    case 'endswith':
      return (h) => fold(h).endsWith(n);
    case 'equals':
      return (h) => fold(h) === n;
  }
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
