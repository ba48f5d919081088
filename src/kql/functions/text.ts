/**
 * More string functions: indexof, reverse, countof, strcat_delim, strcat_array, string_size, isascii,
 * strcmp, strrep, translate, has_any_index, unicode_codepoints_to_string / _from_string, and the
 * encodings url_encode / url_encode_component / url_decode / base64_*.
 *
 * Positions (indexof) are UTF-16 code units, as .NET string indexes that Kusto reports; reverse()
 * reverses code points. Arguments typed "scalar" in the docs are read with tostring().
 */
import type { ScalarFunction } from './registry.js';
import type { DynamicValue } from '../values/types.js';
import { normalizeGuid } from '../values/dynamic.js';
import {
  ANY, DYNAMIC, INTEGER, STRING, STRING_OR_DYNAMIC, asciiLower, checkArgs, constantValue, defineScalar,
  simpleScalar, textOf,
} from './common.js';
import { searchRange, regexSource } from './regex-functions.js';
import { WHOLE_TERM, termMatch } from './text-match.js';

/**
 * indexof(source, lookup [, start [, length [, occurrence]]]): -1 when absent; a negative start counts
 * from the end. Each successive occurrence is searched in a window of `length` characters starting
 * one past the previous match, which is what the docs examples show: indexof("abcdefgabcdefg", "cde",
 * 1, 10, 2) = 9 although that match ends past start + length, while indexof("abcdefg", "cde", 1, 2) = -1.
 */
function indexof(): ScalarFunction {
  return simpleScalar({
    name: 'indexof',
    params: [ANY, ANY, INTEGER, INTEGER, INTEGER],
    optional: 3,
    result: 'long',
    nullPropagating: false,
    kernel: (args) => ([source, lookup, start, length, occurrence]) => {
      const range = searchRange(textOf(source!, args[0]!.type), start, length, occurrence, true);
      if (range === null) return null;
      const text = range.text;
      const needle = textOf(lookup!, args[1]!.type);
      const span = length === undefined || length === -1 ? Infinity : (length as number);
      let from = range.from;
      for (let seen = 1; ; seen++) {
        const at = text.slice(0, Math.min(text.length, from + span)).indexOf(needle, from);
        if (at === -1) return -1;
        if (seen === range.occurrence) return at;
        from = at + 1;
      }
    },
  });
}

/** reverse(value): tostring(value) with its characters (code points) in reverse order. */
function reverse(): ScalarFunction {
  return simpleScalar({
    name: 'reverse',
    params: [ANY],
    result: 'string',
    nullPropagating: false,
    kernel: (args) => ([v]) => Array.from(textOf(v!, args[0]!.type)).reverse().join(''),
  });
}

/** Overlapping occurrences of plain text (countof docs: countof("aaaa", "aa") = 3). */
export function countOverlapping(text: string, search: string): number {
  if (search === '') return 0;
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) count++;
  return count;
}

/** countof(source, search [, kind]): kind 'normal' (overlapping text matches) or 'regex' (non-overlapping). */
function countof(): ScalarFunction {
  return defineScalar({
    name: 'countof',
    minArgs: 2,
    maxArgs: 3,
    bind(args) {
      const err = checkArgs('countof', args, [STRING_OR_DYNAMIC, STRING_OR_DYNAMIC, STRING]);
      if (err) return err;
      const kind = constantValue(args[2]);
      if (kind !== undefined && kind !== 'normal' && kind !== 'regex') {
        return { error: `countof(): argument 3 must be 'normal' or 'regex', got '${String(kind)}'`, argIndex: 2 };
      }
      return { type: 'long' };
    },
    prepare(args) {
      const [sourceType, searchType] = [args[0]!.type, args[1]!.type];
      const regexOf = args.length === 3 ? regexSource('countof', args[1]!) : undefined;
      return ([source, search, kind]) => {
        const text = textOf(source!, sourceType);
        if (kind !== 'regex' || !regexOf) return countOverlapping(text, textOf(search!, searchType));
        const m = regexOf(search!).matcher(text);
        let count = 0;
        while (m.find()) count++;
        return count;
      };
    },
  });
}

/** strcat_delim(delimiter, a1, a2, …): the arguments' texts joined by the delimiter. */
function strcatDelim(): ScalarFunction {
  return simpleScalar({
    name: 'strcat_delim',
    params: [ANY, ANY, ANY],
    rest: ANY,
    maxArgs: 65,
    result: 'string',
    nullPropagating: false,
    kernel: (args) => (values) => values.slice(1).map((v, i) => textOf(v!, args[i + 1]!.type)).join(textOf(values[0]!, args[0]!.type)),
  });
}

