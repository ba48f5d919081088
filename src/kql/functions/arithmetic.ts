/**
 * Arithmetic operators `+ - * / %`, unary minus (`neg`) and the logical `and`/`or`.
 *
 * Result types follow Kusto (verified with Kusto.Language): int op int → long, any real → real,
 * any decimal → decimal; datetime − datetime → timespan; datetime ± timespan → datetime;
 * timespan ± timespan → timespan; timespan × number → timespan; timespan / timespan → real;
 * timespan / number → timespan; timespan % timespan|number → timespan; a dynamic operand takes the
 * other side's numeric type (dynamic op dynamic → dynamic) or, next to a datetime/timespan, is read as
 * one (see temporalView). Kusto.Language also accepts oddities such as `datetime + datetime` or
 * `datetime * long`; the engine rejects those as meaningless [deliberate divergence].
 * Integer division truncates toward zero; `%` returns the small non-negative number 0 ≤ r < |D|
 * (numerical-operators docs). Integer division or modulo by zero gives null [UNCERTAIN: the engine
 * behaviour is undocumented]; reals follow IEEE (±Infinity, NaN). A datetime result outside
 * 0001–9999 is null.
 */
import type { BindResult, ScalarFunction } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { isNumericType, promoteNumeric } from '../values/types.js';
import { isValidDatetime } from '../values/datetime.js';
import { fromDynamic } from '../values/dynamic.js';
import { convertValue, defineScalar } from './common.js';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

/** Integer results are long even for int operands. */
function numericResult(a: ScalarType, b: ScalarType): ScalarType {
  const t = promoteNumeric(a, b);
  return t === 'int' ? 'long' : t;
}

/** The result type of `a op b`, or undefined when Kusto does not define the operator for these types. */
export function arithmeticResultType(op: ArithmeticOp, a: ScalarType, b: ScalarType): ScalarType | undefined {
  if (isNumericType(a) && isNumericType(b)) return numericResult(a, b);
  if (a === 'dynamic' && b === 'dynamic') return 'dynamic';
  if (a === 'dynamic' && isNumericType(b)) return numericResult('long', b);
  if (b === 'dynamic' && isNumericType(a)) return numericResult(a, 'long');
  const key = `${temporalView(a, b, op)}${op}${temporalView(b, a, op)}`;
  return TEMPORAL_RESULTS[key];
}

/**
 * How a dynamic operand next to a datetime/timespan is read (Kusto.Language types `d + dyn` as
 * datetime, `d - dyn` and `dyn - d` as timespan, `t ± dyn` as timespan): as a timespan, except that
 * subtracting from or subtracting a datetime reads it as a datetime.
 */
function temporalView(t: ScalarType, other: ScalarType, op: ArithmeticOp): ScalarType {
  if (t !== 'dynamic' || (op !== '+' && op !== '-') || (other !== 'datetime' && other !== 'timespan')) return t;
  return other === 'datetime' && op === '-' ? 'datetime' : 'timespan';
}

const TEMPORAL_RESULTS: Record<string, ScalarType> = {
  'datetime-datetime': 'timespan',
  'datetime+timespan': 'datetime',
  'datetime-timespan': 'datetime',
  'timespan+datetime': 'datetime',
  'timespan+timespan': 'timespan',
  'timespan-timespan': 'timespan',
  'timespan%timespan': 'timespan',
  'timespan/timespan': 'real',
};
for (const n of ['int', 'long', 'real', 'decimal']) {
  TEMPORAL_RESULTS[`timespan%${n}`] = 'timespan';
  TEMPORAL_RESULTS[`timespan*${n}`] = 'timespan';
  TEMPORAL_RESULTS[`${n}*timespan`] = 'timespan';
  TEMPORAL_RESULTS[`timespan/${n}`] = 'timespan';
}

/** Kusto modulo: 0 ≤ r < |d|. */
function floorModulo(n: number, d: number): number {
  const m = Math.abs(d);
  return n - m * Math.floor(n / m);
}

