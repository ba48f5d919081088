/**
 * RE2 patterns run by the JavaScript engine's own regular expressions where that is exact. Kusto's
 * regexes are RE2 (re2js here, linear time but an interpreter); V8's compiled regexes are many
 * times faster. The two agree only on part of the syntax, so a pattern is translated only when
 * every construct in it has the same meaning in both, and the result is used only on ASCII text:
 *
 * - `.` is RE2's "any character but \n" (`[^\n]`; JS's `.` also stops at \r); `\s` is RE2's
 *   `[\t\n\f\r ]` (JS's also takes \v and Unicode spaces). `\d`, `\w`, `\b` are ASCII in both.
 * - `(?i)` only at the very start: RE2 folds case by Unicode rules (`k` also matches the Kelvin sign,
 *   `s` the long s), JS without the `u` flag does not — which differs only on text beyond ASCII.
 * - Leftmost-first matching with the same greedy and lazy quantifiers gives the same overall match
 *   and the same groups, except that JS clears a group's capture on each new pass of a repeated
 *   part; so for group captures, a capturing group inside a repeated part keeps the pattern on re2js.
 * Anything else (named groups, other flags, Unicode classes, POSIX classes, escapes beyond the
 * common ones, non-ASCII pattern text, a `{` that is not a repeat count) is not translated.
 *
 * RE2 runs in linear time; a backtracking engine can take polynomial or exponential time on
 * unlucky text. So only patterns without nested repeats are translated, and each is used only on
 * texts short enough that the worst case stays small: with u unbounded repeats, a product F of the
 * other choices (bounded repeats, alternatives) and n characters, backtracking tries at most about
 * n^(u+1)·F paths (n^u·F when the pattern is anchored at the start); longer texts go to re2js.
 */

export interface NativeRegex {
  regex: RegExp;
  /** Whether the groups it captures are those RE2 captures (else only whether and where it matches is). */
  exactGroups: boolean;
  /** The longest text it may be used on (see the worst case above). */
  maxLength: number;
}

/** Backtracking paths a single call may try at worst. */
const PATH_BUDGET = 1e7;

const NON_ASCII = /[^\x00-\x7f]/;

/** Whether a text is all ASCII (where a translated pattern may be used). */
export function isAsciiText(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** Whether a translated pattern may run on `text` (ASCII, and short enough for its worst case). */
export function nativeRegexFits(native: NativeRegex, text: string): boolean {
  return text.length <= native.maxLength && isAsciiText(text);
}

/** The JS regex equivalent to the RE2 pattern on ASCII text, or undefined when it leaves the shared subset. */
export function nativeRegexFor(pattern: string): NativeRegex | undefined {
  let source = pattern;
  let flags = '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  const translator = new Translator(source);
  const translated = translator.translate();
  if (translated === undefined) return undefined;
  // Anchored at the start (`^…` with no top-level alternative): one starting place instead of n.
  const anchored = source.startsWith('^') && !translator.topLevelAlternatives;
  const exponent = translator.unboundedRepeats + (anchored ? 0 : 1);
  const maxLength = exponent === 0 ? Number.MAX_SAFE_INTEGER : Math.floor((PATH_BUDGET / translator.choices) ** (1 / exponent));
  if (maxLength < 1) return undefined;
  try {
    return { regex: new RegExp(translated, flags), exactGroups: !translator.captureInRepeat, maxLength };
  } catch {
    return undefined;
  }
}

/** Characters that are operators outside a class (a literal one must be escaped). */
const OPERATORS = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);
/** Escapes with the same meaning in both outside a class. */
const SAME_ESCAPES = new Set(['d', 'D', 'w', 'W', 'b', 'B', 't', 'n', 'r', 'f']);
const RE2_SPACE = '\\t\\n\\f\\r ';

class Translator {
  private i = 0;
  /** A capturing group sits inside a repeated part. */
  captureInRepeat = false;
  /** Repeats without an upper bound (`*`, `+`, `{n,}`, or a bound over 16). */
  unboundedRepeats = 0;
  /** The product of the other choices: alternatives, and the counts bounded repeats may take. */
  choices = 1;
  /** The pattern is an alternation at its top level (`a|b`, not `(a|b)`). */
  topLevelAlternatives = false;
  private depth = 0;

  constructor(private readonly text: string) {}

  translate(): string | undefined {
    for (let k = 0; k < this.text.length; k++) if (this.text.charCodeAt(k) > 0x7e || this.text.charCodeAt(k) < 0x20) return undefined;
    const out = this.alternation();
    return out !== undefined && this.i === this.text.length ? out.source : undefined;
  }

  private alternation(): Part | undefined {
    let source = '';
    let captures = false;
    let repeats = false;
    for (let branches = 1; ; branches++) {
      const sequence = this.sequence();
      if (sequence === undefined) return undefined;
      source += sequence.source;
      captures ||= sequence.captures;
      repeats ||= sequence.repeats;
      if (this.text[this.i] !== '|') {
        this.choices *= branches;
        if (this.depth === 0 && branches > 1) this.topLevelAlternatives = true;
        return { source, captures, repeats, repeatable: true };
      }
      source += '|';
      this.i++;
    }
  }

