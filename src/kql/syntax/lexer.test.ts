/**
 * The lexer and literal decoding: every literal form of docs/kql-semantics.md §2 and §7, escapes
 * (valid and invalid), every timespan suffix with exact ticks, comments, hyphenated keywords,
 * positions. Expected token splits follow Kusto.Language's TokenParser (checked with
 * `@kusto/language-service-next` where the docs are silent).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Token, tokenize } from './lexer.js';
import { decodeLongText, decodeRealText, decodeTimespanText, decodeTypedLiteral, scanStringLiteral } from './literals.js';

/** `kind:text` for every token but EOF. */
function kinds(text: string): string[] {
  return tokenize(text).tokens.filter((t) => t.kind !== 'EOF').map((t) => `${t.kind}:${t.text}`);
}

function only(text: string): Token {
  const { tokens, diagnostics } = tokenize(text);
  assert.equal(tokens.length, 2, `one token expected in ${JSON.stringify(text)}: ${tokens.map((t) => t.text).join(' ')}`);
  assert.deepEqual(diagnostics, [], `no diagnostics expected in ${JSON.stringify(text)}`);
  return tokens[0]!;
}

function stringValue(text: string): string {
  const t = only(text);
  assert.equal(t.kind, 'String');
  return t.value as string;
}

describe('lexer: identifiers and keywords', () => {
  test('plain identifiers, $left/$right, underscores, digits', () => {
    assert.deepEqual(kinds('FileName _x a1 $left $right'), [
      'Identifier:FileName', 'Identifier:_x', 'Identifier:a1', 'Identifier:$left', 'Identifier:$right',
    ]);
  });

  test('contextual keywords are plain identifiers', () => {
    assert.deepEqual(kinds('where kind count by type'), ['Identifier:where', 'Identifier:kind', 'Identifier:count', 'Identifier:by', 'Identifier:type']);
  });

  test('digit-led words with a letter are identifiers, as in Kusto (1abc, 10Ms, 1dd)', () => {
    assert.deepEqual(kinds('1abc 10Ms 1dd 1d1 1_000'), ['Identifier:1abc', 'Identifier:10Ms', 'Identifier:1dd', 'Identifier:1d1', 'Identifier:1_000']);
  });

  test('hyphenated operator names are one token; a-b is a subtraction', () => {
    assert.deepEqual(kinds('project-away mv-expand make-series top-nested parse-where project-reorder project-rename project-keep'), [
      'Keyword:project-away', 'Keyword:mv-expand', 'Keyword:make-series', 'Keyword:top-nested', 'Keyword:parse-where',
      'Keyword:project-reorder', 'Keyword:project-rename', 'Keyword:project-keep',
    ]);
    assert.deepEqual(kinds('a-b project-awayX project - away'), [
      'Identifier:a', 'Punct:-', 'Identifier:b', 'Identifier:project', 'Punct:-', 'Identifier:awayX', 'Identifier:project', 'Punct:-', 'Identifier:away',
    ]);
  });

  test('negated and tilde operators are one token; != and !~ are punctuation', () => {
    assert.deepEqual(kinds('!has !contains_cs !in !in~ in~ !between !startswith != !~ =~'), [
      'Keyword:!has', 'Keyword:!contains_cs', 'Keyword:!in', 'Keyword:!in~', 'Keyword:in~', 'Keyword:!between', 'Keyword:!startswith',
      'Punct:!=', 'Punct:!~', 'Punct:=~',
    ]);
    // longest match, and no identifier character may follow
    assert.deepEqual(kinds('!has_cs !has_any'), ['Keyword:!has_cs', 'Punct:!', 'Identifier:has_any']);
  });

  test('hint names are one token', () => {
    assert.deepEqual(kinds('hint.strategy=shuffle hint.shufflekey'), ['Keyword:hint.strategy', 'Punct:=', 'Identifier:shuffle', 'Keyword:hint.shufflekey']);
  });

  test('booleans in the three spellings Kusto accepts', () => {
    for (const [text, value] of [['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false]] as const) {
      const t = only(text);
      assert.equal(t.kind, 'Bool');
      assert.equal(t.value, value);
    }
    assert.equal(only('tRue').kind, 'Identifier');
  });
});

describe('lexer: string literals (§2)', () => {
  test('double and single quotes, with every valid escape', () => {
    assert.equal(stringValue('"abc"'), 'abc');
    assert.equal(stringValue("'abc'"), 'abc');
    assert.equal(stringValue('"\\\\Temp\\\\"'), '\\Temp\\');
    assert.equal(stringValue(String.raw`"a\"b"`), 'a"b');
    assert.equal(stringValue(String.raw`'a\'b'`), "a'b");
    assert.equal(stringValue(String.raw`'a"b'`), 'a"b');
    const escapes: [string, string][] = [
      [String.raw`\\`, '\\'], [String.raw`\'`, "'"], [String.raw`\"`, '"'],
      [String.raw`\a`, '\x07'], [String.raw`\b`, '\b'], [String.raw`\f`, '\f'], [String.raw`\n`, '\n'],
      [String.raw`\r`, '\r'], [String.raw`\t`, '\t'], [String.raw`\v`, '\v'],
      [String.raw`\u0041`, 'A'], [String.raw`\u00e9`, 'é'], [String.raw`\U0001F600`, '😀'], [String.raw`\U00000043`, 'C'],
      [String.raw`\x41`, 'A'], [String.raw`\x7e`, '~'],
      [String.raw`\0`, '\0'], [String.raw`\101`, 'A'], [String.raw`\12`, '\n'], [String.raw`\7`, '\x07'],
      // three octal digits only when the first is 0-3: \477 is \47 then '7'
      [String.raw`\477`, "'7"],
    ];
    for (const [escape, value] of escapes) {
      assert.equal(stringValue(`"x${escape}y"`), `x${value}y`, escape);
      assert.equal(stringValue(`'x${escape}y'`), `x${value}y`, escape);
    }
  });

  test('an invalid escape is a diagnostic at the backslash, and the literal goes on to its closing quote', () => {
    for (const bad of [String.raw`\T`, String.raw`\q`, String.raw`\8`, String.raw`\x4`, String.raw`\xZZ`, String.raw`\u12`, String.raw`\u12G4`, String.raw`\U0000004`, String.raw`\U00110000`]) {
      const text = `print "ab${bad}zz", 1`;
      const { tokens, diagnostics } = tokenize(text);
      assert.equal(diagnostics.length, 1, bad);
      const d = diagnostics[0]!;
      assert.equal(d.code, 'KS003');
      assert.equal(d.start, 9, bad);
      assert.equal(d.length, 2);
      assert.equal(d.message, `Invalid escape sequence '${bad.slice(0, 2)}' in string literal`);
      assert.equal(d.line, 1);
      assert.equal(d.column, 10);
      const str = tokens[1]!;
      assert.equal(str.kind, 'String');
      assert.equal(str.end, text.indexOf('",') + 1, `${bad}: the literal ends at its closing quote`);
      assert.equal(str.hasError, true);
      assert.deepEqual(tokens.slice(2).map((t) => t.text), [',', '1', '']);
    }
  });

  test('verbatim strings: backslash is literal, the quote is doubled', () => {
    assert.equal(stringValue('@"C:\\Temp\\"'), 'C:\\Temp\\');
    assert.equal(stringValue('@"a""b"'), 'a"b');
    assert.equal(stringValue("@'it''s'"), "it's");
    assert.equal(stringValue("@'\\T'"), '\\T');
  });

  test('obfuscated strings: the h is not part of the value', () => {
    assert.equal(stringValue('h"secret"'), 'secret');
    assert.equal(stringValue("H'secret'"), 'secret');
    assert.equal(stringValue('h@"C:\\x"'), 'C:\\x');
    assert.equal(stringValue('H@\'a\'\'b\''), "a'b");
    // `h` alone, or as the start of a longer word, is an identifier
    assert.deepEqual(kinds('h hx "y"'), ['Identifier:h', 'Identifier:hx', 'String:"y"']);
  });

  test('multi-line strings: no escapes, line breaks allowed', () => {
    assert.equal(stringValue('```a\\n\nb```'), 'a\\n\nb');
    assert.equal(stringValue('h```x```'), 'x');
  });

  test('a raw line break ends a quoted string: unterminated literal', () => {
    const text = "print 'a\nb";
    const { tokens, diagnostics } = tokenize(text);
    assert.equal(tokens[1]!.kind, 'String');
    assert.equal(tokens[1]!.text, "'a");
    assert.equal(tokens[1]!.value, 'a');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message, d.start, d.length, d.line, d.column]), [
      ['KS002', 'Unterminated string literal', 8, 0, 1, 9],
    ]);
  });

  test('unterminated literals of every kind', () => {
    for (const text of ['"abc', "'abc", '@"abc', 'h"abc', '```abc', '"abc\\"']) {
      const { tokens, diagnostics } = tokenize(text);
      assert.equal(tokens.length, 2, text);
      assert.equal(tokens[0]!.end, text.length, text);
      assert.equal(diagnostics.length, 1, text);
      assert.equal(diagnostics[0]!.code, 'KS002', text);
      // reported where the closing quote is missing, as Kusto.Language does
      assert.equal(diagnostics[0]!.start, text.length, text);
    }
  });

  test('adjacent literals stay separate tokens (the parser concatenates them)', () => {
    assert.deepEqual(kinds('"a" \'b\' // c\n @"d"'), ['String:"a"', "String:'b'", 'String:@"d"']);
  });

  test('scanStringLiteral reports every problem with its offset', () => {
    const s = scanStringLiteral('x = "a\\Tb\\Qc"', 4);
    assert.equal(s.value, 'a\\Tb\\Qc');
    assert.equal(s.terminated, true);
    assert.deepEqual(s.problems.map((p) => [p.start, p.message]), [
      [6, "Invalid escape sequence '\\T' in string literal"],
      [9, "Invalid escape sequence '\\Q' in string literal"],
    ]);
  });
});

