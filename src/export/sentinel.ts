/**
 * Microsoft Sentinel scheduled analytics rule, in two forms built from one model:
 * - `sentinel`: the YAML of the Azure-Sentinel content repository (Solutions/…/Analytic Rules/*.yaml);
 * - `sentinel-arm`: an ARM deployment template creating the rule in a workspace
 *   (`Microsoft.OperationalInsights/workspaces/providers/alertRules`, Microsoft.SecurityInsights 2023-02-01).
 * The query is the rule's KQL: Sentinel runs the same language over the same Defender tables (Microsoft
 * Defender XDR connector), so nothing is lost in translation. It stays verbatim unless it exceeds Sentinel's
 * 10,000-character limit; then comments and indentation go (token for token the same query).
 */
import { stringify } from 'yaml';
import { type EntityKind, type Rule, type RuleMetadata, timespanMs } from '../detections/rules.js';
import { isoDuration, sentinelDuration } from './durations.js';
import { compactQuery } from './compact-query.js';
import { ExportError, type ExportedFile } from './exported-file.js';
import { tablesUsedBy } from './query-tables.js';

/** Sentinel's limits: entity mappings per rule (as documented for the rule wizard) and identifiers per entity. */
export const MAX_ENTITY_MAPPINGS = 5;
export const MAX_IDENTIFIERS_PER_ENTITY = 3;
/** Sentinel accepts query frequency and period between 5 minutes and 14 days. */
const MIN_SCHEDULE_MS = 5 * 60_000;
const MAX_SCHEDULE_MS = 14 * 86_400_000;
export const ARM_API_VERSION = '2023-02-01';
/** Sentinel rejects rule queries longer than this. */
export const MAX_QUERY_LENGTH = 10_000;
/** Defender XDR tables reach Sentinel through this connector (content-repository id). */
const DEFENDER_CONNECTOR = 'MicrosoftThreatProtection';
/** rule.yaml carries no version; the exported template starts at 1.0.0 (Sentinel wants a.b.c). */
const TEMPLATE_VERSION = '1.0.0';

export interface FieldMapping {
  identifier: string;
  columnName: string;
}

export interface EntityMapping {
  entityType: string;
  fieldMappings: FieldMapping[];
}

/** Everything both renderings need, decided once. */
export interface SentinelRuleModel {
  id: string;
  displayName: string;
  description: string;
  severity: string;
  tables: string[];
  frequency: string;
  period: string;
  tactics: string[];
  /** Technique and sub-technique ids, as the content repository lists them. */
  relevantTechniques: string[];
  /** The rule's query: verbatim, or without comments and indentation when only that fits the length limit. */
  query: string;
  queryCompacted: boolean;
  entityMappings: EntityMapping[];
  /** Entity columns of rule.yaml that did not fit in Sentinel's limits. */
  unmappedColumns: string[];
  /** The column naming the branch that fired, shown in the alert name. */
  branchColumn?: string;
  /** Alerts of one incident share these entities, within this window. */
  grouping: { entities: string[]; window: string };
}

export function sentinelRuleModel(rule: Rule): SentinelRuleModel {
  const meta = rule.meta;
  checkSchedule(meta);
  const { mappings, unmapped } = entityMappings(meta.entities);
  const mappedTypes = new Set(mappings.map((m) => m.entityType));
  const groupBy = (meta.alerting?.groupBy ?? []).map((kind) => ENTITY_TYPE_OF[kind]).filter((type) => mappedTypes.has(type));
  return {
    id: meta.id,
    displayName: meta.title,
    description: meta.description.trim(),
    severity: capitalise(meta.severity),
    tables: tablesUsedBy(rule.query),
    frequency: meta.schedule.frequency,
    period: meta.schedule.lookback,
    tactics: meta.attack.tactics,
    relevantTechniques: [meta.attack.technique, ...(meta.attack.subTechniques ?? [])],
    ...sentinelQuery(rule),
    entityMappings: mappings,
    unmappedColumns: unmapped,
    branchColumn: meta.alerting?.branchColumn,
    grouping: { entities: [...new Set(groupBy)], window: meta.alerting?.window ?? meta.schedule.frequency },
  };
}

