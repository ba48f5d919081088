/**
 * Functions about the query's environment rather than its data: assert() and
 * current_principal_is_member_of().
 */
import type { ScalarFunction } from './registry.js';
import { BOOL, STRING, STRING_OR_DYNAMIC, checkArgs, defineScalar, requireConstant } from './common.js';

/**
 * assert(condition, message): true when condition is true; otherwise the query fails with
 * "assert() has failed with message: '<message>'" (the docs' wording). A null condition fails too: the
 * assertion does not hold. Kusto evaluates the condition during query analysis; here a constant
 * condition is folded by the binder (whose failure is re-raised at run time with its position) and
 * any other condition is checked on each row.
 */
function assertFunction(): ScalarFunction {
  return defineScalar({
    name: 'assert',
    minArgs: 2,
    maxArgs: 2,
    bind: (args) => checkArgs('assert', args, [BOOL, STRING]) ?? requireConstant('assert', args, 1) ?? { type: 'bool' },
    prepare: (args) => {
      const message = args[1]!.constant!.value as string;
      return ([condition]) => {
        if (condition !== true) throw new Error(`assert() has failed with message: '${message}'`);
        return true;
      };
    },
  });
}

/**
 * current_principal_is_member_of(group, …): whether the principal running the query is one of the
 * given Microsoft Entra principals or a member of one of the groups. Offline there is no principal and
 * no directory to ask, so this is always false — what Kusto returns when no argument matches (the docs
 * examples, run on the public help cluster, give false). Like Kusto, the arguments must be string
 * literals or one dynamic array of them.
 */
function currentPrincipalIsMemberOf(): ScalarFunction {
  const name = 'current_principal_is_member_of';
  return defineScalar({
    name,
    minArgs: 1,
    maxArgs: 64,
    bind(args) {
      const wrongType = checkArgs(name, args, [], STRING_OR_DYNAMIC);
      if (wrongType) return wrongType;
      for (let i = 0; i < args.length; i++) {
        const notConstant = requireConstant(name, args, i);
        if (notConstant) return notConstant;
        const value = args[i]!.constant!.value;
        if (args[i]!.type === 'dynamic' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
          return { error: `${name}(): argument ${i + 1} must be a string or a dynamic array of strings`, argIndex: i };
        }
      }
      return { type: 'bool' };
    },
    prepare: () => () => false,
  });
}

export function environmentFunctions(): ScalarFunction[] {
  return [assertFunction(), currentPrincipalIsMemberOf()];
}
