/**
 * Comparing our results with the output tables of the Kusto docs (`kusto-docs-cases.json`).
 *
 * The docs print cells as display text in several styles, so every expected cell is read by the type
 * Kusto's language service gives its column (`ls_result_columns`) and compared as a value:
 * - empty cell ("" or null) matches null or ""; for non-string columns `null` and `(null)` also mean null;
 * - numbers numerically: `1,000` thousands separators dropped; equal within a relative 1e-9, or, when
 *   the docs show ≥ 3 fractional digits, equal once ours is rounded to that many (the docs round reals);
 *   NaN/Infinity by name;
 * - bool: true/false/True/False/1/0;
 * - datetime as instants (any style Kusto's datetime parser reads), timespan as durations, guid ignoring case;
 * - dynamic as parsed JSON (after removing the `<br>` line breaks of the docs' markdown), numbers inside
 *   with the same tolerance; text that is not JSON is a dynamic string;
 * - string exactly (trimmed, `\|` unescaped, a markdown link `[u](u)` read as u), or, when both sides are
 *   JSON objects/arrays, as parsed JSON; `&nbsp;` is an empty cell.
 * Row order: see `rowsAreOrdered`.
 */
import { parseDatetime, parseTimespan } from '../kql/values/datetime.js';
import { docsErratum } from './docs-errata.js';

export interface DocsCase {
  source_path: string;
  query: string;
  expected_columns: string[];
  expected_rows: (string | null)[][];
  ls_result_columns: { name: string; type: string }[];
  ragged_rows: number;
}

export interface ActualResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

export type Verdict =
  | { status: 'pass'; ordered: boolean }
  | { status: 'fail'; kind: 'error' | 'columns' | 'rows' | 'timeout'; reason: string }
  | { status: 'not-comparable'; reason: string };

const RELATIVE_TOLERANCE = 1e-9;

function isEmptyCell(text: string | null, type: string): boolean {
  if (text === null) return true;
  // `&nbsp;` is how some docs tables keep an empty cell visible.
  const t = text.trim().replace(/^&nbsp;$/i, '');
  return t === '' || (type !== 'string' && (t === 'null' || t === '(null)'));
}

function isNullish(actual: unknown): boolean {
  return actual === null || actual === undefined || actual === '';
}

const SPECIAL_NUMBERS: Record<string, number> = {
  nan: NaN, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity, inf: Infinity, '-inf': -Infinity, '∞': Infinity, '-∞': -Infinity,
};

/** Docs number text → number, or undefined when it is not a number. */
export function parseDocsNumber(text: string): number | undefined {
  let t = text.trim();
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  return SPECIAL_NUMBERS[t.toLowerCase()];
}

function fractionDigits(text: string): number {
  const m = /\.(\d+)(?![eE])$/.exec(text.trim());
  return m ? m[1]!.length : 0;
}

export function numbersMatch(expectedText: string, actual: unknown): boolean {
  const expected = parseDocsNumber(expectedText);
  const value = typeof actual === 'string' ? parseDocsNumber(actual) : typeof actual === 'number' ? actual : undefined;
  if (expected === undefined || value === undefined) return false;
  return numericallyEqual(expected, value, fractionDigits(expectedText));
}

function numericallyEqual(expected: number, value: number, shownDigits: number): boolean {
  if (Number.isNaN(expected) || Number.isNaN(value)) return Number.isNaN(expected) && Number.isNaN(value);
  if (!Number.isFinite(expected) || !Number.isFinite(value)) return expected === value;
  if (Math.abs(expected - value) <= RELATIVE_TOLERANCE * Math.max(Math.abs(expected), Math.abs(value))) return true;
  if (shownDigits >= 3) return Number(value.toFixed(Math.min(shownDigits, 20))) === expected;
  return false;
}

