/**
 * `hunt --explain`: for an alert, which branches fired and what each means (rule.yaml branches), the
 * evidence each row holds, and the pivot queries to run next — filled in with the alert's device,
 * process, staging folder and time window so they can be pasted into `stagehunt query` as they are.
 */
import type { Alert, EvidenceRow } from './alerts.js';
import type { Pivot, Rule } from './rules.js';

/** Pivot parameters: `let <Name> = …;` lines in a pivot file that explain/tests replace with alert values. */
export type PivotParameters = Partial<Record<'AlertDevice' | 'AlertAccount' | 'AlertProcess' | 'AlertStagingFolder' | 'AlertStart' | 'AlertEnd', string>>;

export function pivotParameters(alert: Alert): PivotParameters {
  return {
    AlertDevice: alert.entities.host,
    AlertAccount: alert.entities.account,
    AlertProcess: alert.entities.process,
    AlertStagingFolder: alert.entities.files[0] ?? '',
    AlertStart: alert.start,
    AlertEnd: alert.end,
  };
}

/** Replaces each parameter's `let` line; names not present in the file are ignored. */
export function fillPivot(text: string, parameters: PivotParameters): string {
  let out = text;
  for (const [name, value] of Object.entries(parameters)) {
    if (value === undefined) continue;
    const literal = name === 'AlertStart' || name === 'AlertEnd' ? `datetime(${value})` : kqlString(value);
    out = out.replace(new RegExp(`^let ${name} = .*;$`, 'm'), () => `let ${name} = ${literal};`);
  }
  return out;
}

/** A KQL string literal for any text: a double-quoted string with \\ and \" escaped. */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r/g, '\\r').replace(/\n/g, '\\n')}"`;
}

const EVIDENCE_COLUMNS = ['StagingType', 'Timestamp', 'ProcessFileName', 'FileName', 'InitiatingProcessFileName', 'StagingFolder', 'FolderPath',
  'FileCount', 'SampleFiles', 'ProcessCommandLine', 'InitiatingProcessCommandLine', 'PasswordProtected', 'RemoteStaging', 'Masquerading', 'RemoteIP'];

function evidenceLine(row: EvidenceRow): string {
  return EVIDENCE_COLUMNS.filter((c) => row[c] !== undefined && row[c] !== null && row[c] !== '' && row[c] !== false)
    .map((c) => `${c}=${typeof row[c] === 'string' ? row[c] : JSON.stringify(row[c])}`)
    .join('  ');
}

export function explainAlert(rule: Rule, alert: Alert): string {
  const lines: string[] = [];
  lines.push(`${alert.severity.toUpperCase()} ${alert.rule} — ${alert.title}`);
  lines.push(`  ${alert.entities.host} / ${alert.entities.account || '(no account)'}, ${alert.start} → ${alert.end}, confidence ${alert.confidence}, ${[alert.technique, ...alert.subTechniques].join(', ')}`);
  lines.push('  Why it fired:');
  for (const branch of alert.branches) {
    lines.push(`    ${branch}: ${rule.meta.branches?.[branch] ?? '(branch not described in rule.yaml)'}`);
    for (const row of alert.evidence.filter((r) => r[rule.meta.alerting?.branchColumn ?? 'StagingType'] === branch)) {
      lines.push(`      - ${evidenceLine(row)}`);
    }
  }
  if (alert.evidence.some((r) => r['PasswordProtected'] === true)) lines.push('    password/encryption flag on the archiver: raises severity to high');
  if (alert.evidence.some((r) => r['Masquerading'] === true)) lines.push('    staging folder imitates a vendor folder (masquerading): raises severity to high');
  if (alert.evidence.some((r) => r['RemoteStaging'] === true)) lines.push('    remote staging (admin share or SMB write, T1074.002): raises severity to high');
  if (rule.pivots.length > 0) {
    lines.push('  Pivots to run next (stagehunt query --data <same data> --query-file <file>, parameters filled in below):');
    const parameters = pivotParameters(alert);
    for (const pivot of rule.pivots) lines.push(`    ${pivot.title}: ${pivot.file}`, ...indentedParameters(pivot, parameters));
  }
  return lines.join('\n');
}

function indentedParameters(pivot: Pivot, parameters: PivotParameters): string[] {
  const filled = fillPivot(pivot.text, parameters);
  return filled.split('\n').filter((l) => /^let Alert\w+ = /.test(l)).map((l) => `      ${l}`);
}
