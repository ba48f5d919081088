/**
 * The parser: tree shapes (precedence as Kusto.Language builds it), every parsed operator and
 * source, statements, exact positions, error messages with line/column, recovery, unsupported
 * operators, and termination without exceptions on fuzzed input. The seed rule's tree is checked
 * in full at the end.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type * as A from './ast.js';
import { parse } from './parser.js';
import { formatTree } from './tree-format.js';
import { sharedPath } from '../../testing/repo.js';

/** Parses text that must be valid and returns its one-line tree. */
function tree(text: string): string {
  const r = parse(text);
  assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.message}`), [], `unexpected diagnostics for ${JSON.stringify(text)}`);
  return formatTree(r.query);
}

/** The tree of the only expression of `print <expr>`. */
function expr(text: string): string {
  const r = parse(`print ${text}`);
  assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.message}`), [], `unexpected diagnostics for ${JSON.stringify(text)}`);
  const stmt = r.query.statements[0] as A.ExpressionStatement;
  return formatTree((stmt.expression as A.PrintExpression).columns[0]!.expression);
}

/** `code line:column message` for every diagnostic. */
function errors(text: string): string[] {
  return parse(text).diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);
}

function firstStatement(text: string): A.Statement {
  return parse(text).query.statements[0]!;
}

function pipeOperators(e: A.Expression): A.QueryOperator[] {
  const ops: A.QueryOperator[] = [];
  while (e.kind === 'PipeExpression') {
    ops.unshift(e.operator);
    e = e.source;
  }
  return ops;
}

