/**
 * `evaluate` plugins. `bag_unpack` turns the properties of a dynamic bag into columns; which columns
 * depends on the data, so unless the query declares them (`: (*, Name:type)`) the input is run once
 * while binding (see NeedsData) and the columns are those the bags really hold, sorted by name.
 */
import type * as Ast from '../syntax/ast.js';
import { type ColumnSchema, type DynamicValue, type ScalarType, type Schema, type Value, parseTypeName } from '../values/types.js';
import type { ActivityWindowsNode, BagUnpackNode, BoundExpr, PlanNode } from './bound.js';
import { NameAllocator, expressionResultName } from './naming.js';
import { DCOUNT_INTERSECTION } from '../functions/sketches.js';
import type { TabularContext } from './operators.js';

/**
 * Thrown by the binder when an operator's schema depends on data: the caller runs `input`, hands the
 * rows to `resolve`, remembers the result under `key` (the syntax node) and binds the query again.
 */
export class NeedsData extends Error {
  constructor(
    readonly key: object,
    readonly input: PlanNode,
  ) {
    super('the output columns of this operator depend on the data');
  }
}

/** The rows an operator's input produced while binding, keyed by the operator's syntax node. */
export type ResolvedInputs = Map<object, Value[][]>;

type Conflict = 'error' | 'replace_source' | 'keep_source';

export function bindEvaluate(ctx: TabularContext, input: PlanNode, op: Ast.EvaluateOperator, resolved: ResolvedInputs | undefined): PlanNode {
  const plugin = op.call.name.name;
  if (LOOKUP_PLUGINS[plugin]) return bindLookupPlugin(ctx, input, op, LOOKUP_PLUGINS[plugin]);
  if (plugin === 'activity_counts_metrics' || plugin === 'sliding_window_counts') return bindActivityPlugin(ctx, input, op, plugin);
  if (plugin === 'dcount_intersect') return bindDcountIntersect(ctx, input, op);
  if (plugin !== 'bag_unpack') return ctx.fail('KB900', `The evaluate plugin '${plugin}' is not supported yet.`, op.call.name);
  const positional = op.call.args.filter((a) => a.kind !== 'NamedArgument');
  const named = new Map(op.call.args.flatMap((a) => (a.kind === 'NamedArgument' ? [[a.name.name, a.value] as const] : [])));
  const bagArg = positional[0];
  if (!bagArg) return ctx.fail('KB004', 'bag_unpack(): the first argument must be the dynamic column to unpack.', op.call);
  const bag = ctx.bindScalar(bagArg, input.schema);
  if (bag.type !== 'dynamic') ctx.fail('KB005', `bag_unpack(): the column must be dynamic, not ${bag.type}.`, bagArg);
  const constantText = (expr: Ast.Expression | undefined, what: string): string | undefined => {
    if (!expr) return undefined;
    const b = ctx.bindScalar(expr, []);
    if (b.kind !== 'Constant' || typeof b.value !== 'string') return ctx.fail('KB010', `bag_unpack(): ${what} must be a constant string.`, expr);
    return b.value;
  };
  const prefix = constantText(named.get('OutputColumnPrefix') ?? positional[1], 'the column prefix') ?? '';
  const conflict = (constantText(named.get('columnsConflict') ?? positional[2], 'columnsConflict') ?? 'error') as Conflict;
  if (!['error', 'replace_source', 'keep_source'].includes(conflict)) {
    ctx.fail('KB004', `bag_unpack(): columnsConflict must be error, replace_source or keep_source, not '${conflict}'.`, op.call);
  }
  const ignoredArg = named.get('ignoredProperties') ?? positional[3];
  const ignoredBound = ignoredArg ? ctx.bindScalar(ignoredArg, []) : undefined;
  const ignored = new Set(Array.isArray(ignoredBound?.kind === 'Constant' ? ignoredBound.value : null) ? ((ignoredBound as { value: DynamicValue[] }).value.map(String)) : []);
  const bagIndex = bag.kind === 'Column' ? bag.index : -1;
  const kept = input.schema.map((c, i) => ({ c, i })).filter(({ i }) => i !== bagIndex);

  const build = (source: PlanNode, properties: { key: string; type: ScalarType }[]): PlanNode => {
    const outputs: BagUnpackNode['outputs'] = kept.map(({ i }) => ({ from: 'input', index: i }));
    const schema: Schema = kept.map(({ c }) => c);
    for (const { key, type } of properties) {
      const name = prefix + key;
      const existing = schema.findIndex((c) => c.name === name);
      if (existing < 0) {
        outputs.push({ from: 'bag', key });
        schema.push({ name, type });
      } else if (conflict === 'replace_source') {
        outputs[existing] = { from: 'bag', key };
        schema[existing] = { name, type };
      } else if (conflict === 'error') {
        ctx.fail('KB006', `bag_unpack(): the property '${key}' clashes with the column '${name}' (use columnsConflict='replace_source' or 'keep_source').`, op.call);
      }
    }
    return { kind: 'BagUnpack', input: source, bag, outputs, schema };
  };

  if (op.outputSchema) return declaredOutput(ctx, input, op, bag, kept.map(({ c, i }) => ({ ...c, index: i })), prefix);
  const rows = resolved?.get(op);
  // The input already ran: its rows are read from memory rather than run a second time.
  if (rows) return build({ kind: 'Values', rows, schema: input.schema }, propertiesOf(rows, bag, ignored));
  throw new NeedsData(op, input);
}

