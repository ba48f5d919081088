/**
 * Conditional and null-testing functions: iff/iif, case, coalesce, isnull/isnotnull,
 * isempty/isnotempty, not.
 *
 * Branch typing follows Kusto.Language: iff/case unify their branches (numbers promote, a dynamic
 * branch takes the other's type, otherwise the result is dynamic); coalesce requires a common type.
 * A null condition selects the else branch (null is not true).
 */
import type { ArgInfo, BindResult, ScalarFunction } from './registry.js';
import type { ScalarType, Value } from '../values/types.js';
import { ANY, BOOL, commonType, convertValue, defineScalar, simpleScalar, unifyBranchTypes } from './common.js';

function conditionError(fn: string, args: ArgInfo[], indexes: number[]): BindResult | undefined {
  for (const i of indexes) {
    if (args[i]!.type !== 'bool') return { error: `${fn}(): argument ${i + 1} must be bool, got ${args[i]!.type}`, argIndex: i };
  }
  return undefined;
}

/** Converts a chosen branch value to the call's result type. */
function branchConverter(args: ArgInfo[], result: ScalarType): (value: Value, index: number) => Value {
  return (value, index) => convertValue(value, args[index]!.type, result);
}

function iff(name: string): ScalarFunction {
  return defineScalar({
    name,
    minArgs: 3,
    maxArgs: 3,
    bind(args) {
      return conditionError(name, args, [0]) ?? { type: unifyBranchTypes([args[1]!.type, args[2]!.type]) };
    },
    prepare(args) {
      const convert = branchConverter(args, unifyBranchTypes([args[1]!.type, args[2]!.type]));
      return ([cond, then, otherwise]) => (cond === true ? convert(then!, 1) : convert(otherwise!, 2));
    },
  });
}

/** case(predicate1, then1, predicate2, then2, …, else): the first true predicate's value. */
function caseFunction(): ScalarFunction {
  const valueIndexes = (n: number) => [...Array.from({ length: (n - 1) / 2 }, (_, k) => 2 * k + 1), n - 1];
  return defineScalar({
    name: 'case',
    minArgs: 3,
    maxArgs: 65535,
    bind(args) {
      if (args.length % 2 === 0) return { error: `case(): expects predicate/value pairs followed by an else value (an odd number of arguments), got ${args.length}` };
      const predicates = Array.from({ length: (args.length - 1) / 2 }, (_, k) => 2 * k);
      return conditionError('case', args, predicates) ?? { type: unifyBranchTypes(valueIndexes(args.length).map((i) => args[i]!.type)) };
    },
    prepare(args) {
      const convert = branchConverter(args, unifyBranchTypes(valueIndexes(args.length).map((i) => args[i]!.type)));
      const last = args.length - 1;
      return (values) => {
        for (let i = 0; i < last; i += 2) if (values[i] === true) return convert(values[i + 1]!, i + 1);
        return convert(values[last]!, last);
      };
    },
  });
}

/** coalesce(a, b, …): the first value that is not null (for strings: not empty). */
function coalesce(): ScalarFunction {
  return defineScalar({
    name: 'coalesce',
    minArgs: 2,
    maxArgs: 64,
    bind(args) {
      const type = commonType(args.map((a) => a.type));
      return type ? { type } : { error: `coalesce(): arguments have no common type (${args.map((a) => a.type).join(', ')})` };
    },
    prepare(args) {
      const result = commonType(args.map((a) => a.type))!;
      const convert = branchConverter(args, result);
      return (values) => {
        for (let i = 0; i < values.length; i++) {
          const v = values[i]!;
          if (v !== null && v !== '') return convert(v, i);
        }
        return result === 'string' ? '' : null;
      };
    },
  });
}

/** isempty: null or "" (also a dynamic holding ""). */
function isEmptyValue(v: Value): boolean {
  return v === null || v === '';
}

function predicate(name: string, test: (v: Value) => boolean): ScalarFunction {
  return simpleScalar({ name, params: [ANY], result: 'bool', nullPropagating: false, kernel: () => ([v]) => test(v!) });
}

export function conditionalFunctions(): ScalarFunction[] {
  return [
    iff('iff'),
    iff('iif'),
    caseFunction(),
    coalesce(),
    predicate('isnull', (v) => v === null),
    predicate('isnotnull', (v) => v !== null),
    predicate('isempty', isEmptyValue),
    predicate('isnotempty', (v) => !isEmptyValue(v)),
    simpleScalar({ name: 'not', params: [BOOL], result: 'bool', kernel: () => ([b]) => !b }),
  ];
}
