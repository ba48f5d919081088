/** Helpers for the detection tests: temporary folders and a minimal in-memory rule. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Rule, RuleMetadata } from './rules.js';

export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'stagehunt-detections-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

/** A rule whose query is not run: for alert-building and tuning tests over hand-made result rows. */
export function fakeRule(overrides: Partial<RuleMetadata> = {}): Rule {
  const meta: RuleMetadata = {
    id: '00000000-0000-4000-8000-000000000000', name: 'fake-rule', title: 'Fake rule for tests', description: 'a rule used by unit tests only',
    attack: { tactics: ['Collection'], technique: 'T1074', subTechniques: ['T1074.001'] },
    severity: 'medium', confidence: 'medium', dataSources: ['tests'], requiredTables: ['DeviceFileEvents'],
    entities: {
      host: ['DeviceName'], account: ['AccountName'],
      process: { name: ['ProcessFileName'], path: ['ProcessFolderPath'], signer: ['ProcessCompany'], parentPath: ['ParentFolderPath'] },
      file: ['StagingFolder'], ip: ['RemoteIP'],
    },
    alerting: { groupBy: ['host', 'account'], window: '1h', branchColumn: 'StagingType', severityColumn: 'Severity' },
    query: 'query.kql', schedule: { frequency: '1h', lookback: '24h' }, falsePositives: [], references: [],
    ...overrides,
  };
  return { meta, dir: '/nonexistent', queryFile: '/nonexistent/query.kql', query: '', pivots: [] };
}
