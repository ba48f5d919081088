import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RULES_DIR } from '../detections/builtin-rules.js';
import { loadRule } from '../detections/rules.js';
import { fakeRule } from '../detections/test-support.js';
import { repoPath, sharedPath } from '../testing/repo.js';
import { attackTags, escapeSigmaValue, exportSigma, platformsOf, uuidV5 } from './sigma.js';
import { sigmaSchemaValidator } from './sigma-schema.js';

/** Snapshots of the Sigma export; STAGEHUNT_UPDATE_GOLDEN=1 rewrites them after a deliberate change. */
const GOLDEN_DIR = repoPath('test', 'golden', 'export', 'sigma');
const DATE = '2026-11-28';
const SHIPPED = ['t1074-seed', 't1074-data-staged'].map((name) => loadRule(join(RULES_DIR, name)));

function documentsOf(content: string): Array<Record<string, unknown>> {
  return parseAllDocuments(content).map((d) => {
    assert.deepEqual(d.errors, []);
    return d.toJS() as Record<string, unknown>;
  });
}

describe('exportSigma over the shipped rules', () => {
  const files = SHIPPED.flatMap((rule) => exportSigma(rule, { date: DATE }));

  test('every generated document is valid against the official Sigma schemas', (t) => {
    const schemas = sharedPath('schemas', 'sigma');
    if (!schemas) return t.skip('../shared/schemas/sigma is absent: Sigma schema validation skipped');
    const validator = sigmaSchemaValidator(schemas);
    let checked = 0;
    for (const file of files) {
      for (const doc of documentsOf(file.content)) {
        assert.deepEqual(validator.validate(doc), [], `${file.path}: ${String(doc.title)}`);
        checked++;
      }
    }
    assert.ok(checked >= files.length + 2, `only ${checked} documents checked`);
  });

  test('the schema validator does reject a broken rule and a broken correlation', (t) => {
    const schemas = sharedPath('schemas', 'sigma');
    if (!schemas) return t.skip('../shared/schemas/sigma is absent: Sigma schema validation skipped');
    const validator = sigmaSchemaValidator(schemas);
    assert.notDeepEqual(validator.validate({ title: 'x', logsource: {}, detection: { condition: 'a' }, level: 'severe' }), []);
    assert.notDeepEqual(validator.validate({ title: 'x', correlation: { type: 'event_count', rules: ['a'], timespan: '1h' } }), []);
  });

  test('matches the golden files (STAGEHUNT_UPDATE_GOLDEN=1 rewrites them)', () => {
    for (const file of files) {
      const golden = join(GOLDEN_DIR, file.path);
      if (process.env.STAGEHUNT_UPDATE_GOLDEN === '1') {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, file.content);
      }
      assert.ok(existsSync(golden), `${golden} is missing: run with STAGEHUNT_UPDATE_GOLDEN=1 after checking the output`);
      assert.equal(file.content, readFileSync(golden, 'utf8'), `${file.path} differs from its golden file`);
    }
  });

  test('one file per branch and platform; the bulk branches carry a correlation rule referencing their base rule', () => {
    assert.deepEqual(files.filter((f) => f.path.startsWith('t1074-seed/')).map((f) => f.path), [
      't1074-seed/bulk-file-staging.yml', 't1074-seed/archive-created.yml', 't1074-seed/bulk-copy-command.yml',
    ]);
    const [base, correlation] = documentsOf(files.find((f) => f.path === 't1074-data-staged/bulk-file-staging.yml')!.content);
    assert.equal(base!.name, 't1074-data-staged-bulk-file-staging');
    assert.deepEqual(correlation!.correlation, {
      type: 'value_count',
      rules: ['t1074-data-staged-bulk-file-staging'],
      'group-by': ['Computer', 'InitiatingProcessFileName', 'Image'],
      timespan: '1h',
      condition: { gte: 10, field: 'TargetFilename' },
    });
    const seedBulk = documentsOf(files[0]!.content)[1]!;
    assert.equal((seedBulk.correlation as { type: string }).type, 'event_count');
    assert.equal((seedBulk.correlation as { timespan: string }).timespan, '24h');
  });

  test('ids are stable name-based UUIDs, different per file', () => {
    const ids = files.flatMap((f) => documentsOf(f.content).map((d) => d.id));
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(exportSigma(SHIPPED[0]!, { date: DATE }), files.slice(0, 3));
  });

  test('the file names what it could not carry', () => {
    const archive = files.find((f) => f.path === 't1074-seed/archive-created.yml')!.content;
    assert.match(archive, /^# Not carried from the KQL rule:\n# - /);
    assert.match(archive, /has_any matches whole terms/);
  });
});

describe('exportSigma details', () => {
  test('case-sensitive matches get |cased, != becomes not, numbers get |gt', () => {
    const rule = { ...fakeRule(), query: `DeviceProcessEvents | where ProcessCommandLine contains_cs "Q" and ProcessId != 4 and ProcessId > 100 | extend StagingType = "B"` };
    const [file] = exportSigma(rule, { date: DATE });
    const [doc] = documentsOf(file!.content);
    assert.deepEqual(doc!.detection, {
      selection_main: { 'CommandLine|contains|cased': 'Q', 'ProcessId|gt': 100 },
      filter_processid: { ProcessId: 4 },
      condition: 'selection_main and not filter_processid',
    });
    assert.deepEqual(doc!.logsource, { category: 'process_creation', product: 'windows' });
  });

  test('a table without a Sigma log source is skipped and said so', () => {
    const rule = { ...fakeRule(), query: `union (DeviceRegistryEvents | where RegistryKey contains "x" | extend StagingType = "R"), (DeviceFileEvents | where FolderPath contains "\\\\Temp\\\\" | extend StagingType = "F")` };
    const files = exportSigma(rule, { date: DATE });
    assert.deepEqual(files.map((f) => f.path), ['fake-rule/f.yml']);
    assert.match(files[0]!.content, /branch R reads DeviceRegistryEvents, which has no Sigma log source: not exported/);
  });

  test('escapeSigmaValue escapes wildcards and the backslashes before them only', () => {
    assert.equal(escapeSigmaValue('\\Temp\\'), '\\Temp\\');
    assert.equal(escapeSigmaValue('a*b?'), 'a\\*b\\?');
    assert.equal(escapeSigmaValue('\\\\host'), '\\\\\\host');
  });

  test('platformsOf', () => {
    const m = (field: string, op: 'equals' | 'contains' | 'regex', values: string[]) => ({ kind: 'match' as const, field, op, values, caseSensitive: false });
    assert.deepEqual(platformsOf(m('FolderPath', 'contains', ['\\Temp\\'])), ['windows']);
    assert.deepEqual(platformsOf(m('FolderPath', 'regex', ['^/(tmp|var/tmp)/'])), ['linux']);
    assert.deepEqual(platformsOf({ kind: 'or', items: [m('FileName', 'equals', ['cmd.exe', 'cp'])] }), ['windows', 'linux']);
    assert.deepEqual(platformsOf(m('ProcessCommandLine', 'regex', ['\\s-p\\S'])), ['windows']);
  });

  test('uuidV5 follows RFC 4122 (python uuid5(NAMESPACE_DNS, "python.org"))', () => {
    assert.equal(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org'), '886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  test('attackTags', () => {
    assert.deepEqual(attackTags({ tactics: ['Collection', 'Defense Evasion'], technique: 'T1074', subTechniques: ['T1074.001'] }), [
      'attack.collection', 'attack.defense_evasion', 'attack.t1074', 'attack.t1074.001',
    ]);
  });
});
