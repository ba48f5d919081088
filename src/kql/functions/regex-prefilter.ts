/**
 * A cheap test that rules text out before an RE2 regex runs: the literal text every match must
 * contain, read from the pattern (`\.(zip|7z|rar)$` → one of ".zip", ".7z", ".rar"). When none of
 * them occurs in the text, the regex cannot match and is not run. The prefilter never changes an
 * answer: it only says "cannot match" when that is certain, and gives up on any syntax it does not
 * fully read (then every text goes to the regex).
 *
 * What is read: literal characters and escaped punctuation, groups (capturing, `(?:…)`, named),
 * top-level and group alternation, character classes and escapes such as `\s` (as "no literal"),
 * anchors, and the quantifiers `? * + {n} {n,} {n,m}` (greedy or lazy). A leading `(?i)` makes the
 * literals case-insensitive: RE2 folds case by Unicode rules, where `k` also matches the Kelvin
 * sign and `s` the long s, so under `(?i)` only ASCII characters other than k and s are kept as
 * literals (they fold to ASCII only). Any other flag group makes the pattern unread.
 */
import { NeedleSet } from './text-match.js';

/** One of these strings occurs in every match (folded to lower case when `caseInsensitive`). */
export interface RequiredLiterals {
  alternatives: string[];
  caseInsensitive: boolean;
}

/** Literals shorter than this are not worth a pass over the text. */
const MIN_LITERAL = 2;

/** The literals every match of `pattern` contains, or undefined when the pattern gives none (or is not read). */
export function requiredLiterals(pattern: string): RequiredLiterals | undefined {
  let body = pattern;
  let caseInsensitive = false;
  if (body.startsWith('(?i)')) {
    caseInsensitive = true;
    body = body.slice(4);
  }
  try {
    const reader = new PatternReader(body, caseInsensitive);
    const alternatives = reader.alternation();
    if (reader.at < body.length || !alternatives || alternatives.some((a) => a.length < MIN_LITERAL)) return undefined;
    return { alternatives: [...new Set(alternatives)], caseInsensitive };
  } catch (e) {
    if (e instanceof Unread) return undefined;
    throw e;
  }
}

/** A test that is false only for text the pattern cannot match; undefined when there is nothing to test. */
export function regexPrefilter(pattern: string): ((text: string) => boolean) | undefined {
  const required = requiredLiterals(pattern);
  if (!required) return undefined;
  const { alternatives, caseInsensitive } = required;
  if (alternatives.length === 1 && !caseInsensitive) {
    const literal = alternatives[0]!;
    return (text) => text.includes(literal);
  }
  const set = new NeedleSet(alternatives, !caseInsensitive, { start: false, end: false });
  return (text) => set.matchesAny(text);
}

/** Syntax the reader does not handle: the pattern gets no prefilter. */
class Unread extends Error {}

/**
 * A recursive reader over the pattern text. Each method returns the literal alternatives that
 * the part it read requires (one of them occurs in every match), or undefined when it requires none.
 */
class PatternReader {
  at = 0;

  constructor(
    private readonly text: string,
    private readonly fold: boolean,
  ) {}

  /** branch ('|' branch)*: every branch must require something; the result is their union. */
  alternation(): string[] | undefined {
    const branches: (string[] | undefined)[] = [this.concatenation()];
    while (this.text[this.at] === '|') {
      this.at++;
      branches.push(this.concatenation());
    }
    if (branches.some((b) => b === undefined)) return undefined;
    return branches.flat() as string[];
  }

  /** A sequence of items: the best of the literal runs and required groups it contains. */
  private concatenation(): string[] | undefined {
    let best: string[] | undefined;
    let run = '';
    const consider = (candidate: string[] | undefined) => {
      if (candidate && score(candidate) > (best ? score(best) : 0)) best = candidate;
    };
    const endRun = () => {
      if (run.length > 0) consider([run]);
      run = '';
    };
    while (this.at < this.text.length && this.text[this.at] !== '|' && this.text[this.at] !== ')') {
      const item = this.item();
      const repeat = this.quantifier();
      if (item.kind === 'char') {
        if (repeat.min === 0) endRun();
        else {
          run += item.char;
          // A repeated character is required once, but what follows it is not adjacent to the run.
          if (repeat.max !== 1) endRun();
        }
      } else {
        endRun();
        if (item.kind === 'group' && repeat.min > 0) consider(item.required);
      }
    }
    endRun();
    return best;
  }

