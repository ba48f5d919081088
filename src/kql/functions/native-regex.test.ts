import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RE2JS } from 're2js';
import { isAsciiText, nativeRegexFits, nativeRegexFor } from './native-regex.js';

/** Patterns of the shipped rules and shapes around the edges of the translated subset. */
const PATTERNS = [
  String.raw`(?i)(^|[\s&|;('"\\/{])(copy|xcopy|robocopy|copy-item|cpi|cp|rsync|scp)(\.exe)?(['"\s]|$)`,
  String.raw`(?i)^(.*?\\(?:temp|tmp|programdata|users\\public|appdata\\roaming|perflogs|\$recycle\.bin)\\[^\\]+)\\`,
  String.raw`(?i)\\\\[^\\\s"']+\\([a-z]|admin)\$`,
  String.raw`(?i)\.(zip|7z|rar|tar|gz|tgz|bz2|xz|zst|cab|iso|gpg|enc)(\.\d{3})?$`,
  String.raw`(?i)^Temp\d+_.+\.zip$`,
  String.raw`^(/(?:tmp|var/tmp|dev/shm)/[^/]+)/`,
  String.raw`^(.*?/\.[^/]+)/`,
  String.raw`[\\/]([^\\/]+)$`,
  String.raw`\.([^.\\/]+)$`,
  String.raw`(^|[\s'"=:>])/(tmp|var/tmp|dev/shm)(/|[\s'"]|$)`,
  String.raw`\s-s\S`,
  String.raw`(?i)\bk\b`,
  String.raw`a.c`,
  String.raw`a\sb`,
  String.raw`x{2,3}?y`,
  String.raw`(a|ab)(c|bcd)(d*)`,
  String.raw`(a+|b+)c`,
  String.raw`(?:(a)|b)+`,
  String.raw`(a)?b`,
  String.raw`((a)|b)c`,
  String.raw`[^\s]+$`,
  String.raw`\W\d\w\B`,
  String.raw`()`,
  String.raw`a|`,
];

/** Deterministic pseudo-random ASCII texts over an alphabet that exercises the patterns. */
function texts(count: number): string[] {
  const alphabet = ['a', 'b', 'c', 'd', 'k', 'K', 's', 'x', 'y', '\\', '/', '.', ' ', '\t', '\n', '\r', '\v', '\f', '"', "'", 'C:', 'temp', 'Temp', 'TMP',
    'zip', '7z', '.001', 'copy', 'XCOPY', '.exe', '$', 'admin', '_', '1', '2', 'tmp/', '/var', 'dev/shm/', '=', '-s', '-S', 'ProgramData', 'users\\public'];
  let seed = 1074;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = Math.floor(next() * 14);
    for (let k = 0; k < length; k++) text += alphabet[Math.floor(next() * alphabet.length)];
    out.push(text);
  }
  return out.concat(['', 'C:\\Users\\a\\AppData\\Local\\Temp\\x\\file.zip', '\\\\host\\c$', 'Temp1_archive.zip', '/tmp/x/y', '/home/u/.cache/z',
    'robocopy C:\\data C:\\Users\\Public\\stage', 'a\nb', 'a\rc', 'k', 'xxxy', 'aaac', 'abcd']);
}

describe('RE2 patterns run by V8 where exact', () => {
  const samples = texts(4000);

  for (const pattern of PATTERNS) {
    test(`agrees with re2js: ${pattern}`, () => {
      const native = nativeRegexFor(pattern);
      assert.ok(native, 'translated');
      const re = RE2JS.compile(pattern);
      for (const text of samples) {
        if (!nativeRegexFits(native, text)) continue;
        const m = re.matcher(text);
        const found = m.find();
        const exec = native.regex.exec(text);
        assert.equal(exec !== null, found, `match of ${JSON.stringify(text)}`);
        if (!found || !exec) continue;
        assert.equal(exec.index, m.start(0), `start in ${JSON.stringify(text)}`);
        assert.equal(exec[0], m.group(0), `match text in ${JSON.stringify(text)}`);
        if (!native.exactGroups) continue;
        for (let g = 1; g <= m.groupCount(); g++) assert.equal(exec[g] ?? null, m.group(g), `group ${g} of ${JSON.stringify(text)}`);
      }
    });
  }

  test('groups inside a repeated part are not taken from V8 (it clears them on each pass)', () => {
    assert.equal(nativeRegexFor('(?:(a)|b)+')?.exactGroups, false);
    assert.equal(nativeRegexFor('(a)?b')?.exactGroups, true);
    assert.equal(nativeRegexFor(String.raw`(?i)\.(zip|7z)(\.\d{3})?$`)?.exactGroups, true);
  });

  test('constructs the two engines read differently, or that could backtrack badly, are not translated', () => {
    for (const pattern of ['(?P<name>a)', '(?<name>a)', '[[:alpha:]]', String.raw`\pL`, String.raw`\x41`, String.raw`\Qa.b\E`, String.raw`\A`, String.raw`a\z`,
      '(?s).', '(?m)^a', 'a(?i)b', '[]a]', 'a{,2}', 'a{', 'é', '(a*)*b', '(a+)+', '(?:a|aa)*(b+)*', '[\\S]', 'a**', String.raw`([a-z]:(?:\\[^\\]+)*?\\temp)`]) {
      assert.equal(nativeRegexFor(pattern), undefined, pattern);
    }
  });

  test('texts beyond ASCII and texts too long for the worst case go to re2js', () => {
    const native = nativeRegexFor('(?i)k')!;
    assert.equal(nativeRegexFits(native, 'K'), true);
    // RE2 folds the Kelvin sign to k; V8 without the u flag does not.
    assert.equal(nativeRegexFits(native, '\u212a'), false);
    assert.equal(RE2JS.compile('(?i)k').matcher('\u212a').find(), true);
    assert.equal(isAsciiText('plain'), true);
    assert.equal(isAsciiText('caf\u00e9'), false);
    const quadratic = nativeRegexFor('a.*b.*c')!;
    assert.ok(quadratic.maxLength < 1000, `${quadratic.maxLength}`);
    assert.equal(nativeRegexFits(quadratic, 'a'.repeat(quadratic.maxLength + 1)), false);
    assert.equal(nativeRegexFor('^a.*b')!.maxLength > nativeRegexFor('a.*b')!.maxLength, true, 'anchored: one starting place');
  });
});
