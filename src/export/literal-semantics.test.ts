/**
 * The literal tests (equals, contains, startswith, endswith) as each language writes them, read back
 * and evaluated here, must agree with what they stand for on real text: the staging needles of both
 * rules (backslashes, `$`, `%`, `.`) against every command line and path of the scenarios. This checks
 * the escaping — string literals, SPL regular expressions, ES|QL LIKE wildcards — not the engines.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SCENARIOS_DIR } from '../detections/builtin-rules.js';
import { loadRule } from '../detections/rules.js';
import { loadScenarios } from '../detections/scenario.js';
import { repoPath } from '../testing/repo.js';
import { EQL_DIALECT, ESQL_DIALECT } from './elastic.js';
import { extractPortableRule } from './extract.js';
import type { Condition, MatchOp } from './portable.js';
import { SPL_DIALECT } from './splunk.js';

type LiteralOp = Exclude<MatchOp, 'regex'>;

/** The KQL meaning: what the portable condition says. */
function holds(op: LiteralOp, value: string, text: string, caseSensitive: boolean): boolean {
  const [v, t] = caseSensitive ? [value, text] : [value.toLowerCase(), text.toLowerCase()];
  return op === 'equals' ? t === v : op === 'contains' ? t.includes(v) : op === 'startswith' ? t.startsWith(v) : t.endsWith(v);
}

/** A double-quoted literal of SPL, ES|QL or EQL, read back (the exporters escape only \\ \" \t \n \r, as JSON does). */
function unquote(literal: string): string {
  return JSON.parse(literal) as string;
}

function splHolds(rendered: string, text: string): boolean {
  const m = /^match\(F, ("(?:[^"\\]|\\.)*")\)$/.exec(rendered);
  if (m) {
    const pattern = unquote(m[1]!);
    const insensitive = pattern.startsWith('(?i)');
    return new RegExp(insensitive ? pattern.slice(4) : pattern, insensitive ? 'i' : '').test(text);
  }
  const eq = /^(lower\(F\)|F)=("(?:[^"\\]|\\.)*")$/.exec(rendered);
  assert.ok(eq, rendered);
  return (eq[1] === 'F' ? text : text.toLowerCase()) === unquote(eq[2]!);
}

function likeHolds(pattern: string, subject: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(subject);
}

function esqlHolds(rendered: string, text: string): boolean {
  const m = /^(TO_LOWER\(F\)|F) (LIKE|==) ("(?:[^"\\]|\\.)*")$/.exec(rendered);
  assert.ok(m, rendered);
  const subject = m[1] === 'F' ? text : text.toLowerCase();
  const value = unquote(m[3]!);
  return m[2] === '==' ? subject === value : likeHolds(value, subject);
}

/** EQL `like`/`like~`: `*` and `?` are wildcards; the value has no escapes of its own. */
function eqlHolds(rendered: string, text: string): boolean {
  const m = /^F (like~?|==|in~?) \(?("(?:[^"\\]|\\.)*")\)?$/.exec(rendered);
  assert.ok(m, rendered);
  const insensitive = m[1]!.endsWith('~');
  const [subject, value] = insensitive ? [text.toLowerCase(), unquote(m[2]!).toLowerCase()] : [text, unquote(m[2]!)];
  if (!m[1]!.startsWith('like')) return subject === value;
  return new RegExp(`^${value.split('*').map((part) => part.split('?').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]')).join('[\\s\\S]*')}$`).test(subject);
}

describe('literal tests as SPL, ES|QL and EQL write them', () => {
  const needles = new Set<string>();
  const collect = (c: Condition): void => {
    if (c.kind === 'match' && c.op !== 'regex') for (const v of c.values) if (v !== '' && !/[*?]/.test(v)) needles.add(v);
    if (c.kind === 'and' || c.kind === 'or') c.items.forEach(collect);
    if (c.kind === 'not') collect(c.item);
  };
  for (const name of ['t1074-seed', 't1074-data-staged']) for (const b of extractPortableRule(loadRule(repoPath('rules', name))).branches) collect(b.filter);
  const texts = loadScenarios(SCENARIOS_DIR).flatMap((s) => s.spec.events.flatMap((e) => [e.process?.commandLine, e.process?.image, ...(e.files?.names.map((n) => `${e.files!.folder}\\${n}`) ?? [])]))
    .filter((t): t is string => typeof t === 'string');
  const values = [...needles];

  test('agree with the condition on every scenario text', () => {
    assert.ok(values.length >= 20 && texts.length >= 100, `${values.length} needles, ${texts.length} texts`);
    let agreements = 0;
    for (const op of ['equals', 'contains', 'startswith', 'endswith'] as LiteralOp[]) {
      for (const caseSensitive of [false, true]) {
        for (const value of values) {
          const spl = SPL_DIALECT.match('F', op, [value], caseSensitive, [])!;
          const esql = ESQL_DIALECT.match('F', op, [value], caseSensitive, [])!;
          const eql = EQL_DIALECT.match('F', op, [value], caseSensitive, [])!;
          for (const text of [...texts, value, `x${value}x`, value.toUpperCase()]) {
            const expected = holds(op, value, text, caseSensitive);
            assert.equal(splHolds(spl, text), expected, `SPL ${spl} on ${text}`);
            assert.equal(esqlHolds(esql, text), expected, `ES|QL ${esql} on ${text}`);
            assert.equal(eqlHolds(eql, text), expected, `EQL ${eql} on ${text}`);
            if (expected) agreements++;
          }
        }
      }
    }
    assert.ok(agreements > 500, `only ${agreements} positive cases`);
  });
});
