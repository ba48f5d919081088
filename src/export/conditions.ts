/**
 * Symbolic expressions over a table's columns (what extract.ts computes from the bound plan) and
 * their translation into portable conditions. A predicate the model cannot express is replaced by
 * TRUE where it narrows the match (so the export is wider than the rule, never blind to what the
 * rule catches) and the replacement is written into the branch's lossy notes.
 */
import type { ScalarType, Value } from '../kql/values/types.js';
import { type Condition, FALSE, type MatchOp, TRUE, allOf, anyOf, negate } from './portable.js';

export type Sym =
  | { kind: 'column'; name: string }
  | { kind: 'const'; value: Value; type: ScalarType }
  | { kind: 'call'; fn: string; args: Sym[] }
  /** An aggregate's result after `summarize` (count(), dcount(x), countif(p) …). */
  | { kind: 'measure'; fn: string; args: Sym[] }
  | { kind: 'opaque'; text: string };

export function constSym(value: Value, type: ScalarType): Sym {
  return { kind: 'const', value, type };
}

export function containsMeasure(sym: Sym): boolean {
  if (sym.kind === 'measure') return true;
  return sym.kind === 'call' && sym.args.some(containsMeasure);
}

/** `Timestamp > ago(24h)` bound with now() = 0 → the lookback in ticks; undefined for other predicates. */
export function lookbackOf(sym: Sym): bigint | undefined {
  if (sym.kind !== 'call' || !['>', '>='].includes(sym.fn)) return undefined;
  const [left, right] = sym.args;
  if (left?.kind !== 'column' || right?.kind !== 'const' || right.type !== 'datetime' || typeof right.value !== 'bigint') return undefined;
  return right.value <= 0n ? -right.value : undefined;
}

// ───────────────────────────── text (for lossy notes) ─────────────────────────────

