/**
 * Every prepared fast path against the definition it replaces, on tricky inputs: ASCII-only case
 * folding (non-ASCII letters are never folded), term boundaries at both ends, repeated and
 * overlapping occurrences, empty needles and haystacks, surrogate pairs.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NeedleSet, TERM_PREFIX, TERM_SUFFIX, WHOLE_TERM, type MatchKind, hasAll, hasAny, matchText, textTest, termMatch } from './text-match.js';
import { asciiLower } from './common.js';
import { aggregate, callOperator } from './test-support.js';

const HAYSTACKS = [
  '', 'a', 'A', 'Temp', 'C:\\Users\\a\\AppData\\Local\\Temp\\x.txt', 'c:\\WINDOWS\\temp\\', 'C:\\Temporary\\x',
  'xcopy /e', 'cmd /c COPY /b a+b c', 'robocopy.exe', 'myrobocopy', 'ÄÖÜ äöü', 'straße STRASSE', 'İstanbul istanbul',
  'Kelvin \u212A k K', 'ſ long s', 'aaa', 'aaaa', 'abab', 'ab ab', 'a_b', 'a-b', '😀x😀', 'x😀y', 'Σίσυφος ΣΊΣΥΦΟΣ',
  'tmp\\tmp', '\\tmp\\', '..zip', 'a.zip.zip', 'ZIP', '.ZIP', 'copy /', 'COPY /',
];
const NEEDLES = [
  '', 'a', 'A', 'aa', 'ab', 'temp', 'TEMP', '\\Temp\\', '\\tmp\\', 'tmp', 'copy /', 'robocopy', 'ä', 'Ä', 'ß', 'SS',
  'istanbul', 'İstanbul', 'k', 'K', '\u212A', 's', 'ſ', '😀', 'x😀', '.zip', 'zip', 'b', ' ', '\\', 'Σ', 'σ',
];
const KINDS: MatchKind[] = ['has', 'hasprefix', 'hassuffix', 'contains', 'startswith', 'endswith', 'equals'];

describe('textTest (a prepared constant needle) agrees with matchText', () => {
  for (const kind of KINDS) {
    for (const caseSensitive of [false, true]) {
      test(`${kind}${caseSensitive ? '_cs' : ''}`, () => {
        for (const needle of NEEDLES) {
          const prepared = textTest(kind, needle, caseSensitive);
          for (const haystack of HAYSTACKS) {
            assert.equal(prepared(haystack), matchText(kind, haystack, needle, caseSensitive), `${JSON.stringify(haystack)} ${kind} ${JSON.stringify(needle)}`);
          }
        }
      });
    }
  }

  test('matchText keeps the documented answers (folding is ASCII only)', () => {
    assert.equal(matchText('has', 'ÄÖÜ', 'äöü', false), false);
    assert.equal(matchText('has', 'C:\\WINDOWS\\TEMP\\x', '\\windows\\temp\\', false), true);
    assert.equal(matchText('contains', 'abc', '', false), true);
    assert.equal(matchText('has', 'abc', '', false), false);
    assert.equal(matchText('has', 'myrobocopy', 'robocopy', false), false);
  });
});

describe('NeedleSet agrees with termMatch over every needle', () => {
  const ALIGNMENTS = [WHOLE_TERM, TERM_PREFIX, TERM_SUFFIX, { start: false, end: false }];
  const lists = [NEEDLES, ['\\Temp\\', '\\tmp\\', '\\AppData\\Local\\Temp\\'], ['a', 'aa', 'aaa'], ['ab', 'b', 'bab'], ['', ''], [], ['he', 'she', 'his', 'hers']];
  for (const caseSensitive of [false, true]) {
    test(`any and all, ${caseSensitive ? 'case-sensitive' : 'folded'}`, () => {
      for (const align of ALIGNMENTS) {
        for (const list of lists) {
          const folded = list.map((n) => (caseSensitive ? n : asciiLower(n)));
          const set = new NeedleSet(folded, caseSensitive, align);
          for (const haystack of [...HAYSTACKS, 'ushers', 'she sells', 'xhisx his']) {
            const h = caseSensitive ? haystack : asciiLower(haystack);
            const hits = folded.filter((n) => termMatch(h, n, align));
            const distinct = [...new Set(folded.filter((n) => n.length > 0))];
            const label = `${JSON.stringify(haystack)} ${JSON.stringify(list)} ${JSON.stringify(align)}`;
            assert.equal(set.matchesAny(haystack), hits.length > 0, `any ${label}`);
            assert.equal(set.matchesAll(haystack), distinct.length > 0 && distinct.every((n) => termMatch(h, n, align)), `all ${label}`);
          }
        }
      }
    });
  }

  test('a large needle list (beyond the dense table) still matches exactly', () => {
    const needles = Array.from({ length: 1200 }, (_, i) => `needle${i}x`);
    const set = new NeedleSet(needles, false, WHOLE_TERM);
    assert.equal(set.matchesAny('a NEEDLE1199X b'), true);
    assert.equal(set.matchesAny('a needle1199xy b'), false);
    assert.equal(set.matchesAny('needle12x'), true);
    assert.equal(set.matchesAny(''), false);
  });

  test('non-ASCII needles follow the failure links', () => {
    const set = new NeedleSet(['äb', 'öäc'], false, { start: false, end: false });
    assert.equal(set.matchesAny('xöäc'), true);
    assert.equal(set.matchesAny('öäb'), true);
    assert.equal(set.matchesAny('ÖÄC'), false);
  });
});

describe('has_any / has_all / in~ / =~ with constants agree with the per-row forms', () => {
  const row = (op: string, left: string, items: string[]) => callOperator(op, [[left, 'string'], ...items.map((v) => [v, 'string'] as [string, 'string'])]);
  const lists = [['\\Temp\\', '\\tmp\\'], ['a', ''], [''], ['Ä', 'k'], ['robocopy', 'copy /', 'cp -r']];

  test('has_any and has_all', () => {
    for (const list of lists) {
      const folded = list.map(asciiLower);
      for (const h of HAYSTACKS) {
        assert.equal(row('has_any', h, list), hasAny(h, folded, false), `${h} has_any ${list}`);
        assert.equal(row('!has_any', h, list), !hasAny(h, folded, false), `${h} !has_any ${list}`);
        assert.equal(row('has_all', h, list), hasAll(h, folded, false), `${h} has_all ${list}`);
      }
    }
  });

  test('in~ folds ASCII only; in is exact', () => {
    assert.equal(row('in~', 'FileCreated', ['filecreated', 'x']), true);
    assert.equal(row('in~', 'ÄBC', ['äbc']), false);
    assert.equal(row('!in~', 'ÄBC', ['äbc']), true);
    assert.equal(row('in', 'FileCreated', ['filecreated']), false);
    assert.equal(row('in', '', ['']), true);
  });

  test('in / in~ with a null left operand match nothing', () => {
    assert.equal(callOperator('in~', [[null, 'string'], ['', 'string']]), false);
    assert.equal(callOperator('!in~', [[null, 'string'], ['a', 'string']]), true);
    assert.equal(callOperator('has_any', [[null, 'string'], ['a', 'string']]), false);
  });

  test('=~ with a constant right side', () => {
    for (const h of HAYSTACKS) {
      for (const n of NEEDLES) {
        assert.equal(callOperator('=~', [[h, 'string'], [n, 'string']]), asciiLower(h) === asciiLower(n), `${h} =~ ${n}`);
      }
    }
  });
});

describe('dcount and make_set keep the identity of their keyed forms', () => {
  test('dcount over scalar types: -0 is 0, NaNs are one value, nulls are skipped', () => {
    assert.equal(aggregate('dcount', [{ type: 'real' }], [[0], [-0], [NaN], [NaN], [null], [1.5]]), 3);
    assert.equal(aggregate('dcount', [{ type: 'string' }], [['a'], ['A'], [''], [null], ['a']]), 3);
    assert.equal(aggregate('dcount', [{ type: 'long' }], [[1], [1n], [2]]), 3);
    assert.equal(aggregate('dcount', [{ type: 'dynamic' }], [[[1, 2]], [[1, 2]], [{ a: 1, b: 2 }], [{ b: 2, a: 1 }], ['1'], [1]]), 4);
  });

  test('make_set: strings by themselves, other items by canonical JSON, "1" and 1 distinct (arrays add their elements)', () => {
    assert.deepEqual(aggregate('make_set', [{ type: 'dynamic' }], [['a'], ['a'], ['1'], [1], [[1, 2]], [{ b: 1, a: 2 }], [{ a: 2, b: 1 }], [true], ['true']]), [
      'a', '1', 1, 2, { b: 1, a: 2 }, true, 'true',
    ]);
    assert.deepEqual(aggregate('make_set', [{ type: 'string' }], [['x'], ['X'], ['x'], ['']]), ['x', 'X', '']);
    assert.deepEqual(aggregate('make_set', [{ type: 'real' }], [[NaN], [NaN], [1]]), [NaN, 1]);
  });
});
