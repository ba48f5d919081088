import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND, parseDatetime } from '../values/datetime.js';
import { BUILTINS } from './builtins.js';
import { TEST_NOW, bindError, bindScalar, callOperator, callScalar, resultType } from './test-support.js';

const dt = (s: string) => parseDatetime(s)!;
const H = TICKS_PER_HOUR;
const D = TICKS_PER_DAY;

describe('string functions', () => {
  test('tolower / toupper accept any scalar', () => {
    assert.equal(callScalar('tolower', [['Hello', 'string']]), 'hello');
    assert.equal(callScalar('toupper', [['Hello', 'string']]), 'HELLO');
    assert.equal(callScalar('tolower', [[12, 'long']]), '12');
    assert.equal(callScalar('tolower', [['ZIP', 'dynamic']]), 'zip');
    assert.equal(callScalar('tolower', [[null, 'dynamic']]), '');
  });
  test('strlen counts code points; rejects non-strings', () => {
    assert.equal(callScalar('strlen', [['hello', 'string']]), 5);
    assert.equal(callScalar('strlen', [['⒦⒰⒮⒯⒪', 'string']]), 5);
    assert.equal(callScalar('strlen', [['C\u0327edilla', 'string']]), 8);
    assert.equal(callScalar('strlen', [['😀', 'string']]), 1);
    assert.equal(callScalar('strlen', [['', 'string']]), 0);
    assert.equal(resultType(bindScalar('strlen', ['string'])), 'long');
    assert.equal(bindError(bindScalar('strlen', ['long'])), 'strlen(): argument 1 must be string or dynamic, got long');
    assert.match(bindError(bindScalar('strlen', [])), /strlen\(\): expects 1 argument, got 0/);
  });
  test('substring (docs examples and edges)', () => {
    assert.equal(callScalar('substring', [['123456', 'string'], [1, 'long']]), '23456');
    assert.equal(callScalar('substring', [['123456', 'string'], [2, 'long'], [2, 'long']]), '34');
    assert.equal(callScalar('substring', [['ABCD', 'string'], [0, 'long'], [2, 'long']]), 'AB');
    assert.equal(callScalar('substring', [['123456', 'string'], [-2, 'long'], [2, 'long']]), '56');
    assert.equal(callScalar('substring', [['123456', 'string'], [10, 'long']]), '');
    assert.equal(callScalar('substring', [['123456', 'string'], [-10, 'long'], [2, 'long']]), '12');
    assert.equal(callScalar('substring', [['123456', 'string'], [4, 'long'], [10, 'long']]), '56');
    assert.equal(callScalar('substring', [['123456', 'string'], [1, 'long'], [-1, 'long']]), '');
    assert.equal(callScalar('substring', [['123456', 'string'], [null, 'long']]), '');
    assert.match(bindError(bindScalar('substring', ['string', 'string'])), /argument 2 must be an integer/);
  });
  test('split (docs examples)', () => {
    assert.deepEqual(callScalar('split', [['aa_bb', 'string'], ['_', 'string']]), ['aa', 'bb']);
    assert.deepEqual(callScalar('split', [['aaa_bbb_ccc', 'string'], ['_', 'string'], [1, 'long']]), ['bbb']);
    assert.deepEqual(callScalar('split', [['', 'string'], ['_', 'string']]), ['']);
    assert.deepEqual(callScalar('split', [['a__b', 'string'], ['_', 'string']]), ['a', '', 'b']);
    assert.deepEqual(callScalar('split', [['aabbcc', 'string'], ['bb', 'string']]), ['aa', 'cc']);
    assert.deepEqual(callScalar('split', [['a.b', 'string'], ['.', 'string'], [5, 'long']]), []);
    assert.equal(resultType(bindScalar('split', ['string', 'string'])), 'dynamic');
    assert.match(bindError(bindScalar('split', ['string', 'long'])), /split\(\): argument 2 must be string or dynamic, got long/);
  });
  test('strcat converts every argument with tostring()', () => {
    assert.equal(callScalar('strcat', [['a', 'string'], [1, 'long'], [null, 'long'], [true, 'bool']]), 'a1true');
    assert.equal(callScalar('strcat', [['x', 'string'], [dt('2026-11-28'), 'datetime']]), 'x2026-11-28T00:00:00.0000000Z'); // tostring(datetime) is the round-trip form (reverse-function.md)
    assert.equal(callScalar('strcat', [['hello', 'string'], [' ', 'string'], ['world', 'string']]), 'hello world');
    assert.match(bindError(bindScalar('strcat', [])), /strcat\(\): expects between 1 and 64 arguments, got 0/);
  });
  test('trim family takes a regex', () => {
    assert.equal(callScalar('trim', [['--', 'string'], ['--https://bing.com--', 'string']]), 'https://bing.com');
    assert.equal(callScalar('trim_start', [['--', 'string'], ['--a--', 'string']]), 'a--');
    assert.equal(callScalar('trim_end', [['--', 'string'], ['--a--', 'string']]), '--a');
    assert.equal(callScalar('trim', [['\\s', 'string'], ['  x y  ', 'string']]), 'x y');
    assert.equal(callScalar('trim_end', [['[^\\w]+', 'string'], ['bing.com!!', 'string']]), 'bing.com');
    assert.equal(callScalar('trim', [['x', 'string'], ['xxx', 'string']]), '');
  });
  test('trim needs a constant, valid regex', () => {
    const trim = BUILTINS.scalar('trim')!;
    assert.match(bindError(trim.bind([{ type: 'string' }, { type: 'string' }])), /trim\(\): argument 1 must be a constant/);
    assert.match(bindError(trim.bind([{ type: 'string', constant: { value: '(' } }, { type: 'string' }])), /invalid regular expression/);
  });
  test('replace_string replaces every literal occurrence', () => {
    assert.equal(callScalar('replace_string', [['A magic trick can turn a cat into a dog', 'string'], ['cat', 'string'], ['hamster', 'string']]),
      'A magic trick can turn a hamster into a dog');
    assert.equal(callScalar('replace_string', [['a.b.c', 'string'], ['.', 'string'], ['', 'string']]), 'abc');
    assert.equal(callScalar('replace_string', [['abc', 'string'], ['', 'string'], ['x', 'string']]), 'abc');
    assert.match(bindError(bindScalar('replace_string', ['string', 'long', 'string'])), /argument 2 must be string or dynamic, got long/);
  });
});

