import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sharedPath } from '../testing/repo.js';
import type { DocsCase } from './compare.js';
import { DOCS_ERRATA, docsErratum } from './docs-errata.js';

describe('docs errata', () => {
  const path = sharedPath('conformance', 'kusto-docs-cases.json');
  test('each erratum names as many docs examples as it says (one, or every run of a repeated query)', { skip: path ? false : '../shared/conformance is absent' }, () => {
    const cases = JSON.parse(readFileSync(path!, 'utf8')) as DocsCase[];
    for (const e of DOCS_ERRATA) {
      const matching = cases.filter((c) => c.source_path.endsWith(`/${e.page}`) && docsErratum(c) === e.reason);
      assert.equal(matching.length, e.runs ?? 1, `${e.page}: ${e.query}`);
      const words = (q: string) => q.replace(/\s+/g, ' ').trim();
      assert.ok(matching.every((c) => words(c.query) === words(matching[0]!.query)), `${e.page}: runs of one query`);
    }
  });
  test('a case matches by page and query text; other pages or queries do not', () => {
    const base: DocsCase = {
      source_path: 'data-explorer/kusto/query/toguid-function.md', query: 'datatable(str: string) ["a string that is not a guid"]',
      expected_columns: [], expected_rows: [], ls_result_columns: [], ragged_rows: 0,
    };
    assert.match(docsErratum(base)!, /docs error/);
    assert.equal(docsErratum({ ...base, source_path: 'data-explorer/kusto/query/tostring-function.md' }), undefined);
    assert.equal(docsErratum({ ...base, query: 'print toguid("x")' }), undefined);
  });
});
