/**
 * Binding of the tabular operators that reshape rows: join, lookup, mv-expand, parse, getschema.
 * Each takes the input plan and the operator's syntax and returns the plan node with its schema,
 * following Kusto.Language's naming (e.g. right-side columns that clash get `1`: `DeviceName1`).
 */
import type * as Ast from '../syntax/ast.js';
import { type ColumnSchema, type ScalarType, type Schema, type Value, parseTypeName } from '../values/types.js';
import type { AggregateSlot, BoundExpr, JoinKind, KeyValueMode, PlanNode, ValuesNode } from './bound.js';
import type { LetScope } from './scope.js';
import { NameAllocator, expressionResultName } from './naming.js';
import { columnIndex } from './scope.js';

/** What these binders need from the binder (kept narrow so they stay testable and short). */
export interface TabularContext {
  lets: LetScope;
  fail(code: string, message: string, span: Ast.Span): never;
  bindScalar(expr: Ast.Expression, schema: Schema): BoundExpr;
  bindTabular(expr: Ast.Expression): PlanNode;
  /** Binds operators over `source`, as a pipeline would (`source | op1 | op2`). */
  bindOperators(source: PlanNode, operators: Ast.QueryOperator[]): PlanNode;
  /** A registry function or operator applied to bound arguments (`operator` for `==`, `and`, …). */
  bindCall(name: string, args: BoundExpr[], span: Ast.Span, operator?: boolean): BoundExpr;
  /** An aggregate call's registry entry and bound arguments (for make-series). */
  bindAggregate(call: Ast.CallExpression, schema: Schema): { slot: AggregateSlot; type: ScalarType } | undefined;
}

const JOIN_KIND_ALIASES: Record<string, JoinKind> = {
  innerunique: 'innerunique',
  inner: 'inner',
  leftouter: 'leftouter',
  rightouter: 'rightouter',
  fullouter: 'fullouter',
  outer: 'fullouter',
  leftsemi: 'leftsemi',
  semi: 'leftsemi',
  leftanti: 'leftanti',
  anti: 'leftanti',
  leftantisemi: 'leftanti',
  rightsemi: 'rightsemi',
  rightanti: 'rightanti',
  rightantisemi: 'rightanti',
};

export function joinKindOf(ctx: TabularContext, parameters: Ast.OperatorParameter[], fallback: JoinKind): JoinKind {
  const given = parameters.find((p) => p.name.toLowerCase() === 'kind');
  if (!given) return fallback;
  const kind = JOIN_KIND_ALIASES[String(given.value).toLowerCase()];
  if (!kind) ctx.fail('KB004', `Unknown join kind '${String(given.value)}': use ${Object.keys(JOIN_KIND_ALIASES).join(', ')}.`, given);
  return kind;
}

/** `join` / `lookup`: keys from `on`, output columns named as Kusto names them. */
export function bindJoin(
  ctx: TabularContext,
  left: PlanNode,
  op: Ast.JoinOperator | Ast.LookupOperator,
  kind: JoinKind,
  lookup: boolean,
): PlanNode {
  if (lookup && kind !== 'leftouter' && kind !== 'inner') {
    ctx.fail('KB004', `lookup supports kind=leftouter (the default) and kind=inner, not '${kind}'.`, op);
  }
  const right = ctx.bindTabular(op.right);
  if (op.on.length === 0) ctx.fail('KB004', `${lookup ? 'lookup' : 'join'} needs 'on' with at least one key.`, op);
  const leftKeys: BoundExpr[] = [];
  const rightKeys: BoundExpr[] = [];
  const sameNameKeys = new Set<string>();
  for (const condition of op.on) {
    const l = sideColumn(ctx, condition.left, left.schema, right.schema, 'left');
    const r = sideColumn(ctx, condition.right, left.schema, right.schema, 'right');
    if (l.type !== r.type) {
      ctx.fail('KB005', `The common column '${l.name}' must have the same type on both sides of the join (${l.type} vs ${r.type}).`, condition);
    }
    if (l.name === r.name) sameNameKeys.add(l.name);
    leftKeys.push(l);
    rightKeys.push(r);
  }
  const outputs: { side: 'left' | 'right'; index: number }[] = [];
  const schema: Schema = [];
  const add = (side: 'left' | 'right', index: number, column: ColumnSchema) => {
    outputs.push({ side, index });
    schema.push(column);
  };
  if (kind === 'leftsemi' || kind === 'leftanti') {
    left.schema.forEach((c, i) => add('left', i, c));
  } else if (kind === 'rightsemi' || kind === 'rightanti') {
    right.schema.forEach((c, i) => add('right', i, c));
  } else {
    const names = new NameAllocator(left.schema.map((c) => c.name));
    left.schema.forEach((c, i) => add('left', i, c));
    right.schema.forEach((c, i) => {
      // lookup shows each same-name key once (the left one); join shows both (`k`, `k1`).
      if (lookup && sameNameKeys.has(c.name)) return;
      add('right', i, { name: names.unique(c.name), type: c.type });
    });
  }
  return { kind: 'Join', joinKind: kind, left, right, leftKeys, rightKeys, outputs, schema };
}

