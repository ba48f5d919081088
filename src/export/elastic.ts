/**
 * Portable rule → Elastic, over ECS endpoint data (Elastic Defend / Elastic Agent: indices
 * logs-endpoint.events.process-*, …file-*, …network-*; fields process.name, process.command_line,
 * process.executable, file.path, file.name, event.category/type, host.name, user.name):
 * - `elastic-esql`: one ES|QL query per branch; a counting branch ends in
 *   `EVAL Window = DATE_TRUNC(…) | STATS … BY … | WHERE` on the threshold.
 * - `elastic-eql`: one EQL query per branch. EQL has no counting, so a counting branch returns every
 *   event that would be counted, and says so.
 * Patterns become Lucene regular expressions (lucene-regex.ts); ES|QL's RLIKE has no
 * case-insensitive form, so a case-insensitive pattern is applied to TO_LOWER(field) in lower case.
 */
import { timespanMs, type Rule } from '../detections/rules.js';
import type { ExportedFile } from './exported-file.js';
import { extractPortableRule } from './extract.js';
import { toLuceneRegex } from './lucene-regex.js';
import type { BranchCategory, MatchOp, PortableBranch } from './portable.js';
import { type BranchQuery, type Dialect, branchQueryFiles, renderCondition } from './query-render.js';
import { ecsField } from './target-fields.js';

type Category = Exclude<BranchCategory, 'other'>;

const INDICES: Record<Category, string> = {
  process_creation: 'logs-endpoint.events.process-*',
  file_event: 'logs-endpoint.events.file-*',
  network_connection: 'logs-endpoint.events.network-*',
};
const ECS_CATEGORY: Record<Category, string> = { process_creation: 'process', file_event: 'file', network_connection: 'network' };

/** A double-quoted string with the escapes ES|QL and EQL share. */
export function quoted(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  return `"${escaped}"`;
}

/** A wildcard pattern (`*`, `?`) for ES|QL LIKE, which escapes with a backslash. */
function likePattern(op: MatchOp, value: string): string {
  const literal = value.replace(/[\\*?]/g, '\\$&');
  return op === 'contains' ? `*${literal}*` : op === 'startswith' ? `${literal}*` : op === 'endswith' ? `*${literal}` : literal;
}

function luceneOrNote(pattern: string, field: string, lowercase: boolean, language: string, notes: string[]): string | undefined {
  const result = toLuceneRegex(pattern, { lowercase });
  if ('pattern' in result) return result.pattern;
  notes.push(`the pattern ${JSON.stringify(pattern)} on ${field} has no ${language} form (${result.unsupported}): left out, so the query matches more than the rule`);
  return undefined;
}

export const ESQL_DIALECT: Dialect = {
  name: 'ES|QL (ECS)',
  match(field, op, values, caseSensitive, notes) {
    const subject = caseSensitive ? field : `TO_LOWER(${field})`;
    const fold = (v: string) => (caseSensitive ? v : v.toLowerCase());
    const parts: string[] = [];
    if (op === 'equals') {
      if (values.includes('')) parts.push(`${field} IS NULL`, `${field} == ""`);
      const rest = values.filter((v) => v !== '').map(fold);
      if (rest.length === 1) parts.push(`${subject} == ${quoted(rest[0]!)}`);
      else if (rest.length > 1) parts.push(`${subject} IN (${rest.map(quoted).join(', ')})`);
    } else if (op === 'regex') {
      for (const value of values) {
        const pattern = luceneOrNote(value, field, !caseSensitive, 'ES|QL', notes);
        if (pattern === undefined) return undefined;
        parts.push(`${subject} RLIKE ${quoted(pattern)}`);
      }
    } else {
      for (const value of values) parts.push(`${subject} LIKE ${quoted(likePattern(op, fold(value)))}`);
    }
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  },
  compare: (field, op, value) => `${field} ${op} ${value}`,
  and: (parts) => `(${parts.join(' AND ')})`,
  or: (parts) => `(${parts.join(' OR ')})`,
  not: (part) => `NOT ${part.startsWith('(') ? part : `(${part})`}`,
};

export const EQL_DIALECT: Dialect = {
  name: 'EQL (ECS)',
  match(field, op, values, caseSensitive, notes) {
    const insensitive = caseSensitive ? '' : '~';
    const list = (items: string[]) => (items.length === 1 ? quoted(items[0]!) : `(${items.map(quoted).join(', ')})`);
    const parts: string[] = [];
    if (op === 'equals') {
      if (values.includes('')) parts.push(`${field} == null`, `${field} == ""`);
      const rest = values.filter((v) => v !== '');
      if (rest.length > 0) parts.push(`${field} ${rest.length === 1 && caseSensitive ? '==' : `in${insensitive}`} ${rest.length === 1 && caseSensitive ? quoted(rest[0]!) : `(${rest.map(quoted).join(', ')})`}`);
    } else if (op === 'regex' || values.some((v) => /[*?]/.test(v))) {
      // EQL wildcards cannot be escaped: values holding * or ? are matched as literal regular expressions.
      const patterns: string[] = [];
      for (const value of values) {
        const re2 = op === 'regex' ? value : anchoredLiteral(op, value);
        const pattern = luceneOrNote(re2, field, false, 'EQL', notes);
        if (pattern === undefined) return undefined;
        patterns.push(pattern);
      }
      parts.push(`${field} regex${insensitive} ${list(patterns)}`);
    } else {
      parts.push(`${field} like${insensitive} ${list(values.map((v) => likePattern(op, v).replace(/\\([\\*?])/g, '$1')))}`);
    }
    return parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
  },
  compare: (field, op, value) => `${field} ${op} ${value}`,
  and: (parts) => `(${parts.join(' and ')})`,
  or: (parts) => `(${parts.join(' or ')})`,
  not: (part) => `not ${part.startsWith('(') ? part : `(${part})`}`,
};