function checkSchedule(meta: RuleMetadata): void {
  const problems: string[] = [];
  for (const [field, text] of [['frequency', meta.schedule.frequency], ['lookback', meta.schedule.lookback]] as const) {
    const ms = timespanMs(text);
    if (ms < MIN_SCHEDULE_MS || ms > MAX_SCHEDULE_MS) problems.push(`schedule.${field} ${text} is outside what Sentinel accepts (5m to 14d)`);
  }
  if (timespanMs(meta.schedule.lookback) < timespanMs(meta.schedule.frequency)) problems.push(`schedule.lookback ${meta.schedule.lookback} is shorter than schedule.frequency ${meta.schedule.frequency}: runs would leave gaps`);
  if (problems.length > 0) throw new ExportError(`${meta.name}: cannot schedule in Sentinel: ${problems.join('; ')}`);
}

function sentinelQuery(rule: Rule): { query: string; queryCompacted: boolean } {
  if (rule.query.length <= MAX_QUERY_LENGTH) return { query: rule.query, queryCompacted: false };
  const compact = compactQuery(rule.query);
  if (compact.length > MAX_QUERY_LENGTH) {
    throw new ExportError(`${rule.meta.name}: the query has ${rule.query.length} characters (${compact.length} without comments and indentation); Sentinel accepts ${MAX_QUERY_LENGTH} — move part of it into a saved function`);
  }
  return { query: compact, queryCompacted: true };
}

const ENTITY_TYPE_OF: Record<EntityKind, string> = { host: 'Host', account: 'Account', process: 'Process', file: 'File', ip: 'IP' };

/**
 * rule.yaml's entity columns as Sentinel entity mappings, most useful first — one Host, Account,
 * Process (command line), File and IP — then any further columns as extra mappings while the limit
 * allows. File columns naming a folder or path map to Directory, the others to Name.
 */
export function entityMappings(entities: RuleMetadata['entities']): { mappings: EntityMapping[]; unmapped: string[] } {
  const primary: EntityMapping[] = [];
  const extra: EntityMapping[] = [];
  const add = (entityType: string, identifier: string, columns: string[] | undefined) => {
    for (const [i, columnName] of (columns ?? []).entries()) (i === 0 ? primary : extra).push({ entityType, fieldMappings: [{ identifier, columnName }] });
  };
  add('Host', 'HostName', entities.host);
  add('Account', 'Name', entities.account);
  add('Process', 'CommandLine', entities.process?.commandLine);
  const files = fileMappings(entities.file ?? []);
  primary.push(...files.slice(0, 1));
  extra.push(...files.slice(1));
  add('IP', 'Address', entities.ip);
  const ordered = [...primary, ...extra];
  const mappings = ordered.slice(0, MAX_ENTITY_MAPPINGS);
  const unmapped = ordered.slice(MAX_ENTITY_MAPPINGS).flatMap((m) => m.fieldMappings.map((f) => f.columnName));
  return { mappings, unmapped };
}