describe('lexer: numbers', () => {
  const cases: [string, 'Long' | 'Real', number][] = [
    ['1', 'Long', 1], ['42', 'Long', 42], ['0x1F', 'Long', 31], ['0X1f', 'Long', 31], ['0xFFFFFFFFFFFFFFFF', 'Long', -1],
    ['1.5', 'Real', 1.5], ['1.', 'Real', 1], ['1e3', 'Real', 1000], ['1E3', 'Real', 1000], ['1.5e-3', 'Real', 0.0015], ['1e+3', 'Real', 1000], ['1.e3', 'Real', 1000],
  ];
  for (const [text, kind, value] of cases) {
    test(`${text} → ${kind} ${value}`, () => {
      const t = only(text);
      assert.equal(t.kind, kind);
      assert.equal(t.value, value);
    });
  }

  test('.5 is not a number in Kusto; 1..2 is a range', () => {
    assert.deepEqual(kinds('.5'), ['Punct:.', 'Long:5']);
    assert.deepEqual(kinds('1..2'), ['Long:1', 'Punct:..', 'Long:2']);
  });

  test('a long literal out of range is a diagnostic', () => {
    const { diagnostics } = tokenize('print 99999999999999999999');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.start, d.length]), [['KS004', 6, 20]]);
    assert.equal(tokenize('9223372036854775807').diagnostics.length, 0);
  });
});

