/**
 * KQL rule → portable model. The rule's query is parsed and bound by our engine (so `let` values,
 * user-defined functions and `extend`ed columns are already resolved to expressions over table
 * columns); the bound plan is then walked symbolically from each table scan up to the final
 * output: every column becomes an expression over the scanned table's columns, every `where` a
 * condition over them, a `summarize … | where Count >= N` an aggregation. The branch column
 * (rule.yaml alerting.branchColumn) names the branches; an `iff`/`case` on it splits a pipeline
 * into one branch per name.
 */
import { type TableSource, compileQuery } from '../kql/index.js';
import type { AggregateNode, BoundExpr, PlanNode } from '../kql/semantics/bound.js';
import { BUILTIN_TABLES } from '../data/schemas.js';
import { type Rule, SEVERITIES, type Severity } from '../detections/rules.js';
import { type Aggregation, type PortableBranch, type PortableRule, type ThresholdOp, allOf, categoryOfTable, isTrue } from './portable.js';
import { type Sym, constSym, containsMeasure, lookbackOf, symText, toCondition } from './conditions.js';

import { ExportError } from './exported-file.js';

export { ExportError };

/** One pipeline from a table scan to the rule's output, as symbolic expressions. */
interface Flow {
  table: string;
  /** `where` predicates before any aggregation. */
  conditions: Sym[];
  /** After `summarize`: its group keys (with output names) and the predicates that follow it. */
  aggregation?: { keys: Array<{ name: string; expr: Sym }>; post: Sym[] };
  /** One expression per column of the current schema. */
  columns: Sym[];
  lossy: string[];
}

const TICKS_PER_SECOND = 10_000_000n;

/** The Defender schemas, for binding only: extraction never reads rows. */
const SCHEMAS_ONLY: TableSource = {
  tableSchema: (name) => BUILTIN_TABLES[name],
  tableNames: () => Object.keys(BUILTIN_TABLES),
  scan: () => {
    throw new ExportError('extraction binds the rule and never reads rows');
  },
};

export function extractPortableRule(rule: Rule): PortableRule {
  // now() = 0 ticks: `ago(24h)` then binds to -24h, which reads back as the lookback.
  const plans = compileQuery(rule.query, { tables: SCHEMAS_ONLY, now: 0n });
  const plan = plans[plans.length - 1]!;
  const flows = walk(plan);
  const branchColumn = rule.meta.alerting?.branchColumn;
  const branchIndex = branchColumn ? plan.schema.findIndex((c) => c.name === branchColumn) : -1;
  const severityColumn = rule.meta.alerting?.severityColumn;
  const severityIndex = severityColumn ? plan.schema.findIndex((c) => c.name === severityColumn) : -1;
  const branches: PortableBranch[] = [];
  const keys = new Set<string>();
  for (const flow of flows) {
    const named = branchNames(flow, branchIndex, rule.meta.name);
    for (const { name, condition, lossy } of named) {
      const branch = toBranch(flow, name, condition, [...flow.lossy, ...lossy]);
      branch.key = uniqueKey(slug(name), keys);
      if (severityIndex >= 0) {
        const facts = [...flow.conditions, ...(condition ? [condition] : [])];
        Object.assign(branch, branchSeverity(flow.columns[severityIndex]!, facts, branchIndex >= 0 ? { sym: flow.columns[branchIndex]!, name } : undefined, branch.lossy));
      }
      branches.push(branch);
    }
  }
  return { meta: rule.meta, branches, lossy: ruleLossy(plan, flows, branchIndex, severityColumn) };
}

/**
 * The branch's severity from the rule's severity column, folded under what the branch knows: its
 * conditions hold and its branch column has its name. When the value still depends on the event,
 * the level reached when none of the raising conditions holds is taken, and the rest is noted.
 */
function branchSeverity(value: Sym, facts: Sym[], branch: { sym: Sym; name: string } | undefined, notes: string[]): { severity?: Severity } {
  const known = new Map<string, boolean>();
  for (const fact of facts.flatMap(conjuncts)) {
    if (fact.kind === 'call' && fact.fn === 'not') known.set(symKey(fact.args[0]!), false);
    else known.set(symKey(fact), true);
  }
  const folded = fold(value, known, branch ? { key: symKey(branch.sym), value: constSym(branch.name, 'string') } : undefined);
  const arms = caseArms(folded) ?? (folded.kind === 'const' && typeof folded.value === 'string' ? [{ name: folded.value }] : undefined);
  if (!arms) {
    notes.push(`the severity ${symText(folded)} depends on the event: the rule's severity is used`);
    return {};
  }
  const possible = arms.filter((arm) => !(arm.when?.kind === 'const' && arm.when.value === false));
  const decided = possible.findIndex((arm) => !arm.when || (arm.when.kind === 'const' && arm.when.value === true));
  const reachable = decided >= 0 ? possible.slice(0, decided + 1) : possible;
  const fallback = reachable[reachable.length - 1]!;
  if (!SEVERITIES.includes(fallback.name as Severity)) return {};
  const raised = reachable.slice(0, -1);
  if (raised.length > 0) notes.push(`severity ${fallback.name}; the rule changes it per event: ${raised.map((arm) => `${arm.name} when ${shortened(symText(arm.when!))}`).join('; ')}`);
  return { severity: fallback.name as Severity };
}

