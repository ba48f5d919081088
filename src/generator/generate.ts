/**
 * `generateTelemetry`: deterministic synthetic Defender telemetry for the seven Device* tables, benign
 * noise with injected staging attacks, streamed to one file per table plus `manifest.json`.
 *
 * Determinism: every random choice comes from seeded generators (benign noise and attacks draw from
 * separate streams, so the attacks do not change when only --events changes), times are offsets in a
 * window ending at a fixed instant, and nothing reads the clock or the environment.
 * Memory: benign rows are produced and written a burst at a time; only the attacks (a few dozen rows
 * each) are prepared ahead, so 10M events need no more memory than 10k.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILTIN_TABLES } from '../data/schemas.js';
import { Random } from './random.js';
import { buildFleet, type Device } from './fleet.js';
import { benignActivity, type TableRow } from './benign.js';
import { ATTACK_KINDS, ATTACK_PLANS, attackRows, deviceFor, type InjectedAttack } from './attacks.js';
import { formatTicks, parseDuration, TICKS_PER_SECOND, windowEndingAt, type TimeWindow } from './time.js';
import { OUTPUT_FORMATS, openTableSink, type OutputFormat } from './writer.js';

export const DEFAULT_END = '2026-11-28T00:00:00Z';
export const DEFAULT_WINDOW = '24h';
export const DEFAULT_SEED = 1074;

export interface GenerateOptions {
  /** Total rows over all tables, attacks included. */
  events: number;
  devices: number;
  /** Output folder (created when missing). */
  out: string;
  format?: OutputFormat;
  seed?: number;
  /** How many attacks to inject; they cycle through every kind, so ≥ 9 covers them all. Default 9. */
  attacks?: number;
  /** The instant the window ends at (a whole second). */
  end?: string;
  /** Window length: `24h`, `7d`, … */
  window?: string;
  /** Told the running row count every `progressEvery` rows. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

export interface Manifest {
  generator: 'stagehunt synthetic Device* telemetry';
  seed: number;
  format: OutputFormat;
  events: number;
  devices: number;
  window: { start: string; end: string };
  /** Rows written per table (the seven Device* tables, every one present even when empty). */
  counts: Record<string, number>;
  benignRows: number;
  attackRows: number;
  files: Record<string, string>;
  attacks: InjectedAttack[];
}

export interface GenerateResult {
  manifest: Manifest;
  manifestPath: string;
  elapsedMs: number;
}

const TABLES = Object.keys(BUILTIN_TABLES);

/** Attacks stay this far from the window end so that every one of their rows falls inside the window. */
const END_MARGIN_TICKS = 300 * TICKS_PER_SECOND;

interface PreparedAttack {
  at: number;
  rows: TableRow[];
  record: InjectedAttack;
}

