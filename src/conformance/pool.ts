/**
 * A small pool of worker threads that run queries with a per-query timeout. A query that exceeds it is
 * reported as a timeout and its worker is terminated and replaced, so one hang costs one timeout,
 * not the run.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

export interface QueryTask {
  mode: 'run' | 'compile';
  query: string;
  /** For `run`: files or folders with the tables. */
  data?: string | string[];
  /** For `run`: now() as an ISO datetime. */
  now?: string;
  /** For `run`: false to return only the row count (large results need not cross threads). */
  keepRows?: boolean;
  /**
   * For `run`: a database with no tables at all, not even the built-in Device* schemas (the docs examples
   * are self-contained, and Kusto's language service computed their result columns without tables).
   */
  emptyDatabase?: boolean;
}

export interface OutcomeDiagnostic {
  code: string;
  message: string;
  start: number;
  length: number;
}

export type QueryOutcome =
  | { ok: true; columns: { name: string; type: string }[]; rows: unknown[][]; rowCount?: number }
  | { ok: false; message: string; diagnostics: OutcomeDiagnostic[]; timedOut?: boolean };

interface Pending {
  task: QueryTask;
  resolve: (outcome: QueryOutcome) => void;
}

interface Slot {
  worker: Worker;
  /** Set once the worker has loaded the engine: its start-up time does not count against a query's timeout. */
  ready?: boolean;
  busy?: { pending: Pending; timer: NodeJS.Timeout };
  /** Replaced: its worker is being terminated, and its exit is expected. */
  retired?: boolean;
}

/** What a worker posts once its modules are loaded (before any query). */
export const WORKER_READY = 'query-worker-ready';

const WORKER_URL = new URL('./query-worker.js', import.meta.url);

export class QueryPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private closed = false;
  /** Keeps the process alive while queries wait or run (the workers themselves never do). */
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number, size = Math.max(1, Math.min(4, availableParallelism()))) {
    for (let i = 0; i < size; i++) this.slots.push(this.newSlot());
  }

  run(task: QueryTask): Promise<QueryOutcome> {
    if (this.closed) return Promise.reject(new Error('QueryPool is closed'));
    return new Promise((resolve) => {
      this.queue.push({ task, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private newSlot(): Slot {
    const slot: Slot = { worker: new Worker(WORKER_URL) };
    slot.worker.on('message', (message: QueryOutcome | typeof WORKER_READY) => {
      if (message !== WORKER_READY) return this.finish(slot, message);
      slot.ready = true;
      this.dispatch();
    });
    slot.worker.on('error', (error) => this.replace(slot, { ok: false, message: `worker crashed: ${error.message}`, diagnostics: [] }));
    // A worker that ends without an error (it should not) would leave its query, or the queue, waiting for ever.
    slot.worker.on('exit', (code) => {
      if (!slot.retired && !this.closed) this.replace(slot, { ok: false, message: `worker stopped (exit code ${code})`, diagnostics: [] });
    });
    // Workers must not keep the process alive once the runner is done with them (see holdWhileNeeded).
    slot.worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.busy || this.queue.length === 0) continue;
      const pending = this.queue.shift()!;
      const timer = setTimeout(() => {
        this.replace(slot, { ok: false, message: `timed out after ${this.timeoutMs} ms`, diagnostics: [], timedOut: true });
      }, this.timeoutMs);
      slot.busy = { pending, timer };
      slot.worker.postMessage(pending.task);
    }
    this.holdWhileNeeded();
  }

  /**
   * The process stays alive while a query waits or runs, by a timer of the pool's own: holding the
   * workers themselves by ref() left the event loop empty now and then while queries were pending
   * (seen as a test cancelled with "Promise resolution is still pending").
   */
  private holdWhileNeeded(): void {
    const needed = !this.closed && (this.queue.length > 0 || this.slots.some((slot) => slot.busy));
    if (needed && !this.keepAlive) this.keepAlive = setInterval(() => {}, 60_000);
    else if (!needed && this.keepAlive) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }

  private finish(slot: Slot, outcome: QueryOutcome): void {
    const busy = slot.busy;
    if (!busy) return;
    clearTimeout(busy.timer);
    slot.busy = undefined;
    busy.pending.resolve(outcome);
    this.dispatch();
  }

  /** Ends the slot's task with `outcome` and puts a fresh worker in its place. */
  private replace(slot: Slot, outcome: QueryOutcome): void {
    if (slot.retired) return;
    slot.retired = true;
    const busy = slot.busy;
    if (busy) clearTimeout(busy.timer);
    void slot.worker.terminate();
    const index = this.slots.indexOf(slot);
    if (!this.closed && index >= 0) this.slots[index] = this.newSlot();
    busy?.pending.resolve(outcome);
    this.dispatch();
  }
}
