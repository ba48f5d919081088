/**
 * Group identity for `summarize … by` and `distinct`: an exact key per combination of values.
 * Values of different kinds never collide (`1` the number vs `"1"` the string), and strings are
 * length-prefixed so that no separator can be forged by the data.
 */
import type { Value } from '../values/types.js';
import { dynamicToJson } from '../values/dynamic.js';

export function groupKey(values: Value[]): string {
  if (values.length === 1) return valueKey(values[0]!);
  let key = '';
  for (const v of values) key += valueKey(v);
  return key;
}

function valueKey(v: Value): string {
  switch (typeof v) {
    case 'string':
      return `s${v.length}:${v}`;
    case 'number':
      return `n${Object.is(v, -0) ? 0 : v};`;
    case 'bigint':
      return `t${v};`;
    case 'boolean':
      return v ? 'T' : 'F';
    default:
      if (v === null || v === undefined) return 'z';
      const json = dynamicToJson(v);
      return `j${json.length}:${json}`;
  }
}
