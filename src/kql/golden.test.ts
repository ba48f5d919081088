/**
 * Golden tests: every folder under test/golden/ is a query, its input tables and the result worked out by
 * hand from the Kusto semantics (the reasoning is in each case.json "notes"). The engine must reproduce the
 * result exactly, and the expected columns must be what Kusto's own language service computes.
 *
 * A case folder holds:
 *   case.json      { description, now, query: "seed" | "query.kql", ordered?, setColumns?, skipOracle?, notes }
 *   query.kql      unless query is "seed" (then rules/t1074-seed/query.kql is used)
 *   expected.json  { columns: [{name,type}], rows: [[…]] } in the JSON value form of runQuery
 *   input/         the input tables (NDJSON); optional input-csv/, input-defender-api/ with the same rows
 *                  in other formats, which must give the same result.
 * Inputs live in their own folders because a data folder is searched recursively: case.json and
 * expected.json must not be read as tables.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinTableSchemas, kustoResultColumns } from '../testing/kusto-oracle.js';
import { repoPath, sharedPath } from '../testing/repo.js';

interface ExpectedResult {
  columns: { name: string; type: string }[];
  rows: unknown[][];
}

interface CaseSpec {
  description: string;
  now: string;
  query: 'seed' | 'query.kql';
  /** false when the result order is unspecified in Kusto: rows are then compared as a multiset. */
  ordered?: boolean;
  /** Columns holding make_set results, whose element order Kusto leaves undefined. */
  setColumns?: string[];
  /** Why the language service cannot be the oracle for this case's columns. */
  skipOracle?: string;
  notes: string[];
}

/**
 * The engine is imported lazily (still type-checked) so the fixture and oracle checks run even while a
 * layer of the engine is missing; the engine tests then fail with the import error.
 */
async function runQuery(...args: Parameters<typeof import('../index.js').runQuery>) {
  const engine = await import('../index.js');
  return engine.runQuery(...args);
}

const GOLDEN_DIR = repoPath('test', 'golden');
const SEED_QUERY_PATH = repoPath('rules', 't1074-seed', 'query.kql');
const INPUT_FOLDERS = ['input', 'input-csv', 'input-defender-api'];

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function caseQuery(caseDir: string, spec: CaseSpec): string {
  return readFileSync(spec.query === 'seed' ? SEED_QUERY_PATH : join(caseDir, spec.query), 'utf8');
}

/** make_set arrays become sorted, so two sets with the same members compare equal. */
function normaliseSets(result: ExpectedResult, setColumns: string[]): unknown[][] {
  const setIndexes = setColumns.map(name => {
    const index = result.columns.findIndex(c => c.name === name);
    assert.ok(index >= 0, `setColumns names ${name}, which is not a result column`);
    return index;
  });
  return result.rows.map(row => row.map((value, i) =>
    setIndexes.includes(i) && Array.isArray(value)
      ? [...value].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
      : value));
}

