/**
 * The improved rule's behaviour, branch by branch, on hand-made Defender rows: each blind spot of the
 * seed (docs/detections.md) and each refinement, with the expected rows worked out from the query.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runQuery } from '../run-query.js';
import { loadRulePack } from './rules.js';

const rule = loadRulePack().find((r) => r.meta.name === 't1074-data-staged')!;
const NOW = '2026-11-27T12:00:00Z';

type Row = Record<string, unknown>;

async function run(tables: Record<string, Row[]>): Promise<Row[]> {
  const result = await runQuery(rule.query, { tables, now: NOW });
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));
}

const fileRow = (path: string, over: Row = {}): Row => ({
  Timestamp: '2026-11-27T11:00:00Z', DeviceName: 'ws1', ActionType: 'FileCreated', FileName: path.split(/[\\/]/).pop(), FolderPath: path,
  InitiatingProcessFileName: 'collector.exe', InitiatingProcessFolderPath: 'C:\\Users\\u\\collector.exe', InitiatingProcessAccountName: 'u', ...over,
});

const processRow = (image: string, commandLine: string, over: Row = {}): Row => ({
  Timestamp: '2026-11-27T11:00:00Z', DeviceName: 'ws1', ActionType: 'ProcessCreated', FileName: image.split(/[\\/]/).pop(), FolderPath: image,
  ProcessCommandLine: commandLine, AccountName: 'u', InitiatingProcessFileName: 'explorer.exe', ...over,
});

const types = (rows: Row[]) => rows.map((r) => r['StagingType']);

describe('branch 1 — distinct files per staging folder within the window', () => {
  const temp = 'C:\\Users\\u\\AppData\\Local\\Temp\\stage';
  const distinct = (n: number) => Array.from({ length: n }, (_, i) => fileRow(`${temp}\\${i % 2 ? 'sub\\' : ''}f${i}.docx`, { Timestamp: `2026-11-27T11:00:${String(i).padStart(2, '0')}Z` }));

  test('ten different files (across sub-folders of one staging folder) alert once, counted per directory', async () => {
    const rows = await run({ DeviceFileEvents: distinct(10) });
    assert.deepEqual(types(rows), ['BulkFileStaging']);
    assert.equal(rows[0]!['FileCount'], 10);
    assert.equal(rows[0]!['StagingFolder'], temp);
    assert.equal(rows[0]!['Timestamp'], '2026-11-27T11:00:09Z');
    assert.equal(rows[0]!['FirstSeen'], '2026-11-27T11:00:00Z');
    assert.deepEqual(rows[0]!['Extensions'], ['docx']);
  });

  test('nine files are below the threshold; one file written twelve times is one file', async () => {
    assert.deepEqual(await run({ DeviceFileEvents: distinct(9) }), []);
    const same = Array.from({ length: 12 }, (_, i) => fileRow(`${temp}\\log.txt`, { ActionType: i ? 'FileModified' : 'FileCreated', Timestamp: `2026-11-27T11:00:${String(i).padStart(2, '0')}Z` }));
    assert.deepEqual(await run({ DeviceFileEvents: same }), []);
  });

  test('Linux temp folders and hidden folders count; well-known dot folders do not', async () => {
    const linux = (folder: string) => Array.from({ length: 10 }, (_, i) => fileRow(`${folder}/f${i}`, { InitiatingProcessFileName: 'rsync', InitiatingProcessFolderPath: '/usr/bin/rsync' }));
    assert.deepEqual((await run({ DeviceFileEvents: linux('/dev/shm/x') })).map((r) => r['StagingFolder']), ['/dev/shm/x']);
    assert.deepEqual((await run({ DeviceFileEvents: linux('/home/u/.sysd/cache') })).map((r) => r['StagingFolder']), ['/home/u/.sysd']);
    assert.deepEqual(await run({ DeviceFileEvents: linux('/home/u/.cache/mozilla') }), []);
    assert.deepEqual(await run({ DeviceFileEvents: linux('/home/u/projects') }), []);
  });

  test('events older than the 24 h lookback are ignored', async () => {
    assert.deepEqual(await run({ DeviceFileEvents: distinct(10).map((r) => ({ ...r, Timestamp: '2026-11-26T11:59:59Z' })) }), []);
  });
});

describe('branch 2 — archives by suffix', () => {
  const temp = 'C:\\Users\\u\\AppData\\Local\\Temp\\';
  test('only names that END with an archive suffix (split volumes included) count, in any case', async () => {
    const rows = await run({ DeviceFileEvents: ['notes.zip.txt', 'my.iso.log', 'DATA.7Z.001', 'backup.ZIP', 'x.tar.gz', 'Temp1_tool.zip'].map((n) => fileRow(temp + n, { InitiatingProcessFileName: '7z.exe' })) });
    assert.deepEqual(rows.map((r) => r['FileName']).sort(), ['DATA.7Z.001', 'backup.ZIP', 'x.tar.gz']);
    assert.deepEqual([...new Set(types(rows))], ['ArchiveCreated']);
  });

  test('an archive written by a process that neither archives nor copies is kept at low severity', async () => {
    const [row] = await run({ DeviceFileEvents: [fileRow(`${temp}download.zip`, { InitiatingProcessFileName: 'msedge.exe' })] });
    assert.equal(row!['Severity'], 'low');
    const [byZip] = await run({ DeviceFileEvents: [fileRow(`${temp}out.zip`, { InitiatingProcessFileName: '7z.exe' })] });
    assert.equal(byZip!['Severity'], 'medium');
  });

  test('a masquerading folder name raises severity to high', async () => {
    const [row] = await run({ DeviceFileEvents: [fileRow('C:\\ProgramData\\WindowsUpdate\\kb.zip', { InitiatingProcessFileName: 'powershell.exe' })] });
    assert.deepEqual([row!['StagingFolder'], row!['Masquerading'], row!['Severity']], ['C:\\ProgramData\\WindowsUpdate', true, 'high']);
  });
});

describe('branch 3 — copy commands naming a staging folder', () => {
  const cases: Array<[string, string, boolean]> = [
    ['C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'pwsh -c "Copy-Item C:\\d\\* $env:TEMP\\x"', true],
    ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell cpi C:\\d\\a.txt C:\\Users\\Public\\x', true],
    ['C:\\Windows\\System32\\cmd.exe', 'cmd /c copy C:\\d\\a.txt %PUBLIC%\\x', true],
    ['C:\\Windows\\System32\\cmd.exe', 'cmd /c "for /R c: %f in (*.docx) do copy %f c:\\temp\\"', true],
    ['/usr/bin/find', 'find /home -name *.pdf -exec cp {} /var/tmp/.x/ ;', true],
    ['/usr/bin/rsync', 'rsync -a /srv/data/ /dev/shm/d/', true],
    ['C:\\Program Files\\Microsoft Office\\WINWORD.EXE', 'winword /copy C:\\Users\\Public\\x.docx', false],
    ['C:\\Windows\\System32\\cmd.exe', 'cmd /c copy a.txt D:\\backup\\', false],
    ['C:\\Windows\\System32\\cmd.exe', 'cmd /c echo photocopy %TEMP%\\x', false],
  ];
  for (const [image, commandLine, fires] of cases) {
    test(`${fires ? 'fires' : 'silent'}: ${commandLine}`, async () => {
      assert.deepEqual(types(await run({ DeviceProcessEvents: [processRow(image, commandLine)] })), fires ? ['BulkCopyCommand'] : []);
    });
  }
});

describe('branch 4 — archiving with a password, into a staging folder, or after a copy', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['C:\\Program Files\\7-Zip\\7z.exe', '"C:\\Program Files\\7-Zip\\7z.exe" a -pS3cret out.7z C:\\data', 'PasswordArchive'],
    ['C:\\Program Files\\WinRAR\\Rar.exe', 'rar.exe a -hp"blue" out.rar C:\\data', 'PasswordArchive'],
    ['C:\\Program Files\\7-Zip\\7z.exe', '7z.exe a -mhe=on out.7z C:\\data', 'PasswordArchive'],
    ['/usr/bin/zip', 'zip -P pw out.zip f', 'PasswordArchive'],
    ['/usr/bin/zip', 'zip -e out.zip f', 'PasswordArchive'],
    ['/usr/bin/gpg', 'gpg -c secrets.tar', 'PasswordArchive'],
    ['/usr/bin/openssl', 'openssl enc -aes-256-cbc -in a -out b', 'PasswordArchive'],
    ['C:\\Program Files\\7-Zip\\7z.exe', '7z.exe a -sdel out.7z C:\\data', undefined],
    ['/usr/bin/tar', 'tar czf /home/u/out.tgz /home/u/docs', undefined],
    ['/usr/bin/tar', 'tar czf /tmp/out.tgz /home/u/docs', 'ArchiveCommand'],
    ['C:\\Windows\\System32\\makecab.exe', 'makecab.exe C:\\Temp\\sam.hiv C:\\Temp\\art.zip', 'ArchiveCommand'],
    ['C:\\Windows\\System32\\makecab.exe', 'makecab.exe C:\\Users\\u\\AppData\\Local\\Temp\\CRYPTBASE.dll C:\\Users\\u\\AppData\\Local\\Temp\\x.cab', undefined],
  ];
  for (const [image, commandLine, expected] of cases) {
    test(`${expected ?? 'silent'}: ${commandLine}`, async () => {
      const rows = await run({ DeviceProcessEvents: [processRow(image, commandLine)] });
      assert.deepEqual(types(rows), expected ? [expected] : []);
      if (expected === 'PasswordArchive') assert.deepEqual([rows[0]!['PasswordProtected'], rows[0]!['Severity']], [true, 'high']);
    });
  }
});

describe('branch 5 and remote SMB writes — T1074.002', () => {
  test('a copy naming an administrative share alerts high; a plain share or no copy verb does not', async () => {
    assert.deepEqual(types(await run({ DeviceProcessEvents: [processRow('C:\\Windows\\System32\\Robocopy.exe', 'robocopy \\\\srv\\C$\\data D:\\x /E')] })), ['RemoteShareCopy']);
    assert.deepEqual(types(await run({ DeviceProcessEvents: [processRow('C:\\Windows\\System32\\cmd.exe', 'cmd /c copy \\\\srv\\ADMIN$\\a.exe D:\\')] })), ['RemoteShareCopy']);
    assert.deepEqual(await run({ DeviceProcessEvents: [processRow('C:\\Windows\\System32\\cmd.exe', 'cmd /c dir \\\\srv\\C$')] }), []);
    assert.deepEqual(await run({ DeviceProcessEvents: [processRow('C:\\Windows\\System32\\cmd.exe', 'cmd /c copy \\\\srv\\share\\a.txt D:\\')] }), []);
  });

  test('one file written over SMB into a staging folder alerts; into C:\\Windows it does not', async () => {
    const smb = (path: string) => fileRow(path, { InitiatingProcessFileName: 'System', InitiatingProcessId: 4, InitiatingProcessFolderPath: '', RequestProtocol: 'SMB', RequestSourceIP: '10.1.1.9', RequestAccountName: 'adm' });
    const rows = await run({ DeviceFileEvents: [smb('C:\\ProgramData\\x\\tool.dll')] });
    assert.deepEqual(rows.map((r) => [r['StagingType'], r['Severity'], r['RemoteIP'], r['AccountName']]), [['RemoteSmbStaging', 'high', '10.1.1.9', 'adm']]);
    assert.deepEqual(await run({ DeviceFileEvents: [smb('C:\\Windows\\PSEXESVC.exe')] }), []);
  });
});

describe('branch 6 — output into a staging folder (low)', () => {
  test('a download or redirect into a staging folder is a low lead; elsewhere nothing', async () => {
    const [row] = await run({ DeviceProcessEvents: [processRow('/usr/bin/bash', 'bash -c "curl -s https://x/y.sh -o /tmp/y.sh"')] });
    assert.deepEqual([row!['StagingType'], row!['Severity'], row!['StagingFolder']], ['OutputToStaging', 'low', '/tmp/y.sh']);
    assert.deepEqual(await run({ DeviceProcessEvents: [processRow('/usr/bin/bash', 'bash -c "curl -s https://x/y.sh -o /home/u/y.sh"')] }), []);
  });
});