function validate(options: GenerateOptions): Required<Pick<GenerateOptions, 'format' | 'seed' | 'attacks'>> {
  const positiveInteger = (value: number, name: string, min: number) => {
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${value})`);
  };
  positiveInteger(options.events, 'events', 1);
  positiveInteger(options.devices, 'devices', 1);
  const format = options.format ?? 'ndjson';
  if (!OUTPUT_FORMATS.includes(format)) throw new Error(`format must be one of ${OUTPUT_FORMATS.join(', ')} (got ${format})`);
  const seed = options.seed ?? DEFAULT_SEED;
  positiveInteger(seed, 'seed', 0);
  const attacks = options.attacks ?? ATTACK_KINDS.length;
  positiveInteger(attacks, 'attacks', 0);
  return { format, seed, attacks };
}

function countByTable(rows: TableRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { table } of rows) counts[table] = (counts[table] ?? 0) + 1;
  return counts;
}

/** Plans and builds every attack up front (they are small), spread evenly over the window. */
function prepareAttacks(count: number, devices: Device[], window: TimeWindow, seed: number): PreparedAttack[] {
  const random = new Random(seed ^ 0x5a5a5a5a);
  const span = window.lengthTicks - END_MARGIN_TICKS;
  const prepared: PreparedAttack[] = [];
  for (let k = 0; k < count; k++) {
    const kind = ATTACK_KINDS[k % ATTACK_KINDS.length]!;
    const plan = ATTACK_PLANS[kind];
    const device = deviceFor(plan, devices, k);
    const at = Math.floor(span * ((k + 0.25 + 0.5 * random.next()) / count));
    const built = attackRows(kind, { random, window, device, at });
    built.rows.sort((a, b) => String(a.row['Timestamp']).localeCompare(String(b.row['Timestamp'])));
    const times = built.rows.map((r) => String(r.row['Timestamp']));
    prepared.push({
      at,
      rows: built.rows,
      record: {
        id: `attack-${String(k + 1).padStart(3, '0')}`,
        kind,
        technique: plan.technique,
        description: plan.description,
        deviceName: device.name,
        deviceId: device.id,
        accountName: device.user.name,
        start: times[0]!,
        end: times[times.length - 1]!,
        stagingFolder: built.stagingFolder,
        commandLines: built.commandLines,
        rows: countByTable(built.rows),
      },
    });
  }
  return prepared;
}

export async function generateTelemetry(options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const { format, seed, attacks: attackCount } = validate(options);
  const window = windowEndingAt(new Date(options.end ?? DEFAULT_END), parseDuration(options.window ?? DEFAULT_WINDOW));
  if (window.lengthTicks <= END_MARGIN_TICKS) throw new Error('window must be longer than 5 minutes');
  const { devices } = buildFleet(options.devices);
  const attacks = prepareAttacks(attackCount, devices, window, seed);
  const attackRowCount = attacks.reduce((n, a) => n + a.rows.length, 0);
  if (attackRowCount > options.events) {
    throw new Error(`${attackCount} attacks need ${attackRowCount} rows but --events is ${options.events}: raise --events or lower --attacks`);
  }

  await mkdir(options.out, { recursive: true });
  const writers = new Map(TABLES.map((t) => [t, openTableSink(options.out, t, BUILTIN_TABLES[t]!, format)]));
  const write = async (r: TableRow) => {
    const pending = writers.get(r.table)!.write(r.row);
    if (pending) await pending;
  };

  const benignTarget = options.events - attackRowCount;
  const random = new Random(seed);
  const progressEvery = options.progressEvery ?? 1_000_000;
  let benign = 0;
  let nextAttack = 0;
  let written = 0;
  const step = window.lengthTicks - END_MARGIN_TICKS;
  while (benign < benignTarget) {
    const at = Math.floor((benign / benignTarget) * step) + random.int(0, TICKS_PER_SECOND);
    while (nextAttack < attacks.length && attacks[nextAttack]!.at <= at) {
      for (const r of attacks[nextAttack++]!.rows) await write(r);
    }
    const device = devices[random.int(0, devices.length - 1)]!;
    for (const r of benignActivity({ random, window, device, at }, device, random)) {
      if (benign >= benignTarget) break;
      await write(r);
      benign++;
      if (++written % progressEvery === 0) options.onProgress?.(written + attackRowsWritten(attacks, nextAttack));
    }
  }
  while (nextAttack < attacks.length) for (const r of attacks[nextAttack++]!.rows) await write(r);
  for (const w of writers.values()) await w.close();

  const manifest: Manifest = {
    generator: 'stagehunt synthetic Device* telemetry',
    seed,
    format,
    events: options.events,
    devices: options.devices,
    window: { start: formatTicks(window, 0), end: formatTicks(window, window.lengthTicks) },
    counts: Object.fromEntries(TABLES.map((t) => [t, writers.get(t)!.rows])),
    benignRows: benign,
    attackRows: attackRowCount,
    files: Object.fromEntries(TABLES.map((t) => [t, `${t}.${format}`])),
    attacks: attacks.map((a) => a.record),
  };
  const manifestPath = join(options.out, 'manifest.json');
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifest, manifestPath, elapsedMs: performance.now() - started };
}

function attackRowsWritten(attacks: PreparedAttack[], done: number): number {
  let n = 0;
  for (let i = 0; i < done; i++) n += attacks[i]!.rows.length;
  return n;
}
