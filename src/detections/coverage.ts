/**
 * Reports over replay results: the coverage matrix (scenario × rule: fired / silent, as expected (✓)
 * or not (✗, naming the variants), MISS / FALSE ALERT where a rule is known to be wrong), a per-rule line saying what each rule detects and misses, the summary line
 * `N passed, N failed`, and JUnit XML for CI.
 */
import type { CaseResult } from './replay.js';

interface Cell {
  fired: string[];
  silent: string[];
  failed: CaseResult[];
}

export function summaryLine(results: CaseResult[]): string {
  const passed = results.filter((r) => r.passed).length;
  return `${passed} passed, ${results.length - passed} failed`;
}

/** The matrix as aligned text; ✓ = as expected, ✗ = not (the variants that disagree are named). */
export function coverageMatrix(results: CaseResult[]): string {
  const rules = unique(results.map((r) => r.rule));
  const scenarios = unique(results.map((r) => r.input.scenario));
  const kinds = new Map(results.map((r) => [r.input.scenario, `${r.input.kind}${r.input.family ? `/${r.input.family}` : ''}`]));
  const header = ['scenario', 'kind', ...rules];
  const lines: string[][] = [header];
  for (const scenario of scenarios) {
    const row = [scenario, kinds.get(scenario) ?? ''];
    const attack = results.find((r) => r.input.scenario === scenario)!.input.kind === 'attack';
    for (const rule of rules) row.push(cellText(cellOf(results.filter((r) => r.input.scenario === scenario && r.rule === rule)), attack));
    lines.push(row);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => [...(l[i] ?? '')].length)));
  const render = (l: string[]) => l.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd();
  return [render(lines[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(render)].join('\n');
}

function cellOf(cases: CaseResult[]): Cell {
  return {
    fired: cases.filter((c) => c.alerts.length > 0).map((c) => c.input.variant),
    silent: cases.filter((c) => c.alerts.length === 0).map((c) => c.input.variant),
    failed: cases.filter((c) => !c.passed),
  };
}

/** `fired ✓`, `silent ✓ MISS` (an attack the rule is known to miss), `fired ✓ FALSE ALERT`, or `✗` with the variants that disagree. */
function cellText(cell: Cell, attack: boolean): string {
  const verdict = cell.failed.length === 0 ? '✓' : `✗ ${cell.failed.map((f) => f.input.variant).join(',')}`;
  if (cell.fired.length > 0 && cell.silent.length > 0) return `fired(${cell.fired.join(',')}) silent(${cell.silent.join(',')}) ${verdict}`;
  const fired = cell.fired.length > 0;
  const label = attack && !fired ? ' MISS' : !attack && fired ? ' FALSE ALERT' : '';
  return `${fired ? 'fired' : 'silent'} ${verdict}${label}`;
}

/** Per rule: attack scenarios detected and missed, benign scenarios alerted on (after tuning). */
export function ruleCoverageLines(results: CaseResult[]): string[] {
  const rules = unique(results.map((r) => r.rule));
  return rules.map((rule) => {
    const mine = results.filter((r) => r.rule === rule);
    const scenarios = unique(mine.map((r) => r.input.scenario));
    const fired = (s: string) => mine.some((r) => r.input.scenario === s && r.alerts.length > 0);
    const attacks = scenarios.filter((s) => mine.find((r) => r.input.scenario === s)!.input.kind === 'attack');
    const benign = scenarios.filter((s) => !attacks.includes(s));
    const misses = attacks.filter((s) => !fired(s));
    const falseAlerts = benign.filter(fired);
    return `${rule}: detects ${attacks.length - misses.length}/${attacks.length} attack scenarios`
      + `${misses.length > 0 ? ` (misses: ${misses.join(', ')})` : ''}; alerts on ${falseAlerts.length}/${benign.length} benign`
      + `${falseAlerts.length > 0 ? ` (${falseAlerts.join(', ')})` : ''}`;
  });
}

export function failureLines(results: CaseResult[]): string[] {
  return results.filter((r) => !r.passed).map((r) => `FAIL ${r.rule} × ${r.input.scenario} [${r.input.variant}]: ${r.problems.join('; ')}`);
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function junitXml(results: CaseResult[]): string {
  const rules = unique(results.map((r) => r.rule));
  const suites = rules.map((rule) => {
    const cases = results.filter((r) => r.rule === rule);
    const failures = cases.filter((c) => !c.passed).length;
    const time = cases.reduce((t, c) => t + c.ms, 0) / 1000;
    const body = cases.map((c) => {
      const name = `${c.input.scenario} [${c.input.variant}]`;
      const expected = c.expected ? (c.expected.fires ? 'fires' : 'silent') : 'no expectation';
      const open = `    <testcase classname="${xml(`stagehunt.${rule}`)}" name="${xml(name)}" time="${(c.ms / 1000).toFixed(3)}">`;
      const detail = `expected ${expected}; ${c.alerts.length} alert(s), ${c.suppressed.length} suppressed`;
      return c.passed
        ? `${open}<system-out>${xml(detail)}</system-out></testcase>`
        : `${open}\n      <failure message="${xml(c.problems.join('; '))}" type="ExpectationMismatch">${xml(detail)}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${xml(rule)}" tests="${cases.length}" failures="${failures}" errors="0" time="${time.toFixed(3)}">\n${body.join('\n')}\n  </testsuite>`;
  });
  const failures = results.filter((r) => !r.passed).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="stagehunt test" tests="${results.length}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