describe('conversions', () => {
  test('tostring of every type', () => {
    assert.equal(callScalar('tostring', [[null, 'long']]), '');
    assert.equal(callScalar('tostring', [[1.5, 'real']]), '1.5');
    assert.equal(callScalar('tostring', [[1e20, 'real']]), '1E+20');
    assert.equal(callScalar('tostring', [[false, 'bool']]), 'false');
    assert.equal(callScalar('tostring', [[H, 'timespan']]), '01:00:00');
    assert.equal(callScalar('tostring', [[dt('2026-11-28T10:00:00.5Z'), 'datetime']]), '2026-11-28T10:00:00.5000000Z'); // reverse-function.md: 7 digits
    assert.equal(callScalar('tostring', [['zip', 'dynamic']]), 'zip');
    assert.equal(callScalar('tostring', [[['a', 1], 'dynamic']]), '["a",1]');
  });
  test('toint / tolong', () => {
    assert.equal(callScalar('toint', [['123', 'string']]), 123);
    assert.equal(callScalar('toint', [['abc', 'string']]), null);
    assert.equal(callScalar('toint', [[2.9, 'real']]), 2);
    assert.equal(callScalar('toint', [[-2.9, 'real']]), -2);
    assert.equal(callScalar('toint', [[true, 'bool']]), 1);
    assert.equal(callScalar('tolong', [[' 42 ', 'string']]), 42);
    assert.equal(callScalar('tolong', [['1.5', 'string']]), null);
    assert.equal(callScalar('tolong', [[H, 'timespan']]), 36_000_000_000);
    assert.equal(callScalar('tolong', [[dt('0001-01-01'), 'datetime']]), 0);
    assert.equal(callScalar('tolong', [[null, 'real']]), null);
    assert.equal(callScalar('tolong', [[NaN, 'real']]), null);
    assert.equal(resultType(bindScalar('toint', ['string'])), 'int');
    assert.equal(resultType(bindScalar('tolong', ['datetime'])), 'long');
  });
  test('toreal / todouble', () => {
    assert.equal(callScalar('toreal', [['1.5e3', 'string']]), 1500);
    assert.equal(callScalar('todouble', [['x', 'string']]), null);
    assert.equal(callScalar('todouble', [[3, 'int']]), 3);
    assert.equal(resultType(bindScalar('todouble', ['int'])), 'real');
  });
  test('todatetime / datetime()', () => {
    assert.equal(callScalar('todatetime', [['2026-11-28 10:00', 'string']]), dt('2026-11-28T10:00:00Z'));
    assert.equal(callScalar('todatetime', [['garbage', 'string']]), null);
    assert.equal(callScalar('datetime', [['2026-11-28', 'string']]), dt('2026-11-28'));
    assert.equal(callScalar('todatetime', [['2026-11-28', 'dynamic']]), dt('2026-11-28'));
    assert.equal(callScalar('todatetime', [[0, 'long']]), dt('0001-01-01'));
    assert.equal(callScalar('todatetime', [['12-02-2022', 'string']]), dt('2022-12-02'));
  });
  test('totimespan', () => {
    assert.equal(callScalar('totimespan', [['1.00:00:00', 'string']]), D);
    assert.equal(callScalar('totimespan', [['1h', 'string']]), H);
    assert.equal(callScalar('totimespan', [['nope', 'string']]), null);
    assert.equal(callScalar('totimespan', [[10, 'long']]), 10n);
  });
  test('tobool', () => {
    assert.equal(callScalar('tobool', [['true', 'string']]), true);
    assert.equal(callScalar('tobool', [['FALSE', 'string']]), false);
    assert.equal(callScalar('tobool', [['yes', 'string']]), null);
    assert.equal(callScalar('tobool', [[123, 'long']]), true);
    assert.equal(callScalar('tobool', [[0, 'long']]), false);
  });
  test('toguid', () => {
    assert.equal(callScalar('toguid', [['AE3133F2-6E22-49AE-B06A-16E6A9B212EB', 'string']]), 'ae3133f2-6e22-49ae-b06a-16e6a9b212eb');
    assert.equal(callScalar('toguid', [['nope', 'string']]), null);
  });
});