describe('lexer: timespan literals (§7), exact ticks', () => {
  const D = 864_000_000_000n;
  const H = 36_000_000_000n;
  const M = 600_000_000n;
  const S = 10_000_000n;
  const MS = 10_000n;
  const suffixes: [string[], bigint][] = [
    [['d', 'day', 'days'], D],
    [['h', 'hr', 'hrs', 'hour', 'hours'], H],
    [['m', 'min', 'minute', 'minutes'], M],
    [['s', 'sec', 'second', 'seconds'], S],
    [['ms', 'milli', 'millis', 'millisec', 'millisecond', 'milliseconds'], MS],
    [['micro', 'micros', 'microsec', 'microsecond', 'microseconds'], 10n],
    [['tick', 'ticks'], 1n],
  ];
  for (const [names, unit] of suffixes) {
    for (const name of names) {
      test(`2${name} = ${2n * unit} ticks`, () => {
        const t = only(`2${name}`);
        assert.equal(t.kind, 'Timespan');
        assert.equal(t.value, 2n * unit);
      });
    }
  }
  for (const name of ['nano', 'nanos', 'nanosec', 'nanosecond', 'nanoseconds']) {
    test(`300${name} = 3 ticks`, () => {
      const t = only(`300${name}`);
      assert.equal(t.kind, 'Timespan');
      assert.equal(t.value, 3n);
    });
  }

  test('documented examples', () => {
    const examples: [string, bigint][] = [
      ['24h', D], ['1d', D], ['30m', 30n * M], ['10s', 10n * S], ['100ms', 1_000_000n], ['1.5h', 54_000_000_000n],
      ['0.1s', 1_000_000n], ['10microsecond', 100n], ['1tick', 1n], ['2.5d', 2n * D + D / 2n], ['0.5ms', 5_000n],
      // fractions of a tick round half away from zero
      ['150nanos', 2n], ['149nanos', 1n], ['1nano', 0n],
    ];
    for (const [text, ticks] of examples) {
      const t = only(text);
      assert.equal(t.kind, 'Timespan', text);
      assert.equal(t.value, ticks, text);
    }
  });

  test('longest suffix, and no identifier character may follow it', () => {
    assert.equal(only('5min').value, 5n * M);
    assert.equal(only('5ms').value, 5n * MS);
    assert.equal(only('1mins').kind, 'Identifier');
    assert.equal(only('1w').kind, 'Identifier'); // weeks are not a unit
    assert.equal(only('1H').kind, 'Identifier'); // suffixes are case-sensitive
    assert.deepEqual(kinds('1h+2m'), ['Timespan:1h', 'Punct:+', 'Timespan:2m']);
  });
});

