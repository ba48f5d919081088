import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_SECOND, parseDatetime } from '../values/datetime.js';
import { BUILTINS } from './builtins.js';
import { bindError, bindOperator, callOperator, resultType } from './test-support.js';

const dt = (s: string) => parseDatetime(s)!;
const H = TICKS_PER_HOUR;
const D = TICKS_PER_DAY;

describe('comparison operators', () => {
  test('numbers compare across int/long/real', () => {
    assert.equal(callOperator('==', [[1, 'int'], [1, 'long']]), true);
    assert.equal(callOperator('==', [[1, 'long'], [1.0, 'real']]), true);
    assert.equal(callOperator('<', [[1, 'int'], [1.5, 'real']]), true);
    assert.equal(callOperator('>=', [[2, 'long'], [3, 'long']]), false);
    assert.equal(callOperator('!=', [[2, 'long'], [3, 'long']]), true);
    assert.equal(callOperator('<>', [[2, 'long'], [2, 'long']]), false);
  });
  test('strings: case-sensitive equality, =~ folds ASCII only', () => {
    assert.equal(callOperator('==', [['aBc', 'string'], ['aBc', 'string']]), true);
    assert.equal(callOperator('==', [['aBc', 'string'], ['abc', 'string']]), false);
    assert.equal(callOperator('=~', [['aBc', 'string'], ['ABC', 'string']]), true);
    assert.equal(callOperator('!~', [['aBc', 'string'], ['ABC', 'string']]), false);
    assert.equal(callOperator('=~', [['É', 'string'], ['é', 'string']]), false);
  });
  test('datetime, timespan, bool, guid', () => {
    assert.equal(callOperator('>', [[dt('2026-11-28'), 'datetime'], [dt('2026-11-27'), 'datetime']]), true);
    assert.equal(callOperator('<=', [[H, 'timespan'], [D, 'timespan']]), true);
    assert.equal(callOperator('<', [[false, 'bool'], [true, 'bool']]), true);
    const g = 'ae3133f2-6e22-49ae-b06a-16e6a9b212eb';
    assert.equal(callOperator('==', [[g, 'guid'], [g, 'guid']]), true);
    assert.equal(callOperator('==', [[g, 'guid'], ['AE3133F2-6E22-49AE-B06A-16E6A9B212EB', 'string']]), true);
    assert.equal(callOperator('==', [[dt('2026-11-28'), 'datetime'], ['2026-11-28', 'string']]), true);
  });
  test('dynamic operands are read as the other side\'s type', () => {
    assert.equal(callOperator('==', [[1, 'dynamic'], [1, 'long']]), true);
    assert.equal(callOperator('>', [[2.5, 'dynamic'], [2, 'long']]), true);
    assert.equal(callOperator('==', [['a', 'dynamic'], ['a', 'string']]), true);
    assert.equal(callOperator('==', [[[1, 2], 'dynamic'], [[1, 2], 'dynamic']]), true);
  });
  test('null rules: one null → == false, != true, ordering null; two nulls → null', () => {
    assert.equal(callOperator('==', [[null, 'long'], [1, 'long']]), false);
    assert.equal(callOperator('!=', [[null, 'long'], [1, 'long']]), true);
    assert.equal(callOperator('<', [[null, 'long'], [1, 'long']]), null);
    assert.equal(callOperator('==', [[null, 'long'], [null, 'long']]), null);
    assert.equal(callOperator('==', [[null, 'datetime'], [dt('2026-11-28'), 'datetime']]), false);
  });
  test('equality of unrelated kinds binds (as in Kusto.Language) and is never true', () => {
    assert.equal(callOperator('==', [['1', 'string'], [1, 'long']]), false);
    assert.equal(callOperator('!=', [['1', 'string'], [1, 'long']]), true);
    assert.equal(callOperator('==', [[dt('2026-11-28'), 'datetime'], [1, 'long']]), false);
    assert.equal(callOperator('==', [[null, 'datetime'], [null, 'long']]), null);
  });
  test('bool orders against numbers as 0/1', () => {
    assert.equal(callOperator('<', [[true, 'bool'], [2, 'long']]), true);
    assert.equal(callOperator('==', [[true, 'bool'], [1, 'long']]), true);
  });
  test('NaN is unordered', () => {
    assert.equal(callOperator('<', [[NaN, 'real'], [1, 'real']]), false);
    assert.equal(callOperator('>=', [[NaN, 'real'], [1, 'real']]), false);
    assert.equal(callOperator('!=', [[NaN, 'real'], [NaN, 'real']]), true);
  });
  test('rejected operand types', () => {
    assert.match(bindError(bindOperator('<', ['string', 'string'])), /operator '<' is not defined for the operand types string and string/);
    assert.match(bindError(bindOperator('<', ['datetime', 'long'])), /datetime and long/);
    assert.match(bindError(bindOperator('<', ['dynamic', 'datetime'])), /dynamic and datetime/);
    assert.match(bindError(bindOperator('=~', ['string', 'long'])), /=~/);
    assert.equal(resultType(bindOperator('==', ['dynamic', 'long'])), 'bool');
  });
});

