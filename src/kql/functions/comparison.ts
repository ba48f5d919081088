/**
 * Comparison operators: `== != <> < <= > >=`, `=~ !~`, `between`/`!between`.
 *
 * Which operand types compare (checked against Kusto.Language): `==`/`!=` accept any pair of types;
 * orderings accept numbers with numbers and bools (bool reads as 0/1), datetime/timespan/bool with
 * themselves, and dynamic with numbers. Strings and guids compare for equality only. A dynamic side
 * is read as the other side's type; for equality a string is converted to datetime/timespan/guid.
 * Values of kinds that cannot be converted to one another (e.g. `1 == "1"`) are simply unequal.
 * Nulls: `==` with one null operand is false, `!=` true; with two nulls both are null; ordering with
 * a null is null (kql-semantics.md §3, null-values docs). NaN is unordered: every ordering is false.
 */
import type { BindResult, ScalarFunction } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { isNumericType } from '../values/types.js';
import { compareDynamic, dynamicEquals } from '../values/dynamic.js';
import { asciiLower, constantValue, convertValue, defineScalar, STRING_OR_DYNAMIC, checkArgs, textOf } from './common.js';
import { textTest } from './text-match.js';

/** Orders two non-null values: negative, zero, positive, or NaN when unordered. */
type Order = (a: Value, b: Value) => number;

interface ComparisonPlan {
  /** Type both operands are converted to before comparing. */
  leftAs: ScalarType;
  rightAs: ScalarType;
  order: Order;
  orderable: boolean;
}

const numberOrder: Order = (a, b) => {
  const x = a as number;
  const y = b as number;
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
};
const bigintOrder: Order = (a, b) => ((a as bigint) < (b as bigint) ? -1 : (a as bigint) > (b as bigint) ? 1 : 0);
const boolOrder: Order = (a, b) => Number(a) - Number(b);
const textOrder: Order = (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
const dynamicOrder: Order = (a, b) => {
  if (dynamicEquals(a as DynamicValue, b as DynamicValue)) return 0;
  return compareDynamic(a as DynamicValue, b as DynamicValue) ?? NaN;
};

function sameTypePlan(t: ScalarType): ComparisonPlan {
  switch (t) {
    case 'datetime':
    case 'timespan':
      return { leftAs: t, rightAs: t, order: bigintOrder, orderable: true };
    case 'bool':
      return { leftAs: t, rightAs: t, order: boolOrder, orderable: true };
    case 'string':
    case 'guid':
      return { leftAs: t, rightAs: t, order: textOrder, orderable: false };
    case 'dynamic':
      return { leftAs: t, rightAs: t, order: dynamicOrder, orderable: true };
    default:
      return { leftAs: t, rightAs: t, order: numberOrder, orderable: true };
  }
}

/** How two operand types compare, or undefined when Kusto rejects the comparison. */
export function comparisonPlan(left: ScalarType, right: ScalarType, equality: boolean): ComparisonPlan | undefined {
  const numberLike = (t: ScalarType) => isNumericType(t) || t === 'bool';
  if (isNumericType(left) && isNumericType(right)) return { leftAs: 'real', rightAs: 'real', order: numberOrder, orderable: true };
  if (left !== right && numberLike(left) && numberLike(right)) return { leftAs: 'real', rightAs: 'real', order: numberOrder, orderable: true };
  if (left === right) {
    const plan = sameTypePlan(left);
    return plan.orderable || equality ? plan : undefined;
  }
  if (left === 'dynamic' || right === 'dynamic') {
    const other = left === 'dynamic' ? right : left;
    const target: ScalarType = isNumericType(other) ? 'real' : other;
    if (!equality && !isNumericType(other)) return undefined;
    return { ...sameTypePlan(target), leftAs: target, rightAs: target };
  }
  if (!equality) return undefined;
  const converts = (from: ScalarType, to: ScalarType) => from === 'string' && (to === 'datetime' || to === 'timespan' || to === 'guid');
  if (converts(left, right)) return { ...sameTypePlan(right), leftAs: right, rightAs: right };
  if (converts(right, left)) return { ...sameTypePlan(left), leftAs: left, rightAs: left };
  return UNRELATED_EQUALITY;
}

/** Equality between unrelated kinds (`1 == "1"`, `datetime == long`): Kusto.Language accepts it; never equal. */
const UNRELATED_EQUALITY: ComparisonPlan = { leftAs: 'dynamic', rightAs: 'dynamic', order: () => NaN, orderable: false };

type Verdict = (order: number) => boolean;

interface ComparisonOperator {
  name: string;
  equality: boolean;
  verdict: Verdict;
  /** Result when exactly one operand is null (`==` false, `!=` true, orderings null). */
  oneNull: boolean | null;
}

const COMPARISONS: ComparisonOperator[] = [
  { name: '==', equality: true, verdict: (o) => o === 0, oneNull: false },
  { name: '!=', equality: true, verdict: (o) => o !== 0, oneNull: true },
  { name: '<>', equality: true, verdict: (o) => o !== 0, oneNull: true },
  { name: '<', equality: false, verdict: (o) => o < 0, oneNull: null },
  { name: '<=', equality: false, verdict: (o) => o <= 0, oneNull: null },
  { name: '>', equality: false, verdict: (o) => o > 0, oneNull: null },
  { name: '>=', equality: false, verdict: (o) => o >= 0, oneNull: null },
];

function operandError(op: string, types: ScalarType[]): BindResult {
  return { error: `The operator '${op}' is not defined for the operand types ${types.join(' and ')}` };
}

function comparisonOperator(op: ComparisonOperator): ScalarFunction {
  return defineScalar({
    name: op.name,
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      const plan = comparisonPlan(args[0]!.type, args[1]!.type, op.equality);
      return plan ? { type: 'bool' } : operandError(op.name, [args[0]!.type, args[1]!.type]);
    },
    prepare(args) {
      const [l, r] = [args[0]!.type, args[1]!.type];
      const plan = comparisonPlan(l, r, op.equality)!;
      // Operands already of the compared type (the common case) are not converted per row.
      const asLeft = l === plan.leftAs ? (v: Value) => v : (v: Value) => convertValue(v, l, plan.leftAs);
      const asRight = r === plan.rightAs ? (v: Value) => v : (v: Value) => convertValue(v, r, plan.rightAs);
      return ([a, b]) => {
        const x = a === null ? null : asLeft(a!);
        const y = b === null ? null : asRight(b!);
        if (x === null || y === null) return x === null && y === null ? null : op.oneNull;
        return op.verdict(plan.order(x, y));
      };
    },
  });
}

