/**
 * Element-wise series functions: arithmetic (series_add, …, series_pow), comparisons
 * (series_greater, …) and one-argument math (series_abs, series_log, …).
 *
 * Binary functions take two series, or a series and a number broadcast to its length (Kusto.Language
 * signatures (dynamic, dynamic), (dynamic, number), (number, dynamic)). Two series of different
 * lengths give a result as long as the longer one; "any non-numeric element or non-existing element
 * (arrays of different sizes) yields a null element value" (series_add docs).
 */
import type { ArgInfo, BindResult, ScalarFunction } from '../registry.js';
import type { DynamicValue } from '../../values/types.js';
import { checkArgs, defineScalar } from '../common.js';
import { SERIES, SERIES_OR_NUMBER, type SeriesElement, operandAt, operandLength, operandOf, seriesOf } from './series-values.js';

type BinaryOp = (a: number, b: number) => DynamicValue;

function bindBinary(name: string, args: ArgInfo[]): BindResult {
  const err = checkArgs(name, args, [SERIES_OR_NUMBER, SERIES_OR_NUMBER]);
  if (err) return err;
  if (args[0]!.type !== 'dynamic' && args[1]!.type !== 'dynamic') {
    return { error: `${name}(): at least one argument must be a dynamic array (series)`, argIndex: 0 };
  }
  return { type: 'dynamic' };
}

/** Combines two operands element by element; null when a dynamic argument is not an array. */
export function combineSeries(left: ReturnType<typeof operandOf>, right: ReturnType<typeof operandOf>, op: BinaryOp): DynamicValue {
  if (left === null || right === null) return null;
  const length = Math.max(operandLength(left) ?? 0, operandLength(right) ?? 0);
  const out: DynamicValue[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const [a, b] = [operandAt(left, i), operandAt(right, i)];
    out[i] = a === null || b === null ? null : op(a, b);
  }
  return out;
}

function binarySeriesFunction(name: string, op: BinaryOp): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    bind: (args) => bindBinary(name, args),
    prepare(args) {
      const [leftType, rightType] = [args[0]!.type, args[1]!.type];
      return ([a, b]) => combineSeries(operandOf(a!, leftType), operandOf(b!, rightType), op);
    },
  });
}

/** Maps each numeric element; missing elements stay null. */
export function mapSeries(series: readonly SeriesElement[], f: (x: number) => number): DynamicValue[] {
  return series.map((x) => (x === null ? null : f(x)));
}

function unarySeriesFunction(name: string, f: (x: number) => number): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 1,
    maxArgs: 1,
    bind: (args) => checkArgs(name, args, [SERIES]) ?? { type: 'dynamic' },
    prepare: () => ([s]) => {
      const series = seriesOf(s!);
      return series === null ? null : mapSeries(series, f);
    },
  });
}

export function elementwiseFunctions(): ScalarFunction[] {
  return [
    binarySeriesFunction('series_add', (a, b) => a + b),
    binarySeriesFunction('series_subtract', (a, b) => a - b),
    binarySeriesFunction('series_multiply', (a, b) => a * b),
    // series_divide docs: [1,2,4] / [4,2,1] = [0.25,1.0,4.0] — real division even for integers.
    binarySeriesFunction('series_divide', (a, b) => a / b),
    binarySeriesFunction('series_pow', (a, b) => a ** b),
    binarySeriesFunction('series_greater', (a, b) => a > b),
    binarySeriesFunction('series_greater_equals', (a, b) => a >= b),
    binarySeriesFunction('series_less', (a, b) => a < b),
    binarySeriesFunction('series_less_equals', (a, b) => a <= b),
    binarySeriesFunction('series_equals', (a, b) => a === b),
    binarySeriesFunction('series_not_equals', (a, b) => a !== b),
    unarySeriesFunction('series_abs', Math.abs),
    unarySeriesFunction('series_acos', Math.acos),
    unarySeriesFunction('series_asin', Math.asin),
    unarySeriesFunction('series_atan', Math.atan),
    unarySeriesFunction('series_ceiling', Math.ceil),
    unarySeriesFunction('series_floor', Math.floor),
    unarySeriesFunction('series_cos', Math.cos),
    unarySeriesFunction('series_sin', Math.sin),
    unarySeriesFunction('series_tan', Math.tan),
    unarySeriesFunction('series_exp', Math.exp),
    unarySeriesFunction('series_log', Math.log),
    unarySeriesFunction('series_sign', Math.sign),
  ];
}
