import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES_DIR } from '../detections/builtin-rules.js';
import { loadRule } from '../detections/rules.js';
import { fakeRule } from '../detections/test-support.js';
import { join } from 'node:path';
import { ExportError, extractPortableRule, slug, ticksText } from './extract.js';
import { replaceGroup } from './conditions.js';
import type { Condition } from './portable.js';

function ruleWith(query: string) {
  return { ...fakeRule(), query };
}

function branchesOf(query: string) {
  return extractPortableRule(ruleWith(query)).branches;
}

describe('extractPortableRule over the shipped rules', () => {
  test('the seed rule: three branches, the bulk one a count per full path', () => {
    const rule = extractPortableRule(loadRule(join(RULES_DIR, 't1074-seed')));
    assert.deepEqual(rule.branches.map((b) => [b.key, b.table, b.category]), [
      ['bulk-file-staging', 'DeviceFileEvents', 'file_event'],
      ['archive-created', 'DeviceFileEvents', 'file_event'],
      ['bulk-copy-command', 'DeviceProcessEvents', 'process_creation'],
    ]);
    const bulk = rule.branches[0]!;
    assert.deepEqual(bulk.aggregation, {
      groupBy: ['DeviceName', 'InitiatingProcessAccountName', 'InitiatingProcessFileName', 'InitiatingProcessCommandLine', 'FolderPath'],
      window: undefined,
      measure: { kind: 'count' },
      threshold: { op: '>=', value: 10 },
    });
    assert.equal(bulk.lookback, '24h');
    assert.deepEqual(rule.branches[2]!.filter.kind === 'and' && rule.branches[2]!.filter.items[0], {
      kind: 'match', field: 'FileName', op: 'equals', values: ['robocopy.exe', 'xcopy.exe', 'cmd.exe', 'powershell.exe'], caseSensitive: false,
    });
    assert.match(rule.branches[2]!.lossy.join('\n'), /has_any matches whole terms.*"robocopy"/);
  });

  test('the improved rule: every branch name of rule.yaml, iff() split into filters, dcount per hour', () => {
    const rule = extractPortableRule(loadRule(join(RULES_DIR, 't1074-data-staged')));
    const names = new Set(rule.branches.map((b) => b.name));
    assert.deepEqual([...names].sort(), Object.keys(rule.meta.branches!).sort());
    const bulk = rule.branches.find((b) => b.key === 'bulk-file-staging')!;
    assert.deepEqual(bulk.aggregation?.measure, { kind: 'dcount', field: 'FolderPath' });
    assert.equal(bulk.aggregation?.window, '1h');
    assert.match(bulk.lossy.join('\n'), /group key StagingFolder .* is computed/);
    assert.match(bulk.lossy.join('\n'), /RemoteSmbStaging when .*countif/);
    // ArchiveStaging's iff(ViaSmb, …) becomes two branches, the second guarded by not(ViaSmb).
    const archive = rule.branches.find((b) => b.name === 'ArchiveCreated')!;
    assert.equal(archive.filter.kind, 'and');
    const last = (archive.filter as { items: Condition[] }).items.at(-1)!;
    assert.equal(last.kind, 'not');
    assert.match(rule.lossy.join('\n'), /severity is computed per row/);
  });

  test('the improved rule: each branch gets the severity its case() gives when nothing per-event raises it', () => {
    const rule = extractPortableRule(loadRule(join(RULES_DIR, 't1074-data-staged')));
    const severities = Object.fromEntries(rule.branches.map((b) => [b.key, b.severity]));
    assert.deepEqual(severities, {
      'bulk-file-staging': 'medium', 'remote-smb-staging': 'high', 'archive-created': 'medium', 'remote-smb-staging-2': 'high',
      'bulk-copy-command': 'medium', 'password-archive': 'high', 'archive-command': 'medium', 'remote-share-copy': 'high', 'output-to-staging': 'low',
    });
    assert.match(rule.branches.find((b) => b.key === 'output-to-staging')!.lossy.join('\n'), /severity low; the rule changes it per event: high when/);
  });
});

