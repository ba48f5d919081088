/**
 * `stagehunt hunt`: run the rule pack over telemetry and print ALERTS — one per entity group per
 * window, with rule id, title, severity, confidence, technique, entities, evidence rows and time
 * window — tuned by an allowlist file, filtered by severity, and summarised at the end.
 */
import { statSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { createRejectReporter } from '../data/catalog.js';
import { type Alert, buildAlerts } from '../detections/alerts.js';
import { BUILTIN_RULES, DEFAULT_RULE_ID } from '../detections/builtin-rules.js';
import { explainAlert } from '../detections/explain.js';
import { normalisedTables } from '../detections/replay.js';
import { loadRulePack, type Rule, SEVERITIES, severityRank } from '../detections/rules.js';
import { loadTuning, type Tuning } from '../detections/tuning.js';
import { ContentError } from '../detections/validate.js';
import { KqlError } from '../kql/syntax/diagnostics.js';
import { QueryError, type QueryResult, runQuery } from '../run-query.js';
import { detectFormat } from '../telemetry/detect.js';
import { renderDiagnostics } from './diagnostics.js';
import { loadRuleDirectory } from './rule-pack.js';
import { maxMemoryOption } from './memory-option.js';
import { OUTPUT_FORMATS, type OutputFormat, formatResult } from './output.js';

interface HuntOptions {
  data: string[];
  now: string;
  rule: string[];
  rules?: string;
  format: OutputFormat;
  tuning?: string;
  showSuppressed?: boolean;
  minSeverity: string;
  explain?: boolean;
  maxMemory?: number;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerHuntCommand(program: Command): Command {
  return program
    .command('hunt')
    .description('run the T1074 rule pack over telemetry and print its alerts')
    .addOption(new Option('--data <path>', 'telemetry file or folder (repeatable): Defender exports, Sysmon XML/JSON, EVTX, auditd').argParser(collect).default([]))
    .option('--now <iso|latest>', "now() for the rules (default: 'latest', the newest event in the data)", 'latest')
    .addOption(new Option('--rule <id>', `rule to run (repeatable; 'all' for every rule; default ${DEFAULT_RULE_ID}, or every rule of --rules)`).argParser(collect).default([]))
    .option('--rules <dir>', 'run the rules of this folder instead of the built-in pack: rule folders (rule.yaml) and Sigma rule files (.yml), converted to KQL')
    .addOption(new Option('--format <format>', 'output format').choices([...OUTPUT_FORMATS]).default('table'))
    .option('--tuning <file>', 'allowlist file (YAML, see rules/tuning/default.yaml); matching alerts are suppressed and counted')
    .option('--show-suppressed', 'also list the suppressed alerts, each with the allowlist entry that suppressed it')
    .addOption(new Option('--min-severity <level>', 'hide alerts below this severity').choices([...SEVERITIES]).default('informational'))
    .option('--explain', 'for each alert: the branches that fired, their evidence and the pivot queries to run next')
    .addOption(maxMemoryOption())
    .addHelpText('after', `
Examples:
  $ stagehunt hunt --data examples/seed-tests
  $ stagehunt hunt --data exports/ --tuning rules/tuning/default.yaml --show-suppressed
  $ stagehunt hunt --data scenarios/seed-2-7zip-password/sysmon.xml --explain
  $ stagehunt hunt --data exports/ --rule all --min-severity high --format ndjson
  $ stagehunt hunt --data exports/ --rules my-sigma-rules/

Rules: ${BUILTIN_RULES.map((r) => r.id).join(', ')}`)
    .action(async (opts: HuntOptions, command: Command) => {
      if (opts.data.length === 0) command.error('error: hunt needs --data: the telemetry to hunt in', { exitCode: 2 });
      await hunt(opts, command);
    });
}

async function hunt(opts: HuntOptions, command: Command): Promise<void> {
  const rules = selectRules(loadPack(opts.rules), opts.rules && opts.rule.length === 0 ? ['all'] : opts.rule, command);
  const tuning = opts.tuning ? loadTuningOrThrow(opts.tuning) : undefined;
  for (const warning of tuning?.warnings() ?? []) process.stderr.write(`warning: ${warning}\n`);
  if (opts.now === 'latest') process.stderr.write('now() = the newest event in the data (--now latest, the hunt default)\n');
  const source = await dataSource(opts.data);
  const alerts: Alert[] = [];
  const suppressed: Alert[] = [];
  const started = performance.now();
  let now = '';
  for (const rule of rules) {
    const result = await runRule(rule, source, opts.now, opts.maxMemory);
    now = result.now;
    const set = buildAlerts(rule, result, tuning);
    alerts.push(...set.alerts);
    suppressed.push(...set.suppressed);
  }
  process.stderr.write(`${rules.length} rule${rules.length === 1 ? '' : 's'} evaluated in ${(performance.now() - started).toFixed(0)} ms; now() = ${now}\n`);
  const minRank = severityRank(opts.minSeverity);
  const shown = alerts.filter((a) => severityRank(a.severity) >= minRank).sort((a, b) => (a.start < b.start ? -1 : 1));
  process.stdout.write(formatAlerts(shown, opts.format));
  if (opts.explain) {
    for (const alert of shown) process.stdout.write(`\n${explainAlert(rules.find((r) => r.meta.name === alert.rule)!, alert)}\n`);
  }
  if (opts.showSuppressed) process.stdout.write(suppressedListing(suppressed));
  const summary = huntSummary(rules, shown, alerts.length - shown.length, suppressed, opts.minSeverity);
  (opts.format === 'table' ? process.stdout : process.stderr).write(summary);
}

function loadPack(dir: string | undefined): Rule[] {
  try {
    if (!dir) return loadRulePack();
    const { rules, skipped } = loadRuleDirectory(dir);
    for (const file of skipped) process.stderr.write(`note: ${file} is not a Sigma rule (no logsource, detection or correlation): skipped\n`);
    if (rules.length === 0) throw new QueryError(`${dir} holds no rule folder and no Sigma rule`);
    return rules;
  } catch (e) {
    if (e instanceof ContentError) throw new QueryError(`the rule pack is invalid:\n${e.message}`);
    throw e;
  }
}

function loadTuningOrThrow(file: string): Tuning {
  try {
    return loadTuning(file);
  } catch (e) {
    if (e instanceof ContentError) throw new QueryError(`the tuning file is invalid:\n${e.message}`);
    throw new QueryError(`cannot read tuning file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function selectRules(pack: Rule[], wanted: string[], command: Command): Rule[] {
  if (wanted.includes('all')) return pack;
  const names = wanted.length === 0 ? [DEFAULT_RULE_ID] : wanted;
  return names.map((name) => pack.find((r) => r.meta.name === name) ?? command.error(`error: unknown rule '${name}' (rules: ${pack.map((r) => r.meta.name).join(', ')}, all)`, { exitCode: 2 }));
}

type DataSource = { data: string[]; tables: Record<string, object[]> };

/**
 * Files in a raw format (Sysmon XML/JSON, EVTX, auditd) are normalised here through the telemetry
 * pipeline; Defender exports and folders go to the data layer as `--data` does for `query`.
 */
async function dataSource(paths: string[]): Promise<DataSource> {
  const source: DataSource = { data: [], tables: {} };
  for (const path of paths) {
    let raw = false;
    try {
      raw = statSync(path).isFile() && (await detectFormat(path)).table === undefined;
    } catch {
      raw = false; // not a raw format we can tell: the data layer reports it
    }
    if (!raw) {
      source.data.push(path);
      continue;
    }
    for (const [table, rows] of Object.entries(await normalisedTables(path))) (source.tables[table] ??= []).push(...rows);
  }
  return source;
}

async function runRule(rule: Rule, source: DataSource, now: string, maxMemory: number | undefined): Promise<QueryResult> {
  const reporter = createRejectReporter(process.stderr);
  try {
    return await runQuery(rule.query, {
      data: source.data,
      tables: Object.keys(source.tables).length > 0 ? source.tables : undefined,
      now,
      maxMemory,
      onReject: reporter.onReject,
      onWarning: (message) => process.stderr.write(`note: ${message}\n`),
    });
  } catch (e) {
    if (e instanceof KqlError) throw new QueryError(renderDiagnostics(e.diagnostics, rule.query, rule.queryFile));
    throw e;
  } finally {
    const summary = reporter.summary();
    if (summary) process.stderr.write(`${summary}\n`);
  }
}

const ALERT_COLUMNS = [
  ['Start', 'datetime'], ['End', 'datetime'], ['Rule', 'string'], ['Severity', 'string'], ['Confidence', 'string'], ['Technique', 'string'],
  ['Host', 'string'], ['Account', 'string'], ['Process', 'string'], ['Files', 'dynamic'], ['IPs', 'dynamic'], ['Branches', 'dynamic'],
  ['EvidenceRows', 'long'], ['RuleId', 'string'], ['Title', 'string'], ['Evidence', 'dynamic'],
] as const;

export function formatAlerts(alerts: Alert[], format: OutputFormat): string {
  // The table shows what fits a terminal; the other formats carry every field including the evidence rows.
  const columns = ALERT_COLUMNS.filter(([name]) => format !== 'table' || !['Evidence', 'RuleId', 'Title'].includes(name))
    .map(([name, type]) => ({ name, type }));
  const rows = alerts.map((a) => {
    const values: Record<string, unknown> = {
      Start: a.start, End: a.end, Rule: a.rule, Severity: a.severity, Confidence: a.confidence,
      Technique: [a.technique, ...a.subTechniques].join(', '), Host: a.entities.host, Account: a.entities.account,
      Process: a.entities.processPath || a.entities.process, Files: a.entities.files, IPs: a.entities.ips, Branches: a.branches,
      EvidenceRows: a.evidence.length, RuleId: a.ruleId, Title: a.title, Evidence: a.evidence,
    };
    return columns.map((c) => values[c.name]);
  });
  return formatResult(columns, rows, format);
}

function suppressedListing(suppressed: Alert[]): string {
  if (suppressed.length === 0) return '\nSuppressed by tuning: none\n';
  const lines = ['', `Suppressed by tuning (${suppressed.length}):`];
  for (const a of suppressed) {
    const entries = (a.suppressedBy ?? []).map((e) => `${e.id} [${e.family}] "${e.reason}" (owner ${e.owner}${e.expires ? `, expires ${e.expires}` : ''})`);
    lines.push(`  ${a.start} ${a.rule} ${a.severity} ${a.entities.host} ${a.entities.processPath || a.entities.process} ${a.branches.join('+')}`);
    lines.push(`    suppressed by ${entries.join('; ')}`);
  }
  return `${lines.join('\n')}\n`;
}

export function huntSummary(rules: Rule[], shown: Alert[], belowMinimum: number, suppressed: Alert[], minSeverity: string): string {
  const parts = rules.map((rule) => {
    const mine = shown.filter((a) => a.rule === rule.meta.name);
    const bySeverity = [...SEVERITIES].reverse().map((s) => [s, mine.filter((a) => a.severity === s).length] as const).filter(([, n]) => n > 0);
    return `${rule.meta.name}: ${mine.length} alert${mine.length === 1 ? '' : 's'}${bySeverity.length > 0 ? ` (${bySeverity.map(([s, n]) => `${s} ${n}`).join(', ')})` : ''}`;
  });
  const hidden = belowMinimum > 0 ? `; ${belowMinimum} below --min-severity ${minSeverity}` : '';
  return `Summary: ${parts.join('; ')}; ${suppressed.length} suppressed by tuning${hidden}\n`;
}
