/**
 * Conversion functions: tostring, toint, tolong, toreal/todouble, todatetime, totimespan, tobool,
 * toguid, and datetime()/timespan() called as functions. Every conversion accepts any scalar except
 * toguid (string or dynamic), as Kusto.Language types them; a failed conversion is null, and
 * tostring(null) is "".
 */
import type { ScalarFunction } from './registry.js';
import type { ScalarType } from '../values/types.js';
import { ANY, STRING_OR_DYNAMIC, type TypeSet, convertValue, simpleScalar } from './common.js';

function converter(name: string, to: ScalarType, accepts: TypeSet = ANY): ScalarFunction {
  return simpleScalar({
    name,
    params: [accepts],
    result: to,
    nullPropagating: false,
    kernel: (args) => {
      const from = args[0]!.type;
      return ([v]) => convertValue(v!, from, to);
    },
  });
}

export function conversionFunctions(): ScalarFunction[] {
  return [
    converter('tostring', 'string'),
    converter('toint', 'int'),
    converter('tolong', 'long'),
    converter('toreal', 'real'),
    converter('todouble', 'real'),
    converter('todecimal', 'decimal'),
    converter('todatetime', 'datetime'),
    converter('datetime', 'datetime'),
    converter('totimespan', 'timespan'),
    converter('timespan', 'timespan'),
    converter('tobool', 'bool'),
    converter('toboolean', 'bool'),
    converter('toguid', 'guid', STRING_OR_DYNAMIC),
  ];
}
