/**
 * Checks the registry's typing against Kusto's own language service: for every operator and many
 * functions, over every pair of argument types, our `bind` must accept exactly what Kusto.Language
 * accepts and give the same result type — except for the listed, deliberate divergences.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScalarFunction } from './registry.js';
import type { ScalarType } from '../values/types.js';
import { SCALAR_TYPES } from '../values/types.js';
import { kustoResultColumns } from '../../testing/kusto-oracle.js';
import { BUILTINS } from './builtins.js';

/** One column per type in the oracle's table T. */
const COLUMN: Record<ScalarType, string> = {
  bool: 'b', int: 'i', long: 'l', real: 'r', decimal: 'm', string: 's', datetime: 'd', timespan: 't', guid: 'g', dynamic: 'y',
};
const TABLE = { T: SCALAR_TYPES.map((type) => ({ name: COLUMN[type], type })) };

/**
 * Kusto.Language types these, but they are meaningless and the engine rejects them:
 * datetime arithmetic beyond ±timespan and −datetime, bin(datetime, datetime), unary minus of a datetime.
 */
const DELIBERATE_DIVERGENCES = new Set([
  'd + d', 't - d', 'd * i', 'd * l', 'd * r', 'd * m', 'i * d', 'l * d', 'r * d', 'm * d', 't * t',
  'd / i', 'd / l', 'd / r', 'd / m', 'd / d', 'd / t', 'd % i', 'd % l', 'd % r', 'd % m', 'd % d', 'd % t',
  '-d', 'bin(d, d)', 'floor(d, d)',
]);

interface Verdict {
  accepted: boolean;
  type?: string;
  detail: string;
}

function oracle(expr: string): Verdict {
  const result = kustoResultColumns(`T | project x = ${expr}`, TABLE);
  const accepted = result.diagnostics.length === 0;
  return { accepted, type: result.columns[0]?.type, detail: result.diagnostics.map((d) => d.message).join('; ') };
}

function ours(fn: ScalarFunction, types: ScalarType[]): Verdict {
  const bound = fn.bind(types.map((type) => ({ type })));
  return 'error' in bound ? { accepted: false, detail: bound.error } : { accepted: true, type: bound.type, detail: '' };
}

function disagreements(cases: { expr: string; fn: ScalarFunction; types: ScalarType[] }[]): string[] {
  const out: string[] = [];
  for (const { expr, fn, types } of cases) {
    if (DELIBERATE_DIVERGENCES.has(expr)) continue;
    const [kusto, mine] = [oracle(expr), ours(fn, types)];
    if (kusto.accepted !== mine.accepted || (kusto.accepted && kusto.type !== mine.type)) {
      out.push(`${expr}: Kusto ${kusto.accepted ? kusto.type : `rejects (${kusto.detail})`}, ours ${mine.accepted ? mine.type : `rejects (${mine.detail})`}`);
    }
  }
  return out;
}

const pairs = (f: (a: ScalarType, b: ScalarType) => { expr: string; fn: ScalarFunction; types: ScalarType[] }) =>
  SCALAR_TYPES.flatMap((a) => SCALAR_TYPES.map((b) => f(a, b)));

describe('typing agrees with Kusto.Language', () => {
  const binaryOperators = ['==', '!=', '<', '<=', '>', '>=', '=~', '!~', '+', '-', '*', '/', '%', 'and', 'or',
    'has', '!has', 'has_cs', 'hasprefix', 'hassuffix', 'contains', '!contains_cs', 'startswith', 'endswith_cs', 'matches regex'];
  for (const op of binaryOperators) {
    test(`operator ${op}`, () => {
      const fn = BUILTINS.operator(op)!;
      assert.deepEqual(disagreements(pairs((a, b) => ({ expr: `${COLUMN[a]} ${op} ${COLUMN[b]}`, fn, types: [a, b] }))), []);
    });
  }
  test('unary minus', () => {
    const fn = BUILTINS.operator('neg')!;
    assert.deepEqual(disagreements(SCALAR_TYPES.map((a) => ({ expr: `-${COLUMN[a]}`, fn, types: [a] }))), []);
  });
  const unary = ['tostring', 'toint', 'tolong', 'toreal', 'todouble', 'todatetime', 'totimespan', 'tobool', 'toguid', 'tolower',
    'toupper', 'strlen', 'isempty', 'isnotempty', 'isnull', 'isnotnull', 'array_length', 'parse_json', 'todynamic', 'pack_array',
    'not', 'abs', 'round', 'startofday', 'ago', 'strcat', 'now'];
  test('one-argument functions', () => {
    const cases = unary.flatMap((name) => SCALAR_TYPES.map((a) => ({ expr: `${name}(${COLUMN[a]})`, fn: BUILTINS.scalar(name)!, types: [a] })));
    assert.deepEqual(disagreements(cases), []);
  });
  for (const name of ['bin', 'floor', 'split', 'substring', 'coalesce', 'startofday', 'replace_string']) {
    test(`${name}(a, b)`, () => {
      const fn = BUILTINS.scalar(name)!;
      const extra = name === 'replace_string' ? ', "x"' : '';
      const types = (a: ScalarType, b: ScalarType): ScalarType[] => (name === 'replace_string' ? [a, b, 'string'] : [a, b]);
      assert.deepEqual(disagreements(pairs((a, b) => ({ expr: `${name}(${COLUMN[a]}, ${COLUMN[b]}${extra})`, fn, types: types(a, b) }))), []);
    });
  }
  test('iff(b, x, y) and case(b, x, y)', () => {
    const iff = BUILTINS.scalar('iff')!;
    const caseFn = BUILTINS.scalar('case')!;
    const cases = [
      ...pairs((a, b) => ({ expr: `iff(b, ${COLUMN[a]}, ${COLUMN[b]})`, fn: iff, types: ['bool', a, b] as ScalarType[] })),
      ...pairs((a, b) => ({ expr: `case(b, ${COLUMN[a]}, ${COLUMN[b]})`, fn: caseFn, types: ['bool', a, b] as ScalarType[] })),
    ];
    assert.deepEqual(disagreements(cases), []);
  });
});