describe('parser: precedence and associativity (Kusto.Language shapes)', () => {
  const cases: [string, string][] = [
    ['a or b and c', '(or a (and b c))'],
    ['a and b or c and d', '(or (and a b) (and c d))'],
    ['a or b or c', '(or (or a b) c)'],
    ['a == b and c != d', '(and (== a b) (!= c d))'],
    ['a + b * c - d', '(- (+ a (* b c)) d)'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b % c', '(% (/ a b) c)'],
    ['a < b + 1', '(< a (+ b 1))'],
    ['a == b < c', '(== a (< b c))'],
    ['a <> b', '(<> a b)'],
    // string operators bind tighter than * (Kusto.Language): `a + b has c + d` is `(a + (b has c)) + d`
    ['a + b has c + d', '(+ (+ a (has b c)) d)'],
    ['a has b * c', '(* (has a b) c)'],
    ['a == b has c < d + e', '(== a (< (has b c) (+ d e)))'],
    ['a =~ b < c', '(< (=~ a b) c)'],
    ['a < b !~ c', '(< a (!~ b c))'],
    ['-a has b', '(has (- a) b)'],
    ['a has -b', '(has a (- b))'],
    ['a matches regex "x" and b', '(and (matches regex a "x") b)'],
    // list operators sit at the equality level and take a relational left operand
    ['a < b in (c)', '(in (< a b) [c])'],
    ['a contains b in (c)', '(in (contains a b) [c])'],
    ['a in (1, 2) and b !in ("x")', '(and (in a [1, 2]) (!in b ["x"]))'],
    ['a in~ ("x") or a !in~ ("y")', '(or (in~ a ["x"]) (!in~ a ["y"]))'],
    ['a has_any ("x", "y") and a has_all (L)', '(and (has_any a ["x", "y"]) (has_all a [L]))'],
    ['a between (1 .. 10)', '(between a 1 10)'],
    ['a !between (ago(1d) .. now())', '(!between a (call ago timespan(864000000000)) (call now))'],
    ['-a.b[1]', '(- (index (. a b) 1))'],
    ['--1', '(- (- 1))'],
    ['+a', '(+ a)'],
    ['split(f, ".")[-1]', '(index (call split f ".") (- 1))'],
    ['not(a == b)', '(call not (== a b))'],
    ['(a or b) and c', '(and (paren (or a b)) c)'],
    ['x.y.z', '(. (. x y) z)'],
    ["x.['a b'].c", '(. (. x a b) c)'],
    ['x["k"][0]', '(index (index x "k") 0)'],
    ['x.[k]', '(index x k)'],
    ['$left.a == $right.b', '(== (. $left a) (. $right b))'],
    ['["where"] + 1', '(+ where 1)'],
    ["cluster('c').database('d').T", '(. (call (call cluster "c").database "d") T)'],
  ];
  for (const [input, shape] of cases) {
    test(`${input}  →  ${shape}`, () => assert.equal(expr(input), shape));
  }

  test('the string operators, negated and case-sensitive variants, as written', () => {
    for (const op of [
      'has', '!has', 'has_cs', '!has_cs', 'hasprefix', '!hasprefix', 'hasprefix_cs', '!hasprefix_cs',
      'hassuffix', '!hassuffix', 'hassuffix_cs', '!hassuffix_cs', 'contains', '!contains', 'contains_cs', '!contains_cs',
      'startswith', '!startswith', 'startswith_cs', '!startswith_cs', 'endswith', '!endswith', 'endswith_cs', '!endswith_cs',
      '=~', '!~', 'like', 'notlike',
    ]) {
      assert.equal(expr(`a ${op} "x"`), `(${op} a "x")`, op);
    }
  });

  test('legacy spellings are normalised', () => {
    assert.equal(expr('a notcontains "x"'), '(!contains a "x")');
    assert.equal(expr('a containscs "x"'), '(contains_cs a "x")');
    assert.equal(expr('a notcontainscs "x"'), '(!contains_cs a "x")');
  });

  test('comparison levels do not chain, as in Kusto', () => {
    assert.deepEqual(errors('print a == b == c'), ["KS014 1:14 Unexpected '=='"]);
    assert.deepEqual(errors('print a < b < c'), ["KS014 1:13 Unexpected '<'"]);
    assert.deepEqual(errors('print a has b has c'), ["KS014 1:15 Unexpected 'has'"]);
    assert.deepEqual(errors('print a in (b) == c'), ["KS014 1:16 Unexpected '=='"]);
  });
});

describe('parser: literals in expressions', () => {
  test('numbers, bools, timespans', () => {
    assert.equal(expr('1'), '1');
    assert.equal(expr('1.5'), '1.5');
    assert.equal(expr('1e3'), 'real(1000)');
    assert.equal(expr('0x1F'), '31');
    assert.equal(expr('true'), 'true');
    assert.equal(expr('1.5h'), 'timespan(54000000000)');
  });

  test('literal node fields', () => {
    const lit = (text: string) => ((parse(`print ${text}`).query.statements[0] as A.ExpressionStatement).expression as A.PrintExpression).columns[0]!.expression as A.Literal;
    assert.deepEqual({ ...lit('42') }, { kind: 'Literal', type: 'long', value: 42, text: '42', start: 6, end: 8 });
    assert.deepEqual({ ...lit('1.5') }, { kind: 'Literal', type: 'real', value: 1.5, text: '1.5', start: 6, end: 9 });
    assert.deepEqual({ ...lit('FALSE') }, { kind: 'Literal', type: 'bool', value: false, text: 'FALSE', start: 6, end: 11 });
    assert.deepEqual({ ...lit('100ms') }, { kind: 'Literal', type: 'timespan', value: 1_000_000n, text: '100ms', start: 6, end: 11 });
    assert.deepEqual({ ...lit('"a\\tb"') }, { kind: 'Literal', type: 'string', value: 'a\tb', text: '"a\\tb"', start: 6, end: 12 });
  });

  test('adjacent string literals are concatenated into one Literal spanning all of them', () => {
    const text = 'print "a" \'b\' // comment\n @"c\\" h"d"';
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    const lit = ((r.query.statements[0] as A.ExpressionStatement).expression as A.PrintExpression).columns[0]!.expression as A.Literal;
    assert.equal(lit.kind, 'Literal');
    assert.equal(lit.type, 'string');
    assert.equal(lit.value, 'abc\\d');
    assert.equal(lit.start, 6);
    assert.equal(lit.end, text.length);
    assert.equal(lit.text, text.slice(6));
  });

  test('typed literals', () => {
    assert.equal(expr('int(5)'), 'int(5)');
    assert.equal(expr('long(-5)'), '-5');
    assert.equal(expr('real(1.5)'), '1.5');
    assert.equal(expr('double(2)'), 'real(2)');
    assert.equal(expr('real(+inf)'), 'real(Infinity)');
    assert.equal(expr('real(-inf)'), 'real(-Infinity)');
    assert.equal(expr('real(nan)'), 'real(NaN)');
    assert.equal(expr('bool(true)'), 'true');
    assert.equal(expr('boolean(false)'), 'false');
    assert.equal(expr('decimal(1.5)'), 'decimal("1.5")');
    assert.equal(expr('guid(74be27de-1e4e-49d9-b579-fe0b331d3642)'), 'guid("74be27de-1e4e-49d9-b579-fe0b331d3642")');
    assert.equal(expr('datetime(2015-12-31 23:59:59.9)'), 'datetime("2015-12-31 23:59:59.9")');
    assert.equal(expr('date(2015-12-31)'), 'datetime("2015-12-31")');
    assert.equal(expr("datetime('2015-12-31T01:02:03Z')"), 'datetime("2015-12-31T01:02:03Z")');
    assert.equal(expr('timespan(2)'), 'timespan(1728000000000)');
    assert.equal(expr('time(1d)'), 'timespan(864000000000)');
    assert.equal(expr('timespan(0.12:34:56.7)'), 'timespan(452967000000)');
    assert.equal(expr('timespan(15 seconds)'), 'timespan(150000000)');
    for (const type of ['int', 'long', 'real', 'double', 'bool', 'boolean', 'decimal', 'guid', 'datetime', 'date', 'timespan', 'time']) {
      assert.match(expr(`${type}(null)`), /^\w+\(null\)$/, type);
    }
    assert.equal(expr('dynamic(null)'), 'dynamic(null)');
  });

  test('dynamic literals: arrays, bags, nesting, Kusto literals inside', () => {
    assert.equal(
      expr('dynamic({"a": [1, -2.5, true, null, datetime(2020-01-01), 1d, -1h, "x" "y"], \'b\': {}, "c": dynamic([])})'),
      'dynamic({"a": [1, -2.5, true, dynamic(null), datetime("2020-01-01"), timespan(864000000000), timespan(-36000000000), "xy"], "b": {}, "c": []})',
    );
    assert.equal(expr('dynamic(["\\\\Temp\\\\", @"C:\\x"])'), 'dynamic(["\\\\Temp\\\\", "C:\\\\x"])');
    assert.equal(expr('dynamic(5)'), 'dynamic(5)');
    assert.equal(expr('dynamic("x")'), 'dynamic("x")');
    assert.equal(expr('dynamic(-5)'), 'dynamic(-5)');
    const node = ((parse('print dynamic([1, "a"])').query.statements[0] as A.ExpressionStatement).expression as A.PrintExpression).columns[0]!.expression;
    assert.equal(node.kind, 'DynamicLiteral');
    assert.deepEqual([node.start, node.end], [6, 23]);
  });

  test('dynamic literal errors', () => {
    assert.deepEqual(errors('print dynamic([1,])'), ["KS016 1:18 Expected a literal value in dynamic(…), found ']'"]);
    assert.deepEqual(errors('print dynamic({a:1})'), ['KS016 1:16 Expected a quoted property name in dynamic(…)']);
    assert.deepEqual(errors('print dynamic([x])'), ["KS016 1:16 Expected a literal value in dynamic(…), found 'x'"]);
    assert.deepEqual(errors('print dynamic()'), ['KS016 1:15 Expected a literal value in dynamic(…)']);
    assert.deepEqual(errors('print dynamic([1 2])'), ["KS010 1:18 Expected ',' or ']'"]);
  });

  test('invalid typed literals are reported, each one', () => {
    assert.deepEqual(errors('print int(abc), guid(xyz), timespan(1w)'), [
      "KS005 1:7 Invalid int literal 'int(abc)'",
      "KS005 1:17 Invalid guid literal 'guid(xyz)'",
      "KS005 1:28 Invalid timespan literal 'timespan(1w)'",
    ]);
  });

  test('null is a name, as in Kusto', () => {
    assert.equal(expr('null'), 'null');
  });
});

describe('parser: calls and arguments', () => {
  test('call arguments are full expressions including pipes, and *', () => {
    assert.equal(expr('count()'), '(call count)');
    assert.equal(expr('arg_max(Timestamp, *)'), '(call arg_max Timestamp *)');
    assert.equal(expr('toscalar(T | count)'), '(call toscalar (| T (count)))');
    assert.equal(expr('f(a, b + 1, g(c))'), '(call f a (+ b 1) (call g c))');
    assert.equal(expr('range(1, 5, 1)'), '(call range 1 5 1)');
  });

  test('named arguments', () => {
    assert.equal(expr('f(c=7, a=12)'), '(call f c=7 a=12)');
    assert.equal(expr('bin(5Minutebin=Timestamp, 5m)'), '(call bin 5Minutebin=Timestamp timespan(3000000000))');
  });

  test('in-list items may be tabular', () => {
    assert.equal(expr('x in ((T | project y))'), '(in x [(paren (| T (project y)))])');
    assert.equal(expr('x in (T | project y)'), '(in x [(| T (project y))])');
    assert.equal(expr('x in (T)'), '(in x [T])');
  });
});

describe('parser: statements', () => {
  test('statements separated by ;, empty statements and a trailing ; are fine', () => {
    assert.equal(tree(';;let a = 1;; ; print a;'), '(let a 1); (print a)');
    assert.equal(parse('').query.statements.length, 0);
    assert.equal(parse('  // nothing\n').query.statements.length, 0);
  });

  test('let: scalar, tabular, bracketed name', () => {
    assert.equal(tree('let x = 5; let T2 = T | where a > x; T2'), '(let x 5); (let T2 (| T (where (> a x)))); T2');
    assert.equal(tree("let ['my var'] = 1; print ['my var']"), '(let my var 1); (print my var)');
  });

  test('let: function definitions, with defaults, tabular parameters and views', () => {
    assert.equal(
      tree('let f = (a:string, b:long = 5) { T | where x == a | take b }; f("x")'),
      '(let f (function (a:string, b:long=5) (| (| T (where (== x a))) (take b)))); (call f "x")',
    );
    assert.equal(tree('let g = () { print 1 }; g()'), '(let g (function () (print 1))); (call g)');
    assert.equal(tree('let h = (T:(*), n:long) { let m = n * 2; T | take m }; h(U, 1)'), '(let h (function (T:(*), n:long) (let m (* n 2)); (| T (take m)))); (call h U 1)');
    assert.equal(tree('let k = (T:(x:string, y:long)) { T }; 1'), '(let k (function (T:(x:string, y:long)) T)); 1');
    assert.equal(tree('let V = view () { print 1 }; V'), '(let V (function () (print 1))); V');
    const fn = (firstStatement('let f = (a:string) { a };') as A.LetStatement).value as A.FunctionDefinition;
    assert.equal(fn.kind, 'FunctionDefinition');
    assert.deepEqual([fn.start, fn.end], [8, 24]);
  });

  test('set statements: an option name with an optional value', () => {
    assert.equal(formatTree(firstStatement('set querytrace;')), '(set querytrace)');
    assert.equal(formatTree(firstStatement('set query_bin_auto_size = 1h;')), '(set query_bin_auto_size timespan(36000000000))');
    const r = parse('set query_bin_auto_at=datetime(2017-01-01 00:05); print 1');
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.query.statements.map((s) => s.kind), ['SetStatement', 'ExpressionStatement']);
  });
  test('declare, alias, restrict, pattern are unsupported statements spanning to the ;', () => {
    const text = 'set querytrace; declare query_parameters(x:string = "a;b"); alias database db = cluster("c").database("d"); restrict access to (T); declare pattern p = (a:string) { ("x") = { T; } }; T';
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    const stmts = r.query.statements;
    assert.deepEqual(stmts.map((s) => s.kind === 'UnsupportedStatement' ? s.keyword : s.kind), ['SetStatement', 'declare', 'alias', 'restrict', 'declare', 'ExpressionStatement']);
    assert.deepEqual(stmts.slice(0, 5).map((s) => text.slice(s.start, s.end)), [
      'set querytrace', 'declare query_parameters(x:string = "a;b")', 'alias database db = cluster("c").database("d")',
      'restrict access to (T)', 'declare pattern p = (a:string) { ("x") = { T; } }',
    ]);
    assert.equal(formatTree(firstStatement('pattern p;')), '(unsupported-statement pattern)');
  });

  test('directives are unsupported statements', () => {
    assert.equal(tree('#connect cluster("x")\nT'), '(unsupported-statement #connect); T');
  });
});