describe('lexer: typed literals type(…)', () => {
  test('one token from the keyword to the closing parenthesis, raw inside', () => {
    const t = only('datetime(2015-01-01 10:00:00.123Z)');
    assert.equal(t.kind, 'TypedLiteral');
    assert.equal(t.literalKeyword, 'datetime');
    assert.equal(t.inner, '2015-01-01 10:00:00.123Z');
    assert.equal(t.innerStart, 9);
    for (const kw of ['int', 'long', 'real', 'double', 'bool', 'boolean', 'decimal', 'datetime', 'date', 'timespan', 'time', 'guid']) {
      assert.equal(only(`${kw}(null)`).kind, 'TypedLiteral', kw);
    }
    assert.equal(only('guid(74be27de-1e4e-49d9-b579-fe0b331d3642)').inner, '74be27de-1e4e-49d9-b579-fe0b331d3642');
  });

  test('only when ( follows immediately; a bare type name is an identifier', () => {
    assert.deepEqual(kinds('datetime (x) long'), ['Identifier:datetime', 'Punct:(', 'Identifier:x', 'Punct:)', 'Identifier:long']);
    assert.deepEqual(kinds('todatetime(x)'), ['Identifier:todatetime', 'Punct:(', 'Identifier:x', 'Punct:)']);
  });

  test('unterminated: stops at the line break, with a diagnostic', () => {
    const { tokens, diagnostics } = tokenize('datetime(2020-01-01\n| take 1');
    assert.equal(tokens[0]!.text, 'datetime(2020-01-01');
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message, d.start]), [['KS010', "Expected ')' to close 'datetime(' literal", 19]]);
    assert.equal(tokens[1]!.text, '|');
  });
});

describe('literals: decoding type(…) contents', () => {
  const ok = (keyword: string, inner: string) => {
    const r = decodeTypedLiteral(keyword, inner);
    assert.ok(r.ok, `${keyword}(${inner}) should decode`);
    return [r.type, r.value];
  };
  test('numbers and bools', () => {
    assert.deepEqual(ok('int', '5'), ['int', 5]);
    assert.deepEqual(ok('long', '-5'), ['long', -5]);
    assert.deepEqual(ok('long', ' 0x10 '), ['long', 16]);
    assert.deepEqual(ok('real', '1.5'), ['real', 1.5]);
    assert.deepEqual(ok('double', '1'), ['real', 1]);
    assert.ok(Number.isNaN(ok('real', 'nan')[1]));
    assert.deepEqual(ok('real', '+inf'), ['real', Infinity]);
    assert.deepEqual(ok('real', '-inf'), ['real', -Infinity]);
    assert.deepEqual(ok('real', 'inf'), ['real', Infinity]);
    assert.deepEqual(ok('bool', 'true'), ['bool', true]);
    assert.deepEqual(ok('boolean', 'false'), ['bool', false]);
    assert.deepEqual(ok('decimal', '1.5'), ['decimal', '1.5']);
  });
  test('raw text for guid, decimal and datetime; a quoted datetime is decoded', () => {
    assert.deepEqual(ok('guid', '74be27de-1e4e-49d9-b579-fe0b331d3642'), ['guid', '74be27de-1e4e-49d9-b579-fe0b331d3642']);
    assert.deepEqual(ok('datetime', ' 2015-12-31 23:59:59.9 '), ['datetime', '2015-12-31 23:59:59.9']);
    assert.deepEqual(ok('date', '2015-12-31'), ['datetime', '2015-12-31']);
    assert.deepEqual(ok('datetime', '"2015-12-31T10:00:00Z"'), ['datetime', '2015-12-31T10:00:00Z']);
  });
  test('timespan(…): a literal, a bare number of days, [d.]hh:mm[:ss[.f]]', () => {
    const D = 864_000_000_000n;
    assert.deepEqual(ok('timespan', '1d'), ['timespan', D]);
    assert.deepEqual(ok('timespan', '15 seconds'), ['timespan', 150_000_000n]);
    assert.deepEqual(ok('timespan', '2'), ['timespan', 2n * D]);
    assert.deepEqual(ok('time', '1.5'), ['timespan', D + D / 2n]);
    assert.deepEqual(ok('timespan', '0.12:34:56.7'), ['timespan', 12n * 36_000_000_000n + 34n * 600_000_000n + 567_000_000n]);
    assert.deepEqual(ok('timespan', '12:34'), ['timespan', 12n * 36_000_000_000n + 34n * 600_000_000n]);
    assert.deepEqual(ok('timespan', '1.02:03:04.0000005'), ['timespan', D + 2n * 36_000_000_000n + 3n * 600_000_000n + 4n * 10_000_000n + 5n]);
    assert.deepEqual(ok('timespan', '-1d'), ['timespan', -D]);
    assert.deepEqual(ok('time', '-01:00:00'), ['timespan', -36_000_000_000n]);
    assert.equal(decodeTimespanText('25:00'), undefined);
    assert.equal(decodeTimespanText('1w'), undefined);
  });
  test('null for every type', () => {
    for (const kw of ['int', 'long', 'real', 'double', 'bool', 'boolean', 'decimal', 'datetime', 'date', 'timespan', 'time', 'guid']) {
      const r = decodeTypedLiteral(kw, ' null ');
      assert.ok(r.ok && r.value === null, kw);
    }
  });
  test('invalid contents', () => {
    for (const [kw, inner] of [['int', 'abc'], ['int', '3000000000'], ['long', '1.5'], ['real', 'x'], ['bool', '1'], ['guid', 'xyz'], ['datetime', ''], ['timespan', '1w'], ['decimal', 'abc']]) {
      const r = decodeTypedLiteral(kw!, inner!);
      assert.ok(!r.ok, `${kw}(${inner})`);
      assert.match(r.message, new RegExp(`^Invalid \\w+ literal '${kw}\\(`));
    }
  });
  test('number helpers', () => {
    assert.equal(decodeLongText('9223372036854775807'), 9223372036854775807);
    assert.equal(decodeLongText('9223372036854775808'), undefined);
    assert.equal(decodeLongText('-9223372036854775808'), -9223372036854775808);
    assert.equal(decodeRealText('1e309'), Infinity);
    assert.equal(decodeRealText('1.5.5'), undefined);
  });
});