describe('between', () => {
  test('inclusive bounds for numbers, datetimes and timespans', () => {
    assert.equal(callOperator('between', [[5, 'long'], [1, 'long'], [5, 'long']]), true);
    assert.equal(callOperator('between', [[5.5, 'real'], [1, 'long'], [5, 'long']]), false);
    assert.equal(callOperator('!between', [[5.5, 'real'], [1, 'long'], [5, 'long']]), true);
    assert.equal(callOperator('between', [[dt('2026-11-28T10:00'), 'datetime'], [dt('2026-11-28'), 'datetime'], [dt('2026-11-29'), 'datetime']]), true);
    assert.equal(callOperator('between', [[2n * H, 'timespan'], [H, 'timespan'], [2n * H, 'timespan']]), true);
  });
  test('a timespan upper bound of a datetime range is relative to the lower bound', () => {
    const low = dt('2026-11-28');
    assert.equal(callOperator('between', [[low + 23n * H, 'datetime'], [low, 'datetime'], [D, 'timespan']]), true);
    assert.equal(callOperator('between', [[low + 25n * H, 'datetime'], [low, 'datetime'], [D, 'timespan']]), false);
  });
  test('dynamic bounds of a numeric range are read as numbers', () => {
    assert.equal(callOperator('between', [[3, 'long'], [1, 'dynamic'], ['5', 'dynamic']]), true);
    assert.equal(callOperator('between', [[3, 'long'], [[1], 'dynamic'], [5, 'dynamic']]), null);
  });
  test('nulls and bad types', () => {
    assert.equal(callOperator('between', [[null, 'long'], [1, 'long'], [5, 'long']]), null);
    assert.match(bindError(bindOperator('between', ['string', 'string', 'string'])), /between/);
  });
});

