/**
 * Numeric and binning functions: abs, round, bin (alias floor) over numbers, timespans and datetimes.
 * Result types match Kusto.Language: abs(int) → long; round keeps its argument's type;
 * bin(int|long, int|long) → long, bin with a real → real, bin(timespan, timespan) → timespan,
 * bin(datetime, timespan) → datetime. bin_at(value, size, fixedPoint) bins so that fixedPoint starts a bin.
 */
import type { BindResult, ScalarFunction } from './registry.js';
import type { ScalarType, Value } from '../values/types.js';
import { isNumericType, promoteNumeric } from '../values/types.js';
import { MIN_DATETIME_TICKS, floorDiv } from '../values/datetime.js';
import { INTEGER, NUMBER, STRING, checkArgs, defineScalar, requireConstant, simpleScalar } from './common.js';

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

/** The result type of bin_at(value, size, fixedPoint), or undefined when Kusto rejects the triple. */
function binAtResultType(value: ScalarType, size: ScalarType, fixedPoint: ScalarType): ScalarType | undefined {
  if (isNumericType(value) && isNumericType(size) && isNumericType(fixedPoint)) {
    const t = promoteNumeric(promoteNumeric(value, size), fixedPoint);
    return t === 'int' ? 'long' : t;
  }
  if ((value === 'datetime' || value === 'timespan') && size === 'timespan' && fixedPoint === value) return value;
  return undefined;
}

/**
 * bin_at(value, size, fixedPoint): fixedPoint + ⌊(value − fixedPoint) / size⌋ × size — bin() with bins
 * aligned on fixedPoint instead of 0 (docs: bin_at(6.5, 2.5, 7) = 4.5, bin_at(1h, 1d, 12h) = -12h).
 * A non-positive size gives null, as for bin().
 */
function binAt(): ScalarFunction {
  return defineScalar({
    name: 'bin_at',
    minArgs: 3,
    maxArgs: 3,
    bind(args): BindResult {
      const type = binAtResultType(args[0]!.type, args[1]!.type, args[2]!.type);
      return type ? { type } : {
        error: `bin_at(): cannot bin ${args[0]!.type} by ${args[1]!.type} at ${args[2]!.type} (expected numbers, or a datetime/timespan binned by a timespan at a point of the same type)`,
      };
    },
    prepare(args) {
      if (args[0]!.type === 'datetime' || args[0]!.type === 'timespan') {
        return ([v, size, at]) => {
          if (v === null || size === null || at === null || (size as bigint) <= 0n) return null;
          return floorDiv((v as bigint) - (at as bigint), size as bigint) * (size as bigint) + (at as bigint);
        };
      }
      return ([v, size, at]) => {
        if (v === null || size === null || at === null || (size as number) <= 0) return null;
        return Math.floor(((v as number) - (at as number)) / (size as number)) * (size as number) + (at as number);
      };
    },
  });
}

/** A real-valued function of one number (sqrt, log, exp, …): NaN/±Infinity follow IEEE, as in .NET. */
function realFunction(name: string, f: (x: number) => number): ScalarFunction {
  return simpleScalar({ name, params: [NUMBER], result: 'real', kernel: () => ([x]) => f(x as number) });
}

/** Bitwise functions on 64-bit integers (binary_and docs: long in, long out). */
function bitwise(name: string, f: (a: bigint, b: bigint) => bigint): ScalarFunction {
  return simpleScalar({
    name,
    params: [INTEGER, INTEGER],
    result: 'long',
    kernel: () => ([a, b]) => Number(BigInt.asIntN(64, f(BigInt(a as number), BigInt(b as number)))),
  });
}

/** binary_shift_left/right(value, shift): a shift outside 0–63 gives null [UNCERTAIN: undocumented]. */
function shiftFunction(name: string, left: boolean): ScalarFunction {
  return simpleScalar({
    name,
    params: [INTEGER, INTEGER],
    result: 'long',
    kernel: () => ([a, n]) => {
      const bits = n as number;
      if (bits < 0 || bits > 63) return null;
      const v = BigInt(a as number);
      return Number(BigInt.asIntN(64, left ? v << BigInt(bits) : v >> BigInt(bits)));
    },
  });
}

/** min_of/max_of(a, b, …): the extreme of non-null arguments of one comparable type; all null → null. */
function extremeOf(name: string, wantMax: boolean): ScalarFunction {
  const accepted = { types: ['int', 'long', 'real', 'decimal', 'datetime', 'timespan', 'string'] as ScalarType[], description: 'a number, datetime, timespan or string' };
  return defineScalar({
    name,
    minArgs: 2,
    maxArgs: 64,
    bind(args): BindResult {
      const err = checkArgs(name, args, [], accepted);
      if (err) return err;
      const types = args.map((a) => a.type);
      if (types.every(isNumericType)) return { type: types.reduce((a, b) => promoteNumeric(a, b)) };
      if (types.every((t) => t === types[0])) return { type: types[0]! };
      return { error: `${name}(): arguments must all be numbers or all be the same type (${types.join(', ')})` };
    },
    prepare(args) {
      return (values) => {
        let best: Value = null;
        for (const v of values) {
          if (v === null || (args[0]!.type === 'string' && v === '')) continue;
          if (best === null || (wantMax ? (v as number) > (best as number) : (v as number) < (best as number))) best = v;
        }
        return best === null && args[0]!.type === 'string' ? '' : best;
      };
    },
  });
}

/**
 * format_bytes(size [, precision [, units]]): "1 KB"-style text with 1024-based units, the number
 * rounded to `precision` decimals (default 0) (format_bytes docs: format_bytes(564) = "564 Bytes",
 * format_bytes(10332, 1) = "10.1 KB", format_bytes(20010332, 2) = "19.08 MB").
 */
