/**
 * The rule model: a folder per rule under `rules/` holding `rule.yaml` (metadata, validated against
 * rules/schema/rule.schema.json), the query file, `tests/expectations.yaml`, `playbook.md` and pivot
 * queries. Loading checks what the schema cannot: the folder name, and that referenced files exist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RULES_DIR } from './builtin-rules.js';
import { ContentError, parseValidatedYaml } from './validate.js';

export const SEVERITIES = ['informational', 'low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export type EntityKind = 'host' | 'account' | 'process' | 'file' | 'ip';

export interface ProcessEntityColumns {
  name: string[];
  path?: string[];
  commandLine?: string[];
  signer?: string[];
  parentName?: string[];
  parentPath?: string[];
}

export interface RuleMetadata {
  id: string;
  name: string;
  title: string;
  description: string;
  status?: 'reference' | 'experimental' | 'stable' | 'deprecated';
  attack: { tactics: string[]; technique: string; subTechniques?: string[] };
  severity: Severity;
  confidence: Confidence;
  dataSources: string[];
  requiredTables: string[];
  entities: { host: string[]; account?: string[]; process?: ProcessEntityColumns; file?: string[]; ip?: string[] };
  alerting?: { groupBy?: EntityKind[]; window?: string; branchColumn?: string; severityColumn?: string; timeColumn?: string };
  query: string;
  schedule: { frequency: string; lookback: string };
  falsePositives: string[];
  references: string[];
  branches?: Record<string, string>;
  pivots?: Array<{ file: string; title: string }>;
}

export interface Pivot {
  title: string;
  file: string;
  text: string;
}

export interface Rule {
  meta: RuleMetadata;
  dir: string;
  queryFile: string;
  query: string;
  pivots: Pivot[];
}

export const RULE_SCHEMA_FILE = join(RULES_DIR, 'schema', 'rule.schema.json');

/** Reads and validates one rule folder; every problem found is reported at once. */
export function loadRule(dir: string): Rule {
  const file = join(dir, 'rule.yaml');
  const shown = displayPath(file);
  if (!existsSync(file)) throw new ContentError([`${shown}:1:1: rule.yaml: is missing — fix: create it (copy rules/t1074-data-staged/rule.yaml as a template)`]);
  const meta = parseValidatedYaml<RuleMetadata>(readFileSync(file, 'utf8'), shown, RULE_SCHEMA_FILE);
  const problems: string[] = [];
  const folder = dir.split(/[\\/]/).filter(Boolean).pop();
  if (meta.name !== folder) problems.push(`${shown}: name: "${meta.name}" differs from the folder "${folder}" — fix: set name: ${folder}`);
  const queryFile = resolve(dir, meta.query);
  if (!existsSync(queryFile)) problems.push(`${shown}: query: file ${meta.query} does not exist — fix: point query at the rule's .kql file`);
  const pivots: Pivot[] = [];
  for (const [i, pivot] of (meta.pivots ?? []).entries()) {
    const pivotFile = resolve(dir, pivot.file);
    if (!existsSync(pivotFile)) problems.push(`${shown}: pivots.${i}.file: ${pivot.file} does not exist — fix: add the file or remove the entry`);
    else pivots.push({ title: pivot.title, file: pivotFile, text: readFileSync(pivotFile, 'utf8') });
  }
  if (problems.length > 0) throw new ContentError(problems);
  return { meta, dir, queryFile, query: readFileSync(queryFile, 'utf8'), pivots };
}

/** Every rule folder under `rulesDir` (folders holding a rule.yaml), validated. */
export function loadRulePack(rulesDir: string = RULES_DIR): Rule[] {
  const dirs = readdirSync(rulesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(rulesDir, d.name, 'rule.yaml')))
    .map((d) => join(rulesDir, d.name))
    .sort();
  const problems: string[] = [];
  const rules: Rule[] = [];
  for (const dir of dirs) {
    try {
      rules.push(loadRule(dir));
    } catch (e) {
      if (e instanceof ContentError) problems.push(...e.problems);
      else throw e;
    }
  }
  const ids = new Map<string, string>();
  for (const rule of rules) {
    const other = ids.get(rule.meta.id);
    if (other) problems.push(`${displayPath(join(rule.dir, 'rule.yaml'))}: id: ${rule.meta.id} is also the id of ${other} — fix: give each rule its own UUID`);
    ids.set(rule.meta.id, rule.meta.name);
  }
  if (problems.length > 0) throw new ContentError(problems);
  return rules;
}

export function severityRank(severity: string): number {
  return SEVERITIES.indexOf(severity as Severity);
}

/** `5m`, `1h`, `1d` → milliseconds. */
export function timespanMs(text: string): number {
  const match = /^(\d+)(m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a timespan: ${text}`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}
