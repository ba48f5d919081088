/**
 * Rule results → alerts. Rows are tuned one by one (an allowlisted row is set aside with the entry
 * that suppressed it), then grouped: one alert per entity group (rule.yaml alerting.groupBy, default
 * host + account) per time window (alerting.window from the group's first row), not one per row.
 * An alert's severity is the highest of its rows'; its confidence rises one level when two or more
 * branches of the rule agree inside the window.
 */
import { parseDatetime } from '../kql/values/datetime.js';
import { CONFIDENCES, type Confidence, type EntityKind, type Rule, type Severity, severityRank, timespanMs } from './rules.js';
import type { AllowlistEntry, Tuning, TuningSubject } from './tuning.js';

export type EvidenceRow = Record<string, unknown>;

export interface AlertEntities {
  host: string;
  account: string;
  process: string;
  processPath: string;
  files: string[];
  ips: string[];
}

export interface Alert {
  ruleId: string;
  rule: string;
  title: string;
  severity: Severity;
  confidence: Confidence;
  technique: string;
  subTechniques: string[];
  entities: AlertEntities;
  branches: string[];
  start: string;
  end: string;
  evidence: EvidenceRow[];
  /** For suppressed alerts: the allowlist entries that suppressed its rows. */
  suppressedBy?: AllowlistEntry[];
}

export interface AlertSet {
  alerts: Alert[];
  suppressed: Alert[];
}

export interface ResultTable {
  columns: Array<{ name: string }>;
  rows: unknown[][];
}

const DEFAULT_WINDOW = '1h';

export function buildAlerts(rule: Rule, result: ResultTable, tuning?: Tuning): AlertSet {
  const rows = result.rows.map((r) => rowObject(result.columns, r));
  const kept: EvidenceRow[] = [];
  const suppressed: Array<{ row: EvidenceRow; entry: AllowlistEntry }> = [];
  for (const row of rows) {
    const entry = tuning?.match(tuningSubject(rule, row));
    if (entry) suppressed.push({ row, entry });
    else kept.push(row);
  }
  const suppressedAlerts = groupRows(rule, suppressed.map((s) => s.row)).map((alert) => ({
    ...alert,
    suppressedBy: unique(suppressed.filter((s) => alert.evidence.includes(s.row)).map((s) => s.entry)),
  }));
  return { alerts: groupRows(rule, kept), suppressed: suppressedAlerts };
}

function rowObject(columns: Array<{ name: string }>, row: unknown[]): EvidenceRow {
  const obj: EvidenceRow = {};
  columns.forEach((c, i) => (obj[c.name] = row[i]));
  return obj;
}

/** First non-empty value among the mapped columns. */
export function firstValue(row: EvidenceRow, columns: string[] | undefined): string {
  for (const c of columns ?? []) {
    const v = row[c];
    if (v !== null && v !== undefined && v !== '') return typeof v === 'string' ? v : JSON.stringify(v);
  }
  return '';
}

export function tuningSubject(rule: Rule, row: EvidenceRow): TuningSubject {
  const p = rule.meta.entities.process;
  return {
    rule: rule.meta.name,
    device: firstValue(row, rule.meta.entities.host),
    processPath: firstValue(row, p?.path),
    processSigner: firstValue(row, p?.signer),
    parentPath: firstValue(row, p?.parentPath),
    stagingFolder: firstValue(row, rule.meta.entities.file),
  };
}

function entityValue(rule: Rule, row: EvidenceRow, kind: EntityKind): string {
  const e = rule.meta.entities;
  switch (kind) {
    case 'host': return firstValue(row, e.host).toLowerCase();
    case 'account': return firstValue(row, e.account).toLowerCase();
    case 'process': return firstValue(row, e.process?.path ?? e.process?.name).toLowerCase();
    case 'file': return firstValue(row, e.file).toLowerCase();
    case 'ip': return firstValue(row, e.ip);
  }
}

function rowTicks(rule: Rule, row: EvidenceRow): bigint {
  const text = row[rule.meta.alerting?.timeColumn ?? 'Timestamp'];
  return typeof text === 'string' ? parseDatetime(text) ?? 0n : 0n;
}

function groupRows(rule: Rule, rows: EvidenceRow[]): Alert[] {
  const groupBy = rule.meta.alerting?.groupBy ?? ['host', 'account'];
  const windowTicks = BigInt(timespanMs(rule.meta.alerting?.window ?? DEFAULT_WINDOW)) * 10_000n;
  const sorted = [...rows].sort((a, b) => (rowTicks(rule, a) < rowTicks(rule, b) ? -1 : rowTicks(rule, a) > rowTicks(rule, b) ? 1 : 0));
  const open = new Map<string, { startTicks: bigint; rows: EvidenceRow[] }>();
  const groups: EvidenceRow[][] = [];
  for (const row of sorted) {
    const key = groupBy.map((k) => entityValue(rule, row, k)).join('\u0000');
    const ticks = rowTicks(rule, row);
    const current = open.get(key);
    if (current && ticks - current.startTicks <= windowTicks) current.rows.push(row);
    else {
      const group = { startTicks: ticks, rows: [row] };
      open.set(key, group);
      groups.push(group.rows);
    }
  }
  return groups.map((g) => alertOf(rule, g)).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

function alertOf(rule: Rule, rows: EvidenceRow[]): Alert {
  const meta = rule.meta;
  const branchColumn = meta.alerting?.branchColumn ?? 'StagingType';
  const severityColumn = meta.alerting?.severityColumn;
  const branches = unique(rows.map((r) => String(r[branchColumn] ?? '')).filter(Boolean));
  const severities = rows.map((r) => (severityColumn ? String(r[severityColumn] ?? '') : '')).filter((s) => severityRank(s) >= 0);
  const severity = severities.length > 0 ? severities.reduce((a, b) => (severityRank(b) > severityRank(a) ? b : a)) as Severity : meta.severity;
  const confidenceIndex = Math.min(CONFIDENCES.indexOf(meta.confidence) + (branches.length >= 2 ? 1 : 0), CONFIDENCES.length - 1);
  const times = rows.map((r) => ({ ticks: rowTicks(rule, r), text: String(r[meta.alerting?.timeColumn ?? 'Timestamp'] ?? '') }));
  const first = times.reduce((a, b) => (b.ticks < a.ticks ? b : a));
  const last = times.reduce((a, b) => (b.ticks > a.ticks ? b : a));
  const e = meta.entities;
  return {
    ruleId: meta.id,
    rule: meta.name,
    title: meta.title,
    severity,
    confidence: CONFIDENCES[confidenceIndex]!,
    technique: meta.attack.technique,
    subTechniques: meta.attack.subTechniques ?? [],
    entities: {
      host: firstOf(rows, (r) => firstValue(r, e.host)),
      account: firstOf(rows, (r) => firstValue(r, e.account)),
      process: firstOf(rows, (r) => firstValue(r, e.process?.name)),
      processPath: firstOf(rows, (r) => firstValue(r, e.process?.path)),
      files: unique(rows.map((r) => firstValue(r, e.file)).filter(Boolean)),
      ips: unique(rows.map((r) => firstValue(r, e.ip)).filter(Boolean)),
    },
    branches,
    start: first.text,
    end: last.text,
    evidence: rows,
  };
}

function firstOf(rows: EvidenceRow[], pick: (row: EvidenceRow) => string): string {
  for (const r of rows) {
    const v = pick(r);
    if (v) return v;
  }
  return '';
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
