import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runQuery } from '../run-query.js';
import { SigmaError, decodeSigmaValue, kqlString, sigmaToKql, wildcardShape } from './sigma-to-kql.js';
import { sigmaRules } from './sigma-rules.js';

const rule = (detection: string, category = 'process_creation') => `title: Test rule
logsource:
  category: ${category}
  product: windows
detection:
${detection}
level: high
`;

function whereOf(text: string): string {
  const [q] = sigmaToKql(text, 'rules/t.yml');
  return q!.kql.split('\n')[1]!.replace(/^\| where /, '');
}

function errorOf(text: string): string {
  try {
    sigmaToKql(text, 'rules/t.yml');
  } catch (e) {
    assert.ok(e instanceof SigmaError, String(e));
    return e.message;
  }
  assert.fail('expected a SigmaError');
}

describe('sigmaToKql: detections', () => {
  test('fields map to Defender columns; a list is OR, a map is AND; default matching is case-insensitive', () => {
    assert.equal(
      whereOf(rule(`  selection:
    Image|endswith: ['\\\\rar.exe', '\\\\7z.exe']
    CommandLine|contains: ' -p'
  condition: selection`)),
      '((FolderPath endswith @"\\rar.exe" or FolderPath endswith @"\\7z.exe") and ProcessCommandLine contains @" -p")',
    );
    assert.equal(whereOf(rule(`  sel:\n    ParentImage: C:\\Windows\\explorer.exe\n  condition: sel`)), 'InitiatingProcessFolderPath =~ @"C:\\Windows\\explorer.exe"');
    assert.equal(whereOf(rule(`  sel:\n    TargetFilename|startswith: C:\\Temp\\\n  condition: sel`, 'file_event')), 'FolderPath startswith @"C:\\Temp\\"');
  });

  test('cased, re with i, all, exists, numbers, null, a Defender column kept by name', () => {
    assert.equal(whereOf(rule(`  sel:\n    CommandLine|contains|cased: Q\n  condition: sel`)), 'ProcessCommandLine contains_cs @"Q"');
    assert.equal(whereOf(rule(`  sel:\n    CommandLine|re|i: 'a"b'\n  condition: sel`)), 'ProcessCommandLine matches regex @"(?i)a""b"');
    assert.equal(whereOf(rule(`  sel:\n    CommandLine|contains|all: [a, b]\n  condition: sel`)), '(ProcessCommandLine contains @"a" and ProcessCommandLine contains @"b")');
    assert.equal(whereOf(rule(`  sel:\n    User|exists: true\n  condition: sel`)), 'isnotempty(AccountName)');
    assert.equal(whereOf(rule(`  sel:\n    ProcessId|gte: 4\n  condition: sel`)), 'ProcessId >= 4');
    assert.equal(whereOf(rule(`  sel:\n    ProcessId: 4\n  condition: sel`)), 'ProcessId == 4');
    assert.equal(whereOf(rule(`  sel:\n    User: null\n  condition: sel`)), 'isempty(AccountName)');
    assert.equal(whereOf(rule(`  sel:\n    InitiatingProcessFileName: cmd.exe\n  condition: sel`)), 'InitiatingProcessFileName =~ @"cmd.exe"');
  });

  test('wildcards: at the ends they widen the match, inside they make a regular expression; escapes are literal', () => {
    assert.equal(whereOf(rule(`  sel:\n    Image: '*\\\\cmd.exe'\n  condition: sel`)), 'FolderPath endswith @"\\cmd.exe"');
    assert.equal(whereOf(rule(`  sel:\n    CommandLine: '*copy*'\n  condition: sel`)), 'ProcessCommandLine contains @"copy"');
    assert.equal(whereOf(rule(`  sel:\n    CommandLine: 'a*b?'\n  condition: sel`)), 'ProcessCommandLine matches regex @"(?i)^a.*b.$"');
    assert.equal(whereOf(rule(`  sel:\n    CommandLine: 'a\\*'\n  condition: sel`)), 'ProcessCommandLine =~ @"a*"');
    assert.deepEqual(decodeSigmaValue('\\Temp\\'), { literal: '\\Temp\\' });
    assert.deepEqual(wildcardShape('*x*', 'equals'), { kind: 'contains', literal: 'x' });
    assert.deepEqual(wildcardShape('x*', 'endswith'), { kind: 'contains', literal: 'x' });
  });

  test('windash expands the option dash', () => {
    assert.equal(
      whereOf(rule(`  sel:\n    CommandLine|windash|contains: ' -p'\n  condition: sel`)),
      '(ProcessCommandLine contains @" -p" or ProcessCommandLine contains @" /p" or ProcessCommandLine contains @" \u2013p" or ProcessCommandLine contains @" \u2014p" or ProcessCommandLine contains @" \u2015p")',
    );
  });

  test('conditions: not, parentheses, 1 of / all of with patterns and them, precedence of and over or', () => {
    const d = `  sel_a:\n    CommandLine|contains: a\n  sel_b:\n    CommandLine|contains: b\n  filter:\n    User: x\n`;
    assert.equal(whereOf(rule(`${d}  condition: 1 of sel_* and not filter`)), '((ProcessCommandLine contains @"a" or ProcessCommandLine contains @"b") and not(AccountName =~ @"x"))');
    assert.equal(whereOf(rule(`${d}  condition: all of them`)), '(ProcessCommandLine contains @"a" and ProcessCommandLine contains @"b" and AccountName =~ @"x")');
    assert.equal(whereOf(rule(`${d}  condition: sel_a or sel_b and filter`)), '(ProcessCommandLine contains @"a" or (ProcessCommandLine contains @"b" and AccountName =~ @"x"))');
    assert.equal(whereOf(rule(`${d}  condition: (sel_a or sel_b) and filter`)), '(((ProcessCommandLine contains @"a" or ProcessCommandLine contains @"b")) and AccountName =~ @"x")');
  });

  test('a list of maps is an OR of the maps', () => {
    assert.equal(whereOf(rule(`  sel:\n    - User: a\n    - CommandLine: b\n  condition: sel`)), '(AccountName =~ @"a" or ProcessCommandLine =~ @"b")');
  });
});

