/**
 * SPL, ES|QL and EQL exports: snapshots (STAGEHUNT_UPDATE_GOLDEN=1 rewrites them after a deliberate
 * change), a tokenizer-level syntax check of every query, and the rendering rules one by one.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadRule, type Rule } from '../detections/rules.js';
import { repoPath } from '../testing/repo.js';
import { EQL_DIALECT, ESQL_DIALECT, esqlSpan, exportEql, exportEsql, quoted } from './elastic.js';
import type { ExportedFile } from './exported-file.js';
import type { Condition } from './portable.js';
import { renderCondition } from './query-render.js';
import { exportSplunk, SPL_DIALECT, splString } from './splunk.js';
import { ecsField, sysmonField } from './target-fields.js';
import { checkQuerySyntax, type QueryLanguage } from './test-support.js';

const RULES = ['t1074-seed', 't1074-data-staged'].map((name) => loadRule(repoPath('rules', name)));
const TARGETS: Array<{ language: QueryLanguage; export: (rule: Rule) => ExportedFile[] }> = [
  { language: 'spl', export: exportSplunk },
  { language: 'esql', export: exportEsql },
  { language: 'eql', export: exportEql },
];
const GOLDEN_DIR = repoPath('test', 'golden', 'export');

describe('SPL, ES|QL and EQL exports', () => {
  test('match the golden files (STAGEHUNT_UPDATE_GOLDEN=1 rewrites them)', () => {
    for (const target of TARGETS) {
      for (const rule of RULES) {
        for (const file of target.export(rule)) {
          const golden = join(GOLDEN_DIR, ...file.path.split('/'));
          if (process.env.STAGEHUNT_UPDATE_GOLDEN === '1') {
            mkdirSync(dirname(golden), { recursive: true });
            writeFileSync(golden, file.content);
          }
          assert.ok(existsSync(golden), `${golden} is missing: run with STAGEHUNT_UPDATE_GOLDEN=1 after checking the output`);
          assert.equal(file.content, readFileSync(golden, 'utf8'), `${file.path} differs from its golden file`);
        }
      }
    }
  });

  test('every query passes the tokenizer-level syntax check', () => {
    for (const target of TARGETS) {
      for (const rule of RULES) {
        for (const file of target.export(rule)) assert.deepEqual(checkQuerySyntax(target.language, file.content), [], file.path);
      }
    }
  });

  test('one file per branch, each headed by what it could not express', () => {
    const improved = RULES[1]!;
    for (const target of TARGETS) {
      const files = target.export(improved);
      assert.equal(files.length, 9, target.language);
      for (const file of files) assert.match(file.content, /Not expressed in this query:\n.*- the severity is computed per row/, file.path);
    }
    const eql = exportEql(improved).find((f) => f.path.endsWith('/bulk-file-staging.eql'))!;
    assert.match(eql.content, /EQL cannot count: the query returns every event the rule counts, without the threshold \(distinct FolderPath >= 10 per 1h by DeviceName, InitiatingProcessFileName, InitiatingProcessFolderPath\)/);
  });

  test('a counting branch aggregates per window with its threshold', () => {
    const improved = RULES[1]!;
    const spl = exportSplunk(improved).find((f) => f.path.endsWith('/bulk-file-staging.spl'))!.content;
    assert.match(spl, /\| bin _time span=1h\n\| stats dc\(TargetFilename\) as DistinctCount by Computer Image _time\n\| where DistinctCount>=10\n$/);
    const esql = exportEsql(improved).find((f) => f.path.endsWith('/bulk-file-staging.esql'))!.content;
    assert.match(esql, /\| EVAL Window = DATE_TRUNC\(1 hour, @timestamp\)\n\| STATS DistinctCount = COUNT_DISTINCT\(file\.path\) BY host\.name, process\.name, process\.executable, Window\n\| WHERE DistinctCount >= 10\n$/);
  });
});

describe('checkQuerySyntax', () => {
  test('rejects what it claims to check', () => {
    assert.match(checkQuerySyntax('spl', 'index=* | where match(x, "a"')[0]!, /unclosed \(/);
    assert.match(checkQuerySyntax('spl', 'index=* | where x="a')[0]!, /unterminated string/);
    assert.match(checkQuerySyntax('spl', 'index=* | frobnicate x')[0]!, /unknown command after a pipe: frobnicate/);
    assert.match(checkQuerySyntax('esql', 'FROM logs-* | WHERE SUBSTR_FOO(x) == 1')[0]!, /unknown function SUBSTR_FOO\(/);
    assert.match(checkQuerySyntax('esql', 'WHERE x == 1')[0]!, /does not start as a esql query/);
    assert.match(checkQuerySyntax('eql', 'process where (a == "b"))')[0]!, /unbalanced \)/);
    assert.match(checkQuerySyntax('spl', '``` open comment\nindex=*')[0]!, /unclosed ``` comment/);
    assert.deepEqual(checkQuerySyntax('eql', '// "a comment with a quote\nprocess where process.name like~ "*//x*"'), []);
  });
});

