/**
 * A portable condition rendered in a query language (SPL, ES|QL, EQL): fields are mapped to the
 * target's names, each leaf is written by the language's dialect, and a leaf the target cannot
 * express is left out in the direction that keeps the query BROADER than the rule — TRUE where it
 * would narrow the match, FALSE under a `not` — with a note saying what went missing. The query may
 * then alert where the rule would not, but never misses what the rule catches.
 */
import type { ExportedFile } from './exported-file.js';
import type { BranchCategory, Condition, MatchOp, PortableBranch, PortableRule } from './portable.js';

/** Where a Defender column lives in the target. */
export interface TargetField {
  field: string;
  /** The Defender column is the last path segment of this (full path) field: FileName of Image. */
  lastSegmentOf?: boolean;
  /** The field holds the condition's answer for every event the target query reads (Sysmon EventCode 11 is always FileCreated). */
  constant?: (values: string[]) => boolean;
  /** Defender values → the target's values (ActionType FileCreated → event.type creation). */
  mapValues?: (values: string[]) => string[];
  /** Said once in the notes whenever the mapping is used. */
  note?: string;
}

export type FieldMapper = (category: BranchCategory, column: string) => TargetField | undefined;

export interface Dialect {
  /** Name in notes: "SPL", "ES|QL", "EQL". */
  name: string;
  /** Undefined when the language cannot say it; the dialect then adds the reason to `notes`. */
  match(field: string, op: MatchOp, values: string[], caseSensitive: boolean, notes: string[]): string | undefined;
  compare(field: string, op: string, value: number): string;
  and(parts: string[]): string;
  or(parts: string[]): string;
  not(part: string): string;
}

type Rendered = { text: string } | boolean;

/** The condition as a boolean expression of the dialect; `true` when nothing of it is left to test. */
export function renderCondition(condition: Condition, category: BranchCategory, fields: FieldMapper, dialect: Dialect, notes: string[]): string | true | false {
  const rendered = render(condition, true);
  return typeof rendered === 'boolean' ? rendered : rendered.text;

  function render(c: Condition, positive: boolean): Rendered {
    switch (c.kind) {
      case 'and':
      case 'or': {
        const parts = c.items.map((item) => render(item, positive));
        const absorbing = c.kind === 'or';
        if (parts.some((p) => p === absorbing)) return absorbing;
        const texts = parts.filter((p): p is { text: string } => typeof p !== 'boolean').map((p) => p.text);
        if (texts.length === 0) return !absorbing;
        if (texts.length === 1) return { text: texts[0]! };
        return { text: c.kind === 'and' ? dialect.and(texts) : dialect.or(texts) };
      }
      case 'not': {
        const inner = render(c.item, !positive);
        return typeof inner === 'boolean' ? !inner : { text: dialect.not(inner.text) };
      }
      case 'compare': {
        const target = fields(category, c.field);
        if (!target) return lost(c.field, positive);
        return { text: dialect.compare(target.field, c.op, c.value) };
      }
      case 'match':
        return matchLeaf(c, positive);
    }
  }

  function matchLeaf(c: Extract<Condition, { kind: 'match' }>, positive: boolean): Rendered {
    const target = fields(category, c.field);
    if (!target) return lost(c.field, positive);
    if (target.note) note(target.note);
    if (target.constant) return target.constant(c.values);
    const values = target.mapValues ? target.mapValues(c.values) : c.values;
    let { op } = c;
    let shown = values;
    if (target.lastSegmentOf) ({ op, values: shown } = asPathCondition(c.field, target.field, op, values));
    const text = dialect.match(target.field, op, shown, c.caseSensitive, notes);
    if (text === undefined) return positive;
    return { text };
  }

  function lost(column: string, positive: boolean): boolean {
    note(`${column} has no ${dialect.name} field here: its condition is left out (the query matches more than the rule)`);
    return positive;
  }

  function asPathCondition(column: string, field: string, op: MatchOp, values: string[]): { op: MatchOp; values: string[] } {
    switch (op) {
      case 'equals':
        return { op: 'endswith', values: values.flatMap((v) => [`\\${v}`, `/${v}`]) };
      case 'startswith':
        note(`${column} startswith is tested as ${field} contains "\\" or "/" followed by the value`);
        return { op: 'contains', values: values.flatMap((v) => [`\\${v}`, `/${v}`]) };
      case 'regex':
        note(`a pattern on ${column} (the last path segment) is tested on the whole ${field}`);
        return { op, values: values.map((v) => (v.startsWith('^') ? `[\\\\/]${v.slice(1)}` : v)) };
      default:
        return { op, values };
    }
  }

  function note(text: string): void {
    if (!notes.includes(text)) notes.push(text);
  }
}

/** Regular-expression text matching any of `values` literally. */
export function literalAlternation(values: string[]): string {
  const escaped = values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return escaped.length === 1 ? escaped[0]! : `(?:${escaped.join('|')})`;
}

/** One query of a branch: its text, and what it could not express (beyond the model's own notes). */
export interface BranchQuery {
  body: string;
  notes: string[];
}

/**
 * One file per branch (`<folder>/<rule>/<branch key>.<ext>`), each starting with a comment that says
 * where it comes from and lists everything not expressed: the model's notes, then the target's.
 */
export function branchQueryFiles(
  rule: PortableRule,
  folder: string,
  extension: string,
  comment: (lines: string[]) => string,
  render: (branch: PortableBranch) => BranchQuery,
): ExportedFile[] {
  const meta = rule.meta;
  const skipped = rule.branches.filter((b) => b.category === 'other').map((b) => `branch ${b.name} reads ${b.table}, which this target has no data for: not exported`);
  return rule.branches
    .filter((b) => b.category !== 'other')
    .map((branch, i) => {
      const query = render(branch);
      const lost = [...new Set([...(i === 0 ? skipped : []), ...rule.lossy, ...branch.lossy, ...query.notes])];
      const lines = [
        `${meta.title}: ${branch.name} (branch of the stagehunt rule ${meta.name}, ${meta.attack.technique}${(meta.attack.subTechniques ?? []).map((t) => `, ${t}`).join('')}; severity ${branch.severity ?? meta.severity})`,
        ...(meta.branches?.[branch.name] ? [meta.branches[branch.name]!] : []),
        ...(lost.length > 0 ? ['Not expressed in this query:', ...lost.map((n) => `- ${n}`)] : ['Everything the rule tests for this branch is expressed.']),
      ];
      return { path: `${folder}/${meta.name}/${branch.key}.${extension}`, content: `${comment(lines)}${query.body}\n` };
    });
}
