import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCENARIOS_DIR } from '../detections/builtin-rules.js';
import { loadRule } from '../detections/rules.js';
import { loadScenarios } from '../detections/scenario.js';
import { repoPath } from '../testing/repo.js';
import { extractPortableRule } from './extract.js';
import type { Condition } from './portable.js';
import { toLuceneRegex } from './lucene-regex.js';

/**
 * Lucene's syntax, for what the converter emits (groups, classes, escapes, quantifiers), reads the
 * same as a JavaScript regular expression matched against the WHOLE string; that lets the tests
 * compare the conversion with the original pattern on real text.
 */
function luceneMatches(pattern: string, text: string, ignoreCase = false): boolean {
  return new RegExp(`^(?:${pattern})$`, ignoreCase ? 'is' : 's').test(text);
}

function pattern(re2: string, lowercase = false): string {
  const result = toLuceneRegex(re2, { lowercase });
  assert.ok('pattern' in result, `${re2}: ${'unsupported' in result ? result.unsupported : ''}`);
  return result.pattern;
}

describe('toLuceneRegex', () => {
  test('wraps an unanchored pattern and drops the side an anchor holds', () => {
    assert.equal(pattern('abc'), '.*abc.*');
    assert.equal(pattern('^/tmp/'), '/tmp/.*');
    assert.equal(pattern('\\.zip$'), '.*\\.zip');
    assert.equal(pattern('^a$'), 'a');
    assert.equal(pattern('a\\$'), '.*a\\$.*', 'an escaped $ is a literal');
  });

  test('an anchor as the alternative of the first or last group takes the place of .*', () => {
    assert.equal(pattern('(^|[;&])cp(\\s|$)'), '(()|.*[;\\&])cp([ \t\n\r].*|())');
    assert.equal(pattern('\\s(-e(\\s|$)|--encrypt)'), '.*[ \t\n\r](-e([ \t\n\r].*|())|--encrypt.*)');
    assert.equal(pattern('(a|^b)'), '(.*a.*|b.*)');
    assert.ok(luceneMatches(pattern('(^|[;&])cp(\\s|$)'), 'cp'));
    assert.ok(luceneMatches(pattern('(^|[;&])cp(\\s|$)'), 'x;cp -r a b'));
    assert.ok(!luceneMatches(pattern('(^|[;&])cp(\\s|$)'), 'xcp'));
  });

  test('classes, lazy quantifiers, non-capturing groups and Lucene operators', () => {
    assert.equal(pattern('\\d{3}\\s\\w'), '.*[0-9]{3}[ \t\n\r][a-zA-Z0-9_].*');
    assert.equal(pattern('[\\s\\d]'), '.*[ \t\n\r0-9].*');
    assert.equal(pattern('\\S+'), '.*[^ \t\n\r]+.*');
    assert.equal(pattern('a.*?b'), '.*a.*b.*');
    assert.equal(pattern('(?:ab)+'), '.*(ab)+.*');
    assert.equal(pattern('a@b&c<d>e#f~g"h'), '.*a\\@b\\&c\\<d\\>e\\#f\\~g\\"h.*');
    assert.equal(pattern('[A-Z]x', true), '.*[a-z]x.*');
  });

  test('refuses what Lucene has no form for', () => {
    for (const [re2, reason] of [['\\bword', /\\b has no Lucene form/], ['(?=a)b', /\(\?= groups/], ['a^b', /anchor \(\^\) inside the pattern/], ['(?i)a', /\(\?i groups/], ['[\\S]', /\\S inside brackets/], ['(a', /unbalanced/]] as const) {
      const result = toLuceneRegex(re2);
      assert.ok('unsupported' in result, re2);
      assert.match(result.unsupported, reason, re2);
    }
  });

  test('agrees with the rules\' own patterns on every scenario command line and path', () => {
    const patterns = new Map<string, boolean>();
    const collect = (c: Condition): void => {
      if (c.kind === 'match' && c.op === 'regex') for (const v of c.values) patterns.set(v, c.caseSensitive);
      if (c.kind === 'and' || c.kind === 'or') c.items.forEach(collect);
      if (c.kind === 'not') collect(c.item);
    };
    for (const name of ['t1074-seed', 't1074-data-staged']) for (const branch of extractPortableRule(loadRule(repoPath('rules', name))).branches) collect(branch.filter);
    const texts = loadScenarios(SCENARIOS_DIR).flatMap((s) => s.spec.events.flatMap((e) => [
      e.process?.commandLine, e.process?.image, ...(e.files?.names.map((n) => `${e.files!.folder}\\${n}`) ?? []), ...(e.files?.names.map((n) => `${e.files!.folder}/${n}`) ?? []),
    ])).filter((t): t is string => typeof t === 'string');
    assert.ok(patterns.size >= 10 && texts.length >= 100, `${patterns.size} patterns, ${texts.length} texts`);
    let converted = 0;
    let matched = 0;
    for (const [re2, caseSensitive] of patterns) {
      const result = toLuceneRegex(re2, { lowercase: !caseSensitive });
      if (!('pattern' in result)) continue;
      converted++;
      const original = new RegExp(re2, caseSensitive ? 's' : 'is');
      for (const text of texts) {
        const subject = caseSensitive ? text : text.toLowerCase();
        const expected = original.test(text);
        if (expected) matched++;
        assert.equal(luceneMatches(result.pattern, subject), expected, `${re2} → ${result.pattern} on ${text}`);
      }
    }
    const refused = [...patterns.keys()].filter((p) => 'unsupported' in toLuceneRegex(p));
    assert.deepEqual(refused.filter((p) => !p.includes('\\b')), [], 'only word boundaries (\\b) stay without a Lucene form');
    assert.equal(converted, patterns.size - refused.length);
    assert.ok(matched > 50, `only ${matched} matches: the texts do not exercise the patterns`);
  });
});