describe('conditional functions', () => {
  test('iff / iif', () => {
    assert.equal(callScalar('iff', [[true, 'bool'], [1, 'long'], [2, 'long']]), 1);
    assert.equal(callScalar('iif', [[false, 'bool'], [1, 'long'], [2, 'long']]), 2);
    assert.equal(callScalar('iff', [[null, 'bool'], ['a', 'string'], ['b', 'string']]), 'b');
    // docs: print iff(bool(null) and true, true, false) → false
    const condition = callOperator('and', [[null, 'bool'], [true, 'bool']]);
    assert.equal(callScalar('iff', [[condition, 'bool'], [true, 'bool'], [false, 'bool']]), false);
  });
  test('iff types (Kusto.Language)', () => {
    assert.equal(resultType(bindScalar('iff', ['bool', 'long', 'real'])), 'real');
    assert.equal(resultType(bindScalar('iff', ['bool', 'int', 'long'])), 'long');
    assert.equal(resultType(bindScalar('iff', ['bool', 'string', 'long'])), 'dynamic');
    assert.equal(resultType(bindScalar('iff', ['bool', 'dynamic', 'long'])), 'long');
    assert.equal(resultType(bindScalar('iff', ['bool', 'timespan', 'timespan'])), 'timespan');
    assert.equal(bindError(bindScalar('iff', ['long', 'long', 'long'])), 'iff(): argument 1 must be bool, got long');
  });
  test('iff converts the chosen branch to the result type', () => {
    assert.equal(callScalar('iff', [[true, 'bool'], [1, 'int'], [2.5, 'real']]), 1);
    assert.equal(callScalar('iff', [[true, 'bool'], ['a', 'string'], [1, 'long']]), 'a');
    assert.equal(callScalar('iff', [[false, 'bool'], [dt('2026-11-28'), 'datetime'], ['x', 'string']]), 'x');
    assert.equal(callScalar('iff', [[true, 'bool'], [dt('2026-11-28'), 'datetime'], ['x', 'string']]), '2026-11-28T00:00:00.0000000Z'); // a datetime stored into dynamic: 7 digits (range-function.md)
  });
  test('case', () => {
    const args = (x: number) => [[x > 10, 'bool'], ['big', 'string'], [x > 5, 'bool'], ['medium', 'string'], ['small', 'string']] as const;
    assert.equal(callScalar('case', args(20).map((a) => [...a]) as never), 'big');
    assert.equal(callScalar('case', args(7).map((a) => [...a]) as never), 'medium');
    assert.equal(callScalar('case', args(1).map((a) => [...a]) as never), 'small');
    assert.equal(resultType(bindScalar('case', ['bool', 'long', 'bool', 'real', 'long'])), 'real');
    assert.match(bindError(bindScalar('case', ['bool', 'long'])), /expects between 3 and 65535 arguments/);
    assert.match(bindError(bindScalar('case', ['bool', 'long', 'long', 'long'])), /odd number of arguments/);
    assert.match(bindError(bindScalar('case', ['long', 'long', 'long'])), /argument 1 must be bool/);
  });
  test('coalesce (docs example and types)', () => {
    assert.equal(callScalar('coalesce', [[null, 'long'], [42, 'long'], [33, 'long']]), 42);
    assert.equal(callScalar('coalesce', [['', 'string'], ['x', 'string']]), 'x');
    assert.equal(callScalar('coalesce', [['', 'string'], ['', 'string']]), '');
    assert.equal(callScalar('coalesce', [[null, 'datetime'], [null, 'datetime']]), null);
    assert.equal(resultType(bindScalar('coalesce', ['long', 'real'])), 'real');
    assert.match(bindError(bindScalar('coalesce', ['string', 'long'])), /no common type/);
    assert.match(bindError(bindScalar('coalesce', ['long'])), /between 2 and 64/);
  });
  test('isnull / isnotnull / isempty / isnotempty', () => {
    assert.equal(callScalar('isnull', [[null, 'long']]), true);
    assert.equal(callScalar('isnull', [['', 'string']]), false);
    assert.equal(callScalar('isnotnull', [[0, 'long']]), true);
    assert.equal(callScalar('isempty', [['', 'string']]), true);
    assert.equal(callScalar('isempty', [[null, 'long']]), true);
    assert.equal(callScalar('isempty', [['', 'dynamic']]), true);
    assert.equal(callScalar('isempty', [[[], 'dynamic']]), false);
    assert.equal(callScalar('isnotempty', [['a', 'string']]), true);
  });
  test('not', () => {
    assert.equal(callScalar('not', [[true, 'bool']]), false);
    assert.equal(callScalar('not', [[null, 'bool']]), null);
    assert.equal(bindError(bindScalar('not', ['long'])), 'not(): argument 1 must be bool, got long');
  });
});

