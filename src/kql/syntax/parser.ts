/**
 * The KQL parser: text → `Query` syntax tree + syntax diagnostics. Hand-written recursive descent
 * over the lexer's tokens. `parse` never throws and always terminates: every loop consumes a token
 * or leaves; nesting deeper than MAX_DEPTH (about 300 parentheses) and operator chains longer than
 * MAX_CHAIN (1000 pipes, `or`s, `+`s…) are reported (KS018) instead of building a tree so deep that
 * the recursive phases after the parser would overflow the stack.
 *
 * Syntax diagnostic codes (see codes.ts):
 *
 * | code  | meaning                                                                  | example message                                       |
 * |-------|--------------------------------------------------------------------------|-------------------------------------------------------|
 * | KS001 | a character that is not part of KQL                                       | Unexpected character '^'                              |
 * | KS002 | string literal without its closing quote (raw line breaks end a literal)  | Unterminated string literal                           |
 * | KS003 | backslash escape outside §2's set (`\T`, `\x4`, `\u12`, …)               | Invalid escape sequence '\T' in string literal        |
 * | KS004 | number that does not fit its type (`99999999999999999999`)                | Integer literal '…' is out of the range of long       |
 * | KS005 | `type(…)` literal whose inside is not a value of that type                | Invalid long literal 'long(abc)'                      |
 * | KS010 | a required token is missing                                               | Expected ')'  /  Expected 'by'  /  Expected '='       |
 * | KS011 | an expression is required here                                            | Expected expression                                   |
 * | KS012 | a name (identifier or ['bracketed name']) is required here                | Expected a name                                       |
 * | KS013 | `|` not followed by a query operator name                                 | Expected a query operator after '|'                   |
 * | KS014 | a token that cannot continue the statement (parsing resumes at the next   | Unexpected 'b'                                        |
 * |       | `|` or `;` at nesting depth 0)                                            |                                                       |
 * | KS015 | a type name is required (`datatable(x:long)`, `(a:string)` parameters)    | Expected a type name                                  |
 * | KS016 | something that is not a literal inside `dynamic(…)`                      | Expected a literal value in dynamic(…)                |
 * | KS017 | operator parameter without a value (`kind=`)                              | Expected a value for parameter 'kind'                 |
 * | KS018 | nesting deeper than the parser accepts                                    | The query is nested too deeply                        |
 * | KS019 | `where Name = value`: Kusto.Language reads this as a named value and      | '=' does not compare in KQL: use '=='                 |
 * |       | filters on `value` alone (`where x = true` keeps every row); rejected      |                                                       |
 * |       | because it is virtually always a typo for `==`                             |                                                       |
 * | KS099 | internal parser failure (a bug; reported instead of throwing)             | Internal parser error: …                              |
 *
 * After an error the parser is in "panic" mode and reports nothing more until it reaches a
 * synchronisation point (`|`, `;`, a list separator), so one mistake gives one diagnostic. Lexical
 * errors (KS001-KS004) and bad `type(…)` literals (KS005) are local and always reported.
 *
 * Shape decisions (what the binder can rely on):
 *  - Operator precedence is Kusto.Language's (checked against `@kusto/language-service-next`), from
 *    loosest to tightest: `or`; `and`; `== != <>` and the list operators `in !in in~ !in~ has_any
 *    has_all` and `between !between`; `< <= > >=`; `+ -`; `* / %`; the string operators (`has`,
 *    `contains`, `startswith`, …, `=~`, `!~`, `matches regex`, `like`…); unary `- +`; postfix
 *    `f()`, `x[i]`, `x.name`. The equality, relational and string levels are non-associative
 *    (`a == b == c` is an error, as in Kusto). So `a has b + c` is `(a has b) + c`, like Kusto
 *    (a deliberate departure from "comparison, string and list operators on one level above
 *    `+`": Kusto.Language builds the tree this way and it is the oracle for syntax).
 *  - `print`, `datatable`, `range … from`, `union` are recognised at the start of a pipeline (top
 *    level, in parentheses, in call arguments and `in (…)` items), never as an operand.
 *  - A signed number in `dynamic(…)` or in `datatable` rows is one Literal (`-1.5`), as in Kusto;
 *    elsewhere `-1` is `UnaryExpression('-', 1)`.
 *  - More lenient than Kusto.Language where that is harmless: empty statements (`;;`), keywords
 *    as names (`project kind = 1`, `x.where`), `--1`, `boolean(…)` literals.
 *  - `notcontains`, `notcontainscs`, `containscs` are normalised to `!contains`, `!contains_cs`,
 *    `contains_cs`; every other operator is stored as written.
 *  - A missing expression (after a reported error) is a zero-width `NameReference` with name ''.
 *  - `externaldata`, `external_data`, `find`, `search` and `evaluate` at the start of an
 *    expression are not parsed: they become a `CallExpression` named after the keyword with no
 *    arguments, spanning the skipped text up to the next `|`/`;`/unmatched closer, so the binder can
 *    report them as unsupported. Query operators that are not parsed become `UnsupportedOperator`
 *    spanning just the operator name; their arguments are skipped (the enclosing PipeExpression
 *    spans them).
 *  - `a.f(x)` (e.g. `cluster('c').database('d')`) is a `CallExpression` with `target` set;
 *    `f(c=7)` has a `NamedArgument` among its args; `x.[e]` is `IndexExpression(x, e)`.
 *  - `null` in an expression is a `NameReference` (Kusto has no untyped null literal);
 *    `dynamic(null)` is `Literal { type: 'dynamic', value: null }`.
 */
import type * as A from './ast.js';
import { type Diagnostic, lineColumnOf, makeDiagnostic } from './diagnostics.js';
import { KS } from './codes.js';
import { type Token, tokenize } from './lexer.js';
import { decodeTypedLiteral } from './literals.js';
import { type GraphParserHost, parseGraphMarkComponents, parseGraphMatch, parseGraphToTable, parseMakeGraph } from './graph-parser.js';

export interface ParseResult {
  query: A.Query;
  diagnostics: Diagnostic[];
}

/** Parses a whole query (statements separated by `;`). Never throws. */
export function parse(text: string): ParseResult {
  try {
    return new Parser(text).parseQuery();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      query: { kind: 'Query', statements: [], start: 0, end: text.length },
      diagnostics: [makeDiagnostic(text, KS.Internal, `Internal parser error: ${message}`, 0, 0)],
    };
  }
}

/** Nesting levels (parentheses, brackets, unary signs, function bodies…) counted by enter(). */
const MAX_DEPTH = 600;
/** Operators chained at one level (`a | b | …`, `a + b + …`, `a or b or …`, `x.a.b…`): the tree's depth. */
const MAX_CHAIN = 1000;

const CLOSERS = new Set([')', ']', '}']);
const OPENER_TO_CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

const STRING_OPERATORS = new Map<string, string>([
  ['has', 'has'], ['has_cs', 'has_cs'], ['!has', '!has'], ['!has_cs', '!has_cs'],
  ['hasprefix', 'hasprefix'], ['hasprefix_cs', 'hasprefix_cs'], ['!hasprefix', '!hasprefix'], ['!hasprefix_cs', '!hasprefix_cs'],
  ['hassuffix', 'hassuffix'], ['hassuffix_cs', 'hassuffix_cs'], ['!hassuffix', '!hassuffix'], ['!hassuffix_cs', '!hassuffix_cs'],
  ['contains', 'contains'], ['contains_cs', 'contains_cs'], ['containscs', 'contains_cs'],
  ['!contains', '!contains'], ['!contains_cs', '!contains_cs'], ['notcontains', '!contains'], ['notcontainscs', '!contains_cs'],
  ['startswith', 'startswith'], ['startswith_cs', 'startswith_cs'], ['!startswith', '!startswith'], ['!startswith_cs', '!startswith_cs'],
  ['endswith', 'endswith'], ['endswith_cs', 'endswith_cs'], ['!endswith', '!endswith'], ['!endswith_cs', '!endswith_cs'],
  ['like', 'like'], ['likecs', 'likecs'], ['notlike', 'notlike'], ['notlikecs', 'notlikecs'],
]);

const IN_OPERATORS = new Set(['in', '!in', 'in~', '!in~', 'has_any', 'has_all']);

const UNSUPPORTED_STATEMENTS = new Set(['declare', 'alias', 'restrict', 'pattern']);

/** Expression-start keywords whose syntax is not parsed (see the header). */
const OPAQUE_SOURCES = new Set<string>();

const UNION_PARAMETERS = new Set(['kind', 'withsource', 'with_source', 'isfuzzy']);

type Stops = ReadonlySet<string>;
const TOP_STOPS: Stops = new Set([';']);
const MV_EXPAND_PARAMETERS = new Set(['bagexpansion', 'kind', 'with_itemindex']);
const BODY_STOPS: Stops = new Set([';', '}']);
const PAREN_STOPS: Stops = new Set([')']);
const LIST_STOPS: Stops = new Set([',', ')']);

