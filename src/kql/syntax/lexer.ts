/**
 * The KQL lexer: query text → tokens (comments and whitespace dropped), with lexical diagnostics.
 *
 * It mirrors Kusto.Language's TokenParser where that matters for which programs are valid:
 *  - identifiers `[A-Za-z_$][A-Za-z0-9_]*` (ASCII only, so `$left`), and digit-led words that
 *    contain a letter or `_` (`1abc`), which Kusto also lexes as identifiers;
 *  - whitespace is Kusto's set (which includes U+200B ZERO WIDTH SPACE and the BOM);
 *  - keywords are contextual: plain words are `Identifier` tokens and the parser decides. Only
 *    keywords that are not plain words become `Keyword` tokens: the hyphenated operator names
 *    (`project-away`, `mv-expand`, …), the negated/tilde operators (`!has`, `!in~`, `in~`, …) and
 *    the `hint.*` names — always longest match, and only when no identifier character follows;
 *  - numbers: real (`1.5`, `1.`, `1e3`, `1.5e-3`), then timespan (`1.5h`, longest suffix, no
 *    identifier character after it), then long (`42`, `0x1F`);
 *  - `bool(…)`, `int(…)`, `long(…)`, `real(…)`, `double(…)`, `decimal(…)`, `datetime(…)`,
 *    `date(…)`, `timespan(…)`, `time(…)`, `guid(…)` immediately followed by `(` are one
 *    `TypedLiteral` token spanning to the `)` (never past a line break); the parser decodes the
 *    inside with literals.ts. (`boolean(…)` too, which Kusto.Language rejects but the product accepts.)
 *  - `true`/`True`/`TRUE`/`false`/`False`/`FALSE` are `Bool` tokens;
 *  - `#…` to the end of the line is a `Directive` token; any other unknown character a `Bad` token.
 */
import { type Diagnostic, makeDiagnostic } from './diagnostics.js';
import { KS } from './codes.js';
import {
  decodeLongText,
  decodeRealText,
  decodeTimespanToken,
  isDecimalDigit,
  isLineBreak,
  matchTimespanSuffix,
  scanStringLiteral,
  stringLiteralPrefix,
  TYPED_LITERAL_KEYWORDS,
} from './literals.js';

export type TokenKind =
  | 'Identifier'
  | 'Keyword'
  | 'String'
  | 'Long'
  | 'Real'
  | 'Timespan'
  | 'Bool'
  | 'TypedLiteral'
  | 'Punct'
  | 'Directive'
  | 'Bad'
  | 'EOF';

export interface Token {
  kind: TokenKind;
  /** The token exactly as written (for `String`, with quotes and prefixes). */
  text: string;
  start: number;
  /** Exclusive. */
  end: number;
  /**
   * Decoded value: `String` → string; `Long`/`Real` → number (undefined when out of range);
   * `Timespan` → bigint ticks; `Bool` → boolean.
   */
  value?: string | number | bigint | boolean;
  /** `TypedLiteral`: the keyword (`datetime`, …), the raw text inside the parentheses and its offset. */
  literalKeyword?: string;
  inner?: string;
  innerStart?: number;
  /** The lexer already reported a diagnostic for this token (the parser must not report it again). */
  hasError?: boolean;
}

/** Multi-character keywords that are not plain identifiers (Kusto.Language SyntaxFacts). */
export const SPECIAL_KEYWORDS: readonly string[] = [
  // hyphenated query operators and clauses
  'assert-schema', 'granny-asc', 'granny-desc', 'graph-mark-components', 'graph-match', 'graph-shortest-paths',
  'graph-to-table', 'graph-where-edges', 'graph-where-nodes', 'macro-expand', 'make-graph', 'make-series',
  'mv-apply', 'mv-expand', 'parse-kv', 'parse-where', 'partitioned-by', 'project-away', 'project-by-names',
  'project-keep', 'project-rename', 'project-reorder', 'project-smart', 'sample-distinct', 'top-hitters', 'top-nested',
  // negated and case-insensitive list/string operators
  '!between', '!contains', '!contains_cs', '!endswith', '!endswith_cs', '!has', '!has_cs', '!hasprefix',
  '!hasprefix_cs', '!hassuffix', '!hassuffix_cs', '!in', '!in~', '!startswith', '!startswith_cs', 'in~',
  // operator hints
  'hint.concurrency', 'hint.distribution', 'hint.materialized', 'hint.num_partitions', 'hint.progressive_top',
  'hint.remote', 'hint.shufflekey', 'hint.spread', 'hint.strategy',
];

const SPECIAL_LONGEST_FIRST = [...SPECIAL_KEYWORDS].sort((a, b) => b.length - a.length);

