/**
 * `stagehunt test`: every scenario (each of its variants: Defender rows, Sysmon XML, auditd) and
 * every real recording, through every rule, with tuning applied; each outcome compared with the
 * rule's tests/expectations.yaml. Results feed the coverage matrix and the JUnit report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runQuery } from '../run-query.js';
import { detectFormat } from '../telemetry/detect.js';
import { readTelemetry } from '../telemetry/pipeline.js';
import { type Alert, buildAlerts } from './alerts.js';
import { RULES_DIR } from './builtin-rules.js';
import { type Rule, type Severity, severityRank } from './rules.js';
import { type Scenario, type VariantName, variantPath, variantsOf } from './scenario.js';
import type { Tuning } from './tuning.js';
import { parseValidatedYaml } from './validate.js';

export interface Outcome {
  fires: boolean;
  branches?: string[];
  minSeverity?: Severity;
  alerts?: number;
  suppressed?: boolean;
  note?: string;
}

export interface Expectation extends Outcome {
  variants?: Partial<Record<VariantName, Outcome>>;
}

export interface Recording {
  id: string;
  title: string;
  kind: 'attack' | 'benign';
  path: string;
  origin: string;
  license: string;
  contents: string;
}

/** One thing to replay: a scenario variant or a recording, as files to read. */
export interface ReplayInput {
  scenario: string;
  kind: 'attack' | 'benign';
  family: string;
  variant: VariantName | 'recording';
  path: string;
}

export interface CaseResult {
  input: ReplayInput;
  rule: string;
  alerts: Alert[];
  suppressed: Alert[];
  expected?: Outcome;
  passed: boolean;
  problems: string[];
  ms: number;
}

export const EXPECTATIONS_SCHEMA_FILE = join(RULES_DIR, 'schema', 'expectations.schema.json');
export const RECORDINGS_SCHEMA_FILE = join(RULES_DIR, 'schema', 'recordings.schema.json');

export function loadExpectations(rule: Rule): Record<string, Expectation> {
  const file = join(rule.dir, 'tests', 'expectations.yaml');
  if (!existsSync(file)) return {};
  return parseValidatedYaml<{ scenarios: Record<string, Expectation> }>(readFileSync(file, 'utf8'), file, EXPECTATIONS_SCHEMA_FILE).scenarios;
}

export function loadRecordings(file: string): Recording[] {
  if (!existsSync(file)) return [];
  return parseValidatedYaml<{ recordings: Recording[] }>(readFileSync(file, 'utf8'), file, RECORDINGS_SCHEMA_FILE).recordings;
}

export function replayInputs(scenarios: Scenario[], recordings: Recording[], repoRoot: string): { inputs: ReplayInput[]; missing: Recording[] } {
  const inputs: ReplayInput[] = [];
  for (const s of scenarios) {
    for (const variant of variantsOf(s.spec)) {
      inputs.push({ scenario: s.spec.id, kind: s.spec.kind, family: s.spec.family ?? '', variant, path: variantPath(s, variant) });
    }
  }
  const missing: Recording[] = [];
  for (const r of recordings) {
    const path = resolve(repoRoot, r.path);
    if (existsSync(path)) inputs.push({ scenario: r.id, kind: r.kind, family: 'recording', variant: 'recording', path });
    else missing.push(r);
  }
  return { inputs, missing };
}

/** Rows of every Defender table in a raw telemetry file, through the telemetry pipeline. */
export async function normalisedTables(path: string): Promise<Record<string, object[]>> {
  const detected = await detectFormat(path);
  const tables: Record<string, object[]> = {};
  for await (const item of readTelemetry(path, detected)) {
    if (item.kind === 'row') (tables[item.table] ??= []).push(item.row);
  }
  return tables;
}

export interface ReplayOptions {
  rules: Rule[];
  inputs: ReplayInput[];
  tuning?: Tuning;
  onCase?: (result: CaseResult) => void;
}

export async function replay(options: ReplayOptions): Promise<CaseResult[]> {
  const expectations = new Map(options.rules.map((r) => [r.meta.name, loadExpectations(r)]));
  const results: CaseResult[] = [];
  for (const input of options.inputs) {
    const source = input.variant === 'defender' ? { data: input.path } : { tables: await normalisedTables(input.path) };
    for (const rule of options.rules) {
      const started = performance.now();
      const problems: string[] = [];
      let alerts: Alert[] = [];
      let suppressed: Alert[] = [];
      try {
        const result = await runQuery(rule.query, { ...source, now: 'latest' });
        ({ alerts, suppressed } = buildAlerts(rule, result, options.tuning));
      } catch (e) {
        problems.push(`the rule failed: ${(e as Error).message}`);
      }
      const expectation = expectations.get(rule.meta.name)?.[input.scenario];
      const expected = expectation && outcomeFor(expectation, input.variant);
      if (!expected) problems.push(`no expectation for ${input.scenario} in rules/${rule.meta.name}/tests/expectations.yaml`);
      else problems.push(...compare(expected, alerts, suppressed));
      const caseResult: CaseResult = { input, rule: rule.meta.name, alerts, suppressed, expected, passed: problems.length === 0, problems, ms: performance.now() - started };
      results.push(caseResult);
      options.onCase?.(caseResult);
    }
  }
  return results;
}

function outcomeFor(expectation: Expectation, variant: ReplayInput['variant']): Outcome {
  const override = variant === 'recording' ? undefined : expectation.variants?.[variant];
  const { variants: _ignored, ...base } = expectation;
  void _ignored;
  return override ?? base;
}

/** What differs between the expected outcome and the alerts; empty when they agree. */
export function compare(expected: Outcome, alerts: Alert[], suppressed: Alert[]): string[] {
  const problems: string[] = [];
  const fired = alerts.length > 0;
  if (fired !== expected.fires) {
    problems.push(expected.fires ? 'expected an alert, the rule stayed silent' : `expected silence, the rule raised ${alerts.length} alert(s): ${alerts.map((a) => a.branches.join('+')).join('; ')}`);
  }
  const branches = new Set(alerts.flatMap((a) => a.branches));
  const missing = (expected.branches ?? []).filter((b) => !branches.has(b));
  if (missing.length > 0) problems.push(`branches missing: ${missing.join(', ')} (fired: ${[...branches].join(', ') || 'none'})`);
  if (expected.minSeverity && fired) {
    const top = alerts.reduce((a, b) => (severityRank(b.severity) > severityRank(a) ? b.severity : a), 'informational' as string);
    if (severityRank(top) < severityRank(expected.minSeverity)) problems.push(`severity ${top}, expected at least ${expected.minSeverity}`);
  }
  if (expected.alerts !== undefined && alerts.length !== expected.alerts) problems.push(`${alerts.length} alert(s), expected ${expected.alerts}`);
  if (expected.suppressed !== undefined && (suppressed.length > 0) !== expected.suppressed) {
    problems.push(expected.suppressed ? 'expected tuning to suppress an alert, none was suppressed' : `tuning suppressed ${suppressed.length} alert(s), expected none`);
  }
  return problems;
}
