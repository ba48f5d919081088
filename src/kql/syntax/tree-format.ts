/**
 * A compact, stable one-line rendering of a syntax tree, for tests and debugging:
 *
 *   `T | where a == 1 | take 5`  →  `(| (| T (where (== a 1))) (take 5))`
 *
 * Names print bare, literals as `1`, `1.5`, `"s"`, `true`, `timespan(864000000000)`,
 * `datetime("…")`, `long(null)`, a missing expression as `<missing>`.
 */
import type * as A from './ast.js';

type Printable = A.Node | A.DynamicLiteralNode | A.SortExpression;

export function formatTree(node: Printable | undefined): string {
  if (!node) return '_';
  switch (node.kind) {
    case 'Query':
      return node.statements.map(formatTree).join('; ');
    case 'LetStatement':
      return `(let ${node.name.name} ${formatTree(node.value)})`;
    case 'ExpressionStatement':
      return formatTree(node.expression);
    case 'UnsupportedStatement':
      return `(unsupported-statement ${node.keyword})`;
    case 'SetStatement':
      return `(set ${node.name.name}${node.value ? ` ${formatTree(node.value)}` : ''})`;
    case 'FunctionDefinition': {
      const params = node.parameters.map((p) => `${p.name.name}:${p.typeName}${p.defaultValue ? `=${formatTree(p.defaultValue)}` : ''}`);
      return `(function (${params.join(', ')}) ${node.body.map(formatTree).join('; ')})`;
    }
    case 'Identifier':
      return node.name;
    case 'NameReference':
      return node.name === '' ? '<missing>' : node.name;
    case 'Literal':
      return formatLiteral(node);
    case 'DynamicLiteral':
      return `dynamic(${formatTree(node.value)})`;
    case 'array':
      return `[${node.items.map(formatTree).join(', ')}]`;
    case 'object':
      return `{${node.entries.map((e) => `${JSON.stringify(e.key)}: ${formatTree(e.value)}`).join(', ')}}`;
    case 'scalar':
      return formatLiteral(node.literal);
    case 'UnaryExpression':
      return `(${node.operator} ${formatTree(node.operand)})`;
    case 'BinaryExpression':
      return `(${node.operator} ${formatTree(node.left)} ${formatTree(node.right)})`;
    case 'InExpression':
      return `(${node.operator} ${formatTree(node.left)} [${node.items.map(formatTree).join(', ')}])`;
    case 'BetweenExpression':
      return `(${node.negated ? '!between' : 'between'} ${formatTree(node.left)} ${formatTree(node.low)} ${formatTree(node.high)})`;
    case 'CallExpression': {
      const target = node.target ? `${formatTree(node.target)}.` : '';
      return `(call ${target}${node.name.name}${node.args.map((a) => ` ${formatTree(a)}`).join('')})`;
    }
    case 'NamedArgument':
      return `${node.name.name}=${formatTree(node.value)}`;
    case 'IndexExpression':
      return `(index ${formatTree(node.target)} ${formatTree(node.index)})`;
    case 'MemberExpression':
      return `(. ${formatTree(node.target)} ${node.member.name})`;
    case 'ParenthesizedExpression':
      return `(paren ${formatTree(node.expression)})`;
    case 'StarExpression':
      return '*';
    case 'PipeExpression':
      return `(| ${formatTree(node.source)} ${formatTree(node.operator)})`;
    case 'NamedExpression':
      if (node.names.length === 0) return formatTree(node.expression);
      if (node.names.length === 1) return `${node.names[0]!.name}=${formatTree(node.expression)}`;
      return `(${node.names.map((n) => n.name).join(', ')})=${formatTree(node.expression)}`;
    case 'PrintExpression':
      return `(print${list(node.columns)})`;
    case 'DatatableExpression':
      return `(datatable (${node.columns.map((c) => `${c.name.name}:${c.typeName}`).join(', ')}) [${node.values.map(formatTree).join(', ')}])`;
    case 'RangeExpression':
      return `(range ${node.name.name} ${formatTree(node.from)} ${formatTree(node.to)} ${formatTree(node.step)})`;
    case 'UnionExpression':
    case 'UnionOperator':
      return `(union${node.parameters.map((p) => ` ${formatTree(p)}`).join('')}${list(node.tables)})`;
    case 'OperatorParameter':
      return `${node.name}=${JSON.stringify(node.value)}`;
    case 'WhereOperator':
      return `(where ${formatTree(node.predicate)})`;
    case 'ExtendOperator':
      return `(extend${list(node.columns)})`;
    case 'ProjectOperator':
      return `(project${list(node.columns)})`;
    case 'ProjectAwayOperator':
      return `(project-away${list(node.columns)})`;
    case 'ProjectKeepOperator':
      return `(project-keep${list(node.columns)})`;
    case 'ProjectRenameOperator':
      return `(project-rename${node.renames.map((r) => ` ${r.newName.name}=${r.oldName.name}`).join('')})`;
    case 'ProjectReorderOperator':
      return `(project-reorder${node.columns.map((c) => ` ${c.pattern.pattern}${c.order ? ` ${c.order}` : ''}`).join('')})`;
    case 'ColumnPattern':
      return node.pattern;
    case 'SummarizeOperator': {
      const params = node.parameters.map((p) => ` ${formatTree(p)}`).join('');
      return `(summarize${params}${list(node.aggregates)}${node.by.length ? ` by${list(node.by)}` : ''})`;
    }
    case 'CountOperator':
      return '(count)';
    case 'TakeOperator':
      return `(take ${formatTree(node.count)})`;
    case 'TopOperator':
      return `(top ${formatTree(node.count)} by ${formatTree(node.by)})`;
    case 'SortOperator':
      return `(sort${list(node.by)})`;
    case 'SortExpression':
      return `${formatTree(node.expression)}${node.order ? ` ${node.order}` : ''}${node.nulls ? ` nulls ${node.nulls}` : ''}`;
    case 'DistinctOperator':
      return node.star ? '(distinct *)' : `(distinct${list(node.columns)})`;
    case 'UnsupportedOperator':
      return `(unsupported ${node.name})`;
    default:
      // node kinds added later (other operators) print by kind until they get a rendering here
      return `(${(node as { kind: string }).kind})`;
  }
}

function list(nodes: readonly Printable[]): string {
  return nodes.map((n, i) => `${i === 0 ? ' ' : ', '}${formatTree(n)}`).join('');
}

function formatLiteral(lit: A.Literal): string {
  const v = lit.value;
  switch (lit.type) {
    case 'string':
      return JSON.stringify(v);
    case 'long':
    case 'bool':
      return v === null ? `${lit.type}(null)` : String(v);
    case 'real':
      return v === null ? 'real(null)' : Number.isInteger(v) || !Number.isFinite(v) ? `real(${String(v)})` : String(v);
    default:
      return `${lit.type}(${v === null ? 'null' : typeof v === 'string' ? JSON.stringify(v) : String(v)})`;
  }
}
