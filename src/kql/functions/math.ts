/**
 * Numeric and binning functions: abs, round, bin (alias floor) over numbers, timespans and datetimes.
 * Result types match Kusto.Language: abs(int) → long; round keeps its argument's type;
 * bin(int|long, int|long) → long, bin with a real → real, bin(timespan, timespan) → timespan,
 * bin(datetime, timespan) → datetime.
 */
import type { BindResult, ScalarFunction } from './registry.js';
import type { ScalarType } from '../values/types.js';
import { isNumericType, promoteNumeric } from '../values/types.js';
import { MIN_DATETIME_TICKS, floorDiv } from '../values/datetime.js';
import { INTEGER, NUMBER, defineScalar, requireConstant, simpleScalar } from './common.js';

function abs(): ScalarFunction {
  const accepted = { types: ['int', 'long', 'real', 'decimal', 'timespan'] as ScalarType[], description: 'a number or timespan' };
  return simpleScalar({
    name: 'abs',
    params: [accepted],
    result: (args) => (args[0]!.type === 'int' ? 'long' : args[0]!.type),
    kernel: (args) => (args[0]!.type === 'timespan'
      ? ([v]) => ((v as bigint) < 0n ? -(v as bigint) : v!)
      : ([v]) => Math.abs(v as number)),
  });
}

/**
 * Rounds half away from zero at `precision` decimal digits (negative precision rounds to tens,
 * hundreds…). The relative nudge absorbs binary representation error, so round(2.15, 1) is 2.2 as
 * Kusto documents, although 2.15 is stored as 2.1499999….
 */
export function roundHalfAwayFromZero(x: number, precision: number): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** precision;
  const scaled = Math.abs(x) * scale;
  const rounded = Math.floor(scaled * (1 + Number.EPSILON) + 0.5);
  return (Math.sign(x) * rounded) / scale;
}

function round(): ScalarFunction {
  const base = simpleScalar({
    name: 'round',
    params: [NUMBER, INTEGER],
    optional: 1,
    result: (args) => args[0]!.type,
    kernel: (args) => {
      const integral = args[0]!.type === 'int' || args[0]!.type === 'long';
      return ([x, p]) => {
        const r = roundHalfAwayFromZero(x as number, p === undefined ? 0 : (p as number));
        return integral ? Math.trunc(r) : r;
      };
    },
  });
  // Kusto.Language requires the precision to be a constant.
  return { ...base, bind: (args) => requireConstant('round', args, 1) ?? base.bind(args) };
}

/** The result type of bin(value, roundTo), or undefined when Kusto rejects the pair. */
export function binResultType(value: ScalarType, size: ScalarType): ScalarType | undefined {
  if (isNumericType(value) && isNumericType(size)) {
    const t = promoteNumeric(value, size);
    return t === 'int' ? 'long' : t;
  }
  if ((value === 'datetime' || value === 'timespan') && size === 'timespan') return value;
  return undefined;
}

function binFunction(name: string): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    bind(args): BindResult {
      const type = binResultType(args[0]!.type, args[1]!.type);
      return type ? { type } : {
        error: `${name}(): cannot bin ${args[0]!.type} by ${args[1]!.type} (expected a number by a number, or a datetime/timespan by a timespan)`,
      };
    },
    prepare(args) {
      const valueType = args[0]!.type;
      if (valueType === 'datetime' || valueType === 'timespan') {
        // Datetimes bin on .NET ticks since 0001-01-01, so 7d bins start on Mondays as in Kusto.
        const origin = valueType === 'datetime' ? MIN_DATETIME_TICKS : 0n;
        return ([v, size]) => {
          if (v === null || size === null || (size as bigint) <= 0n) return null;
          const offset = (v as bigint) - origin;
          return floorDiv(offset, size as bigint) * (size as bigint) + origin;
        };
      }
      return ([v, size]) => {
        if (v === null || size === null || (size as number) <= 0) return null;
        return Math.floor((v as number) / (size as number)) * (size as number);
      };
    },
  });
}

export function mathFunctions(): ScalarFunction[] {
  return [abs(), round(), binFunction('bin'), binFunction('floor')];
}

