/**
 * Portable rule → Sigma. One Sigma rule per branch and platform (logsource product windows, and
 * linux where the branch also matches Linux paths or tools), in the Sigma taxonomy (Image,
 * CommandLine, TargetFilename, ParentImage, User …; Defender columns with no taxonomy name are kept
 * as they are and noted). An aggregating branch becomes its base rule followed by a Sigma v2
 * correlation rule (event_count, or value_count for a distinct count), in one multi-document file,
 * as sigma-cli reads them. What the export cannot carry is listed in the file's leading comment.
 */
import { createHash } from 'node:crypto';
import { Document } from 'yaml';
import type { Rule } from '../detections/rules.js';
import { ExportError, type ExportedFile } from './exported-file.js';
import { extractPortableRule } from './extract.js';
import type { Aggregation, Condition, PortableBranch, PortableRule } from './portable.js';
import { isFalse, isTrue } from './portable.js';
import { FILE_NAME_COLUMNS, type SigmaCategory, sigmaFieldFor } from './sigma-fields.js';

/** Sigma files are named `<rule name>/<branch key>[-linux].yml`. */
export type { ExportedFile } from './exported-file.js';

export interface SigmaOptions {
  /** The Sigma `date` (YYYY-MM-DD); default today (UTC). */
  date?: string;
}

export type Platform = 'windows' | 'linux';

/** One Sigma file: its rule documents (base rule, then the correlation if any) and what was lost. */
export interface SigmaFile {
  path: string;
  documents: Array<Record<string, unknown>>;
  notes: string[];
}

export function exportSigma(rule: Rule, options: SigmaOptions = {}): ExportedFile[] {
  return sigmaFiles(extractPortableRule(rule), options).map((file) => ({ path: file.path, content: renderSigmaFile(file) }));
}

export function sigmaFiles(rule: PortableRule, options: SigmaOptions = {}): SigmaFile[] {
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const files: SigmaFile[] = [];
  for (const branch of rule.branches) {
    if (branch.category === 'other') continue; // listed in the skipped notes of the first file below
    const platforms = platformsOf(branch.filter);
    for (const platform of platforms) {
      const suffix = platform === platforms[0] ? '' : `-${platform}`;
      files.push(branchFile(rule, branch, platform, suffix, date));
    }
  }
  const skipped = rule.branches.filter((b) => b.category === 'other').map((b) => `branch ${b.name} reads ${b.table}, which has no Sigma log source: not exported`);
  if (files[0]) files[0].notes.unshift(...skipped);
  return files;
}

export function renderSigmaFile(file: SigmaFile): string {
  return file.documents
    .map((doc, i) => {
      const document = new Document(doc);
      if (i === 0 && file.notes.length > 0) document.commentBefore = [' Not carried from the KQL rule:', ...file.notes.map((n) => ` - ${n}`)].join('\n');
      return document.toString({ lineWidth: 0 });
    })
    .join('---\n');
}

