/**
 * Row order for `sort`, `top` and `order by`: Kusto compares values of one column type; nulls go
 * first or last as asked; for reals, NaN sorts below every number (desc: `+inf, 5, 0, -5, NaN, null`).
 */
import type { SortKey } from '../semantics/bound.js';
import type { Value } from '../values/types.js';
import { dynamicToJson } from '../values/dynamic.js';

/** Compares two non-null values of the same column type, ascending. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') {
    const aNaN = Number.isNaN(a);
    const bNaN = Number.isNaN(b);
    if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  // Mixed or dynamic values: order by kind, then by JSON text, so the order is total and stable.
  const ka = kindRank(a);
  const kb = kindRank(b);
  if (ka !== kb) return ka - kb;
  const ta = dynamicToJson(a as never);
  const tb = dynamicToJson(b as never);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

function kindRank(v: Value): number {
  switch (typeof v) {
    case 'boolean':
      return 1;
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    default:
      return Array.isArray(v) ? 4 : 5;
  }
}

/** Empty strings are not null in Kusto: only real nulls take the nulls-first/last position. */
function isNull(v: Value): boolean {
  return v === null || v === undefined;
}

/** A comparator over row indexes given each sort key's column of values. */
export function rowComparator(keys: SortKey[], keyColumns: Value[][]): (a: number, b: number) => number {
  return (a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const column = keyColumns[k]!;
      const va = column[a]!;
      const vb = column[b]!;
      const na = isNull(va);
      const nb = isNull(vb);
      if (na || nb) {
        if (na && nb) continue;
        return na === key.nullsFirst ? -1 : 1;
      }
      const c = compareValues(va, vb);
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  };
}
