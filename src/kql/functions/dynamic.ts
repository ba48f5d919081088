/** Dynamic functions: array_length, parse_json/todynamic, pack_array. */
import type { ScalarFunction } from './registry.js';
import type { DynamicValue } from '../values/types.js';
import { parseDynamic, toDynamic } from '../values/dynamic.js';
import { ANY, DYNAMIC, STRING_OR_DYNAMIC, simpleScalar } from './common.js';

export function dynamicFunctions(): ScalarFunction[] {
  const arrayLength = simpleScalar({
    name: 'array_length',
    params: [DYNAMIC],
    result: 'long',
    kernel: () => ([v]) => (Array.isArray(v) ? v.length : null),
  });
  // A dynamic argument is returned as is; only text is parsed (non-JSON text stays a dynamic string).
  const parseJson = (name: string) => simpleScalar({
    name,
    params: [STRING_OR_DYNAMIC],
    result: 'dynamic',
    kernel: (args) => (args[0]!.type === 'dynamic' ? ([v]) => v! : ([v]) => parseDynamic(v as string)),
  });
  const packArray = simpleScalar({
    name: 'pack_array',
    params: [ANY],
    rest: ANY,
    maxArgs: 32767,
    result: 'dynamic',
    nullPropagating: false,
    kernel: (args) => (values) => values.map((v, i): DynamicValue => toDynamic(v, args[i]!.type)),
  });
  return [arrayLength, parseJson('parse_json'), parseJson('todynamic'), packArray];
}