/** strcat_array(array, delimiter): the elements' texts (null → "") joined; not an array → "". */
function strcatArray(): ScalarFunction {
  return simpleScalar({
    name: 'strcat_array',
    params: [DYNAMIC, ANY],
    result: 'string',
    kernel: (args) => ([array, delimiter]) =>
      Array.isArray(array) ? array.map((e) => textOf(e, 'dynamic')).join(textOf(delimiter!, args[1]!.type)) : '',
  });
}

function stringSize(): ScalarFunction {
  return simpleScalar({
    name: 'string_size',
    params: [STRING_OR_DYNAMIC],
    result: 'long',
    kernel: (args) => ([v]) => Buffer.byteLength(textOf(v!, args[0]!.type), 'utf8'),
  });
}

function isascii(): ScalarFunction {
  return simpleScalar({
    name: 'isascii',
    params: [ANY],
    result: 'bool',
    kernel: (args) => ([v]) => /^[\x00-\x7f]*$/.test(textOf(v!, args[0]!.type)),
  });
}

/** strcmp(a, b): -1, 0 or 1 by ordinal comparison. */
function strcmp(): ScalarFunction {
  return simpleScalar({
    name: 'strcmp',
    params: [STRING_OR_DYNAMIC, STRING_OR_DYNAMIC],
    result: 'long',
    kernel: (args) => ([a, b]) => {
      const [x, y] = [textOf(a!, args[0]!.type), textOf(b!, args[1]!.type)];
      return x < y ? -1 : x > y ? 1 : 0;
    },
  });
}

/** strrep(value, multiplier [, delimiter]): the text repeated; multiplier capped at 1024 (docs). */
function strrep(): ScalarFunction {
  return simpleScalar({
    name: 'strrep',
    params: [ANY, INTEGER, ANY],
    optional: 1,
    result: 'string',
    kernel: (args) => ([v, n, d]) => {
      const count = Math.min(1024, Math.trunc(n as number));
      if (count <= 0) return '';
      return Array(count).fill(textOf(v!, args[0]!.type)).join(d === undefined ? '' : textOf(d, args[2]!.type));
    },
  });
}

/** translate(searchList, replacementList, source): character mapping; a short replacement list repeats its last character; an empty one deletes. */
function translate(): ScalarFunction {
  return simpleScalar({
    name: 'translate',
    params: [STRING_OR_DYNAMIC, STRING_OR_DYNAMIC, STRING_OR_DYNAMIC],
    result: 'string',
    kernel: (args) => ([from, to, source]) => {
      const search = Array.from(textOf(from!, args[0]!.type));
      const replacement = Array.from(textOf(to!, args[1]!.type));
      return Array.from(textOf(source!, args[2]!.type)).map((c) => {
        const i = search.indexOf(c);
        if (i === -1) return c;
        if (replacement.length === 0) return '';
        return replacement[Math.min(i, replacement.length - 1)]!;
      }).join('');
    },
  });
}

/** has_any_index(source, lookups): the index of the first lookup that `has` finds in source, -1 when none. */
function hasAnyIndex(): ScalarFunction {
  return simpleScalar({
    name: 'has_any_index',
    params: [STRING_OR_DYNAMIC, DYNAMIC],
    result: 'long',
    kernel: (args) => ([source, lookups]) => {
      if (!Array.isArray(lookups)) return -1;
      const haystack = asciiLower(textOf(source!, args[0]!.type));
      return lookups.findIndex((l) => l !== null && termMatch(haystack, asciiLower(textOf(l, 'dynamic')), WHOLE_TERM));
    },
  });
}

/** Code points from an argument list, or from one dynamic array argument; null when one is invalid. */
function codepointsToString(): ScalarFunction {
  return simpleScalar({
    name: 'unicode_codepoints_to_string',
    params: [{ types: ['int', 'long', 'dynamic'], description: 'an integer or a dynamic array' }],
    rest: { types: ['int', 'long', 'dynamic'], description: 'an integer or a dynamic array' },
    maxArgs: 64,
    result: 'string',
    kernel: () => (values) => {
      const points: DynamicValue[] = values.flatMap((v) => (Array.isArray(v) ? v : [v as DynamicValue]));
      if (!points.every((p) => typeof p === 'number' && Number.isInteger(p) && p >= 0 && p <= 0x10ffff)) return '';
      return String.fromCodePoint(...(points as number[]));
    },
  });
}

