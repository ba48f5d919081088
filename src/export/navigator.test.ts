import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { SCENARIOS_DIR } from '../detections/builtin-rules.js';
import { loadExpectations } from '../detections/replay.js';
import { loadScenarios } from '../detections/scenario.js';
import { loadRule } from '../detections/rules.js';
import { repoPath } from '../testing/repo.js';
import { exportNavigator, navigatorLayer } from './navigator.js';

const seed = loadRule(repoPath('rules', 't1074-seed'));
const improved = loadRule(repoPath('rules', 't1074-data-staged'));
const validateLayer = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(repoPath('test', 'schemas', 'navigator-layer-4.5.schema.json'), 'utf8')) as object);

const SCENARIOS = [
  { id: 'a-local-1', kind: 'attack' as const, technique: 'T1074.001' },
  { id: 'a-local-2', kind: 'attack' as const, technique: 'T1074.001' },
  { id: 'a-remote', kind: 'attack' as const, technique: 'T1074.002' },
  { id: 'a-archive', kind: 'attack' as const, technique: 'T1560.001' },
  { id: 'a-missed', kind: 'attack' as const, technique: 'T1074.001' },
  { id: 'b-noisy', kind: 'benign' as const, technique: 'T1074.001' },
  { id: 'a-untagged', kind: 'attack' as const },
];
const EXPECTATIONS = {
  'a-local-1': { fires: true }, 'a-local-2': { fires: true }, 'a-remote': { fires: true }, 'a-archive': { fires: true },
  'a-missed': { fires: false }, 'b-noisy': { fires: true }, 'a-untagged': { fires: true },
};

function byId(layer: ReturnType<typeof navigatorLayer>) {
  return Object.fromEntries(layer.techniques.map((t) => [t.techniqueID, t]));
}

describe('navigatorLayer', () => {
  test('scores a technique by the attack scenarios the rule is expected to detect', () => {
    const t = byId(navigatorLayer(seed, SCENARIOS, EXPECTATIONS));
    assert.equal(t['T1074.001']!.score, 2, 'a missed attack and a benign scenario do not count');
    assert.equal(t['T1074.001']!.comment, '2 attack scenarios detected: a-local-1, a-local-2');
    assert.deepEqual(t['T1074.001']!.metadata, [{ name: 'scenario', value: 'a-local-1' }, { name: 'scenario', value: 'a-local-2' }]);
    assert.equal(t['T1074.002']!.score, 1, 'a technique proven by scenarios is listed even when rule.yaml does not claim it');
    assert.equal(t['T1560.001']!.score, 1);
  });

  test('a parent technique counts the scenarios of its sub-techniques', () => {
    const t = byId(navigatorLayer(seed, SCENARIOS, EXPECTATIONS));
    assert.equal(t['T1074']!.score, 3);
    assert.equal(t['T1074']!.showSubtechniques, true);
    assert.equal(t['T1560'], undefined, 'no parent is invented for a scenario-only sub-technique');
  });

  test('a claimed technique no scenario proves stays, at score 0 and marked', () => {
    const t = byId(navigatorLayer(improved, SCENARIOS, {}));
    assert.deepEqual(Object.keys(t).sort(), ['T1074', 'T1074.001', 'T1074.002']);
    for (const technique of Object.values(t)) {
      assert.equal(technique.score, 0);
      assert.equal(technique.color, '#ffffff');
      assert.equal(technique.comment, 'claimed in rule.yaml; no attack scenario proves it yet');
    }
  });

  test('the gradient spans the scores and the legend names its ends', () => {
    const layer = navigatorLayer(seed, SCENARIOS, EXPECTATIONS);
    assert.deepEqual([layer.gradient.minValue, layer.gradient.maxValue], [0, 3]);
    assert.deepEqual(layer.legendItems.map((l) => l.label), ['claimed, not proven by a scenario', '1 attack scenario detected', '3 attack scenarios detected']);
    const empty = navigatorLayer(seed, [], {});
    assert.ok(empty.gradient.maxValue > empty.gradient.minValue, 'maxValue must exceed minValue');
  });

  test('is a valid layer 4.5 for both rules over the real scenarios', () => {
    for (const rule of [seed, improved]) {
      const layer = JSON.parse(exportNavigator(rule)[0]!.content) as unknown;
      assert.ok(validateLayer(layer), `${rule.meta.name}: ${JSON.stringify(validateLayer.errors)}`);
    }
  });

  test('the schema check catches a broken layer', () => {
    const layer = navigatorLayer(seed, SCENARIOS, EXPECTATIONS) as unknown as Record<string, any>;
    assert.ok(validateLayer(layer));
    assert.equal(validateLayer({ ...layer, versions: { ...layer.versions, layer: '4.4' } }), false);
    assert.equal(validateLayer({ ...layer, techniques: [{ techniqueID: 'T74' }] }), false);
    assert.equal(validateLayer({ ...layer, gradient: { colors: ['#ffffff'], minValue: 0, maxValue: 1 } }), false);
  });

  test('over the real scenarios, the improved rule proves more than the seed', () => {
    const scenarios = loadScenarios(SCENARIOS_DIR).map((s) => s.spec);
    const layers = [improved, seed].map((rule) => navigatorLayer(rule, scenarios, loadExpectations(rule)));
    const detected = layers.map((layer) => Number(layer.metadata.find((m) => m.name === 'attack scenarios detected')!.value));
    const attacks = scenarios.filter((s) => s.kind === 'attack' && s.technique).length;
    assert.equal(detected[0], attacks, 'the improved rule detects every written attack scenario');
    assert.ok(detected[1]! < detected[0]!, `seed ${detected[1]} vs improved ${detected[0]}`);
    const [improvedScore, seedScore] = layers.map((layer) => byId(layer)['T1074']!.score);
    assert.ok(improvedScore! > seedScore!, `T1074: ${improvedScore} vs ${seedScore}`);
  });
});
