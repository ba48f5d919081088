/**
 * The rules `hunt --rules DIR` runs: rule folders (rule.yaml + query) as in rules/, and Sigma rule
 * files (.yml/.yaml anywhere below DIR outside rule folders), converted to KQL on load. YAML files
 * that are not Sigma rules (a tuning file, say) are skipped and named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRulePack, type Rule } from '../detections/rules.js';
import { ContentError } from '../detections/validate.js';
import { isSigmaFile, sigmaRules } from '../export/sigma-rules.js';
import { SigmaError } from '../export/sigma-to-kql.js';

export interface RuleDirectory {
  rules: Rule[];
  /** YAML files that are not Sigma rules, ignored. */
  skipped: string[];
}

const SIGMA_KEYS = /^(logsource|detection|correlation):/m;

export function loadRuleDirectory(dir: string): RuleDirectory {
  if (!existsSync(dir)) throw new ContentError([`${dir}: the rules folder does not exist`]);
  const rules = loadRulePack(dir);
  const skipped: string[] = [];
  const problems: string[] = [];
  for (const file of sigmaCandidates(dir)) {
    const text = readFileSync(file, 'utf8');
    if (!SIGMA_KEYS.test(text)) {
      skipped.push(file);
      continue;
    }
    try {
      rules.push(...sigmaRules(text, file));
    } catch (e) {
      if (e instanceof SigmaError) problems.push(e.message);
      else throw e;
    }
  }
  if (problems.length > 0) throw new ContentError(problems);
  const seen = new Set<string>();
  for (const rule of rules) {
    if (seen.has(rule.meta.name)) problems.push(`${rule.queryFile}: the rule name ${rule.meta.name} is used twice in ${dir} — fix: give the Sigma rule a name: of its own`);
    seen.add(rule.meta.name);
  }
  if (problems.length > 0) throw new ContentError(problems);
  return { rules, skipped };
}

/** .yml/.yaml files below `dir`, in name order, leaving out rule folders (they hold rule.yaml). */
function sigmaCandidates(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!existsSync(join(path, 'rule.yaml'))) out.push(...sigmaCandidates(path));
    } else if (isSigmaFile(entry.name)) out.push(path);
  }
  return out;
}
