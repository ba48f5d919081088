/** dynamic values: JSON text in and out, comparison. (Signatures fixed; implementation pending.) */
import type { DynamicValue } from './types.js';

/** Compact JSON as Kusto prints dynamic values: `["a","b"]`, `{"k":1}`. */
export function dynamicToJson(value: DynamicValue): string {
  return JSON.stringify(value);
}

/** parse_json / todynamic: JSON text → dynamic; text that is not JSON stays a dynamic string. */
export function parseDynamic(text: string): DynamicValue {
  try {
    return JSON.parse(text) as DynamicValue;
  } catch {
    return text;
  }
}
