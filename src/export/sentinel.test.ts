import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { loadRule, type Rule, type RuleMetadata } from '../detections/rules.js';
import { runQuery } from '../run-query.js';
import { repoPath } from '../testing/repo.js';
import { ExportError } from './exported-file.js';
import {
  ARM_API_VERSION, entityMappings, exportSentinelArm, exportSentinelYaml, MAX_ENTITY_MAPPINGS, MAX_IDENTIFIERS_PER_ENTITY, MAX_QUERY_LENGTH,
} from './sentinel.js';

const seed = loadRule(repoPath('rules', 't1074-seed'));
const improved = loadRule(repoPath('rules', 't1074-data-staged'));

function withMeta(rule: Rule, patch: Partial<RuleMetadata>, query = rule.query): Rule {
  return { ...rule, meta: { ...rule.meta, ...patch }, query };
}

function yamlOf(rule: Rule): Record<string, any> {
  const [file] = exportSentinelYaml(rule);
  return parse(file!.content) as Record<string, any>;
}

function armOf(rule: Rule): Record<string, any> {
  const [file] = exportSentinelArm(rule);
  return JSON.parse(file!.content) as Record<string, any>;
}

async function outputColumns(query: string): Promise<string[]> {
  const result = await runQuery(query, { tables: {}, now: '2026-11-28T00:00:00Z' });
  return result.columns.map((c) => c.name);
}

