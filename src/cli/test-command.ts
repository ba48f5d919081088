/**
 * `stagehunt test`: replay every scenario (Defender rows, Sysmon XML, auditd) and every real
 * recording through every rule, with the default tuning, and compare with each rule's
 * tests/expectations.yaml. Prints the coverage matrix, what each rule detects and misses, the
 * failures, and last the summary line `N passed, N failed`; exits 1 on any mismatch.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { DEFAULT_TUNING_FILE, SCENARIOS_DIR } from '../detections/builtin-rules.js';
import { coverageMatrix, failureLines, junitXml, ruleCoverageLines, summaryLine } from '../detections/coverage.js';
import { loadRecordings, replay, replayInputs } from '../detections/replay.js';
import { loadRulePack } from '../detections/rules.js';
import { loadScenarios, staleVariantFiles, writeVariantFiles } from '../detections/scenario.js';
import { loadTuning } from '../detections/tuning.js';

interface TestOptions {
  rule: string[];
  scenario: string[];
  junit?: string;
  tuning: string | false;
  recordings: boolean;
  writeScenarios?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export class TestFailure extends Error {}

export function registerTestCommand(program: Command): Command {
  return program
    .command('test')
    .description('replay every scenario through every rule: coverage matrix, expectations, JUnit')
    .addOption(new Option('--rule <id>', 'only this rule (repeatable)').argParser(collect).default([]))
    .addOption(new Option('--scenario <prefix>', 'only scenarios whose id starts with this (repeatable)').argParser(collect).default([]))
    .option('--junit <file>', 'also write the results as JUnit XML (for CI)')
    .option('--tuning <file>', 'allowlist applied while replaying', DEFAULT_TUNING_FILE)
    .option('--no-tuning', 'replay without any allowlist (the benign scenarios then alert)')
    .option('--no-recordings', 'skip the real recordings in ../shared/data')
    .option('--write-scenarios', 'first re-render every scenario.yaml into its Defender/Sysmon/auditd files')
    .addHelpText('after', `
Examples:
  $ stagehunt test
  $ stagehunt test --rule t1074-data-staged --junit reports/stagehunt.xml
  $ stagehunt test --scenario seed- --no-recordings`)
    .action(async (opts: TestOptions) => {
      const code = await runTests(opts, (text) => process.stdout.write(text));
      if (code !== 0) throw new TestFailure('some scenarios did not meet their expectations (see the FAIL lines above)');
    });
}

export async function runTests(opts: TestOptions, write: (text: string) => void): Promise<number> {
  const rules = loadRulePack().filter((r) => opts.rule.length === 0 || opts.rule.includes(r.meta.name));
  const selected = (id: string) => opts.scenario.length === 0 || opts.scenario.some((p) => id.startsWith(p));
  const scenarios = loadScenarios(SCENARIOS_DIR).filter((s) => selected(s.spec.id));
  if (opts.writeScenarios) for (const s of scenarios) for (const f of writeVariantFiles(s)) write(`wrote ${f}\n`);
  const stale = scenarios.flatMap(staleVariantFiles);
  const recordings = opts.recordings ? loadRecordings(join(SCENARIOS_DIR, 'recordings.yaml')).filter((r) => selected(r.id)) : [];
  const { inputs, missing } = replayInputs(scenarios, recordings, join(SCENARIOS_DIR, '..'));
  for (const r of missing) write(`skipped recording ${r.id}: ${r.path} is not there\n`);
  const tuning = opts.tuning === false ? undefined : loadTuning(opts.tuning);
  for (const warning of tuning?.warnings() ?? []) write(`warning: ${warning}\n`);
  const results = await replay({ rules, inputs, tuning });
  write(`${coverageMatrix(results)}\n\n`);
  for (const line of ruleCoverageLines(results)) write(`${line}\n`);
  for (const path of stale) write(`FAIL stale scenario file ${path}: re-render with stagehunt test --write-scenarios\n`);
  for (const line of failureLines(results)) write(`${line}\n`);
  if (opts.junit) writeFileSync(opts.junit, junitXml(results));
  const failed = results.filter((r) => !r.passed).length + stale.length;
  write(`${summaryLine(results).replace(/\d+ failed$/, `${failed} failed`)}\n`);
  return failed === 0 ? 0 : 1;
}
