/**
 * Regular-expression functions: extract, extract_all, replace_regex (alias replace), indexof_regex.
 * Patterns are RE2 (re2js, linear time), as Kusto's regex docs specify. A constant pattern is
 * compiled once and checked at bind time; a per-row pattern is compiled once per distinct text.
 */
import type { RE2JS } from 're2js';
import type { ArgInfo, BindResult, RowKernel, ScalarFunction } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import {
  ANY, DYNAMIC, INTEGER, STRING, STRING_OR_DYNAMIC, checkArgs, constantValue, convertValue, defineScalar, requireConstant, textOf,
} from './common.js';
import { compileRegex, regexBindError } from './string-operators.js';
import { regexPrefilter } from './regex-prefilter.js';
import { type NativeRegex, nativeRegexFits, nativeRegexFor } from './native-regex.js';

/** Returns the compiled regex for a row: the constant one, or one cached per distinct pattern text. */
export function regexSource(fn: string, arg: ArgInfo): (value: Value) => RE2JS {
  const constant = constantValue(arg);
  if (constant !== undefined && constant !== null) {
    const re = compileRegex(textOf(constant, arg.type), fn);
    return () => re;
  }
  const cache = new Map<string, RE2JS>();
  return (value) => {
    const text = textOf(value, arg.type);
    let re = cache.get(text);
    if (!re) cache.set(text, (re = compileRegex(text, fn)));
    return re;
  };
}

/** For a constant pattern, the test that rules out text it cannot match (regex-prefilter.ts); else always true. */
function constantPrefilter(arg: ArgInfo): (text: string) => boolean {
  const constant = constantValue(arg);
  const prefilter = constant !== undefined && constant !== null ? regexPrefilter(textOf(constant, arg.type)) : undefined;
  return prefilter ?? (() => true);
}

/** For a constant pattern whose groups V8 captures exactly as RE2 does, its translation (native-regex.ts). */
function constantNativeRegex(arg: ArgInfo): NativeRegex | undefined {
  const constant = constantValue(arg);
  if (constant === undefined || constant === null) return undefined;
  const native = nativeRegexFor(textOf(constant, arg.type));
  return native?.exactGroups ? native : undefined;
}

/** extract(regex, captureGroup, source [, typeof(T)]): the group's text of the first match, "" when none. */
function extract(): ScalarFunction {
  return defineScalar({
    name: 'extract',
    minArgs: 3,
    maxArgs: 4,
    bind(args) {
      const err = checkArgs('extract', args.slice(0, 3), [STRING, INTEGER, STRING_OR_DYNAMIC]) ?? regexBindError('extract', args, 0);
      if (err) return err;
      if (args.length === 4 && args[3]!.typeLiteral === undefined) {
        return { error: 'extract(): argument 4 must be a type literal such as typeof(long)', argIndex: 3 };
      }
      return { type: args[3]?.typeLiteral ?? 'string' };
    },
    prepare(args) {
      const regexOf = regexSource('extract', args[0]!);
      const mayMatch = constantPrefilter(args[0]!);
      const native = constantNativeRegex(args[0]!);
      const target: ScalarType = args[3]?.typeLiteral ?? 'string';
      const sourceType = args[2]!.type;
      return ([pattern, group, source]) => {
        if (group === null || (group as number) < 0) return target === 'string' ? '' : null;
        const input = textOf(source!, sourceType);
        let text: string | null = null;
        if (native && nativeRegexFits(native, input)) {
          // V8 finds the required literals itself as fast as the prefilter does.
          text = native.regex.exec(input)?.[group as number] ?? null;
        } else if (mayMatch(input)) {
          const m = regexOf(pattern!).matcher(input);
          text = m.find() && (group as number) <= m.groupCount() ? m.group(group as number) : null;
        }
        if (text === null) return target === 'string' ? '' : null;
        return convertValue(text, 'string', target);
      };
    },
  });
}

/** Resolves extract_all's captureGroups (indexes or names) against a compiled regex. */
function groupIndexes(re: RE2JS, groups: DynamicValue | undefined): number[] | null {
  const count = re.groupCount();
  if (groups === undefined) return Array.from({ length: count }, (_, i) => i + 1);
  if (!Array.isArray(groups)) return null;
  const names = re.namedGroups() as Record<string, number>;
  const out: number[] = [];
  for (const g of groups) {
    const index = typeof g === 'number' ? g : typeof g === 'string' ? names[g] : undefined;
    if (index === undefined || !Number.isInteger(index) || index < 0 || index > count) return null;
    out.push(index);
  }
  return out;
}

/**
 * extract_all(regex, [captureGroups,] source): every match's groups. One group → an array of strings,
 * several → an array of arrays; no match → null (extract_all docs). The regex needs a capture group.
 */