const INFIX = new Set(['and', 'or', '==', '!=', '<>', '=~', '!~', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', 'matches regex']);

/** KQL-like text of a symbolic expression, for the sentences in `lossy`. */
export function symText(sym: Sym): string {
  switch (sym.kind) {
    case 'column':
      return sym.name;
    case 'const':
      return constText(sym.value);
    case 'opaque':
      return sym.text;
    case 'measure':
      return `${sym.fn}(${sym.args.map(symText).join(', ')})`;
    case 'call': {
      const args = sym.args.map(symText);
      if (sym.fn === '[]') return `${args[0]}[${args[1]}]`;
      if (INFIX.has(sym.fn) || /^!?(has|contains|startswith|endswith|hasprefix|hassuffix)(_cs)?$/.test(sym.fn)) return `(${args[0]} ${sym.fn} ${args[1]})`;
      if (/^!?(in~?|has_any|has_all)$/.test(sym.fn)) return `${args[0]} ${sym.fn} (${args.slice(1).join(', ')})`;
      return `${sym.fn}(${args.join(', ')})`;
    }
  }
}

function constText(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}`;
  if (Array.isArray(value)) return `dynamic(${JSON.stringify(value)})`;
  return typeof value === 'object' ? `dynamic(${JSON.stringify(value)})` : String(value);
}

// ───────────────────────────── translation ─────────────────────────────

/** The field a predicate tests: a column, or tolower()/toupper() of one (then compared case-insensitively). */
interface Operand {
  field: string;
  folded?: 'lower' | 'upper';
}

function operandOf(sym: Sym): Operand | undefined {
  if (sym.kind === 'column') return { field: sym.name };
  if (sym.kind === 'call' && (sym.fn === 'tolower' || sym.fn === 'toupper') && sym.args[0]?.kind === 'column') {
    return { field: sym.args[0].name, folded: sym.fn === 'tolower' ? 'lower' : 'upper' };
  }
  return undefined;
}

/** String values of constant list items (strings, or dynamic arrays of strings); undefined if any is not constant. */
function stringValues(items: Sym[]): string[] | undefined {
  const out: string[] = [];
  for (const item of items) {
    if (item.kind !== 'const') return undefined;
    const flat = Array.isArray(item.value) ? item.value : [item.value];
    for (const v of flat) {
      if (v === null) continue;
      if (typeof v === 'object') return undefined;
      out.push(String(v));
    }
  }
  return out;
}

const PREDICATE = /^(!?)(has|contains|startswith|endswith|hasprefix|hassuffix)(_cs)?$/;
const LIST = /^(!?)(in)(~?)$/;
const TERM_CHAR = /[0-9A-Za-z]/;

/**
 * The condition equivalent to `sym` (polarity `positive` = not under an odd number of `not`s), or
 * the widest replacement with a note in `notes` when the model cannot express it.
 */
export function toCondition(sym: Sym, positive: boolean, notes: string[]): Condition {
  if (sym.kind === 'const' && typeof sym.value === 'boolean') return sym.value ? TRUE : FALSE;
  if (sym.kind === 'call') {
    const translated = translateCall(sym, positive, notes);
    if (translated) return translated;
  }
  notes.push(`${symText(sym)} cannot be expressed and is left out (treated as ${positive ? 'true' : 'false'}), so the export matches more than the rule`);
  return positive ? TRUE : FALSE;
}

function translateCall(sym: Extract<Sym, { kind: 'call' }>, positive: boolean, notes: string[]): Condition | undefined {
  const { fn, args } = sym;
  if (fn === 'and') return allOf(args.map((a) => toCondition(a, positive, notes)));
  if (fn === 'or') return anyOf(args.map((a) => toCondition(a, positive, notes)));
  if (fn === 'not') return negate(toCondition(args[0]!, !positive, notes));
  if (fn === 'isnotempty' || fn === 'isempty') return emptiness(fn === 'isempty', args[0]!, notes);
  const predicate = PREDICATE.exec(fn);
  if (predicate) return stringPredicate(predicate, args, notes);
  if (fn === 'has_any' || fn === 'has_all' || fn === '!has_any') return termList(fn, args, notes);
  const list = LIST.exec(fn);
  if (list) return listMembership(list[1] === '!', list[3] === '~', args, notes);
  if (['==', '!=', '<>', '=~', '!~', '<', '<=', '>', '>='].includes(fn)) return comparison(fn, args);
  if (fn === 'matches regex') return regexMatch(args);
  return undefined;
}

function match(field: string, op: MatchOp, values: string[], caseSensitive: boolean): Condition {
  return values.length === 0 ? FALSE : { kind: 'match', field, op, values, caseSensitive };
}

/** tolower(x) == "Abc" never holds: values that the folding cannot produce are dropped. */
function foldable(values: string[], operand: Operand): string[] {
  if (operand.folded === 'lower') return values.filter((v) => v === v.toLowerCase());
  if (operand.folded === 'upper') return values.filter((v) => v === v.toUpperCase());
  return values;
}

function stringPredicate(parts: RegExpExecArray, args: Sym[], notes: string[]): Condition | undefined {
  const [, bang, kind, cs] = parts as unknown as [string, string, string, string | undefined];
  const operand = operandOf(args[0]!);
  const values = stringValues(args.slice(1));
  if (!operand || !values || values.length !== 1) return undefined;
  const caseSensitive = cs !== undefined && !operand.folded;
  let op: MatchOp = kind as MatchOp;
  if (kind === 'has' || kind === 'hasprefix' || kind === 'hassuffix') {
    op = 'contains';
    noteTermMatch(kind, values, notes);
  }
  const c = match(operand.field, op, caseSensitive ? values : foldable(values, operand), caseSensitive);
  return bang ? negate(c) : c;
}

function termList(fn: string, args: Sym[], notes: string[]): Condition | undefined {
  const operand = operandOf(args[0]!);
  const values = stringValues(args.slice(1));
  if (!operand || !values) return undefined;
  noteTermMatch(fn, values, notes);
  const usable = foldable(values, operand);
  if (fn === 'has_all') return allOf(usable.map((v) => match(operand.field, 'contains', [v], false)));
  const c = match(operand.field, 'contains', usable, false);
  return fn === '!has_any' ? negate(c) : c;
}

/**
 * Kusto's `has` matches whole terms (runs of [0-9A-Za-z]); `contains` is the same test exactly when
 * the needle starts and ends with a non-term character (`\Temp\`). Other needles are noted.
 */
function noteTermMatch(operator: string, needles: string[], notes: string[]): void {
  const loose = needles.filter((n) => TERM_CHAR.test(n.charAt(0)) || TERM_CHAR.test(n.charAt(n.length - 1)));
  if (loose.length === 0) return;
  notes.push(
    `${operator} matches whole terms; exported as contains, which also matches where a letter or digit continues the needle, for ${loose.map((n) => JSON.stringify(n)).join(', ')}`,
  );
}

function listMembership(negated: boolean, caseInsensitive: boolean, args: Sym[], notes: string[]): Condition | undefined {
  const values = stringValues(args.slice(1));
  if (!values) return undefined;
  const left = args[0]!;
  const extracted = extractCall(left);
  if (extracted) {
    const pattern = replaceGroup(extracted.pattern, extracted.group, `(?:${values.map(escapeRegex).join('|')})`);
    if (pattern === undefined) return undefined;
    notes.push(
      `${symText(left)} ${negated ? '!' : ''}in${caseInsensitive ? '~' : ''} (…) tests the FIRST match of the pattern; exported as a regular expression that accepts ANY match whose group is in the list`,
    );
    const c = regexCondition(extracted.field, pattern, !caseInsensitive);
    return negated ? negate(c) : c;
  }
  const operand = operandOf(left);
  if (!operand) return undefined;
  const caseSensitive = !caseInsensitive && !operand.folded;
  const c = match(operand.field, 'equals', caseInsensitive ? values : foldable(values, operand), caseSensitive);
  return negated ? negate(c) : c;
}

function comparison(fn: string, args: Sym[]): Condition | undefined {
  const [left, right] = args as [Sym, Sym];
  const operand = operandOf(left);
  if (!operand || right.kind !== 'const') return undefined;
  const v = right.value;
  if (typeof v === 'string') {
    if (!['==', '!=', '<>', '=~', '!~'].includes(fn)) return undefined;
    const caseSensitive = (fn === '==' || fn === '!=' || fn === '<>') && !operand.folded;
    const c = match(operand.field, 'equals', caseSensitive ? [v] : foldable([v], operand), caseSensitive);
    return fn.startsWith('!') || fn === '<>' ? negate(c) : c;
  }
  if ((typeof v === 'number' || typeof v === 'bigint') && !operand.folded && fn !== '=~' && fn !== '!~') {
    const op = fn === '<>' ? '!=' : (fn as '==' | '!=' | '<' | '<=' | '>' | '>=');
    return { kind: 'compare', field: operand.field, op, value: Number(v) };
  }
  return undefined;
}

function regexMatch(args: Sym[]): Condition | undefined {
  const [left, right] = args as [Sym, Sym];
  if (left.kind !== 'column' || right.kind !== 'const' || typeof right.value !== 'string') return undefined;
  return regexCondition(left.name, right.value, true);
}

/** A leading `(?i)` becomes `caseSensitive: false`, so that targets can use their own flag. */
function regexCondition(field: string, pattern: string, caseSensitive: boolean): Condition {
  const insensitive = pattern.startsWith('(?i)');
  return match(field, 'regex', [insensitive ? pattern.slice(4) : pattern], caseSensitive && !insensitive);
}

function emptiness(empty: boolean, arg: Sym, notes: string[]): Condition | undefined {
  const extracted = extractCall(arg);
  if (extracted) {
    notes.push(`${empty ? 'isempty' : 'isnotempty'}(${symText(arg)}) is exported as "${extracted.field} matches the pattern" (the same unless the group can match an empty string)`);
    const c = regexCondition(extracted.field, extracted.pattern, true);
    return empty ? negate(c) : c;
  }
  if (arg.kind !== 'column') return undefined;
  const c = match(arg.name, 'equals', [''], true);
  return empty ? c : negate(c);
}

/** `extract("re", n, Column)` → its parts. */
function extractCall(sym: Sym): { pattern: string; group: number; field: string } | undefined {
  if (sym.kind !== 'call' || sym.fn !== 'extract') return undefined;
  const [re, group, source] = sym.args;
  if (re?.kind !== 'const' || typeof re.value !== 'string' || group?.kind !== 'const' || source?.kind !== 'column') return undefined;
  return { pattern: re.value, group: Number(group.value), field: source.name };
}

/** The pattern with its n-th capturing group replaced by `replacement`; undefined when there is no such group. */
export function replaceGroup(pattern: string, n: number, replacement: string): string | undefined {
  if (n === 0) return replacement;
  const opens: number[] = [];
  let count = 0;
  let target = -1;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      i++;
    } else if (ch === '[') {
      // Skip a character class: `]` right after `[` or `[^` is a literal.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
    } else if (ch === '(') {
      const capturing = pattern[i + 1] !== '?' || pattern.startsWith('(?P<', i) || (pattern.startsWith('(?<', i) && !pattern.startsWith('(?<=', i) && !pattern.startsWith('(?<!', i));
      if (capturing && ++count === n) target = i;
      opens.push(capturing && count === n && target === i ? -(i + 1) : i);
    } else if (ch === ')') {
      const open = opens.pop();
      if (open !== undefined && open < 0) return pattern.slice(0, -open - 1) + replacement + pattern.slice(i + 1);
    }
  }
  return undefined;
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}
