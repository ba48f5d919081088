/**
 * A multiset of ordered values with integer weights: the state behind percentilew / percentilesw and
 * the tdigest family. Values are numbers, or bigint ticks for datetimes and timespans.
 *
 * Percentiles use the weighted nearest-rank definition, which with unit weights is exactly the
 * nearest rank percentile() uses: the smallest value whose cumulative weight reaches P% of the total
 * weight (the first value for P = 0). The docs' percentilesw example checks it: values 10, 20, 30, 40
 * weighted 8, 6, 3, 1 give 20, 20 and 40 at P = 50, 75 and 99.9.
 */
import type { ScalarType, Value } from '../values/types.js';

export type OrderedValue = number | bigint;

export interface WeightedEntry {
  value: OrderedValue;
  weight: number;
}

/** The types whose values can be ranked this way (Kusto: "a number, timespan or datetime"). */
export const RANKABLE_TYPES: ReadonlySet<ScalarType> = new Set(['int', 'long', 'real', 'decimal', 'datetime', 'timespan']);

export class WeightedValues {
  private readonly weights = new Map<OrderedValue, number>();

  /** Adds `weight` occurrences of `value`; nulls, NaN and non-positive weights are ignored. */
  add(value: Value, weight: Value = 1): this {
    if (value === null || (typeof value === 'number' && Number.isNaN(value))) return this;
    if (typeof weight !== 'number' || !(weight > 0)) return this;
    const key = value as OrderedValue;
    this.weights.set(key, (this.weights.get(key) ?? 0) + weight);
    return this;
  }

  addAll(other: WeightedValues): this {
    for (const [value, weight] of other.weights) this.add(value, weight);
    return this;
  }

  get isEmpty(): boolean {
    return this.weights.size === 0;
  }

  /** The distinct values with their total weights, ascending. */
  sorted(): WeightedEntry[] {
    return [...this.weights].map(([value, weight]) => ({ value, weight })).sort((a, b) => compareOrdered(a.value, b.value));
  }

  static fromEntries(entries: readonly WeightedEntry[]): WeightedValues {
    const values = new WeightedValues();
    for (const e of entries) values.add(e.value, e.weight);
    return values;
  }
}

export function compareOrdered(a: OrderedValue, b: OrderedValue): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The weighted nearest-rank percentile of ascending entries; null when there are none. */
export function weightedPercentile(sorted: readonly WeightedEntry[], percent: number): OrderedValue | null {
  if (sorted.length === 0 || Number.isNaN(percent)) return null;
  const total = sorted.reduce((sum, e) => sum + e.weight, 0);
  const target = (Math.min(Math.max(percent, 0), 100) / 100) * total;
  let cumulative = 0;
  for (const entry of sorted) {
    cumulative += entry.weight;
    if (cumulative >= target) return entry.value;
  }
  return sorted[sorted.length - 1]!.value;
}

/** The total weight of the values ≤ `value` (rank_tdigest's rank). */
export function weightedRank(sorted: readonly WeightedEntry[], value: OrderedValue): number {
  let rank = 0;
  for (const entry of sorted) {
    if (compareOrdered(entry.value, value) > 0) break;
    rank += entry.weight;
  }
  return rank;
}
