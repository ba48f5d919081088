/**
 * The benchmark's figures: one measurement per query × format × size, the table printed on stdout and
 * written to bench/results.md, the verdict on each target of the performance requirement, and the
 * false-positive rate of the rules on the benign part of the generated data.
 */
import Table from 'cli-table3';
import type { Manifest } from '../generator/generate.js';
import type { BenchFormat } from './duckdb-sql.js';
import type { RunMeasurement } from './engine-run.js';

export interface Measurement {
  query: string;
  format: BenchFormat;
  size: number;
  /** Rows of the tables the query reads, and their files' bytes. */
  inputEvents: number;
  inputBytes: number;
  ours?: RunMeasurement;
  duckdb?: RunMeasurement;
  match: boolean;
  difference: string;
  /** Set when a run failed (its message); the other figures are then partial. */
  error?: string;
  streaming: boolean;
  restriction?: string;
}

export interface FalsePositiveFigure {
  rule: string;
  size: number;
  alerts: number;
  attackAlerts: number;
  benignAlerts: number;
  benignEvents: number;
  attacksDetected: number;
  attacks: number;
  /** Benign alerts per severity (rules that grade them). */
  benignBySeverity?: Record<string, number>;
}

const MIB = 2 ** 20;
const GIB = 2 ** 30;

const seconds = (m?: RunMeasurement) => (m ? m.seconds.toFixed(2) : '–');
const rss = (m?: RunMeasurement) => (m ? `${Math.round(m.peakRssBytes / MIB)}` : '–');
const perSecond = (amount: number, m?: RunMeasurement) => (m ? m.seconds > 0 ? amount / m.seconds : 0 : undefined);
const eventsRate = (x: Measurement, m?: RunMeasurement) => {
  const v = perSecond(x.inputEvents, m);
  return v === undefined ? '–' : Math.round(v).toLocaleString('en-US');
};
const mbRate = (x: Measurement, m?: RunMeasurement) => {
  const v = perSecond(x.inputBytes, m);
  return v === undefined ? '–' : (v / 1e6).toFixed(1);
};

export function ratio(x: Measurement): number | undefined {
  return x.ours && x.duckdb && x.duckdb.seconds > 0 ? x.ours.seconds / x.duckdb.seconds : undefined;
}

const HEADER = ['query', 'format', 'events', 'ours s', 'DuckDB s', 'ratio', 'ours ev/s', 'DuckDB ev/s', 'ours MB/s', 'DuckDB MB/s',
  'ours RSS MiB', 'DuckDB RSS MiB', 'rows', 'match'];

function cells(x: Measurement): string[] {
  const r = ratio(x);
  const rows = x.ours && x.duckdb && x.ours.rows !== x.duckdb.rows ? `${x.ours.rows}/${x.duckdb.rows}` : String(x.ours?.rows ?? x.duckdb?.rows ?? '–');
  return [x.query, x.format, x.size.toLocaleString('en-US'), seconds(x.ours), seconds(x.duckdb), r === undefined ? '–' : `${r.toFixed(1)}×`,
    eventsRate(x, x.ours), eventsRate(x, x.duckdb), mbRate(x, x.ours), mbRate(x, x.duckdb), rss(x.ours), rss(x.duckdb), rows,
    x.error ? 'ERROR' : x.match ? 'MATCH' : 'MISMATCH'];
}

export function sortMeasurements(measurements: Measurement[], queryOrder: string[], formatOrder: readonly string[]): Measurement[] {
  return [...measurements].sort((a, b) => a.size - b.size
    || queryOrder.indexOf(a.query) - queryOrder.indexOf(b.query) || formatOrder.indexOf(a.format) - formatOrder.indexOf(b.format));
}

export function consoleTable(measurements: Measurement[]): string {
  const table = new Table({ head: HEADER, style: { head: [], border: [] } });
  for (const x of measurements) table.push(cells(x));
  return table.toString();
}