/** A key of one side: `X` (a column on both sides), `$left.X` or `$right.X`. */
function sideColumn(ctx: TabularContext, expr: Ast.Expression, leftSchema: Schema, rightSchema: Schema, position: 'left' | 'right'): BoundExpr & { name: string } {
  let side = position;
  let name: string | undefined;
  if (expr.kind === 'NameReference') name = expr.name;
  else if (expr.kind === 'MemberExpression' && expr.target.kind === 'NameReference' && /^\$(left|right)$/.test(expr.target.name)) {
    side = expr.target.name === '$left' ? 'left' : 'right';
    name = expr.member.name;
  }
  if (name === undefined) {
    return ctx.fail('KB004', 'A join key must be a column name, or $left.Column == $right.Column.', expr);
  }
  const schema = side === 'left' ? leftSchema : rightSchema;
  const index = columnIndex(schema, name);
  if (index < 0) {
    return ctx.fail('KB001', `The name '${name}' does not refer to any known column of the ${side} side of the join.`, expr);
  }
  return { kind: 'Column', index, name, type: schema[index]!.type };
}

/** `mv-expand`: expanded columns replace their source column (or are appended when newly named). */
export function bindMvExpand(ctx: TabularContext, input: PlanNode, op: Ast.MvExpandOperator): PlanNode {
  const param = (name: string) => op.parameters.find((p) => p.name.toLowerCase() === name)?.value;
  const bagParam = String(param('bagexpansion') ?? param('kind') ?? 'bag').toLowerCase();
  if (bagParam !== 'bag' && bagParam !== 'array') ctx.fail('KB004', `mv-expand: bagexpansion must be bag or array, not '${bagParam}'.`, op);
  const schema: Schema = [...input.schema];
  const carried = input.schema.map((_, i) => i);
  const expansions = op.columns.map(({ column, toTypeName }) => {
    const expr = ctx.bindScalar(column.expression, input.schema);
    if (expr.type !== 'dynamic') ctx.fail('KB005', 'mv-expand: the expression must have the type dynamic.', column.expression);
    let type: ScalarType = 'dynamic';
    if (toTypeName !== undefined) {
      const parsed = parseTypeName(toTypeName);
      if (!parsed) ctx.fail('KB005', `Unknown type '${toTypeName}'.`, column);
      type = parsed;
    }
    const name = column.names[0]?.name ?? expressionResultName(column.expression);
    if (name === undefined) return ctx.fail('KB004', 'mv-expand: name the expanded expression (Name = expression).', column);
    let outputIndex = columnIndex(schema, name);
    if (outputIndex >= 0) {
      schema[outputIndex] = { name, type };
      carried[outputIndex] = -1;
    } else {
      outputIndex = schema.length;
      schema.push({ name, type });
      carried.push(-1);
    }
    return { expr, outputIndex, type };
  });
  let itemIndexColumn = -1;
  const indexName = param('with_itemindex');
  if (indexName !== undefined) {
    itemIndexColumn = schema.length;
    schema.push({ name: String(indexName), type: 'long' });
    carried.push(-1);
  }
  let limit = Number.MAX_SAFE_INTEGER;
  if (op.limit) {
    const bound = ctx.bindScalar(op.limit, []);
    if (bound.kind !== 'Constant' || typeof bound.value !== 'number') ctx.fail('KB010', 'mv-expand: limit must be a constant number.', op.limit);
    limit = bound.value as number;
  }
  return { kind: 'MvExpand', input, carried, expansions, bagExpansion: bagParam as 'bag' | 'array', itemIndexColumn, limit, schema };
}

/** Regular-expression pieces for typed captures in `kind=simple` (strict) parsing. */
const TYPED_CAPTURE: Partial<Record<ScalarType, string>> = {
  int: '\\-?\\d+',
  long: '\\-?\\d+',
  real: '\\-?\\d+(?:\\.\\d*)?(?:[eE][+\\-]?\\d+)?',
  decimal: '\\-?\\d+(?:\\.\\d*)?',
  bool: 'true|false|True|False|TRUE|FALSE|1|0',
};

