/**
 * Reading series arguments: a series is a dynamic array whose numeric elements take part in the
 * computation; any other element (null, string, bag, bool) is "missing" and, as the series_* docs
 * say, yields a null element (element-wise functions) or is skipped (reductions).
 */
import type { ArgInfo } from '../registry.js';
import type { DynamicValue, ScalarType, Value } from '../../values/types.js';
import { isNumericType } from '../../values/types.js';
import type { TypeSet } from '../common.js';

/** One element of a series: a number, or null when missing / not numeric. */
export type SeriesElement = number | null;

export const SERIES: TypeSet = { types: ['dynamic'], description: 'a dynamic array (series)' };
export const SERIES_OR_NUMBER: TypeSet = {
  types: ['dynamic', 'int', 'long', 'real', 'decimal'],
  description: 'a dynamic array (series) or a number',
};

export function numericElement(v: DynamicValue): SeriesElement {
  return typeof v === 'number' ? v : null;
}

/** The elements of a series argument, or null when the value is not an array. */
export function seriesOf(value: Value): SeriesElement[] | null {
  return Array.isArray(value) ? value.map(numericElement) : null;
}

/** The numeric elements of a series, dropping missing ones (what reductions see). */
export function presentNumbers(series: readonly SeriesElement[]): number[] {
  return series.filter((v): v is number => v !== null);
}

/**
 * An operand of an element-wise function: a series, or a number broadcast to the other operand's
 * length (`series_add(s, 5)`), as Kusto.Language's (dynamic, number) / (number, dynamic) signatures allow.
 */
export type Operand = { series: SeriesElement[] } | { scalar: SeriesElement };

export function operandOf(value: Value, type: ScalarType): Operand | null {
  if (isNumericType(type)) return { scalar: value === null ? null : (value as number) };
  const series = seriesOf(value);
  return series === null ? null : { series };
}

export function operandLength(op: Operand): number | undefined {
  return 'series' in op ? op.series.length : undefined;
}

export function operandAt(op: Operand, i: number): SeriesElement {
  return 'series' in op ? (op.series[i] ?? null) : op.scalar;
}

/** A numeric argument's value, or `fallback` when the argument is absent or null. */
export function numberArg(value: Value | undefined, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

export function isNumberArg(arg: ArgInfo | undefined): boolean {
  return arg !== undefined && isNumericType(arg.type);
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