describe('math and binning', () => {
  test('abs', () => {
    assert.equal(callScalar('abs', [[-5, 'long']]), 5);
    assert.equal(resultType(bindScalar('abs', ['int'])), 'long');
    assert.equal(callScalar('abs', [[-H, 'timespan']]), H);
    assert.match(bindError(bindScalar('abs', ['string'])), /abs\(\): argument 1 must be a number or timespan, got string/);
  });
  test('round (docs examples: half away from zero)', () => {
    assert.equal(callScalar('round', [[2.98765, 'real'], [3, 'long']]), 2.988);
    assert.equal(callScalar('round', [[2.15, 'real'], [1, 'long']]), 2.2);
    assert.equal(callScalar('round', [[2.15, 'real']]), 2);
    assert.equal(callScalar('round', [[-50.55, 'real'], [-2, 'long']]), -100);
    assert.equal(callScalar('round', [[21.5, 'real'], [-1, 'long']]), 20);
    assert.equal(callScalar('round', [[2.5, 'real']]), 3);
    assert.equal(callScalar('round', [[-2.5, 'real']]), -3);
    assert.equal(resultType(bindScalar('round', ['int'])), 'int');
    const round = BUILTINS.scalar('round')!;
    assert.equal(resultType(round.bind([{ type: 'real' }, { type: 'long', constant: { value: 2 } }])), 'real');
    assert.equal(bindError(bindScalar('round', ['real', 'long'])), 'round(): argument 2 must be a constant');
  });
  test('bin over numbers (docs: bin(4.5, 1) = 4)', () => {
    assert.equal(callScalar('bin', [[4.5, 'real'], [1, 'long']]), 4);
    assert.equal(callScalar('bin', [[-4.5, 'real'], [1, 'long']]), -5);
    assert.equal(callScalar('bin', [[17, 'long'], [5, 'long']]), 15);
    assert.equal(callScalar('bin', [[17, 'long'], [2.5, 'real']]), 15);
    assert.equal(callScalar('bin', [[17, 'long'], [0, 'long']]), null);
    assert.equal(callScalar('floor', [[17, 'long'], [5, 'long']]), 15);
    assert.equal(resultType(bindScalar('bin', ['int', 'long'])), 'long');
    assert.equal(resultType(bindScalar('bin', ['long', 'real'])), 'real');
  });
  test('bin over datetimes and timespans', () => {
    assert.equal(callScalar('bin', [[dt('1970-05-11 13:45:07'), 'datetime'], [D, 'timespan']]), dt('1970-05-11'));
    assert.equal(callScalar('bin', [[dt('2026-11-28T10:59:59.9999999Z'), 'datetime'], [H, 'timespan']]), dt('2026-11-28T10:00:00Z'));
    assert.equal(callScalar('bin', [[dt('1969-12-31T23:30:00Z'), 'datetime'], [H, 'timespan']]), dt('1969-12-31T23:00:00Z'));
    // 7d bins count from 0001-01-01 (a Monday): 2026-11-28 is a Saturday, its bin starts Monday 2026-11-23.
    assert.equal(callScalar('bin', [[dt('2026-11-28'), 'datetime'], [7n * D, 'timespan']]), dt('2026-11-23'));
    assert.equal(callScalar('bin', [[16n * D, 'timespan'], [7n * D, 'timespan']]), 14n * D);
    assert.equal(callScalar('bin', [[null, 'datetime'], [D, 'timespan']]), null);
    assert.equal(resultType(bindScalar('bin', ['datetime', 'timespan'])), 'datetime');
    assert.match(bindError(bindScalar('bin', ['datetime', 'long'])), /bin\(\): cannot bin datetime by long/);
    assert.match(bindError(bindScalar('bin', ['string', 'long'])), /cannot bin string/);
  });
});

