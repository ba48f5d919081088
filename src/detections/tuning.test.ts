import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_TUNING_FILE } from './builtin-rules.js';
import { globMatches, globToRegex, loadTuning, Tuning, type AllowlistEntry, type TuningSubject } from './tuning.js';
import { tempTree } from './test-support.js';
import { ContentError } from './validate.js';

const subject = (over: Partial<TuningSubject>): TuningSubject => ({
  rule: 't1074-data-staged', device: 'ws1', processPath: '', processSigner: '', parentPath: '', stagingFolder: '', ...over,
});

const MSIEXEC: AllowlistEntry = {
  id: 'msi', family: 'installer', reason: 'installers extract payloads', owner: 'it', process: { path: 'C:\\Windows\\System32\\msiexec.exe', signer: 'Microsoft Corporation' },
};

describe('allowlist globs', () => {
  test('* stays inside one folder, ** crosses folders, \\ and / are the same, case does not matter', () => {
    assert.equal(globToRegex('C:\\a*\\b'), 'C:[\\\\/]a[^\\\\/]*[\\\\/]b');
    assert.ok(globMatches('C:\\Program Files\\Veeam\\**\\*.exe', 'c:\\program files\\veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe'));
    assert.ok(!globMatches('C:\\Windows\\CCM\\*.exe', 'C:\\Windows\\CCM\\sub\\x.exe'));
    assert.ok(globMatches('/opt/fluent-bit/bin/fluent-bit', '/opt/fluent-bit/bin/fluent-bit'));
    assert.ok(!globMatches('/opt/fluent-bit/bin/fluent-bit', '/tmp/opt/fluent-bit/bin/fluent-bit'), 'anchored at both ends');
    assert.ok(globMatches('C:\\Program Files (x86)\\x.exe', 'C:/program files (x86)/X.EXE'), 'parentheses are literal');
  });
});

describe('allowlist matching: image path (+ signer, parent, folder), never a bare name', () => {
  const tuning = new Tuning('t.yaml', [MSIEXEC], '2026-11-27');

  test('the System32 msiexec matches; a copy in C:\\Users\\Public with the same name does not', () => {
    assert.equal(tuning.match(subject({ processPath: 'C:\\Windows\\System32\\msiexec.exe', processSigner: 'Microsoft Corporation' }))?.id, 'msi');
    assert.equal(tuning.match(subject({ processPath: 'C:\\Users\\Public\\msiexec.exe', processSigner: 'Microsoft Corporation' })), undefined);
  });

  test('a row without an image path never matches (a name alone could be anyone)', () => {
    assert.equal(tuning.match(subject({ processPath: '' })), undefined);
  });

  test('the signer is compared when the data has one, and ignored when it has none', () => {
    assert.equal(tuning.match(subject({ processPath: 'C:\\Windows\\System32\\msiexec.exe', processSigner: 'Evil Corp' })), undefined);
    assert.equal(tuning.match(subject({ processPath: 'C:\\Windows\\System32\\msiexec.exe', processSigner: '' }))?.id, 'msi');
  });

  test('parent, staging folder, rule and device conditions must all hold', () => {
    const entry: AllowlistEntry = {
      ...MSIEXEC, id: 'build', process: { path: 'C:\\Windows\\System32\\Robocopy.exe' }, parent: { path: 'C:\\Program Files\\**\\MSBuild.exe' },
      stagingFolder: 'C:\\Users\\*\\AppData\\Local\\Temp\\publish-*', rules: ['t1074-data-staged'], devices: ['ws-eng-*'],
    };
    const t = new Tuning('t.yaml', [entry], '2026-11-27');
    const good = subject({
      device: 'ws-eng-105', processPath: 'C:\\Windows\\System32\\Robocopy.exe', parentPath: 'C:\\Program Files\\VS\\MSBuild.exe',
      stagingFolder: 'C:\\Users\\mlopez\\AppData\\Local\\Temp\\publish-webapp',
    });
    assert.equal(t.match(good)?.id, 'build');
    assert.equal(t.match({ ...good, parentPath: 'C:\\Windows\\System32\\cmd.exe' }), undefined);
    assert.equal(t.match({ ...good, parentPath: '' }), undefined);
    assert.equal(t.match({ ...good, stagingFolder: 'C:\\Users\\mlopez\\AppData\\Local\\Temp\\exfil' }), undefined);
    assert.equal(t.match({ ...good, rule: 't1074-seed' }), undefined);
    assert.equal(t.match({ ...good, device: 'ws-fin-042' }), undefined);
  });

  test('expired entries stop suppressing and warn with their owner', () => {
    const t = new Tuning('tuning.yaml', [{ ...MSIEXEC, expires: '2026-11-26' }], '2026-11-27');
    assert.equal(t.match(subject({ processPath: 'C:\\Windows\\System32\\msiexec.exe' })), undefined);
    assert.deepEqual(t.warnings(), ['tuning.yaml: allowlist entry msi expired on 2026-11-26 and no longer suppresses — owner it: renew or remove it']);
    assert.deepEqual(new Tuning('tuning.yaml', [{ ...MSIEXEC, expires: '2026-11-27' }], '2026-11-27').warnings(), [], 'valid through its expiry day');
  });
});

describe('tuning files', () => {
  test('the shipped default file is valid, covers the five families, and nothing in it has expired', () => {
    const t = loadTuning(DEFAULT_TUNING_FILE, '2026-11-27');
    assert.deepEqual([...new Set(t.entries.map((e) => e.family))].sort(), ['backup-agent', 'developer-build', 'installer', 'log-shipper', 'software-deployment']);
    assert.deepEqual(t.warnings(), []);
    for (const e of t.entries) assert.match(e.process.path, /^([A-Za-z]:\\|\/)/, `${e.id} names a full path`);
  });

  test('an entry with a bare process name is refused, naming the field and the fix', () => {
    const dir = tempTree({ 'tuning.yaml': 'allowlist:\n  - id: msi\n    family: installer\n    reason: installers extract things\n    owner: it\n    process: { path: msiexec.exe }\n' });
    const file = join(dir, 'tuning.yaml');
    assert.throws(() => loadTuning(file), (e: unknown) => {
      assert.ok(e instanceof ContentError);
      assert.equal(e.problems.length, 1);
      assert.match(e.problems[0]!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:16: allowlist\\.0\\.process\\.path: does not have the expected form`));
      assert.match(e.problems[0]!, /fix: write full image path or glob \(never a bare name\)/);
      return true;
    });
  });

  test('reason and owner are required', () => {
    const dir = tempTree({ 't.yaml': 'allowlist:\n  - id: msi\n    family: installer\n    process: { path: C:\\x.exe }\n' });
    assert.throws(() => loadTuning(join(dir, 't.yaml')), (e: unknown) => e instanceof ContentError && e.problems.length === 2
      && e.problems.some((p) => p.includes('allowlist.0.reason: is missing')) && e.problems.some((p) => p.includes('allowlist.0.owner: is missing')));
  });
});