/** Long expressions cut for a note: the start says which condition it is. */
function shortened(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

function conjuncts(sym: Sym): Sym[] {
  return sym.kind === 'call' && sym.fn === 'and' ? sym.args.flatMap(conjuncts) : [sym];
}

function symKey(sym: Sym): string {
  return JSON.stringify(sym, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Constant folding of the boolean and choice functions, with known-true predicates and a known branch name. */
function fold(sym: Sym, known: Map<string, boolean>, branch: { key: string; value: Sym } | undefined): Sym {
  const key = symKey(sym);
  if (branch && key === branch.key) return branch.value;
  const fact = known.get(key);
  if (fact !== undefined) return constSym(fact, 'bool');
  if (sym.kind !== 'call') return sym;
  const args = sym.args.map((a) => fold(a, known, branch));
  const bools = args.map((a) => (a.kind === 'const' && typeof a.value === 'boolean' ? a.value : undefined));
  const consts = args.map((a) => (a.kind === 'const' ? a.value : undefined));
  switch (sym.fn) {
    case 'and':
    case 'or': {
      // The absorbing constant decides; the neutral one drops out.
      const absorbing = sym.fn === 'or';
      if (bools.includes(absorbing)) return constSym(absorbing, 'bool');
      const rest = args.filter((_a, i) => bools[i] === undefined);
      if (rest.length === 0) return constSym(!absorbing, 'bool');
      if (rest.length === 1) return rest[0]!;
      return { kind: 'call', fn: sym.fn, args: rest };
    }
    case 'not':
      if (bools[0] !== undefined) return constSym(!bools[0], 'bool');
      break;
    case 'coalesce': {
      const first = args.find((a) => !(a.kind === 'const' && a.value === null));
      if (first && (first.kind === 'const' || first === args[args.length - 1])) return first;
      break;
    }
    case '==':
    case '!=':
      if (args.every((a) => a.kind === 'const') && consts.every((c) => typeof c === 'string' || typeof c === 'boolean')) {
        return constSym((consts[0] === consts[1]) === (sym.fn === '=='), 'bool');
      }
      break;
  }
  return { kind: 'call', fn: sym.fn, args };
}

// ───────────────────────────── the symbolic walk ─────────────────────────────

function walk(node: PlanNode): Flow[] {
  switch (node.kind) {
    case 'Scan':
      return [{ table: node.table, conditions: [], columns: node.schema.map((c) => ({ kind: 'column', name: c.name })), lossy: [] }];
    case 'Filter':
      return walk(node.input).map((flow) => {
        const predicate = toSym(node.predicate, flow.columns);
        if (flow.aggregation) flow.aggregation.post.push(predicate);
        else flow.conditions.push(predicate);
        return flow;
      });
    case 'Project':
      return walk(node.input).map((flow) => ({ ...flow, columns: node.exprs.map((e) => toSym(e, flow.columns)) }));
    case 'Aggregate':
      return walk(node.input).map((flow) => aggregate(flow, node));
    case 'Union':
      return node.legs.flatMap((leg) =>
        walk(leg.plan).map((flow) => ({ ...flow, columns: leg.columnMap.map((i) => (i >= 0 ? flow.columns[i]! : constSym(null, 'string'))) })),
      );
    case 'Sort':
      if (node.limit !== undefined) return walk(node.input).map((flow) => withLossy(flow, `only the top ${node.limit} rows are kept (top); every matching event is exported`));
      return walk(node.input);
    case 'Take':
      return walk(node.input).map((flow) => withLossy(flow, `only ${node.count} rows are kept (take/limit); every matching event is exported`));
    default:
      throw new ExportError(`the operator behind the plan node ${node.kind} cannot be exported to a portable rule`);
  }
}

function withLossy(flow: Flow, sentence: string): Flow {
  return { ...flow, lossy: [...flow.lossy, sentence] };
}

function aggregate(flow: Flow, node: AggregateNode): Flow {
  if (flow.aggregation) throw new ExportError('a second summarize over a summarized result cannot be exported');
  const keys = node.keys.map((k, i) => ({ name: node.innerSchema[i]!.name, expr: toSym(k, flow.columns) }));
  const inner: Sym[] = keys.map((k) => k.expr);
  for (const slot of node.aggregates) {
    const args = slot.args.map((a) => toSym(a, flow.columns));
    for (let i = 0; i < slot.outputs; i++) inner.push({ kind: 'measure', fn: slot.fn.name, args });
  }
  const columns = node.post ? node.post.map((e) => toSym(e, inner)) : inner;
  return { ...flow, aggregation: { keys, post: [] }, columns };
}

function toSym(expr: BoundExpr, columns: Sym[]): Sym {
  switch (expr.kind) {
    case 'Column':
      return columns[expr.index] ?? { kind: 'opaque', text: expr.name };
    case 'Constant':
      return constSym(expr.value, expr.type);
    case 'Call':
      return { kind: 'call', fn: expr.fn.name, args: expr.args.map((a) => toSym(a, columns)) };
    case 'Access':
      return { kind: 'call', fn: '[]', args: [toSym(expr.target, columns), toSym(expr.key, columns)] };
    case 'Subquery':
      return { kind: 'opaque', text: '(sub-query)' };
  }
}

// ───────────────────────────── branches ─────────────────────────────

interface NamedFlow {
  name: string;
  /** Extra condition selecting this name's rows (from `iff`/`case` on the branch column). */
  condition?: Sym;
  lossy: string[];
}

/** The branch names a pipeline produces, each with the condition selecting its rows. */
function branchNames(flow: Flow, branchIndex: number, ruleName: string): NamedFlow[] {
  const value = branchIndex >= 0 ? flow.columns[branchIndex] : undefined;
  if (!value) return [{ name: ruleName, lossy: [] }];
  if (value.kind === 'const' && typeof value.value === 'string') return [{ name: value.value, lossy: [] }];
  const cases = caseArms(value);
  if (!cases) return [{ name: ruleName, lossy: [`the branch name is computed (${symText(value)}); the rule's name is used instead`] }];
  if (cases.some((arm) => arm.when && containsMeasure(arm.when))) {
    // A name chosen by an aggregate (e.g. countif(ViaSmb) > 0) is not a filter on events: keep the default name.
    const fallback = cases[cases.length - 1]!.name;
    const others = cases.slice(0, -1).map((arm) => `${arm.name} when ${symText(arm.when!)}`).join('; ');
    return [{ name: fallback, lossy: [`the rule names these rows ${others}, a condition on the aggregate that the export cannot carry: every group is exported as ${fallback}`] }];
  }
  const out: NamedFlow[] = [];
  const previous: Sym[] = [];
  for (const arm of cases) {
    const guards: Sym[] = previous.map((p) => ({ kind: 'call', fn: 'not', args: [p] }));
    if (arm.when) guards.push(arm.when);
    out.push({ name: arm.name, condition: guards.length === 0 ? undefined : guards.reduce((a, b) => ({ kind: 'call', fn: 'and', args: [a, b] })), lossy: [] });
    if (arm.when) previous.push(arm.when);
  }
  return out;
}

/** `iff(c, "A", "B")` / `case(c1, "A", c2, "B", "C")` with constant names → arms; undefined otherwise. */
function caseArms(value: Sym): Array<{ when?: Sym; name: string }> | undefined {
  if (value.kind !== 'call' || !['iff', 'iif', 'case'].includes(value.fn)) return undefined;
  const arms: Array<{ when?: Sym; name: string }> = [];
  const args = value.args;
  for (let i = 0; i + 1 < args.length; i += 2) {
    const name = args[i + 1]!;
    if (name.kind !== 'const' || typeof name.value !== 'string') return undefined;
    arms.push({ when: args[i]!, name: name.value });
  }
  const last = args[args.length - 1]!;
  if (args.length % 2 === 0 || last.kind !== 'const' || typeof last.value !== 'string') return undefined;
  arms.push({ name: last.value });
  return arms;
}

function toBranch(flow: Flow, name: string, selector: Sym | undefined, lossy: string[]): PortableBranch {
  const notes = [...lossy];
  let lookback: string | undefined;
  const conditions = [];
  for (const sym of [...flow.conditions, ...(selector ? [selector] : [])]) {
    const span = lookbackOf(sym);
    if (span !== undefined) {
      lookback = ticksText(span);
      continue;
    }
    conditions.push(toCondition(sym, true, notes));
  }
  const branch: PortableBranch = {
    name,
    key: '',
    table: flow.table,
    category: categoryOfTable(flow.table),
    filter: allOf(conditions),
    lookback,
    lossy: notes,
  };
  if (flow.aggregation) branch.aggregation = toAggregation(flow.aggregation, notes);
  if (isTrue(branch.filter) && !branch.aggregation) notes.push('the branch has no filter: every event of the table matches');
  return branch;
}

function toAggregation(agg: NonNullable<Flow['aggregation']>, notes: string[]): Aggregation {
  const groupBy: string[] = [];
  let window: string | undefined;
  for (const key of agg.keys) {
    const e = key.expr;
    if (e.kind === 'column') groupBy.push(e.name);
    else if (e.kind === 'call' && e.fn === 'bin' && e.args[0]?.kind === 'column' && e.args[1]?.kind === 'const' && typeof e.args[1].value === 'bigint') {
      window = ticksText(e.args[1].value);
    } else {
      notes.push(`the group key ${key.name} = ${symText(e)} is computed and cannot be a group-by field: left out, so groups are coarser and the count can reach the threshold sooner`);
    }
  }
  let threshold: Aggregation['threshold'] | undefined;
  let measure: Aggregation['measure'] | undefined;
  for (const post of agg.post) {
    const found = thresholdOf(post);
    if (found && !threshold) {
      ({ threshold, measure } = found);
      continue;
    }
    notes.push(`the condition after summarize ${symText(post)} cannot be exported and is left out`);
  }
  if (!threshold || !measure) {
    notes.push('summarize without a count threshold: exported as "at least one event per group"');
    return { groupBy, window, measure: { kind: 'count' }, threshold: { op: '>=', value: 1 } };
  }
  return { groupBy, window, measure, threshold };
}

const FLIPPED: Record<string, ThresholdOp> = { '>=': '<=', '>': '<', '<': '>', '<=': '>=' };

/** `Count >= 10` (or `10 <= Count`) over count() or dcount(Field). */
function thresholdOf(sym: Sym): { threshold: Aggregation['threshold']; measure: Aggregation['measure'] } | undefined {
  if (sym.kind !== 'call' || !(sym.fn in FLIPPED) || sym.args.length !== 2) return undefined;
  let [measureSym, limit] = sym.args as [Sym, Sym];
  let op = sym.fn as ThresholdOp;
  if (measureSym.kind === 'const') {
    [measureSym, limit] = [limit, measureSym];
    op = FLIPPED[op]!;
  }
  if (measureSym.kind !== 'measure' || limit.kind !== 'const' || !isNumber(limit.value)) return undefined;
  const value = Number(limit.value);
  if (measureSym.fn === 'count' && measureSym.args.length === 0) return { threshold: { op, value }, measure: { kind: 'count' } };
  const field = measureSym.args[0];
  if (['dcount', 'count_distinct'].includes(measureSym.fn) && field?.kind === 'column') return { threshold: { op, value }, measure: { kind: 'dcount', field: field.name } };
  return undefined;
}

function isNumber(v: unknown): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

/** What the rule computes beyond its filters: output columns that are neither table columns nor constants. */
function ruleLossy(plan: PlanNode, flows: Flow[], branchIndex: number, severityColumn: string | undefined): string[] {
  const computed = plan.schema
    .map((c, i) => ({ name: c.name, i }))
    .filter(({ i }) => i !== branchIndex && flows.some((f) => isComputed(f.columns[i]!)))
    .map(({ name }) => name);
  const notes: string[] = [];
  if (severityColumn && plan.schema.some((c) => c.name === severityColumn)) {
    notes.push(`the severity is computed per row (${severityColumn}); each branch carries the severity it has when no per-event condition raises it`);
  }
  const others = computed.filter((n) => n !== severityColumn);
  if (others.length > 0) notes.push(`output columns computed by the rule are not carried (targets return the matching events as they are): ${others.join(', ')}`);
  return notes;
}

function isComputed(sym: Sym): boolean {
  return !(sym.kind === 'column' || sym.kind === 'const');
}

// ───────────────────────────── names and spans ─────────────────────────────

/** `BulkFileStaging` → `bulk-file-staging`. */
export function slug(name: string): string {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .toLowerCase() || 'branch'
  );
}

function uniqueKey(base: string, taken: Set<string>): string {
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

/** Timespan ticks → `24h`, `90m`, `30s` (the largest unit that divides it). */
export function ticksText(ticks: bigint): string {
  const seconds = ticks / TICKS_PER_SECOND;
  if (seconds % 86_400n === 0n && seconds >= 86_400n * 2n) return `${seconds / 86_400n}d`;
  if (seconds % 3600n === 0n) return `${seconds / 3600n}h`;
  if (seconds % 60n === 0n) return `${seconds / 60n}m`;
  return `${seconds}s`;
}