describe('parser: sources', () => {
  test('print', () => {
    assert.equal(tree('print 1, x = 2, (a, b) = f()'), '(print 1, x=2, (a, b)=(call f))');
    assert.deepEqual(errors('print'), ['KS011 1:6 Expected expression']);
  });

  test('datatable, with signed literals and a trailing comma', () => {
    assert.equal(
      tree("datatable(A:string, B:long, ['C d']:dynamic) ['x', -1, dynamic([1]), 'y', 2, dynamic(null),]"),
      '(datatable (A:string, B:long, C d:dynamic) ["x", -1, dynamic([1]), "y", 2, dynamic(null)])',
    );
    const dt = (firstStatement('datatable(A:string)[]') as A.ExpressionStatement).expression as A.DatatableExpression;
    assert.deepEqual(dt.columns[0]!.typeSpan, { start: 12, end: 18 });
  });

  test('range', () => {
    assert.equal(tree('range x from 1 to 10 step 2'), '(range x 1 10 2)');
    assert.equal(tree('range t from ago(1d) to now() step 1h | where t > ago(1h)'), '(| (range t (call ago timespan(864000000000)) (call now) timespan(36000000000)) (where (> t (call ago timespan(36000000000)))))');
  });

  test('union with parameters, parenthesised legs and wildcards', () => {
    assert.equal(
      tree('union kind=outer withsource=Src isfuzzy=true T1, (T2 | where x), Dev*, *Events, A*B | sort by x'),
      '(| (union kind="outer" withsource="Src" isfuzzy=true T1, (paren (| T2 (where x))), Dev*, *Events, A*B) (sort x))',
    );
    assert.equal(tree('union *'), '(union *)');
    assert.equal(tree('T | union kind=inner U, V'), '(| T (union kind="inner" U, V))');
  });

  test('externaldata: columns, URIs (concatenated literals too) and with-properties', () => {
    const text = 'externaldata(a:string, n:long)[@"https://x/y.csv", h"z" "w"] with (format="csv", ignoreFirstRecord=true) | where a != ""';
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    const pipe = (r.query.statements[0] as A.ExpressionStatement).expression as A.PipeExpression;
    const src = pipe.source as A.ExternalDataExpression;
    assert.equal(src.kind, 'ExternalDataExpression');
    assert.deepEqual(src.columns.map((c) => `${c.name.name}:${c.typeName}`), ['a:string', 'n:long']);
    assert.deepEqual(src.uris.map((u) => u.value), ['https://x/y.csv', 'zw']);
    assert.deepEqual(src.properties.map((p) => [p.name, p.value]), [['format', 'csv'], ['ignoreFirstRecord', true]]);
    assert.equal(text.slice(src.start, src.end), 'externaldata(a:string, n:long)[@"https://x/y.csv", h"z" "w"] with (format="csv", ignoreFirstRecord=true)');
    assert.equal(formatTree(pipe.operator), '(where (!= a ""))');
  });

  test('search and find as sources: tables, predicate, projection', () => {
    const find = (parse('find withsource=S in (T1, Dev*) where x == 1 project a, b').query.statements[0] as A.ExpressionStatement).expression as A.FindExpression;
    assert.equal(find.kind, 'FindExpression');
    assert.equal(find.search, false);
    assert.deepEqual(find.tables.map((t) => (t as A.NameReference).name), ['T1', 'Dev*']);
    assert.equal(formatTree(find.predicate), '(== x 1)');
    assert.deepEqual(find.project?.map((p) => p.name), ['a', 'b']);
    const search = (parse('search kind=case_sensitive "x" and y > 2').query.statements[0] as A.ExpressionStatement).expression as A.FindExpression;
    assert.equal(search.search, true);
    assert.deepEqual(search.tables, []);
    assert.equal(formatTree(search.predicate), '(and "x" (> y 2))');
    assert.equal(tree('evaluate bag_unpack(x)'), '(call evaluate)');
  });
});

