/** Values in their output forms. (Signatures fixed; implementation pending.) */
import type { ScalarType, Value } from './types.js';

/** The JSON form of a value in results (`--format json`, runQuery rows). */
export function valueToJson(value: Value, type: ScalarType): unknown {
  throw new Error(`valueToJson not implemented: ${String(value)} ${type}`);
}

/** The text form of a value (tostring(), table and CSV cells). */
export function valueToText(value: Value, type: ScalarType): string {
  throw new Error(`valueToText not implemented: ${String(value)} ${type}`);
}
