/**
 * The catalogue of built-in scalar functions, operators and aggregates.
 *
 * Built-ins are data: one entry per function. The binder reads `bind` to type a call (and to
 * report wrong arguments); the executor reads `prepare` / `create` to run it over column batches.
 * Both read the same entry, so a function's name, arity, types and behaviour live in one place.
 */
import type { ScalarType, Value } from '../values/types.js';

/** What is known about one argument when a call is bound and prepared. */
export interface ArgInfo {
  type: ScalarType;
  /** Present when the argument is a constant (a literal, a `let`-bound constant, a folded expression). */
  constant?: { value: Value };
  /**
   * Present when the argument is a type literal `typeof(T)` (extract's 4th argument, extract_json's
   * 3rd): the named type. The binder sets `type` to the same type.
   */
  typeLiteral?: ScalarType;
  /**
   * The column name when the argument is a plain column reference (bag_pack_columns keys its bag
   * by the argument columns' names).
   */
  columnName?: string;
}

export type BindResult = { type: ScalarType } | { error: string; argIndex?: number };

/** Per-query evaluation context: one fixed `now()` for the whole query, as Kusto does. */
export interface EvalContext {
  /** now() as datetime ticks (100 ns since the Unix epoch). */
  now: bigint;
}

/**
 * A row kernel: receives the argument values of one row (in a reused array) and returns the result.
 * The executor calls it for every row of a batch; `prepare` runs once per query, so constant
 * arguments (needle lists, regexes, formats) are decoded there, not per row.
 */
export type RowKernel = (args: Value[]) => Value;

export interface ScalarFunction {
  name: string;
  minArgs: number;
  maxArgs: number;
  bind(args: ArgInfo[]): BindResult;
  prepare(args: ArgInfo[], ctx: EvalContext): RowKernel;
  /**
   * False for functions whose value changes between calls with equal arguments within a query
   * (`rand()`); true (the default) lets the binder fold constant calls.
   */
  deterministic?: boolean;
}

/**
 * Aggregation state machine. `step` is called once per input row of the group with that row's
 * argument values; `finish` produces the group's value. `merge` combines two partial states
 * (for parallel partial aggregation).
 */
export interface Aggregator<S = unknown> {
  init(): S;
  step(state: S, args: Value[]): S;
  merge(a: S, b: S): S;
  /** One value, or for multi-output aggregates (`arg_max`, `arg_min`) one value per output. */
  finish(state: S): Value | Value[];
}

export interface AggregateFunction {
  name: string;
  minArgs: number;
  maxArgs: number;
  /** Result type(s): one for ordinary aggregates; `arg_max`/`arg_min` return one per argument. */
  bind(args: ArgInfo[]): BindResult | { types: ScalarType[] } ;
  create(args: ArgInfo[], ctx: EvalContext): Aggregator;
  /**
   * Kusto's automatic column-name prefix: `count` → `count_`, `make_set(X)` → `set_X`, `max(X)` → `max_X`.
   * The binder appends `_` + the first argument's name (or nothing) to it.
   */
  resultNamePrefix: string;
  /** True for `arg_max`/`arg_min`/`take_any`: several output columns (see `bind`). */
  multiOutput?: boolean;
  /**
   * Approximate bytes of a new state, for memory accounting (default 48: a number or a small
   * object). Sets and lists start larger; what they grow by is not counted.
   */
  stateBytes?: number;
  /**
   * How unnamed output columns are named (Kusto.Language's rules, checked with its binder):
   * - `'prefix'` (default): `<resultNamePrefix>_<arg 0 column name>`, or `<resultNamePrefix>_` when
   *   argument 0 is not a plain column (`count()` → `count_`, `min(tolower(s))` → `min_`).
   * - `'arguments'` (`take_any`, `arg_max`, `arg_min`): each output takes its argument's column name
   *   (`take_any(s)` → `s`, `arg_max(d, *)` → `d, …input columns`; clashes get `1`, `2` suffixes).
   *   An argument that is not a plain column is named `any_arg<i>` for take_any
   *   (`take_any(tolower(s))` → `any_arg0`) and, for arg_max/arg_min, output 0 is
   *   `<resultNamePrefix>_<arg0 name or empty>` and output i is `<resultNamePrefix>_<arg0 name>_arg<i>`
   *   (`arg_max(l, tolower(s))` → `l, max_l_arg1`).
   */
  outputNaming?: 'prefix' | 'arguments';
  /**
   * When present, the automatic name of output `outputIndex`, overriding `outputNaming` — for the
   * aggregates Kusto names otherwise: `percentile(x, 95)` → `percentile_x_95`, `percentiles(x, 50, 95)`
   * → `percentile_x_50, percentile_x_95`, `binary_all_or(x)` → `x`. `argNames[i]` is argument i's
   * column name when it is a plain column.
   */
  outputName?(outputIndex: number, argNames: readonly (string | undefined)[], args: readonly ArgInfo[]): string;
}

export class FunctionRegistry {
  private readonly scalars = new Map<string, ScalarFunction>();
  private readonly aggregates = new Map<string, AggregateFunction>();
  private readonly operators = new Map<string, ScalarFunction>();

  addScalar(fn: ScalarFunction, ...aliases: string[]): void {
    for (const name of [fn.name, ...aliases]) this.scalars.set(name, fn);
  }

  addAggregate(fn: AggregateFunction, ...aliases: string[]): void {
    for (const name of [fn.name, ...aliases]) this.aggregates.set(name, fn);
  }

  /**
   * Operators are scalar functions keyed by their KQL spelling: `==`, `+`, `has`, `!contains_cs`,
   * `matches regex`, `and`, `or`, unary minus as `neg`. List operators (`in`, `!in`, `in~`, `!in~`,
   * `has_any`, `has_all`) receive `[left, ...items]`; `between`/`!between` receive `[left, low, high]`.
   */
  addOperator(fn: ScalarFunction): void {
    this.operators.set(fn.name, fn);
  }

  operator(name: string): ScalarFunction | undefined {
    return this.operators.get(name);
  }

  /** Function names are case-sensitive in KQL (`tolower`, not `ToLower`). */
  scalar(name: string): ScalarFunction | undefined {
    return this.scalars.get(name);
  }

  aggregate(name: string): AggregateFunction | undefined {
    return this.aggregates.get(name);
  }

  scalarNames(): string[] {
    return [...this.scalars.keys()];
  }

  aggregateNames(): string[] {
    return [...this.aggregates.keys()];
  }
}