describe('parser: query operators', () => {
  const cases: [string, string][] = [
    ['T | where a > 1', '(| T (where (> a 1)))'],
    ['T | filter a', '(| T (where a))'],
    ['T | extend a = 1, b, c = d * 2', '(| T (extend a=1, b, c=(* d 2)))'],
    ['T | extend (x, y) = f(z)', '(| T (extend (x, y)=(call f z)))'],
    ["T | extend ['a b'] = 1", '(| T (extend a b=1))'],
    ['T | project a, b = c, d', '(| T (project a, b=c, d))'],
    ['T | project', '(| T (project))'],
    ['T | project kind = 1, count = 2, type = 3, by = 4', '(| T (project kind=1, count=2, type=3, by=4))'],
    ['T | project-away a, b*, *c, d*e, [\'f g\']', '(| T (project-away a, b*, *c, d*e, f g))'],
    ['T | project-keep a*', '(| T (project-keep a*))'],
    ['T | project-rename n = o, [\'x y\'] = p', '(| T (project-rename n=o x y=p))'],
    ['T | project-reorder A, B* asc, C desc, D granny-asc, E granny-desc', '(| T (project-reorder A B* asc C desc D granny-asc E granny-desc))'],
    ['T | summarize count()', '(| T (summarize (call count)))'],
    ['T | summarize by a, b', '(| T (summarize by a, b))'],
    ['T | summarize n = count(), m = max(x) by a, h = bin(t, 1h)', '(| T (summarize n=(call count), m=(call max x) by a, h=(call bin t timespan(36000000000))))'],
    ['T | summarize (t, x) = arg_max(t, *) by k', '(| T (summarize (t, x)=(call arg_max t *) by k))'],
    ['T | summarize hint.strategy=shuffle hint.num_partitions=4 count() by k', '(| T (summarize hint.strategy="shuffle" hint.num_partitions=4 (call count) by k))'],
    ['T | summarize', '(| T (summarize))'],
    ['T | count', '(| T (count))'],
    ['T | take 10', '(| T (take 10))'],
    ['T | limit n + 1', '(| T (limit (+ n 1)))'.replace('limit', 'take')],
    ['T | top 5 by a', '(| T (top 5 by a))'],
    ['T | top 5 by a asc nulls last', '(| T (top 5 by a asc nulls last))'],
    ['T | sort by a', '(| T (sort a))'],
    ['T | order by a desc nulls first, b asc, c nulls last', '(| T (sort a desc nulls first, b asc, c nulls last))'],
    ['T | distinct a, b', '(| T (distinct a, b))'],
    ['T | distinct *', '(| T (distinct *))'],
    ['T | where kind == 1 | extend count = by', '(| (| T (where (== kind 1))) (extend count=by))'],
  ];
  for (const [input, shape] of cases) {
    test(input, () => assert.equal(tree(input), shape));
  }

  test('pipes are left-associative; a source may be a call or a parenthesised expression', () => {
    assert.equal(tree('T | where a | take 1 | count'), '(| (| (| T (where a)) (take 1)) (count))');
    assert.equal(tree('(T | where a) | take 1'), '(| (paren (| T (where a))) (take 1))');
    assert.equal(tree('materialize(T) | take 1'), '(| (call materialize T) (take 1))');
    assert.equal(tree('print x = 1 | extend y = x'), '(| (print x=1) (extend y=x))');
  });

  test('sort without by, top without by', () => {
    assert.deepEqual(errors('T | sort a'), ["KS010 1:10 Expected 'by'"]);
    assert.deepEqual(errors('T | top 5 a'), ["KS010 1:11 Expected 'by'"]);
  });

  test('operator parameters without a value', () => {
    assert.deepEqual(errors('T | union kind= (U)'), ["KS017 1:17 Expected a value for parameter 'kind'"]);
  });
});

