import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SCENARIOS_DIR } from './builtin-rules.js';
import { normalisedTables } from './replay.js';
import { auditdLog, defenderRows, loadScenario, loadScenarios, type ScenarioSpec, staleVariantFiles, sysmonXml } from './scenario.js';
import { tempTree } from './test-support.js';
import { ContentError } from './validate.js';

const LINUX: ScenarioSpec = {
  id: 'mini', title: 'Mini Linux scenario', kind: 'attack', platform: 'linux', source: 'unit test', description: 'cp into /tmp/.x',
  device: 'lnx1', user: 'alice', start: '2026-11-27T10:00:00.250Z',
  events: [
    { at: 0, process: { id: 'sh', image: '/usr/bin/bash', pid: 100, parentPid: 1, argv: ['bash', '-c', 'cp -r /home/alice/d /tmp/.x/'] } },
    { at: 10, process: { id: 'cp', image: '/usr/bin/cp', pid: 101, parent: 'sh', argv: ['cp', '-r', '/home/alice/d', '/tmp/.x/'] } },
    { at: 20, files: { by: 'cp', folder: '/tmp/.x', names: ['a.txt', 'b.txt'], stepMs: 5 } },
  ],
};

const WINDOWS: ScenarioSpec = {
  id: 'win', title: 'Mini Windows scenario', kind: 'attack', platform: 'windows', source: 'unit test', description: 'robocopy and an SMB write',
  device: 'ws1.contoso.com', domain: 'contoso', user: 'jdoe', start: '2026-11-27T10:00:00Z',
  events: [
    { at: 0, process: { id: 'r', image: 'C:\\Windows\\System32\\Robocopy.exe', pid: 42, parentImage: 'C:\\Windows\\System32\\cmd.exe', parentPid: 40, commandLine: 'robocopy a "C:\\Users\\Public\\s 1" /E', company: 'Microsoft Corporation' } },
    { at: 100, files: { by: 'r', folder: 'C:\\Users\\Public\\s 1', names: ['x&y.docx'] } },
    { at: 200, smb: { folder: 'C:\\ProgramData\\p', names: ['in.dll'], sourceIp: '10.1.1.1', account: 'adm', share: 'C$' } },
    { at: 300, connect: { by: 'r', remoteIp: '10.2.2.2', remotePort: 445 } },
  ],
};

describe('scenario rendering: Defender rows', () => {
  test('processes, files, SMB writes and connections become Defender rows with their times and initiating process', () => {
    const tables = defenderRows(WINDOWS);
    const [proc] = tables['DeviceProcessEvents']!;
    assert.equal(proc!['Timestamp'], '2026-11-27T10:00:00.0000000Z');
    assert.equal(proc!['FileName'], 'Robocopy.exe');
    assert.equal(proc!['InitiatingProcessFileName'], 'cmd.exe');
    assert.equal(proc!['ProcessCommandLine'], 'robocopy a "C:\\Users\\Public\\s 1" /E');
    const [file, smb] = tables['DeviceFileEvents']!;
    assert.deepEqual([file!['Timestamp'], file!['FolderPath'], file!['FileName'], file!['InitiatingProcessFolderPath'], file!['InitiatingProcessVersionInfoCompanyName']],
      ['2026-11-27T10:00:00.1000000Z', 'C:\\Users\\Public\\s 1\\x&y.docx', 'x&y.docx', 'C:\\Windows\\System32\\Robocopy.exe', 'Microsoft Corporation']);
    assert.deepEqual([smb!['RequestProtocol'], smb!['InitiatingProcessFileName'], smb!['InitiatingProcessId'], smb!['RequestSourceIP'], smb!['RequestAccountName']],
      ['SMB', 'System', 4, '10.1.1.1', 'adm']);
    assert.equal(tables['DeviceNetworkEvents']![0]!['RemotePort'], 445);
  });

  test('file lists are spaced by stepMs and Linux argv is joined as the audit normaliser joins it', () => {
    const tables = defenderRows(LINUX);
    assert.deepEqual(tables['DeviceFileEvents']!.map((r) => r['Timestamp']), ['2026-11-27T10:00:00.2700000Z', '2026-11-27T10:00:00.2750000Z']);
    assert.equal(tables['DeviceProcessEvents']![0]!['ProcessCommandLine'], 'bash -c "cp -r /home/alice/d /tmp/.x/"');
  });
});