describe('arithmetic', () => {
  test('result types (Kusto.Language)', () => {
    const t = (op: string, a: string, b: string) => resultType(bindOperator(op, [a, b] as never));
    assert.equal(t('+', 'int', 'int'), 'long');
    assert.equal(t('/', 'int', 'int'), 'long');
    assert.equal(t('*', 'long', 'real'), 'real');
    assert.equal(t('+', 'decimal', 'real'), 'decimal');
    assert.equal(t('-', 'datetime', 'datetime'), 'timespan');
    assert.equal(t('+', 'datetime', 'timespan'), 'datetime');
    assert.equal(t('+', 'timespan', 'datetime'), 'datetime');
    assert.equal(t('*', 'timespan', 'long'), 'timespan');
    assert.equal(t('*', 'long', 'timespan'), 'timespan');
    assert.equal(t('/', 'timespan', 'timespan'), 'real');
    assert.equal(t('/', 'timespan', 'long'), 'timespan');
    assert.equal(t('%', 'timespan', 'timespan'), 'timespan');
    assert.equal(t('+', 'dynamic', 'long'), 'long');
    assert.equal(t('+', 'dynamic', 'dynamic'), 'dynamic');
    assert.match(bindError(bindOperator('+', ['string', 'string'])), /'\+' is not defined for the operand types string and string/);
    assert.match(bindError(bindOperator('+', ['datetime', 'long'])), /datetime and long/);
    assert.match(bindError(bindOperator('+', ['bool', 'bool'])), /bool and bool/);
  });
  test('integer division truncates; real division does not', () => {
    assert.equal(callOperator('/', [[1, 'int'], [2, 'int']]), 0);
    assert.equal(callOperator('/', [[-7, 'long'], [2, 'long']]), -3);
    assert.equal(callOperator('/', [[1.0, 'real'], [2, 'long']]), 0.5);
    assert.equal(callOperator('/', [[1, 'long'], [0, 'long']]), null);
    assert.equal(callOperator('/', [[1, 'real'], [0, 'long']]), Infinity);
  });
  test('modulo is non-negative: 0 ≤ N % D < |D|', () => {
    assert.equal(callOperator('%', [[4, 'long'], [2, 'long']]), 0);
    assert.equal(callOperator('%', [[-5, 'long'], [8, 'long']]), 3);
    assert.equal(callOperator('%', [[5, 'long'], [-3, 'long']]), 2);
    assert.equal(callOperator('%', [[5, 'long'], [0, 'long']]), null);
    assert.equal(callOperator('%', [[5.5, 'real'], [2, 'long']]), 1.5);
  });
  test('datetime and timespan arithmetic is exact in ticks', () => {
    const t0 = dt('2026-11-28T10:00:00.1234567Z');
    assert.equal(callOperator('-', [[t0, 'datetime'], [dt('2026-11-28'), 'datetime']]), 10n * H + 1234567n);
    assert.equal(callOperator('+', [[t0, 'datetime'], [1n, 'timespan']]), t0 + 1n);
    assert.equal(callOperator('-', [[t0, 'datetime'], [D, 'timespan']]), t0 - D);
    assert.equal(callOperator('+', [[D, 'timespan'], [t0, 'datetime']]), t0 + D);
    assert.equal(callOperator('*', [[TICKS_PER_SECOND, 'timespan'], [5, 'long']]), 5n * TICKS_PER_SECOND);
    assert.equal(callOperator('*', [[H, 'timespan'], [1.5, 'real']]), 90n * 60n * TICKS_PER_SECOND);
    assert.equal(callOperator('/', [[10n * 60n * TICKS_PER_SECOND, 'timespan'], [TICKS_PER_SECOND, 'timespan']]), 600);
    assert.equal(callOperator('/', [[H, 'timespan'], [4, 'long']]), H / 4n);
    assert.equal(callOperator('/', [[H, 'timespan'], [0, 'long']]), null);
    assert.equal(callOperator('%', [[25n * H, 'timespan'], [D, 'timespan']]), H);
  });
  test('datetime results outside 0001–9999 are null', () => {
    assert.equal(callOperator('+', [[dt('9999-12-31'), 'datetime'], [2n * D, 'timespan']]), null);
  });
  test('nulls propagate', () => {
    assert.equal(callOperator('+', [[null, 'long'], [1, 'long']]), null);
    assert.equal(callOperator('-', [[null, 'datetime'], [H, 'timespan']]), null);
  });
  test('dynamic operands', () => {
    assert.equal(callOperator('+', [[2, 'dynamic'], [1, 'long']]), 3);
    assert.equal(callOperator('+', [[dt('2026-11-28'), 'datetime'], ['01:00:00', 'dynamic']]), dt('2026-11-28T01:00:00Z'));
    assert.equal(callOperator('-', [['2026-11-28T01:00:00Z', 'dynamic'], [dt('2026-11-28'), 'datetime']]), H);
    assert.equal(callOperator('+', [[dt('2026-11-28'), 'datetime'], ['soon', 'dynamic']]), null);
    assert.equal(callOperator('%', [[25n * H, 'timespan'], [24, 'long']]), 25n * H % 24n);
    assert.equal(callOperator('+', [['x', 'dynamic'], [1, 'long']]), null);
  });
  test('unary minus (neg)', () => {
    assert.equal(callOperator('neg', [[5, 'int']]), -5);
    assert.equal(resultType(bindOperator('neg', ['int'])), 'long');
    assert.equal(callOperator('neg', [[H, 'timespan']]), -H);
    assert.equal(callOperator('neg', [[null, 'real']]), null);
    assert.match(bindError(bindOperator('neg', ['string'])), /'-' is not defined for the operand type string/);
  });
});

describe('and / or: three-valued logic', () => {
  const values = [true, false, null] as const;
  const and = (a: boolean | null, b: boolean | null) => (a === false || b === false ? false : a === null || b === null ? null : true);
  const or = (a: boolean | null, b: boolean | null) => (a === true || b === true ? true : a === null || b === null ? null : false);
  for (const a of values) {
    for (const b of values) {
      test(`${a} and/or ${b}`, () => {
        assert.equal(callOperator('and', [[a, 'bool'], [b, 'bool']]), and(a, b));
        assert.equal(callOperator('or', [[a, 'bool'], [b, 'bool']]), or(a, b));
      });
    }
  }
  test('non-bool operands are rejected', () => {
    assert.match(bindError(bindOperator('and', ['bool', 'long'])), /'and' is not defined/);
  });
});