function parseBool(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/** JSON text of the docs (markdown `<br>` line breaks removed), or undefined when it is not JSON. */
export function parseDocsJson(text: string): { value: unknown } | undefined {
  const t = text.replace(/<br\s*\/?>/gi, ' ').trim();
  try {
    return { value: JSON.parse(t) };
  } catch {
    return undefined;
  }
}

/** Deep equality of JSON values with the numeric tolerance; object key order does not matter. */
export function jsonValuesMatch(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return numericallyEqual(expected, actual, 0);
  if (typeof expected === 'number' && typeof actual === 'string') return parseDocsNumber(actual) !== undefined && numericallyEqual(expected, parseDocsNumber(actual)!, 0);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => jsonValuesMatch(e, actual[i]));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const ek = Object.keys(expected).sort();
    const ak = Object.keys(actual).sort();
    return ek.length === ak.length && ek.every((k, i) => k === ak[i] && jsonValuesMatch((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k]));
  }
  // Datetimes inside dynamic values print in several styles too: compare ISO-looking strings as instants.
  if (typeof expected === 'string' && typeof actual === 'string' && ISO_DATETIME.test(expected) && ISO_DATETIME.test(actual)) {
    const e = parseDatetime(expected);
    return e !== null && e === parseDatetime(actual);
  }
  return expected === actual;
}

const ISO_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

function dynamicMatches(text: string, actual: unknown): boolean {
  const parsed = parseDocsJson(text);
  if (parsed && jsonValuesMatch(parsed.value, actual)) return true;
  // Kusto prints a dynamic string without quotes; a JSON-looking string ("5") is still that string.
  return typeof actual === 'string' && actual === text.trim();
}

/** Markdown table cells cannot hold line breaks or runs of spaces: the docs write `<br>` and collapse them. */
function collapseWhitespace(text: string): string {
  return text.replace(/<br\s*\/?>/gi, '\n').replace(/\s+/g, ' ').trim();
}

/** `[url](url)`: a markdown link the docs table shows for a URL cell; the cell's text is the URL. */
function unlinked(text: string): string {
  const m = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(text);
  return m && m[1] === m[2] ? m[1]! : text;
}