/**
 * `parse` / `parse-where`: the pattern becomes one RE2 expression anchored at the start, as the
 * docs describe its translation (`*` → `.*?`, a string column → `(.*?)`, a long → `(\-\d+)`); a
 * string column that ends the pattern takes the rest of the text.
 */
export function bindParse(ctx: TabularContext, input: PlanNode, op: Ast.ParseOperator): PlanNode {
  const param = (name: string) => op.parameters.find((p) => p.name.toLowerCase() === name)?.value;
  const kind = String(param('kind') ?? 'simple').toLowerCase();
  if (!['simple', 'regex', 'relaxed'].includes(kind)) ctx.fail('KB004', `parse: kind must be simple, regex or relaxed, not '${kind}'.`, op);
  const flags = String(param('flags') ?? '');
  const source = ctx.bindScalar(op.source, input.schema);
  const schema: Schema = [...input.schema];
  const carried = input.schema.map((_, i) => i);
  const captures: { outputIndex: number; type: ScalarType }[] = [];
  let regex = '^';
  const lastIndex = op.pattern.length - 1;
  for (const [i, part] of op.pattern.entries()) {
    if (part.kind === 'text') regex += kind === 'regex' ? part.value : escapeRegex(part.value);
    // In regex mode Kusto's `*` and string captures are greedy (`flags=U` makes them lazy), as the
    // docs examples' outputs show; in simple and relaxed modes they are lazy.
    else if (part.kind === 'star') regex += kind === 'regex' ? '.*' : '.*?';
    else {
      const type = part.typeName ? parseTypeName(part.typeName) : 'string';
      if (!type) return ctx.fail('KB005', `Unknown type '${part.typeName}'.`, part.name);
      // A string capture that ends the pattern takes the rest of the text.
      const untyped = kind === 'regex' || i === lastIndex ? '.*' : '.*?';
      const typed = TYPED_CAPTURE[type];
      // Relaxed mode prefers text of the column's type but takes anything (then null) to keep matching.
      const body = !typed ? untyped : kind === 'relaxed' ? `${typed}|${untyped}` : typed;
      // Named groups: a regex-mode pattern may hold groups of its own, which must not shift ours.
      regex += `(?P<c${captures.length}>${body})`;
      let outputIndex = columnIndex(schema, part.name.name);
      if (outputIndex >= 0) {
        schema[outputIndex] = { name: part.name.name, type };
        carried[outputIndex] = -1;
      } else {
        outputIndex = schema.length;
        schema.push({ name: part.name.name, type });
        carried.push(-1);
      }
      captures.push({ outputIndex, type });
    }
  }
  return { kind: 'Parse', input, source, regex, flags, captures, carried, dropUnmatched: op.where, strictTypes: kind !== 'relaxed', schema };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `getschema`: one row per column, as Kusto returns it. */
export function getSchemaOf(input: PlanNode): PlanNode {
  const rows: Value[][] = input.schema.map((c, i) => [c.name, i, `System.${DOTNET_TYPE_NAMES[c.type]}`, c.type]);
  const schema: Schema = [
    { name: 'ColumnName', type: 'string' },
    { name: 'ColumnOrdinal', type: 'long' },
    { name: 'DataType', type: 'string' },
    { name: 'ColumnType', type: 'string' },
  ];
  return { kind: 'Values', rows, schema };
}

const DOTNET_TYPE_NAMES: Record<ScalarType, string> = {
  bool: 'SByte',
  int: 'Int32',
  long: 'Int64',
  real: 'Double',
  decimal: 'Data.SqlTypes.SqlDecimal',
  string: 'String',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  guid: 'Guid',
  dynamic: 'Object',
};

/** `mv-apply`: expansions as in mv-expand, then the sub-query over each row's expanded sub-table. */
export function bindMvApply(ctx: TabularContext, input: PlanNode, op: Ast.MvApplyOperator): PlanNode {
  const param = (name: string) => op.parameters.find((p) => p.name.toLowerCase() === name)?.value;
  const carried = input.schema.map((_, i) => i);
  const subSchema: Schema = [];
  const expansions = op.columns.map(({ column, toTypeName }) => {
    const expr = ctx.bindScalar(column.expression, input.schema);
    if (expr.type !== 'dynamic') ctx.fail('KB005', 'mv-apply: the expression must have the type dynamic.', column.expression);
    const type: ScalarType = toTypeName === undefined ? 'dynamic' : (parseTypeName(toTypeName) ?? ctx.fail('KB005', `Unknown type '${toTypeName}'.`, column));
    const given = column.names[0]?.name;
    const name = given ?? expressionResultName(column.expression);
    if (name === undefined) return ctx.fail('KB004', 'mv-apply: name the expanded expression (Name = expression).', column);
    // A column expanded under its own name leaves the input; a renamed one stays.
    if (given === undefined && expr.kind === 'Column') carried.splice(carried.indexOf(expr.index), 1);
    subSchema.push({ name, type });
    return { expr, type };
  });
  const itemIndex = param('with_itemindex');
  if (itemIndex !== undefined) subSchema.push({ name: String(itemIndex), type: 'long' });
  let limit = Number.MAX_SAFE_INTEGER;
  if (op.limit) {
    const bound = ctx.bindScalar(op.limit, []);
    if (bound.kind !== 'Constant' || typeof bound.value !== 'number') ctx.fail('KB010', 'mv-apply: limit must be a constant number.', op.limit);
    limit = bound.value as number;
  }
  // The sub-table holds the row's other columns too (Kusto.Language scopes them in the sub-query).
  const source: ValuesNode = { kind: 'Values', rows: [], schema: [...carried.map((i) => input.schema[i]!), ...subSchema] };
  const subquery = ctx.bindOperators(source, op.subquery);
  // Output: the row's carried columns (the sub-query's value where it returns a column of that name),
  // then the sub-query's other columns.
  const carriedFromSubquery = carried.map((i) => subquery.schema.findIndex((c) => c.name === input.schema[i]!.name));
  const subqueryExtra = subquery.schema.map((_, j) => j).filter((j) => !carriedFromSubquery.includes(j));
  const names = new NameAllocator();
  const schema: Schema = [
    ...carried.map((i, k) => ({ name: names.unique(input.schema[i]!.name), type: (subquery.schema[carriedFromSubquery[k]!] ?? input.schema[i]!).type })),
    ...subqueryExtra.map((j) => ({ name: names.unique(subquery.schema[j]!.name), type: subquery.schema[j]!.type })),
  ];
  return {
    kind: 'MvApply', input, carried, carriedFromSubquery, subqueryExtra, expansions, withItemIndex: itemIndex !== undefined, limit, source, subquery, schema,
  };
}

/** `make-series`: aggregates per bin of the axis, arrays out; output columns are by-columns, aggregates, axis. */
export function bindMakeSeries(ctx: TabularContext, input: PlanNode, op: Ast.MakeSeriesOperator): PlanNode {
  const kind = String(op.parameters.find((p) => p.name.toLowerCase() === 'kind')?.value ?? '').toLowerCase();
  const names = new NameAllocator();
  const keys: BoundExpr[] = [];
  const schema: Schema = [];
  for (const column of op.by) {
    const expr = ctx.bindScalar(column.expression, input.schema);
    keys.push(expr);
    schema.push({ name: names.unique(column.names[0]?.name ?? expressionResultName(column.expression) ?? names.invent()), type: expr.type });
  }
  const aggregates: AggregateSlot[] = [];
  const defaults: Value[] = [];
  for (const { column, defaultValue } of op.aggregates) {
    const expr = column.expression;
    const bound = expr.kind === 'CallExpression' ? ctx.bindAggregate(expr, input.schema) : undefined;
    let slot: AggregateSlot;
    let type: ScalarType;
    if (bound) ({ slot, type } = bound);
    else {
      // A plain expression (`other = -1`) takes its value in every bin that has rows.
      const call: Ast.CallExpression = { kind: 'CallExpression', name: { kind: 'Identifier', name: 'take_any', start: expr.start, end: expr.end }, args: [expr], start: expr.start, end: expr.end };
      ({ slot, type } = ctx.bindAggregate(call, input.schema)!);
    }
    aggregates.push(slot);
    const fallback = defaultValue ? ctx.bindScalar(defaultValue, []) : undefined;
    if (fallback && fallback.kind !== 'Constant') ctx.fail('KB010', 'make-series: default must be a constant.', defaultValue!);
    defaults.push(fallback ? (fallback as { value: Value }).value : type === 'string' ? '' : 0);
    const name = column.names[0]?.name ?? (expr.kind === 'CallExpression' ? `${slot.fn.resultNamePrefix}_${expressionResultName(expr.args[0] ?? expr) ?? ''}` : expressionResultName(expr) ?? names.invent());
    schema.push({ name: names.unique(name), type: 'dynamic' });
  }
  const axis = ctx.bindScalar(op.axis, input.schema);
  if (!['datetime', 'timespan', 'long', 'int', 'real', 'decimal'].includes(axis.type)) {
    ctx.fail('KB005', `make-series: the axis must be a datetime, timespan or number, not ${axis.type}.`, op.axis);
  }
  const constant = (e: Ast.Expression | undefined, what: string): Value => {
    if (!e) return null;
    const b = ctx.bindScalar(e, []);
    if (b.kind !== 'Constant') return ctx.fail('KB010', `make-series: ${what} must be a constant.`, e);
    return b.value;
  };
  const step = constant(op.step, 'step');
  if (step === null) ctx.fail('KB004', 'make-series needs step.', op);
  schema.push({ name: names.unique(expressionResultName(op.axis) ?? names.invent()), type: 'dynamic' });
  return {
    kind: 'MakeSeries', input, keys, aggregates, defaults, axis,
    from: constant(op.from, 'from'), to: constant(op.to, 'to'), step, nonempty: kind === 'nonempty', schema,
  };
}

/** `parse-kv`: the listed keys become typed columns (replacing same-named input columns). */
export function bindParseKv(ctx: TabularContext, input: PlanNode, op: Ast.ParseKvOperator): PlanNode {
  const source = ctx.bindScalar(op.source, input.schema);
  const property = (name: string) => op.properties.find((p) => p.name.toLowerCase() === name)?.value;
  const text = (name: string) => {
    const v = property(name);
    return v === undefined ? undefined : String(v);
  };
  const quoteText = text('quote');
  const quote: [string, string] | undefined = quoteText === undefined || quoteText === '' ? undefined : [quoteText[0]!, quoteText[1] ?? quoteText[0]!];
  const escape = text('escape');
  let mode: KeyValueMode;
  const regex = text('regex');
  if (regex !== undefined) mode = { kind: 'regex', regex };
  else if (text('pair_delimiter') !== undefined || text('kv_delimiter') !== undefined) {
    const greedy = property('greedy') === true || text('greedy')?.toLowerCase() === 'true';
    mode = { kind: 'delimited', pair: text('pair_delimiter') ?? ' ', kv: text('kv_delimiter') ?? '=', quote, escape, greedy };
  } else mode = { kind: 'auto', quote, escape };
  const schema: Schema = [...input.schema];
  const carried = input.schema.map((_, i) => i);
  const keys = op.columns.map((c) => {
    const type = parseTypeName(c.typeName);
    if (!type) return ctx.fail('KB005', `Unknown type '${c.typeName}'.`, c.typeSpan);
    let outputIndex = schema.findIndex((s) => s.name === c.name.name);
    if (outputIndex >= 0) {
      schema[outputIndex] = { name: c.name.name, type };
      carried[outputIndex] = -1;
    } else {
      outputIndex = schema.push({ name: c.name.name, type }) - 1;
      carried.push(-1);
    }
    return { key: c.name.name, outputIndex, type };
  });
  return { kind: 'ParseKv', input, source, keys, carried, mode, schema };
}

/**
 * `top-nested`: per level, the values of `of` (within the outer levels' values) with the highest (or
 * lowest, `asc`) aggregate. Output per level: the value column and `aggregated_<name>`.
 */
export function bindTopNested(ctx: TabularContext, input: PlanNode, op: Ast.TopNestedOperator): PlanNode {
  const names = new NameAllocator();
  const schema: Schema = [];
  const levels = op.levels.map((level) => {
    const of = ctx.bindScalar(level.of.expression, input.schema);
    const ofName = level.of.names[0]?.name ?? expressionResultName(level.of.expression) ?? names.invent();
    const call = level.by.expression;
    const bound = call.kind === 'CallExpression' ? ctx.bindAggregate(call, input.schema) : undefined;
    if (!bound) return ctx.fail('KB004', 'top-nested: by must be an aggregate such as count() or dcount(x).', level.by);
    let count = Number.MAX_SAFE_INTEGER;
    if (level.count) {
      const c = ctx.bindScalar(level.count, []);
      if (c.kind !== 'Constant' || typeof c.value !== 'number') ctx.fail('KB010', 'top-nested: the count must be a constant number.', level.count);
      count = c.value as number;
    }
    let others: Value | undefined;
    if (level.others) {
      const o = ctx.bindScalar(level.others, []);
      if (o.kind !== 'Constant') ctx.fail('KB010', 'top-nested: with others = must be a constant.', level.others);
      others = o.value;
    }
    schema.push({ name: names.unique(ofName), type: of.type });
    schema.push({ name: names.unique(level.by.names[0]?.name ?? `aggregated_${ofName}`), type: bound.type });
    return { of, aggregate: bound.slot, count, descending: level.order !== 'asc', ...(others !== undefined ? { others } : {}) };
  });
  return { kind: 'TopNested', input, levels, schema };
}