describe('parser: unsupported operators', () => {
  test('any other operator becomes UnsupportedOperator spanning its name; its arguments are skipped', () => {
    const text = [
      'T',
      '| sample-distinct kind=inner (U | where x == "a|b" | project k) on $left.k == $right.k',
      '| fork d to typeof(string)',
      '| facet Msg with * "key=" Value:string "|" *',
      '| reduce by x with threshold=0.5',
      '| foo-bar baz',
      '| sample timechart with (title="a | b")',
      '| where ok',
    ].join('\n');
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    const ops = pipeOperators((r.query.statements[0] as A.ExpressionStatement).expression);
    assert.deepEqual(ops.map((o) => (o.kind === 'UnsupportedOperator' ? o.name : o.kind)), [
      'sample-distinct', 'fork', 'facet', 'reduce', 'foo-bar', 'sample', 'WhereOperator',
    ]);
    for (const op of ops.slice(0, 6)) {
      assert.equal(text.slice(op.start, op.end), (op as A.UnsupportedOperator).name);
    }
    assert.equal(ops[0]!.start, text.indexOf('sample-distinct'));
  });

  test('every other operator name is recognised and not run', () => {
    for (const name of [

      'top-hitters', 'sample', 'sample-distinct', 'project-smart',
      'fork', 'facet', 'scan', 'consume', 'reduce', 'find', 'externaldata', 'extend-x',
    ]) {
      const r = parse(`T | ${name} a (b, [c], {d}) "e|f" | take 1`);
      assert.deepEqual(r.diagnostics, [], name);
      const ops = pipeOperators((r.query.statements[0] as A.ExpressionStatement).expression);
      assert.deepEqual(ops.map((o) => o.kind), ['UnsupportedOperator', 'TakeOperator'], name);
      assert.equal((ops[0] as A.UnsupportedOperator).name, name);
    }
  });

  test('inside parentheses, skipping stops at the closing parenthesis', () => {
    assert.equal(tree('T | where x in ((U | fork y | project y)) | take 1'), '(| (| T (where (in x [(paren (| (| U (unsupported fork)) (project y)))]))) (take 1))');
    assert.equal(tree('print toscalar(U | facet (V) on k | count)'), '(print (call toscalar (| (| U (unsupported facet)) (count))))');
  });
});

describe('parser: positions', () => {
  test('every node of a pipeline has its exact span', () => {
    const text = 'T\n| where FileName has_any ("a", "b") and x.y[0] > -1\n| project n = strcat(a, "-")';
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    const pipe = (r.query.statements[0] as A.ExpressionStatement).expression as A.PipeExpression;
    const at = (s: A.Span) => text.slice(s.start, s.end);
    assert.equal(at(pipe), text);
    const inner = pipe.source as A.PipeExpression;
    assert.equal(at(inner), 'T\n| where FileName has_any ("a", "b") and x.y[0] > -1');
    const where = inner.operator as A.WhereOperator;
    assert.equal(at(where), 'where FileName has_any ("a", "b") and x.y[0] > -1');
    const and = where.predicate as A.BinaryExpression;
    assert.equal(at(and.operatorSpan), 'and');
    const hasAny = and.left as A.InExpression;
    assert.equal(at(hasAny), 'FileName has_any ("a", "b")');
    assert.equal(at(hasAny.operatorSpan), 'has_any');
    assert.deepEqual(hasAny.items.map(at), ['"a"', '"b"']);
    const gt = and.right as A.BinaryExpression;
    assert.equal(at(gt.left), 'x.y[0]');
    assert.equal(at((gt.left as A.IndexExpression).target), 'x.y');
    assert.equal(at((((gt.left as A.IndexExpression).target) as A.MemberExpression).member), 'y');
    assert.equal(at(gt.right), '-1');
    const project = pipe.operator as A.ProjectOperator;
    assert.equal(at(project), 'project n = strcat(a, "-")');
    const named = project.columns[0]!;
    assert.equal(at(named), 'n = strcat(a, "-")');
    assert.equal(at(named.names[0]!), 'n');
    const call = named.expression as A.CallExpression;
    assert.equal(at(call), 'strcat(a, "-")');
    assert.equal(at(call.name), 'strcat');
  });

  test('let statements, parameters, operator parameters, sort expressions, bracketed names, matches regex', () => {
    const text = "let x = 1;\nT | summarize hint.strategy=shuffle c = count() by ['k k'] | sort by c desc nulls last | where a matches regex 'x'";
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    const at = (s: A.Span) => text.slice(s.start, s.end);
    assert.equal(at(r.query.statements[0]!), 'let x = 1');
    assert.deepEqual([r.query.start, r.query.end], [0, text.length]);
    const ops = pipeOperators((r.query.statements[1] as A.ExpressionStatement).expression);
    const summarize = ops[0] as A.SummarizeOperator;
    assert.equal(at(summarize.parameters[0]!), 'hint.strategy=shuffle');
    assert.equal(at(summarize.by[0]!), "['k k']");
    const sort = ops[1] as A.SortOperator;
    assert.equal(at(sort.by[0]!), 'c desc nulls last');
    const matches = (ops[2] as A.WhereOperator).predicate as A.BinaryExpression;
    assert.equal(matches.operator, 'matches regex');
    assert.equal(at(matches.operatorSpan), 'matches regex');
  });

  test('unary minus, between, parentheses, star, union wildcard', () => {
    const text = "print -(a), b between (1 .. 2), count(*), f(x)['k']";
    const r = parse(text);
    assert.deepEqual(r.diagnostics, []);
    const cols = ((r.query.statements[0] as A.ExpressionStatement).expression as A.PrintExpression).columns.map((c) => c.expression);
    const at = (s: A.Span) => text.slice(s.start, s.end);
    assert.deepEqual(cols.map(at), ['-(a)', 'b between (1 .. 2)', 'count(*)', "f(x)['k']"]);
    assert.equal(at((cols[0] as A.UnaryExpression).operand), '(a)');
    assert.equal(at((cols[2] as A.CallExpression).args[0]!), '*');
    const u = parse('union Dev*, T').query.statements[0] as A.ExpressionStatement;
    assert.deepEqual((u.expression as A.UnionExpression).tables.map((t) => [t.start, t.end]), [[6, 10], [12, 13]]);
  });
});

