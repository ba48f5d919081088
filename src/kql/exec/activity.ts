/**
 * The activity plugins (`evaluate activity_counts_metrics`, `evaluate sliding_window_counts`): rows are
 * put in time bins of `bin` from `start` (bin_at semantics) up to the bin holding `end`; per bin and per
 * combination of the dimension values:
 * - activity_counts_metrics: count (rows in the bin), dcount (distinct ids in it), new_dcount (ids not
 *   seen in an earlier bin of the same dimensions), aggregated_dcount (distinct ids from start through it);
 * - sliding_window_counts: Count and Dcount over the lookback window that ends with the bin
 *   ([bin end − lookback, bin end)).
 * Rows outside [start, end of the last bin) are not counted. Every bin gets a row for every dimension
 * combination seen in the data (zero counts where it has no rows).
 */
import { batchFromRows, type Batch } from '../values/batch.js';
import type { Value } from '../values/types.js';
import type { ActivityWindowsNode, BoundExpr, PlanNode } from '../semantics/bound.js';
import type { CompiledExpr } from './expressions.js';
import { groupKey } from './grouping.js';

type Compile = (expr: BoundExpr) => Promise<CompiledExpr>;
type Run = (plan: PlanNode) => AsyncIterable<Batch>;

interface Group {
  dims: Value[];
  /** Per bin index, the ids of its rows (one entry per row). */
  bins: Map<number, string[]>;
}

export async function* activityWindows(node: ActivityWindowsNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const [id, time, ...dims] = await Promise.all([node.id, node.time, ...node.dims].map(compile));
  const binCount = node.bin > 0n && node.end >= node.start ? Number((node.end - node.start) / node.bin) + 1 : 0;
  const groups = new Map<string, Group>();
  for await (const batch of run(node.input)) {
    const ids = id!(batch);
    const times = time!(batch);
    const dimValues = dims.map((d) => d(batch));
    for (let i = 0; i < batch.length; i++) {
      const t = times[i];
      if (typeof t !== 'bigint' || t < node.start) continue;
      const bin = Number((t - node.start) / node.bin);
      if (bin >= binCount) continue;
      const rowDims = dimValues.map((d) => d[i]!);
      const key = groupKey(rowDims);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { dims: rowDims, bins: new Map() }));
      const list = group.bins.get(bin) ?? [];
      list.push(groupKey([ids[i]!]));
      group.bins.set(bin, list);
    }
  }
  const rows: Value[][] = [];
  for (const group of groups.values()) {
    const counts = node.plugin === 'activity_counts_metrics' ? activityCounts(group, binCount) : slidingCounts(group, binCount, node);
    counts.forEach((c, b) => rows.push([node.start + BigInt(b) * node.bin, ...group.dims, ...c]));
  }
  if (rows.length > 0) yield batchFromRows(node.schema, rows);
}

/** count, dcount, new_dcount, aggregated_dcount per bin. */
function activityCounts(group: Group, binCount: number): number[][] {
  const seen = new Set<string>();
  const out: number[][] = [];
  for (let b = 0; b < binCount; b++) {
    const ids = group.bins.get(b) ?? [];
    const distinct = new Set(ids);
    const fresh = [...distinct].filter((x) => !seen.has(x)).length;
    for (const x of distinct) seen.add(x);
    out.push([ids.length, distinct.size, fresh, seen.size]);
  }
  return out;
}

/** Count and Dcount over the lookback window ending with each bin. */
function slidingCounts(group: Group, binCount: number, node: ActivityWindowsNode): number[][] {
  // The bins a window holds: its own and those whose start is within the lookback before its end.
  const binsBack = Number((node.lookback + node.bin - 1n) / node.bin);
  const out: number[][] = [];
  for (let b = 0; b < binCount; b++) {
    const ids: string[] = [];
    for (let k = Math.max(0, b - binsBack + 1); k <= b; k++) ids.push(...(group.bins.get(k) ?? []));
    out.push([ids.length, new Set(ids).size]);
  }
  return out;
}