class Parser {
  private readonly text: string;
  private readonly tokens: Token[];
  private readonly diagnostics: Diagnostic[];
  private pos = 0;
  private panic = false;
  private depth = 0;

  constructor(text: string) {
    this.text = text;
    const lexed = tokenize(text);
    this.tokens = lexed.tokens;
    this.diagnostics = lexed.diagnostics;
  }

  parseQuery(): ParseResult {
    const statements = this.parseStatementList(undefined);
    const diagnostics = this.diagnostics.slice().sort((a, b) => a.start - b.start);
    return { query: { kind: 'Query', statements, start: 0, end: this.text.length }, diagnostics };
  }

  // ───────────────────────────── token helpers ─────────────────────────────

  private get tok(): Token {
    return this.tokens[this.pos]!;
  }

  private peek(k = 1): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'EOF') this.pos++;
    return t;
  }

  /** End of the last consumed token (0 before the first). */
  private prevEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1]!.end : 0;
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'Punct' && t.text === p;
  }

  private atPunct(p: string): boolean {
    return this.isPunct(this.tok, p);
  }

  private isWord(t: Token, w?: string): boolean {
    return t.kind === 'Identifier' && (w === undefined || t.text === w);
  }

  private atWord(w?: string): boolean {
    return this.isWord(this.tok, w);
  }

  private eatPunct(p: string): Token | undefined {
    return this.atPunct(p) ? this.next() : undefined;
  }

  private atEOF(): boolean {
    return this.tok.kind === 'EOF';
  }

  /** `|`, `;`, a closer or the end: where a query operator's arguments end. */
  private atOperatorEnd(): boolean {
    const t = this.tok;
    return t.kind === 'EOF' || (t.kind === 'Punct' && (t.text === '|' || t.text === ';' || CLOSERS.has(t.text)));
  }

  private describe(t: Token): string {
    if (t.kind === 'EOF') return 'end of query';
    const shown = t.text.length > 40 ? `${t.text.slice(0, 37)}...` : t.text;
    return `'${shown}'`;
  }

  // ───────────────────────────── diagnostics ─────────────────────────────

  private error(code: string, message: string, start: number, length: number): void {
    if (!this.panic) this.diagnostics.push(makeDiagnostic(this.text, code, message, start, length));
    this.panic = true;
  }

  /** Reports at a token, unless the lexer already reported that token. */
  private errorAt(t: Token, code: string, message: string): void {
    if (t.hasError) {
      this.panic = true;
      return;
    }
    this.error(code, message, t.start, t.end - t.start);
  }

  private expectPunct(p: string): Token | undefined {
    if (this.atPunct(p)) return this.next();
    this.errorAt(this.tok, KS.ExpectedToken, `Expected '${p}'`);
    return undefined;
  }

  private expectWord(w: string): Token | undefined {
    if (this.atWord(w)) return this.next();
    this.errorAt(this.tok, KS.ExpectedToken, `Expected '${w}'`);
    return undefined;
  }

  /**
   * Skips tokens up to (not including) the next stop at nesting depth 0: a punctuation in `stops`,
   * a `|` when `stopAtPipe`, or an unmatched closer (consumed instead when `consumeStrayClosers`).
   * Reports an unclosed bracket when the end of the query comes first.
   */
  private skipUntil(stops: Stops, stopAtPipe: boolean, consumeStrayClosers: boolean): void {
    const open: { closer: string; tok: Token }[] = [];
    for (;;) {
      const t = this.tok;
      if (t.kind === 'EOF') break;
      if (t.kind === 'Punct') {
        if (open.length === 0) {
          if (stops.has(t.text) || (stopAtPipe && t.text === '|')) return;
          if (CLOSERS.has(t.text)) {
            if (!consumeStrayClosers) return;
            this.next();
            continue;
          }
        }
        const closer = OPENER_TO_CLOSER[t.text];
        if (closer) {
          open.push({ closer, tok: t });
        } else if (CLOSERS.has(t.text)) {
          const i = open.map((o) => o.closer).lastIndexOf(t.text);
          if (i >= 0) open.length = i;
        }
      }
      this.next();
    }
    const unclosed = open[open.length - 1];
    if (unclosed) {
      const { line, column } = lineColumnOf(this.text, unclosed.tok.start);
      this.error(KS.ExpectedToken, `Expected '${unclosed.closer}' to close the '${unclosed.tok.text}' at line ${line}, column ${column}`, this.text.length, 0);
    }
  }

  private enter(): boolean {
    if (this.depth >= MAX_DEPTH) {
      this.tooDeep();
      return false;
    }
    this.depth++;
    return true;
  }

  /** Checks the length of a chain of left-nested operators; false (and gives up) beyond MAX_CHAIN. */
  private chain(count: number): boolean {
    if (count <= MAX_CHAIN) return true;
    this.tooDeep();
    return false;
  }

  private tooDeep(): void {
    this.panic = false;
    this.error(KS.NestedTooDeeply, 'The query is nested too deeply', this.tok.start, Math.max(0, this.tok.end - this.tok.start));
    this.pos = this.tokens.length - 1; // give up on the rest: every caller unwinds at EOF
  }

  private leave(): void {
    this.depth--;
  }

  // ───────────────────────────── node helpers ─────────────────────────────

  /** A zero-width placeholder right after the last token read (inside the enclosing node). */
  private missing(at = this.prevEnd()): A.NameReference {
    return { kind: 'NameReference', name: '', start: at, end: at };
  }

  /** A missing expression is reported where it is missing: right after the last token read, as Kusto does. */
  private expectExpressionError(): A.NameReference {
    if (this.tok.hasError) this.panic = true;
    else this.error(KS.ExpectedExpression, 'Expected expression', this.prevEnd(), 0);
    return this.missing();
  }

  /** `[` string `]` ahead (a bracketed name)? */
  private atBracketedName(): boolean {
    return this.atPunct('[') && this.peek().kind === 'String' && this.isPunct(this.peek(2), ']');
  }

  private parseBracketedName(): A.Identifier {
    const open = this.next();
    const str = this.next();
    const close = this.next();
    return { kind: 'Identifier', name: String(str.value ?? ''), start: open.start, end: close.end };
  }

  /** A plain or bracketed identifier (keywords are contextual: any word is a name here). */
  private parseName(): A.Identifier {
    const t = this.tok;
    if (t.kind === 'Identifier') {
      this.next();
      return { kind: 'Identifier', name: t.text, start: t.start, end: t.end };
    }
    if (this.atBracketedName()) return this.parseBracketedName();
    this.errorAt(t, KS.ExpectedName, 'Expected a name');
    return { kind: 'Identifier', name: '', start: this.prevEnd(), end: this.prevEnd() };
  }

  /**
   * `item (, item)* close` after the opener was consumed. On a token that is neither `,` nor
   * `close`, reports and skips to the next `,` or `close` at depth 0. Returns the end offset
   * (after `close`, or of the last token read when it is missing).
   */
  private parseDelimited<T>(close: string, parseItem: () => T, allowTrailingComma: boolean, items: T[]): number {
    if (this.atPunct(close)) return this.next().end;
    for (;;) {
      items.push(parseItem());
      if (this.eatPunct(',')) {
        this.panic = false;
        if (allowTrailingComma && this.atPunct(close)) break;
        continue;
      }
      if (this.atPunct(close) || this.atEOF()) break;
      this.errorAt(this.tok, KS.ExpectedToken, `Expected ',' or '${close}'`);
      this.skipUntil(new Set([',', close, ';']), false, false);
      if (this.eatPunct(',')) {
        this.panic = false;
        continue;
      }
      break;
    }
    const closeTok = this.expectPunct(close);
    return closeTok ? closeTok.end : this.prevEnd();
  }

  // ───────────────────────────── statements ─────────────────────────────

  /** Statements up to the end of the query (closer undefined) or up to `}` (a function body). */
  private parseStatementList(closer: '}' | undefined): A.Statement[] {
    const statements: A.Statement[] = [];
    let strayCloser = false;
    for (;;) {
      if (!strayCloser) this.panic = false;
      strayCloser = false;
      while (this.eatPunct(';')) this.panic = false;
      if (this.atEOF() || (closer && this.atPunct(closer))) break;
      const before = this.pos;
      const t = this.tok;
      if (t.kind === 'Punct' && CLOSERS.has(t.text) && t.text !== closer) {
        // a stray closer where a statement should start
        this.errorAt(t, KS.UnexpectedToken, `Unexpected ${this.describe(t)}`);
        this.next();
        strayCloser = true;
        continue;
      }
      const statement = this.parseStatement(closer !== undefined);
      statements.push(statement);
      if (this.atPunct(';') || this.atEOF() || (closer && this.atPunct(closer))) continue;
      // a directive (`#connect …`) ends at the end of its line
      if (t.kind === 'Directive') continue;
      // something the statement could not take (an unmatched closer, a second expression…)
      const u = this.tok;
      this.errorAt(u, KS.UnexpectedToken, CLOSERS.has(u.text) && u.kind === 'Punct' ? `Unexpected ${this.describe(u)}` : `Expected ';' before ${this.describe(u)}`);
      this.skipUntil(closer ? BODY_STOPS : TOP_STOPS, false, closer === undefined);
      if (this.pos === before) this.next();
    }
    return statements;
  }

  private parseStatement(inBody: boolean): A.Statement {
    const t = this.tok;
    const stops = inBody ? BODY_STOPS : TOP_STOPS;
    if (this.isWord(t, 'let')) return this.parseLet(stops);
    if (t.kind === 'Identifier' && t.text === 'set' && this.peek().kind === 'Identifier') return this.parseSet();
    if (t.kind === 'Identifier' && UNSUPPORTED_STATEMENTS.has(t.text)) {
      this.next();
      this.skipUntil(stops, false, false);
      return { kind: 'UnsupportedStatement', keyword: t.text, start: t.start, end: Math.max(t.end, this.prevEnd()) };
    }
    if (t.kind === 'Directive') {
      this.next();
      const keyword = /^#\S*/.exec(t.text)?.[0] ?? '#';
      return { kind: 'UnsupportedStatement', keyword, start: t.start, end: t.end };
    }
    const expression = this.parsePipeline(stops);
    return { kind: 'ExpressionStatement', expression, start: expression.start, end: expression.end };
  }

  private parseLet(stops: Stops): A.LetStatement {
    const letTok = this.next();
    const name = this.parseName();
    this.expectPunct('=');
    let value: A.Expression | A.FunctionDefinition;
    if (this.atFunctionDefinition()) value = this.parseFunctionDefinition();
    else value = this.parsePipeline(stops);
    return { kind: 'LetStatement', name, value, start: letTok.start, end: Math.max(letTok.end, this.prevEnd()) };
  }

  private parseSet(): A.SetStatement {
    const setTok = this.next();
    const name = this.parseName();
    const value = this.atPunct('=') ? (this.next(), this.parseExpr()) : undefined;
    return { kind: 'SetStatement', name, ...(value ? { value } : {}), start: setTok.start, end: Math.max(setTok.end, this.prevEnd()) };
  }

  /** `(` `)` `{`, `(` name `:`, or `view` `(` ahead. */
  private atFunctionDefinition(): boolean {
    if (this.atWord('view') && this.isPunct(this.peek(), '(')) return true;
    if (!this.atPunct('(')) return false;
    const p1 = this.peek();
    const p2 = this.peek(2);
    if (this.isPunct(p1, ')')) return this.isPunct(p2, '{');
    if (p1.kind === 'Identifier' && this.isPunct(p2, ':')) return true;
    // (['bracketed name']: type)
    return this.isPunct(p1, '[') && this.peek(2).kind === 'String' && this.isPunct(this.peek(3), ']') && this.isPunct(this.peek(4), ':');
  }

  private parseFunctionDefinition(): A.FunctionDefinition {
    const start = this.tok.start;
    if (!this.enter()) return { kind: 'FunctionDefinition', parameters: [], body: [], start, end: start };
    try {
      const view = this.atWord('view');
      if (view) this.next();
      const parameters: A.FunctionDefinition['parameters'] = [];
      if (this.expectPunct('(')) {
        this.parseDelimited(')', () => {
          const name = this.parseName();
          let typeName = '';
          if (this.expectPunct(':')) typeName = this.parseParameterType();
          const param: A.FunctionDefinition['parameters'][number] = { name, typeName };
          if (this.eatPunct('=')) param.defaultValue = this.parseExpr();
          return param;
        }, false, parameters);
      }
      let body: A.Statement[] = [];
      if (this.expectPunct('{')) {
        body = this.parseStatementList('}');
        this.expectPunct('}');
      }
      return { kind: 'FunctionDefinition', ...(view ? { view } : {}), parameters, body, start, end: Math.max(start, this.prevEnd()) };
    } finally {
      this.leave();
    }
  }

  /** `string`, `long`, … or a tabular schema `(*)` / `(a:string, b:long)` (kept as written). */
  private parseParameterType(): string {
    const t = this.tok;
    if (t.kind === 'Identifier') {
      this.next();
      return t.text;
    }
    if (this.atPunct('(')) {
      this.next();
      this.skipUntil(PAREN_STOPS, false, false);
      const close = this.expectPunct(')');
      return this.text.slice(t.start, close ? close.end : this.prevEnd());
    }
    this.errorAt(t, KS.ExpectedType, 'Expected a type name');
    return '';
  }

  // ───────────────────────────── pipelines ─────────────────────────────

  /**
   * `source (| operator)*`. Stops before `;`/EOF or a punctuation in `stops`. A token that can
   * continue nothing is reported and skipped up to the next `|` or stop at depth 0.
   */
  private parsePipeline(stops: Stops): A.Expression {
    // a source operator (`print …`, `union …`) is not an operand: `print a == b == c` must not
    // become `(print a == b) == c`, so sources are recognised here, before expressions
    let expr = this.parseSource() ?? this.parseExpr();
    let count = 0;
    for (;;) {
      if (this.atPunct('|')) {
        if (!this.chain(++count)) break;
        this.next();
        this.panic = false;
        const op = this.parseQueryOperator();
        if (op) {
          expr = { kind: 'PipeExpression', source: expr, operator: op, start: expr.start, end: Math.max(op.end, this.prevEnd()) };
        }
        continue;
      }
      const t = this.tok;
      if (t.kind === 'EOF' || (t.kind === 'Punct' && (stops.has(t.text) || t.text === ';'))) break;
      const before = this.pos;
      this.errorAt(t, KS.UnexpectedToken, `Unexpected ${this.describe(t)}`);
      this.skipUntil(stops, true, false);
      if (this.atPunct('|')) continue;
      if (this.pos === before) break; // an unmatched closer: the enclosing context deals with it
    }
    return expr;
  }

  private parseQueryOperator(): A.QueryOperator | undefined {
    const t = this.tok;
    if (!(t.kind === 'Identifier' || (t.kind === 'Keyword' && t.text.includes('-')))) {
      this.errorAt(t, KS.ExpectedQueryOperator, `Expected a query operator after '|'`);
      return undefined;
    }
    this.next();
    let name = t.text;
    let nameEnd = t.end;
    // hyphenated names the lexer does not know (`foo-bar`) are still one operator name
    while (this.atPunct('-') && this.tok.start === nameEnd) {
      const w = this.peek();
      if (!((w.kind === 'Identifier' || w.kind === 'Keyword') && w.start === this.tok.end)) break;
      name += `-${w.text}`;
      nameEnd = w.end;
      this.next();
      this.next();
    }
    const start = t.start;
    const span = () => ({ start, end: Math.max(nameEnd, this.prevEnd()) });
    switch (name) {
      case 'where':
      case 'filter': {
        if (this.tok.kind === 'Identifier' && this.isPunct(this.peek(), '=')) {
          const eq = this.peek();
          // Kusto accepts `where Name = value` and filters on the value alone; so do we, with a warning.
          this.diagnostics.push({
            ...makeDiagnostic(this.text, KS.AssignmentInPredicate, `'=' does not compare in KQL: Kusto filters on the value after '=' alone (use '==' to compare)`, eq.start, 1),
            severity: 'warning',
          });
          this.next();
          this.next();
        }
        const predicate = this.parseExpr();
        return { kind: 'WhereOperator', predicate, ...span() };
      }
      case 'extend':
        return { kind: 'ExtendOperator', columns: this.parseNamedList(true), ...span() };
      case 'project':
        return { kind: 'ProjectOperator', columns: this.parseNamedList(false), ...span() };
      case 'project-away':
        return { kind: 'ProjectAwayOperator', columns: this.parseList(() => this.parseColumnPattern()), ...span() };
      case 'project-keep':
        return { kind: 'ProjectKeepOperator', columns: this.parseList(() => this.parseColumnPattern()), ...span() };
      case 'project-rename':
        return {
          kind: 'ProjectRenameOperator',
          renames: this.parseList(() => {
            const newName = this.parseName();
            this.expectPunct('=');
            const oldName = this.parseName();
            return { newName, oldName };
          }),
          ...span(),
        };
      case 'project-reorder':
        return {
          kind: 'ProjectReorderOperator',
          columns: this.parseList(() => {
            const pattern = this.parseColumnPattern();
            const o = this.tok;
            if (this.isWord(o, 'asc') || this.isWord(o, 'desc') || (o.kind === 'Keyword' && (o.text === 'granny-asc' || o.text === 'granny-desc'))) {
              this.next();
              return { pattern, order: o.text as 'asc' | 'desc' | 'granny-asc' | 'granny-desc' };
            }
            return { pattern };
          }),
          ...span(),
        };
      case 'summarize': {
        const parameters = this.parseOperatorParameters((n) => n.startsWith('hint.'));
        const aggregates = this.atWord('by') || this.atOperatorEnd() ? [] : this.parseNamedList(true);
        let by: A.NamedExpression[] = [];
        if (this.atWord('by')) {
          this.next();
          by = this.parseNamedList(true);
        }
        return { kind: 'SummarizeOperator', parameters, aggregates, by, ...span() };
      }
      case 'count':
        return { kind: 'CountOperator', ...span() };
      case 'take':
      case 'limit':
        return { kind: 'TakeOperator', count: this.parseExpr(), ...span() };
      case 'top': {
        const count = this.parseExpr();
        this.expectWord('by');
        const by = this.parseSortExpression();
        return { kind: 'TopOperator', count, by, ...span() };
      }
      case 'sort':
      case 'order': {
        let by: A.SortExpression[] = [];
        if (this.expectWord('by')) by = this.parseList(() => this.parseSortExpression());
        return { kind: 'SortOperator', by, ...span() };
      }
      case 'distinct': {
        if (this.atPunct('*')) {
          this.next();
          return { kind: 'DistinctOperator', star: true, columns: [], ...span() };
        }
        return { kind: 'DistinctOperator', star: false, columns: this.parseNamedList(true), ...span() };
      }
      case 'union': {
        const { parameters, tables } = this.parseUnionBody();
        return { kind: 'UnionOperator', parameters, tables, ...span() };
      }
      case 'join':
      case 'lookup': {
        const parameters = this.parseOperatorParameters((n) => n === 'kind' || n.startsWith('hint.'));
        const right = this.parsePostfix();
        const on = this.expectWord('on') ? this.parseJoinConditions() : [];
        const kind = name === 'join' ? 'JoinOperator' : 'LookupOperator';
        return { kind, parameters, right, on, ...span() };
      }
      case 'mv-expand':
      case 'mvexpand': {
        const parameters = this.parseOperatorParameters((n) => MV_EXPAND_PARAMETERS.has(n));
        const columns = this.parseList(() => {
          const column = this.parseNamedExpression();
          if (!this.atWord('to')) return { column };
          this.next();
          return { column, toTypeName: this.parseTypeofClause() };
        });
        let limit: A.Expression | undefined;
        if (this.atWord('limit')) {
          this.next();
          limit = this.parseExpr();
        }
        return { kind: 'MvExpandOperator', parameters, columns, ...(limit ? { limit } : {}), ...span() };
      }
      case 'mv-apply': {
        const parameters = this.parseOperatorParameters((n) => MV_EXPAND_PARAMETERS.has(n));
        const columns = this.parseList(() => {
          const column = this.parseNamedExpression();
          if (!this.atWord('to')) return { column };
          this.next();
          return { column, toTypeName: this.parseTypeofClause() };
        });
        let limit: A.Expression | undefined;
        if (this.atWord('limit')) {
          this.next();
          limit = this.parseExpr();
        }
        const subquery: A.QueryOperator[] = [];
        if (this.expectWord('on') && this.expectPunct('(')) {
          // the sub-query starts directly with an operator: `(take 1)`, `(summarize … | top 1 by x)`
          for (;;) {
            const op = this.parseQueryOperator();
            if (op) subquery.push(op);
            if (!this.eatPunct('|')) break;
          }
          this.expectPunct(')');
        }
        return { kind: 'MvApplyOperator', parameters, columns, ...(limit ? { limit } : {}), subquery, ...span() };
      }
      case 'make-series': {
        const parameters = this.parseOperatorParameters((n) => n === 'kind' || n.startsWith('hint.'));
        const aggregates = this.parseList(() => {
          const column = this.parseNamedExpression();
          if (!this.atWord('default')) return { column };
          this.next();
          this.expectPunct('=');
          return { column, defaultValue: this.parseSignedNumber() ?? this.parseExpr() };
        });
        this.expectWord('on');
        // the axis is a column (a full expression would swallow `in range(…)` as an `in` test)
        const axis = this.parsePostfix();
        let from: A.Expression | undefined;
        let to: A.Expression | undefined;
        let step: A.Expression = this.missing();
        if (this.atWord('in')) {
          // `in range(start, stop, step)`
          this.next();
          const range = this.parsePostfix();
          if (range.kind === 'CallExpression' && range.args.length === 3) [from, to, step] = range.args as [A.Expression, A.Expression, A.Expression];
          else this.error(KS.ExpectedToken, 'Expected range(start, stop, step)', range.start, range.end - range.start);
        } else {
          if (this.atWord('from')) {
            this.next();
            from = this.parseExpr();
          }
          if (this.atWord('to')) {
            this.next();
            to = this.parseExpr();
          }
          if (this.expectWord('step')) step = this.parseExpr();
        }
        let by: A.NamedExpression[] = [];
        if (this.atWord('by')) {
          this.next();
          by = this.parseNamedList(true);
        }
        return { kind: 'MakeSeriesOperator', parameters, aggregates, axis, ...(from ? { from } : {}), ...(to ? { to } : {}), step, by, ...span() };
      }
      case 'search': {
        const parameters = this.parseOperatorParameters((n) => n === 'kind' || n.startsWith('hint.'));
        return { kind: 'SearchOperator', parameters, predicate: this.parseExpr(), ...span() };
      }
      case 'partition': {
        const parameters = this.parseOperatorParameters((n) => n.startsWith('hint.'));
        this.expectWord('by');
        const by = this.parseName();
        if (this.eatPunct('{')) {
          // legacy form: a query with its own source, run once per key (read there as toscalar(Column))
          const source = this.parsePipeline(BODY_STOPS);
          this.expectPunct('}');
          return { kind: 'PartitionOperator', parameters, by, subquery: [], source, ...span() };
        }
        const subquery: A.QueryOperator[] = [];
        if (this.expectPunct('(')) {
          for (;;) {
            const op = this.parseQueryOperator();
            if (op) subquery.push(op);
            if (!this.eatPunct('|')) break;
          }
          this.expectPunct(')');
        }
        return { kind: 'PartitionOperator', parameters, by, subquery, ...span() };
      }
      case 'top-nested': {
        const levels: A.TopNestedOperator['levels'] = [];
        for (;;) {
          const count = this.atWord('of') ? undefined : this.parseExpr();
          this.expectWord('of');
          const of = this.parseNamedExpression();
          let others: A.Expression | undefined;
          if (this.atWord('with')) {
            this.next();
            this.expectWord('others');
            this.expectPunct('=');
            others = this.parseExpr();
          }
          this.expectWord('by');
          const by = this.parseNamedExpression();
          const level: A.TopNestedOperator['levels'][number] = { of, by, ...(count ? { count } : {}), ...(others ? { others } : {}) };
          if (this.atWord('asc') || this.atWord('desc')) level.order = this.next().text as 'asc' | 'desc';
          levels.push(level);
          if (!(this.atPunct(',') && this.peek().text === 'top-nested')) break;
          this.next();
          this.next();
        }
        return { kind: 'TopNestedOperator', levels, ...span() };
      }
      case 'parse-kv': {
        const source = this.parseExpr();
        const columns: A.ParseKvOperator['columns'] = [];
        if (this.expectWord('as') && this.expectPunct('(')) this.parseDelimited(')', () => this.parseColumnDeclaration(), false, columns);
        return { kind: 'ParseKvOperator', source, columns, properties: this.parseWithProperties(), ...span() };
      }
      case 'parse':
      case 'parse-where': {
        const parameters = this.parseOperatorParameters((n) => n === 'kind' || n === 'flags');
        const source = this.parseExpr();
        const pattern = this.expectWord('with') ? this.parseParsePattern() : [];
        return { kind: 'ParseOperator', where: name === 'parse-where', parameters, source, pattern, ...span() };
      }
      case 'as': {
        const parameters = this.parseOperatorParameters((n) => n.startsWith('hint.'));
        return { kind: 'AsOperator', parameters, name: this.parseName(), ...span() };
      }
      case 'invoke': {
        const call = this.parsePostfix();
        if (call.kind !== 'CallExpression') {
          this.error(KS.ExpectedToken, 'Expected a function call after invoke', call.start, call.end - call.start);
          this.skipUntil(TOP_STOPS, true, false);
          return { kind: 'UnsupportedOperator', name, start, end: nameEnd };
        }
        return { kind: 'InvokeOperator', call, ...span() };
      }
      case 'render': {
        const chart = this.atWord() ? this.next().text : '';
        // `with (title=…, …)` only shapes a chart; an offline engine returns the rows.
        this.skipUntil(TOP_STOPS, true, false);
        return { kind: 'RenderOperator', chart, ...span() };
      }
      case 'serialize':
        return { kind: 'SerializeOperator', columns: this.parseNamedList(false), ...span() };
      case 'getschema':
        return { kind: 'GetSchemaOperator', ...span() };
      case 'evaluate': {
        const parameters = this.parseOperatorParameters((n) => n.startsWith('hint.'));
        const call = this.parsePostfix();
        if (call.kind !== 'CallExpression') {
          this.error(KS.ExpectedToken, 'Expected a plugin call after evaluate', call.start, call.end - call.start);
          this.skipUntil(TOP_STOPS, true, false);
          return { kind: 'UnsupportedOperator', name, start, end: nameEnd };
        }
        const node: A.EvaluateOperator = { kind: 'EvaluateOperator', parameters, call, ...span() };
        if (this.eatPunct(':') && this.expectPunct('(')) {
          const outputSchema: NonNullable<A.EvaluateOperator['outputSchema']> = { star: false, columns: [] };
          this.parseDelimited(')', () => {
            if (this.eatPunct('*')) outputSchema.star = true;
            else outputSchema.columns.push(this.parseColumnDeclaration());
            return undefined;
          }, false, []);
          node.outputSchema = outputSchema;
          node.end = this.prevEnd();
        }
        return node;
      }
      case 'make-graph':
        return parseMakeGraph(this.graphHost(), span);
      case 'graph-match':
      case 'graph-shortest-paths':
        return parseGraphMatch(this.graphHost(), span, name === 'graph-shortest-paths');
      case 'graph-to-table':
        return parseGraphToTable(this.graphHost(), span);
      case 'graph-mark-components':
        return parseGraphMarkComponents(this.graphHost(), span);
      default:
        this.skipUntil(TOP_STOPS, true, false);
        return { kind: 'UnsupportedOperator', name, start, end: nameEnd };
    }
  }

  /** The token API the graph operators' grammar (graph-parser.ts) reads through. */
  private graphHost(): GraphParserHost {
    return {
      tok: () => this.tok,
      next: () => this.next(),
      prevEnd: () => this.prevEnd(),
      atPunct: (p) => this.atPunct(p),
      eatPunct: (p) => this.eatPunct(p),
      expectPunct: (p) => this.expectPunct(p),
      atWord: (w) => this.atWord(w),
      expectWord: (w) => this.expectWord(w),
      errorAt: (t, code, message) => this.errorAt(t, code, message),
      parseName: () => this.parseName(),
      parseExpr: () => this.parseExpr(),
      parsePostfix: () => this.parsePostfix(),
      parseNamedList: (required) => this.parseNamedList(required),
      parseOperatorParameters: (accept) => this.parseOperatorParameters(accept),
      parseSubqueryOperators: () => {
        const operators: A.QueryOperator[] = [];
        do {
          const op = this.parseQueryOperator();
          if (op) operators.push(op);
        } while (this.eatPunct('|'));
        return operators;
      },
    };
  }

  /** `on A, B` or `on $left.A == $right.B [and|,] …`. */
  private parseJoinConditions(): A.JoinCondition[] {
    const conditions: A.JoinCondition[] = [];
    const add = (expr: A.Expression) => {
      if (expr.kind === 'BinaryExpression' && expr.operator === 'and') {
        add(expr.left);
        add(expr.right);
      } else if (expr.kind === 'BinaryExpression' && expr.operator === '==') {
        conditions.push({ kind: 'JoinCondition', left: expr.left, right: expr.right, start: expr.start, end: expr.end });
      } else {
        conditions.push({ kind: 'JoinCondition', left: expr, right: expr, start: expr.start, end: expr.end });
      }
    };
    for (const expr of this.parseList(() => this.parseExpr())) add(expr);
    return conditions;
  }

  /** `typeof(T)` after mv-expand's `to`. */
  private parseTypeofClause(): string {
    if (!this.expectWord('typeof') || !this.expectPunct('(')) return '';
    const t = this.tok;
    let typeName = '';
    if (t.kind === 'Identifier' || t.kind === 'Keyword' || t.kind === 'TypedLiteral') {
      typeName = t.text.replace(/\($/, '');
      this.next();
    } else {
      this.errorAt(t, KS.ExpectedType, 'Expected a type name');
    }
    this.expectPunct(')');
    return typeName;
  }

  /** parse's pattern: string constants, `*`, and `Column[:type]` captures, up to the operator's end. */
  private parseParsePattern(): A.ParsePatternPart[] {
    const parts: A.ParsePatternPart[] = [];
    while (!this.atOperatorEnd()) {
      const t = this.tok;
      if (t.kind === 'String') {
        const literal = this.parseStringLiteral();
        parts.push({ kind: 'text', value: String(literal.value), span: { start: literal.start, end: literal.end } });
      } else if (this.isPunct(t, '*')) {
        this.next();
        parts.push({ kind: 'star', span: { start: t.start, end: t.end } });
      } else if (t.kind === 'Identifier' || this.atBracketedName()) {
        const columnName = this.parseName();
        if (this.eatPunct(':')) {
          const type = this.tok;
          this.next();
          parts.push({ kind: 'column', name: columnName, typeName: type.text });
        } else {
          parts.push({ kind: 'column', name: columnName });
        }
      } else {
        this.errorAt(t, KS.ExpectedToken, `Expected a string, '*' or a column name in the parse pattern`);
        this.skipUntil(TOP_STOPS, true, false);
        break;
      }
      this.eatPunct(',');
    }
    return parts;
  }

  /** `item (, item)*` (at least one item). */
  private parseList<T>(parseItem: () => T): T[] {
    const items = [parseItem()];
    while (this.eatPunct(',')) items.push(parseItem());
    return items;
  }

  private parseNamedList(required: boolean): A.NamedExpression[] {
    if (!required && this.atOperatorEnd()) return [];
    return this.parseList(() => this.parseNamedExpression());
  }

  /** `Name = expr`, `['Name'] = expr`, `(A, B) = expr` or a bare `expr`. */
  private parseNamedExpression(): A.NamedExpression {
    let start: number | undefined;
    const names: A.Identifier[] = [];
    if (this.tok.kind === 'Identifier' && this.isPunct(this.peek(), '=')) {
      names.push(this.parseName());
      this.next();
    } else if (this.atBracketedName() && this.isPunct(this.peek(3), '=')) {
      names.push(this.parseBracketedName());
      this.next();
    } else if (this.atPunct('(') && this.atNameTuple()) {
      start = this.next().start;
      names.push(...this.parseList(() => this.parseName()));
      this.expectPunct(')');
      this.expectPunct('=');
    }
    const expression = this.parseExpr();
    const begin = start ?? names[0]?.start ?? expression.start;
    return { kind: 'NamedExpression', names, expression, start: begin, end: Math.max(begin, expression.end) };
  }

  /** Lookahead for `( name (, name)* ) =`. */
  private atNameTuple(): boolean {
    let k = 1;
    for (;;) {
      const t = this.peek(k);
      if (t.kind === 'Identifier') k += 1;
      else if (this.isPunct(t, '[') && this.peek(k + 1).kind === 'String' && this.isPunct(this.peek(k + 2), ']')) k += 3;
      else return false;
      const sep = this.peek(k);
      if (this.isPunct(sep, ',')) {
        k++;
        continue;
      }
      return this.isPunct(sep, ')') && this.isPunct(this.peek(k + 1), '=');
    }
  }

  /** `name=value` operator parameters, as long as `accept(name)` and a `=` follows. */
  private parseOperatorParameters(accept: (name: string) => boolean): A.OperatorParameter[] {
    const params: A.OperatorParameter[] = [];
    for (;;) {
      const t = this.tok;
      if (!((t.kind === 'Identifier' || t.kind === 'Keyword') && accept(t.text) && this.isPunct(this.peek(), '='))) break;
      this.next();
      this.next();
      const v = this.tok;
      let value: string | number | boolean | undefined;
      if (v.kind === 'Identifier') value = v.text;
      else if ((v.kind === 'Long' || v.kind === 'Real') && typeof v.value === 'number') value = v.value;
      else if (v.kind === 'Bool' || v.kind === 'String') value = v.value as boolean | string;
      if (value === undefined) {
        this.errorAt(v, KS.ExpectedParameterValue, `Expected a value for parameter '${t.text}'`);
        params.push({ kind: 'OperatorParameter', name: t.text, value: '', start: t.start, end: this.prevEnd() });
        break;
      }
      this.next();
      params.push({ kind: 'OperatorParameter', name: t.text, value, start: t.start, end: v.end });
    }
    return params;
  }

  /** A column name with optional `*` wildcards (`Dev*`, `*Id`, `A*B`) or a bracketed name. */
  private parseColumnPattern(): A.ColumnPattern {
    if (this.atBracketedName()) {
      const id = this.parseBracketedName();
      return { kind: 'ColumnPattern', pattern: id.name, start: id.start, end: id.end };
    }
    const wild = this.parseWildcardName();
    if (wild) return { kind: 'ColumnPattern', pattern: wild.name, start: wild.start, end: wild.end };
    this.errorAt(this.tok, KS.ExpectedName, 'Expected a column name');
    return { kind: 'ColumnPattern', pattern: '', start: this.prevEnd(), end: this.prevEnd() };
  }

  /** Adjacent identifier / `*` / digit tokens forming one name pattern, e.g. `Device*Events`. */
  private parseWildcardName(): { name: string; start: number; end: number } | undefined {
    const first = this.tok;
    if (!(first.kind === 'Identifier' || this.isPunct(first, '*'))) return undefined;
    let name = '';
    let end = first.start;
    for (;;) {
      const t = this.tok;
      const adjacent = name === '' || t.start === end;
      if (!adjacent) break;
      if (t.kind === 'Identifier' || this.isPunct(t, '*') || (name !== '' && t.kind === 'Long')) {
        name += t.text;
        end = t.end;
        this.next();
      } else {
        break;
      }
    }
    return { name, start: first.start, end };
  }

  private parseSortExpression(): A.SortExpression {
    const expression = this.parseExpr();
    const node: A.SortExpression = { kind: 'SortExpression', expression, start: expression.start, end: expression.end };
    if (this.atWord('asc') || this.atWord('desc')) node.order = this.next().text as 'asc' | 'desc';
    if (this.atWord('nulls')) {
      this.next();
      if (this.atWord('first') || this.atWord('last')) node.nulls = this.next().text as 'first' | 'last';
      else this.errorAt(this.tok, KS.ExpectedToken, `Expected 'first' or 'last'`);
    }
    node.end = Math.max(node.end, this.prevEnd());
    return node;
  }

  /** `[kind=…] [withsource=…] [isfuzzy=…] T1, (T2 | …), Dev*` */
  private parseUnionBody(): { parameters: A.OperatorParameter[]; tables: A.Expression[] } {
    const parameters = this.parseOperatorParameters((n) => UNION_PARAMETERS.has(n) || n.startsWith('hint.'));
    const tables = this.parseList(() => {
      const t = this.tok;
      if (this.isPunct(t, '*') || (t.kind === 'Identifier' && this.isPunct(this.peek(), '*') && this.peek().start === t.end)) {
        const w = this.parseWildcardName()!;
        return { kind: 'NameReference', name: w.name, start: w.start, end: w.end } satisfies A.NameReference;
      }
      return this.parsePostfix();
    });
    return { parameters, tables };
  }

  // ───────────────────────────── expressions ─────────────────────────────

  private parseExpr(): A.Expression {
    if (!this.enter()) return this.missing();
    try {
      return this.parseOr();
    } finally {
      this.leave();
    }
  }

  private binary(left: A.Expression, operator: string, opStart: number, opEnd: number, right: A.Expression): A.BinaryExpression {
    return {
      kind: 'BinaryExpression',
      operator,
      left,
      right,
      operatorSpan: { start: opStart, end: opEnd },
      start: left.start,
      end: Math.max(right.end, opEnd),
    };
  }

  private parseOr(): A.Expression {
    return this.parseLeftAssociative('or', () => this.parseAnd());
  }

  private parseAnd(): A.Expression {
    return this.parseLeftAssociative('and', () => this.parseEquality());
  }

  /** `operand (word operand)*`, left-associative (`a or b or c` is `(a or b) or c`). */
  private parseLeftAssociative(word: 'and' | 'or', parseOperand: () => A.Expression): A.Expression {
    let left = parseOperand();
    let count = 0;
    while (this.atWord(word)) {
      if (!this.chain(++count)) break;
      const op = this.next();
      left = this.binary(left, word, op.start, op.end, parseOperand());
    }
    return left;
  }

  /** `== != <>`, the list operators and `between`: one of them at most (non-associative). */
  private parseEquality(): A.Expression {
    const left = this.parseRelational();
    const t = this.tok;
    if (t.kind === 'Punct' && (t.text === '==' || t.text === '!=' || t.text === '<>')) {
      this.next();
      return this.binary(left, t.text, t.start, t.end, this.parseRelational());
    }
    if ((t.kind === 'Identifier' || t.kind === 'Keyword') && IN_OPERATORS.has(t.text)) {
      this.next();
      const items: A.Expression[] = [];
      let end = t.end;
      if (this.expectPunct('(')) {
        if (this.atPunct(')')) this.errorAt(this.tok, KS.ExpectedExpression, 'Expected expression');
        end = this.parseDelimited(')', () => this.parseListItem(false), false, items);
      }
      return {
        kind: 'InExpression',
        operator: t.text as A.InExpression['operator'],
        left,
        items,
        operatorSpan: { start: t.start, end: t.end },
        start: left.start,
        end: Math.max(end, t.end),
      };
    }
    if (this.isWord(t, 'between') || (t.kind === 'Keyword' && t.text === '!between')) {
      this.next();
      let low: A.Expression = this.missing();
      let high: A.Expression = this.missing();
      let end = t.end;
      if (this.expectPunct('(')) {
        low = this.parseExpr();
        if (this.expectPunct('..')) high = this.parseExpr();
        else high = this.missing();
        const close = this.expectPunct(')');
        end = close ? close.end : this.prevEnd();
      }
      return { kind: 'BetweenExpression', negated: t.text === '!between', left, low, high, start: left.start, end: Math.max(end, t.end) };
    }
    return left;
  }

  private parseRelational(): A.Expression {
    const left = this.parseAdditive();
    const t = this.tok;
    if (t.kind === 'Punct' && (t.text === '<' || t.text === '<=' || t.text === '>' || t.text === '>=')) {
      this.next();
      return this.binary(left, t.text, t.start, t.end, this.parseAdditive());
    }
    return left;
  }

  private parseAdditive(): A.Expression {
    let left = this.parseMultiplicative();
    let count = 0;
    while (this.atPunct('+') || this.atPunct('-')) {
      if (!this.chain(++count)) break;
      const op = this.next();
      left = this.binary(left, op.text, op.start, op.end, this.parseMultiplicative());
    }
    return left;
  }

  private parseMultiplicative(): A.Expression {
    let left = this.parseStringOperation();
    let count = 0;
    while (this.atPunct('*') || this.atPunct('/') || this.atPunct('%')) {
      if (!this.chain(++count)) break;
      const op = this.next();
      left = this.binary(left, op.text, op.start, op.end, this.parseStringOperation());
    }
    return left;
  }

  /** `has`, `contains`, `startswith`, `=~`, `matches regex`, …: binds tighter than `*` (Kusto.Language). */
  private parseStringOperation(): A.Expression {
    const left = this.parseUnary();
    const t = this.tok;
    let operator: string | undefined;
    let opEnd = t.end;
    if (t.kind === 'Punct' && (t.text === '=~' || t.text === '!~')) {
      operator = t.text;
      this.next();
    } else if ((t.kind === 'Identifier' || t.kind === 'Keyword') && STRING_OPERATORS.has(t.text)) {
      operator = STRING_OPERATORS.get(t.text)!;
      this.next();
    } else if (this.isWord(t, 'matches') && this.isWord(this.peek(), 'regex')) {
      operator = 'matches regex';
      this.next();
      opEnd = this.next().end;
    }
    if (operator === undefined) return left;
    return this.binary(left, operator, t.start, opEnd, this.parseUnary());
  }

  private parseUnary(): A.Expression {
    const t = this.tok;
    if (t.kind === 'Punct' && (t.text === '-' || t.text === '+')) {
      if (!this.enter()) return this.missing();
      try {
        this.next();
        const operand = this.parseUnary();
        return { kind: 'UnaryExpression', operator: t.text as '-' | '+', operand, start: t.start, end: Math.max(t.end, operand.end) };
      } finally {
        this.leave();
      }
    }
    return this.parsePostfix();
  }

  /** A primary expression followed by `.name`, `.name(args)`, `.['name']` and `[index]`. */
  private parsePostfix(): A.Expression {
    let expr = this.parsePrimary();
    for (let count = 1; ; count++) {
      if ((this.atPunct('.') || this.atPunct('[')) && !this.chain(count)) return expr;
      if (this.atPunct('.')) {
        this.next();
        const t = this.tok;
        if (t.kind === 'Identifier' || (t.kind === 'Keyword' && !t.text.startsWith('!'))) {
          this.next();
          const member: A.Identifier = { kind: 'Identifier', name: t.text, start: t.start, end: t.end };
          if (this.atPunct('(')) {
            expr = this.parseCallArguments(member, expr);
          } else {
            expr = { kind: 'MemberExpression', target: expr, member, start: expr.start, end: t.end };
          }
        } else if (this.atBracketedName()) {
          const member = this.parseBracketedName();
          expr = { kind: 'MemberExpression', target: expr, member, start: expr.start, end: member.end };
        } else if (this.atPunct('[')) {
          // `x.[expr]` is `x[expr]`
          this.next();
          const index = this.parseExpr();
          const close = this.expectPunct(']');
          expr = { kind: 'IndexExpression', target: expr, index, start: expr.start, end: close ? close.end : this.prevEnd() };
        } else {
          this.errorAt(t, KS.ExpectedName, 'Expected a name after \'.\'');
          const member: A.Identifier = { kind: 'Identifier', name: '', start: this.prevEnd(), end: this.prevEnd() };
          expr = { kind: 'MemberExpression', target: expr, member, start: expr.start, end: this.prevEnd() };
        }
        continue;
      }
      if (this.atPunct('[')) {
        this.next();
        const index = this.parseExpr();
        const close = this.expectPunct(']');
        expr = { kind: 'IndexExpression', target: expr, index, start: expr.start, end: close ? close.end : this.prevEnd() };
        continue;
      }
      return expr;
    }
  }

  private parsePrimary(): A.Expression {
    const t = this.tok;
    switch (t.kind) {
      case 'Long':
      case 'Real':
      case 'Timespan':
      case 'Bool':
      case 'TypedLiteral':
        this.next();
        return this.literalFromToken(t);
      case 'String':
        return this.parseStringLiteral();
      case 'Punct':
        if (t.text === '(') return this.parseParenthesized();
        if (t.text === '[' && this.atBracketedName()) {
          const id = this.parseBracketedName();
          return { kind: 'NameReference', name: id.name, start: id.start, end: id.end };
        }
        return this.expectExpressionError();
      case 'Identifier':
        return this.parseWordExpression(t);
      default:
        return this.expectExpressionError();
    }
  }

  /**
   * A source operator at the start of a pipeline: `print`, `datatable`, `range`, `union`, and the
   * unparsed `externaldata`/`search`/`find`/`evaluate`. Undefined when the next token starts none.
   */
  private parseSource(): A.Expression | undefined {
    const t = this.tok;
    if (t.kind !== 'Identifier') return undefined;
    const p1 = this.peek();
    switch (t.text) {
      case 'print':
        return this.parsePrint();
      case 'datatable':
        return this.parseDatatable();
      case 'range':
        // `range` may also name a column or the range() function
        return p1.kind === 'Identifier' && this.isWord(this.peek(2), 'from') ? this.parseRange() : undefined;
      case 'union': {
        this.next();
        const { parameters, tables } = this.parseUnionBody();
        return { kind: 'UnionExpression', parameters, tables, start: t.start, end: Math.max(t.end, this.prevEnd()) };
      }
      case 'evaluate':
        // `evaluate plugin(…)` / `evaluate hint.…=… plugin(…)`; otherwise `evaluate` is a name
        if ((p1.kind === 'Identifier' && this.isPunct(this.peek(2), '(')) || (p1.kind === 'Keyword' && p1.text.startsWith('hint.'))) {
          return this.parseOpaqueSource();
        }
        return undefined;
      case 'externaldata':
      case 'external_data':
        return this.isPunct(p1, '(') ? this.parseExternalData() : undefined;
      case 'find':
        return this.parseFind(false);
      case 'search':
        return this.parseFind(true);
      default:
        return OPAQUE_SOURCES.has(t.text) ? this.parseOpaqueSource() : undefined;
    }
  }

  /** `externaldata (Col:type, …) [ "uri", … ] [with (name = value, …)]` */
  private parseExternalData(): A.ExternalDataExpression {
    const kw = this.next();
    const columns: A.ExternalDataExpression['columns'] = [];
    const uris: A.ExternalDataExpression['uris'] = [];
    if (this.expectPunct('(')) this.parseDelimited(')', () => this.parseColumnDeclaration(), false, columns);
    if (this.expectPunct('[')) {
      this.parseDelimited(']', () => {
        const literal = this.tok.kind === 'String' ? this.parseStringLiteral() : undefined;
        if (!literal) this.errorAt(this.tok, KS.ExpectedToken, 'Expected a string with the data\'s URI or path');
        return { value: String(literal?.value ?? ''), span: { start: literal?.start ?? this.prevEnd(), end: literal?.end ?? this.prevEnd() } };
      }, true, uris);
    }
    const properties = this.parseWithProperties();
    return { kind: 'ExternalDataExpression', columns, uris, properties, start: kw.start, end: Math.max(kw.end, this.prevEnd()) };
  }

  /** An optional `with (name = value, …)` clause (externaldata, parse-kv). */
  private parseWithProperties(): A.OperatorParameter[] {
    const properties: A.OperatorParameter[] = [];
    if (!this.atWord('with')) return properties;
    this.next();
    if (this.expectPunct('(')) {
      properties.push(...this.parseOperatorParameters(() => true));
      while (this.eatPunct(',')) properties.push(...this.parseOperatorParameters(() => true));
      this.expectPunct(')');
    }
    return properties;
  }

  /** `find … where P [project …]` or `search … P` at the start of a query. */
  private parseFind(search: boolean): A.FindExpression {
    const kw = this.next();
    const parameters = this.parseOperatorParameters((n) => n === 'withsource' || n === 'kind' || n.startsWith('hint.'));
    const tables: A.Expression[] = [];
    if (this.atWord('in') && this.isPunct(this.peek(), '(')) {
      this.next();
      this.next();
      this.parseDelimited(')', () => {
        const t = this.tok;
        if (t.kind === 'Identifier' && this.isPunct(this.peek(), '*') && this.peek().start === t.end) {
          const w = this.parseWildcardName()!;
          return { kind: 'NameReference', name: w.name, start: w.start, end: w.end } satisfies A.NameReference;
        }
        return this.parsePostfix();
      }, false, tables);
    }
    if (!search) this.expectWord('where');
    const predicate = this.parseExpr();
    const node: A.FindExpression = { kind: 'FindExpression', search, parameters, tables, predicate, start: kw.start, end: this.prevEnd() };
    if (!search && (this.atWord('project') || (this.tok.kind === 'Keyword' && this.tok.text === 'project-smart'))) {
      const projectTok = this.next();
      if (projectTok.text === 'project') node.project = this.parseList(() => this.parseName());
      node.end = this.prevEnd();
    }
    return node;
  }

  /** `Name:type` in a datatable or externaldata schema. */
  private parseColumnDeclaration(): A.DatatableExpression['columns'][number] {
    const name = this.parseName();
    let typeName = '';
    let typeSpan: A.Span = { start: this.prevEnd(), end: this.prevEnd() };
    if (this.expectPunct(':')) {
      const t = this.tok;
      if (t.kind === 'Identifier') {
        this.next();
        typeName = t.text;
        typeSpan = { start: t.start, end: t.end };
      } else {
        this.errorAt(t, KS.ExpectedType, 'Expected a type name');
      }
    }
    return { name, typeName, typeSpan };
  }

  private parseWordExpression(t: Token): A.Expression {
    const callNext = this.isPunct(this.peek(), '(');
    if (t.text === 'dynamic' && callNext) return this.parseDynamic();
    // a source where an operand is expected (`where print x`) is not valid KQL; parse it anyway
    // so that the binder can say what is wrong
    const source = this.parseSource();
    if (source) return source;
    this.next();
    const name: A.Identifier = { kind: 'Identifier', name: t.text, start: t.start, end: t.end };
    if (callNext) return this.parseCallArguments(name, undefined);
    return { kind: 'NameReference', name: t.text, start: t.start, end: t.end };
  }

  /** `name(args)` after the name was consumed; `target` for `x.name(args)`. */
  private parseCallArguments(name: A.Identifier, target: A.Expression | undefined): A.CallExpression {
    if (!this.enter()) return { kind: 'CallExpression', name, args: [], start: target?.start ?? name.start, end: name.end };
    try {
      this.next(); // (
      const args: A.Expression[] = [];
      const end = this.parseDelimited(')', () => this.parseListItem(true), false, args);
      const call: A.CallExpression = { kind: 'CallExpression', name, args, start: target?.start ?? name.start, end };
      if (target) call.target = target;
      return call;
    } finally {
      this.leave();
    }
  }

  /** A call argument or `in (…)` item: `*` or a full expression, pipes included; `name = value` in calls. */
  private parseListItem(allowNamed = false): A.Expression {
    const t = this.tok;
    if (this.isPunct(t, '*') && (this.isPunct(this.peek(), ',') || this.isPunct(this.peek(), ')'))) {
      this.next();
      return { kind: 'StarExpression', start: t.start, end: t.end };
    }
    if (allowNamed && t.kind === 'Identifier' && this.isPunct(this.peek(), '=')) {
      const name = this.parseName();
      this.next();
      const value = this.parsePipeline(LIST_STOPS);
      return { kind: 'NamedArgument', name, value, start: name.start, end: Math.max(name.end + 1, value.end) };
    }
    return this.parsePipeline(LIST_STOPS);
  }

  private parseParenthesized(): A.Expression {
    const open = this.tok;
    if (!this.enter()) return this.missing();
    try {
      this.next();
      const expression = this.parsePipeline(PAREN_STOPS);
      const close = this.expectPunct(')');
      return { kind: 'ParenthesizedExpression', expression, start: open.start, end: close ? close.end : Math.max(open.end, this.prevEnd()) };
    } finally {
      this.leave();
    }
  }

  /** `externaldata(…)[…] with (…)`, `search …`, `find …`, `evaluate plugin(…)` as a source. */
  private parseOpaqueSource(): A.CallExpression {
    const t = this.next();
    this.skipUntil(TOP_STOPS, true, false);
    return { kind: 'CallExpression', name: { kind: 'Identifier', name: t.text, start: t.start, end: t.end }, args: [], start: t.start, end: Math.max(t.end, this.prevEnd()) };
  }

  // ───────────────────────────── literals ─────────────────────────────

  private literalFromToken(t: Token): A.Literal {
    const base = { kind: 'Literal' as const, text: t.text, start: t.start, end: t.end };
    switch (t.kind) {
      case 'Long':
        return { ...base, type: 'long', value: typeof t.value === 'number' ? t.value : Number(t.text) };
      case 'Real':
        return { ...base, type: 'real', value: typeof t.value === 'number' ? t.value : Number(t.text) };
      case 'Timespan':
        return { ...base, type: 'timespan', value: typeof t.value === 'bigint' ? t.value : null };
      case 'Bool':
        return { ...base, type: 'bool', value: t.value === true };
      case 'TypedLiteral': {
        const decoded = decodeTypedLiteral(t.literalKeyword ?? '', t.inner ?? '');
        if (decoded.ok) return { ...base, type: decoded.type, value: decoded.value };
        // a bad literal is a local mistake: report it without entering panic mode
        if (!t.hasError) this.diagnostics.push(makeDiagnostic(this.text, KS.InvalidTypedLiteral, decoded.message, t.start, t.end - t.start));
        return { ...base, type: decoded.type, value: null };
      }
      default:
        return { ...base, type: 'string', value: String(t.value ?? '') };
    }
  }

  /** One string literal, or several adjacent ones (only whitespace/comments between) concatenated. */
  private parseStringLiteral(): A.Literal {
    const first = this.next();
    let value = String(first.value ?? '');
    let end = first.end;
    while (this.tok.kind === 'String') {
      const t = this.next();
      value += String(t.value ?? '');
      end = t.end;
    }
    return { kind: 'Literal', type: 'string', value, text: this.text.slice(first.start, end), start: first.start, end };
  }

  /** `dynamic(…)` with JSON-like content whose scalars are Kusto literals. */
  private parseDynamic(): A.Literal | A.DynamicLiteral {
    const kw = this.next();
    if (!this.enter()) return { kind: 'Literal', type: 'dynamic', value: null, text: kw.text, start: kw.start, end: kw.end };
    try {
      this.next(); // (
      let node: A.DynamicLiteralNode;
      if (this.atPunct(')')) {
        this.errorAt(this.tok, KS.InvalidDynamic, 'Expected a literal value in dynamic(…)');
        node = this.dynamicNull(this.prevEnd(), this.prevEnd());
      } else {
        node = this.parseDynamicValue();
      }
      const close = this.expectPunct(')');
      const end = close ? close.end : this.prevEnd();
      if (node.kind === 'scalar' && node.literal.type === 'dynamic' && node.literal.value === null) {
        return { kind: 'Literal', type: 'dynamic', value: null, text: this.text.slice(kw.start, end), start: kw.start, end };
      }
      return { kind: 'DynamicLiteral', value: node, start: kw.start, end };
    } finally {
      this.leave();
    }
  }

  private dynamicNull(start: number, end: number): A.DynamicLiteralNode {
    return { kind: 'scalar', literal: { kind: 'Literal', type: 'dynamic', value: null, text: this.text.slice(start, end), start, end } };
  }

  private parseDynamicValue(): A.DynamicLiteralNode {
    const t = this.tok;
    if (!this.enter()) return this.dynamicNull(this.prevEnd(), this.prevEnd());
    try {
      switch (t.kind) {
        case 'String':
          return { kind: 'scalar', literal: this.parseStringLiteral() };
        case 'Long':
        case 'Real':
        case 'Timespan':
        case 'Bool':
        case 'TypedLiteral':
          this.next();
          return { kind: 'scalar', literal: this.literalFromToken(t) };
        case 'Identifier':
          if (t.text === 'null') {
            this.next();
            return this.dynamicNull(t.start, t.end);
          }
          if (t.text === 'dynamic' && this.isPunct(this.peek(), '(')) {
            const inner = this.parseDynamic();
            return inner.kind === 'Literal' ? { kind: 'scalar', literal: inner } : inner.value;
          }
          break;
        case 'Punct': {
          if (t.text === '[') {
            this.next();
            const items: A.DynamicLiteralNode[] = [];
            this.parseDelimited(']', () => this.parseDynamicValue(), false, items);
            return { kind: 'array', items };
          }
          if (t.text === '{') {
            this.next();
            const entries: { key: string; value: A.DynamicLiteralNode }[] = [];
            this.parseDelimited('}', () => {
              let key = '';
              if (this.tok.kind === 'String') key = String(this.parseStringLiteral().value);
              else this.errorAt(this.tok, KS.InvalidDynamic, 'Expected a quoted property name in dynamic(…)');
              const value = this.expectPunct(':') ? this.parseDynamicValue() : this.dynamicNull(this.prevEnd(), this.prevEnd());
              return { key, value };
            }, false, entries);
            return { kind: 'object', entries };
          }
          const signed = this.parseSignedNumber();
          if (signed) return { kind: 'scalar', literal: signed };
          break;
        }
        default:
          break;
      }
      this.errorAt(t, KS.InvalidDynamic, `Expected a literal value in dynamic(…), found ${this.describe(t)}`);
      return this.dynamicNull(this.prevEnd(), this.prevEnd());
    } finally {
      this.leave();
    }
  }

  /** `-1.5`, `+2`, `-1d` as one literal (inside `dynamic(…)` and `datatable` rows, as in Kusto). */
  private parseSignedNumber(): A.Literal | undefined {
    const t = this.tok;
    const num = this.peek();
    if (!((this.isPunct(t, '-') || this.isPunct(t, '+')) && (num.kind === 'Long' || num.kind === 'Real' || num.kind === 'Timespan'))) return undefined;
    this.next();
    this.next();
    const lit = this.literalFromToken(num);
    if (t.text === '-' && lit.value !== null) lit.value = typeof lit.value === 'bigint' ? -lit.value : -(lit.value as number);
    lit.start = t.start;
    lit.text = this.text.slice(t.start, num.end);
    return lit;
  }

  // ───────────────────────────── source operators ─────────────────────────────

  /** `print [Name =] expr, …` */
  private parsePrint(): A.PrintExpression {
    const kw = this.next();
    const columns = this.parseNamedList(true);
    return { kind: 'PrintExpression', columns, start: kw.start, end: Math.max(kw.end, this.prevEnd()) };
  }

  /** `datatable(Name:type, …) [v1, v2, …]` */
  private parseDatatable(): A.DatatableExpression {
    const kw = this.next();
    const columns: A.DatatableExpression['columns'] = [];
    const values: A.Expression[] = [];
    if (this.expectPunct('(')) {
      this.parseDelimited(')', () => this.parseColumnDeclaration(), false, columns);
      if (this.expectPunct('[')) this.parseDelimited(']', () => this.parseSignedNumber() ?? this.parseExpr(), true, values);
    }
    return { kind: 'DatatableExpression', columns, values, start: kw.start, end: Math.max(kw.end, this.prevEnd()) };
  }

  /** `range Name from a to b step s` */
  private parseRange(): A.RangeExpression {
    const kw = this.next();
    const name = this.parseName();
    let from: A.Expression = this.missing();
    let to: A.Expression = this.missing();
    let step: A.Expression = this.missing();
    if (this.expectWord('from')) {
      from = this.parseExpr();
      if (this.expectWord('to')) {
        to = this.parseExpr();
        if (this.expectWord('step')) step = this.parseExpr();
      }
    }
    return { kind: 'RangeExpression', name, from, to, step, start: kw.start, end: Math.max(kw.end, this.prevEnd()) };
  }
}
