/**
 * Window functions over a serialized row set: row_number and prev. Their kernels keep state between
 * calls, so they rely on the executor calling a prepared kernel once per row, in row order, for the
 * whole query — which is how `extend` runs over serialized input (the binder must reject these
 * functions where the input is not serialized, as Kusto does). `next` needs to look ahead and is
 * left to the executor.
 */
import type { ScalarFunction } from './registry.js';
import type { Value } from '../values/types.js';
import { BOOL, INTEGER, commonType, defineScalar, simpleScalar } from './common.js';

/** row_number([start [, restart]]): start, start+1, …; back to start on a row where restart is true. */
function rowNumber(): ScalarFunction {
  const fn = simpleScalar({
    name: 'row_number',
    params: [INTEGER, BOOL],
    optional: 2,
    result: 'long',
    nullPropagating: false,
    kernel: () => {
      let next: number | undefined;
      return ([start, restart]) => {
        const first = (start as number | null | undefined) ?? 1;
        if (next === undefined || restart === true) next = first;
        return next++;
      };
    },
  });
  return { ...fn, deterministic: false };
}

/**
 * prev(column [, offset [, default]]): the value `offset` rows back (offset a constant ≥ 0,
 * default 1); before the first rows, `default` (or null / "" for strings).
 */
function prev(): ScalarFunction {
  return {
    ...defineScalar({
      name: 'prev',
      minArgs: 1,
      maxArgs: 3,
      bind(args) {
        if (args[1] && args[1].type !== 'int' && args[1].type !== 'long') return { error: `prev(): argument 2 must be an integer offset, got ${args[1].type}`, argIndex: 1 };
        if (args[1] && args[1].constant === undefined) return { error: 'prev(): argument 2 must be a constant', argIndex: 1 };
        if (args[2] && !commonType([args[0]!.type, args[2].type])) {
          return { error: `prev(): the default must have the column's type (${args[0]!.type}), got ${args[2].type}`, argIndex: 2 };
        }
        return { type: args[0]!.type };
      },
      prepare(args) {
        const offset = Math.max(0, Math.trunc((args[1]?.constant?.value as number | null | undefined) ?? 1));
        const empty: Value = args[0]!.type === 'string' ? '' : null;
        const history: Value[] = [];
        return ([value, , fallback]) => {
          history.push(value!);
          if (history.length > offset + 1) history.shift();
          return history.length === offset + 1 ? history[0]! : (fallback ?? empty);
        };
      },
    }),
    deterministic: false,
  };
}

export function windowFunctions(): ScalarFunction[] {
  return [rowNumber(), prev()];
}