/** `: (*, Name:type, …)` fixes the output: no need to look at the data. */
function declaredOutput(
  ctx: TabularContext,
  input: PlanNode,
  op: Ast.EvaluateOperator,
  bag: BoundExpr,
  kept: (ColumnSchema & { index: number })[],
  prefix: string,
): PlanNode {
  const declared = op.outputSchema!;
  const outputs: BagUnpackNode['outputs'] = [];
  const schema: Schema = [];
  if (declared.star) {
    const declaredNames = new Set(declared.columns.map((c) => c.name.name));
    for (const c of kept) {
      if (declaredNames.has(c.name)) continue;
      outputs.push({ from: 'input', index: c.index });
      schema.push({ name: c.name, type: c.type });
    }
  }
  for (const column of declared.columns) {
    const type = parseTypeName(column.typeName);
    if (!type) return ctx.fail('KB005', `Unknown type '${column.typeName}'.`, column.typeSpan);
    const key = column.name.name.startsWith(prefix) ? column.name.name.slice(prefix.length) : column.name.name;
    outputs.push({ from: 'bag', key });
    schema.push({ name: column.name.name, type });
  }
  return { kind: 'BagUnpack', input, bag, outputs, schema };
}

/** The properties found in the bags, sorted by name, each typed by the values it holds. */
function propertiesOf(rows: Value[][], bag: BoundExpr, ignored: Set<string>): { key: string; type: ScalarType }[] {
  const kinds = new Map<string, Set<ScalarType>>();
  if (bag.kind !== 'Column') return [];
  for (const row of rows) {
    const value = row[bag.index];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [key, v] of Object.entries(value as Record<string, DynamicValue>)) {
      if (ignored.has(key)) continue;
      const set = kinds.get(key) ?? new Set<ScalarType>();
      if (v !== null) set.add(kindOf(v));
      kinds.set(key, set);
    }
  }
  return [...kinds.keys()].sort().map((key) => {
    const types = [...kinds.get(key)!];
    return { key, type: types.length === 1 ? types[0]! : types.every((t) => t === 'long' || t === 'real') && types.length > 0 ? 'real' : 'dynamic' };
  });
}

function kindOf(v: DynamicValue): ScalarType {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
  return 'dynamic';
}

// ───────────── lookup plugins: a join on a predicate ─────────────

interface LookupPlugin {
  /** Positions (after the lookup table) of the lookup key column and of the left values used by the predicate. */
  keyAt: number;
  leftAt: number[];
  /**
   * The match test as a call: `ipv4_is_in_range(ip, network)`, `geo_point_in_polygon(lon, lat, polygon)`, …
   * (left argument references, then the lookup key column; `radius` when given).
   */
  predicate(radius: Ast.Expression | undefined): { fn: string; order: ('left0' | 'left1' | 'key' | 'radius')[]; compare?: string };
  /** Whether the lookup key column appears in the output without return_lookup_key=true. */
  keyShown: boolean;
}

const LOOKUP_PLUGINS: Record<string, LookupPlugin> = {
  ipv4_lookup: { keyAt: 1, leftAt: [0], keyShown: true, predicate: () => ({ fn: 'ipv4_is_in_range', order: ['left0', 'key'] }) },
  ipv6_lookup: { keyAt: 1, leftAt: [0], keyShown: true, predicate: () => ({ fn: 'ipv6_is_in_range', order: ['left0', 'key'] }) },
  geo_polygon_lookup: {
    keyAt: 0,
    leftAt: [1, 2],
    keyShown: false,
    predicate: (radius) => (radius
      ? { fn: 'geo_distance_point_to_polygon', order: ['left0', 'left1', 'key'], compare: '<=' }
      : { fn: 'geo_point_in_polygon', order: ['left0', 'left1', 'key'] }),
  },
  geo_line_lookup: {
    keyAt: 0,
    leftAt: [1, 2],
    keyShown: false,
    predicate: () => ({ fn: 'geo_distance_point_to_line', order: ['left0', 'left1', 'key'], compare: '<=' }),
  },
};