/** One File entity per (Name, Directory) pair, so a folder column and a name column describe the same file. */
function fileMappings(columns: string[]): EntityMapping[] {
  const directories = columns.filter((c) => /folder|path|directory/i.test(c));
  const names = columns.filter((c) => !directories.includes(c));
  const count = Math.max(directories.length, names.length);
  const mappings: EntityMapping[] = [];
  for (let i = 0; i < count; i++) {
    const fieldMappings: FieldMapping[] = [];
    if (names[i]) fieldMappings.push({ identifier: 'Name', columnName: names[i]! });
    if (directories[i]) fieldMappings.push({ identifier: 'Directory', columnName: directories[i]! });
    mappings.push({ entityType: 'File', fieldMappings: fieldMappings.slice(0, MAX_IDENTIFIERS_PER_ENTITY) });
  }
  return mappings;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function parentTechniques(ids: string[]): string[] {
  return [...new Set(ids.map((id) => id.split('.')[0]!))];
}

function alertDetailsOverride(model: SentinelRuleModel): object | undefined {
  if (!model.branchColumn) return undefined;
  return { alertDisplayNameFormat: `${model.displayName}: {{${model.branchColumn}}}` };
}

function incidentConfiguration(model: SentinelRuleModel, lookbackDuration: string) {
  return {
    createIncident: true,
    groupingConfiguration: {
      enabled: model.grouping.entities.length > 0,
      reopenClosedIncident: false,
      lookbackDuration,
      matchingMethod: model.grouping.entities.length > 0 ? 'Selected' : 'AllEntities',
      groupByEntities: model.grouping.entities,
      groupByAlertDetails: [],
      groupByCustomDetails: [],
    },
  };
}

/** Where the file comes from and what it leaves out: a YAML header comment, the ARM template's metadata. */
function provenance(rule: Rule, model: SentinelRuleModel): string[] {
  const lines = [`${model.displayName}: exported by stagehunt from rules/${rule.meta.name}.`];
  lines.push(model.queryCompacted
    ? `The query is query.kql without comments and indentation (${rule.query.length} characters as written; Sentinel accepts ${MAX_QUERY_LENGTH}).`
    : 'The query is query.kql verbatim.');
  if (model.unmappedColumns.length > 0) {
    lines.push(`Not mapped to entities (Sentinel allows ${MAX_ENTITY_MAPPINGS} entity mappings per rule): ${model.unmappedColumns.join(', ')}.`);
  }
  return lines;
}

/** The content-repository YAML (the shape of Azure-Sentinel's Solutions/*\/Analytic Rules/*.yaml). */
export function exportSentinelYaml(rule: Rule): ExportedFile[] {
  const model = sentinelRuleModel(rule);
  const document = {
    id: model.id,
    name: model.displayName,
    description: model.description,
    severity: model.severity,
    requiredDataConnectors: [{ connectorId: DEFENDER_CONNECTOR, dataTypes: model.tables }],
    queryFrequency: sentinelDuration(model.frequency),
    queryPeriod: sentinelDuration(model.period),
    triggerOperator: 'gt',
    triggerThreshold: 0,
    tactics: model.tactics,
    relevantTechniques: model.relevantTechniques,
    query: model.query,
    entityMappings: model.entityMappings,
    ...(model.branchColumn ? { customDetails: { [model.branchColumn]: model.branchColumn } } : {}),
    ...(model.branchColumn ? { alertDetailsOverride: alertDetailsOverride(model) } : {}),
    eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
    incidentConfiguration: incidentConfiguration(model, sentinelDuration(model.grouping.window)),
    version: TEMPLATE_VERSION,
    kind: 'Scheduled',
  };
  const yaml = stringify(document, { lineWidth: 0, blockQuote: 'literal' });
  return [{ path: `sentinel/${rule.meta.name}.yaml`, content: `${provenance(rule, model).map((line) => `# ${line}\n`).join('')}${yaml}` }];
}

/** An ARM template deploying the rule into the workspace given as the `workspace` parameter. */
export function exportSentinelArm(rule: Rule): ExportedFile[] {
  const model = sentinelRuleModel(rule);
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { description: provenance(rule, model).join(' ') },
    parameters: {
      workspace: { type: 'string', metadata: { description: 'Name of the Log Analytics workspace where Microsoft Sentinel runs' } },
    },
    resources: [
      {
        id: `[concat(resourceId('Microsoft.OperationalInsights/workspaces/providers', parameters('workspace'), 'Microsoft.SecurityInsights'), '/alertRules/${model.id}')]`,
        name: `[concat(parameters('workspace'), '/Microsoft.SecurityInsights/${model.id}')]`,
        type: 'Microsoft.OperationalInsights/workspaces/providers/alertRules',
        kind: 'Scheduled',
        apiVersion: ARM_API_VERSION,
        properties: {
          displayName: model.displayName,
          description: model.description,
          severity: model.severity,
          enabled: true,
          query: model.query,
          queryFrequency: isoDuration(model.frequency),
          queryPeriod: isoDuration(model.period),
          triggerOperator: 'GreaterThan',
          triggerThreshold: 0,
          suppressionDuration: isoDuration(model.frequency),
          suppressionEnabled: false,
          tactics: model.tactics,
          // This API version takes parent techniques only; sub-techniques stay in the YAML's relevantTechniques.
          techniques: parentTechniques(model.relevantTechniques),
          entityMappings: model.entityMappings,
          ...(model.branchColumn ? { customDetails: { [model.branchColumn]: model.branchColumn } } : {}),
          ...(model.branchColumn ? { alertDetailsOverride: alertDetailsOverride(model) } : {}),
          eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
          incidentConfiguration: incidentConfiguration(model, isoDuration(model.grouping.window)),
        },
      },
    ],
  };
  return [{ path: `sentinel-arm/${rule.meta.name}.json`, content: `${JSON.stringify(template, null, 2)}\n` }];
}