describe('datetime functions', () => {
  const now = TEST_NOW.now;
  test('now() and ago() use the query\'s fixed now', () => {
    assert.equal(callScalar('now', []), now);
    assert.equal(callScalar('now', [[-H, 'timespan']]), now - H);
    assert.equal(callScalar('ago', [[D, 'timespan']]), now - D);
    assert.equal(callScalar('ago', [[-30n * TICKS_PER_MINUTE, 'timespan']]), now + 30n * TICKS_PER_MINUTE);
    assert.equal(bindError(bindScalar('ago', ['long'])), 'ago(): argument 1 must be timespan, got long');
  });
  test('startofday', () => {
    assert.equal(callScalar('startofday', [[dt('2026-11-28T10:11:12Z'), 'datetime']]), dt('2026-11-28'));
    assert.equal(callScalar('startofday', [[dt('2026-11-28T10:11:12Z'), 'datetime'], [-1, 'long']]), dt('2026-11-27'));
    assert.equal(callScalar('startofday', [[dt('1969-12-31T23:00:00Z'), 'datetime']]), dt('1969-12-31'));
    assert.equal(callScalar('startofday', [[null, 'datetime']]), null);
    assert.match(bindError(bindScalar('startofday', ['datetime', 'real'])), /argument 2 must be an integer/);
    assert.match(bindError(bindScalar('startofday', ['string'])), /argument 1 must be datetime, got string/);
  });
  test('sub-second precision survives', () => {
    assert.equal(callScalar('ago', [[TICKS_PER_SECOND / 10n + 1n, 'timespan']]), now - 1_000_001n);
  });
});