describe('rendering conditions', () => {
  const match = (field: string, op: 'equals' | 'contains' | 'startswith' | 'endswith' | 'regex', values: string[], caseSensitive = false): Condition => ({ kind: 'match', field, op, values, caseSensitive });

  test('string literals escape backslashes and quotes', () => {
    assert.equal(splString('C:\\Temp\\"x"'), '"C:\\\\Temp\\\\\\"x\\""');
    assert.equal(quoted('a\\b"c\td'), '"a\\\\b\\"c\\td"');
  });

  test('SPL: a process name is the end of Image, case-insensitively', () => {
    const notes: string[] = [];
    assert.equal(renderCondition(match('FileName', 'equals', ['7z.exe']), 'process_creation', sysmonField, SPL_DIALECT, notes),
      'match(Image, "(?i)(?:\\\\\\\\7z\\\\.exe|/7z\\\\.exe)$")');
    assert.deepEqual(notes, []);
  });

  test('ES|QL: case-insensitive values are lower-cased against TO_LOWER, case-sensitive ones are not', () => {
    const notes: string[] = [];
    assert.equal(renderCondition(match('FileName', 'equals', ['7Z.exe', 'Rar.exe']), 'process_creation', ecsField, ESQL_DIALECT, notes), 'TO_LOWER(process.name) IN ("7z.exe", "rar.exe")');
    assert.equal(renderCondition(match('ProcessCommandLine', 'contains', ['*x?'], true), 'process_creation', ecsField, ESQL_DIALECT, notes), 'process.command_line LIKE "*\\\\*x\\\\?*"');
  });

  test('a condition on a field the target lacks is left out so that the query stays broader, and noted', () => {
    const notes: string[] = [];
    const smb = match('RequestProtocol', 'equals', ['SMB']);
    const archive = match('FileName', 'endswith', ['.zip']);
    assert.equal(renderCondition({ kind: 'and', items: [smb, archive] }, 'file_event', ecsField, EQL_DIALECT, notes), 'file.name like~ "*.zip"');
    assert.equal(renderCondition({ kind: 'and', items: [{ kind: 'not', item: smb }, archive] }, 'file_event', ecsField, EQL_DIALECT, notes), 'file.name like~ "*.zip"');
    assert.equal(renderCondition({ kind: 'or', items: [smb, archive] }, 'file_event', ecsField, EQL_DIALECT, notes), true);
    assert.deepEqual(notes, ['RequestProtocol has no EQL (ECS) field here: its condition is left out (the query matches more than the rule)']);
  });

  test('a pattern Lucene cannot express is left out the same way', () => {
    const notes: string[] = [];
    assert.equal(renderCondition({ kind: 'not', item: match('ProcessCommandLine', 'regex', ['\\bsecret\\b']) }, 'process_creation', ecsField, ESQL_DIALECT, notes), true);
    assert.match(notes[0]!, /the pattern "\\\\bsecret\\\\b" on process\.command_line has no ES\|QL form \(\\b has no Lucene form\)/);
  });

  test('Sysmon sees only file creation: ActionType becomes a constant, with a note', () => {
    const notes: string[] = [];
    const actions = match('ActionType', 'equals', ['FileCreated', 'FileModified'], true);
    assert.equal(renderCondition(actions, 'file_event', sysmonField, SPL_DIALECT, notes), true);
    assert.equal(renderCondition(match('ActionType', 'equals', ['FileDeleted'], true), 'file_event', sysmonField, SPL_DIALECT, notes), false);
    assert.match(notes[0]!, /Sysmon logs file creation \(EventCode 11\)/);
    assert.equal(renderCondition(actions, 'file_event', ecsField, EQL_DIALECT, []), 'event.type in ("creation", "change")');
  });

  test('ES|QL time spans', () => {
    assert.equal(esqlSpan('24h'), '1 day');
    assert.equal(esqlSpan('1h'), '1 hour');
    assert.equal(esqlSpan('90m'), '90 minutes');
    assert.equal(esqlSpan('2d'), '2 days');
  });
});
