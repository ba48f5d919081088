/**
 * Sigma → KQL over the Defender tables, with the field mapping of pySigma's Microsoft XDR pipeline
 * (sigma-fields.ts). Handles detection maps and lists of maps; the modifiers contains, startswith,
 * endswith, re (with i/m/s), all, cased, windash, exists, gt/gte/lt/lte; conditions with and/or/not,
 * parentheses, `1 of`/`all of` (name patterns and `them`); and v2 correlation rules of type
 * event_count and value_count. Anything else is an error naming file:line:column.
 *
 * A file yields one query per rule to run: each correlation rule (over its base rule, which is then
 * not run alone, as Sigma's `generate: false` default says) and each detection rule no correlation uses.
 */
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type Scalar, type YAMLMap } from 'yaml';
import { RE2JS } from 're2js';
import { BUILTIN_TABLES } from '../data/schemas.js';
import { CATEGORY_ALIASES, CATEGORY_TABLES, SIGMA_TO_DEFENDER, type SigmaCategory } from './sigma-fields.js';

export class SigmaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigmaError';
  }
}

/** One runnable query converted from a Sigma file. */
export interface SigmaQuery {
  title: string;
  /** The Sigma `name`, else the file name (plus the rule's position when the file holds several). */
  name: string;
  id?: string;
  level?: string;
  status?: string;
  description?: string;
  tags: string[];
  falsepositives: string[];
  references: string[];
  category: SigmaCategory;
  table: string;
  kql: string;
  /** The column holding the rule's title on every row (the branch name in alerts). */
  branchColumn: string;
}

export const SIGMA_BRANCH_COLUMN = 'SigmaRule';

interface Located {
  file: string;
  lines: LineCounter;
}

interface DetectionRule {
  doc: Document;
  title: string;
  name?: string;
  id?: string;
  category: SigmaCategory;
  table: string;
  where: string;
  used: boolean;
}

export function sigmaToKql(text: string, file: string): SigmaQuery[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines });
  const at: Located = { file, lines };
  const detections: DetectionRule[] = [];
  const correlations: Document[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new SigmaError(`${file}:${where(at, doc.errors[0]!.pos[0])}: ${doc.errors[0]!.message.split('\n')[0]}`);
    if (!isMap(doc.contents)) continue; // an empty document (trailing ---)
    if (doc.contents.has('correlation')) correlations.push(doc);
    else detections.push(detectionRule(doc, at));
  }
  const stem = file.split(/[\\/]/).pop()!.replace(/\.ya?ml$/i, '');
  const queries = correlations.map((doc) => correlationQuery(doc, detections, at));
  for (const rule of detections) {
    if (!rule.used) queries.push(query(rule.doc, rule.category, rule.table, `${rule.table}\n| where ${rule.where}`, rule.title));
  }
  if (queries.length === 0) throw new SigmaError(`${file}:1:1: no Sigma rule in the file`);
  return queries.map((q, i) => ({ ...q, name: q.name || (queries.length === 1 ? stem : `${stem}-${i + 1}`) }));
}

function query(doc: Document, category: SigmaCategory, table: string, body: string, title: string): SigmaQuery {
  const text = (key: string) => {
    const v = doc.get(key);
    return typeof v === 'string' ? v : undefined;
  };
  const list = (key: string) => {
    const v = doc.toJS()[key] as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  };
  const kql = `${body}\n| extend ${SIGMA_BRANCH_COLUMN} = ${kqlString(title)}`;
  return {
    title, name: text('name') ?? '', id: text('id'), level: text('level'), status: text('status'), description: text('description'),
    tags: list('tags'), falsepositives: list('falsepositives'), references: list('references'), category, table, kql, branchColumn: SIGMA_BRANCH_COLUMN,
  };
}

// ───────────────────────────── detection rules ─────────────────────────────

