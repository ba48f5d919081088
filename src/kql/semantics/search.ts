/**
 * `search` and `find` over several tables: each table's rows are filtered by the predicate bound
 * against that table (a column the table lacks reads as null, so `SHA1 == h or InitiatingProcessSHA1
 * == h` works across tables that have only one of them), then the legs are unioned with the table
 * name in front. In `search`, a bare string term matches any string column that has it.
 */
import type * as Ast from '../syntax/ast.js';
import type { ScalarType, Schema } from '../values/types.js';

/** Rewrites bare string terms of a search predicate into `has` tests over the table's string columns. */
export function expandSearchTerms(predicate: Ast.Expression, schema: Schema, caseSensitive: boolean): Ast.Expression {
  const rewrite = (e: Ast.Expression): Ast.Expression => {
    switch (e.kind) {
      case 'Literal':
        return e.type === 'string' ? termTest(String(e.value), e, schema, caseSensitive) : e;
      case 'ParenthesizedExpression':
        return { ...e, expression: rewrite(e.expression) };
      case 'BinaryExpression':
        return e.operator === 'and' || e.operator === 'or' ? { ...e, left: rewrite(e.left), right: rewrite(e.right) } : e;
      case 'CallExpression':
        return e.name.name === 'not' ? { ...e, args: e.args.map(rewrite) } : e;
      default:
        return e;
    }
  };
  return rewrite(predicate);
}

/** `"term"` → `c1 has "term" or c2 has "term" …`; `*` wildcards pick contains / hasprefix / hassuffix. */
function termTest(term: string, at: Ast.Span, schema: Schema, caseSensitive: boolean): Ast.Expression {
  const span = { start: at.start, end: at.end };
  const literal = (value: string | boolean, type: 'string' | 'bool'): Ast.Literal => ({ kind: 'Literal', type, value, text: String(value), ...span });
  if (term === '*' || term === '') return literal(true, 'bool');
  const starts = term.startsWith('*');
  const ends = term.endsWith('*') && term.length > 1;
  const needle = term.slice(starts ? 1 : 0, ends ? -1 : undefined);
  const operator = (starts && ends ? 'contains' : ends ? 'hasprefix' : starts ? 'hassuffix' : 'has') + (caseSensitive ? '_cs' : '');
  const columns = schema.filter((c) => c.type === 'string');
  if (columns.length === 0) return literal(false, 'bool');
  const tests: Ast.Expression[] = columns.map((c) => ({
    kind: 'BinaryExpression',
    operator,
    left: { kind: 'NameReference', name: c.name, ...span },
    right: literal(needle, 'string'),
    operatorSpan: span,
    ...span,
  }));
  return tests.reduce((acc, t) => ({ kind: 'BinaryExpression', operator: 'or', left: acc, right: t, operatorSpan: span, ...span }));
}

/** Column name → type over all the legs (the first type seen wins), for columns some legs lack. */
export function columnsOfAll(schemas: Schema[]): Map<string, ScalarType> {
  const all = new Map<string, ScalarType>();
  for (const schema of schemas) for (const c of schema) if (!all.has(c.name)) all.set(c.name, c.type);
  return all;
}