function branchFile(rule: PortableRule, branch: PortableBranch, platform: Platform, suffix: string, date: string): SigmaFile {
  const meta = rule.meta;
  const category = branch.category as SigmaCategory;
  const notes = [...rule.lossy, ...branch.lossy];
  const name = `${meta.name}-${branch.key}${suffix}`;
  const detection = new DetectionBuilder(category, notes).build(branch.filter);
  const common = {
    status: sigmaStatus(meta.status),
    description: `${meta.branches?.[branch.name] ?? meta.description} (branch ${branch.name} of the stagehunt rule ${meta.name}: ${meta.title})`,
    references: meta.references.filter((r) => /^https?:\/\//.test(r)),
    author: 'stagehunt',
    date,
  };
  const base: Record<string, unknown> = {
    title: `${meta.title}: ${branch.name}${suffix ? ` (${platform})` : ''}`,
    id: uuidV5(meta.id, name),
    name,
    ...common,
    tags: attackTags(meta.attack),
    logsource: { category, product: platform },
    detection,
    falsepositives: meta.falsePositives,
    level: branch.severity ?? meta.severity,
  };
  const documents = [base];
  if (branch.aggregation) documents.push(correlation(rule, branch, name, common, category, notes));
  return { path: `${meta.name}/${branch.key}${suffix}.yml`, documents, notes: unique(notes) };
}

function correlation(rule: PortableRule, branch: PortableBranch, baseName: string, common: Record<string, unknown>, category: SigmaCategory, notes: string[]): Record<string, unknown> {
  const agg = branch.aggregation as Aggregation;
  const timespan = agg.window ?? branch.lookback ?? rule.meta.schedule.lookback;
  if (!agg.window) notes.push(`the rule counts over its whole lookback; the correlation uses timespan ${timespan}`);
  notes.push('Sigma correlation timespans are sliding windows in most backends; the rule counts per fixed bucket (bin(Timestamp, …))');
  const op = { '>=': 'gte', '>': 'gt', '<': 'lt', '<=': 'lte' }[agg.threshold.op];
  const condition: Record<string, unknown> = { [op]: agg.threshold.value };
  if (agg.measure.kind === 'dcount') condition.field = exportedFieldName(category, agg.measure.field, notes);
  return {
    title: `${rule.meta.title}: ${branch.name} (${agg.measure.kind === 'dcount' ? `distinct ${agg.measure.field}` : 'events'} ${agg.threshold.op} ${agg.threshold.value}${agg.window ? ` per ${agg.window}` : ''})`,
    id: uuidV5(rule.meta.id, `${baseName}:correlation`),
    name: `${baseName}-count`,
    ...common,
    correlation: {
      type: agg.measure.kind === 'dcount' ? 'value_count' : 'event_count',
      rules: [baseName],
      'group-by': agg.groupBy.map((f) => exportedFieldName(category, f, notes)),
      timespan,
      condition,
    },
    falsepositives: rule.meta.falsePositives,
    level: branch.severity ?? rule.meta.severity,
  };
}

// ───────────────────────────── detection ─────────────────────────────

/** Builds named selections and the condition expression that combines them. */
class DetectionBuilder {
  private readonly selections: Record<string, unknown> = {};

  constructor(
    private readonly category: SigmaCategory,
    private readonly notes: string[],
  ) {}

  build(filter: Condition): Record<string, unknown> {
    if (isTrue(filter) || isFalse(filter)) throw new ExportError(`a branch whose filter is always ${isTrue(filter)} cannot be written as a Sigma detection`);
    const condition = this.expression(filter, false);
    return { ...this.selections, condition: stripParens(condition) };
  }

  private expression(c: Condition, negated: boolean): string {
    switch (c.kind) {
      case 'compare':
        // Sigma has no "not equal" modifier: != is written as not(==).
        if (c.op === '!=') return `not ${this.leaf([{ ...c, op: '==' }], !negated)}`;
        return this.leaf([c], negated);
      case 'match':
        return this.leaf([c], negated);
      case 'not':
        return `not ${this.expression(c.item, !negated)}`;
      case 'and': {
        // Positive leaves on different keys share one selection (a Sigma map is an AND of its keys).
        const leaves = c.items.filter((i): i is Leaf => i.kind === 'match' || (i.kind === 'compare' && i.op !== '!='));
        const keys = leaves.map((l) => this.entry(l).key);
        const mergeable = new Set(keys).size === keys.length && leaves.length > 1;
        const parts = mergeable ? [this.leaf(leaves, negated)] : [];
        for (const item of c.items) if (!(mergeable && leaves.includes(item as Leaf))) parts.push(this.expression(item, negated));
        return `(${parts.join(' and ')})`;
      }
      case 'or':
        return `(${c.items.map((i) => this.expression(i, negated)).join(' or ')})`;
    }
  }

  private leaf(leaves: Leaf[], negated: boolean): string {
    const selection: Record<string, unknown> = {};
    for (const leaf of leaves) {
      const { key, value } = this.entry(leaf);
      selection[key] = value;
    }
    const first = this.entry(leaves[0]!).key.split('|')[0]!.toLowerCase();
    let name = `${negated ? 'filter' : 'selection'}_${leaves.length > 1 ? 'main' : first}`;
    for (let n = 2; name in this.selections; n++) name = `${negated ? 'filter' : 'selection'}_${leaves.length > 1 ? 'main' : first}_${n}`;
    this.selections[name] = selection;
    return name;
  }

  private entry(leaf: Leaf): { key: string; value: unknown } {
    if (leaf.kind === 'compare') {
      const field = exportedFieldName(this.category, leaf.field, this.notes);
      const modifier = { '==': '', '!=': '', '<': '|lt', '<=': '|lte', '>': '|gt', '>=': '|gte' }[leaf.op];
      return { key: `${field}${modifier}`, value: leaf.value };
    }
    const pathColumn = FILE_NAME_COLUMNS[this.category][leaf.field];
    if (pathColumn) return this.fileNameEntry(leaf, pathColumn);
    return this.matchEntry(exportedFieldName(this.category, leaf.field, this.notes), leaf.op, leaf.values, leaf.caseSensitive);
  }

  /**
   * FileName → the path field being the name or ending in a separator and the name (Image: x.exe,
   * or ending in \x.exe or /x.exe): Sysmon reports the System process with the bare image "System".
   */
  private fileNameEntry(leaf: MatchLeaf, pathColumn: string): { key: string; value: unknown } {
    const field = exportedFieldName(this.category, pathColumn, this.notes);
    switch (leaf.op) {
      case 'equals': {
        if (leaf.values.includes('')) this.notes.push(`${leaf.field} == "" has no path equivalent and is left out`);
        const values = leaf.values.filter((v) => v !== '').flatMap((v) => [escapeSigmaValue(v), `*${escapeSigmaValue(`\\${v}`)}`, `*/${escapeSigmaValue(v)}`]);
        return { key: `${field}${leaf.caseSensitive ? '|cased' : ''}`, value: values.length === 1 ? values[0] : values };
      }
      case 'endswith':
        return this.matchEntry(field, 'endswith', leaf.values, leaf.caseSensitive);
      case 'regex': {
        const rewritten = leaf.values.map((v) => v.replace(/^\^/, '[\\\\/]'));
        this.notes.push(`${leaf.field} is matched on ${field} (the full path); a pattern anchored with ^ is anchored at the last separator instead, and its wildcards may cross folders`);
        return this.matchEntry(field, 'regex', rewritten, leaf.caseSensitive);
      }
      default:
        this.notes.push(`${leaf.field} ${leaf.op} is tested on the whole ${field}, which also matches the folders`);
        return this.matchEntry(field, leaf.op, leaf.values, leaf.caseSensitive);
    }
  }

  private matchEntry(field: string, op: MatchLeaf['op'], values: string[], caseSensitive: boolean): { key: string; value: unknown } {
    const modifiers = { equals: '', contains: '|contains', startswith: '|startswith', endswith: '|endswith', regex: '|re' }[op];
    const cased = op === 'regex' ? (caseSensitive ? '' : '|i') : caseSensitive ? '|cased' : '';
    const written = op === 'regex' ? values : values.map(escapeSigmaValue);
    return { key: `${field}${modifiers}${cased}`, value: written.length === 1 ? written[0] : written };
  }
}

type MatchLeaf = Extract<Condition, { kind: 'match' }>;
type Leaf = MatchLeaf | Extract<Condition, { kind: 'compare' }>;

function stripParens(expression: string): string {
  return expression.startsWith('(') && matchingParen(expression) === expression.length - 1 ? expression.slice(1, -1) : expression;
}

function matchingParen(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Sigma field for a Defender column, or the column itself (noted) when the taxonomy has none. */
function exportedFieldName(category: SigmaCategory, column: string, notes: string[]): string {
  const field = sigmaFieldFor(category, column);
  if (field) return field;
  notes.push(`${column} has no Sigma taxonomy field for ${category}: kept under its Defender name (Defender and Sentinel backends read it; others need a field mapping)`);
  return column;
}

/** Sigma plain values treat `*` and `?` as wildcards and `\` before them (or before `\`) as an escape. */
export function escapeSigmaValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '*' || ch === '?') out += `\\${ch}`;
    else if (ch === '\\' && (value[i + 1] === '\\' || value[i + 1] === '*' || value[i + 1] === '?')) out += '\\\\';
    else out += ch;
  }
  return out;
}