function detectionRule(doc: Document, at: Located): DetectionRule {
  const root = doc.contents as YAMLMap;
  const title = requiredString(root, 'title', at);
  const logsource = root.get('logsource', true);
  if (!isMap(logsource)) throw located(at, root, 'logsource', 'a Sigma rule needs a logsource map');
  const categoryNode = logsource.get('category', true);
  const categoryName = isScalar(categoryNode) ? String(categoryNode.value) : '';
  const category = (categoryName in CATEGORY_TABLES ? categoryName : CATEGORY_ALIASES[categoryName]) as SigmaCategory | undefined;
  if (!category) {
    throw located(at, logsource, 'category', `logsource category "${categoryName}" has no Defender table (known: ${[...Object.keys(CATEGORY_TABLES), ...Object.keys(CATEGORY_ALIASES)].join(', ')})`);
  }
  const table = CATEGORY_TABLES[category];
  const detection = root.get('detection', true);
  if (!isMap(detection)) throw located(at, root, 'detection', 'a Sigma rule needs a detection map');
  const searches = new Map<string, Node>();
  for (const pair of detection.items) {
    const key = String((pair.key as Scalar).value);
    if (key !== 'condition') searches.set(key, pair.value as Node);
  }
  const conditionNode = detection.get('condition', true);
  if (!isScalar(conditionNode) || typeof conditionNode.value !== 'string') throw located(at, detection, 'condition', 'detection needs a condition string');
  const fields = new FieldMapper(category, table, at);
  const translated = new Map<string, string>();
  const search = (name: string) => {
    let kql = translated.get(name);
    if (kql === undefined) {
      kql = searchKql(searches.get(name)!, fields, at);
      translated.set(name, kql);
    }
    return kql;
  };
  const whereKql = new ConditionParser(conditionNode.value, [...searches.keys()], search, (msg, offset) => {
    // Offsets count from the condition text; a quoted scalar starts one character later.
    const start = (conditionNode.range?.[0] ?? 0) + offset + (conditionNode.type === 'PLAIN' ? 0 : 1);
    return new SigmaError(`${at.file}:${where(at, start)}: ${msg}`);
  }).parse();
  return { doc, title, name: stringOf(root, 'name'), id: stringOf(root, 'id'), category, table, where: whereKql, used: false };
}

function where(at: Located, offset: number): string {
  const { line, col } = at.lines.linePos(offset);
  return `${line}:${col}`;
}

function located(at: Located, map: YAMLMap, key: string, message: string): SigmaError {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  const node = (pair?.key ?? map) as Node;
  return new SigmaError(`${at.file}:${where(at, node.range?.[0] ?? 0)}: ${message}`);
}

function nodeError(at: Located, node: Node | null | undefined, message: string): SigmaError {
  return new SigmaError(`${at.file}:${where(at, node?.range?.[0] ?? 0)}: ${message}`);
}

function requiredString(map: YAMLMap, key: string, at: Located): string {
  const value = stringOf(map, key);
  if (!value) throw located(at, map, key, `a Sigma rule needs a ${key}`);
  return value;
}

function stringOf(map: YAMLMap, key: string): string | undefined {
  const v = map.get(key);
  return typeof v === 'string' ? v : undefined;
}

/** Sigma field → Defender column of the category's table: the taxonomy mapping, else a column of the table. */
class FieldMapper {
  private readonly columns: Set<string>;

  constructor(
    readonly category: SigmaCategory,
    readonly table: string,
    private readonly at: Located,
  ) {
    this.columns = new Set((BUILTIN_TABLES[table] ?? []).map((c) => c.name));
  }

  column(field: string, node: Node): string {
    const mapped = SIGMA_TO_DEFENDER[this.category][field] ?? (this.columns.has(field) ? field : undefined);
    if (!mapped) {
      throw nodeError(this.at, node, `unknown field "${field}" for ${this.category} (Sigma fields: ${Object.keys(SIGMA_TO_DEFENDER[this.category]).join(', ')}; or a ${this.table} column)`);
    }
    return mapped;
  }
}

/** A search identifier: a map (AND of its fields) or a list of maps (OR). */
function searchKql(node: Node, fields: FieldMapper, at: Located): string {
  if (isMap(node)) return mapKql(node, fields, at);
  if (isSeq(node)) {
    const items = node.items as Node[];
    if (items.some((i) => !isMap(i))) throw nodeError(at, items.find((i) => !isMap(i)), 'keyword searches (lists of plain values) are not supported: name the field');
    return group(items.map((i) => mapKql(i as YAMLMap, fields, at)), 'or');
  }
  throw nodeError(at, node, 'a search identifier must be a map of fields or a list of such maps');
}