describe('parser: errors, positions and recovery', () => {
  test('Kusto-like messages with line and column', () => {
    assert.deepEqual(errors('T | where (a == 1\n| take 5'), ["KS010 2:9 Expected ')'"]);
    assert.deepEqual(errors('T | where a == 1 b | take 2'), ["KS014 1:18 Unexpected 'b'"]);
    // a missing expression is reported right after the last token, where Kusto.Language reports it
    assert.deepEqual(errors('T | where | take 2'), ['KS011 1:10 Expected expression']);
    assert.deepEqual(errors('T |'), ["KS013 1:4 Expected a query operator after '|'"]);
    assert.deepEqual(errors('T | | take 1'), ["KS013 1:5 Expected a query operator after '|'"]);
    assert.deepEqual(errors('T | where x == 1)'), ["KS014 1:17 Unexpected ')'"]);
    assert.deepEqual(errors('T | project a b, c'), ["KS014 1:15 Unexpected 'b'"]);
    assert.deepEqual(errors('T\nT2'), ["KS014 2:1 Unexpected 'T2'"]);
    assert.deepEqual(errors('let x = ; T'), ['KS011 1:8 Expected expression']);
    assert.deepEqual(errors('print "abc'), ['KS002 1:11 Unterminated string literal']);
    assert.deepEqual(errors('T | where x > "\\T"'), ["KS003 1:16 Invalid escape sequence '\\T' in string literal"]);
    assert.deepEqual(errors('T | where a ^ b'), ["KS001 1:13 Unexpected character '^'"]);
    assert.deepEqual(errors('print x.'), ["KS012 1:9 Expected a name after '.'"]);
    assert.deepEqual(errors('datatable(a:)[1]'), ['KS015 1:13 Expected a type name']);
    assert.deepEqual(errors('T | where (a'), ["KS010 1:13 Expected ')'"]);
    assert.deepEqual(errors('print f(a'), ["KS010 1:10 Expected ')'"]);
    assert.deepEqual(errors('T | union (U | where x'), ["KS010 1:23 Expected ')'"]);
  });

  test("where Name = value is accepted as Kusto does (the value alone filters), with a warning", () => {
    const r = parse('T | where isAudit = true');
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0]!.severity, 'warning');
    assert.equal(r.diagnostics[0]!.code, 'KS019');
    assert.equal(formatTree(r.query), '(| T (where true))');
  });

  test('the exact offset and length of a diagnostic', () => {
    const [d] = parse('T\n| where x == 1 garbage').diagnostics;
    assert.deepEqual(d, { code: 'KS014', message: "Unexpected 'garbage'", start: 17, length: 7, line: 2, column: 16 });
  });

  test('recovery: one error per mistake, parsing resumes at the next | or ;', () => {
    const text = [
      'T',
      '| where (a == 1',
      '| extend x = , y = 2',
      '| take 5 6',
      '| project z;',
      'print "a\\T";',
      'let y = dynamic([1,]);',
      'U | summarize count() by',
    ].join('\n');
    // as in Kusto, the parenthesis opened on line 2 takes the following pipes: it is missing at the ';'
    assert.deepEqual(errors(text), [
      'KS011 3:13 Expected expression',
      "KS014 4:10 Unexpected '6'",
      "KS010 5:12 Expected ')'",
      "KS003 6:9 Invalid escape sequence '\\T' in string literal",
      "KS016 7:20 Expected a literal value in dynamic(…), found ']'",
      'KS011 8:25 Expected expression',
    ]);
    const r = parse(text);
    assert.equal(r.query.statements.length, 4);
    const ops = pipeOperators((r.query.statements[0] as A.ExpressionStatement).expression);
    assert.deepEqual(ops.map((o) => o.kind), ['WhereOperator']);
    const inner = pipeOperators(((ops[0] as A.WhereOperator).predicate as A.ParenthesizedExpression).expression);
    assert.deepEqual(inner.map((o) => o.kind), ['ExtendOperator', 'TakeOperator', 'ProjectOperator']);
    assert.equal(formatTree(inner[0]), '(extend x=<missing>, y=2)');
    assert.deepEqual(errors('T\n| where a == 1 b\n| extend x = \n| take 5 6'), [
      "KS014 2:16 Unexpected 'b'",
      'KS011 3:13 Expected expression',
      "KS014 4:10 Unexpected '6'",
    ]);
  });

  test('errors in separate list items are each reported', () => {
    assert.deepEqual(errors('print f(a b, c d)'), ["KS014 1:11 Unexpected 'b'", "KS014 1:16 Unexpected 'd'"]);
  });

  test('a stray closer at statement level is reported once and skipped', () => {
    assert.deepEqual(errors(') ] } T | take 1'), ["KS014 1:1 Unexpected ')'"]);
    assert.equal(formatTree(parse(') T').query), 'T');
  });

  test('nesting too deep is reported, not a stack overflow', () => {
    assert.deepEqual(errors(`print ${'('.repeat(10_000)}1`), ['KS018 1:307 The query is nested too deeply']);
    assert.deepEqual(errors(`print ${'-'.repeat(10_000)}1`).map((e) => e.slice(0, 5)), ['KS018']);
    assert.deepEqual(errors(`T${' | take 1'.repeat(1500)}`).map((e) => e.slice(0, 5)), ['KS018']);
    assert.deepEqual(errors(`print ${'1+'.repeat(1500)}1`).map((e) => e.slice(0, 5)), ['KS018']);
    assert.deepEqual(errors(`print ${'('.repeat(250)}1${')'.repeat(250)}`), []);
  });
});