describe('string predicates', () => {
  const op = (name: string, lhs: string, rhs: string) => callOperator(name, [[lhs, 'string'], [rhs, 'string']]);
  test('has family', () => {
    assert.equal(op('has', 'North America', 'america'), true);
    assert.equal(op('!has', 'North America', 'america'), false);
    assert.equal(op('has_cs', 'North America', 'america'), false);
    assert.equal(op('has_cs', 'North America', 'America'), true);
    assert.equal(op('!has_cs', 'North America', 'america'), true);
    assert.equal(op('hasprefix', 'North America', 'ame'), true);
    assert.equal(op('hasprefix', 'North America', 'mer'), false);
    assert.equal(op('!hasprefix', 'North America', 'mer'), true);
    assert.equal(op('hasprefix_cs', 'North America', 'ame'), false);
    assert.equal(op('hassuffix', 'North America', 'ICA'), true);
    assert.equal(op('hassuffix', 'North America', 'Nor'), false);
    assert.equal(op('hassuffix_cs', 'North America', 'ica'), true);
    assert.equal(op('!hassuffix_cs', 'North America', 'ICA'), true);
  });
  test('contains / startswith / endswith and their forms', () => {
    assert.equal(op('contains', 'KustoExplorerQueryRun', 'explorer'), true);
    assert.equal(op('!contains', 'KustoExplorerQueryRun', 'explorer'), false);
    assert.equal(op('contains_cs', 'KustoExplorerQueryRun', 'explorer'), false);
    assert.equal(op('!contains_cs', 'KustoExplorerQueryRun', 'explorer'), true);
    assert.equal(op('contains', 'abc', ''), true);
    assert.equal(op('startswith', 'Robocopy.exe', 'robo'), true);
    assert.equal(op('!startswith', 'Robocopy.exe', 'robo'), false);
    assert.equal(op('startswith_cs', 'Robocopy.exe', 'robo'), false);
    assert.equal(op('!startswith_cs', 'Robocopy.exe', 'robo'), true);
    assert.equal(op('endswith', 'a.ZIP', '.zip'), true);
    assert.equal(op('endswith_cs', 'a.ZIP', '.zip'), false);
    assert.equal(op('!endswith', 'a.ZIP', '.zip'), false);
    assert.equal(op('!endswith_cs', 'a.ZIP', '.zip'), true);
  });
  test('dynamic operands are read with tostring()', () => {
    assert.equal(callOperator('has', [['C:\\Temp\\a', 'dynamic'], ['temp', 'string']]), true);
    assert.equal(callOperator('contains', [[['abc'], 'dynamic'], ['"abc"', 'string']]), true);
  });
  test('other operand types are rejected', () => {
    assert.match(bindError(bindOperator('contains', ['long', 'string'])), /'contains' is not defined for the operand types long and string/);
    assert.match(bindError(bindOperator('has', ['string', 'long'])), /string and long/);
  });
});

describe('matches regex (RE2)', () => {
  test('finds a match anywhere', () => {
    assert.equal(callOperator('matches regex', [['cmd.exe /c copy a b', 'string'], ['copy\\s+\\w', 'string']]), true);
    assert.equal(callOperator('matches regex', [['abc', 'string'], ['^b', 'string']]), false);
    assert.equal(callOperator('matches regex', [['ABC', 'string'], ['(?i)abc', 'string']]), true);
  });
  test('an invalid constant pattern is a bind error', () => {
    const bound = BUILTINS.operator('matches regex')!.bind([{ type: 'string' }, { type: 'string', constant: { value: 'a(b' } }]);
    assert.match(bindError(bound), /invalid regular expression 'a\(b'/);
  });
  test('an invalid per-row pattern throws a clear error', () => {
    const kernel = BUILTINS.operator('matches regex')!.prepare([{ type: 'string' }, { type: 'string' }], { now: 0n });
    assert.throws(() => kernel(['x', 'a(b']), /invalid regular expression/);
  });
});