  private sequence(): Part | undefined {
    let source = '';
    let captures = false;
    let repeats = false;
    while (this.i < this.text.length && this.text[this.i] !== '|' && this.text[this.i] !== ')') {
      const atom = this.atom();
      if (atom === undefined) return undefined;
      const quantifier = this.quantifier();
      if (quantifier === undefined) return undefined;
      if (quantifier !== '') {
        if (!atom.repeatable) return undefined;
        // At most once (`?`) takes one pass: groups capture alike, and nothing nests exponentially.
        const once = /^(\?|\{0,1\}|\{1\}|\{0\}|\{1,1\})\??$/.test(quantifier);
        if (!once) {
          // Nested repeats are where backtracking turns exponential.
          if (atom.repeats) return undefined;
          if (atom.captures) this.captureInRepeat = true;
        }
        repeats = true;
      }
      source += atom.source + quantifier;
      captures ||= atom.captures;
      repeats ||= atom.repeats;
    }
    return { source, captures, repeats, repeatable: true };
  }

  private atom(): Part | undefined {
    const c = this.text[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') {
      const set = this.characterClass();
      return set === undefined ? undefined : { source: set, captures: false, repeats: false, repeatable: true };
    }
    this.i++;
    if (c === '.') return { source: '[^\\n]', captures: false, repeats: false, repeatable: true };
    if (c === '^' || c === '$') return { source: c, captures: false, repeats: false, repeatable: false };
    if (c === '\\') {
      const escaped = this.escape();
      return escaped === undefined ? undefined : { source: escaped, captures: false, repeats: false, repeatable: escaped !== '\\b' && escaped !== '\\B' };
    }
    if (OPERATORS.has(c)) return undefined;
    return { source: c, captures: false, repeats: false, repeatable: true };
  }

  private group(): Part | undefined {
    this.i++;
    let capturing = true;
    if (this.text[this.i] === '?') {
      if (this.text[this.i + 1] !== ':') return undefined;
      capturing = false;
      this.i += 2;
    }
    this.depth++;
    const inner = this.alternation();
    this.depth--;
    if (inner === undefined || this.text[this.i] !== ')') return undefined;
    this.i++;
    return { source: `(${capturing ? '' : '?:'}${inner.source})`, captures: capturing || inner.captures, repeats: inner.repeats, repeatable: true };
  }

  /** An escape outside a class (the backslash consumed). */
  private escape(): string | undefined {
    const c = this.text[this.i++];
    if (c === undefined) return undefined;
    if (c === 's') return `[${RE2_SPACE}]`;
    if (c === 'S') return `[^${RE2_SPACE}]`;
    if (SAME_ESCAPES.has(c)) return `\\${c}`;
    if (isPunctuation(c)) return `\\${c}`;
    return undefined;
  }

  /** `*`, `+`, `?` or `{n}`, `{n,}`, `{n,m}`, each maybe lazy; '' for none; undefined for anything else. */
  private quantifier(): string | undefined {
    const c = this.text[this.i];
    let quantifier: string;
    if (c === '*' || c === '+' || c === '?') {
      quantifier = c;
      this.i++;
      if (c === '?') this.choices *= 2;
      else this.unboundedRepeats++;
    } else if (c === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.text.slice(this.i));
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
      if (min > 1000 || (max !== undefined && (max > 1000 || max < min))) return undefined;
      if (max === undefined || max - min > 16) this.unboundedRepeats++;
      else this.choices *= max - min + 1;
      quantifier = m[0];
      this.i += m[0].length;
    } else {
      return '';
    }
    if (this.text[this.i] === '?') {
      quantifier += '?';
      this.i++;
    }
    const next = this.text[this.i];
    // A repeat of a repeat (`a**`) is refused by RE2 and JS alike; leave such patterns alone.
    if (next === '*' || next === '+' || next === '?' || next === '{') return undefined;
    return quantifier;
  }

  /** `[...]` with literal characters, ranges and the escapes both read alike. */
  private characterClass(): string | undefined {
    this.i++;
    let source = '[';
    if (this.text[this.i] === '^') {
      source += '^';
      this.i++;
    }
    // RE2 reads a `]` first in a class as a literal; JS as the end of an empty class.
    if (this.text[this.i] === ']') return undefined;
    for (;;) {
      const c = this.text[this.i++];
      if (c === undefined) return undefined;
      if (c === ']') return `${source}]`;
      if (c === '[') return undefined; // POSIX classes ([:alpha:]) and nested brackets
      if (c === '\\') {
        const e = this.text[this.i++];
        if (e === undefined) return undefined;
        if (e === 's') source += RE2_SPACE;
        else if (e === 'd' || e === 'w' || e === 't' || e === 'n' || e === 'r' || e === 'f') source += `\\${e}`;
        else if (isPunctuation(e)) source += `\\${e}`;
        else return undefined;
        continue;
      }
      source += c;
    }
  }
}

/** A translated piece: its JS source, whether it holds a capturing group or a repeat, whether it may be repeated. */
interface Part {
  source: string;
  captures: boolean;
  repeats: boolean;
  repeatable: boolean;
}

function isPunctuation(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 0x21 && code <= 0x2f) || (code >= 0x3a && code <= 0x40) || (code >= 0x5b && code <= 0x60) || (code >= 0x7b && code <= 0x7e);
}
