/**
 * Results of plan parts the query reads more than once. A `let` bound to a tabular expression and
 * named by several branches (`StagedFileEvents` read by three `summarize`/`where` branches) binds
 * to one plan node referenced from each place. Its first complete run is kept (as the batches it
 * produced) and replayed for the other references, so the scan, filters and regexes under it run
 * once. It is released after its last reader.
 *
 * Only parts that would give the same rows every time are kept: no non-deterministic function
 * (rand(), new_guid()), and no literal-row source that partition / mv-apply re-point per group.
 * What is kept counts against the query's memory limit, but never more than KEPT_SHARE_OF_LIMIT of
 * it, and it is given back first when another operator needs the room: the result is dropped and
 * the other references run the plan again (correct, slower).
 */
import type { PlanNode } from '../semantics/bound.js';
import { type Batch, isUniformColumn } from '../values/batch.js';
import { type MemoryAccount, type MemoryBudget, valueBytes } from './memory.js';
import { childrenOf, hasNonDeterministicCall, isPlanNode } from './plan-walk.js';

/**
 * Share of the memory limit one kept result may use. Running a plan part again costs a full scan
 * (three or four for the improved rule at 10M events), so kept results may take most of the limit:
 * when an operator needs the room, kept results are dropped first (MemoryBudget.onLimit).
 */
export const KEPT_SHARE_OF_LIMIT = 0.75;

interface Kept {
  /** References not yet served. */
  readers: number;
  /** new: not run yet; recording: a first run is under way (others run the plan themselves meanwhile);
   *  complete: kept, replayed to the next readers; dropped: not kept (too large, or no reader left). */
  state: 'new' | 'recording' | 'complete' | 'dropped';
  batches: Batch[];
  account: MemoryAccount | undefined;
  /** Withdraws the offer to give the memory back (MemoryBudget.onLimit). */
  unregister?: () => void;
}

export class SharedResults {
  private readonly kept = new Map<PlanNode, Kept>();

  constructor(
    root: PlanNode,
    private readonly budget: MemoryBudget,
  ) {
    const counts = new Map<PlanNode, number>();
    const unsafe = new Set<PlanNode>();
    countReferences(root, counts, unsafe);
    for (const [node, count] of counts) {
      if (count > 1 && !unsafe.has(node) && node.kind !== 'Scan') {
        this.kept.set(node, { readers: count, state: 'new', batches: [], account: undefined });
      }
    }
  }

  /** Whether the node's result is shared between several readers (kept after its first run). */
  isShared(node: PlanNode): boolean {
    return this.kept.has(node);
  }

  /** The node's batches: replayed when kept, else from `run` (recorded when this is the first run). */
  stream(node: PlanNode, run: () => AsyncIterable<Batch>): AsyncIterable<Batch> {
    const kept = this.kept.get(node);
    if (!kept) return run();
    kept.readers--;
    switch (kept.state) {
      case 'complete':
        return this.replay(kept);
      case 'new':
        return this.record(kept, run);
      default:
        return run();
    }
  }

  private async *replay(kept: Kept): AsyncIterable<Batch> {
    const batches = kept.batches;
    if (kept.readers <= 0) this.drop(kept);
    yield* batches;
  }

  private async *record(kept: Kept, run: () => AsyncIterable<Batch>): AsyncIterable<Batch> {
    kept.state = 'recording';
    const account = (kept.account = this.budget.open('shared let result'));
    // Dropped when another operator needs the room (the readers left then run the plan again).
    kept.unregister = this.budget.onLimit(() => this.drop(kept));
    const cap = this.budget.limitBytes * KEPT_SHARE_OF_LIMIT;
    let finished = false;
    try {
      for await (const batch of run()) {
        if (kept.state === 'recording') {
          const bytes = batchBytes(batch);
          if (account.bytes + bytes > cap || this.budget.heldBytes + bytes > this.budget.limitBytes) {
            this.drop(kept);
          } else {
            account.add(batch.length, bytes);
            account.report();
            kept.batches.push(batch);
          }
        }
        yield batch;
      }
      finished = true;
    } finally {
      const intact = kept.state === 'recording';
      if (finished && intact && kept.readers > 0) kept.state = 'complete';
      else if (!finished && intact) {
        // A reader that stopped early (take) leaves an incomplete result: the next reader records again.
        this.drop(kept);
        kept.state = 'new';
      } else this.drop(kept);
    }
  }

  private drop(kept: Kept): void {
    kept.state = 'dropped';
    kept.batches = [];
    kept.unregister?.();
    kept.unregister = undefined;
    kept.account?.close();
    kept.account = undefined;
  }
}

/** Estimated bytes of a batch's values (uniform columns, shared, count nothing). */
export function batchBytes(batch: Batch): number {
  let bytes = 0;
  for (const column of batch.columns) {
    if (isUniformColumn(column)) continue;
    for (let i = 0; i < column.length; i++) bytes += valueBytes(column[i]!);
  }
  return bytes;
}

/**
 * Counts how often each plan node is referenced from `node` down, and marks the nodes whose
 * results may differ between runs (see the file comment) together with every node above them.
 * Returns whether `node` is such a node.
 */
function countReferences(node: PlanNode, counts: Map<PlanNode, number>, unsafe: Set<PlanNode>): boolean {
  const seen = counts.get(node);
  counts.set(node, (seen ?? 0) + 1);
  if (seen !== undefined) return unsafe.has(node);
  let varies = node.kind === 'Values' || node.kind === 'Partition' || node.kind === 'MvApply';
  for (const child of childrenOf(node)) {
    if (isPlanNode(child)) varies = countReferences(child, counts, unsafe) || varies;
    else if (hasNonDeterministicCall(child)) varies = true;
  }
  if (varies) unsafe.add(node);
  return varies;
}