describe('list operators', () => {
  test('in / !in are case-sensitive', () => {
    assert.equal(callOperator('in', [['FileCreated', 'string'], ['FileCreated', 'string'], ['FileModified', 'string']]), true);
    assert.equal(callOperator('in', [['filecreated', 'string'], ['FileCreated', 'string'], ['FileModified', 'string']]), false);
    assert.equal(callOperator('!in', [['filecreated', 'string'], ['FileCreated', 'string']]), true);
  });
  test('in~ / !in~ fold ASCII', () => {
    const items: [string, 'string'][] = ['robocopy.exe', 'xcopy.exe', 'cmd.exe', 'powershell.exe'].map((s) => [s, 'string']);
    assert.equal(callOperator('in~', [['RoboCopy.EXE', 'string'], ...items]), true);
    assert.equal(callOperator('in~', [['robocopy.exe ', 'string'], ...items]), false);
    assert.equal(callOperator('!in~', [['CMD.exe', 'string'], ...items]), false);
    assert.equal(callOperator('in~', [['Abc', 'string'], ['123', 'string'], ['345', 'string'], ['abc', 'string']]), true);
  });
  test('dynamic arrays are flattened', () => {
    assert.equal(callOperator('in', [[3, 'long'], [[1, [2, 3]], 'dynamic']]), true);
    assert.equal(callOperator('in', [[4, 'long'], [[1, [2, 3]], 'dynamic']]), false);
    assert.equal(callOperator('in~', [['B', 'string'], [['a', 'b'], 'dynamic']]), true);
  });
  test('numbers compare numerically across types', () => {
    assert.equal(callOperator('in', [[2, 'int'], [1, 'long'], [2.0, 'real']]), true);
  });
  test('datetimes', () => {
    assert.equal(callOperator('in', [[dt('2026-11-28'), 'datetime'], [dt('2026-11-28'), 'datetime']]), true);
  });
  test('null left operand: in false, !in true', () => {
    assert.equal(callOperator('in', [[null, 'long'], [1, 'long']]), false);
    assert.equal(callOperator('!in', [[null, 'long'], [1, 'long']]), true);
  });
  test('in~ needs a string or dynamic left operand', () => {
    assert.match(bindError(bindOperator('in~', ['long', 'string'])), /left operand must be string or dynamic/);
  });
});

describe('has_any / has_all', () => {
  const staging = ['\\Temp\\', '\\tmp\\', '\\AppData\\Local\\Temp\\', '\\AppData\\Roaming\\', '\\ProgramData\\', '\\Users\\Public\\', '\\Windows\\Temp\\'];
  const copyNeedles: [string, 'string'][] = ['robocopy', 'xcopy', 'copy /', 'Copy-Item', 'cp -r'].map((s) => [s, 'string']);
  test('with a dynamic array (the seed rule)', () => {
    assert.equal(callOperator('has_any', [['C:\\Windows\\Temp\\x.zip', 'string'], [staging, 'dynamic']]), true);
    assert.equal(callOperator('has_any', [['C:\\Windows\\Temp', 'string'], [staging, 'dynamic']]), false);
    assert.equal(callOperator('has_any', [['powershell Copy-Item C:\\a $env:TEMP\\b', 'string'], [staging, 'dynamic']]), false);
  });
  test('with scalar items', () => {
    assert.equal(callOperator('has_any', [['cmd.exe /c copy /b a.txt C:\\Users\\Public\\out.bin', 'string'], ...copyNeedles]), true);
    assert.equal(callOperator('has_any', [['cmd.exe /c xcopy.exe /e C:\\data D:\\', 'string'], ...copyNeedles]), true);
    assert.equal(callOperator('has_any', [['myrobocopy.exe', 'string'], ...copyNeedles]), false);
  });
  test('empty list and empty value', () => {
    assert.equal(callOperator('has_any', [['anything', 'string'], [[], 'dynamic']]), false);
    assert.equal(callOperator('has_any', [['', 'string'], [staging, 'dynamic']]), false);
  });
  test('has_all needs every needle', () => {
    assert.equal(callOperator('has_all', [['robocopy C:\\Temp\\ D:\\', 'string'], ['robocopy', 'string'], ['temp', 'string']]), true);
    assert.equal(callOperator('has_all', [['robocopy C:\\Temp\\ D:\\', 'string'], ['robocopy', 'string'], ['tmp', 'string']]), false);
    assert.equal(callOperator('has_all', [['x', 'string'], [[], 'dynamic']]), false);
  });
  test('left operand type', () => {
    assert.match(bindError(bindOperator('has_any', ['long', 'string'])), /has_any: the left operand must be string or dynamic, got long/);
  });
});