function mapKql(map: YAMLMap, fields: FieldMapper, at: Located): string {
  if (map.items.length === 0) throw nodeError(at, map, 'an empty selection matches nothing');
  return group(
    map.items.map((pair) => fieldKql(pair.key as Scalar, pair.value as Node | null, fields, at)),
    'and',
  );
}

const KNOWN_MODIFIERS = new Set(['contains', 'startswith', 'endswith', 're', 'i', 'm', 's', 'all', 'cased', 'windash', 'exists', 'gt', 'gte', 'lt', 'lte']);

function fieldKql(keyNode: Scalar, valueNode: Node | null, fields: FieldMapper, at: Located): string {
  const [field, ...modifiers] = String(keyNode.value).split('|');
  for (const m of modifiers) if (!KNOWN_MODIFIERS.has(m)) throw nodeError(at, keyNode, `unsupported modifier |${m} (supported: ${[...KNOWN_MODIFIERS].join(', ')})`);
  const column = fields.column(field!, keyNode);
  const values: unknown[] = isSeq(valueNode) ? (valueNode.items as Node[]).map((n) => (isScalar(n) ? n.value : undefined)) : [isScalar(valueNode) ? valueNode.value : valueNode === null ? null : undefined];
  if (values.some((v) => v === undefined)) throw nodeError(at, valueNode ?? keyNode, 'field values must be plain values or a list of them');
  const has = (m: string) => modifiers.includes(m);
  if (has('exists')) return values[0] === false ? `isempty(${column})` : `isnotempty(${column})`;
  const numeric = ['gt', 'gte', 'lt', 'lte'].find(has);
  if (numeric) {
    const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[numeric]!;
    return group(values.map((v) => `${column} ${op} ${Number(v)}`), has('all') ? 'and' : 'or');
  }
  const expanded = has('windash') ? values.flatMap((v) => (typeof v === 'string' ? windashVariants(v) : [v])) : values;
  const tests = expanded.map((v) => valueKql(column, v, modifiers, keyNode, at));
  return group(tests, has('all') ? 'and' : 'or');
}

function valueKql(column: string, value: unknown, modifiers: string[], keyNode: Scalar, at: Located): string {
  if (value === null) return `isempty(${column})`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${column} == ${String(value)}`;
  const text = String(value);
  const cased = modifiers.includes('cased');
  if (modifiers.includes('re')) {
    const flags = ['i', 'm', 's'].filter((f) => modifiers.includes(f)).join('');
    checkRegex(text, keyNode, at);
    return `${column} matches regex ${kqlString(flags ? `(?${flags})${text}` : text)}`;
  }
  const modifier = modifiers.find((m) => m === 'contains' || m === 'startswith' || m === 'endswith');
  const { kind, literal, wildcard } = wildcardShape(text, (modifier ?? 'equals') as MatchKind);
  if (wildcard === undefined) {
    const op = { equals: cased ? '==' : '=~', contains: 'contains', startswith: 'startswith', endswith: 'endswith' }[kind];
    return `${column} ${op}${cased && kind !== 'equals' ? '_cs' : ''} ${kqlString(literal)}`;
  }
  // Wildcards inside the value: one anchored regular expression.
  const pattern = `${kind === 'equals' || kind === 'startswith' ? '^' : ''}${wildcard}${kind === 'equals' || kind === 'endswith' ? '$' : ''}`;
  return `${column} matches regex ${kqlString(`${cased ? '' : '(?i)'}${pattern}`)}`;
}

type MatchKind = 'equals' | 'contains' | 'startswith' | 'endswith';

/**
 * A leading or trailing `*` only widens the match kind (`*\cmd.exe` = endswith `\cmd.exe`), as
 * Sigma's own modifiers do; other wildcards need a regular expression (`wildcard`).
 */
export function wildcardShape(value: string, kind: MatchKind): { kind: MatchKind; literal: string; wildcard?: string } {
  let body = value;
  let leading = false;
  let trailing = false;
  if (body.startsWith('*')) {
    leading = true;
    body = body.slice(1);
  }
  if (body.endsWith('*') && !/(^|[^\\])(\\\\)*\\\*$/.test(body)) {
    trailing = true;
    body = body.slice(0, -1);
  }
  const decoded = decodeSigmaValue(body);
  if (decoded.wildcard !== undefined) return { kind, ...decodeSigmaValue(value) };
  const widened: MatchKind =
    kind === 'contains' || (leading && trailing) ? 'contains'
    : leading ? (kind === 'startswith' ? 'contains' : 'endswith')
    : trailing ? (kind === 'endswith' ? 'contains' : 'startswith')
    : kind;
  return { kind: widened, literal: decoded.literal };
}

function checkRegex(pattern: string, node: Node, at: Located): void {
  try {
    RE2JS.compile(pattern);
  } catch (e) {
    throw nodeError(at, node, `invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

/**
 * A Sigma plain value: `*` and `?` are wildcards; `\*`, `\?` and `\\` escape them; any other
 * backslash is literal. Returns the literal text, or (when there are wildcards) a regex body.
 */
export function decodeSigmaValue(value: string): { literal: string; wildcard?: string } {
  let literal = '';
  let regex = '';
  let wild = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const next = value[i + 1];
    if (ch === '\\' && (next === '*' || next === '?' || next === '\\')) {
      literal += next;
      regex += escapeForRegex(next);
      i++;
    } else if (ch === '*' || ch === '?') {
      wild = true;
      regex += ch === '*' ? '.*' : '.';
    } else {
      literal += ch;
      regex += escapeForRegex(ch);
    }
  }
  return wild ? { literal, wildcard: regex } : { literal };
}

