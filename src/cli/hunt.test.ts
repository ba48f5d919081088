/** `stagehunt hunt` (alerts, tuning, severity, formats, explain) and `stagehunt test`, as a user runs them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT, repoPath } from '../testing/repo.js';

function stagehunt(args: string[]) {
  const r = spawnSync(process.execPath, [repoPath('dist', 'cli', 'main.js'), ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const TUNING = 'rules/tuning/default.yaml';

describe('stagehunt hunt', () => {
  test('an installer scenario alerts without tuning and is suppressed, counted and listed with its entry with it', () => {
    const data = 'scenarios/benign-installer-msiexec/defender';
    const untuned = stagehunt(['hunt', '--data', data, '--format', 'json']);
    assert.equal(untuned.code, 0, untuned.stderr);
    assert.equal(JSON.parse(untuned.stdout).length, 1);
    const tuned = stagehunt(['hunt', '--data', data, '--tuning', TUNING, '--show-suppressed']);
    assert.equal(tuned.code, 0, tuned.stderr);
    assert.match(tuned.stdout, /^0 rows$/m);
    assert.match(tuned.stdout, /Suppressed by tuning \(1\):\n {2}\S+ t1074-data-staged medium ws-fin-042\.corp\.contoso\.com C:\\Windows\\System32\\msiexec\.exe /);
    assert.match(tuned.stdout, /suppressed by windows-installer-msiexec \[installer\] "Windows Installer extracts/);
    assert.match(tuned.stdout, /Summary: t1074-data-staged: 0 alerts; 1 suppressed by tuning\n$/);
  });

  test('the same activity from C:\\Users\\Public\\msiexec.exe is not allowlisted', () => {
    const r = stagehunt(['hunt', '--data', 'scenarios/tuning-evasion-fake-msiexec/defender', '--tuning', TUNING, '--format', 'json']);
    const alerts = JSON.parse(r.stdout) as Array<{ Process: string; Branches: string[] }>;
    assert.deepEqual(alerts.map((a) => a.Process), ['C:\\Users\\Public\\msiexec.exe']);
  });

  test('ndjson alerts carry rule id, title, severity, confidence, technique, entities, window and evidence rows', () => {
    const r = stagehunt(['hunt', '--data', 'scenarios/seed-2-7zip-password/defender', '--format', 'ndjson']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 1);
    const a = lines[0]!;
    assert.deepEqual([a['Rule'], a['RuleId'], a['Severity'], a['Confidence'], a['Technique'], a['Host'], a['Account']],
      ['t1074-data-staged', 'acc719c8-0b95-4a3a-af02-9731fe1f93e7', 'high', 'high', 'T1074, T1074.001, T1074.002', 'ws-hr-017.corp.contoso.com', 'asmith']);
    assert.deepEqual([a['Start'], a['End']], ['2026-11-27T11:02:17.441Z', '2026-11-27T11:02:41.181Z']);
    assert.equal((a['Evidence'] as unknown[]).length, a['EvidenceRows']);
    assert.match(r.stderr, /Summary: t1074-data-staged: 1 alert \(high 1\); 0 suppressed by tuning/);
    assert.match(r.stderr, /1 rule evaluated in \d+ ms; now\(\) = 2026-11-27T11:02:41.181Z/);
  });

  test('--max-memory: a limit the rule cannot run within stops the hunt with exit 1 and names the operator', () => {
    const over = stagehunt(['hunt', '--data', 'examples/seed-tests', '--max-memory', '2k']);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /query stopped: (summarize|sort|join|distinct) held about .*over the memory limit of 2\.0 KiB/);
    const within = stagehunt(['hunt', '--data', 'examples/seed-tests', '--max-memory', '256M', '--format', 'json']);
    assert.equal(within.code, 0, within.stderr);
    assert.ok(JSON.parse(within.stdout).length > 0);
  });

  test('--min-severity hides lower alerts and says how many', () => {
    const r = stagehunt(['hunt', '--data', 'scenarios/seed-1-robocopy-temp/defender', '--min-severity', 'high']);
    assert.match(r.stdout, /^0 rows$/m);
    assert.match(r.stdout, /t1074-data-staged: 0 alerts; 0 suppressed by tuning; 1 below --min-severity high/);
  });

  test('raw auditd and Sysmon XML are normalised on the way in', () => {
    for (const file of ['scenarios/seed-4-linux-cp-tar/auditd.log', 'scenarios/seed-4-linux-cp-tar/sysmon.xml']) {
      const r = stagehunt(['hunt', '--data', file, '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const alerts = JSON.parse(r.stdout) as Array<{ Host: string; Branches: string[]; Files: string[] }>;
      assert.deepEqual(alerts.map((a) => [a.Host, a.Files]), [['lnx-build-01', ['/tmp/.df00tech_stage']]], file);
      assert.deepEqual([...alerts[0]!.Branches].sort(), ['ArchiveCommand', 'ArchiveCreated', 'BulkCopyCommand']);
    }
  });

  test('--rule all runs both rules; --explain prints branches, evidence and pivots', () => {
    const r = stagehunt(['hunt', '--data', 'examples/seed-tests', '--rule', 'all', '--explain']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Summary: t1074-data-staged: 6 alerts \(high 3, medium 2, low 1\); t1074-seed: 5 alerts \(high 5\); 0 suppressed by tuning/);
    assert.match(r.stdout, /Why it fired:\n {4}RemoteShareCopy: a copy to or from an administrative share/);
    assert.match(r.stdout, /Pivots to run next/);
  });

  test('an expired allowlist entry warns and no longer suppresses; a broken tuning file is an error naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stagehunt-hunt-'));
    const expired = join(dir, 'expired.yaml');
    writeFileSync(expired, "allowlist:\n  - id: old-msi\n    family: installer\n    reason: installers extract payloads\n    owner: it-team\n    expires: '2020-01-01'\n    process: { path: 'C:\\Windows\\System32\\msiexec.exe' }\n");
    const r = stagehunt(['hunt', '--data', 'scenarios/benign-installer-msiexec/defender', '--tuning', expired, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: .*expired\.yaml: allowlist entry old-msi expired on 2020-01-01 and no longer suppresses — owner it-team/);
    assert.equal(JSON.parse(r.stdout).length, 1);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'allowlist:\n  - id: x\n    family: cleaners\n');
    const b = stagehunt(['hunt', '--data', 'examples/seed-tests', '--tuning', broken]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /broken\.yaml:3:5: allowlist\.0\.family: is not one of/);
  });

  test('usage errors exit 2', () => {
    assert.equal(stagehunt(['hunt']).code, 2);
    const r = stagehunt(['hunt', '--data', 'examples/seed-tests', '--rule', 'nope']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown rule 'nope'/);
  });
});

describe('stagehunt test', () => {
  test('replays every scenario and recording through every rule: matrix, green summary line last, JUnit', () => {
    const junit = join(mkdtempSync(join(tmpdir(), 'stagehunt-junit-')), 'report.xml');
    const r = stagehunt(['test', '--junit', junit]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines.at(-1)!, /^\d+ passed, 0 failed$/);
    assert.match(r.stdout, /^seed-4-linux-cp-tar +attack\/seed-test +fired ✓ +silent ✓ MISS$/m);
    assert.match(r.stdout, /^t1074-data-staged: detects (\d+)\/\1 attack scenarios; alerts on 0\/\d+ benign$/m);
    const xml = readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuite name="t1074-data-staged" tests="\d+" failures="0"/);
    assert.match(xml, /<testsuite name="t1074-seed" tests="\d+" failures="0"/);
  });

  test('without tuning the benign installer alerts: the mismatch is listed and the exit code is 1', () => {
    const r = stagehunt(['test', '--no-tuning', '--no-recordings', '--scenario', 'benign-installer-msiexec']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL t1074-data-staged × benign-installer-msiexec \[defender\]: expected silence, the rule raised 1 alert\(s\): ArchiveCreated\+BulkFileStaging; expected tuning to suppress an alert, none was suppressed/);
    assert.match(r.stdout, /\n2 passed, 2 failed\n$/);
  });
});

describe('stagehunt hunt --rules DIR', () => {
  const sigmaDir = (extra: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'stagehunt-sigma-rules-'));
    for (const name of ['password-archive.yml', 'bulk-file-staging.yml']) {
      writeFileSync(join(dir, name), readFileSync(repoPath('test', 'golden', 'export', 'sigma', 't1074-data-staged', name), 'utf8'));
    }
    writeFileSync(join(dir, 'tuning.yaml'), readFileSync(repoPath(TUNING), 'utf8'));
    for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
    return dir;
  };

  test('runs Sigma rule files, converted on load, under their titles; other YAML is skipped and named', () => {
    const r = stagehunt(['hunt', '--data', 'scenarios/seed-2-7zip-password/defender', '--rules', sigmaDir(), '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const alerts = JSON.parse(r.stdout) as Array<{ Rule: string; Title: string; Branches: string[] }>;
    assert.deepEqual(alerts.map((a) => a.Rule), ['t1074-data-staged-password-archive']);
    assert.equal(alerts[0]!.Title, 'Data Staged locally or remotely (T1074.001, T1074.002): PasswordArchive');
    assert.match(r.stderr, /note: \S+tuning\.yaml is not a Sigma rule .*: skipped/);
    assert.match(r.stderr, /t1074-data-staged-bulk-file-staging-count: 0 alerts/);
  });

  test('a Sigma file that cannot be converted stops the hunt with file:line:column (exit 1)', () => {
    const bad = 'title: Bad\nlogsource: {category: process_creation}\ndetection:\n  sel:\n    Nope: x\n  condition: sel\n';
    const r = stagehunt(['hunt', '--data', 'scenarios/seed-2-7zip-password/defender', '--rules', sigmaDir({ 'bad.yml': bad })]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.yml:5:5: unknown field "Nope" for process_creation/);
  });

  test('a missing folder, or one without any rule, is an error (exit 1)', () => {
    const missing = stagehunt(['hunt', '--data', 'scenarios/seed-2-7zip-password/defender', '--rules', join(tmpdir(), 'stagehunt-no-such-rules')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /stagehunt-no-such-rules: the rules folder does not exist/);
    const empty = stagehunt(['hunt', '--data', 'scenarios/seed-2-7zip-password/defender', '--rules', mkdtempSync(join(tmpdir(), 'stagehunt-empty-rules-'))]);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /holds no rule folder and no Sigma rule/);
  });
});