describe('scenario rendering through the normalisers', () => {
  test('Sysmon XML normalises back to the same paths, processes and SMB writer (System, PID 4)', async () => {
    const dir = tempTree({ 'sysmon.xml': sysmonXml(WINDOWS) });
    const tables = await normalisedTables(join(dir, 'sysmon.xml'));
    const [proc] = tables['DeviceProcessEvents'] as Array<Record<string, unknown>>;
    assert.equal(proc!['FolderPath'], 'C:\\Windows\\System32\\Robocopy.exe');
    assert.equal(proc!['ProcessCommandLine'], 'robocopy a "C:\\Users\\Public\\s 1" /E');
    assert.equal(proc!['AccountName'], 'jdoe');
    const files = tables['DeviceFileEvents'] as Array<Record<string, unknown>>;
    assert.deepEqual(files.map((f) => [f['FolderPath'], f['InitiatingProcessFileName']]), [['C:\\Users\\Public\\s 1\\x&y.docx', 'Robocopy.exe'], ['C:\\ProgramData\\p\\in.dll', 'System']]);
    assert.equal(String(files[0]!['Timestamp']).slice(0, 23), '2026-11-27T10:00:00.100');
    assert.equal((tables['DeviceNetworkEvents'] as Array<Record<string, unknown>>)[0]!['RemoteIP'], '10.2.2.2');
  });

  test('auditd records normalise to execve rows with argv and to FileCreated rows by the writing process', async () => {
    const dir = tempTree({ 'audit.log': auditdLog(LINUX) });
    const tables = await normalisedTables(join(dir, 'audit.log'));
    const procs = tables['DeviceProcessEvents'] as Array<Record<string, unknown>>;
    assert.deepEqual(procs.map((p) => p['ProcessCommandLine']), ['bash -c "cp -r /home/alice/d /tmp/.x/"', 'cp -r /home/alice/d /tmp/.x/']);
    assert.equal(procs[1]!['InitiatingProcessFileName'], 'bash');
    assert.equal(procs[0]!['AccountName'], 'alice');
    const files = tables['DeviceFileEvents'] as Array<Record<string, unknown>>;
    assert.deepEqual(files.map((f) => [f['ActionType'], f['FolderPath'], f['InitiatingProcessFileName']]), [
      ['FileCreated', '/tmp/.x/a.txt', 'cp'], ['FileCreated', '/tmp/.x/b.txt', 'cp'],
    ]);
  });
});

describe('scenario files', () => {
  test('every scenario under scenarios/ is valid and its rendered files are up to date', () => {
    const scenarios = loadScenarios(SCENARIOS_DIR);
    assert.ok(scenarios.length >= 28, `${scenarios.length} scenarios`);
    assert.deepEqual(scenarios.flatMap(staleVariantFiles), [], 'run stagehunt test --write-scenarios');
    const families = new Set(scenarios.filter((s) => s.spec.kind === 'benign').map((s) => s.spec.family));
    for (const f of ['installer', 'backup-agent', 'software-deployment', 'log-shipper', 'developer-build']) assert.ok(families.has(f), f);
  });

  test('an event naming a process that was not started before it is refused', () => {
    const dir = tempTree({
      'bad/scenario.yaml': `id: bad\ntitle: Bad scenario\nkind: attack\nplatform: linux\nsource: unit test\ndescription: refers to nothing\ndevice: d\nuser: u\nstart: '2026-11-27T10:00:00Z'\nevents:\n  - at: 0\n    files: { by: ghost, folder: /tmp, names: [a] }\n`,
    });
    assert.throws(() => loadScenario(join(dir, 'bad')), (e: unknown) => e instanceof ContentError
      && /events\.0: process "ghost" is not started by an earlier event — fix: add a process event with id: ghost before it/.test(e.message));
  });
});
