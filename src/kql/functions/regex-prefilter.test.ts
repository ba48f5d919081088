import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RE2JS } from 're2js';
import { regexPrefilter, requiredLiterals } from './regex-prefilter.js';
import { callOperator, callScalar } from './test-support.js';

describe('requiredLiterals', () => {
  test('literal runs, alternation and groups', () => {
    assert.deepEqual(requiredLiterals('abc'), { alternatives: ['abc'], caseInsensitive: false });
    assert.deepEqual(requiredLiterals('x+abc\\d'), { alternatives: ['abc'], caseInsensitive: false });
    assert.deepEqual(requiredLiterals('^/(tmp|var/tmp)/'), { alternatives: ['tmp', 'var/tmp'], caseInsensitive: false });
    assert.deepEqual(requiredLiterals('foo|barbaz'), { alternatives: ['foo', 'barbaz'], caseInsensitive: false });
    assert.deepEqual(requiredLiterals('(?i)\\.ZIP$'), { alternatives: ['.zip'], caseInsensitive: true });
    assert.deepEqual(requiredLiterals('\\\\\\\\server'), { alternatives: ['\\\\server'], caseInsensitive: false });
  });

  test('optional and repeated parts are not required', () => {
    assert.deepEqual(requiredLiterals('abc?'), { alternatives: ['ab'], caseInsensitive: false });
    assert.deepEqual(requiredLiterals('ab*cd'), { alternatives: ['cd'], caseInsensitive: false });
    assert.equal(requiredLiterals('(abc)?x'), undefined);
    assert.equal(requiredLiterals('(abc)*'), undefined);
    assert.deepEqual(requiredLiterals('(abc){2,}'), { alternatives: ['abc'], caseInsensitive: false });
    assert.equal(requiredLiterals('(abc){0,2}'), undefined);
    assert.deepEqual(requiredLiterals('ab{2}cd'), { alternatives: ['ab'], caseInsensitive: false });
  });

  test('nothing required: a branch without literals, classes only, too short', () => {
    assert.equal(requiredLiterals('abc|\\d+'), undefined);
    assert.equal(requiredLiterals('[a-z]+'), undefined);
    assert.equal(requiredLiterals('a.b'), undefined);
    assert.equal(requiredLiterals(''), undefined);
    assert.equal(requiredLiterals('(abc|)'), undefined);
  });

  test('under (?i), k and s (and non-ASCII) are not literals: Unicode folding matches them with other characters', () => {
    assert.deepEqual(requiredLiterals('(?i)makecab'), { alternatives: ['ecab'], caseInsensitive: true });
    assert.deepEqual(requiredLiterals('(?i)rsync'), { alternatives: ['ync'], caseInsensitive: true });
    assert.equal(requiredLiterals('(?i)äöx'), undefined);
    assert.deepEqual(requiredLiterals('äöx'), { alternatives: ['äöx'], caseInsensitive: false });
  });

  test('syntax it does not read gives no prefilter', () => {
    assert.equal(requiredLiterals('a(?i)bcd'), undefined);
    assert.equal(requiredLiterals('(?s)abc'), undefined);
    assert.equal(requiredLiterals('(?i:abc)'), undefined);
    assert.equal(requiredLiterals('\\Qabc\\E'), undefined);
    assert.equal(requiredLiterals('abc)'), undefined);
    assert.equal(requiredLiterals('(abc'), undefined);
    assert.equal(requiredLiterals('[abc'), undefined);
  });

  test('classes, escapes and braces are skipped correctly', () => {
    assert.deepEqual(requiredLiterals('[]a]xyz'), { alternatives: ['xyz'], caseInsensitive: false });
    assert.deepEqual(requiredLiterals('[[:alpha:]]xyz'), { alternatives: ['xyz'], caseInsensitive: false });
    assert.deepEqual(requiredLiterals('\\p{Greek}xyz\\x{41}'), { alternatives: ['xyz'], caseInsensitive: false });
    assert.deepEqual(requiredLiterals('a{b}c'), { alternatives: ['a{b}c'], caseInsensitive: false });
    assert.deepEqual(requiredLiterals('(?P<name>abc)d'), { alternatives: ['abc'], caseInsensitive: false });
  });
});

describe('regexPrefilter never rules out a text the regex matches', () => {
  const PATTERNS = [
    'abc', '(?i)abc', '(?i)makecab(\\.exe)?\\s', '(?i)(^|[\\s&|;(\'"\\\\/{])(copy|xcopy|robocopy|copy-item|cpi|cp|rsync|scp)(\\.exe)?([\'"\\s]|$)',
    '(?i)\\\\\\\\[^\\\\\\s"\']+\\\\([a-z]|admin)\\$', '^/(tmp|var/tmp|dev/shm)/', '(?i)^Temp\\d+_.+\\.zip$', '\\s(-P\\s|-e(\\s|$)|--password\\s|--encrypt)',
    '(?i)kelvin', '(?i)ss', '(?i)xyz', 'a{b}c', 'x😀y', '(?i)(?:abc|def)+g',
  ];
  const TEXTS = [
    '', 'abc', 'ABC', 'xabcx', 'makecab.exe x', 'MAKECAB x', 'cmd /c copy a b', 'RSYNC -a x', 'rſync', '\\\\host\\C$', '\\\\HOST\\ADMIN$',
    '/tmp/x', '/var/tmp/y', 'Temp12_a.zip', 'temp1_x.ZIP', 'zip -P pw', 'x -e', '\u212Aelvin', 'kelvin', 'KELVIN', 'ſ', 'ſs', 'SS',
    'XYZ', 'a{b}c', 'x😀y', 'ABCDEFg', 'abcabcg', 'defG',
  ];
  for (const pattern of PATTERNS) {
    test(pattern, () => {
      const re = RE2JS.compile(pattern);
      const mayMatch = regexPrefilter(pattern) ?? (() => true);
      for (const text of TEXTS) if (re.matcher(text).find()) assert.ok(mayMatch(text), `${JSON.stringify(text)} matches ${pattern} but was ruled out`);
    });
  }

  test('the Kelvin sign and the long s still match under (?i)', () => {
    assert.equal(callOperator('matches regex', [['\u212Aelvin', 'string'], ['(?i)kelvin', 'string']]), true);
    assert.equal(callOperator('matches regex', [['ſ', 'string'], ['(?i)S', 'string']]), true);
    assert.equal(callOperator('matches regex', [['xyz', 'string'], ['(?i)ab', 'string']]), false);
  });

  test('extract with a prefilter returns the same as without', () => {
    assert.equal(callScalar('extract', [['(?i)makecab(\\.exe)?\\s+(\\S+)', 'string'], [2, 'long'], ['MakeCab.exe payload.dll out', 'string']]), 'payload.dll');
    assert.equal(callScalar('extract', [['(?i)makecab(\\.exe)?\\s+(\\S+)', 'string'], [2, 'long'], ['nothing here', 'string']]), '');
    assert.equal(callScalar('extract', [['abc(\\d+)', 'string'], [1, 'long'], ['xx abc12', 'string']]), '12');
    assert.equal(callScalar('extract', [['abc(\\d+)', 'string'], [1, 'long'], ['ABC12', 'string']]), '');
  });
});