function anchoredLiteral(op: MatchOp, value: string): string {
  const literal = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return op === 'equals' ? `^${literal}$` : op === 'startswith' ? `^${literal}` : op === 'endswith' ? `${literal}$` : literal;
}

/** `24h` → `24 hours`, `1d` → `1 day`: ES|QL time spans. */
export function esqlSpan(text: string): string {
  const ms = timespanMs(text);
  for (const [unit, size] of [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]] as const) {
    if (ms % size === 0) return `${ms / size} ${unit}${ms / size === 1 ? '' : 's'}`;
  }
  return `${ms / 60_000} minutes`;
}

function groupKeys(columns: string[], category: Category, notes: string[]): string[] {
  const keys: string[] = [];
  for (const column of columns) {
    const target = ecsField(category, column);
    if (!target || target.mapValues) {
      notes.push(`the group key ${column} has no ECS field: left out, so groups are coarser and the count can reach the threshold sooner`);
    } else if (!keys.includes(target.field)) {
      keys.push(target.field);
    }
  }
  return keys;
}

function esqlQuery(branch: PortableBranch): BranchQuery {
  const notes: string[] = [];
  const category = branch.category as Category;
  const lines = [`FROM ${INDICES[category]}`];
  if (branch.lookback) lines.push(`| WHERE @timestamp > NOW() - ${esqlSpan(branch.lookback)}`);
  lines.push(`| WHERE event.category == "${ECS_CATEGORY[category]}"${category === 'process_creation' ? ' AND event.type == "start"' : ''}`);
  const condition = renderCondition(branch.filter, category, ecsField, ESQL_DIALECT, notes);
  if (condition !== true) lines.push(`| WHERE ${condition === false ? 'false' : condition}`);
  const agg = branch.aggregation;
  if (agg) {
    const keys = groupKeys(agg.groupBy, category, notes);
    if (agg.window) {
      lines.push(`| EVAL Window = DATE_TRUNC(${esqlSpan(agg.window)}, @timestamp)`);
      keys.push('Window');
    }
    let measure = 'EventCount = COUNT(*)';
    if (agg.measure.kind === 'dcount') {
      const target = ecsField(category, agg.measure.field);
      if (target && !target.mapValues) {
        measure = `DistinctCount = COUNT_DISTINCT(${target.field})`;
        notes.push('COUNT_DISTINCT is approximate above its precision threshold (3000 distinct values by default); the rule counts exactly');
      } else {
        notes.push(`the distinct count of ${agg.measure.field} has no ECS field: events are counted instead`);
        measure = 'DistinctCount = COUNT(*)';
      }
    }
    lines.push(`| STATS ${measure}${keys.length > 0 ? ` BY ${keys.join(', ')}` : ''}`);
    lines.push(`| WHERE ${measure.split(' = ')[0]} ${agg.threshold.op} ${agg.threshold.value}`);
  }
  return { body: lines.join('\n'), notes };
}

function eqlQuery(branch: PortableBranch): BranchQuery {
  const notes: string[] = [];
  const category = branch.category as Category;
  const condition = renderCondition(branch.filter, category, ecsField, EQL_DIALECT, notes);
  const parts = category === 'process_creation' ? ['event.type == "start"'] : [];
  if (condition !== true) parts.push(condition === false ? 'false' : condition);
  const agg = branch.aggregation;
  if (agg) {
    const measure = agg.measure.kind === 'count' ? 'events' : `distinct ${agg.measure.field}`;
    notes.push(`EQL cannot count: the query returns every event the rule counts, without the threshold (${measure} ${agg.threshold.op} ${agg.threshold.value}${agg.window ? ` per ${agg.window}` : ''} by ${agg.groupBy.join(', ') || 'nothing'}); use the ES|QL export or a threshold rule for it`);
  }
  if (branch.lookback) notes.push(`the lookback (${branch.lookback}) is the detection rule's schedule in Elastic, not part of EQL`);
  return { body: `${ECS_CATEGORY[category]} where ${parts.length > 0 ? parts.join(' and ') : 'true'}`, notes };
}

function lineComments(lines: string[]): string {
  return lines.map((l) => `// ${l}\n`).join('');
}

export function exportEsql(rule: Rule): ExportedFile[] {
  return branchQueryFiles(extractPortableRule(rule), 'elastic-esql', 'esql', lineComments, esqlQuery);
}

export function exportEql(rule: Rule): ExportedFile[] {
  return branchQueryFiles(extractPortableRule(rule), 'elastic-eql', 'eql', lineComments, eqlQuery);
}