function codepointsFromString(): ScalarFunction {
  return simpleScalar({
    name: 'unicode_codepoints_from_string',
    params: [STRING_OR_DYNAMIC],
    result: 'dynamic',
    kernel: (args) => ([v]) => Array.from(textOf(v!, args[0]!.type), (c) => c.codePointAt(0)!),
  });
}

// ---------------------------------------------------------------------------------------------
// URL and base64 encodings.

/**
 * .NET HttpUtility.UrlEncode (which Kusto's url_encode follows: `https%3a%2f%2fwww.bing.com%2f`):
 * letters, digits and `-_.!*()` stay, space becomes `+`, other UTF-8 bytes `%xx` in lower case.
 * url_encode_component writes space as `%20`.
 */
export function urlEncode(text: string, spaceAsPlus: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.!*()]/.test(c)) out += c;
    else if (byte === 0x20 && spaceAsPlus) out += '+';
    else out += '%' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

/** Decodes `%xx` escapes (as UTF-8) and `+` as space; malformed escapes stay as written (HttpUtility.UrlDecode). */
export function urlDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '+') bytes.push(0x20);
    else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function textTransform(name: string, transform: (s: string) => string | null): ScalarFunction {
  return simpleScalar({
    name,
    params: [STRING_OR_DYNAMIC],
    result: 'string',
    kernel: (args) => ([v]) => transform(textOf(v!, args[0]!.type)) ?? '',
  });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 → bytes; null for text that is not base64 (Kusto returns an empty result). */
export function decodeBase64(text: string): Buffer | null {
  const t = text.trim();
  if (t.length % 4 !== 0 || !BASE64.test(t)) return null;
  return Buffer.from(t, 'base64');
}

/** Bytes → UTF-8 text; null when the bytes are not valid UTF-8 (base64_decode_tostring docs: empty result). */
function utf8OrNull(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** .NET Guid.ToByteArray order: the first three groups little-endian, the rest as written. */
function guidToBytes(guid: string): Buffer {
  const hex = guid.replace(/-/g, '');
  const b = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
}

function bytesToGuid(b: Buffer): string | null {
  if (b.length !== 16) return null;
  const ordered = Buffer.concat([Buffer.from(b.subarray(0, 4)).reverse(), Buffer.from(b.subarray(4, 6)).reverse(), Buffer.from(b.subarray(6, 8)).reverse(), b.subarray(8)]);
  return normalizeGuid(ordered.toString('hex'));
}

function encodingFunctions(): ScalarFunction[] {
  return [
    textTransform('url_encode', (s) => urlEncode(s, true)),
    textTransform('url_encode_component', (s) => urlEncode(s, false)),
    textTransform('url_decode', urlDecode),
    textTransform('base64_encode_tostring', (s) => Buffer.from(s, 'utf8').toString('base64')),
    textTransform('base64_decode_tostring', (s) => {
      const bytes = decodeBase64(s);
      return bytes === null ? null : utf8OrNull(bytes);
    }),
    textTransform('base64_decodestring', (s) => {
      const bytes = decodeBase64(s);
      return bytes === null ? null : utf8OrNull(bytes);
    }),
    simpleScalar({
      name: 'base64_decode_toarray',
      params: [STRING_OR_DYNAMIC],
      result: 'dynamic',
      kernel: (args) => ([v]) => {
        const bytes = decodeBase64(textOf(v!, args[0]!.type));
        return bytes === null ? null : [...bytes];
      },
    }),
    simpleScalar({
      name: 'base64_encode_fromarray',
      params: [DYNAMIC],
      result: 'string',
      kernel: () => ([v]) => (Array.isArray(v) && v.every((b) => typeof b === 'number' && b >= 0 && b <= 255)
        ? Buffer.from(v as number[]).toString('base64') : ''),
    }),
    simpleScalar({
      name: 'base64_encode_fromguid',
      params: [{ types: ['guid'], description: 'guid' }],
      result: 'string',
      kernel: () => ([g]) => guidToBytes(g as string).toString('base64'),
    }),
    simpleScalar({
      name: 'base64_decode_toguid',
      params: [STRING_OR_DYNAMIC],
      result: 'guid',
      kernel: (args) => ([v]) => {
        const bytes = decodeBase64(textOf(v!, args[0]!.type));
        return bytes === null ? null : bytesToGuid(bytes);
      },
    }),
  ];
}

export function textFunctions(): ScalarFunction[] {
  return [
    indexof(), reverse(), countof(), strcatDelim(), strcatArray(), stringSize(), isascii(), strcmp(), strrep(),
    translate(), hasAnyIndex(), codepointsToString(), codepointsFromString(), ...encodingFunctions(),
  ];
}

