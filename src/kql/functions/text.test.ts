/**
 * String, regex, encoding and parsing functions. Expected values come from the functions' Kusto docs
 * pages (data-explorer/kusto/query/<name>-function.md), cited per test.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDatetime } from '../values/datetime.js';
import { BUILTINS } from './builtins.js';
import { TEST_NOW, bindError, bindScalar, callScalar, resultType } from './test-support.js';

const s = (v: string): [string, 'string'] => [v, 'string'];
const l = (v: number | null): [number | null, 'long'] => [v, 'long'];
const dyn = (v: unknown): [never, 'dynamic'] => [v as never, 'dynamic'];

describe('extract / extract_all / replace_regex / indexof_regex (RE2)', () => {
  const text1 = 'User: James, Email: James@example.com, Age: 29';
  const text2 = 'User: David, Age: 35';
  test('extract (extract-function.md)', () => {
    assert.equal(callScalar('extract', [s('User: ([^,]+)'), l(1), s(text1)]), 'James');
    assert.equal(callScalar('extract', [s('Email: (\\S+),'), l(1), s(text1)]), 'James@example.com');
    assert.equal(callScalar('extract', [s('Email: (\\S+),'), l(1), s(text2)]), '');
    assert.equal(callScalar('extract', [s('\\d+'), l(0), s(text2)]), '35');
    assert.equal(callScalar('extract', [s('(a)|(b)'), l(2), s('a')]), '', 'a group that did not take part is ""');
    assert.equal(callScalar('extract', [s('(a)'), l(5), s('a')]), '', 'a group past the last is ""');
  });
  test('extract with a type literal converts; a failed conversion is null', () => {
    const fn = BUILTINS.scalar('extract')!;
    const args = [{ type: 'string' as const, constant: { value: '-(\\d{2})-' } }, { type: 'long' as const }, { type: 'string' as const }, { type: 'int' as const, typeLiteral: 'int' as const }];
    assert.deepEqual(fn.bind(args), { type: 'int' });
    const kernel = fn.prepare(args, TEST_NOW);
    assert.equal(kernel(['-(\\d{2})-', 1, '21-07-2023', null]), 7);
    assert.equal(kernel(['-(\\d{2})-', 1, 'no digits', null]), null);
    assert.match(bindError(fn.bind([args[0]!, args[1]!, args[2]!, { type: 'long' }])), /argument 4 must be a type literal/);
  });
  test('extract rejects a bad constant regex at bind time', () => {
    const fn = BUILTINS.scalar('extract')!;
    assert.match(bindError(fn.bind([{ type: 'string', constant: { value: '(' } }, { type: 'long' }, { type: 'string' }])), /invalid regular expression/);
    assert.match(bindError(bindScalar('extract', ['string', 'string', 'string'])), /argument 2 must be an integer/);
  });
  const id = '82b8be2d-dfa7-4bd1-8f63-24ad26d31449';
  test('extract_all (extract-all-function.md)', () => {
    assert.deepEqual(callScalar('extract_all', [s('([\\da-f]{2})'), s(id)]),
      ['82', 'b8', 'be', '2d', 'df', 'a7', '4b', 'd1', '8f', '63', '24', 'ad', '26', 'd3', '14', '49']);
    assert.deepEqual(callScalar('extract_all', [s('(\\w)(\\w+)(\\w)'), s(id)]),
      [['8', '2b8be2', 'd'], ['d', 'fa', '7'], ['4', 'bd', '1'], ['8', 'f6', '3'], ['2', '4ad26d3144', '9']]);
    assert.deepEqual(callScalar('extract_all', [s('(\\w)(\\w+)(\\w)'), dyn([1, 3]), s(id)]),
      [['8', 'd'], ['d', '7'], ['4', '1'], ['8', '3'], ['2', '9']]);
    assert.deepEqual(callScalar('extract_all', [s('(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)'), dyn(['first', 2, 'last']), s(id)]),
      [['8', '2b8be2', 'd'], ['d', 'fa', '7'], ['4', 'bd', '1'], ['8', 'f6', '3'], ['2', '4ad26d3144', '9']]);
    assert.equal(callScalar('extract_all', [s('(x)'), s('abc')]), null, 'no match → null');
  });
  test('extract_all needs a capture group', () => {
    const fn = BUILTINS.scalar('extract_all')!;
    assert.match(bindError(fn.bind([{ type: 'string', constant: { value: '\\d+' } }, { type: 'string' }])), /at least one capture group/);
  });
  test('replace_regex and its alias replace (replace-regex-function.md)', () => {
    assert.equal(callScalar('replace_regex', [s('Number is 1'), s('is (\\d+)'), s('was: \\1')]), 'Number was: 1');
    assert.equal(callScalar('replace', [s('is (\\d+)'), s('was: \\1'), s('Number is 1')]), 'Number was: 1', 'deprecated order: regex, rewrite, text');
    assert.equal(callScalar('replace_regex', [s('aaa'), s('a'), s('\\0\\0')]), 'aaaaaa');
    assert.equal(callScalar('replace_regex', [s('abc'), s('x*'), s('-')]), '-a-b-c-', 'empty matches between characters');
  });
  test('indexof_regex (indexof-regex-function.md)', () => {
    assert.equal(callScalar('indexof_regex', [s('abcabc'), s('a.c')]), 0);
    assert.equal(callScalar('indexof_regex', [s('abcabcdefg'), s('a.c'), l(0), l(9), l(2)]), 3);
    assert.equal(callScalar('indexof_regex', [s('abcabc'), s('a.c'), l(1), l(-1), l(2)]), -1);
    assert.equal(callScalar('indexof_regex', [s('ababaa'), s('a.a'), l(0), l(-1), l(2)]), -1);
    assert.equal(callScalar('indexof_regex', [s('abcabc'), s('a|ab'), l(-1)]), null);
  });
});

describe('string functions', () => {
  test('indexof (indexof-function.md)', () => {
    assert.equal(callScalar('indexof', [s('abcdefg'), s('cde')]), 2);
    assert.equal(callScalar('indexof', [s('abcdefg'), s('cde'), l(1), l(4)]), 2);
    assert.equal(callScalar('indexof', [s('abcdefg'), s('cde'), l(1), l(2)]), -1);
    assert.equal(callScalar('indexof', [s('abcdefg'), s('cde'), l(3), l(4)]), -1);
    assert.equal(callScalar('indexof', [s('abcdefg'), s('cde'), l(-5)]), 2);
    assert.equal(callScalar('indexof', [l(1234567), l(5), l(1), l(4)]), 4);
    assert.equal(callScalar('indexof', [s('abcdefg'), s('cde'), l(2), l(-1)]), 2);
    assert.equal(callScalar('indexof', [s('abcdefgabcdefg'), s('cde'), l(1), l(10), l(2)]), 9);
    assert.equal(callScalar('indexof', [s('abcdefgabcdefg'), s('cde'), l(1), l(-1), l(3)]), -1);
    assert.equal(callScalar('indexof', [s('abc'), s('b'), l(0), l(-2)]), null, 'length < -1 → null');
    assert.equal(callScalar('indexof', [s('abc'), s('b'), l(0), l(-1), l(0)]), null, 'occurrence < 1 → null');
    assert.equal(resultType(bindScalar('indexof', ['string', 'string'])), 'long');
  });
  test('reverse (reverse-function.md)', () => {
    assert.equal(callScalar('reverse', [s('ABCDEF')]), 'FEDCBA');
    assert.equal(callScalar('reverse', [l(12345)]), '54321');
    assert.equal(callScalar('reverse', [[123.45, 'real']]), '54.321');
    assert.equal(callScalar('reverse', [[parseDatetime('2017-10-15 12:00')!, 'datetime']]), 'Z0000000.00:00:21T51-01-7102');
    assert.equal(callScalar('reverse', [[3n * 36_000_000_000n, 'timespan']]), '00:00:30');
  });
  test('countof (countof-function.md): plain matches overlap, regex matches do not', () => {
    assert.equal(callScalar('countof', [s('aaa'), s('a')]), 3);
    assert.equal(callScalar('countof', [s('aaaa'), s('aa')]), 3);
    assert.equal(callScalar('countof', [s('ababa'), s('ab'), s('normal')]), 2);
    assert.equal(callScalar('countof', [s('ababa'), s('aba')]), 2);
    assert.equal(callScalar('countof', [s('ababa'), s('aba'), s('regex')]), 1);
    assert.equal(callScalar('countof', [s('abcabc'), s('a.c'), s('regex')]), 2);
    const fn = BUILTINS.scalar('countof')!;
    assert.match(bindError(fn.bind([{ type: 'string' }, { type: 'string' }, { type: 'string', constant: { value: 'fuzzy' } }])), /'normal' or 'regex'/);
  });
  test('strcat_delim and strcat_array (strcat-delim-function.md, strcat-array-function.md)', () => {
    assert.equal(callScalar('strcat_delim', [s('-'), s('yyyy'), s('MM'), s('dd')]), 'yyyy-MM-dd');
    assert.equal(callScalar('strcat_delim', [s(','), s('a'), l(1), l(null)]), 'a,1,');
    assert.equal(callScalar('strcat_array', [dyn([1, 2, 3]), s('->')]), '1->2->3');
    assert.equal(callScalar('strcat_array', [dyn(['a', 'b', 'c']), s(',')]), 'a,b,c');
    assert.match(bindError(bindScalar('strcat_delim', ['string', 'string'])), /expects between 3 and 65 arguments, got 2/);
  });
  test('string_size counts UTF-8 bytes; isascii; strcmp (string-size, isascii, strcmp docs)', () => {
    assert.equal(callScalar('string_size', [s('hello')]), 5);
    assert.equal(callScalar('string_size', [s('⒦⒰⒮⒯⒪')]), 15);
    assert.equal(callScalar('isascii', [s('some string')]), true);
    assert.equal(callScalar('isascii', [s('Σ')]), false);
    assert.equal(callScalar('strcmp', [s('ABC'), s('ABC')]), 0);
    assert.equal(callScalar('strcmp', [s('abc'), s('ABC')]), 1);
    assert.equal(callScalar('strcmp', [s('ABC'), s('abc')]), -1);
    assert.equal(callScalar('strcmp', [s('abcde'), s('abc')]), 1);
  });
  test('strrep and translate (strrep-function.md, translatefunction.md)', () => {
    assert.equal(callScalar('strrep', [s('ABC'), l(2)]), 'ABCABC');
    assert.equal(callScalar('strrep', [l(123), l(3), s(' ')]), '123 123 123');
    assert.equal(callScalar('strrep', [s('x'), l(0)]), '');
    assert.equal(callScalar('translate', [s('abc'), s('x'), s('abc')]), 'xxx');
    assert.equal(callScalar('translate', [s('abc'), s(''), s('ab')]), '');
    assert.equal(callScalar('translate', [s('krasp'), s('otsku'), s('spark')]), 'kusto');
  });
  test('has_any_index (has-any-index-function.md)', () => {
    assert.equal(callScalar('has_any_index', [s('this is an example'), dyn(['this', 'example'])]), 0);
    assert.equal(callScalar('has_any_index', [s('this is an example'), dyn(['not', 'example'])]), 1);
    assert.equal(callScalar('has_any_index', [s('this is an example'), dyn(['not', 'found'])]), -1);
    assert.equal(callScalar('has_any_index', [s('Example number 2'), dyn([1, 2, 3])]), 1);
    assert.equal(callScalar('has_any_index', [s('this is an example'), dyn([])]), -1);
  });
  test('unicode code points (unicode-codepoints-to-string-function.md)', () => {
    assert.equal(callScalar('unicode_codepoints_to_string', [l(75), l(117), l(115), l(116), l(111)]), 'Kusto');
    assert.equal(callScalar('unicode_codepoints_to_string', [dyn([75, 117, 115, 116, 111])]), 'Kusto');
    assert.equal(callScalar('unicode_codepoints_to_string', [dyn([75, 117]), l(115), dyn([116, 111])]), 'Kusto');
    assert.deepEqual(callScalar('unicode_codepoints_from_string', [s('⒦')]), [9382]);
  });
});

describe('encodings', () => {
  test('url_encode / url_encode_component / url_decode (url-encode-function.md, url-decode-function.md)', () => {
    assert.equal(callScalar('url_encode', [s('https://www.bing.com/hello world/')]), 'https%3a%2f%2fwww.bing.com%2fhello+world%2f');
    assert.equal(callScalar('url_encode_component', [s('https://www.bing.com/hello world/')]), 'https%3a%2f%2fwww.bing.com%2fhello%20world%2f');
    assert.equal(callScalar('url_decode', [s('https%3a%2f%2fwww.bing.com%2f')]), 'https://www.bing.com/');
    assert.equal(callScalar('url_decode', [s('%E2%82%AC%zz')]), '€%zz', 'UTF-8 escapes decode; malformed ones stay');
  });
  test('base64 (base64-encode-tostring, base64-decode-tostring, base64-decode-toarray docs)', () => {
    assert.equal(callScalar('base64_encode_tostring', [s('Kusto')]), 'S3VzdG8=');
    assert.equal(callScalar('base64_decode_tostring', [s('S3VzdG8=')]), 'Kusto');
    assert.equal(callScalar('base64_decode_tostring', [s('U3RyaW5n0KHR0tGA0L7Rh9C60LA=')]), '', 'invalid UTF-8 → ""');
    assert.equal(callScalar('base64_decode_tostring', [s('not base64!')]), '');
    assert.deepEqual(callScalar('base64_decode_toarray', [s('S3VzdG8=')]), [75, 117, 115, 116, 111]);
  });
  test('base64_encode_fromguid uses .NET byte order (base64-encode-fromguid-function.md)', () => {
    assert.equal(callScalar('base64_encode_fromguid', [['ae3133f2-6e22-49ae-b06a-16e6a9b212eb', 'guid']]), '8jMxriJurkmwahbmqbIS6w==');
    // Round trip. The base64_decode_toguid docs example prints 10e99626-bc2b-754c-…, which contradicts the
    // byte order of the encode example above; the engine keeps the two functions consistent (.NET order).
    assert.equal(callScalar('base64_decode_toguid', [s('8jMxriJurkmwahbmqbIS6w==')]), 'ae3133f2-6e22-49ae-b06a-16e6a9b212eb');
  });
});

describe('parsers', () => {
  test('parse_path (parse-path-function.md)', () => {
    const row = (Scheme: string, RootPath: string, DirectoryPath: string, DirectoryName: string, Filename: string, Extension: string, AlternateDataStreamName: string) =>
      ({ Scheme, RootPath, DirectoryPath, DirectoryName, Filename, Extension, AlternateDataStreamName });
    assert.deepEqual(callScalar('parse_path', [s('C:\\temp\\file.txt')]), row('', 'C:', 'C:\\temp', 'temp', 'file.txt', 'txt', ''));
    assert.deepEqual(callScalar('parse_path', [s('temp\\file.txt')]), row('', '', 'temp', 'temp', 'file.txt', 'txt', ''));
    assert.deepEqual(callScalar('parse_path', [s('file://C:/temp/file.txt:some.exe')]), row('file', 'C:', 'C:/temp', 'temp', 'file.txt', 'txt', 'some.exe'));
    assert.deepEqual(callScalar('parse_path', [s('\\\\shared\\users\\temp\\file.txt.gz')]), row('', '', '\\\\shared\\users\\temp', 'temp', 'file.txt.gz', 'gz', ''));
    assert.deepEqual(callScalar('parse_path', [s('/usr/lib/temp/file.txt')]), row('', '', '/usr/lib/temp', 'temp', 'file.txt', 'txt', ''));
  });
  test('parse_url (parse-url-function.md)', () => {
    assert.deepEqual(callScalar('parse_url', [s('scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment')]), {
      Scheme: 'scheme', Host: 'host', Port: '1234', Path: '/this/is/a/path', Username: 'username', Password: 'password',
      'Query Parameters': { k1: 'v1', k2: 'v2' }, Fragment: 'fragment',
    });
    assert.deepEqual(callScalar('parse_urlquery', [s('k1=v1&k2=v2&k3=v3')]), { 'Query Parameters': { k1: 'v1', k2: 'v2', k3: 'v3' } });
  });
  test('parse_command_line with Windows rules (parse-command-line-function.md)', () => {
    assert.deepEqual(callScalar('parse_command_line', [s('echo "hello world!"'), s('windows')]), ['echo', 'hello world!']);
    // CommandLineToArgvW rules: 2n backslashes + quote → n backslashes; 2n+1 → a literal quote.
    assert.deepEqual(callScalar('parse_command_line', [s('a\\\\\\"b c\\\\"d e" f\\g'), s('windows')]), ['a\\\\\\"b', 'c\\d e', 'f\\g']);
    assert.deepEqual(callScalar('parse_command_line', [s('"C:\\Program Files\\x.exe" /c'), s('windows')]), ['C:\\Program Files\\x.exe', '/c']);
    assert.deepEqual(callScalar('parse_command_line', [s('   '), s('windows')]), []);
    const fn = BUILTINS.scalar('parse_command_line')!;
    assert.match(bindError(fn.bind([{ type: 'string' }, { type: 'string', constant: { value: 'bash' } }])), /unknown parser 'bash'/);
  });
  test('parse_version (parse-version-function.md)', () => {
    assert.equal(callScalar('parse_version', [s('0.0.0.5')]), 5);
    assert.equal(callScalar('parse_version', [s('0.0.7.0')]), 700_000_000);
    assert.equal(callScalar('parse_version', [s('0.0.3')]), 300_000_000);
    assert.equal(callScalar('parse_version', [s('0.2')]), 20_000_000_000_000_000);
    assert.equal(callScalar('parse_version', [s('1.2.3.4.5')]), null);
    assert.equal(callScalar('parse_version', [s('a.b')]), null);
  });
  test('parse_xml (parse-xml-function.md conversion table)', () => {
    assert.deepEqual(callScalar('parse_xml', [s('<e/>')]), { e: null });
    assert.deepEqual(callScalar('parse_xml', [s('<e>text</e>')]), { e: 'text' });
    assert.deepEqual(callScalar('parse_xml', [s('<e name="value" />')]), { e: { '@name': 'value' } });
    assert.deepEqual(callScalar('parse_xml', [s('<e name="value">text</e>')]), { e: { '@name': 'value', '#text': 'text' } });
    assert.deepEqual(callScalar('parse_xml', [s('<e> <a>text</a> <b>text</b> </e>')]), { e: { a: 'text', b: 'text' } });
    assert.deepEqual(callScalar('parse_xml', [s('<e> <a>text</a> <a>text</a> </e>')]), { e: { a: ['text', 'text'] } });
    assert.deepEqual(callScalar('parse_xml', [s('<e> text <a>text</a> </e>')]), { e: { '#text': 'text', a: 'text' } });
    assert.deepEqual(callScalar('parse_xml', [s('<?xml version="1.0"?><!-- c --><d><v>1 &amp; 2</v></d>')]), { d: { v: '1 & 2' } });
    assert.equal(callScalar('parse_xml', [s('<a><b></a>')]), null, 'invalid XML → null');
  });
});