// ───────────────────────────── fuzzing ─────────────────────────────

/** Deterministic pseudo-random numbers (a linear congruential generator). */
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** Parses and checks the result is well formed: diagnostics in range, every span inside its parent. */
function parseChecked(text: string): void {
  const started = performance.now();
  const r = parse(text);
  assert.ok(performance.now() - started < 5000, `parse took too long for ${JSON.stringify(text.slice(0, 80))}`);
  for (const d of r.diagnostics) {
    assert.ok(d.start >= 0 && d.length >= 0 && d.start + d.length <= text.length && d.line >= 1 && d.column >= 1, JSON.stringify(d));
    assert.match(d.code, /^KS0\d\d$/);
  }
  const stack: [unknown, A.Span | undefined][] = [[r.query, undefined]];
  while (stack.length > 0) {
    const [n, parent] = stack.pop()!;
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (const x of n) stack.push([x, parent]);
      continue;
    }
    const node = n as Record<string, unknown>;
    let span = parent;
    if (typeof node.start === 'number' && typeof node.end === 'number') {
      const s = node as unknown as A.Span;
      assert.ok(s.start >= 0 && s.start <= s.end && s.end <= text.length, `bad span ${String(node.kind)} ${s.start}-${s.end}`);
      if (parent && node.kind !== undefined) {
        assert.ok(s.start >= parent.start && s.end <= parent.end, `${String(node.kind)} ${s.start}-${s.end} outside its parent ${parent.start}-${parent.end} in ${JSON.stringify(text.slice(0, 200))}`);
      }
      if (node.kind !== undefined && node.kind !== 'Query') span = s;
    }
    for (const v of Object.values(node)) if (v && typeof v === 'object') stack.push([v, span]);
  }
}

const FUZZ_SEED_QUERY = `let StagingPaths = dynamic(["\\\\Temp\\\\", @"\\tmp\\"]);
let f = (a:string, b:long = 5) { T | where x == a | take b };
DeviceFileEvents
| where Timestamp > ago(24h) and Timestamp between (datetime(2024-01-01) .. 1d)
| where ActionType in~ ("FileCreated", 'FileModified') or FolderPath has_any (StagingPaths)
| summarize hint.strategy=shuffle FileCount=count(), (t, x) = arg_max(Timestamp, *) by DeviceName, bin(Timestamp, 1h)
| extend Ext = tolower(tostring(split(FileName, ".")[-1])), y = x.['a b'].c
| join kind=inner (U | project k) on $left.k == $right.k
| project-away *Id | project-rename A = B | project-reorder A, B* asc
| top 10 by FileCount desc nulls last
| union isfuzzy=true (datatable(a:long)[1, -2]), Dev*
| sort by Timestamp desc; print x = timespan(1.02:03:04), y = h'secret' "more" // comment
`;

describe('parser: fuzzing (no exception, no endless loop, well-formed spans)', () => {
  test('every truncation of a query using most of the syntax', () => {
    for (let i = 0; i <= FUZZ_SEED_QUERY.length; i++) parseChecked(FUZZ_SEED_QUERY.slice(0, i));
  });

  test('random edits of that query', () => {
    const random = rng(7);
    const pieces = ['|', '(', ')', '[', ']', '{', '}', ',', ';', '"', "'", '\\', '@', 'h', '```', 'let', '=', '==', 'in', '!in', 'between', '..', 'dynamic(', 'datetime(', 'by', '-', '*', '\n', '//', 'project-away', 'union', 'print', 'range', ':', '.', 'matches', '#', '\u200b', '😀', '\0'];
    for (let k = 0; k < 1500; k++) {
      let s = FUZZ_SEED_QUERY;
      const edits = 1 + Math.floor(random() * 6);
      for (let m = 0; m < edits; m++) {
        const p = Math.floor(random() * (s.length + 1));
        const op = random();
        if (op < 0.4) s = s.slice(0, p) + pieces[Math.floor(random() * pieces.length)]! + s.slice(p);
        else if (op < 0.7) s = s.slice(0, p) + s.slice(p + 1 + Math.floor(random() * 12));
        else s = s.slice(0, p) + String.fromCharCode(Math.floor(random() * 0x3000)) + s.slice(p);
      }
      parseChecked(s);
    }
  });

  test('random bytes and token soup', () => {
    const random = rng(11);
    const words = ['T', 'where', 'x', '==', '1', '|', '(', ')', '[', ']', ',', ';', '"a"', 'let', '=', 'summarize', 'by', 'count()', 'dynamic(', '{', '}', ':', 'in', 'between', '..', '-', '*', 'print', 'datatable', 'range', 'from', 'to', 'step', 'union', 'extend', 'project', 'sort', 'top', 'take', '.', 'has'];
    for (let k = 0; k < 2000; k++) {
      let s = '';
      const len = Math.floor(random() * 120);
      if (k % 2 === 0) for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(random() * 256));
      else for (let i = 0; i < len; i++) s += words[Math.floor(random() * words.length)]! + (random() < 0.6 ? ' ' : '');
      parseChecked(s);
    }
  });

  test('pathological inputs', () => {
    for (const s of [
      '('.repeat(100_000), '['.repeat(100_000), `print dynamic(${'['.repeat(50_000)}`, `print ${'f('.repeat(30_000)}`,
      'let f = () {'.repeat(5_000), `print ${'a.'.repeat(50_000)}b`, `T${' | where x'.repeat(20_000)}`, '"'.repeat(100_001),
      `print ${'x[0]'.repeat(30_000)}`, `print ${'not('.repeat(10_000)}`, ')'.repeat(10_000), '|'.repeat(10_000), ';'.repeat(10_000),
    ]) {
      parseChecked(s);
    }
  });
});

