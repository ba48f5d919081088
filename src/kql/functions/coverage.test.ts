/**
 * Function coverage against the real-world frequency table (../shared/corpus/feature-frequency.md,
 * "Scalar / aggregate functions" and "String / set predicates"): at least 97% of the distinct functions
 * and predicates it lists must be in BUILTINS (scalars, aggregates, operators), names only.
 *
 * Left out of the denominator, each for a stated reason:
 * - functions that cannot exist offline (the binder reports them with KB901);
 * - `kind = literal` rows (`dynamic()`, `datetime()`, `bool()` …): literal syntax, parsed as literals;
 * - `typeof` (`typeof(long)` is a type literal) and `toscalar` (takes a tabular expression): both are
 *   handled by the parser/binder, not by a registry entry.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedPath } from '../../testing/repo.js';
import { BUILTINS } from './builtins.js';

const OFFLINE_ONLY = new Set(['FileProfile', '_GetWatchlist', 'geo_info_from_ip_address']);
/** Handled by the binder and executor themselves (type literals, sub-queries, window functions over ordered rows). */
const NOT_REGISTRY_FUNCTIONS = new Set([
  'typeof', 'toscalar', 'row_number', 'prev', 'next', 'row_cumsum', 'row_rank_min', 'row_rank_dense', 'row_window_session',
  'column_ifexists', 'column_names_of',
]);

interface Listed {
  name: string;
  kind: 'function' | 'predicate';
  queries: number;
}

/** The rows of the markdown table that follows `heading`. */
function tableRows(markdown: string, heading: string): string[][] {
  const section = markdown.split(heading)[1]?.split('\n## ')[0] ?? '';
  return section.split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1) // the header row
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

export function listedFeatures(markdown: string): { counted: Listed[]; excluded: string[] } {
  const counted: Listed[] = [];
  const excluded: string[] = [];
  for (const [name, kind, queries] of tableRows(markdown, '## Scalar / aggregate functions')) {
    if (kind === 'literal' || OFFLINE_ONLY.has(name!)) excluded.push(name!);
    else counted.push({ name: name!, kind: 'function', queries: Number(queries) });
  }
  for (const [name, queries] of tableRows(markdown, '## String / set predicates')) counted.push({ name: name!, kind: 'predicate', queries: Number(queries) });
  return { counted, excluded };
}

function implemented(feature: Listed): boolean {
  if (feature.kind === 'predicate') return BUILTINS.operator(feature.name) !== undefined;
  if (NOT_REGISTRY_FUNCTIONS.has(feature.name)) return true;
  return BUILTINS.scalar(feature.name) !== undefined || BUILTINS.aggregate(feature.name) !== undefined;
}

describe('coverage of the functions real hunting queries use', () => {
  const path = sharedPath('corpus', 'feature-frequency.md');
  test('at least 97% of the distinct functions and predicates are built in', { skip: path ? false : '../shared/corpus/feature-frequency.md is absent' }, () => {
    const { counted, excluded } = listedFeatures(readFileSync(path!, 'utf8'));
    assert.ok(counted.length > 150, `the table was read (${counted.length} features)`);
    const missing = counted.filter((f) => !implemented(f));
    const coverage = (counted.length - missing.length) / counted.length;
    console.log(`function coverage: ${counted.length - missing.length}/${counted.length} = ${(coverage * 100).toFixed(1)}%` +
      `; missing: ${missing.map((f) => `${f.name} (${f.queries} queries)`).join(', ') || 'none'}` +
      `; excluded: ${excluded.join(', ')}`);
    assert.ok(coverage >= 0.97, `coverage ${(coverage * 100).toFixed(1)}% < 97%; missing: ${missing.map((f) => f.name).join(', ')}`);
  });
  test('the table reader finds names, kinds and counts', () => {
    const sample = [
      '## Scalar / aggregate functions', '', '| function | kind | queries | % | spellings |', '|---|---|---|---|---|',
      '| ago | builtin | 679 | 37.5% |  |', '| dynamic() | literal | 229 | 12.6% |  |', '| FileProfile | host | 81 | 4.5% |  |',
      '', '## String / set predicates', '', '| predicate | queries | % |', '|---|---|---|', '| has_any | 477 | 26.3% |', '', '## evaluate plugins',
    ].join('\n');
    assert.deepEqual(listedFeatures(sample), {
      counted: [{ name: 'ago', kind: 'function', queries: 679 }, { name: 'has_any', kind: 'predicate', queries: 477 }],
      excluded: ['dynamic()', 'FileProfile'],
    });
  });
});
