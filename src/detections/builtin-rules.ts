/**
 * The rules shipped with stagehunt, read from the package's `rules/` folder (one folder per rule; see
 * rules.ts for the full, validated model). `t1074-seed` is the original Sentinel rule, byte for byte,
 * kept as the reference; `t1074-data-staged` is the improved rule and the default.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/detections → the package root. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RULES_DIR = join(PACKAGE_ROOT, 'rules');
export const SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');
export const DEFAULT_TUNING_FILE = join(RULES_DIR, 'tuning', 'default.yaml');

export interface BuiltinRule {
  /** The rule's folder name, used on the command line. */
  id: string;
  queryFile: string;
}

/** Rule folders (those holding a query.kql), found without parsing so that a broken rule.yaml cannot break the CLI. */
export const BUILTIN_RULES: readonly BuiltinRule[] = existsSync(RULES_DIR)
  ? readdirSync(RULES_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(RULES_DIR, d.name, 'query.kql')))
      .map((d) => ({ id: d.name, queryFile: join(RULES_DIR, d.name, 'query.kql') }))
      .sort((a, b) => a.id.localeCompare(b.id))
  : [];

export const DEFAULT_RULE_ID = 't1074-data-staged';

export function findBuiltinRule(id: string): BuiltinRule | undefined {
  return BUILTIN_RULES.find((r) => r.id === id);
}

export async function readRuleQuery(rule: BuiltinRule): Promise<string> {
  return readFile(rule.queryFile, 'utf8');
}