/** `=~` / `!~`: ASCII case-insensitive string equality. */
function foldedEquality(name: string, negate: boolean): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      return checkArgs(name, args, [STRING_OR_DYNAMIC, STRING_OR_DYNAMIC]) ? operandError(name, args.map((a) => a.type)) : { type: 'bool' };
    },
    prepare(args) {
      const [l, r] = [args[0]!.type, args[1]!.type];
      const constant = constantValue(args[1]);
      if (constant !== undefined) {
        const equals = textTest('equals', textOf(constant, r), false);
        return ([a]) => equals(typeof a === 'string' ? a : textOf(a!, l)) !== negate;
      }
      return ([a, b]) => (asciiLower(textOf(a!, l)) === asciiLower(textOf(b!, r))) !== negate;
    },
  });
}

/** Types `between` accepts for [x, low, high]: numbers (dynamic bounds read as numbers); datetime with datetime or timespan bounds; timespans. */
function betweenBoundsOk(x: ScalarType, low: ScalarType, high: ScalarType): boolean {
  const numberOrDynamic = (t: ScalarType) => isNumericType(t) || t === 'dynamic';
  if (isNumericType(x)) return numberOrDynamic(low) && numberOrDynamic(high);
  if (x === 'datetime') return low === 'datetime' && (high === 'datetime' || high === 'timespan');
  if (x === 'timespan') return low === 'timespan' && high === 'timespan';
  if (x === 'dynamic') return isNumericType(low) && isNumericType(high);
  return false;
}

/** `x between (low .. high)`: inclusive; a timespan upper bound of a datetime range means low + span. */
function betweenOperator(name: string, negate: boolean): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 3,
    maxArgs: 3,
    bind(args) {
      const types = args.map((a) => a.type);
      return betweenBoundsOk(types[0]!, types[1]!, types[2]!) ? { type: 'bool' } : operandError(name, types);
    },
    prepare(args) {
      const xType = args[0]!.type;
      const highIsSpan = xType === 'datetime' && args[2]!.type === 'timespan';
      const numeric = xType !== 'datetime' && xType !== 'timespan';
      const [lowType, highType] = [args[1]!.type, args[2]!.type];
      return ([x, low, high]) => {
        if (x === null || low === null || high === null) return null;
        if (numeric) {
          const v = convertValue(x!, xType, 'real') as number | null;
          const lo = convertValue(low!, lowType, 'real') as number | null;
          const hi = convertValue(high!, highType, 'real') as number | null;
          if (v === null || lo === null || hi === null) return null;
          return (v >= lo && v <= hi) !== negate;
        }
        const upper = highIsSpan ? (low as bigint) + (high as bigint) : (high as bigint);
        return ((x as bigint) >= (low as bigint) && (x as bigint) <= upper) !== negate;
      };
    },
  });
}

export function comparisonOperators(): ScalarFunction[] {
  return [
    ...COMPARISONS.map(comparisonOperator),
    foldedEquality('=~', false),
    foldedEquality('!~', true),
    betweenOperator('between', false),
    betweenOperator('!between', true),
  ];
}
