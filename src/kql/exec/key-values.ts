/**
 * parse-kv's text scanning: key/value pairs found with given delimiters (optionally quoted, with
 * an escape character, values running to the next key when greedy), by looking for each wanted
 * key followed by `:` or `=` (no delimiters given), or by a regex whose two groups are key and value.
 */
import { RE2JS } from 're2js';
import type { KeyValueMode } from '../semantics/bound.js';

export function extractKeyValues(text: string, mode: KeyValueMode, wanted: readonly string[]): Map<string, string> {
  switch (mode.kind) {
    case 'regex':
      return regexPairs(text, mode.regex);
    case 'delimited':
      return delimitedPairs(text, mode);
    case 'auto':
      return searchedPairs(text, mode, wanted);
  }
}

const regexCache = new Map<string, RE2JS>();

function regexPairs(text: string, regex: string): Map<string, string> {
  let compiled = regexCache.get(regex);
  if (!compiled) {
    compiled = RE2JS.compile(regex);
    regexCache.set(regex, compiled);
  }
  const pairs = new Map<string, string>();
  const m = compiled.matcher(text);
  while (m.find()) {
    const key = m.group(1);
    if (key !== null && !pairs.has(key.trim())) pairs.set(key.trim(), (m.group(2) ?? '').trim());
  }
  return pairs;
}

/** Reads a quoted run starting at `at` (the opening quote); returns the unescaped text and the index after the close. */
function readQuoted(text: string, at: number, quote: [string, string], escape: string | undefined): { value: string; end: number } {
  let value = '';
  let i = at + 1;
  while (i < text.length && text[i] !== quote[1]) {
    if (escape !== undefined && text[i] === escape && i + 1 < text.length) i++;
    value += text[i];
    i++;
  }
  return { value, end: Math.min(text.length, i + 1) };
}

type Delimited = Extract<KeyValueMode, { kind: 'delimited' }>;

function delimitedPairs(text: string, mode: Delimited): Map<string, string> {
  const pairs = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text.startsWith(mode.pair, i) || text[i] === ' ')) i += text.startsWith(mode.pair, i) ? mode.pair.length : 1;
    if (i >= text.length) break;
    // the key: quoted, or up to the key/value delimiter (a pair delimiter first means no value)
    let key: string;
    if (mode.quote && text[i] === mode.quote[0]) {
      const q = readQuoted(text, i, mode.quote, mode.escape);
      key = q.value;
      i = q.end;
    } else {
      const kv = text.indexOf(mode.kv, i);
      const pair = text.indexOf(mode.pair, i);
      if (kv < 0) break;
      if (pair >= 0 && pair < kv) {
        i = pair;
        continue;
      }
      key = text.slice(i, kv);
      i = kv;
    }
    if (!text.startsWith(mode.kv, i)) continue;
    i += mode.kv.length;
    while (text[i] === ' ' && mode.pair !== ' ') i++;
    let value: string;
    if (mode.quote && text[i] === mode.quote[0]) {
      const q = readQuoted(text, i, mode.quote, mode.escape);
      value = q.value;
      i = q.end;
    } else {
      const end = valueEnd(text, i, mode);
      value = text.slice(i, end);
      i = end;
    }
    const name = key.trim();
    if (name !== '' && !pairs.has(name)) pairs.set(name, value.trim());
  }
  return pairs;
}

/** Non-greedy: the next pair delimiter. Greedy: the last pair delimiter before the next key's delimiter. */
function valueEnd(text: string, from: number, mode: Delimited): number {
  const nextPair = text.indexOf(mode.pair, from);
  if (!mode.greedy) return nextPair < 0 ? text.length : nextPair;
  const nextKv = text.indexOf(mode.kv, from);
  if (nextKv < 0) return text.length;
  const lastPair = text.lastIndexOf(mode.pair, nextKv);
  return lastPair >= from ? lastPair : text.length;
}

const VALUE_STOP = /[,;\s]/;

function searchedPairs(text: string, mode: Extract<KeyValueMode, { kind: 'auto' }>, wanted: readonly string[]): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const key of wanted) {
    let at = text.indexOf(key);
    while (at >= 0) {
      const before = at === 0 ? '' : text[at - 1]!;
      let i = at + key.length;
      while (text[i] === ' ') i++;
      if (!/[A-Za-z0-9_]/.test(before) && (text[i] === ':' || text[i] === '=')) {
        i++;
        while (text[i] === ' ') i++;
        if (mode.quote && text[i] === mode.quote[0]) pairs.set(key, readQuoted(text, i, mode.quote, mode.escape).value);
        else {
          let end = i;
          while (end < text.length && !VALUE_STOP.test(text[end]!)) end++;
          pairs.set(key, text.slice(i, end));
        }
        break;
      }
      at = text.indexOf(key, at + 1);
    }
  }
  return pairs;
}