describe('sigmaToKql: errors name file:line:column', () => {
  test('unknown field, unknown modifier, unknown category, unknown identifier, keyword search, bad regex', () => {
    assert.match(errorOf(rule(`  sel:\n    Nope: a\n  condition: sel`)), /^rules\/t\.yml:7:5: unknown field "Nope" for process_creation/);
    assert.match(errorOf(rule(`  sel:\n    CommandLine|base64offset: a\n  condition: sel`)), /^rules\/t\.yml:7:5: unsupported modifier \|base64offset/);
    assert.match(errorOf(rule(`  sel:\n    a: b\n  condition: sel`, 'registry_set')), /^rules\/t\.yml:3:3: logsource category "registry_set" has no Defender table/);
    assert.match(errorOf(rule(`  sel:\n    User: a\n  condition: sel and other`)), /^rules\/t\.yml:8:22: unknown search identifier "other"/);
    assert.match(errorOf(rule(`  sel:\n    - evil\n  condition: sel`)), /^rules\/t\.yml:7:7: keyword searches/);
    assert.match(errorOf(rule(`  sel:\n    CommandLine|re: '(a'\n  condition: sel`)), /^rules\/t\.yml:7:5: invalid regular expression/);
    assert.match(errorOf('title: x\nlogsource: {category: process_creation}\ndetection: {sel: {User: a}, condition: "sel and (sel"}\n'), /^rules\/t\.yml:3:\d+: missing "\)"/);
    assert.match(errorOf('title: [unclosed\n'), /^rules\/t\.yml:\d+:\d+: /);
  });
});

const CORRELATED = `title: Base
name: base-rule
logsource: {category: file_event, product: windows}
detection:
  sel:
    TargetFilename|contains: '\\Temp\\'
  condition: sel
---
title: Many files
correlation:
  type: value_count
  rules: [base-rule]
  group-by: [Computer, Image]
  timespan: 1h
  condition: {gte: 3, field: TargetFilename}
`;

describe('sigmaToKql: correlation rules', () => {
  test('value_count becomes a dcount per group and hour; the base rule is not run alone', () => {
    const queries = sigmaToKql(CORRELATED, 'x/many.yml');
    assert.equal(queries.length, 1);
    assert.equal(queries[0]!.title, 'Many files');
    assert.equal(queries[0]!.kql, [
      'DeviceFileEvents',
      '| where FolderPath contains @"\\Temp\\"',
      '| summarize Count = dcount(FolderPath), FirstSeen = min(Timestamp), LastSeen = max(Timestamp) by DeviceName, InitiatingProcessFolderPath, Window = bin(Timestamp, 1h)',
      '| where Count >= 3',
      '| extend Timestamp = LastSeen',
      '| extend SigmaRule = @"Many files"',
    ].join('\n'));
  });

  test('and it runs: three distinct files in \\Temp\\ in one hour fire, two do not', async () => {
    const [r] = sigmaRules(CORRELATED, 'x/many.yml');
    const row = (i: number) => ({ Timestamp: `2026-11-27T10:0${i}:00Z`, DeviceName: 'h', FolderPath: `C:\\Temp\\f${i}.txt`, InitiatingProcessFolderPath: 'C:\\x.exe', ActionType: 'FileCreated' });
    assert.equal((await runQuery(r!.query, { tables: { DeviceFileEvents: [row(1), row(2), row(3)] } })).rows.length, 1);
    assert.equal((await runQuery(r!.query, { tables: { DeviceFileEvents: [row(1), row(2)] } })).rows.length, 0);
  });

  test('unsupported correlation types and dangling references are errors', () => {
    assert.match(errorOf(CORRELATED.replace('value_count', 'temporal')), /:11:3: correlation type "temporal" is not supported/);
    assert.match(errorOf(CORRELATED.replace('rules: [base-rule]', 'rules: [other]')), /:12:3: rule "other" is not in this file/);
    assert.match(errorOf(CORRELATED.replace('timespan: 1h', 'timespan: 1w')), /:14:3: timespan "1w"/);
  });

  test('sigmaRules: metadata from the Sigma rule (level, ATT&CK tags), an id even without one', () => {
    const [r] = sigmaRules(rule(`  sel:\n    User: a\n  condition: sel`).replace('level: high', 'level: critical\ntags: [attack.collection, attack.t1074.001]'), 'x/t.yml');
    assert.equal(r!.meta.title, 'Test rule');
    assert.equal(r!.meta.severity, 'high');
    assert.deepEqual(r!.meta.attack, { tactics: ['collection'], technique: 'T1074', subTechniques: ['T1074.001'] });
    assert.match(r!.meta.id, /^[0-9a-f-]{36}$/);
    assert.equal(r!.meta.name, 't');
    assert.deepEqual(r!.meta.branches, { 'Test rule': 'Test rule' });
  });

  test('kqlString doubles quotes and keeps backslashes', () => {
    assert.equal(kqlString('a\\"b'), '@"a\\""b"');
  });
});