describe('extractPortableRule over small queries', () => {
  test('let-bound lists, a user function inlined with its argument, extend substituted into where', () => {
    const [b] = branchesOf(`let Paths = dynamic(["\\\\Temp\\\\", "\\\\Public\\\\"]);
let IsStaging = (p: string) { p has_any (Paths) or p startswith "/tmp/" };
DeviceFileEvents
| extend Image = tolower(InitiatingProcessFileName), Staged = IsStaging(FolderPath)
| where Staged and Image in ("7z.exe", "Rar.exe") and FileSize > 1000
| extend StagingType = "ArchiveCreated"`);
    assert.equal(b!.name, 'ArchiveCreated');
    assert.deepEqual(b!.filter, {
      kind: 'and',
      items: [
        { kind: 'or', items: [
          { kind: 'match', field: 'FolderPath', op: 'contains', values: ['\\Temp\\', '\\Public\\'], caseSensitive: false },
          { kind: 'match', field: 'FolderPath', op: 'startswith', values: ['/tmp/'], caseSensitive: false },
        ] },
        // tolower(x) in ("Rar.exe") can never hold: only the lower-case value is kept.
        { kind: 'match', field: 'InitiatingProcessFileName', op: 'equals', values: ['7z.exe'], caseSensitive: false },
        { kind: 'compare', field: 'FileSize', op: '>', value: 1000 },
      ],
    });
    assert.deepEqual(b!.lossy, []);
  });

  test('==, =~, !=, contains_cs, matches regex with (?i), isnotempty', () => {
    const [b] = branchesOf(`DeviceProcessEvents | where FileName == "a.exe" and AccountName =~ "Bob" and ProcessCommandLine != "x"
  and ProcessCommandLine contains_cs "Q" and ProcessCommandLine matches regex "(?i)foo.*bar" and isnotempty(InitiatingProcessFileName)`);
    assert.deepEqual((b!.filter as { items: Condition[] }).items, [
      { kind: 'match', field: 'FileName', op: 'equals', values: ['a.exe'], caseSensitive: true },
      { kind: 'match', field: 'AccountName', op: 'equals', values: ['Bob'], caseSensitive: false },
      { kind: 'not', item: { kind: 'match', field: 'ProcessCommandLine', op: 'equals', values: ['x'], caseSensitive: true } },
      { kind: 'match', field: 'ProcessCommandLine', op: 'contains', values: ['Q'], caseSensitive: true },
      { kind: 'match', field: 'ProcessCommandLine', op: 'regex', values: ['foo.*bar'], caseSensitive: false },
      { kind: 'not', item: { kind: 'match', field: 'InitiatingProcessFileName', op: 'equals', values: [''], caseSensitive: true } },
    ]);
  });

  test('summarize count() by keys and bin(Timestamp, 1h) with a threshold written either way round', () => {
    const [b] = branchesOf(`DeviceFileEvents | summarize N = count() by DeviceName, bin(Timestamp, 1h) | where 5 < N | extend StagingType = "Bulk"`);
    assert.deepEqual(b!.aggregation, { groupBy: ['DeviceName'], window: '1h', measure: { kind: 'count' }, threshold: { op: '>', value: 5 } });
  });

  test('a predicate the model cannot say is left out, widening the branch, and written down', () => {
    const [b] = branchesOf(`DeviceFileEvents | where FolderPath contains "x" and strlen(FileName) > 3 | extend StagingType = "B"`);
    assert.deepEqual(b!.filter, { kind: 'match', field: 'FolderPath', op: 'contains', values: ['x'], caseSensitive: false });
    assert.match(b!.lossy.join('\n'), /strlen\(FileName\) > 3\) cannot be expressed and is left out \(treated as true\)/);
  });

  test('under not(), an inexpressible predicate becomes false, so the branch is still wider', () => {
    const [b] = branchesOf(`DeviceFileEvents | where FolderPath contains "x" and not(strlen(FileName) > 3) | extend StagingType = "B"`);
    assert.deepEqual(b!.filter, { kind: 'match', field: 'FolderPath', op: 'contains', values: ['x'], caseSensitive: false });
    assert.match(b!.lossy.join('\n'), /treated as false/);
  });

  test('extract() in a list becomes a regular expression with the group replaced', () => {
    const [b] = branchesOf(`DeviceFileEvents | where not(extract(@"/(\\.[^/]+)/", 1, FolderPath) in~ (".git", ".cache")) | extend StagingType = "B"`);
    assert.deepEqual(b!.filter, { kind: 'not', item: { kind: 'match', field: 'FolderPath', op: 'regex', values: ['/(?:\\.git|\\.cache)/'], caseSensitive: false } });
  });

  test('case() on the branch column gives one branch per arm, each excluding the earlier arms', () => {
    const branches = branchesOf(`DeviceFileEvents | extend StagingType = case(FileSize > 10, "Big", FileSize > 5, "Mid", "Small")`);
    assert.deepEqual(branches.map((b) => b.name), ['Big', 'Mid', 'Small']);
    assert.deepEqual(branches[2]!.filter, {
      kind: 'and',
      items: [
        { kind: 'not', item: { kind: 'compare', field: 'FileSize', op: '>', value: 10 } },
        { kind: 'not', item: { kind: 'compare', field: 'FileSize', op: '>', value: 5 } },
      ],
    });
  });

  test('a severity column folded per branch: known conditions and the branch name decide the case()', () => {
    const rule = {
      ...fakeRule(),
      query: `DeviceFileEvents | extend StagingType = iff(FileSize > 10, "Big", "Small")
| extend Severity = case(StagingType == "Big", "high", FileName endswith ".zip", "medium", "low")`,
    };
    const branches = extractPortableRule(rule).branches;
    assert.deepEqual(branches.map((b) => [b.name, b.severity]), [['Big', 'high'], ['Small', 'low']]);
    assert.match(branches[1]!.lossy.join('\n'), /severity low; the rule changes it per event: medium when \(FileName endswith "\.zip"\)/);
  });

  test('union legs are branches; repeated names get numbered keys', () => {
    const branches = branchesOf(`union (DeviceFileEvents | extend StagingType = "A"), (DeviceProcessEvents | extend StagingType = "A")`);
    assert.deepEqual(branches.map((b) => [b.key, b.table]), [['a', 'DeviceFileEvents'], ['a-2', 'DeviceProcessEvents']]);
    assert.match(branches[0]!.lossy.join('\n'), /no filter/);
  });

  test('an operator without a portable meaning is an error, not a silent drop', () => {
    assert.throws(() => branchesOf('DeviceFileEvents | mv-expand x = pack_array(1, 2)'), ExportError);
  });

  test('a query that does not bind reports the KQL diagnostics', () => {
    assert.throws(() => branchesOf('DeviceFileEvents | where NoSuchColumn == 1'), /NoSuchColumn/);
  });
});

describe('slug, ticksText, replaceGroup', () => {
  test('slug, ticksText', () => {
    assert.equal(slug('BulkFileStaging'), 'bulk-file-staging');
    assert.equal(slug('OutputToStaging'), 'output-to-staging');
    assert.equal(ticksText(36_000_000_000n), '1h');
    assert.equal(ticksText(864_000_000_000n), '24h');
    assert.equal(ticksText(3_000_000_000n), '5m');
    assert.equal(ticksText(1_728_000_000_000n), '2d');
  });

  test('replaceGroup skips escapes, classes and non-capturing groups', () => {
    assert.equal(replaceGroup('a(?:b)(c)', 1, 'X'), 'a(?:b)X');
    assert.equal(replaceGroup('\\((x)[(]', 1, 'X'), '\\(X[(]');
    assert.equal(replaceGroup('(a(b))', 2, 'X'), '(aX)');
    assert.equal(replaceGroup('(a)', 2, 'X'), undefined);
  });
});
