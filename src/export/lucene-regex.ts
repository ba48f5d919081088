/**
 * RE2 pattern (as KQL's `matches regex` takes it) → Lucene regular expression (Elasticsearch's
 * `RLIKE` in ES|QL, `regex`/`regex~` in EQL). Lucene always matches the WHOLE string, has no
 * anchors, no `\s`/`\d`/`\w` classes, no inline flags and reads `@ & ~ < > # "` as operators, so:
 * - the pattern gets `.*` at both ends, pushed into the alternatives of a leading or trailing group,
 *   where a `^` or `$` alternative takes its place: `(^|[\s;])cp` → `(().*([\s;]))cp`;
 * - `\s \d \w` (and `\S \D \W` outside brackets) become explicit classes; lazy quantifiers become
 *   greedy (the same strings match); `(?:` becomes `(`;
 * - what has no Lucene form (`\b`, look-around, named groups, `^`/`$` elsewhere …) is refused with a
 *   reason, and the caller records the condition as not expressed.
 * `lowercase` folds literals and class ranges, for matching against a lower-cased field.
 */
export type LuceneResult = { pattern: string } | { unsupported: string };

const CLASS_OF: Record<string, string> = { s: ' \t\n\r', d: '0-9', w: 'a-zA-Z0-9_' };
/** Characters Lucene's syntax reserves; escaped when meant literally. */
const LUCENE_OPERATORS = new Set(['@', '&', '~', '<', '>', '#', '"']);

export function toLuceneRegex(re2: string, options: { lowercase?: boolean } = {}): LuceneResult {
  try {
    return { pattern: translate(openStart(openEnd(re2)), options.lowercase ?? false) };
  } catch (e) {
    if (e instanceof Unsupported) return { unsupported: e.message };
    throw e;
  }
}

/**
 * The pattern made to match anywhere from the start: a leading `^` is dropped, a leading group
 * (not repeated) gets the same treatment in each alternative, anything else is preceded by `.*`.
 */
function openStart(pattern: string): string {
  const alternatives = splitTopLevel(pattern);
  if (alternatives.length > 1) return alternatives.map((a) => `(${openStart(a)})`).join('|');
  if (pattern.startsWith('^')) return pattern.slice(1);
  if (pattern.startsWith('(') && !pattern.startsWith('(?') ) {
    const close = groupEnd(pattern, 0);
    if (!/^[*+?{]/.test(pattern.slice(close + 1))) {
      return `(${groupAlternatives(pattern.slice(0, close + 1)).map(openStart).map(nonEmpty).join('|')})${pattern.slice(close + 1)}`;
    }
  }
  if (pattern.startsWith('(?:')) return openStart(`(${pattern.slice(3)}`);
  return `.*${pattern}`;
}

/** The same at the end: a trailing `$` is dropped, a trailing group is opened per alternative, else `.*` follows. */
function openEnd(pattern: string): string {
  const alternatives = splitTopLevel(pattern);
  if (alternatives.length > 1) return alternatives.map((a) => `(${openEnd(a)})`).join('|');
  if (pattern.endsWith('$') && !isEscaped(pattern, pattern.length - 1)) return pattern.slice(0, -1);
  const open = pattern.endsWith(')') && !isEscaped(pattern, pattern.length - 1) ? groupStart(pattern) : -1;
  if (open >= 0) {
    const group = pattern.slice(open);
    return `${pattern.slice(0, open)}(${groupAlternatives(group).map(openEnd).map(nonEmpty).join('|')})`;
  }
  return `${pattern}.*`;
}

/** Lucene writes the empty string as `()`. */
function nonEmpty(alternative: string): string {
  return alternative === '' ? '()' : alternative;
}

function isEscaped(pattern: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && pattern[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** The index of the `(` opening the group that closes at the end of the pattern, or -1. */
function groupStart(pattern: string): number {
  for (let open = pattern.lastIndexOf('('); open >= 0; open = pattern.lastIndexOf('(', open - 1)) {
    if (isEscaped(pattern, open)) continue;
    try {
      if (groupEnd(pattern, open) === pattern.length - 1) return open;
    } catch {
      // not a group start (inside brackets): keep looking
    }
  }
  return -1;
}

class Unsupported extends Error {}

/**
 * The structural characters of a pattern from `from` on — `(`, `)` and `|` outside escapes and
 * bracket classes — each with the group depth after it.
 */
function* structure(pattern: string, from = 0): Generator<{ index: number; char: string; depth: number }> {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' || c === ')' || c === '|') {
      if (c === '(') depth++;
      else if (c === ')') depth--;
      yield { index: i, char: c, depth };
    }
  }
}

/** Splits at `|` outside groups and brackets. */
function splitTopLevel(pattern: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const { index, char, depth } of structure(pattern)) {
    if (char === '|' && depth === 0) {
      parts.push(pattern.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(pattern.slice(start));
  return parts;
}

/** The index of the `)` closing the group opened at `open`. */
function groupEnd(pattern: string, open: number): number {
  for (const { index, char, depth } of structure(pattern, open)) if (char === ')' && depth === 0) return index;
  throw new Unsupported(`unbalanced parentheses in ${pattern}`);
}

function groupAlternatives(group: string): string[] {
  return splitTopLevel(group.replace(/^\(\?:/, '(').slice(1, -1));
}


/** Token by token; anchors left here are ones Lucene cannot express. */
function translate(pattern: string, lowercase: boolean): string {
  const fold = (text: string) => (lowercase ? text.toLowerCase() : text);
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[++i];
      if (next === undefined) throw new Unsupported('a trailing backslash');
      const lower = next.toLowerCase();
      if (lower in CLASS_OF) {
        if (next === lower) out += inClass ? CLASS_OF[lower] : `[${CLASS_OF[lower]}]`;
        else if (!inClass) out += `[^${CLASS_OF[lower]}]`;
        else throw new Unsupported(`\\${next} inside brackets`);
      } else if (/[a-zA-Z0-9]/.test(next)) {
        throw new Unsupported(`\\${next} has no Lucene form`);
      } else {
        out += `\\${next}`;
      }
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += LUCENE_OPERATORS.has(c) ? `\\${c}` : fold(c);
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += `\\${pattern[++i]}`;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] === ':') {
        out += '(';
        i += 2;
        continue;
      }
      throw new Unsupported(`(?${pattern[i + 2] ?? ''} groups have no Lucene form`);
    }
    if (c === '^' || c === '$') throw new Unsupported(`an anchor (${c}) inside the pattern has no Lucene form`);
    if ((c === '?' || c === '+' || c === '*' || c === '}') && pattern[i + 1] === '?') {
      out += c; // lazy: for a yes/no match the same as greedy
      i++;
      continue;
    }
    out += LUCENE_OPERATORS.has(c) ? `\\${c}` : fold(c);
  }
  return out;
}