describe('sentinel (content-repository YAML)', () => {
  test('carries the rule metadata in the fields Sentinel reads', () => {
    const doc = yamlOf(seed);
    assert.equal(doc.id, seed.meta.id);
    assert.equal(doc.name, seed.meta.title);
    assert.equal(doc.kind, 'Scheduled');
    assert.equal(doc.severity, 'High');
    assert.deepEqual(doc.requiredDataConnectors, [{ connectorId: 'MicrosoftThreatProtection', dataTypes: ['DeviceFileEvents', 'DeviceProcessEvents'] }]);
    assert.equal(doc.queryFrequency, '1h');
    assert.equal(doc.queryPeriod, '1d');
    assert.equal(doc.triggerOperator, 'gt');
    assert.equal(doc.triggerThreshold, 0);
    assert.deepEqual(doc.tactics, ['Collection']);
    assert.deepEqual(doc.relevantTechniques, ['T1074', 'T1074.001']);
    assert.match(doc.version, /^\d+\.\d+\.\d+$/);
  });

  test('the seed query is carried byte for byte', () => {
    assert.equal(yamlOf(seed).query, seed.query);
    assert.match(exportSentinelYaml(seed)[0]!.content, /^# .*\n# The query is query\.kql verbatim\.\n/);
  });

  test('a query over the length limit loses only comments and indentation, and says so', () => {
    assert.ok(improved.query.length > MAX_QUERY_LENGTH, 'the improved rule is expected to exceed the limit');
    const doc = yamlOf(improved);
    assert.ok(doc.query.length <= MAX_QUERY_LENGTH);
    assert.doesNotMatch(doc.query, /^\s*\/\//m);
    assert.match(exportSentinelYaml(improved)[0]!.content, /# The query is query\.kql without comments and indentation \(\d+ characters as written; Sentinel accepts 10000\)\./);
  });

  test('a query that does not fit even compacted is refused', () => {
    const long = `print s = "${'x'.repeat(MAX_QUERY_LENGTH)}"\n`;
    assert.throws(() => exportSentinelYaml(withMeta(seed, {}, long)), (e: Error) => e instanceof ExportError && /Sentinel accepts 10000/.test(e.message));
  });

  test('maps host, account, command line, file and IP of the improved rule to output columns of its query', async () => {
    const doc = yamlOf(improved);
    assert.deepEqual(doc.entityMappings.map((m: any) => m.entityType), ['Host', 'Account', 'Process', 'File', 'IP']);
    assert.deepEqual(doc.entityMappings[3].fieldMappings, [{ identifier: 'Name', columnName: 'FileName' }, { identifier: 'Directory', columnName: 'StagingFolder' }]);
    const columns = await outputColumns(improved.query);
    for (const mapping of doc.entityMappings) {
      for (const field of mapping.fieldMappings) assert.ok(columns.includes(field.columnName), `${field.columnName} is not an output column`);
    }
  });

  test('the seed maps its two command-line columns as two Process entities', async () => {
    const doc = yamlOf(seed);
    assert.deepEqual(doc.entityMappings.map((m: any) => `${m.entityType}:${m.fieldMappings.map((f: any) => `${f.identifier}=${f.columnName}`).join('+')}`), [
      'Host:HostName=DeviceName', 'Account:Name=AccountName', 'Process:CommandLine=ProcessCommandLine', 'File:Directory=FolderPath',
      'Process:CommandLine=InitiatingProcessCommandLine',
    ]);
    const columns = await outputColumns(seed.query);
    for (const m of doc.entityMappings) for (const f of m.fieldMappings) assert.ok(columns.includes(f.columnName), f.columnName);
  });

  test('groups alerts into incidents by the entities of alerting.groupBy, within alerting.window', () => {
    const grouping = yamlOf(improved).incidentConfiguration.groupingConfiguration;
    assert.deepEqual(grouping.groupByEntities, ['Host', 'Account']);
    assert.equal(grouping.matchingMethod, 'Selected');
    assert.equal(grouping.lookbackDuration, '1h');
    assert.equal(yamlOf(improved).alertDetailsOverride.alertDisplayNameFormat, `${improved.meta.title}: {{StagingType}}`);
  });

  test('refuses schedules Sentinel does not accept', () => {
    const tooOften = withMeta(seed, { schedule: { frequency: '1m', lookback: '1h' } });
    assert.throws(() => exportSentinelYaml(tooOften), /schedule\.frequency 1m is outside what Sentinel accepts \(5m to 14d\)/);
    const gaps = withMeta(seed, { schedule: { frequency: '2h', lookback: '1h' } });
    assert.throws(() => exportSentinelYaml(gaps), /schedule\.lookback 1h is shorter than schedule\.frequency 2h/);
    const tooLong = withMeta(seed, { schedule: { frequency: '1d', lookback: '15d' } });
    assert.throws(() => exportSentinelArm(tooLong), (e: Error) => e instanceof ExportError && /lookback 15d/.test(e.message));
  });
});

describe('entityMappings', () => {
  test('keeps within Sentinel limits and names the columns left out', () => {
    const { mappings, unmapped } = entityMappings({
      host: ['DeviceName', 'RemoteDeviceName'],
      account: ['AccountName', 'RequestAccountName'],
      process: { name: ['FileName'], commandLine: ['ProcessCommandLine', 'InitiatingProcessCommandLine'] },
      file: ['FileName', 'FolderPath', 'TargetFileName'],
      ip: ['RemoteIP', 'LocalIP'],
    });
    assert.equal(mappings.length, MAX_ENTITY_MAPPINGS);
    assert.ok(mappings.every((m) => m.fieldMappings.length <= MAX_IDENTIFIERS_PER_ENTITY));
    assert.deepEqual(mappings.map((m) => m.entityType), ['Host', 'Account', 'Process', 'File', 'IP']);
    assert.deepEqual(unmapped, ['RemoteDeviceName', 'RequestAccountName', 'InitiatingProcessCommandLine', 'TargetFileName', 'LocalIP']);
  });

  test('a rule with only a host maps only the host', () => {
    assert.deepEqual(entityMappings({ host: ['DeviceName'] }), { mappings: [{ entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'DeviceName' }] }], unmapped: [] });
  });

  test('the columns left out are named in the exported file', () => {
    const crowded = withMeta(seed, { entities: { host: ['DeviceName', 'A', 'B', 'C', 'D', 'E'] } });
    assert.match(exportSentinelYaml(crowded)[0]!.content, /# Not mapped to entities \(Sentinel allows 5 entity mappings per rule\): E\.\n/);
  });
});

describe('sentinel-arm (deployment template)', () => {
  const ISO_DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/;

  test('is a deployment template with a workspace parameter and one alert rule', () => {
    const template = armOf(seed);
    assert.equal(template.$schema, 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#');
    assert.match(template.contentVersion, /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(template.parameters.workspace.type, 'string');
    assert.equal(template.resources.length, 1);
    const [resource] = template.resources;
    assert.equal(resource.type, 'Microsoft.OperationalInsights/workspaces/providers/alertRules');
    assert.equal(resource.kind, 'Scheduled');
    assert.equal(resource.apiVersion, ARM_API_VERSION);
    assert.equal(resource.name, `[concat(parameters('workspace'), '/Microsoft.SecurityInsights/${seed.meta.id}')]`);
    assert.match(resource.id, /^\[concat\(resourceId\('Microsoft\.OperationalInsights\/workspaces\/providers', parameters\('workspace'\), 'Microsoft\.SecurityInsights'\), '\/alertRules\/[0-9a-f-]{36}'\)\]$/);
  });

  test('has the scheduled-rule properties with their types', () => {
    for (const rule of [seed, improved]) {
      const p = armOf(rule).resources[0].properties;
      const types: Record<string, string> = {
        displayName: 'string', description: 'string', severity: 'string', enabled: 'boolean', query: 'string', queryFrequency: 'string',
        queryPeriod: 'string', triggerOperator: 'string', triggerThreshold: 'number', suppressionDuration: 'string',
        suppressionEnabled: 'boolean', tactics: 'object', techniques: 'object', entityMappings: 'object', incidentConfiguration: 'object',
        eventGroupingSettings: 'object',
      };
      for (const [key, type] of Object.entries(types)) assert.equal(typeof p[key], type, `${rule.meta.name}: properties.${key}`);
      assert.ok(['Informational', 'Low', 'Medium', 'High'].includes(p.severity));
      assert.ok(['GreaterThan', 'LessThan', 'Equal', 'NotEqual'].includes(p.triggerOperator));
      for (const key of ['queryFrequency', 'queryPeriod', 'suppressionDuration']) assert.match(p[key], ISO_DURATION, key);
      assert.match(p.incidentConfiguration.groupingConfiguration.lookbackDuration, ISO_DURATION);
      assert.ok(p.techniques.every((t: string) => /^T\d{4}$/.test(t)), `parent techniques only: ${p.techniques}`);
      for (const m of p.entityMappings) assert.ok(m.fieldMappings.every((f: any) => typeof f.identifier === 'string' && typeof f.columnName === 'string'));
    }
  });

  test('durations and query agree with the rule', () => {
    const p = armOf(seed).resources[0].properties;
    assert.equal(p.queryFrequency, 'PT1H');
    assert.equal(p.queryPeriod, 'P1D');
    assert.equal(p.query, seed.query);
    assert.deepEqual(p.techniques, ['T1074']);
    assert.equal(armOf(improved).resources[0].properties.query, yamlOf(improved).query);
  });
});