/** ASCII letters only: Kusto.Language's TextFacts.IsLetter. */
export function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isIdentifierStart(c: number): boolean {
  return isLetter(c) || c === 95 /* _ */ || c === 36 /* $ */;
}

export function isIdentifierPart(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** Kusto.Language's TextFacts.IsWhitespace (note: includes U+200B and the BOM, not U+000B). */
const WHITESPACE = new Set([
  0x09, 0x20, 0x0d, 0x0a, 0x0c, 0xa0, 0x1680, 0x180e, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
  0x2008, 0x2009, 0x200a, 0x200b, 0x202f, 0x205f, 0x3000, 0xfeff,
]);

export function isWhitespace(c: number): boolean {
  return WHITESPACE.has(c);
}

/** Two- and one-character punctuation, longest first. */
const PUNCTUATION: readonly string[] = [
  '..', '<=', '<>', '>=', '==', '=>', '=~', '!=', '!~',
  '(', ')', '[', ']', '{', '}', '|', '.', '+', '-', '*', '/', '%', '<', '>', '=', ':', ';', ',', '@', '?', '!',
];

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
}

/** Splits `text` into tokens; the last token is always `EOF` at `text.length`. Never throws. */
export function tokenize(text: string): LexResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  const n = text.length;
  let pos = 0;

  const push = (kind: TokenKind, start: number, end: number, extra?: Partial<Token>): Token => {
    const tok: Token = { kind, text: text.slice(start, end), start, end, ...extra };
    tokens.push(tok);
    return tok;
  };
  const report = (code: string, message: string, start: number, length: number) => {
    diagnostics.push(makeDiagnostic(text, code, message, start, length));
  };

  while (pos < n) {
    const c = text.charCodeAt(pos);

    // trivia: whitespace and `//` comments
    if (isWhitespace(c)) {
      pos++;
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(pos + 1) === 47) {
      while (pos < n && !isLineBreak(text.charCodeAt(pos))) pos++;
      continue;
    }

    const start = pos;

    // string literals (including h"…", @"…", ```…```)
    if (c === 34 || c === 39 || c === 96 || c === 64 || c === 104 || c === 72) {
      const prefix = stringLiteralPrefix(text, pos);
      // `h`/`H` only prefixes a string when it is not the start of a longer identifier
      if (prefix) {
        const s = scanStringLiteral(text, pos);
        let hasError = false;
        for (const p of s.problems) {
          hasError = true;
          report(p.kind === 'escape' ? KS.InvalidEscape : KS.UnterminatedString, p.message, p.start, p.length);
        }
        push('String', start, s.end, { value: s.value, hasError });
        pos = s.end;
        continue;
      }
    }

    // `!` operators, before single-char punctuation
    if (c === 33 /* ! */ && text.charCodeAt(pos + 1) !== 61 /* = */ && text.charCodeAt(pos + 1) !== 126 /* ~ */) {
      const kw = matchSpecialKeyword(text, pos);
      if (kw) {
        push('Keyword', start, pos + kw.length);
        pos += kw.length;
        continue;
      }
    }

    if (isIdentifierStart(c)) {
      const kw = matchSpecialKeyword(text, pos);
      if (kw) {
        push('Keyword', start, pos + kw.length);
        pos += kw.length;
        continue;
      }
      let end = pos + 1;
      while (end < n && isIdentifierPart(text.charCodeAt(end))) end++;
      const word = text.slice(pos, end);
      if (TYPED_LITERAL_KEYWORDS.has(word) && text.charCodeAt(end) === 40 /* ( */) {
        pos = scanTypedLiteral(word, end);
        continue;
      }
      if (word === 'true' || word === 'True' || word === 'TRUE' || word === 'false' || word === 'False' || word === 'FALSE') {
        push('Bool', start, end, { value: word[0] === 't' || word[0] === 'T' });
      } else {
        push('Identifier', start, end);
      }
      pos = end;
      continue;
    }

    if (isDecimalDigit(c)) {
      pos = scanNumber(pos);
      continue;
    }

    if (c === 35 /* # */) {
      let end = pos;
      while (end < n && !isLineBreak(text.charCodeAt(end))) end++;
      push('Directive', start, end);
      pos = end;
      continue;
    }

    const punct = PUNCTUATION.find((p) => text.startsWith(p, pos));
    if (punct) {
      push('Punct', start, pos + punct.length);
      pos += punct.length;
      continue;
    }

    // not part of the language; take a whole surrogate pair so the message shows the character
    const len = c >= 0xd800 && c <= 0xdbff && pos + 1 < n ? 2 : 1;
    const ch = text.slice(pos, pos + len);
    report(KS.UnexpectedCharacter, `Unexpected character '${ch}'`, pos, len);
    push('Bad', start, pos + len, { hasError: true });
    pos += len;
  }

  tokens.push({ kind: 'EOF', text: '', start: n, end: n });
  return { tokens, diagnostics };

  function matchSpecialKeyword(t: string, p: number): string | undefined {
    for (const kw of SPECIAL_LONGEST_FIRST) {
      if (t.startsWith(kw, p) && !isIdentifierPart(t.charCodeAt(p + kw.length))) return kw;
    }
    return undefined;
  }

  /** `keyword(` … `)`: scans to the `)` or the end of the line. Returns the new position. */
  function scanTypedLiteral(keyword: string, openParen: number): number {
    let p = openParen + 1;
    while (p < n && text.charCodeAt(p) !== 41 /* ) */ && !isLineBreak(text.charCodeAt(p))) p++;
    const terminated = p < n && text.charCodeAt(p) === 41;
    const end = terminated ? p + 1 : p;
    const tok = push('TypedLiteral', pos, end, { literalKeyword: keyword, inner: text.slice(openParen + 1, p), innerStart: openParen + 1 });
    if (!terminated) {
      tok.hasError = true;
      report(KS.ExpectedToken, `Expected ')' to close '${keyword}(' literal`, end, 0);
    }
    return end;
  }

  /** Real, then timespan, then long, then digit-led identifier — the order Kusto uses. */
  function scanNumber(p0: number): number {
    const digitsEnd = skipDigits(p0);

    // real: digits '.' [digits] [exponent] | digits exponent; not followed by an identifier character
    {
      let p = digitsEnd;
      let ok = false;
      if (text.charCodeAt(p) === 46 /* . */ && (text.charCodeAt(p + 1) !== 46 || text.charCodeAt(p + 2) === 46)) {
        p = skipDigits(p + 1);
        p = skipExponent(p) ?? p;
        ok = true;
      } else {
        const e = skipExponent(p);
        if (e !== undefined) {
          p = e;
          ok = true;
        }
      }
      if (ok && !isIdentifierPart(text.charCodeAt(p))) {
        const t = push('Real', p0, p);
        const v = decodeRealText(t.text);
        t.value = v;
        if (v === undefined || !Number.isFinite(v)) {
          t.hasError = true;
          report(KS.InvalidNumber, `Invalid real literal '${t.text}'`, p0, p - p0);
        }
        return p;
      }
    }

    // timespan: digits ['.' digits] suffix, no identifier character after the suffix
    {
      let p = digitsEnd;
      if (text.charCodeAt(p) === 46 && isDecimalDigit(text.charCodeAt(p + 1))) p = skipDigits(p + 1);
      const suffix = matchTimespanSuffix(text, p);
      if (suffix && !isIdentifierPart(text.charCodeAt(p + suffix.length))) {
        const end = p + suffix.length;
        const t = push('Timespan', p0, end);
        t.value = decodeTimespanToken(t.text);
        return end;
      }
    }

    // long: hex or decimal digits, not followed by an identifier character
    {
      let end = -1;
      if (text.charCodeAt(p0) === 48 && (text.charCodeAt(p0 + 1) === 120 || text.charCodeAt(p0 + 1) === 88)) {
        let p = p0 + 2;
        while (p < n && isHex(text.charCodeAt(p))) p++;
        if (p > p0 + 2 && !isIdentifierPart(text.charCodeAt(p))) end = p;
      }
      if (end < 0 && !isIdentifierPart(text.charCodeAt(digitsEnd))) end = digitsEnd;
      if (end >= 0) {
        const t = push('Long', p0, end);
        const v = decodeLongText(t.text);
        t.value = v;
        if (v === undefined) {
          t.hasError = true;
          report(KS.InvalidNumber, `Integer literal '${t.text}' is out of the range of long`, p0, end - p0);
        }
        return end;
      }
    }

    // digits followed by a letter or '_': an identifier (Kusto: `1abc`, `10Ms`)
    let end = digitsEnd;
    while (end < n && isIdentifierPart(text.charCodeAt(end))) end++;
    push('Identifier', p0, end);
    return end;
  }

  function skipDigits(p: number): number {
    while (p < n && isDecimalDigit(text.charCodeAt(p))) p++;
    return p;
  }

  function skipExponent(p: number): number | undefined {
    const e = text.charCodeAt(p);
    if (e !== 101 && e !== 69) return undefined;
    let q = p + 1;
    const s = text.charCodeAt(q);
    if (s === 43 || s === 45) q++;
    const d = skipDigits(q);
    return d > q ? d : undefined;
  }

  function isHex(c2: number): boolean {
    return (c2 >= 48 && c2 <= 57) || (c2 >= 65 && c2 <= 70) || (c2 >= 97 && c2 <= 102);
  }
}
