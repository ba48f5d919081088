/**
 * The export targets: one entry per format a rule can be written in. The CLI lists, selects and runs
 * them from here; adding a target is adding an entry.
 */
import type { Rule } from '../detections/rules.js';
import type { ExportedFile } from './exported-file.js';
import { exportEql, exportEsql } from './elastic.js';
import { exportNavigator } from './navigator.js';
import { exportSentinelArm, exportSentinelYaml } from './sentinel.js';
import { exportSigma } from './sigma.js';
import { exportSplunk } from './splunk.js';

export { ExportError, type ExportedFile } from './exported-file.js';

export interface Exporter {
  target: string;
  description: string;
  export(rule: Rule): ExportedFile[];
  /** Printed between the files of one target on stdout; a target without one needs --out for several files. */
  stdoutSeparator?: string;
}

/** Each target's files go in a folder of its own name. */
function under(folder: string, files: ExportedFile[]): ExportedFile[] {
  return files.map((file) => ({ ...file, path: `${folder}/${file.path}` }));
}

export const EXPORTERS: readonly Exporter[] = [
  {
    target: 'sigma',
    description: 'Sigma rules, one per branch and platform, with v2 correlations for the counting branches',
    export: (rule) => under('sigma', exportSigma(rule)),
    // The files are YAML document streams: on stdout they join into one stream.
    stdoutSeparator: '---\n',
  },
  { target: 'sentinel', description: 'Microsoft Sentinel scheduled analytics rule (content-repository YAML)', export: exportSentinelYaml },
  { target: 'sentinel-arm', description: 'Microsoft Sentinel analytics rule as an ARM deployment template', export: exportSentinelArm },
  { target: 'splunk', description: 'Splunk SPL over Sysmon (Splunk Add-on for Sysmon), one search per branch', export: exportSplunk, stdoutSeparator: '\n' },
  { target: 'elastic-esql', description: 'Elastic ES|QL over ECS endpoint data, one query per branch', export: exportEsql, stdoutSeparator: '\n' },
  { target: 'elastic-eql', description: 'Elastic EQL over ECS endpoint data, one query per branch (no counting)', export: exportEql, stdoutSeparator: '\n' },
  { target: 'navigator', description: 'MITRE ATT&CK Navigator layer (format 4.5) scored by the scenarios the rule detects', export: exportNavigator },
];

export function findExporter(target: string): Exporter | undefined {
  return EXPORTERS.find((e) => e.target === target);
}

/** A target's files as one text for stdout, or undefined when they cannot be joined (then --out is needed). */
export function stdoutText(exporter: Exporter, files: ExportedFile[]): string | undefined {
  if (files.length > 1 && exporter.stdoutSeparator === undefined) return undefined;
  return files.map((f) => f.content).join(exporter.stdoutSeparator ?? '');
}