describe('lexer: trivia, punctuation, positions', () => {
  test('comments run to the end of the line, anywhere', () => {
    assert.deepEqual(kinds('a // b | c\n| d // e'), ['Identifier:a', 'Punct:|', 'Identifier:d']);
    assert.deepEqual(kinds('"a//b"'), ['String:"a//b"']);
    assert.deepEqual(kinds('// only a comment'), []);
  });

  test("Kusto's whitespace set, including U+200B and the BOM", () => {
    assert.deepEqual(kinds('\uFEFFa\u200Bb\u00A0c\u3000d'), ['Identifier:a', 'Identifier:b', 'Identifier:c', 'Identifier:d']);
  });

  test('multi-character punctuation', () => {
    assert.deepEqual(kinds('== != <> <= >= =~ !~ .. => = < > : ; , . @ ?'), [
      'Punct:==', 'Punct:!=', 'Punct:<>', 'Punct:<=', 'Punct:>=', 'Punct:=~', 'Punct:!~', 'Punct:..', 'Punct:=>',
      'Punct:=', 'Punct:<', 'Punct:>', 'Punct::', 'Punct:;', 'Punct:,', 'Punct:.', 'Punct:@', 'Punct:?',
    ]);
  });

  test('an unknown character is one Bad token with a diagnostic', () => {
    const { tokens, diagnostics } = tokenize('a ^ b\n  ~');
    assert.deepEqual(tokens.map((t) => t.kind), ['Identifier', 'Bad', 'Identifier', 'Bad', 'EOF']);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.message, d.start, d.line, d.column]), [
      ['KS001', "Unexpected character '^'", 2, 1, 3],
      ['KS001', "Unexpected character '~'", 8, 2, 3],
    ]);
    assert.equal(tokenize('é').diagnostics[0]!.message, "Unexpected character 'é'"); // identifiers are ASCII, as in Kusto
    assert.equal(tokenize('🙂').tokens[0]!.text, '🙂');
  });

  test('directives are one token to the end of the line', () => {
    assert.deepEqual(kinds('#connect cluster("x")\nT'), ['Directive:#connect cluster("x")', 'Identifier:T']);
  });

  test('token offsets are exact and EOF sits at the end', () => {
    const text = 'T\n| where x >= 1.5h // c\n';
    const { tokens } = tokenize(text);
    for (const t of tokens) assert.equal(text.slice(t.start, t.end), t.text);
    assert.deepEqual(tokens.map((t) => t.start), [0, 2, 4, 10, 12, 15, 25]);
    assert.equal(tokens.at(-1)!.kind, 'EOF');
  });
});