function extractAll(): ScalarFunction {
  return defineScalar({
    name: 'extract_all',
    minArgs: 2,
    maxArgs: 3,
    bind(args) {
      const params = args.length === 3 ? [STRING, DYNAMIC, ANY] : [STRING, ANY];
      const err = checkArgs('extract_all', args, params) ?? regexBindError('extract_all', args, 0);
      if (err) return err;
      const pattern = constantValue(args[0]);
      if (typeof pattern === 'string' && compileRegex(pattern, 'extract_all').groupCount() === 0) {
        return { error: 'extract_all(): the regular expression must have at least one capture group', argIndex: 0 };
      }
      return { type: 'dynamic' };
    },
    prepare(args) {
      const regexOf = regexSource('extract_all', args[0]!);
      const withGroups = args.length === 3;
      const sourceType = args[args.length - 1]!.type;
      return (values) => {
        const re = regexOf(values[0]!);
        const groups = groupIndexes(re, withGroups ? (values[1] as DynamicValue) : undefined);
        const source = values[values.length - 1]!;
        if (groups === null || groups.length === 0) return null;
        const m = re.matcher(textOf(source, sourceType));
        const matches: DynamicValue[] = [];
        while (m.find()) {
          const texts = groups.map((g) => m.group(g) ?? '');
          matches.push(groups.length === 1 ? texts[0]! : texts);
        }
        return matches.length === 0 ? null : matches;
      };
    },
  });
}

/** Expands `\0`…`\9` in a replace_regex rewrite with the match's groups. */
function expandRewrite(rewrite: string, group: (i: number) => string | null, groupCount: number): string {
  return rewrite.replace(/\\(\d)/g, (whole, digit: string) => {
    const i = Number(digit);
    return i <= groupCount ? (group(i) ?? '') : whole;
  });
}

/** Replaces every non-overlapping match (an empty match advances one character, as RE2's GlobalReplace). */
export function replaceAllMatches(re: RE2JS, text: string, rewrite: string): string {
  const m = re.matcher(text);
  let out = '';
  let last = 0;
  while (m.find()) {
    out += text.slice(last, m.start()) + expandRewrite(rewrite, (i) => m.group(i), m.groupCount());
    last = m.end();
  }
  return out + text.slice(last);
}

/** replace_regex(text, regex, rewrite). */
function replaceRegex(): ScalarFunction {
  const name = 'replace_regex';
  return defineScalar({
    name,
    minArgs: 3,
    maxArgs: 3,
    bind(args): BindResult {
      return checkArgs(name, args, [ANY, STRING, ANY]) ?? regexBindError(name, args, 1) ?? { type: 'string' };
    },
    prepare(args): RowKernel {
      const regexOf = regexSource(name, args[1]!);
      const [textType, rewriteType] = [args[0]!.type, args[2]!.type];
      return ([text, pattern, rewrite]) => replaceAllMatches(regexOf(pattern!), textOf(text!, textType), textOf(rewrite!, rewriteType));
    },
  });
}

/**
 * replace(regex, rewrite, text): the deprecated form, with its own argument order and a constant
 * regex (Kusto.Language requires it: `replace(s, "a", "b")` is "The expression must be a constant").
 */
function deprecatedReplace(): ScalarFunction {
  return defineScalar({
    name: 'replace',
    minArgs: 3,
    maxArgs: 3,
    bind(args): BindResult {
      return checkArgs('replace', args, [STRING, ANY, ANY]) ?? requireConstant('replace', args, 0) ?? regexBindError('replace', args, 0) ?? { type: 'string' };
    },
    prepare(args): RowKernel {
      const regexOf = regexSource('replace', args[0]!);
      const [rewriteType, textType] = [args[1]!.type, args[2]!.type];
      return ([pattern, rewrite, text]) => replaceAllMatches(regexOf(pattern!), textOf(text!, textType), textOf(rewrite!, rewriteType));
    },
  });
}

/**
 * indexof_regex(source, regex [, start [, length [, occurrence]]]): the index of the occurrence-th
 * non-overlapping match inside source[start, start+length); -1 when absent; null for a negative start,
 * occurrence < 1 or length < -1 (indexof_regex docs).
 */
function indexofRegex(): ScalarFunction {
  return defineScalar({
    name: 'indexof_regex',
    minArgs: 2,
    maxArgs: 5,
    bind(args) {
      return checkArgs('indexof_regex', args, [ANY, STRING, INTEGER, INTEGER, INTEGER]) ?? regexBindError('indexof_regex', args, 1) ?? { type: 'long' };
    },
    prepare(args) {
      const regexOf = regexSource('indexof_regex', args[1]!);
      return ([source, pattern, start, length, occurrence]) => {
        const range = searchRange(textOf(source!, args[0]!.type), start, length, occurrence);
        if (range === null) return null;
        const m = regexOf(pattern!).matcher(range.text.slice(range.from, range.to));
        for (let seen = 0; m.find();) if (++seen === range.occurrence) return range.from + m.start();
        return -1;
      };
    },
  });
}

/** The shared argument rules of indexof / indexof_regex; null when the arguments make the result null. */
export function searchRange(
  text: string, start: Value | undefined, length: Value | undefined, occurrence: Value | undefined,
  negativeStartFromEnd = false,
): { text: string; from: number; to: number; occurrence: number } | null {
  if (start === null || length === null || occurrence === null) return null;
  let from = start === undefined ? 0 : (start as number);
  if (from < 0 && negativeStartFromEnd) from = Math.max(0, text.length + from);
  const count = length === undefined ? -1 : (length as number);
  const nth = occurrence === undefined ? 1 : (occurrence as number);
  if (from < 0 || count < -1 || nth < 1) return null;
  const to = count === -1 ? text.length : Math.min(text.length, from + count);
  return { text, from: Math.min(from, text.length), to: Math.max(to, Math.min(from, text.length)), occurrence: nth };
}

export function regexFunctions(): ScalarFunction[] {
  return [extract(), extractAll(), replaceRegex(), deprecatedReplace(), indexofRegex()];
}