export function markdownTable(measurements: Measurement[]): string {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map((_, i) => (i >= 2 && i <= 12 ? '---:' : '---')).join('|')}|`];
  for (const x of measurements) lines.push(`| ${cells(x).join(' | ')} |`);
  return lines.join('\n');
}

/** One line per target of the requirement: met, not met, or not measured. */
export function targetVerdicts(measurements: Measurement[]): string[] {
  const rules = ['seed-rule', 'improved-rule'];
  const lines: string[] = [];
  const timeTarget = (formats: BenchFormat[], limit: number, label: string) => {
    const runs = measurements.filter((x) => rules.includes(x.query) && formats.includes(x.format) && ratio(x) !== undefined);
    if (runs.length === 0) return lines.push(`- ${label}: not measured`);
    const failing = runs.filter((x) => ratio(x)! > limit);
    const list = runs.map((x) => `${x.query} ${x.format} ${x.size / 1e6}M: ${ratio(x)!.toFixed(1)}×`).join('; ');
    lines.push(`- ${label}: **${failing.length === 0 ? 'met' : 'not met'}** (${failing.length} of ${runs.length} runs over; ${list})`);
  };
  timeTarget(['ndjson', 'csv'], 2, 'NDJSON and CSV: our time ≤ 2× DuckDB\'s for the seed and improved rules');
  timeTarget(['parquet'], 4, 'Parquet: our time ≤ 4× DuckDB\'s for the seed and improved rules');

  const seedAt10M = measurements.filter((x) => x.query === 'seed-rule' && x.size >= 10_000_000 && x.ours);
  if (seedAt10M.length === 0) lines.push('- Peak memory of the seed rule at 10M events ≤ 1.5 GiB: not measured');
  else {
    const over = seedAt10M.filter((x) => x.ours!.peakRssBytes > 1.5 * GIB);
    lines.push(`- Peak memory of the seed rule at 10M events ≤ 1.5 GiB: **${over.length === 0 ? 'met' : 'not met'}** (${seedAt10M
      .map((x) => `${x.format}: ${(x.ours!.peakRssBytes / GIB).toFixed(2)} GiB`).join('; ')})`);
  }

  // Streaming-only queries: peak RSS at the largest size against the smallest, per query and format.
  const growth: string[] = [];
  let growing = 0;
  for (const x of measurements.filter((m) => m.streaming && m.ours)) {
    const smaller = measurements.filter((m) => m.query === x.query && m.format === x.format && m.ours && m.size < x.size);
    if (smaller.length === 0) continue;
    const base = smaller.reduce((a, b) => (a.size < b.size ? a : b));
    const factor = x.ours!.peakRssBytes / base.ours!.peakRssBytes;
    // Allowed: 20% noise (GC timing), since the input grew 10×.
    if (factor > 1.2) growing++;
    growth.push(`${x.query} ${x.format} ${base.size / 1e6}M→${x.size / 1e6}M: ${rss(base.ours)}→${rss(x.ours)} MiB (${factor.toFixed(2)}×)`);
  }
  lines.push(growth.length === 0
    ? '- Peak memory not growing with input size for streaming-only queries: not measured (needs two sizes)'
    : `- Peak memory not growing with input size for streaming-only queries (≤ 1.2× for 10× the input): **${growing === 0 ? 'met' : 'not met'}** (${growth.join('; ')})`);
  return lines;
}

/** Alerts whose device and time span fall on an injected attack are the attack's; the rest are false positives. */
export interface AlertSpan {
  device: string;
  first: string;
  last: string;
  severity?: string;
}

export function falsePositives(rule: string, size: number, manifest: Manifest, alerts: AlertSpan[]): FalsePositiveFigure {
  const detected = new Set<string>();
  const bySeverity: Record<string, number> = {};
  let attackAlerts = 0;
  for (const alert of alerts) {
    const attack = manifest.attacks.find((a) => a.deviceName === alert.device && instant(alert.first) <= instant(a.end) && instant(alert.last) >= instant(a.start));
    if (attack) {
      attackAlerts++;
      detected.add(attack.id);
    } else if (alert.severity !== undefined) bySeverity[alert.severity] = (bySeverity[alert.severity] ?? 0) + 1;
  }
  return {
    rule, size, alerts: alerts.length, attackAlerts, benignAlerts: alerts.length - attackAlerts, benignEvents: manifest.benignRows,
    attacksDetected: detected.size, attacks: manifest.attacks.length,
    ...(Object.keys(bySeverity).length > 0 ? { benignBySeverity: bySeverity } : {}),
  };
}

/** Comparable instant: ISO text with the fraction padded, so that string order is time order. */
function instant(text: string): string {
  const m = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$/.exec(text);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(7, '0')}` : text;
}

export function falsePositiveLines(figures: FalsePositiveFigure[]): string[] {
  return figures.map((f) => `- ${f.rule}, ${f.size.toLocaleString('en-US')} events: ${f.alerts} alerts, ${f.attackAlerts} on injected attacks `
    + `(${f.attacksDetected}/${f.attacks} attacks detected), ${f.benignAlerts} on benign activity = `
    + `**${(f.benignAlerts / f.benignEvents * 1e6).toFixed(1)} alerts per million benign events** (${f.benignEvents.toLocaleString('en-US')} benign events)`
    + (f.benignBySeverity ? `; benign by severity: ${Object.entries(f.benignBySeverity).sort().map(([k, n]) => `${k} ${n} (${(n / f.benignEvents * 1e6).toFixed(1)}/M)`).join(', ')}` : ''));
}
