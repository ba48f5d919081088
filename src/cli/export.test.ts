/**
 * `stagehunt export` as a user runs it: targets, stdout or --out, exit codes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { repoPath } from '../testing/repo.js';

const CLI = repoPath('dist', 'cli', 'main.js');

function stagehunt(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: repoPath() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'stagehunt-export-'));
}

describe('stagehunt export', () => {
  test('prints one target to stdout', () => {
    const r = stagehunt(['export', 't1074-seed', '--to', 'sentinel']);
    assert.equal(r.code, 0, r.stderr);
    const doc = parse(r.stdout) as { id: string; kind: string };
    assert.equal(doc.kind, 'Scheduled');
    assert.equal(doc.id, 'a496b21f-8818-4f03-bbb1-7739433b3608');
  });

  test('prints a target of several files as one stream when its format has one (Sigma YAML)', () => {
    const r = stagehunt(['export', 't1074-seed', '--to', 'sigma']);
    assert.equal(r.code, 0, r.stderr);
    const documents = parseAllDocuments(r.stdout);
    assert.ok(documents.every((d) => d.errors.length === 0));
    const titles = documents.map((d) => (d.toJS() as { title: string }).title);
    assert.ok(titles.length >= 3, titles.join(' | '));
    assert.ok(titles.some((t) => t.endsWith('BulkCopyCommand')), titles.join(' | '));
  });

  test('writes several targets under --out and lists the files', () => {
    const out = tempDir();
    const r = stagehunt(['export', 't1074-data-staged', '--to', 'sentinel,navigator', '--to', 'sentinel-arm', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const files = ['sentinel/t1074-data-staged.yaml', 'navigator/t1074-data-staged.layer.json', 'sentinel-arm/t1074-data-staged.json'].map((f) => join(out, ...f.split('/')));
    assert.equal(r.stdout, files.map((f) => `wrote ${f}\n`).join(''));
    for (const file of files) assert.ok(existsSync(file), file);
    assert.equal(JSON.parse(readFileSync(files[1]!, 'utf8')).versions.layer, '4.5');
  });

  test("'all' exports every target", () => {
    const out = tempDir();
    const r = stagehunt(['export', 't1074-seed', '--to', 'all', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    for (const target of ['sentinel', 'sentinel-arm', 'navigator']) assert.match(r.stdout, new RegExp(`wrote .*${target}[\\\\/]t1074-seed\\.`));
    assert.match(r.stdout, /wrote .*sigma[\\/]t1074-seed[\\/]bulk-copy-command\.yml/);
  });

  test('takes a rule folder, or its rule.yaml', () => {
    const dir = join(tempDir(), 'my-rule');
    cpSync(repoPath('rules', 't1074-data-staged'), dir, { recursive: true });
    writeFileSync(join(dir, 'rule.yaml'), readFileSync(join(dir, 'rule.yaml'), 'utf8').replace('name: t1074-data-staged', 'name: my-rule').replace(/^id: .*$/m, 'id: 0f0e0d0c-0b0a-4908-8706-050403020100'));
    for (const arg of [dir, join(dir, 'rule.yaml')]) {
      const r = stagehunt(['export', arg, '--to', 'sentinel-arm']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(JSON.parse(r.stdout).resources[0].name, /0f0e0d0c-0b0a-4908-8706-050403020100/);
    }
  });

  test('usage errors exit 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [['export', 't1074-seed'], /--to is required \(targets: sigma, sentinel, sentinel-arm, splunk, elastic-esql, elastic-eql, navigator, all\)/],
      [['export', 't1074-seed', '--to', 'splunkk'], /unknown target 'splunkk'/],
      [['export', 't1074-seed', '--to', 'sentinel,navigator'], /2 targets need --out DIR/],
      [['export', 'no-such-rule', '--to', 'sentinel'], /unknown rule 'no-such-rule': neither a built-in rule \(t1074-data-staged, t1074-seed\) nor a folder holding rule\.yaml/],
      [['export', repoPath('rules'), '--to', 'sentinel'], /unknown rule/],
      [['export', '--to', 'sentinel'], /missing required argument 'rule'/],
    ];
    for (const [args, message] of cases) {
      const r = stagehunt(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });

  test('an invalid rule folder exits 1 with file and field', () => {
    const dir = join(tempDir(), 't1074-data-staged');
    cpSync(repoPath('rules', 't1074-data-staged'), dir, { recursive: true });
    writeFileSync(join(dir, 'rule.yaml'), readFileSync(join(dir, 'rule.yaml'), 'utf8').replace('severity: medium', 'severity: extreme'));
    const r = stagehunt(['export', dir, '--to', 'sentinel']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the rule is invalid:\n.*rule\.yaml:\d+:\d+: severity: /);
  });

  test('a target that cannot express the rule exits 1 and writes nothing', () => {
    const dir = join(tempDir(), 'too-often');
    cpSync(repoPath('rules', 't1074-data-staged'), dir, { recursive: true });
    writeFileSync(join(dir, 'rule.yaml'), readFileSync(join(dir, 'rule.yaml'), 'utf8').replace('name: t1074-data-staged', 'name: too-often').replace('frequency: 1h', 'frequency: 1m'));
    const out = tempDir();
    const r = stagehunt(['export', dir, '--to', 'navigator,sentinel', '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot export too-often:\nsentinel: too-often: cannot schedule in Sentinel: schedule\.frequency 1m/);
    assert.equal(existsSync(join(out, 'navigator')), false, 'no partial output');
  });

  test('an output folder that cannot be written exits 1', () => {
    const blocker = join(tempDir(), 'file');
    writeFileSync(blocker, 'not a folder');
    const r = stagehunt(['export', 't1074-seed', '--to', 'navigator', '--out', blocker]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot write .*file[\\/]navigator[\\/]t1074-seed\.layer\.json: (ENOTDIR|EEXIST)/);
  });

  test('--help lists the targets with examples', () => {
    const r = stagehunt(['export', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Targets:\n {2}sigma {9}Sigma rules/);
    assert.match(r.stdout, /\n {2}sentinel {6}Microsoft Sentinel/);
    assert.match(r.stdout, /\$ stagehunt export t1074-seed --to navigator,sentinel --out exported\//);
  });
});
