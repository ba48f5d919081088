/**
 * The portable rule model: a platform-neutral description of a rule's branches, derived from the
 * rule's own KQL as our engine binds it (see extract.ts). Every exporter (Sigma, Sentinel, SPL,
 * ES|QL, EQL) renders this model, so what a rule means is worked out once.
 *
 * Fields are Defender column names (FolderPath, FileName, ProcessCommandLine, ActionType,
 * InitiatingProcess…) of the branch's table; each target maps them to its own names.
 * What the model cannot say is never dropped silently: it is written, in words, into `lossy`.
 */
import type { RuleMetadata, Severity } from '../detections/rules.js';

/** How a `match` condition compares the field with each of its values. */
export type MatchOp = 'equals' | 'contains' | 'startswith' | 'endswith' | 'regex';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * A filter over the events of one table.
 * - `match`: the field matches ANY of `values` (for `regex`, values are RE2 patterns without a leading `(?i)`;
 *   `caseSensitive: false` says the pattern is applied case-insensitively).
 * - `compare`: a numeric comparison.
 * - `and` with no items is TRUE; `or` with no items is FALSE.
 */
export type Condition =
  | { kind: 'match'; field: string; op: MatchOp; values: string[]; caseSensitive: boolean }
  | { kind: 'compare'; field: string; op: CompareOp; value: number }
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition };

export type ThresholdOp = '>=' | '>' | '<' | '<=';

/** A branch that alerts on a count of matching events per group, not on single events. */
export interface Aggregation {
  /** Plain fields the events are grouped by (computed group keys are listed in the branch's `lossy`). */
  groupBy: string[];
  /** Time bucket of the group (`bin(Timestamp, 1h)` → `1h`); absent when the rule groups over the whole lookback. */
  window?: string;
  measure: { kind: 'count' } | { kind: 'dcount'; field: string };
  threshold: { op: ThresholdOp; value: number };
}

/** The log-source family of a branch (Sigma's logsource category). */
export type BranchCategory = 'process_creation' | 'file_event' | 'network_connection' | 'other';

export interface PortableBranch {
  /** The branch name the rule gives its rows (the value of the rule's branch column, e.g. `BulkFileStaging`). */
  name: string;
  /** Unique, file-name safe key of this branch within the rule (`bulk-file-staging`, `remote-smb-staging-2`). */
  key: string;
  /** The Defender table the branch reads. */
  table: string;
  category: BranchCategory;
  filter: Condition;
  aggregation?: Aggregation;
  /** How far back the rule looks (`Timestamp > ago(24h)` → `24h`): scheduling, not a filter. */
  lookback?: string;
  /** The branch's own severity when the rule computes one per row (rule.yaml alerting.severityColumn); else the rule's. */
  severity?: Severity;
  /** What of this branch could not be expressed exactly, one sentence each. */
  lossy: string[];
}

export interface PortableRule {
  meta: RuleMetadata;
  branches: PortableBranch[];
  /** What of the rule as a whole (output columns, severity logic) is not carried, one sentence each. */
  lossy: string[];
}

export const TRUE: Condition = { kind: 'and', items: [] };
export const FALSE: Condition = { kind: 'or', items: [] };

export function isTrue(c: Condition): boolean {
  return c.kind === 'and' && c.items.length === 0;
}

export function isFalse(c: Condition): boolean {
  return c.kind === 'or' && c.items.length === 0;
}

/** `and` of the items, flattened, with TRUE items dropped and FALSE absorbing. */
export function allOf(items: Condition[]): Condition {
  const flat = items.flatMap((c) => (c.kind === 'and' ? c.items : [c]));
  if (flat.some(isFalse)) return FALSE;
  return flat.length === 1 ? flat[0]! : { kind: 'and', items: flat };
}

/** `or` of the items, flattened, with FALSE items dropped and TRUE absorbing. */
export function anyOf(items: Condition[]): Condition {
  const flat = items.flatMap((c) => (c.kind === 'or' ? c.items : [c]));
  if (flat.some(isTrue)) return TRUE;
  return flat.length === 1 ? flat[0]! : { kind: 'or', items: flat };
}

export function negate(c: Condition): Condition {
  if (isTrue(c)) return FALSE;
  if (isFalse(c)) return TRUE;
  return c.kind === 'not' ? c.item : { kind: 'not', item: c };
}

/** The Defender fields a condition reads, in first-use order. */
export function conditionFields(c: Condition, into: string[] = []): string[] {
  switch (c.kind) {
    case 'match':
    case 'compare':
      if (!into.includes(c.field)) into.push(c.field);
      break;
    case 'and':
    case 'or':
      for (const item of c.items) conditionFields(item, into);
      break;
    case 'not':
      conditionFields(c.item, into);
      break;
  }
  return into;
}

/** Sigma-like category of a Defender table. */
export function categoryOfTable(table: string): BranchCategory {
  switch (table) {
    case 'DeviceProcessEvents':
      return 'process_creation';
    case 'DeviceFileEvents':
      return 'file_event';
    case 'DeviceNetworkEvents':
      return 'network_connection';
    default:
      return 'other';
  }
}
