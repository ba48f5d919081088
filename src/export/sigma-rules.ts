/**
 * Sigma files as rules of the pack: each query converted from a Sigma file (sigma-to-kql.ts)
 * becomes a Rule that `hunt` runs and turns into alerts like any other, shown under the Sigma title.
 * Entities are the Defender columns of the rule's table; the branch is the Sigma rule's title.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Rule, RuleMetadata, Severity } from '../detections/rules.js';
import { uuidV5 } from './sigma.js';
import { type SigmaQuery, sigmaToKql } from './sigma-to-kql.js';

/** Namespace of the ids given to Sigma rules that have none (a fixed, random UUID). */
const SIGMA_ID_NAMESPACE = '3f6c1d5e-8a47-4b8e-9f2d-6c0b7e41a9d3';

const ENTITIES: Record<string, RuleMetadata['entities']> = {
  DeviceProcessEvents: {
    host: ['DeviceName'],
    account: ['AccountName'],
    process: { name: ['FileName'], path: ['FolderPath'], commandLine: ['ProcessCommandLine'], parentName: ['InitiatingProcessFileName'], parentPath: ['InitiatingProcessFolderPath'] },
  },
  DeviceFileEvents: {
    host: ['DeviceName'],
    account: ['RequestAccountName', 'InitiatingProcessAccountName'],
    process: { name: ['InitiatingProcessFileName'], path: ['InitiatingProcessFolderPath'], commandLine: ['InitiatingProcessCommandLine'] },
    file: ['FolderPath'],
  },
  DeviceNetworkEvents: {
    host: ['DeviceName'],
    account: ['InitiatingProcessAccountName'],
    process: { name: ['InitiatingProcessFileName'], path: ['InitiatingProcessFolderPath'], commandLine: ['InitiatingProcessCommandLine'] },
    ip: ['RemoteIP'],
  },
};

/** The rules of one Sigma file; throws SigmaError (file:line:column) when it cannot be converted. */
export function loadSigmaFile(file: string): Rule[] {
  return sigmaRules(readFileSync(file, 'utf8'), file);
}

export function sigmaRules(text: string, file: string): Rule[] {
  return sigmaToKql(text, file).map((q) => ({ meta: metadataOf(q, file), dir: file, queryFile: file, query: q.kql, pivots: [] }));
}

export function isSigmaFile(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

function metadataOf(q: SigmaQuery, file: string): RuleMetadata {
  const techniques = q.tags.filter((t) => /^attack\.t\d{4}(\.\d{3})?$/i.test(t)).map((t) => t.slice('attack.'.length).toUpperCase());
  const technique = techniques.find((t) => !t.includes('.')) ?? techniques[0]?.split('.')[0] ?? 'unmapped';
  return {
    id: q.id ?? uuidV5(SIGMA_ID_NAMESPACE, `${basename(file)}:${q.name}`),
    name: q.name,
    title: q.title,
    description: q.description ?? q.title,
    status: q.status === 'stable' || q.status === 'deprecated' ? q.status : 'experimental',
    attack: {
      tactics: q.tags.filter((t) => /^attack\.[a-z_]+$/.test(t)).map((t) => t.slice('attack.'.length).replace(/_/g, ' ')),
      technique,
      subTechniques: techniques.filter((t) => t.includes('.')),
    },
    severity: severityOf(q.level),
    confidence: 'medium',
    dataSources: [`Sigma ${q.category}`],
    requiredTables: [q.table],
    entities: ENTITIES[q.table] ?? { host: ['DeviceName'] },
    alerting: { groupBy: ['host', 'account'], window: '1h', branchColumn: q.branchColumn },
    query: basename(file),
    schedule: { frequency: '1h', lookback: '24h' },
    falsePositives: q.falsepositives,
    references: q.references,
    // The branch of every row is the Sigma title (SigmaRule column): explain shows the description for it.
    branches: { [q.title]: q.description ?? q.title },
  };
}

/** Sigma levels → ours; `critical` has no level above `high` here. */
function severityOf(level: string | undefined): Severity {
  if (level === 'critical') return 'high';
  return level === 'informational' || level === 'low' || level === 'high' ? level : 'medium';
}
