/**
 * Portable rule → Splunk SPL over Sysmon (the Splunk Add-on for Microsoft Sysmon: source
 * `XmlWinEventLog:Microsoft-Windows-Sysmon/Operational`, fields Image, CommandLine, ParentImage,
 * TargetFilename, User, Computer; EventCode 1 = process creation, 11 = file creation, 3 = network
 * connection). One search per branch: the event filter as a `where` of eval functions (match() for
 * patterns, case-insensitive where the rule is), and for a counting branch
 * `bin _time` + `stats count/dc(…) by …` + `where` on the threshold.
 */
import type { Rule } from '../detections/rules.js';
import type { ExportedFile } from './exported-file.js';
import { extractPortableRule } from './extract.js';
import type { BranchCategory, PortableBranch, PortableRule } from './portable.js';
import { type BranchQuery, type Dialect, branchQueryFiles, literalAlternation, renderCondition } from './query-render.js';
import { sysmonField } from './target-fields.js';

const SYSMON_SOURCE = 'source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational"';
const EVENT_CODES: Record<Exclude<BranchCategory, 'other'>, number> = { process_creation: 1, file_event: 11, network_connection: 3 };

export function splString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export const SPL_DIALECT: Dialect = {
  name: 'SPL (Sysmon)',
  match(field, op, values, caseSensitive) {
    const subject = caseSensitive ? field : `lower(${field})`;
    if (op === 'equals') {
      const parts: string[] = [];
      if (values.includes('')) parts.push(`(isnull(${field}) OR ${field}="")`);
      const rest = values.filter((v) => v !== '').map((v) => (caseSensitive ? v : v.toLowerCase()));
      if (rest.length === 1) parts.push(`${subject}=${splString(rest[0]!)}`);
      else if (rest.length > 1) parts.push(`in(${subject}, ${rest.map(splString).join(', ')})`);
      return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
    }
    const flags = caseSensitive ? '' : '(?i)';
    const pattern = op === 'regex'
      ? (values.length === 1 ? values[0]! : `(?:${values.map((v) => `(?:${v})`).join('|')})`)
      : { contains: '', startswith: '^', endswith: '' }[op] + literalAlternation(values) + (op === 'endswith' ? '$' : '');
    return `match(${field}, ${splString(flags + pattern)})`;
  },
  compare: (field, op, value) => `tonumber(${field})${op === '==' ? '=' : op}${value}`,
  and: (parts) => `(${parts.join(' AND ')})`,
  or: (parts) => `(${parts.join(' OR ')})`,
  not: (part) => `NOT ${part.startsWith('(') ? part : `(${part})`}`,
};

function splunkSearch(rule: PortableRule, branch: PortableBranch): BranchQuery {
  const notes: string[] = [];
  const category = branch.category as Exclude<BranchCategory, 'other'>;
  const lines = [`index=* ${SYSMON_SOURCE} EventCode=${EVENT_CODES[category]}${branch.lookback ? ` earliest=-${branch.lookback}` : ''}`];
  const condition = renderCondition(branch.filter, category, sysmonField, SPL_DIALECT, notes);
  if (condition === false) notes.push('no event of this log source can match the branch: the search returns nothing');
  if (condition !== true) lines.push(`| where ${condition === false ? 'false()' : condition}`);
  const agg = branch.aggregation;
  if (agg) {
    const keys = groupFields(agg.groupBy, category, notes);
    if (agg.window) {
      lines.push(`| bin _time span=${agg.window}`);
      keys.push('_time');
    }
    const measure = agg.measure.kind === 'count' ? 'count as EventCount' : `dc(${measureField(agg.measure.field, category, notes)}) as DistinctCount`;
    lines.push(`| stats ${measure}${keys.length > 0 ? ` by ${keys.join(' ')}` : ''}`);
    lines.push(`| where ${agg.measure.kind === 'count' ? 'EventCount' : 'DistinctCount'}${agg.threshold.op}${agg.threshold.value}`);
  }
  return { body: lines.join('\n'), notes };
}

/** Group-by columns as Sysmon fields; a column without one is left out (coarser groups), and said. */
export function groupFields(columns: string[], category: Exclude<BranchCategory, 'other'>, notes: string[]): string[] {
  const keys: string[] = [];
  for (const column of columns) {
    const target = sysmonField(category, column);
    if (!target || target.constant) {
      notes.push(`the group key ${column} has no Sysmon field: left out, so groups are coarser and the count can reach the threshold sooner`);
      continue;
    }
    if (target.lastSegmentOf) notes.push(`the group key ${column} is grouped by its full path ${target.field}: groups are finer`);
    if (!keys.includes(target.field)) keys.push(target.field);
  }
  return keys;
}

function measureField(column: string, category: Exclude<BranchCategory, 'other'>, notes: string[]): string {
  const target = sysmonField(category, column);
  if (target && !target.constant) return target.field;
  notes.push(`the distinct count of ${column} has no Sysmon field: events are counted instead`);
  return '_raw';
}

/** SPL's block comment; the text cannot itself hold three backticks. */
function splComment(lines: string[]): string {
  return `\`\`\`\n${lines.map((l) => l.replace(/```/g, "'''")).join('\n')}\n\`\`\`\n`;
}

export function exportSplunk(rule: Rule): ExportedFile[] {
  const portable = extractPortableRule(rule);
  return branchQueryFiles(portable, 'splunk', 'spl', splComment, (branch) => splunkSearch(portable, branch));
}