// ───────────────────────────── the seed rule ─────────────────────────────

describe('parser: the seed rule', () => {
  const seedDir = sharedPath('seed');
  test('parses without diagnostics into the expected tree', (t) => {
    const file = sharedPath('seed', '000_695ec8f7fecb77e9.txt');
    if (!seedDir || !file) {
      t.skip('../shared/seed absent');
      return;
    }
    const page = readFileSync(file, 'utf8');
    const start = page.indexOf('let StagingPaths');
    const endMarker = '| sort by Timestamp desc';
    const end = page.indexOf(endMarker) + endMarker.length;
    assert.ok(start >= 0 && end > start, 'the seed page contains the query');
    const query = page.slice(start, end);
    const r = parse(query);
    assert.deepEqual(r.diagnostics, []);
    const stmts = r.query.statements;
    assert.deepEqual(stmts.map((s) => (s.kind === 'LetStatement' ? `let ${s.name.name}` : s.kind)), [
      'let StagingPaths', 'let StagingExtensions', 'let BulkCopyProcesses', 'let BulkFileStaging', 'let ArchiveStaging', 'let BulkCopyStaging', 'ExpressionStatement',
    ]);
    const lets = stmts.slice(0, 6) as A.LetStatement[];
    assert.equal(
      formatTree(lets[0]!.value),
      'dynamic(["\\\\Temp\\\\", "\\\\tmp\\\\", "\\\\AppData\\\\Local\\\\Temp\\\\", "\\\\AppData\\\\Roaming\\\\", "\\\\ProgramData\\\\", "\\\\Users\\\\Public\\\\", "\\\\Windows\\\\Temp\\\\"])',
    );
    const staging = (lets[0]!.value as A.DynamicLiteral).value;
    assert.equal(staging.kind, 'array');
    assert.deepEqual(staging.kind === 'array' && staging.items.map((i) => (i.kind === 'scalar' ? i.literal.value : undefined)), [
      '\\Temp\\', '\\tmp\\', '\\AppData\\Local\\Temp\\', '\\AppData\\Roaming\\', '\\ProgramData\\', '\\Users\\Public\\', '\\Windows\\Temp\\',
    ]);
    assert.equal(formatTree(lets[1]!.value), 'dynamic([".zip", ".7z", ".rar", ".tar", ".gz", ".cab", ".iso"])');
    assert.equal(formatTree(lets[2]!.value), 'dynamic(["robocopy.exe", "xcopy.exe", "copy", "cp", "rsync"])');
    assert.deepEqual(pipeOperators(lets[3]!.value as A.Expression).map(formatTree), [
      '(where (> Timestamp (call ago timespan(864000000000))))',
      '(where (in ActionType ["FileCreated", "FileModified"]))',
      '(where (has_any FolderPath [StagingPaths]))',
      '(summarize FileCount=(call count), Extensions=(call make_set (call tolower (call tostring (index (call split FileName ".") (- 1))))), FirstSeen=(call min Timestamp), LastSeen=(call max Timestamp) by DeviceName, InitiatingProcessAccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, FolderPath)',
      '(where (>= FileCount 10))',
      '(extend StagingType="BulkFileStaging")',
      '(project Timestamp=LastSeen, DeviceName, AccountName=InitiatingProcessAccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, FolderPath, FileCount, Extensions, StagingType)',
    ]);
    assert.equal(((lets[3]!.value as A.PipeExpression).operator as A.ProjectOperator).kind, 'ProjectOperator');
    assert.deepEqual(pipeOperators(lets[4]!.value as A.Expression).map(formatTree), [
      '(where (> Timestamp (call ago timespan(864000000000))))',
      '(where (== ActionType "FileCreated"))',
      '(where (has_any FolderPath [StagingPaths]))',
      '(where (has_any FileName [StagingExtensions]))',
      '(extend StagingType="ArchiveCreated")',
      '(project Timestamp, DeviceName, AccountName=InitiatingProcessAccountName, InitiatingProcessFileName, InitiatingProcessCommandLine, FolderPath, FileName, StagingType)',
    ]);
    assert.deepEqual(pipeOperators(lets[5]!.value as A.Expression).map(formatTree), [
      '(where (> Timestamp (call ago timespan(864000000000))))',
      '(where (in~ FileName ["robocopy.exe", "xcopy.exe", "cmd.exe", "powershell.exe"]))',
      '(where (and (has_any ProcessCommandLine ["robocopy", "xcopy", "copy /", "Copy-Item", "cp -r"]) (has_any ProcessCommandLine [StagingPaths])))',
      '(extend StagingType="BulkCopyCommand")',
      '(project Timestamp, DeviceName, AccountName, FileName, ProcessCommandLine, InitiatingProcessFileName, InitiatingProcessCommandLine, StagingType)',
    ]);
    const last = (stmts[6] as A.ExpressionStatement).expression;
    assert.equal(formatTree(last), '(| (union BulkFileStaging, ArchiveStaging, BulkCopyStaging) (sort Timestamp desc))');
    // positions: the last statement starts at `union` and ends the query
    assert.equal(query.slice(last.start, last.end), 'union BulkFileStaging, ArchiveStaging, BulkCopyStaging\n| sort by Timestamp desc');
    for (const s of lets) assert.ok(query.slice(s.start, s.end).startsWith(`let ${s.name.name} =`));
  });
});
