/**
 * Conversion functions: tostring, toint, tolong, toreal/todouble, todecimal, todatetime, totimespan,
 * tobool, toguid, and datetime()/timespan() called as functions; tohex, new_guid, ingestion_time,
 * estimate_data_size. Every conversion accepts any scalar except toguid (string or dynamic), as
 * Kusto.Language types them; a failed conversion is null, and tostring(null) is "".
 */
import { randomUUID } from 'node:crypto';
import type { ScalarFunction } from './registry.js';
import type { DynamicValue, ScalarType, Value } from '../values/types.js';
import { dynamicToJson } from '../values/dynamic.js';
import { ANY, INTEGER, STRING_OR_DYNAMIC, type TypeSet, convertValue, defineScalar, simpleScalar } from './common.js';

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

/**
 * tohex(value [, minLength]): lower-case hex; negative numbers in two's complement, 32-bit for an
 * int and 64-bit for a long (tohex docs: tohex(-256) = 'ffffffffffffff00', tohex(toint(-256), 8) =
 * 'ffffff00'); padded with zeros to minLength.
 */
function tohex(): ScalarFunction {
  return simpleScalar({
    name: 'tohex',
    params: [INTEGER, INTEGER],
    optional: 1,
    result: 'string',
    kernel: (args) => ([v, minLength]) => {
      const bits = args[0]!.type === 'int' ? 32 : 64;
      const hex = BigInt.asUintN(bits, BigInt(Math.trunc(v as number))).toString(16);
      return hex.padStart((minLength as number | undefined) ?? 0, '0');
    },
  });
}

/**
 * estimate_data_size(c1, c2, …): the estimated bytes of the values (estimate_data_size docs: a long
 * is 8, a 10-character string is 10). [UNCERTAIN] The docs give only those two sizes; the others
 * follow the types' binary widths (bool 1, int 4, real/datetime/timespan 8, guid/decimal 16) and a
 * dynamic value counts its JSON text.
 */
export function estimatedSize(value: Value, type: ScalarType): number {
  if (value === null) return 0;
  switch (type) {
    case 'string': return Buffer.byteLength(value as string, 'utf8');
    case 'dynamic': return Buffer.byteLength(dynamicToJson(value as DynamicValue), 'utf8');
    case 'bool': return 1;
    case 'int': return 4;
    case 'guid':
    case 'decimal': return 16;
    default: return 8;
  }
}

function specialFunctions(): ScalarFunction[] {
  const newGuid = simpleScalar({ name: 'new_guid', params: [], result: 'guid', kernel: () => () => randomUUID() });
  // Offline tables have no ingestion-time policy: Kusto returns null then (ingestion_time docs).
  const ingestionTime = simpleScalar({ name: 'ingestion_time', params: [], result: 'datetime', kernel: () => () => null });
  const estimate = defineScalar({
    name: 'estimate_data_size',
    minArgs: 1,
    maxArgs: 10_000,
    bind: () => ({ type: 'long' }),
    prepare: (args) => (values) => values.reduce<number>((sum, v, i) => sum + estimatedSize(v, args[i]!.type), 0),
  });
  return [{ ...newGuid, deterministic: false }, { ...ingestionTime, deterministic: false }, estimate];
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
    converter('totime', 'timespan'),
    converter('timespan', 'timespan'),
    converter('tobool', 'bool'),
    converter('toboolean', 'bool'),
    converter('toguid', 'guid', STRING_OR_DYNAMIC),
    tohex(),
    ...specialFunctions(),
  ];
}
