/**
 * The export targets: one entry per format a rule can be written in. The CLI lists, selects and runs
 * them from here; adding a target is adding an entry.
 */
import type { Rule } from '../detections/rules.js';
import type { ExportedFile } from './exported-file.js';
import { exportNavigator } from './navigator.js';
import { exportSentinelArm, exportSentinelYaml } from './sentinel.js';

export { ExportError, type ExportedFile } from './exported-file.js';

export interface Exporter {
  target: string;
  description: string;
  export(rule: Rule): ExportedFile[];
}

export const EXPORTERS: readonly Exporter[] = [
  { target: 'sentinel', description: 'Microsoft Sentinel scheduled analytics rule (content-repository YAML)', export: exportSentinelYaml },
  { target: 'sentinel-arm', description: 'Microsoft Sentinel analytics rule as an ARM deployment template', export: exportSentinelArm },
  { target: 'navigator', description: 'MITRE ATT&CK Navigator layer (format 4.5) scored by the scenarios the rule detects', export: exportNavigator },
];

export function findExporter(target: string): Exporter | undefined {
  return EXPORTERS.find((e) => e.target === target);
}
