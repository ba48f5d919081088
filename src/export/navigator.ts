/**
 * MITRE ATT&CK Navigator layer (layer format 4.5) of what a rule covers, scored by evidence: a
 * technique's score is the number of ATTACK scenarios of that technique the rule is expected to detect
 * (rules/<rule>/tests/expectations.yaml says `fires: true`; `stagehunt test` checks that it does).
 * Techniques rule.yaml claims but no scenario proves stay in the layer with score 0, so the gap shows.
 */
import { SCENARIOS_DIR } from '../detections/builtin-rules.js';
import { type Expectation, loadExpectations } from '../detections/replay.js';
import type { Rule } from '../detections/rules.js';
import { loadScenarios, type ScenarioSpec } from '../detections/scenario.js';
import type { ExportedFile } from './exported-file.js';

/** Layer format 4.5 needs Navigator ≥ 4.9.0; these are the versions of the format's own example. */
export const LAYER_VERSIONS = { attack: '18', navigator: '5.2.0', layer: '4.5' } as const;
const UNPROVEN_COLOR = '#ffffff';
const PROVEN_COLORS = ['#cfe2ff', '#0b5ed7'];

export interface NavigatorTechnique {
  techniqueID: string;
  score: number;
  comment: string;
  showSubtechniques?: boolean;
  color?: string;
  metadata: Array<{ name: string; value: string }>;
}

export interface NavigatorLayer {
  name: string;
  versions: typeof LAYER_VERSIONS;
  domain: 'enterprise-attack';
  description: string;
  sorting: number;
  layout: Record<string, unknown>;
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: Array<{ label: string; color: string }>;
  showTacticRowBackground: boolean;
  metadata: Array<{ name: string; value: string }>;
}

type ScenarioFacts = Pick<ScenarioSpec, 'id' | 'kind' | 'technique'>;

/** The layer for a rule, from its metadata, the scenarios and the rule's expectations on them. */
export function navigatorLayer(rule: Rule, scenarios: ScenarioFacts[], expectations: Record<string, Expectation>): NavigatorLayer {
  const proving = scenarios.filter((s) => s.kind === 'attack' && s.technique && expectations[s.id]?.fires === true);
  const claimed = [rule.meta.attack.technique, ...(rule.meta.attack.subTechniques ?? [])];
  const ids = [...new Set([...claimed, ...proving.map((s) => s.technique!)])].sort();
  // A parent technique is proven by the scenarios of any of its sub-techniques.
  const proofsOf = (id: string) => proving.filter((s) => s.technique === id || s.technique!.startsWith(`${id}.`)).map((s) => s.id).sort();
  const techniques = ids.map((id): NavigatorTechnique => {
    const proofs = proofsOf(id);
    return {
      techniqueID: id,
      score: proofs.length,
      comment: proofs.length > 0
        ? `${proofs.length} attack scenario${proofs.length === 1 ? '' : 's'} detected: ${proofs.join(', ')}`
        : claimed.includes(id) ? 'claimed in rule.yaml; no attack scenario proves it yet' : '',
      ...(ids.some((other) => other.startsWith(`${id}.`)) ? { showSubtechniques: true } : {}),
      ...(proofs.length === 0 ? { color: UNPROVEN_COLOR } : {}),
      metadata: proofs.map((scenario) => ({ name: 'scenario', value: scenario })),
    };
  });
  const maxScore = Math.max(1, ...techniques.map((t) => t.score));
  return {
    name: `${rule.meta.name}: scenario coverage`,
    versions: LAYER_VERSIONS,
    domain: 'enterprise-attack',
    description: `${rule.meta.title}. Score = attack scenarios of the technique that the rule is expected to detect (stagehunt test checks it).`,
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, showAggregateScores: false, countUnscored: false, expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques,
    gradient: { colors: PROVEN_COLORS, minValue: 0, maxValue: maxScore },
    legendItems: [
      { label: 'claimed, not proven by a scenario', color: UNPROVEN_COLOR },
      { label: '1 attack scenario detected', color: PROVEN_COLORS[0]! },
      ...(maxScore > 1 ? [{ label: `${maxScore} attack scenarios detected`, color: PROVEN_COLORS[1]! }] : []),
    ],
    showTacticRowBackground: false,
    metadata: [
      { name: 'rule', value: `${rule.meta.name} (${rule.meta.id})` },
      { name: 'attack scenarios detected', value: String(new Set(proving.map((s) => s.id)).size) },
    ],
  };
}

export function exportNavigator(rule: Rule): ExportedFile[] {
  const layer = navigatorLayer(rule, loadScenarios(SCENARIOS_DIR).map((s) => s.spec), loadExpectations(rule));
  return [{ path: `navigator/${rule.meta.name}.layer.json`, content: `${JSON.stringify(layer, null, 2)}\n` }];
}