// ───────────────────────────── metadata ─────────────────────────────

/**
 * Windows, Linux or both, from the values the filter tests: Windows paths (`\`), `%VAR%`/`$env:`,
 * `.exe` names; Linux paths (`/tmp`, `/var`, `/dev/shm`) and names of Linux tools without an extension.
 */
export function platformsOf(filter: Condition): Platform[] {
  let windows = false;
  let linux = false;
  const visit = (c: Condition): void => {
    if (c.kind === 'and' || c.kind === 'or') c.items.forEach(visit);
    else if (c.kind === 'not') visit(c.item);
    else if (c.kind === 'match') {
      for (const v of c.values) {
        const text = c.op === 'regex' ? v.replace(/\\[sSdDwWb]/g, '') : v;
        if (/\\\\|^\\|%\w+%|\$env:|\.exe$/i.test(text) || (c.op !== 'regex' && text.includes('\\'))) windows = true;
        if (/\/(tmp|var|dev\/shm|home|etc)\b/.test(text) || (c.field.endsWith('FileName') && c.op === 'equals' && /^[a-z0-9]+$/.test(v))) linux = true;
      }
    }
  };
  visit(filter);
  if (linux && !windows) return ['linux'];
  return linux ? ['windows', 'linux'] : ['windows'];
}

function sigmaStatus(status: string | undefined): string {
  // Sigma has no "reference" status: a rule kept as published for comparison is at most tested.
  return status === 'stable' || status === 'deprecated' || status === 'experimental' ? status : 'test';
}

export function attackTags(attack: Rule['meta']['attack']): string[] {
  const tags = [
    ...attack.tactics.map((t) => `attack.${t.toLowerCase().replace(/[\s-]+/g, '_')}`),
    `attack.${attack.technique.toLowerCase()}`,
    ...(attack.subTechniques ?? []).map((t) => `attack.${t.toLowerCase()}`),
  ];
  return unique(tags);
}

/** A name-based UUID (RFC 4122 version 5: SHA-1 of namespace + name), stable across exports. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