/**
 * `evaluate ipv4_lookup(Table, ip, network [, extra keys…] [, return_unmatched=true])` and the geo
 * lookups: each left row joined with the lookup rows its value falls in (a range, a polygon, near a line).
 */
function bindLookupPlugin(ctx: TabularContext, input: PlanNode, op: Ast.EvaluateOperator, plugin: LookupPlugin): PlanNode {
  const name = op.call.name.name;
  const positional = op.call.args.filter((a) => a.kind !== 'NamedArgument');
  const named = new Map(op.call.args.flatMap((a) => (a.kind === 'NamedArgument' ? [[a.name.name.toLowerCase(), a.value] as const] : [])));
  const [tableArg, ...rest] = positional;
  const keyArg = rest[plugin.keyAt];
  const leftExprs = plugin.leftAt.map((i) => rest[i]);
  if (!tableArg || !keyArg || leftExprs.some((e) => !e)) return ctx.fail('KB004', `${name}(): expected the lookup table, its key column and the value(s) to look up.`, op.call);
  const used = Math.max(plugin.keyAt, ...plugin.leftAt) + 1;
  const right = ctx.bindTabular(tableArg);
  const keyName = keyArg.kind === 'NameReference' ? keyArg.name : undefined;
  const keyIndex = keyName === undefined ? -1 : right.schema.findIndex((c) => c.name === keyName);
  if (keyIndex < 0) return ctx.fail('KB001', `${name}(): the lookup key must be a column of the lookup table.`, keyArg);
  const width = input.schema.length;
  const leftArgs = leftExprs.map((a) => ctx.bindScalar(a!, input.schema));
  const flag = (key: string, position: number) => {
    const e = named.get(key) ?? positional[position];
    if (!e) return false;
    const b = ctx.bindScalar(e, []);
    return b.kind === 'Constant' && b.value === true;
  };
  // ipv4/ipv6: extra positional arguments are further equality keys (left, right pairs of the same name).
  const extraKeys = name.startsWith('ip') ? rest.slice(used).filter((a) => a.kind === 'NameReference') as Ast.NameReference[] : [];
  const radiusArg = named.get('radius') ?? (name === 'geo_line_lookup' ? rest[used] : undefined);
  const spec = plugin.predicate(radiusArg);
  const keyRef: BoundExpr = { kind: 'Column', index: width + keyIndex, name: keyName!, type: right.schema[keyIndex]!.type };
  const args = spec.order.filter((o) => o !== 'radius').map((o) => (o === 'key' ? keyRef : leftArgs[o === 'left0' ? 0 : 1]!));
  let predicate = ctx.bindCall(spec.fn, args, op.call);
  if (spec.compare) {
    if (!radiusArg) return ctx.fail('KB004', `${name}(): radius is required.`, op.call);
    predicate = ctx.bindCall(spec.compare, [predicate, ctx.bindScalar(radiusArg, [])], op.call, true);
  }
  for (const extra of extraKeys) {
    const l = input.schema.findIndex((c) => c.name === extra.name);
    const r = right.schema.findIndex((c) => c.name === extra.name);
    if (l < 0 || r < 0) return ctx.fail('KB001', `${name}(): '${extra.name}' must be a column of both tables.`, extra);
    const equal = ctx.bindCall('==', [
      { kind: 'Column', index: l, name: extra.name, type: input.schema[l]!.type },
      { kind: 'Column', index: width + r, name: extra.name, type: right.schema[r]!.type },
    ], extra, true);
    predicate = ctx.bindCall('and', [predicate, equal], extra, true);
  }
  const showKey = plugin.keyShown || flag('return_lookup_key', -1);
  // return_unmatched may also be the first positional argument after the ones used (1 more for tables, past radius for lines).
  const keepUnmatched = flag('return_unmatched', 1 + used + (name === 'geo_line_lookup' ? 1 : 0));
  const outputs: { side: 'left' | 'right'; index: number }[] = input.schema.map((_, i) => ({ side: 'left', index: i }));
  const schema: Schema = [...input.schema];
  right.schema.forEach((c, i) => {
    if (i === keyIndex && !showKey) return;
    if (extraKeys.some((k) => k.name === c.name)) return;
    outputs.push({ side: 'right', index: i });
    schema.push(c);
  });
  return { kind: 'PredicateJoin', left: input, right, predicate, keepUnmatched, outputs, schema };
}

