/**
 * The rules shipped with stagehunt, read from the package's `rules/` folder.
 * `t1074-seed` is the original Sentinel rule, byte for byte, kept as the reference.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/detections → the package root. */
const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RULES_DIR = join(PACKAGE_ROOT, 'rules');

export interface BuiltinRule {
  id: string;
  title: string;
  queryFile: string;
}

export const BUILTIN_RULES: readonly BuiltinRule[] = [
  { id: 't1074-seed', title: 'T1074 Data Staged (seed Sentinel rule, verbatim)', queryFile: join(RULES_DIR, 't1074-seed', 'query.kql') },
];

export const DEFAULT_RULE_ID = 't1074-seed';

export function findBuiltinRule(id: string): BuiltinRule | undefined {
  return BUILTIN_RULES.find((r) => r.id === id);
}

export async function readRuleQuery(rule: BuiltinRule): Promise<string> {
  return readFile(rule.queryFile, 'utf8');
}
