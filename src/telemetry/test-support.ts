/** Helpers for the telemetry tests: temporary files and collecting a file's normalised items. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectFormat } from './detect.js';
import { readTelemetry, type TelemetryItem } from './pipeline.js';

const root = mkdtempSync(join(tmpdir(), 'stagehunt-telemetry-'));
let counter = 0;

export function tempFile(name: string, content: string | Buffer): string {
  const dir = join(root, String(++counter));
  mkdirSync(dir); // a folder per file keeps the name as given
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

export interface Collected {
  rows: Array<{ table: string; row: Record<string, unknown>; record: number; note?: string }>;
  skipped: Array<{ record: number; reason: string }>;
  bad: Array<{ record: number; reason: string }>;
}

export async function collect(path: string, inputFormat?: string): Promise<Collected> {
  const detected = await detectFormat(path, inputFormat);
  return collectItems(readTelemetry(path, detected));
}

export async function collectItems(items: AsyncIterable<TelemetryItem>): Promise<Collected> {
  const out: Collected = { rows: [], skipped: [], bad: [] };
  for await (const item of items) {
    if (item.kind === 'row') out.rows.push({ table: item.table, row: item.row, record: item.record, note: item.note });
    else if (item.kind === 'skipped') out.skipped.push({ record: item.record, reason: item.reason });
    else out.bad.push({ record: item.record, reason: item.reason });
  }
  return out;
}

export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