function integerKernel(op: ArithmeticOp): (x: number, y: number) => number | null {
  switch (op) {
    case '+': return (x, y) => x + y;
    case '-': return (x, y) => x - y;
    case '*': return (x, y) => x * y;
    case '/': return (x, y) => (y === 0 ? null : Math.trunc(x / y));
    case '%': return (x, y) => (y === 0 ? null : floorModulo(x, y));
  }
}

function realKernel(op: ArithmeticOp): (x: number, y: number) => number {
  switch (op) {
    case '+': return (x, y) => x + y;
    case '-': return (x, y) => x - y;
    case '*': return (x, y) => x * y;
    case '/': return (x, y) => x / y;
    case '%': return (x, y) => (y === 0 ? NaN : floorModulo(x, y));
  }
}

function validDatetime(ticks: bigint): bigint | null {
  return isValidDatetime(ticks) ? ticks : null;
}

/** timespan × number: exact for integers, rounded to the nearest tick otherwise. */
function scaleTicks(ticks: bigint, factor: number): bigint | null {
  if (!Number.isFinite(factor)) return null;
  if (Number.isInteger(factor)) return ticks * BigInt(factor);
  return BigInt(Math.round(Number(ticks) * factor));
}

function divideTicks(ticks: bigint, divisor: number): bigint | null {
  if (divisor === 0 || !Number.isFinite(divisor)) return null;
  if (Number.isInteger(divisor)) {
    const d = BigInt(divisor);
    const q = ticks / d;
    const twiceRemainder = 2n * (ticks - q * d);
    const absD = d < 0n ? -d : d;
    const absR = twiceRemainder < 0n ? -twiceRemainder : twiceRemainder;
    if (absR >= absD) return (ticks < 0n) !== (d < 0n) ? q - 1n : q + 1n; // round half away from zero
    return q;
  }
  return BigInt(Math.round(Number(ticks) / divisor));
}

/** timespan % number: the remainder in ticks of an integral divisor (truncated, as .NET `%`); 0 → null. */
function moduloTicks(ticks: bigint, divisor: number): bigint | null {
  if (!Number.isFinite(divisor) || Math.trunc(divisor) === 0) return null;
  return ticks % BigInt(Math.trunc(divisor));
}

type Binary = (a: Value, b: Value) => Value;

function temporalKernel(op: ArithmeticOp, a: ScalarType, b: ScalarType): Binary {
  const key = `${a}${op}${b}`;
  switch (key) {
    case 'datetime-datetime':
    case 'timespan-timespan':
      return (x, y) => (x as bigint) - (y as bigint);
    case 'datetime+timespan':
    case 'timespan+datetime':
      return (x, y) => validDatetime((x as bigint) + (y as bigint));
    case 'datetime-timespan':
      return (x, y) => validDatetime((x as bigint) - (y as bigint));
    case 'timespan+timespan':
      return (x, y) => (x as bigint) + (y as bigint);
    case 'timespan%timespan':
      return (x, y) => ((y as bigint) === 0n ? null : (x as bigint) % (y as bigint));
    case 'timespan/timespan':
      return (x, y) => Number(x as bigint) / Number(y as bigint);
  }
  if (a === 'timespan' && op === '%') return (x, y) => moduloTicks(x as bigint, y as number);
  if (a === 'timespan' && op === '*') return (x, y) => scaleTicks(x as bigint, y as number);
  if (b === 'timespan' && op === '*') return (x, y) => scaleTicks(y as bigint, x as number);
  return (x, y) => divideTicks(x as bigint, y as number); // timespan / number
}

function numericKernel(op: ArithmeticOp, a: ScalarType, b: ScalarType, result: ScalarType): Binary {
  const asNumber = (v: Value, t: ScalarType) => (t === 'dynamic' ? (fromDynamic(v as DynamicValue, 'real') as number | null) : (v as number));
  if (result === 'long' || result === 'int') {
    const f = integerKernel(op);
    return (x, y) => {
      const [p, q] = [asNumber(x, a), asNumber(y, b)];
      return p === null || q === null ? null : f(Math.trunc(p), Math.trunc(q));
    };
  }
  const f = realKernel(op);
  return (x, y) => {
    const [p, q] = [asNumber(x, a), asNumber(y, b)];
    return p === null || q === null ? null : f(p, q);
  };
}

