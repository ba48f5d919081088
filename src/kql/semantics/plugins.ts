/**
 * `evaluate` plugins. `bag_unpack` turns the properties of a dynamic bag into columns; which columns
 * depends on the data, so unless the query declares them (`: (*, Name:type)`) the input is run once
 * while binding (see NeedsData) and the columns are those the bags really hold, sorted by name.
 */
import type * as Ast from '../syntax/ast.js';
import { type ColumnSchema, type DynamicValue, type ScalarType, type Schema, type Value, parseTypeName } from '../values/types.js';
import type { BagUnpackNode, BoundExpr, PlanNode } from './bound.js';
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