describe('dynamic functions', () => {
  test('array_length', () => {
    assert.equal(callScalar('array_length', [[[1, 2, 3, 'four'], 'dynamic']]), 4);
    assert.equal(callScalar('array_length', [[{ a: 1 }, 'dynamic']]), null);
    assert.equal(callScalar('array_length', [[null, 'dynamic']]), null);
    assert.match(bindError(bindScalar('array_length', ['string'])), /argument 1 must be dynamic, got string/);
  });
  test('parse_json / todynamic', () => {
    assert.deepEqual(callScalar('parse_json', [['{"a":[1,2]}', 'string']]), { a: [1, 2] });
    assert.equal(callScalar('todynamic', [['plain', 'string']]), 'plain');
    assert.deepEqual(callScalar('parse_json', [[[1], 'dynamic']]), [1]);
    assert.match(bindError(bindScalar('parse_json', ['long'])), /argument 1 must be string or dynamic/);
  });
  test('pack_array stores typed scalars in their JSON forms', () => {
    assert.deepEqual(callScalar('pack_array', [[1, 'long'], ['a', 'string'], [dt('2026-11-28'), 'datetime'], [H, 'timespan'], [null, 'long']]),
      [1, 'a', '2026-11-28T00:00:00.0000000Z', '01:00:00', null]);
  });
  test('indexing split results (the seed rule\'s extension expression)', () => {
    const ext = (name: string) => {
      const parts = callScalar('split', [[name, 'string'], ['.', 'string']]) as string[];
      return callScalar('tolower', [[parts[parts.length - 1] ?? null, 'dynamic']]);
    };
    assert.equal(ext('archive.ZIP'), 'zip');
    assert.equal(ext('backup.tar.gz'), 'gz');
    assert.equal(ext('README'), 'readme');
    assert.equal(ext('.bashrc'), 'bashrc');
    assert.equal(ext('file.'), '');
    assert.equal(ext(''), '');
  });
});

describe('registry', () => {
  test('every scalar function of the first engine slice is registered', () => {
    const names = ['ago', 'now', 'datetime', 'bin', 'floor', 'tostring', 'toint', 'tolong', 'toreal', 'todouble', 'todatetime',
      'totimespan', 'tobool', 'toguid', 'tolower', 'toupper', 'strlen', 'substring', 'split', 'strcat', 'trim', 'trim_start',
      'trim_end', 'replace_string', 'iff', 'iif', 'case', 'isempty', 'isnotempty', 'isnull', 'isnotnull', 'coalesce',
      'array_length', 'parse_json', 'todynamic', 'pack_array', 'not', 'abs', 'round', 'startofday'];
    for (const n of names) assert.ok(BUILTINS.scalar(n), n);
    assert.equal(BUILTINS.scalar('ToLower'), undefined);
  });
});