  private item(): { kind: 'char'; char: string } | { kind: 'group'; required: string[] | undefined } | { kind: 'other' } {
    const c = this.text[this.at]!;
    switch (c) {
      case '(':
        return { kind: 'group', required: this.group() };
      case '[':
        this.skipClass();
        return { kind: 'other' };
      case '.':
      case '^':
      case '$':
        this.at++;
        return { kind: 'other' };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new Unread('a quantifier with nothing to repeat');
      default: {
        // One code point (a surrogate pair stays together).
        const cp = this.text.codePointAt(this.at)!;
        const char = String.fromCodePoint(cp);
        this.at += char.length;
        return this.literal(char);
      }
    }
  }

  /** A literal character, or nothing when case folding could match it with a non-ASCII character. */
  private literal(char: string): { kind: 'char'; char: string } | { kind: 'other' } {
    if (!this.fold) return { kind: 'char', char };
    const code = char.charCodeAt(0);
    if (char.length !== 1 || code >= 128) return { kind: 'other' };
    const lower = code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : char;
    return lower === 'k' || lower === 's' ? { kind: 'other' } : { kind: 'char', char: lower };
  }

  private escape(): { kind: 'char'; char: string } | { kind: 'other' } {
    const next = this.text[this.at + 1];
    if (next === undefined) throw new Unread('a trailing backslash');
    if (next === 'Q') throw new Unread('a \\Q…\\E quote');
    if (/[A-Za-z0-9]/.test(next)) {
      // Classes (\d \s \w \pL …), assertions (\b \A \z), control and numeric escapes: no literal.
      this.at += 2;
      if ((next === 'p' || next === 'P') && this.text[this.at] === '{') this.skipPast('}');
      else if (next === 'x' && this.text[this.at] === '{') this.skipPast('}');
      else if (next === 'x') this.at += 2;
      return { kind: 'other' };
    }
    this.at += 2;
    return this.literal(next);
  }

  private group(): string[] | undefined {
    this.at++;
    if (this.text[this.at] === '?') {
      if (this.text.startsWith('?:', this.at)) this.at += 2;
      else if (this.text.startsWith('?P<', this.at) || this.text.startsWith('?<', this.at)) this.skipPast('>');
      else throw new Unread('a flag group');
    }
    const required = this.alternation();
    if (this.text[this.at] !== ')') throw new Unread('an unclosed group');
    this.at++;
    return required;
  }

  /** Skips a character class, `[^]a-z[:alpha:]\]]` included. */
  private skipClass(): void {
    this.at++;
    if (this.text[this.at] === '^') this.at++;
    if (this.text[this.at] === ']') this.at++;
    while (this.at < this.text.length && this.text[this.at] !== ']') {
      if (this.text[this.at] === '\\') this.at += 2;
      else if (this.text.startsWith('[:', this.at)) this.skipPast(':]');
      else this.at++;
    }
    if (this.text[this.at] !== ']') throw new Unread('an unclosed class');
    this.at++;
  }

  private skipPast(end: string): void {
    const found = this.text.indexOf(end, this.at);
    if (found < 0) throw new Unread(`no closing ${end}`);
    this.at = found + end.length;
  }

  /** The repetition after an item: {min, max} (max Infinity when unbounded); {1, 1} when none. */
  private quantifier(): { min: number; max: number } {
    const c = this.text[this.at];
    let repeat: { min: number; max: number } | undefined;
    if (c === '?') repeat = { min: 0, max: 1 };
    else if (c === '*') repeat = { min: 0, max: Infinity };
    else if (c === '+') repeat = { min: 1, max: Infinity };
    if (repeat) this.at++;
    else if (c === '{') {
      // {n}, {n,}, {n,m}; anything else is a literal '{' (as in RE2), read as the next item.
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.at));
      if (!m) return { min: 1, max: 1 };
      this.at += m[0].length;
      const min = Number(m[1]);
      repeat = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
    }
    if (!repeat) return { min: 1, max: 1 };
    if (this.text[this.at] === '?') this.at++;
    const after = this.text[this.at];
    if (after === '?' || after === '*' || after === '+') throw new Unread('a repeated quantifier');
    return repeat;
  }
}

/** How selective a set of alternatives is: its shortest literal (longer literals occur less often). */
function score(alternatives: string[]): number {
  return Math.min(...alternatives.map((a) => a.length));
}
