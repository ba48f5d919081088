/**
 * Kusto's automatic column names: what a column is called when the query does not name it
 * (`extend tolower(x)` → `Column1`, `summarize count()` → `count_`, `d.a.b` → `d_a_b`,
 * duplicates → `count_1`, `x1`). Verified against Kusto.Language's binder.
 */
import type { Expression } from '../syntax/ast.js';
import { RESULT_NAME_RULES } from '../functions/result-names.js';

/** The name an expression naturally carries, or undefined when Kusto would invent one. */
export function expressionResultName(expr: Expression): string | undefined {
  switch (expr.kind) {
    case 'NameReference':
      return expr.name;
    case 'ParenthesizedExpression':
      return expressionResultName(expr.expression);
    case 'MemberExpression': {
      const target = expressionResultName(expr.target);
      return target === undefined ? undefined : `${target}_${expr.member.name}`;
    }
    case 'IndexExpression': {
      const target = expressionResultName(expr.target);
      const key = literalKeyText(expr.index);
      return target === undefined || key === undefined ? undefined : `${target}_${key}`;
    }
    case 'CallExpression':
      return callResultName(expr.name.name, expr.args);
    default:
      return undefined;
  }
}

function literalKeyText(index: Expression): string | undefined {
  if (index.kind === 'Literal' && (index.type === 'string' || index.type === 'long' || index.type === 'int')) {
    return String(index.value);
  }
  return undefined;
}

function callResultName(functionName: string, args: Expression[]): string | undefined {
  const rule = RESULT_NAME_RULES[functionName];
  if (!rule) return undefined;
  const first = args[0] ? expressionResultName(args[0]) : undefined;
  const only = args.length === 1 ? first : undefined;
  switch (rule.kind) {
    case 'firstArgument':
    case 'firstArgumentValueIfColumn':
      return first;
    case 'onlyArgument':
      return only;
    case 'nameAndFirstArgument':
      return first === undefined ? undefined : `${functionName}_${first}`;
    case 'nameAndOnlyArgument':
      return only === undefined ? undefined : `${functionName}_${only}`;
    case 'prefixAndFirstArgument':
      return `${rule.prefix ?? functionName}_${first ?? ''}`;
    case 'prefixAndOnlyArgument':
      return `${rule.prefix ?? functionName}_${only ?? ''}`;
    case 'prefixOnly':
      return rule.prefix ?? functionName;
  }
}

/**
 * Hands out unique column names within one output schema: a taken name gets the smallest free
 * numeric suffix (`count_` → `count_1`, `x` → `x1`); invented names are `Column1`, `Column2`, ….
 */
export class NameAllocator {
  private readonly taken = new Set<string>();
  private nextColumnNumber = 1;

  constructor(existing: Iterable<string> = []) {
    for (const n of existing) this.taken.add(n);
  }

  has(name: string): boolean {
    return this.taken.has(name);
  }

  reserve(name: string): void {
    this.taken.add(name);
  }

  release(name: string): void {
    this.taken.delete(name);
  }

  /** `name` if free, else `name1`, `name2`, …; the result is reserved. */
  unique(name: string): string {
    let candidate = name;
    for (let i = 1; this.taken.has(candidate); i++) candidate = `${name}${i}`;
    this.taken.add(candidate);
    return candidate;
  }

  /** Next free `ColumnN`. */
  invent(prefix = 'Column'): string {
    let candidate: string;
    do candidate = `${prefix}${this.nextColumnNumber++}`;
    while (this.taken.has(candidate));
    this.taken.add(candidate);
    return candidate;
  }
}
