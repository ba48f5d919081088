/**
 * String functions: tolower, toupper, strlen, substring, split, strcat, trim/trim_start/trim_end,
 * replace_string. Lengths and positions count Unicode code points, as the strlen() docs state
 * ("This function counts Unicode code points"); substring() uses the same unit for consistency.
 */
import type { RE2JS } from 're2js';
import type { ScalarFunction } from './registry.js';
import {
  ANY, INTEGER, STRING, STRING_OR_DYNAMIC, checkArgs, constantValue, defineScalar,
  requireConstant, simpleScalar, textOf,
} from './common.js';
import { compileRegex, regexBindError } from './string-operators.js';

/** Text functions accept any scalar and read it with tostring(), as Kusto.Language types them. */
const TEXT_ARG = ANY;

function caseMapping(name: string, map: (s: string) => string): ScalarFunction {
  return simpleScalar({
    name,
    params: [TEXT_ARG],
    result: 'string',
    kernel: (args) => ([v]) => map(textOf(v!, args[0]!.type)),
  });
}

/** Code points of a string (surrogate pairs count once). */
function codePoints(s: string): string[] {
  return Array.from(s);
}

function strlen(): ScalarFunction {
  return simpleScalar({
    name: 'strlen',
    params: [STRING_OR_DYNAMIC],
    result: 'long',
    kernel: (args) => ([v]) => {
      let count = 0;
      for (const _ of textOf(v!, args[0]!.type)) count++;
      return count;
    },
  });
}

/**
 * substring(source, start [, length]): zero-based; a negative start counts from the end; a start
 * past the end, or a negative length, gives "" ; the range is clipped to the string.
 */
export function substringOf(source: string, start: number, length?: number): string {
  const chars = codePoints(source);
  let from = Math.trunc(start);
  if (from < 0) from = Math.max(0, chars.length + from);
  if (from >= chars.length) return '';
  if (length === undefined) return chars.slice(from).join('');
  const count = Math.trunc(length);
  if (count <= 0) return '';
  return chars.slice(from, from + count).join('');
}

function substring(): ScalarFunction {
  return simpleScalar({
    name: 'substring',
    params: [TEXT_ARG, INTEGER, INTEGER],
    optional: 1,
    result: 'string',
    kernel: (args) => ([s, start, length]) =>
      substringOf(textOf(s!, args[0]!.type), start as number, length === undefined ? undefined : (length as number)),
  });
}

/**
 * split(source, delimiter [, index]) → dynamic array of strings. The delimiter is literal text; an
 * empty source gives [""]; with an index the array holds just that element, or is empty when out of
 * range. An empty delimiter returns the whole source as one element [UNCERTAIN].
 */
export function splitText(source: string, delimiter: string, index?: number): string[] {
  const parts = delimiter === '' ? [source] : source.split(delimiter);
  if (index === undefined) return parts;
  const i = Math.trunc(index);
  return i >= 0 && i < parts.length ? [parts[i]!] : [];
}

function split(): ScalarFunction {
  return simpleScalar({
    name: 'split',
    params: [TEXT_ARG, STRING_OR_DYNAMIC, INTEGER],
    optional: 1,
    result: 'dynamic',
    kernel: (args) => ([s, d, i]) =>
      splitText(textOf(s!, args[0]!.type), textOf(d!, args[1]!.type), i === undefined ? undefined : (i as number)),
  });
}

function strcat(): ScalarFunction {
  return simpleScalar({
    name: 'strcat',
    params: [TEXT_ARG],
    rest: TEXT_ARG,
    maxArgs: 64,
    result: 'string',
    nullPropagating: false,
    kernel: (args) => (values) => {
      let out = '';
      for (let i = 0; i < values.length; i++) out += textOf(values[i]!, args[i]!.type);
      return out;
    },
  });
}

type TrimSide = 'both' | 'start' | 'end';

/** Removes the longest run of regex matches anchored at the start and/or end (trim(regex, source)). */
export function trimByRegex(source: string, startRe: RE2JS | null, endRe: RE2JS | null): string {
  let from = 0;
  let to = source.length;
  if (startRe) {
    const m = startRe.matcher(source);
    if (m.find()) from = m.end();
  }
  if (endRe) {
    const rest = source.slice(from);
    const m = endRe.matcher(rest);
    if (m.find()) to = from + m.start();
  }
  return source.slice(from, Math.max(from, to));
}

function trimFunction(name: string, side: TrimSide): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      return checkArgs(name, args, [STRING, TEXT_ARG]) ?? requireConstant(name, args, 0) ?? regexBindError(name, args, 0) ?? { type: 'string' };
    },
    prepare(args) {
      const pattern = constantValue(args[0]) as string;
      const startRe = side === 'end' ? null : compileRegex(`^(?:${pattern})+`, name);
      const endRe = side === 'start' ? null : compileRegex(`(?:${pattern})+$`, name);
      return ([, s]) => trimByRegex(textOf(s!, args[1]!.type), startRe, endRe);
    },
  });
}

/** replace_string(text, lookup, rewrite): every non-overlapping occurrence, left to right; "" lookup changes nothing. */
function replaceString(): ScalarFunction {
  return simpleScalar({
    name: 'replace_string',
    params: [STRING_OR_DYNAMIC, STRING_OR_DYNAMIC, STRING_OR_DYNAMIC],
    result: 'string',
    nullPropagating: false,
    kernel: (args) => ([text, lookup, rewrite]) => {
      const [source, from, to] = [textOf(text!, args[0]!.type), textOf(lookup!, args[1]!.type), textOf(rewrite!, args[2]!.type)];
      return from === '' ? source : source.split(from).join(to);
    },
  });
}

export function stringFunctions(): ScalarFunction[] {
  return [
    caseMapping('tolower', (s) => s.toLowerCase()),
    caseMapping('toupper', (s) => s.toUpperCase()),
    strlen(),
    substring(),
    split(),
    strcat(),
    trimFunction('trim', 'both'),
    trimFunction('trim_start', 'start'),
    trimFunction('trim_end', 'end'),
    replaceString(),
  ];
}