function escapeForRegex(ch: string): string {
  return /[\\^$.|?*+()[\]{}]/.test(ch) ? `\\${ch}` : ch;
}

/** `windash`: every `-` that starts an option (at the start or after a space) also as `/`, en dash, em dash and horizontal bar. */
function windashVariants(value: string): string[] {
  if (!/(^|\s)-/.test(value)) return [value];
  return ['-', '/', '\u2013', '\u2014', '\u2015'].map((dash) => value.replace(/(^|\s)-/g, `$1${dash}`));
}

/** KQL verbatim string literal: backslashes are literal, `"` is doubled. */
export function kqlString(text: string): string {
  return `@"${text.replace(/"/g, '""')}"`;
}

function group(parts: string[], op: 'and' | 'or'): string {
  return parts.length === 1 ? parts[0]! : `(${parts.join(` ${op} `)})`;
}

// ───────────────────────────── condition expressions ─────────────────────────────

type Token = { text: string; offset: number };

/** `sel1 and not (filter_* or 1 of x*)` → KQL over the translated search identifiers. */
class ConditionParser {
  private readonly tokens: Token[] = [];
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly names: string[],
    private readonly search: (name: string) => string,
    private readonly error: (message: string, offset: number) => SigmaError,
  ) {
    const re = /\(|\)|[^\s()]+/g;
    for (let m = re.exec(text); m; m = re.exec(text)) this.tokens.push({ text: m[0], offset: m.index });
  }

  parse(): string {
    const expr = this.or();
    const extra = this.tokens[this.pos];
    if (extra) throw this.error(`unexpected "${extra.text}" in the condition`, extra.offset);
    return expr;
  }

  private peek(): string | undefined {
    return this.tokens[this.pos]?.text;
  }

  private or(): string {
    const parts = [this.and()];
    while (this.peek() === 'or') {
      this.pos++;
      parts.push(this.and());
    }
    return group(parts, 'or');
  }

  private and(): string {
    const parts = [this.not()];
    while (this.peek() === 'and') {
      this.pos++;
      parts.push(this.not());
    }
    return group(parts, 'and');
  }

  private not(): string {
    if (this.peek() === 'not') {
      this.pos++;
      return `not(${this.not()})`;
    }
    return this.primary();
  }

  private primary(): string {
    const token = this.tokens[this.pos++];
    if (!token) throw this.error('the condition ends too early', this.text.length);
    if (token.text === '(') {
      const inner = this.or();
      if (this.peek() !== ')') throw this.error('missing ")"', this.tokens[this.pos]?.offset ?? this.text.length);
      this.pos++;
      return `(${inner})`;
    }
    if (token.text === '1' || token.text === 'all' || token.text === 'any') {
      if (this.peek() !== 'of') throw this.error(`"${token.text}" must be followed by "of"`, token.offset);
      this.pos++;
      const target = this.tokens[this.pos++];
      if (!target) throw this.error('"of" needs a name pattern or "them"', this.text.length);
      const matched = this.matching(target);
      return group(matched.map(this.search), token.text === 'all' ? 'and' : 'or');
    }
    if (!this.names.includes(token.text)) throw this.error(`unknown search identifier "${token.text}" (defined: ${this.names.join(', ')})`, token.offset);
    return this.search(token.text);
  }

  private matching(target: Token): string[] {
    const names = target.text === 'them'
      ? this.names.filter((n) => !n.startsWith('_'))
      : this.names.filter((n) => new RegExp(`^${target.text.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(n));
    if (names.length === 0) throw this.error(`no search identifier matches "${target.text}"`, target.offset);
    return names;
  }
}

// ───────────────────────────── correlation rules ─────────────────────────────

const CONDITION_OPS: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' };

function correlationQuery(doc: Document, detections: DetectionRule[], at: Located): SigmaQuery {
  const root = doc.contents as YAMLMap;
  const title = requiredString(root, 'title', at);
  const corr: unknown = root.get('correlation', true);
  if (!isMap(corr)) throw located(at, root, 'correlation', 'correlation must be a map');
  const type = stringOf(corr, 'type');
  if (type !== 'event_count' && type !== 'value_count') throw located(at, corr, 'type', `correlation type "${type}" is not supported (event_count, value_count)`);
  const rules = corr.get('rules', true);
  const refs = isSeq(rules) ? (rules.items as Node[]).map((n) => (isScalar(n) ? String(n.value) : '')) : isScalar(rules) ? [String(rules.value)] : [];
  if (refs.length !== 1) throw located(at, corr, 'rules', 'a count correlation needs exactly one rule in rules');
  const base = detections.find((d) => d.name === refs[0] || d.id === refs[0]);
  if (!base) throw located(at, corr, 'rules', `rule "${refs[0]}" is not in this file (give the base rule's name or id)`);
  base.used = true;
  const fields = new FieldMapper(base.category, base.table, at);
  const groupNode = corr.get('group-by', true);
  const groupBy = isSeq(groupNode) ? (groupNode.items as Scalar[]).map((n) => fields.column(String(n.value), n)) : [];
  const timespan = stringOf(corr, 'timespan') ?? '';
  if (!/^\d+[smhd]$/.test(timespan)) throw located(at, corr, 'timespan', `timespan "${timespan}" must be a number and one of s, m, h, d`);
  const condition = corr.get('condition', true);
  if (!isMap(condition)) throw located(at, corr, 'condition', 'a count correlation needs a condition map (gte: N …)');
  const tests: string[] = [];
  let field: string | undefined;
  for (const pair of condition.items) {
    const key = String((pair.key as Scalar).value);
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    if (key === 'field') field = fields.column(String(value), pair.value as Node);
    else if (key in CONDITION_OPS && typeof value === 'number') tests.push(`Count ${CONDITION_OPS[key]} ${value}`);
    else throw nodeError(at, pair.key as Node, `unsupported condition "${key}: ${String(value)}"`);
  }
  if (tests.length === 0) throw located(at, corr, 'condition', 'the condition has no threshold (gte, gt, lt, lte, eq, neq)');
  if (type === 'value_count' && !field) throw located(at, corr, 'condition', 'a value_count condition needs a field');
  const measure = type === 'value_count' ? `dcount(${field})` : 'count()';
  const keys = [...groupBy, `Window = bin(Timestamp, ${timespan})`].join(', ');
  const body = [
    base.table,
    `| where ${base.where}`,
    `| summarize Count = ${measure}, FirstSeen = min(Timestamp), LastSeen = max(Timestamp) by ${keys}`,
    `| where ${tests.join(' and ')}`,
    '| extend Timestamp = LastSeen',
  ].join('\n');
  return query(doc, base.category, base.table, body, title);
}