function sortedAsMultiset(rows: unknown[][]): unknown[][] {
  return rows
    .map(row => ({ key: JSON.stringify(row), row }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(entry => entry.row);
}

function assertSameResult(actual: ExpectedResult, expected: ExpectedResult, spec: CaseSpec): void {
  assert.deepEqual(actual.columns, expected.columns, 'result columns (names, types, order)');
  const setColumns = spec.setColumns ?? [];
  const actualRows = normaliseSets(actual, setColumns);
  const expectedRows = normaliseSets(expected, setColumns);
  if (spec.ordered === false) {
    assert.deepEqual(sortedAsMultiset(actualRows), sortedAsMultiset(expectedRows), 'result rows (as a multiset)');
  } else {
    assert.deepEqual(actualRows, expectedRows, 'result rows (in order)');
  }
}

// Folders without a case.json (test/golden/export: exporter snapshots) belong to other tests.
const caseNames = readdirSync(GOLDEN_DIR, { withFileTypes: true })
  // Only query cases (a case.json); other folders, such as export/, hold other kinds of golden files.
  .filter(entry => entry.isDirectory() && existsSync(join(GOLDEN_DIR, entry.name, 'case.json')))
  .map(entry => entry.name)
  .sort();

describe('golden cases (test/golden)', () => {
  test('the golden folder holds cases', () => {
    assert.ok(caseNames.length >= 10, `only ${caseNames.length} cases found in ${GOLDEN_DIR}`);
  });

  for (const caseName of caseNames) {
    const caseDir = join(GOLDEN_DIR, caseName);
    const spec = readJson<CaseSpec>(join(caseDir, 'case.json'));
    const expected = readJson<ExpectedResult>(join(caseDir, 'expected.json'));
    const query = caseQuery(caseDir, spec);
    const inputs = INPUT_FOLDERS.filter(folder => existsSync(join(caseDir, folder)));

    describe(caseName, () => {
      if (inputs.length === 0) {
        test(`${spec.description} (no input tables)`, async () => {
          const result = await runQuery(query, { now: spec.now });
          assertSameResult(result, expected, spec);
        });
      }
      for (const folder of inputs) {
        test(`${spec.description} [${folder}]`, async () => {
          const result = await runQuery(query, { data: join(caseDir, folder), now: spec.now });
          assertSameResult(result, expected, spec);
        });
      }

      test('expected columns are what Kusto.Language computes', { skip: spec.skipOracle }, () => {
        const oracle = kustoResultColumns(query, builtinTableSchemas());
        assert.deepEqual(oracle.diagnostics.filter(d => d.severity === 'Error'), []);
        assert.deepEqual(oracle.columns, expected.columns);
      });
    });
  }
});

describe('seed rule file and example telemetry', () => {
  test('rules/t1074-seed/query.kql is the seed page query byte for byte, ending in one newline', (t) => {
    const seedPage = sharedPath('seed', '000_695ec8f7fecb77e9.txt');
    if (!seedPage) {
      t.skip('../shared/seed is not available');
      return;
    }
    const page = readFileSync(seedPage, 'utf8');
    const start = page.indexOf('let StagingPaths = dynamic([');
    const endMarker = '| sort by Timestamp desc';
    const end = page.indexOf(endMarker, start);
    assert.ok(start >= 0 && end > start, 'seed page layout changed');
    assert.equal(readFileSync(SEED_QUERY_PATH, 'utf8'), page.slice(start, end + endMarker.length) + '\n');
  });

  test('the seed rule over examples/seed-tests with now = latest gives seed-tests.expected-alerts.json', async () => {
    const examples = repoPath('examples', 'seed-tests');
    const expected = readJson<ExpectedResult>(join(examples, '..', 'seed-tests.expected-alerts.json'));
    const result = await runQuery(readFileSync(SEED_QUERY_PATH, 'utf8'), { data: examples, now: 'latest' });
    assert.equal(result.now, '2026-11-27T23:12:44.9031337Z');
    assertSameResult(result, expected, { description: 'examples', now: 'latest', query: 'seed', notes: [] });
  });
});

describe('engine diagnostics agree with Kusto.Language on position', () => {
  const cases = [
    { what: 'an unknown column', query: 'DeviceFileEvents | where FolderPth has "temp"' },
    { what: 'an unknown table', query: 'DeviceFileEvent | take 1' },
    { what: 'an unknown function', query: 'DeviceFileEvents | extend x = tolowr(FileName)' },
  ];
  for (const { what, query } of cases) {
    test(`${what} is rejected with a diagnostic where Kusto.Language puts it`, async () => {
      const [oracleError] = kustoResultColumns(query, builtinTableSchemas()).diagnostics.filter(d => d.severity === 'Error');
      assert.ok(oracleError, 'the oracle should report an error');
      await assert.rejects(runQuery(query, { now: '2026-11-28T00:00:00Z' }), (error: unknown) => {
        const diagnostics = (error as { diagnostics?: { start: number; length: number }[] }).diagnostics ?? [];
        assert.ok(
          diagnostics.some(d => d.start === oracleError.start && d.length === oracleError.length),
          `expected a diagnostic at ${oracleError.start}+${oracleError.length}, got ${JSON.stringify(diagnostics)}`,
        );
        return true;
      });
    });
  }
});