/** Wraps a temporal kernel so that dynamic operands are first read as the datetime/timespan they stand for. */
function dynamicAsTemporal(kernel: Binary, a: ScalarType, b: ScalarType, op: ArithmeticOp): Binary {
  if (a !== 'dynamic' && b !== 'dynamic') return kernel;
  const [viewA, viewB] = [temporalView(a, b, op), temporalView(b, a, op)];
  const read = (v: Value, t: ScalarType, view: ScalarType) => (t === 'dynamic' ? fromDynamic(v as DynamicValue, view) : v);
  return (x, y) => {
    const [p, q] = [read(x, a, viewA), read(y, b, viewB)];
    return p === null || q === null ? null : kernel(p, q);
  };
}

function arithmeticOperator(op: ArithmeticOp): ScalarFunction {
  return defineScalar({
    name: op,
    minArgs: 2,
    maxArgs: 2,
    bind(args): BindResult {
      const [a, b] = [args[0]!.type, args[1]!.type];
      const type = arithmeticResultType(op, a, b);
      return type ? { type } : { error: `The operator '${op}' is not defined for the operand types ${a} and ${b}` };
    },
    prepare(args) {
      const [a, b] = [args[0]!.type, args[1]!.type];
      const result = arithmeticResultType(op, a, b)!;
      let kernel: Binary;
      if (result === 'dynamic') kernel = numericKernel(op, a, b, 'real');
      else if (isNumericType(result) && (isNumericType(a) || a === 'dynamic') && (isNumericType(b) || b === 'dynamic')) {
        kernel = numericKernel(op, a, b, result);
      } else kernel = dynamicAsTemporal(temporalKernel(op, temporalView(a, b, op), temporalView(b, a, op)), a, b, op);
      return ([x, y]) => (x === null || y === null ? null : kernel(x!, y!));
    },
  });
}

/** Unary minus, registered as `neg`. */
function negate(): ScalarFunction {
  const resultOf = (t: ScalarType): ScalarType | undefined =>
    t === 'int' ? 'long' : isNumericType(t) || t === 'timespan' || t === 'dynamic' ? t : undefined;
  return defineScalar({
    name: 'neg',
    minArgs: 1,
    maxArgs: 1,
    bind(args) {
      const type = resultOf(args[0]!.type);
      return type ? { type } : { error: `The operator '-' is not defined for the operand type ${args[0]!.type}` };
    },
    prepare(args) {
      const t = args[0]!.type;
      return ([x]) => {
        if (x === null) return null;
        if (t === 'timespan') return -(x as bigint);
        if (t === 'dynamic') {
          const n = fromDynamic(x as DynamicValue, 'real') as number | null;
          return n === null ? null : -n;
        }
        return -(x as number);
      };
    },
  });
}

/** `and` / `or` with Kusto's three-valued logic: null and false = false, null or true = true. */
function logical(name: 'and' | 'or'): ScalarFunction {
  const decisive = name === 'or';
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    bind(args) {
      const bad = args.find((a) => a.type !== 'bool' && a.type !== 'dynamic');
      return bad
        ? { error: `The operator '${name}' is not defined for the operand types ${args[0]!.type} and ${args[1]!.type}` }
        : { type: 'bool' };
    },
    prepare(args) {
      const types = args.map((a) => a.type);
      return (values) => {
        let sawNull = false;
        for (let i = 0; i < 2; i++) {
          const v = convertValue(values[i]!, types[i]!, 'bool');
          if (v === decisive) return decisive;
          if (v === null) sawNull = true;
        }
        return sawNull ? null : !decisive;
      };
    },
  });
}

export function arithmeticOperators(): ScalarFunction[] {
  return [...(['+', '-', '*', '/', '%'] as const).map(arithmeticOperator), negate(), logical('and'), logical('or')];
}
