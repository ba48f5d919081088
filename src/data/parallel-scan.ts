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
import { type Batch, constantColumn } from '../kql/values/batch.js';
import type { Schema, Value } from '../kql/values/types.js';
import { missingValue } from './coerce.js';
import { lineAlignedRanges, type ByteRange } from './line-blocks.js';
import type { TableScan } from './table-source.js';

export type ParallelItem =
  | { kind: 'batch'; batch: Batch }
  | { kind: 'reject'; line: number; reason: string }
  | { kind: 'unknownColumn'; name: string; line: number };

/** What every worker of one scan is told first (structured-cloned). */
export interface ScanWorkerSetup {
  path: string;
  table: string;
  schema: Schema;
  columns: readonly string[] | undefined;
  filterColumns: readonly string[];
  /** kql/exec/portable-filter.ts PortableFilter, when the scan filters. */
  portableFilter: unknown;
}

/** Messages from a worker; `scan` is the scan's id, `index` the range's. Lines are counted from the range's first line. */
export type ScanWorkerMessage =
  | { scan: number; index: number; kind: 'batch'; columns: Value[][]; length: number }
  | { scan: number; index: number; kind: 'reject'; line: number; reason: string }
  | { scan: number; index: number; kind: 'unknownColumn'; name: string; line: number }
  | { scan: number; index: number; kind: 'done'; lines: number };

const DEFAULT_MIN_BYTES = 32 * 1024 * 1024;
const YOUNG_GENERATION_MB = 16;
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

/** Messages to a worker: a scan's setup, one of its ranges, or the end of the scan (cancelling what is left). */
export type ScanWorkerTask =
  | { kind: 'setup'; scan: number; setup: ScanWorkerSetup }
  | { kind: 'range'; scan: number; index: number; range: ByteRange }
  | { kind: 'end'; scan: number };

/**
 * Worker threads kept for the whole process: a query that scans several tables (or a file twice)
 * pays for starting the threads and compiling the code in them once. A scan takes the threads it
 * needs and gives them back when it ends; idle threads do not keep the process alive.
 */
class ScanThreads {
  private readonly idle: Worker[] = [];
  /** The scan each busy thread works for, which receives its messages and failures. */
  private readonly listeners = new Map<Worker, (event: WorkerEvent) => void>();
  private nextScan = 1;

  newScanId(): number {
    return this.nextScan++;
  }

  take(count: number, listener: (event: WorkerEvent) => void): Worker[] {
    const workers: Worker[] = [];
    while (workers.length < count) workers.push(this.idle.pop() ?? this.start());
    for (const worker of workers) {
      worker.ref();
      this.listeners.set(worker, listener);
    }
    return workers;
  }

  /** Gives threads back; a thread that failed or stopped is not reused. */
  giveBack(workers: readonly Worker[], failed: ReadonlySet<Worker>): void {
    for (const worker of workers) {
      this.listeners.delete(worker);
      if (failed.has(worker)) {
        void worker.terminate();
        continue;
      }
      worker.unref();
      this.idle.push(worker);
    }
  }

  private start(): Worker {
    // The young generation's size is set: a scan allocates many short-lived values per line. 32 MiB
    // saved a few percent of CPU but cost 130 MiB of peak RSS on the seed rule at 10M events.
    const worker = new Worker(new URL('./scan-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    worker.on('message', (message: ScanWorkerMessage) => this.listeners.get(worker)?.({ kind: 'message', worker, message }));
    worker.on('error', (error) => this.listeners.get(worker)?.({ kind: 'error', worker, error }));
    worker.on('exit', (code) => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      this.listeners.get(worker)?.({ kind: 'exit', worker, code });
    });
    return worker;
  }
}

type WorkerEvent =
  | { kind: 'message'; worker: Worker; message: ScanWorkerMessage }
  | { kind: 'error'; worker: Worker; error: Error }
  | { kind: 'exit'; worker: Worker; code: number };

const threadPool = new ScanThreads();

async function* parallelItems(setup: ScanWorkerSetup, ranges: ByteRange[], threads: number): AsyncGenerator<ParallelItem> {
  const results: Array<RangeResult | undefined> = ranges.map(() => ({ items: [], done: false }));
  const needed = neededIndexes(setup);
  const scan = threadPool.newScanId();
  let failure: Error | undefined;
  const failed = new Set<Worker>();
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  let next = 0;
  let consuming = 0;
  const idle: Worker[] = [];
  // Workers run at most `threads` ranges ahead of the one being handed on, which bounds what waits in memory.
  const assign = (worker: Worker) => {
    if (next < ranges.length && next <= consuming + threads) {
      worker.postMessage({ kind: 'range', scan, index: next, range: ranges[next]! } satisfies ScanWorkerTask);
      next++;
    } else {
      idle.push(worker);
    }
  };
  const onEvent = (event: WorkerEvent) => {
    if (event.kind === 'message') {
      const { message } = event;
      if (message.scan !== scan) return;
      const result = results[message.index];
      if (!result) return;
      if (message.kind === 'done') {
        result.done = true;
        assign(event.worker);
      }
      result.items.push(message);
    } else {
      failed.add(event.worker);
      // A worker that stops on its own before the scan is over would leave its range unanswered.
      failure ??= event.kind === 'error' ? event.error : new Error(`a scan worker thread stopped (exit code ${event.code}) before the scan was over`);
    }
    notify();
  };
  const workers = threadPool.take(Math.min(threads, ranges.length), onEvent);
  try {
    for (const worker of workers) worker.postMessage({ kind: 'setup', scan, setup } satisfies ScanWorkerTask);
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
    for (const worker of workers) if (!failed.has(worker)) worker.postMessage({ kind: 'end', scan } satisfies ScanWorkerTask);
    threadPool.giveBack(workers, failed);
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
      const filled = columns.map((values, c) => values ?? constantColumn(missingValue(schema[c]!.type), message.length));
      return { kind: 'batch', batch: { schema, columns: filled, length: message.length } };
    }
  }
}
