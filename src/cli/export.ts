/**
 * `stagehunt export RULE --to TARGET[,TARGET…] [--out DIR]`: writes a rule in the formats of other
 * tools. One target prints to stdout; with --out every file goes under DIR (`DIR/<target>/<rule>.<ext>`)
 * and the files written are listed. Usage errors exit 2, a rule that cannot be loaded or exported exits 1
 * and nothing is written.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { BUILTIN_RULES, findBuiltinRule, RULES_DIR } from '../detections/builtin-rules.js';
import { loadRule, type Rule } from '../detections/rules.js';
import { ContentError } from '../detections/validate.js';
import { EXPORTERS, ExportError, type ExportedFile, type Exporter, findExporter, stdoutText } from '../export/index.js';

interface ExportOptions {
  to?: string[];
  out?: string;
}

const collectTargets = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((t) => t.trim()).filter(Boolean)];

export function registerExportCommand(program: Command): Command {
  return program
    .command('export')
    .description('write a rule for another tool: Sigma, Sentinel (YAML, ARM), Splunk, Elastic, ATT&CK Navigator')
    .argument('<rule>', `a built-in rule (${BUILTIN_RULES.map((r) => r.id).join(', ')}) or a rule folder holding rule.yaml`)
    .addOption(new Option('--to <target>', "target (repeatable or comma-separated; 'all' for every target)").argParser(collectTargets))
    .option('--out <dir>', 'write the files under this folder and list them (default: print the one target to stdout)')
    .addHelpText('after', `
Targets:
${EXPORTERS.map((e) => `  ${e.target.padEnd(14)}${e.description}`).join('\n')}

Examples:
  $ stagehunt export t1074-data-staged --to sentinel
  $ stagehunt export t1074-seed --to sigma > t1074-seed.sigma.yml
  $ stagehunt export t1074-data-staged --to sentinel-arm > t1074-data-staged.arm.json
  $ stagehunt export t1074-seed --to navigator,sentinel --out exported/
  $ stagehunt export rules/my-rule --to all --out exported/

With --out the files go to DIR/<target>/: <rule>.<ext>, or <rule>/<branch>.<ext> for the targets
that write one query per branch; existing files are overwritten.`)
    .action((ruleArg: string, opts: ExportOptions, command: Command) => {
      const exporters = selectExporters(opts.to ?? [], command);
      if (!opts.out && exporters.length > 1) command.error(`error: ${exporters.length} targets need --out DIR (stdout takes one target)`, { exitCode: 2 });
      const rule = resolveRule(ruleArg, command);
      const files = exportAll(rule, exporters);
      if (opts.out) writeFiles(opts.out, files);
      else process.stdout.write(stdoutText(exporters[0]!, files) ?? command.error(`error: ${exporters[0]!.target} writes ${files.length} files: give --out DIR`, { exitCode: 2 }));
    });
}

function selectExporters(targets: string[], command: Command): Exporter[] {
  if (targets.length === 0) command.error(`error: --to is required (targets: ${EXPORTERS.map((e) => e.target).join(', ')}, all)`, { exitCode: 2 });
  if (targets.includes('all')) return [...EXPORTERS];
  const unknown = targets.filter((t) => !findExporter(t));
  if (unknown.length > 0) command.error(`error: unknown target ${unknown.map((t) => `'${t}'`).join(', ')} (targets: ${EXPORTERS.map((e) => e.target).join(', ')}, all)`, { exitCode: 2 });
  return [...new Set(targets)].map((t) => findExporter(t)!);
}

/** A built-in rule name first, then a folder (or its rule.yaml) on disk. */
function resolveRule(arg: string, command: Command): Rule {
  const builtin = findBuiltinRule(arg);
  const dir = builtin ? join(RULES_DIR, builtin.id) : ruleFolder(arg);
  if (!dir) {
    command.error(`error: unknown rule '${arg}': neither a built-in rule (${BUILTIN_RULES.map((r) => r.id).join(', ')}) nor a folder holding rule.yaml`, { exitCode: 2 });
  }
  try {
    return loadRule(dir);
  } catch (e) {
    if (e instanceof ContentError) throw new ExportError(`the rule is invalid:\n${e.message}`);
    throw e;
  }
}

function ruleFolder(arg: string): string | undefined {
  if (!existsSync(arg)) return undefined;
  const path = resolve(arg);
  if (statSync(path).isDirectory()) return existsSync(join(path, 'rule.yaml')) ? path : undefined;
  return basename(path) === 'rule.yaml' ? dirname(path) : undefined;
}

/** Every target is exported before anything is written, so a failing target leaves no partial output. */
function exportAll(rule: Rule, exporters: Exporter[]): ExportedFile[] {
  const files: ExportedFile[] = [];
  const failures: string[] = [];
  for (const exporter of exporters) {
    try {
      files.push(...exporter.export(rule));
    } catch (e) {
      if (!(e instanceof ExportError)) throw e;
      failures.push(`${exporter.target}: ${e.message}`);
    }
  }
  if (failures.length > 0) throw new ExportError(`cannot export ${rule.meta.name}:\n${failures.join('\n')}`);
  return files;
}

function writeFiles(outDir: string, files: ExportedFile[]): void {
  for (const file of files) {
    const target = join(outDir, ...file.path.split('/'));
    try {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    } catch (e) {
      throw new ExportError(`cannot write ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    process.stdout.write(`wrote ${target}\n`);
  }
}
