/**
 * Parallel NDJSON scans: a large file (not gzip) is cut into line-aligned byte ranges; worker threads
 * (scan-worker.ts) each type and filter one range at a time, exactly as the single-threaded scan
 * does, and send back the batches they keep with the rejections and unknown columns they met. This
 * thread hands them on in file order, turning each range's line numbers into the file's.
 *
 * Used when the file is at least `STAGEHUNT_SCAN_MIN_BYTES` (default 32 MiB), more than one thread
 * is allowed (`STAGEHUNT_SCAN_THREADS`, default: the available parallelism, at most 8), and the
 * scan's filter, if any, can be compiled again in a worker (kql/exec/portable-filter.ts).
 */
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Batch } from '../kql/values/batch.js';
import type { Schema, Value } from '../kql/values/types.js';
import { missingValue } from './coerce.js';
import { lineAlignedRanges, type ByteRange } from './line-blocks.js';
import type { TableScan } from './table-source.js';

export type ParallelItem =
  | { kind: 'batch'; batch: Batch }
  | { kind: 'reject'; line: number; reason: string }
  | { kind: 'unknownColumn'; name: string; line: number };

/** What every worker of one scan is given (structured-cloned). */
export interface ScanWorkerSetup {
  path: string;
  table: string;
  schema: Schema;
  columns: readonly string[] | undefined;
  filterColumns: readonly string[];
  /** kql/exec/portable-filter.ts PortableFilter, when the scan filters. */
  portableFilter: unknown;
}

/** Messages from a worker; `index` is the range's. Lines are counted from the range's first line. */
export type ScanWorkerMessage =
  | { index: number; kind: 'batch'; columns: Value[][]; length: number }
  | { index: number; kind: 'reject'; line: number; reason: string }
  | { index: number; kind: 'unknownColumn'; name: string; line: number }
  | { index: number; kind: 'done'; lines: number };

const DEFAULT_MIN_BYTES = 32 * 1024 * 1024;
/** Ranges are at most this big, so that a range's kept rows wait in memory only briefly. */
const MAX_RANGE_BYTES = 64 * 1024 * 1024;

function settings(): { threads: number; minBytes: number } {
  const threads = Number(process.env['STAGEHUNT_SCAN_THREADS'] ?? Math.min(8, availableParallelism()));
  const minBytes = Number(process.env['STAGEHUNT_SCAN_MIN_BYTES'] ?? DEFAULT_MIN_BYTES);
  return {
    threads: Number.isFinite(threads) ? Math.floor(threads) : 1,
    minBytes: Number.isFinite(minBytes) ? minBytes : DEFAULT_MIN_BYTES,
  };
}

/** The parallel scan of an NDJSON file (not gzip), or undefined when it should be read on this thread. */
export async function parallelScanOf(path: string, scan: TableScan): Promise<AsyncIterable<ParallelItem> | undefined> {
  const { threads, minBytes } = settings();
  if (threads < 2 || (scan.filter && scan.filter.portable === undefined)) return undefined;
  const { size } = await stat(path);
  if (size < minBytes) return undefined;
  const setup: ScanWorkerSetup = {
    path, table: scan.table, schema: scan.schema, columns: scan.columns,
    filterColumns: scan.filter?.columns ?? [], portableFilter: scan.filter?.portable,
  };
  const parts = Math.max(threads * 2, Math.ceil(size / MAX_RANGE_BYTES));
  return parallelItems(setup, await lineAlignedRanges(path, parts), threads);
}

/** What has arrived for one range so far. */
interface RangeResult {
  items: ScanWorkerMessage[];
  done: boolean;
}

async function* parallelItems(setup: ScanWorkerSetup, ranges: ByteRange[], threads: number): AsyncGenerator<ParallelItem> {
  const results: Array<RangeResult | undefined> = ranges.map(() => ({ items: [], done: false }));
  const needed = neededIndexes(setup);
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  let next = 0;
  let consuming = 0;
  let finished = false;
  const idle: Worker[] = [];
  // Workers run at most `threads` ranges ahead of the one being handed on, which bounds what waits in memory.
  const assign = (worker: Worker) => {
    if (next < ranges.length && next <= consuming + threads) {
      worker.postMessage({ index: next, range: ranges[next] });
      next++;
    } else {
      idle.push(worker);
    }
  };
  const workers = Array.from({ length: Math.min(threads, ranges.length) }, () => {
    const worker = new Worker(new URL('./scan-worker.js', import.meta.url), { workerData: setup });
    worker.on('message', (message: ScanWorkerMessage) => {
      const result = results[message.index]!;
      if (message.kind === 'done') {
        result.done = true;
        assign(worker);
      }
      result.items.push(message);
      notify();
    });
    worker.on('error', (error) => {
      failure = error;
      notify();
    });
    worker.on('exit', (code) => {
      // A worker that stops on its own before the scan is over would leave its range unanswered.
      if (!finished && !failure) failure = new Error(`a scan worker thread stopped (exit code ${code}) before the scan was over`);
      notify();
    });
    return worker;
  });
  try {
    workers.forEach(assign);
    let offset = 0;
    for (let index = 0; index < ranges.length; index++) {
      consuming = index;
      while (idle.length > 0 && next < ranges.length && next <= consuming + threads) assign(idle.pop()!);
      const result = results[index]!;
      for (;;) {
        if (failure) throw failure;
        const message = result.items.shift();
        if (message === undefined) {
          if (result.done) break;
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (message.kind === 'done') {
          offset += message.lines;
          break;
        }
        yield itemOf(message, offset, setup.schema, needed);
      }
      results[index] = undefined;
    }
  } finally {
    finished = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Schema indexes of the columns a scan delivers (all without a column list). */
export function neededIndexes(setup: Pick<ScanWorkerSetup, 'schema' | 'columns'>): number[] {
  if (!setup.columns) return setup.schema.map((_, i) => i);
  const wanted = new Set(setup.columns);
  return setup.schema.flatMap((c, i) => (wanted.has(c.name) ? [i] : []));
}

function itemOf(message: Exclude<ScanWorkerMessage, { kind: 'done' }>, offset: number, schema: Schema, needed: number[]): ParallelItem {
  switch (message.kind) {
    case 'reject': return { kind: 'reject', line: offset + message.line, reason: message.reason };
    case 'unknownColumn': return { kind: 'unknownColumn', name: message.name, line: offset + message.line };
    case 'batch': {
      // Workers send only the columns the scan needs; the others hold their missing value.
      const columns: Array<Value[] | undefined> = schema.map(() => undefined);
      needed.forEach((c, k) => (columns[c] = message.columns[k]!));
      const filled = columns.map((values, c) => values ?? new Array<Value>(message.length).fill(missingValue(schema[c]!.type)));
      return { kind: 'batch', batch: { schema, columns: filled, length: message.length } };
    }
  }
}
