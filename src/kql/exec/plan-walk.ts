/**
 * Walking a plan generically: the plan nodes and expressions a node holds, whatever its kind, so
 * that analyses over the whole plan (shared results, shared scans) need no case per operator.
 */
import type { PlanNode } from '../semantics/bound.js';

/** Plan nodes and expressions held by a node's fields (anything with a `kind`, nested in arrays and records). */
export function childrenOf(node: object): object[] {
  const out: object[] = [];
  const visit = (value: unknown, depth: number) => {
    if (value === null || typeof value !== 'object' || depth > 4) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    if (depth > 0 && typeof (value as { kind?: unknown }).kind === 'string') {
      out.push(value);
      return;
    }
    for (const [key, field] of Object.entries(value)) if (key !== 'schema' && key !== 'rows' && key !== 'fn') visit(field, depth + 1);
  };
  visit(node, 0);
  return out;
}

export function isPlanNode(value: object): value is PlanNode {
  return 'schema' in value && !('type' in value);
}

/** Whether an expression calls a function whose value changes between calls, or runs a sub-query. */
export function hasNonDeterministicCall(expr: object): boolean {
  const e = expr as { kind?: string; fn?: { deterministic?: boolean } };
  if (e.kind === 'Call' && e.fn?.deterministic === false) return true;
  return childrenOf(expr).some((child) => (isPlanNode(child) ? false : hasNonDeterministicCall(child)));
}
