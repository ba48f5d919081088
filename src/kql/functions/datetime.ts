/** Date and time functions: now, ago, startofday. `now()` is fixed per query (EvalContext.now). */
import type { ScalarFunction } from './registry.js';
import { TICKS_PER_DAY, floorDiv, isValidDatetime } from '../values/datetime.js';
import { DATETIME, INTEGER, TIMESPAN, simpleScalar } from './common.js';

function validOrNull(ticks: bigint): bigint | null {
  return isValidDatetime(ticks) ? ticks : null;
}

export function datetimeFunctions(): ScalarFunction[] {
  const now = simpleScalar({
    name: 'now',
    params: [TIMESPAN],
    optional: 1,
    result: 'datetime',
    kernel: (_args, ctx) => ([offset]) => validOrNull(ctx.now + ((offset as bigint | undefined) ?? 0n)),
  });
  const ago = simpleScalar({
    name: 'ago',
    params: [TIMESPAN],
    result: 'datetime',
    kernel: (_args, ctx) => ([span]) => validOrNull(ctx.now - (span as bigint)),
  });
  const startofday = simpleScalar({
    name: 'startofday',
    params: [DATETIME, INTEGER],
    optional: 1,
    result: 'datetime',
    kernel: () => ([d, offset]) => {
      const day = floorDiv(d as bigint, TICKS_PER_DAY) + BigInt((offset as number | undefined) ?? 0);
      return validOrNull(day * TICKS_PER_DAY);
    },
  });
  return [now, ago, startofday];
}