describe('list operators and between agree with Kusto.Language', () => {
  const listOps = ['in', '!in', 'in~', '!in~', 'has_any', 'has_all'];
  for (const op of listOps) {
    test(`operator ${op}`, () => {
      const fn = BUILTINS.operator(op)!;
      assert.deepEqual(disagreements(pairs((a, b) => ({ expr: `${COLUMN[a]} ${op} (${COLUMN[b]})`, fn, types: [a, b] }))), []);
    });
  }
  test('between', () => {
    const fn = BUILTINS.operator('between')!;
    assert.deepEqual(disagreements(pairs((a, b) => ({ expr: `${COLUMN[a]} between (${COLUMN[b]} .. ${COLUMN[b]})`, fn, types: [a, b, b] }))), []);
  });
});

describe('aggregates agree with Kusto.Language (names and types)', () => {
  /** Each aggregate with the extra arguments it needs after the aggregated column. */
  const aggregates: [string, string][] = [
    ['dcount', ''], ['sum', ''], ['avg', ''], ['min', ''], ['max', ''], ['make_set', ''], ['make_list', ''], ['take_any', ''],
    ['countif', ''], ['sumif', ', b'], ['avgif', ', b'], ['minif', ', b'], ['maxif', ', b'], ['dcountif', ', b'],
    ['make_set_if', ', b'], ['make_list_if', ', b'], ['arg_max', ', s'], ['arg_min', ', l'],
  ];
  for (const [name, extra] of aggregates) {
    test(name, () => {
      const agg = BUILTINS.aggregate(name)!;
      const problems: string[] = [];
      for (const type of SCALAR_TYPES) {
        const column = COLUMN[type];
        const kusto = kustoResultColumns(`T | summarize ${name}(${column}${extra})`, TABLE);
        const extraTypes: ScalarType[] = extra === ', b' ? ['bool'] : extra === ', s' ? ['string'] : extra === ', l' ? ['long'] : [];
        const bound = agg.bind([type, ...extraTypes].map((t) => ({ type: t })));
        const kustoOk = kusto.diagnostics.length === 0;
        if (kustoOk !== !('error' in bound)) {
          problems.push(`${name}(${type}): Kusto ${kustoOk ? 'accepts' : 'rejects'}, ours ${'error' in bound ? bound.error : 'accepts'}`);
          continue;
        }
        if (!kustoOk || 'error' in bound) continue;
        const ourTypes = 'types' in bound ? bound.types : [bound.type];
        const ourNames = agg.outputNaming === 'arguments'
          ? [column, ...(extra ? [extra.slice(2)] : [])]
          : [`${agg.resultNamePrefix}_${column}`];
        // Repeated names get 1, 2, … suffixes (the binder's job; mirrored here to compare the rest).
        ourNames.forEach((n, i) => {
          let k = 0;
          while (ourNames.slice(0, i).includes(k === 0 ? n : `${n}${k}`)) k++;
          ourNames[i] = k === 0 ? n : `${n}${k}`;
        });
        const expected = kusto.columns.map((c) => `${c.name}:${c.type}`).join(',');
        const actual = ourNames.map((n, i) => `${n}:${ourTypes[i]}`).join(',');
        if (expected !== actual) problems.push(`${name}(${type}): Kusto ${expected}, ours ${actual}`);
      }
      assert.deepEqual(problems, []);
    });
  }
  test('count()', () => {
    const kusto = kustoResultColumns('T | summarize count()', TABLE);
    assert.deepEqual(kusto.columns, [{ name: `${BUILTINS.aggregate('count')!.resultNamePrefix}_`, type: 'long' }]);
  });
});