export function formatBytes(size: number, precision = 0, unit?: string): string {
  const units = ['Bytes', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let index = unit ? units.findIndex((u) => u.toLowerCase() === unit.toLowerCase()) : -1;
  if (index === -1) {
    index = 0;
    while (index < units.length - 1 && Math.abs(size) >= 1024 ** (index + 1)) index++;
  }
  const scaled = roundHalfAwayFromZero(size / 1024 ** index, precision);
  return `${scaled.toFixed(Math.max(0, precision))} ${units[index]}`;
}

/**
 * around(value, center, delta): value within [center − delta, center + delta], inclusive (around-function.md:
 * minutes 01:29, 01:30 and 01:31 are around 01:30 with 1min). Numbers, datetime with a timespan delta,
 * or timespans.
 */
function around(): ScalarFunction {
  return defineScalar({
    name: 'around',
    minArgs: 3,
    maxArgs: 3,
    bind(args): BindResult {
      const [v, c, d] = args.map((a) => a.type);
      const ok = (isNumericType(v!) && isNumericType(c!) && isNumericType(d!)) ||
        ((v === 'datetime' || v === 'timespan') && c === v && d === 'timespan');
      return ok ? { type: 'bool' } : { error: `around(): expects numbers, or a datetime/timespan with a center of the same type and a timespan delta, got ${args.map((a) => a.type).join(', ')}` };
    },
    prepare(args) {
      const temporal = args[0]!.type === 'datetime' || args[0]!.type === 'timespan';
      return ([v, c, d]) => {
        if (v === null || c === null || d === null) return null;
        if (temporal) return (v as bigint) >= (c as bigint) - (d as bigint) && (v as bigint) <= (c as bigint) + (d as bigint);
        return (v as number) >= (c as number) - (d as number) && (v as number) <= (c as number) + (d as number);
      };
    },
  });
}

function otherMath(): ScalarFunction[] {
  return [
    around(),
    realFunction('sqrt', Math.sqrt),
    realFunction('exp', Math.exp),
    realFunction('exp2', (x) => 2 ** x),
    realFunction('exp10', (x) => 10 ** x),
    realFunction('log', Math.log),
    realFunction('log2', Math.log2),
    realFunction('log10', Math.log10),
    realFunction('cos', Math.cos),
    realFunction('sin', Math.sin),
    realFunction('tan', Math.tan),
    realFunction('acos', Math.acos),
    realFunction('asin', Math.asin),
    realFunction('atan', Math.atan),
    realFunction('degrees', (x) => (x * 180) / Math.PI),
    realFunction('radians', (x) => (x * Math.PI) / 180),
    simpleScalar({ name: 'atan2', params: [NUMBER, NUMBER], result: 'real', kernel: () => ([y, x]) => Math.atan2(y as number, x as number) }),
    simpleScalar({ name: 'pow', params: [NUMBER, NUMBER], result: 'real', kernel: () => ([b, e]) => (b as number) ** (e as number) }),
    simpleScalar({ name: 'pi', params: [], result: 'real', kernel: () => () => Math.PI }),
    simpleScalar({
      name: 'ceiling', params: [NUMBER], result: (args) => args[0]!.type,
      kernel: () => ([x]) => Math.ceil(x as number),
    }),
    simpleScalar({
      name: 'sign', params: [NUMBER], result: 'real',
      kernel: () => ([x]) => Math.sign(x as number),
    }),
    simpleScalar({ name: 'isnan', params: [NUMBER], result: 'bool', kernel: () => ([x]) => Number.isNaN(x) }),
    simpleScalar({ name: 'isinf', params: [NUMBER], result: 'bool', kernel: () => ([x]) => x === Infinity || x === -Infinity }),
    simpleScalar({ name: 'isfinite', params: [NUMBER], result: 'bool', kernel: () => ([x]) => Number.isFinite(x) }),
    bitwise('binary_and', (a, b) => a & b),
    bitwise('binary_or', (a, b) => a | b),
    bitwise('binary_xor', (a, b) => a ^ b),
    simpleScalar({ name: 'binary_not', params: [INTEGER], result: 'long', kernel: () => ([a]) => Number(~BigInt(a as number)) }),
    shiftFunction('binary_shift_left', true),
    shiftFunction('binary_shift_right', false),
    simpleScalar({
      name: 'bitset_count_ones', params: [INTEGER], result: 'long',
      kernel: () => ([a]) => BigInt.asUintN(64, BigInt(a as number)).toString(2).replace(/0/g, '').length,
    }),
    extremeOf('min_of', false),
    extremeOf('max_of', true),
    simpleScalar({
      // Kusto.Language types rand(N) as real too; its values are the whole numbers 0 … N-1.
      name: 'rand', params: [NUMBER], optional: 1, result: 'real',
      kernel: () => ([n]) => (n === undefined ? Math.random() : Math.floor(Math.random() * (n as number))),
    }),
    simpleScalar({
      name: 'format_bytes', params: [NUMBER, INTEGER, STRING], optional: 2, result: 'string',
      kernel: () => ([size, precision, unit]) => formatBytes(size as number, (precision as number | undefined) ?? 0, unit as string | undefined),
    }),
  ];
}

export function mathFunctions(): ScalarFunction[] {
  const functions = [abs(), round(), binFunction('bin'), binFunction('floor'), binAt(), ...otherMath()];
  // rand() returns a new value on every call: never fold it.
  return functions.map((fn) => (fn.name === 'rand' ? { ...fn, deterministic: false } : fn));
}