/**
 * `activity_counts_metrics(Id, Time, Start, End, Window [, dims…])` and
 * `sliding_window_counts(Id, Time, Start, End, Lookback, Bin [, dims…])`: output columns are the time
 * column (bin starts), the dimensions, then the counts (see exec/activity.ts).
 */
function bindActivityPlugin(ctx: TabularContext, input: PlanNode, op: Ast.EvaluateOperator, plugin: ActivityWindowsNode['plugin']): PlanNode {
  const sliding = plugin === 'sliding_window_counts';
  const args = op.call.args;
  const fixed = sliding ? 6 : 5;
  if (args.length < fixed || args.some((a) => a.kind === 'NamedArgument')) {
    const spans = sliding ? 'Lookback, Bin' : 'Window';
    return ctx.fail('KB004', `${plugin}(): expected IdColumn, TimelineColumn, Start, End, ${spans} [, dimensions…].`, op.call);
  }
  const id = ctx.bindScalar(args[0]!, input.schema);
  const time = ctx.bindScalar(args[1]!, input.schema);
  if (time.type !== 'datetime') ctx.fail('KB005', `${plugin}(): the timeline column must be a datetime, not ${time.type}.`, args[1]!);
  const constant = (i: number, type: 'datetime' | 'timespan'): bigint => {
    const b = ctx.bindScalar(args[i]!, []);
    if (b.kind !== 'Constant' || b.type !== type || b.value === null) return ctx.fail('KB010', `${plugin}(): argument ${i + 1} must be a constant ${type}.`, args[i]!);
    return b.value as bigint;
  };
  const [start, end] = [constant(2, 'datetime'), constant(3, 'datetime')];
  const lookback = sliding ? constant(4, 'timespan') : 0n;
  const bin = constant(sliding ? 5 : 4, 'timespan');
  if (bin <= 0n) ctx.fail('KB004', `${plugin}(): the bin size must be positive.`, args[sliding ? 5 : 4]!);
  const dimArgs = args.slice(fixed);
  const dims = dimArgs.map((a) => ctx.bindScalar(a, input.schema));
  const names = new NameAllocator();
  const schema: Schema = [
    { name: names.unique(expressionResultName(args[1]!) ?? 'Timestamp'), type: 'datetime' },
    ...dims.map((d, i) => ({ name: names.unique(expressionResultName(dimArgs[i]!) ?? names.invent()), type: d.type })),
    ...(sliding ? ['Count', 'Dcount'] : ['count', 'dcount', 'new_dcount', 'aggregated_dcount']).map((name) => ({ name: names.unique(name), type: 'long' as const })),
  ];
  return { kind: 'ActivityWindows', plugin, input, id, time, dims, start, end, bin, lookback, schema };
}

/** `dcount_intersect(h1, h2, …)`: the input columns and s0 … sN-1, si = distinct values in all of h1 … h(i+1). */
function bindDcountIntersect(ctx: TabularContext, input: PlanNode, op: Ast.EvaluateOperator): PlanNode {
  const args = op.call.args;
  if (args.length < 2 || args.length > 16 || args.some((a) => a.kind === 'NamedArgument')) {
    return ctx.fail('KB004', 'dcount_intersect(): expected 2 to 16 hll values.', op.call);
  }
  const sketches = args.map((a) => ctx.bindScalar(a, input.schema));
  sketches.forEach((h, i) => {
    if (h.type !== 'dynamic') ctx.fail('KB005', `dcount_intersect(): argument ${i + 1} must be an hll (dynamic), not ${h.type}.`, args[i]!);
  });
  const names = new NameAllocator(input.schema.map((c) => c.name));
  const exprs: BoundExpr[] = input.schema.map((c, index) => ({ kind: 'Column', index, name: c.name, type: c.type }));
  const schema: Schema = [...input.schema];
  sketches.forEach((_, i) => {
    exprs.push({ kind: 'Call', fn: DCOUNT_INTERSECTION, args: sketches.slice(0, i + 1), type: 'long', span: { start: op.call.start, end: op.call.end } });
    schema.push({ name: names.unique(`s${i}`), type: 'long' });
  });
  return { kind: 'Project', input, exprs, schema };
}