function stringMatches(text: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  const expected = unlinked(text.trim().replace(/\\\|/g, '|'));
  if (expected === actual.trim()) return true;
  if (collapseWhitespace(expected) === collapseWhitespace(actual)) return true;
  // The docs pretty-print JSON held in strings; compare those as JSON.
  if (/^[[{]/.test(expected) && /^[[{]/.test(actual.trim())) {
    const e = parseDocsJson(expected);
    const a = parseDocsJson(actual);
    return e !== undefined && a !== undefined && jsonValuesMatch(e.value, a.value);
  }
  return false;
}

/** Timespan text: Kusto's forms, plus the `d:hh:mm:ss` some docs tables print. */
export function parseDocsTimespan(text: string): bigint | null {
  const dayColon = /^(-?)(\d+):(\d\d:\d\d:\d\d(?:\.\d+)?)$/.exec(text.trim());
  return parseTimespan(dayColon ? `${dayColon[1]}${dayColon[2]}.${dayColon[3]}` : text);
}

function instantsMatch(parse: (text: string) => bigint | null, text: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return false;
  const e = parse(text.trim());
  return e !== null && e === parse(actual);
}

/** Whether our cell (its JSON form from runQuery) shows the docs cell `text` of Kusto type `type`. */
export function cellMatches(text: string | null, actual: unknown, type: string): boolean {
  if (isEmptyCell(text, type)) return isNullish(actual);
  // A trailing `<br>` is markdown layout, not content (strings handle `<br>` inside themselves).
  const t = type === 'string' ? text! : text!.replace(/(<br\s*\/?>\s*)+$/i, '');
  switch (type) {
    case 'int': case 'long': case 'real': case 'decimal':
      return numbersMatch(t, actual);
    case 'bool': {
      const b = parseBool(t);
      return b !== undefined && b === actual;
    }
    case 'datetime':
      return instantsMatch(parseDatetime, t, actual);
    case 'timespan':
      return instantsMatch(parseDocsTimespan, t, actual);
    case 'guid':
      return typeof actual === 'string' && actual.toLowerCase() === t.trim().toLowerCase();
    case 'dynamic':
      return dynamicMatches(t, actual);
    default:
      return stringMatches(t, actual);
  }
}

// ------------------------------------------------------------------------------------------ order

/** Operators that set an order Kusto guarantees. */
const ORDERING = new Set(['sort', 'order', 'top']);
/**
 * Operators whose output order Kusto does not guarantee: the nonserialized ones of the serialize operator's
 * page (count, distinct, evaluate, facet, join, make-series, mv-expand, reduce, sample, summarize,
 * top-nested), other hashing/merging operators, and the graph operators, whose rows come from a graph
 * (matches, paths), not from an ordered input.
 */
const UNORDERING = new Set([
  'summarize', 'join', 'lookup', 'distinct', 'union', 'make-series', 'evaluate', 'top-nested', 'top-hitters',
  'reduce', 'partition', 'facet', 'fork', 'mv-apply', 'mv-expand', 'sample', 'sample-distinct', 'find', 'search',
  'count', 'graph-match', 'graph-shortest-paths',
]);

/** The query text without comments and string literals (so words inside them are not operators). */
export function stripCommentsAndStrings(query: string): string {
  return query
    .replace(/@"[^"]*"|@'[^']*'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
    .replace(/\/\/[^\n]*/g, '');
}

/** Top-level pieces of `text` split at `separator` (outside parentheses, brackets and braces). */
function splitTopLevel(text: string, separator: string): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === separator && depth === 0) {
      pieces.push(text.slice(start, i));
      start = i + 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** The operators after each top-level pipe (inside parentheses is a subquery: it does not order the result). */
export function topLevelOperators(query: string): string[] {
  return splitTopLevel(stripCommentsAndStrings(query), '|').slice(1)
    .map((piece) => /^\s*([A-Za-z][\w-]*)/.exec(piece)?.[1]?.toLowerCase())
    .filter((name): name is string => name !== undefined);
}

/** The query's top-level statements (comments and string literals blanked). */
function statementsOf(query: string): string[] {
  return splitTopLevel(stripCommentsAndStrings(query), ';').map((s) => s.trim()).filter((s) => s !== '');
}

/** The statements that return a table (not let/set/declare/alias). */
function resultStatements(statements: string[]): string[] {
  return statements.filter((s) => !/^(let|set|declare|alias)\b/.test(s));
}

/**
 * Whether the source of the query's result (its last statement, following `let` names) is serialized:
 * `range` and `print` are; `datatable` is not (the serialize operator's page lists range, sort, top,
 * top-hitters and getschema as the serialized sources, so a datatable's row order is not guaranteed).
 * Other sources (tables, unions, …) are left to the operators.
 */
export function sourceIsSerialized(query: string): boolean {
  const statements = statementsOf(query);
  const lets = new Map<string, string>();
  for (const statement of statements) {
    const m = /^let\s+([A-Za-z_]\w*)\s*=\s*([\s\S]*)$/.exec(statement);
    if (m) lets.set(m[1]!, m[2]!);
  }
  let source = resultStatements(statements).at(-1) ?? '';
  for (const seen = new Set<string>(); ;) {
    const head = splitTopLevel(source, '|')[0]!.trim().replace(/^\(+/, '');
    const name = /^[A-Za-z_]\w*/.exec(head)?.[0];
    if (name === undefined || name.toLowerCase() === 'datatable') return name === undefined;
    const bound = lets.get(name);
    if (bound === undefined || seen.has(name)) return true;
    seen.add(name);
    source = bound;
  }
}

/** Where the last order-setting and the last order-destroying top-level operators stand (-1: none). */
function orderingPositions(query: string): { lastOrdering: number; lastSerializing: number; lastUnordering: number } {
  const operators = topLevelOperators(query);
  return {
    lastOrdering: operators.map((o) => ORDERING.has(o)).lastIndexOf(true),
    // `serialize` fixes the order its input arrives in (e.g. a datatable's literal order).
    lastSerializing: operators.map((o) => ORDERING.has(o) || o === 'serialize').lastIndexOf(true),
    lastUnordering: operators.map((o) => UNORDERING.has(o)).lastIndexOf(true),
  };
}

/** Whether the operators leave the order of their input in place or fix a new one (see rowsAreOrdered). */
export function operatorsKeepOrder(query: string): boolean {
  const { lastOrdering, lastUnordering } = orderingPositions(query);
  return lastUnordering < 0 || lastOrdering > lastUnordering;
}

/**
 * Rows are compared in order only when Kusto fixes their order: the last order-setting operator (sort,
 * order, top) comes after the last order-destroying one (summarize, join, union, distinct, evaluate, …),
 * or a later `serialize`, or there is no order-destroying operator at all and the source is serialized
 * (range, print — not datatable). Otherwise rows are compared as a multiset.
 */
export function rowsAreOrdered(query: string): boolean {
  const { lastSerializing, lastUnordering } = orderingPositions(query);
  if (lastSerializing > lastUnordering) return true;
  return lastUnordering < 0 && sourceIsSerialized(query);
}


// --------------------------------------------------------------------------------- comparability

/** A cell that is only an ellipsis, ends with one, elides list items (`[1, 2, ....., 9]`) or a JSON array's content (`[ ... ]`). */
const TRUNCATION = /^\s*(\.\.\.|…)\s*$|\.\.\.\s*$|…|,\s*\.{3,}\s*,|\[\s*(\.\.\.\s*)+\]/;

/** `"key": …}`: JSON object text whose `{` the docs table dropped (it parses once the brace is back). */
function lostOpeningBrace(cell: string): boolean {
  const text = cell.trim();
  return /^"[^"]*"\s*:/.test(text) && parseDocsJson(text) === undefined && parseDocsJson(`{${text}`) !== undefined;
}

/** A docs cell of a range column as a number (datetimes and timespans in ticks), or undefined. */
function orderValue(text: string | null, type: string): number | undefined {
  if (text === null) return undefined;
  if (type === 'datetime') return Number(parseDatetime(text.trim()) ?? NaN);
  if (type === 'timespan') return Number(parseDocsTimespan(text) ?? NaN);
  return parseDocsNumber(text);
}

/**
 * Whether the docs list the rows of a `range` out of the order range makes them: range is serialized
 * (its rows come in step order) and nothing after it reorders, yet the range column is not monotonic.
 */
function rangeRowsReordered(c: DocsCase): boolean {
  const statements = resultStatements(statementsOf(c.query));
  const m = /^range\s+([A-Za-z_]\w*)\s+from\b/i.exec(statements.at(-1) ?? '');
  if (!m || statements.length !== 1 || topLevelOperators(c.query).some((o) => ORDERING.has(o) || UNORDERING.has(o))) return false;
  const name = m[1]!;
  // The column must still be range's own: not assigned again later.
  if (new RegExp(`\\b${name}\\s*=(?!=)`).test(statements[0]!.slice(m[0].length))) return false;
  const column = c.ls_result_columns.findIndex((col) => col.name === name);
  if (column < 0) return false;
  const values = c.expected_rows.map((row) => orderValue(row[column] ?? null, c.ls_result_columns[column]!.type));
  if (values.some((v) => v === undefined || Number.isNaN(v))) return false;
  const steps = values.slice(1).map((v, i) => v! - values[i]!);
  return steps.some((d) => d > 0) && steps.some((d) => d < 0);
}

/** The values of the query's string literals ("…", '…', @"…"), escapes resolved. */
function stringLiterals(query: string): Set<string> {
  const values = new Set<string>();
  for (const m of query.matchAll(/@"([^"]*)"|@'([^']*)'|"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'/g)) {
    const verbatim = m[1] ?? m[2];
    const escaped = m[3] ?? m[4] ?? '';
    values.add(verbatim ?? escaped.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c));
  }
  return values;
}

/**
 * A string column declared by a datatable and never assigned (no `name =`) can only hold that
 * datatable's literals: a docs cell with other text was edited by hand (e.g. "New York city" for
 * the data's "New York").
 */
function docsStringNotInData(c: DocsCase): string | undefined {
  const code = stripCommentsAndStrings(c.query);
  if (!/\bdatatable\s*\(/i.test(code)) return undefined;
  const literals = stringLiterals(c.query);
  for (let i = 0; i < c.ls_result_columns.length; i++) {
    const { name, type } = c.ls_result_columns[i]!;
    if (type !== 'string') continue;
    const declared = new RegExp(`\\bdatatable\\s*\\([^)]*\\b${name}\\s*:\\s*string\\b`, 'i').test(code);
    const assigned = new RegExp(`\\b${name}\\s*=(?!=)|\\bwith\\b[^|]*\\b${name}\\b`).test(code);
    if (!declared || assigned) continue;
    const odd = c.expected_rows.map((row) => row[i] ?? null).find((cell) => !isEmptyCell(cell, type) && !literals.has(cell!.trim().replace(/\\\|/g, '|')));
    if (odd !== undefined && odd !== null) return odd;
  }
  return undefined;
}

/** Why a docs case cannot be compared (it is illustrative), or undefined when it can. */
export function notComparableReason(c: DocsCase): string | undefined {
  const code = stripCommentsAndStrings(c.query);
  if (c.ragged_rows > 0) return 'docs table damaged (ragged rows)';
  if (c.ls_result_columns.length === 0) return 'no tabular result (Kusto.Language gives no result columns)';
  if (c.expected_columns.length !== c.ls_result_columns.length) return 'docs table shows other columns than the query returns';
  if (/\b(rand|new_guid|rand_normal)\s*\(/i.test(code) || /\|\s*sample(-distinct)?\b/i.test(code) || /\b(take_any|any|take_anyif|anyif)\s*\(/i.test(code)) {
    return 'random or arbitrary values (rand, new_guid, sample, take_any)';
  }
  if (resultStatements(statementsOf(c.query)).length > 1) return 'several result tables (one per tabular statement); the docs show one of them';
  if (/\b(now|ago|current_principal|current_cluster_endpoint|current_database|ingestion_time|cursor_current)\s*\(/i.test(code)) {
    return 'depends on the current time or cluster (now, ago, current_*)';
  }
  if (/\b(cluster|database|external_table|materialized_view)\s*\(/i.test(code) || /\bexternal_?data\b/i.test(code)) {
    return 'needs a cluster, database or external data';
  }
  if (c.expected_rows.some((row) => row.some((cell) => cell !== null && TRUNCATION.test(cell)))) return 'docs output truncated (…)';
  const erratum = docsErratum(c);
  if (erratum) return erratum;
  if (c.expected_rows.some((row) => row.some((cell, i) => c.ls_result_columns[i]?.type === 'dynamic' && cell !== null && lostOpeningBrace(cell)))) {
    return 'docs cell damaged: a JSON object that lost its opening brace';
  }
  if (!operatorsKeepOrder(c.query) && /\|\s*(take|limit)\b/i.test(code)) return 'take/limit without sort picks arbitrary rows';
  if (rangeRowsReordered(c)) return 'docs rows out of range order (range is serialized: its rows come in step order)';
  const edited = docsStringNotInData(c);
  if (edited !== undefined) return 'docs table shows a string the query\'s datatable does not hold (edited by hand)';
  return undefined;
}

function describeColumns(columns: { name: string; type: string }[]): string {
  return columns.map((c) => `${c.name}:${c.type}`).join(', ');
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function rowMatches(expected: (string | null)[], actual: unknown[], types: string[]): boolean {
  return expected.length === actual.length && expected.every((cell, i) => cellMatches(cell, actual[i], types[i]!));
}

/** The first cell of `expected` that `actual` does not show, as a one-line reason. */
function firstDifference(expected: (string | null)[], actual: unknown[], types: string[], names: string[], rowIndex: number): string {
  for (let i = 0; i < expected.length; i++) {
    if (!cellMatches(expected[i]!, actual[i], types[i]!)) {
      return `row ${rowIndex + 1}, ${names[i]}: expected ${show(expected[i])}, got ${show(actual[i])}`;
    }
  }
  return `row ${rowIndex + 1} differs`;
}

/**
 * The docs' rows with their cells in the order of Kusto's result columns: some docs tables list the same
 * columns in another order than the query returns them (matched by name, when every name is unique).
 */
export function expectedRowsInResultOrder(c: DocsCase): (string | null)[][] {
  const names = c.ls_result_columns.map((col) => col.name);
  const docs = c.expected_columns.map((name) => name.trim());
  const sameSet = new Set(docs).size === docs.length && docs.length === names.length && names.every((n) => docs.includes(n));
  if (!sameSet || names.every((n, i) => docs[i] === n)) return c.expected_rows;
  const from = names.map((n) => docs.indexOf(n));
  return c.expected_rows.map((row) => from.map((i) => row[i] ?? null));
}

function compareRows(c: DocsCase, actual: ActualResult, ordered: boolean): string | undefined {
  const difference = compareRowsAsShown(c, actual, ordered);
  // Docs names can also differ from Kusto's in which column gets a suffix (x_long vs x_long1), so
  // cells are moved by name only when they do not match where the docs put them.
  const reordered = expectedRowsInResultOrder(c);
  if (!difference || reordered === c.expected_rows) return difference;
  return compareRowsAsShown({ ...c, expected_rows: reordered }, actual, ordered) && difference;
}

function compareRowsAsShown(c: DocsCase, actual: ActualResult, ordered: boolean): string | undefined {
  const types = c.ls_result_columns.map((col) => col.type);
  const names = c.ls_result_columns.map((col) => col.name);
  if (actual.rows.length !== c.expected_rows.length) {
    return `expected ${c.expected_rows.length} rows, got ${actual.rows.length}`;
  }
  if (ordered) {
    for (let r = 0; r < c.expected_rows.length; r++) {
      if (!rowMatches(c.expected_rows[r]!, actual.rows[r]!, types)) return firstDifference(c.expected_rows[r]!, actual.rows[r]!, types, names, r);
    }
    return undefined;
  }
  const unused = actual.rows.map((_, i) => i);
  for (let r = 0; r < c.expected_rows.length; r++) {
    const at = unused.findIndex((i) => rowMatches(c.expected_rows[r]!, actual.rows[i]!, types));
    if (at < 0) {
      const closest = actual.rows[unused[0]!] ?? [];
      return `no row matches expected row ${r + 1} (rows compared as a multiset); ${firstDifference(c.expected_rows[r]!, closest, types, names, r)}`;
    }
    unused.splice(at, 1);
  }
  return undefined;
}

/** The verdict for one case given our result (rows in the JSON form `runQuery` returns). */
export function compareCase(c: DocsCase, actual: ActualResult): Verdict {
  const expectedColumns = describeColumns(c.ls_result_columns);
  const ourColumns = describeColumns(actual.columns);
  if (expectedColumns !== ourColumns) {
    return { status: 'fail', kind: 'columns', reason: `columns: Kusto (${expectedColumns}), ours (${ourColumns})` };
  }
  const ordered = rowsAreOrdered(c.query);
  const difference = compareRows(c, actual, ordered);
  return difference ? { status: 'fail', kind: 'rows', reason: difference } : { status: 'pass', ordered };
}
