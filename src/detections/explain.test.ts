import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runQuery } from '../run-query.js';
import { buildAlerts } from './alerts.js';
import { SCENARIOS_DIR } from './builtin-rules.js';
import { explainAlert, fillPivot, kqlString, pivotParameters } from './explain.js';
import { loadRulePack } from './rules.js';
import { loadScenarios, variantPath } from './scenario.js';

const pack = loadRulePack();
const improved = pack.find((r) => r.meta.name === 't1074-data-staged')!;

describe('pivot parameters', () => {
  test('strings become escaped KQL literals, times datetime literals; other lines stay', () => {
    assert.equal(kqlString('C:\\a "b"'), '"C:\\\\a \\"b\\""');
    const text = 'let AlertDevice = "x";\nlet AlertStart = datetime(2020-01-01);\nlet Other = 1;\nT | take 1';
    assert.equal(fillPivot(text, { AlertDevice: 'ws\\1', AlertStart: '2026-11-27T09:14:02.118427Z', AlertProcess: 'unused.exe' }),
      'let AlertDevice = "ws\\\\1";\nlet AlertStart = datetime(2026-11-27T09:14:02.118427Z);\nlet Other = 1;\nT | take 1');
  });
});

describe('pivots run on our engine over the scenarios, filled from real alerts', () => {
  const scenarios = loadScenarios(SCENARIOS_DIR).filter((s) => s.spec.kind === 'attack');

  test('every pivot of every rule runs for every attack scenario alert', async () => {
    let ran = 0;
    for (const scenario of scenarios) {
      const data = variantPath(scenario, 'defender');
      for (const rule of pack) {
        const { alerts } = buildAlerts(rule, await runQuery(rule.query, { data, now: 'latest' }));
        for (const alert of alerts) {
          for (const pivot of rule.pivots) {
            const result = await runQuery(fillPivot(pivot.text, pivotParameters(alert)), { data, now: 'latest' });
            assert.ok(result.columns.length > 0, `${pivot.file} over ${scenario.spec.id}`);
            ran++;
          }
        }
      }
    }
    assert.ok(ran > 100, `${ran} pivot runs`);
  });

  test('for seed test 1, "everything the same process wrote" finds robocopy\'s twelve files in the staging folder', async () => {
    const scenario = scenarios.find((s) => s.spec.id === 'seed-1-robocopy-temp')!;
    const data = variantPath(scenario, 'defender');
    const [alert] = buildAlerts(improved, await runQuery(improved.query, { data, now: 'latest' })).alerts;
    const pivot = improved.pivots.find((p) => p.file.endsWith('process-file-writes.kql'))!;
    const params = { ...pivotParameters(alert!), AlertProcess: 'Robocopy.exe' };
    const result = await runQuery(fillPivot(pivot.text, params), { data, now: 'latest' });
    const rows = result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, r[i]])));
    assert.deepEqual(rows.map((r) => [r['Folder'], r['Files']]), [
      ['C:\\Users\\jdoe\\AppData\\Local\\Temp\\df00tech-stage', 10],
      ['C:\\Users\\jdoe\\AppData\\Local\\Temp\\df00tech-stage\\keys', 2],
    ]);
  });

  test('for seed test 5, the network pivot finds nothing after staging and the share pivot finds net use and port 445', async () => {
    const scenario = scenarios.find((s) => s.spec.id === 'seed-5-netuse-xcopy')!;
    const data = variantPath(scenario, 'defender');
    const [alert] = buildAlerts(improved, await runQuery(improved.query, { data, now: 'latest' })).alerts;
    const share = improved.pivots.find((p) => p.file.endsWith('remote-share-activity.kql'))!;
    const result = await runQuery(fillPivot(share.text, pivotParameters(alert!)), { data, now: 'latest' });
    const kinds = result.rows.map((r) => r[result.columns.findIndex((c) => c.name === 'Kind')]);
    assert.deepEqual(kinds, ['command', 'command', 'smb-connection', 'command']);
  });

  test('explain names each branch with its meaning, the evidence, and the filled pivots', async () => {
    const scenario = scenarios.find((s) => s.spec.id === 'seed-2-7zip-password')!;
    const [alert] = buildAlerts(improved, await runQuery(improved.query, { data: variantPath(scenario, 'defender'), now: 'latest' })).alerts;
    const text = explainAlert(improved, alert!);
    assert.match(text, /^HIGH t1074-data-staged — Data Staged locally or remotely/);
    assert.match(text, /PasswordArchive: an archiver run with a password or encryption flag/);
    assert.match(text, /PasswordProtected=true/);
    assert.match(text, /password\/encryption flag on the archiver: raises severity to high/);
    assert.match(text, /let AlertDevice = "ws-hr-017.corp.contoso.com";/);
    assert.equal((text.match(/\.kql$/gm) ?? []).length, improved.pivots.length);
  });
});
