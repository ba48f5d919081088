/**
 * What blocking operators hold, and the query's memory limit.
 *
 * summarize, sort, join and distinct keep rows or groups until their input ends. Each keeps an
 * account of the bytes it holds, estimated from the values it keeps (see `valueBytes`); the sum
 * over every open account is checked against the limit, and going over it fails the query with an
 * error that names the operator and what it held — before the heap runs out and the process dies.
 * The estimate is approximate by design: it counts the values kept and a fixed overhead per row or
 * group, not V8's exact object layout, nor the growth of make_set/make_list/dcount states beyond
 * their first value.
 */
import { getHeapStatistics } from 'node:v8';
import type { Value } from '../values/types.js';

/** Bytes of one array slot or object field (a pointer or a small integer). */
const SLOT = 8;
/** Header of a heap object (string, array, bigint, boxed number). */
const HEADER = 16;

/**
 * Approximate bytes a value occupies where it is held: its slot plus, for heap values, the object.
 * Strings count one byte per character (V8 stores Latin-1 text one byte per character; other
 * text takes two, so non-Latin text is under-counted by half).
 */
export function valueBytes(value: Value): number {
  switch (typeof value) {
    case 'string':
      // The empty string is one shared object: only its slot counts.
      return value.length === 0 ? SLOT : SLOT + HEADER + value.length;
    case 'number':
      return SLOT + (Number.isInteger(value) && Math.abs(value) < 2 ** 30 ? 0 : HEADER);
    case 'bigint':
      return SLOT + HEADER + SLOT;
    case 'boolean':
      return SLOT;
    default:
      if (value === null || value === undefined) return SLOT;
      return SLOT + dynamicBytes(value);
  }
}

function dynamicBytes(value: object): number {
  if (Array.isArray(value)) {
    let bytes = HEADER;
    for (const item of value) bytes += valueBytes(item as Value);
    return bytes;
  }
  let bytes = HEADER;
  for (const [key, item] of Object.entries(value)) bytes += valueBytes(key) + valueBytes(item as Value);
  return bytes;
}

/** Bytes of one row: its values and the array that holds them. */
export function rowBytes(values: readonly Value[]): number {
  let bytes = HEADER;
  for (const v of values) bytes += valueBytes(v);
  return bytes;
}

/** Thrown when the operators of a query together hold more than the memory limit. */
export class MemoryLimitError extends Error {
  constructor(
    readonly operator: string,
    readonly heldBytes: number,
    readonly heldItems: string,
    readonly limitBytes: number,
  ) {
    super(
      `${operator} held about ${formatBytes(heldBytes)} (${heldItems}), over the memory limit of ${formatBytes(limitBytes)}` +
        ' (--max-memory): filter or project earlier, summarize on fewer keys, or raise the limit',
    );
    this.name = 'MemoryLimitError';
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/**
 * The default limit: 70% of the V8 heap limit, leaving room for the batches in flight, the
 * result rows and the estimate's error, so that the limit is reached before V8 runs out of heap.
 */
export function defaultMemoryLimit(): number {
  return Math.floor(getHeapStatistics().heap_size_limit * 0.7);
}

export type HoldingReporter = (operator: string, rows: number, bytes: number) => void;

/** The memory accounts of one query's operators. */
export class MemoryBudget {
  private total = 0;
  /** What can be given back when the limit is reached: kept results the plan can compute again. */
  private readonly releasable = new Set<() => void>();

  constructor(
    readonly limitBytes: number = defaultMemoryLimit(),
    private readonly report?: HoldingReporter,
  ) {}

  /** A new account for one blocking operator (`summarize`, `sort`, `join`, …). */
  open(operator: string): MemoryAccount {
    return new MemoryAccount(operator, this);
  }

  /** @internal — an account's change of size; throws when the sum goes over the limit. */
  change(account: MemoryAccount, delta: number, items: () => string): void {
    this.total += delta;
    if (delta > 0 && this.total > this.limitBytes) this.releaseUntilUnderLimit();
    if (delta > 0 && this.total > this.limitBytes) {
      const held = account.bytes;
      this.total -= held;
      account.bytes = 0;
      throw new MemoryLimitError(account.operator, held, items(), this.limitBytes);
    }
  }

  /**
   * Registers a holder that can give its memory back (dropping a kept result, which its readers then
   * compute again): over the limit, such holders are released, oldest first, before any operator
   * fails. Returns the call that unregisters it (when it has given its memory back by itself).
   */
  onLimit(release: () => void): () => void {
    this.releasable.add(release);
    return () => this.releasable.delete(release);
  }

  private releaseUntilUnderLimit(): void {
    for (const release of [...this.releasable]) {
      if (this.total <= this.limitBytes) return;
      this.releasable.delete(release);
      release();
    }
  }

  notify(operator: string, rows: number, bytes: number): void {
    this.report?.(operator, rows, bytes);
  }

  get heldBytes(): number {
    return this.total;
  }
}

/** What one operator holds: rows (or groups) and their estimated bytes. */
export class MemoryAccount {
  bytes = 0;
  rows = 0;

  constructor(
    readonly operator: string,
    private readonly budget: MemoryBudget,
  ) {}

  /**
   * Adds to what the operator holds. `unit` names what `rows` counts ("rows", "groups").
   * Throws MemoryLimitError when the query's operators together go over the limit.
   */
  add(rows: number, bytes: number, unit = 'rows'): void {
    this.rows += rows;
    this.bytes += bytes;
    this.budget.change(this, bytes, () => `${this.rows.toLocaleString('en-US')} ${unit}`);
  }

  /** Tells the progress reporter what is held now (once per batch, not per row). */
  report(): void {
    this.budget.notify(this.operator, this.rows, this.bytes);
  }

  /** The operator has handed on or dropped what it held. */
  close(): void {
    this.budget.change(this, -this.bytes, () => '');
    this.bytes = 0;
    this.rows = 0;
  }
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10,
  m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20,
  g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30,
  t: 2 ** 40, tb: 2 ** 40, tib: 2 ** 40,
};

/**
 * A memory size as people write it: `512M`, `1.5GiB`, `800mb`, `1048576` (bytes). Units are binary
 * (k = 1024). Returns undefined for anything else, including zero and negative sizes.
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = SIZE_UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
