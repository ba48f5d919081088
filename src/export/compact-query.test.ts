import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runQuery } from '../run-query.js';
import { repoPath } from '../testing/repo.js';
import { compactQuery } from './compact-query.js';

describe('compactQuery', () => {
  test('drops comments and indentation, keeps line breaks between tokens', () => {
    const query = '// heading\nlet x = 1; // trailing\n\n   print y = x\n    | extend z = y + 1\n';
    assert.equal(compactQuery(query), 'let x = 1;\nprint y = x\n| extend z = y + 1\n');
  });

  test('leaves // inside string literals alone', () => {
    const query = 'print a = "http://x//y", b = @"C:\\\\temp\\\\ // not a comment" // a comment\n';
    assert.equal(compactQuery(query), 'print a = "http://x//y", b = @"C:\\\\temp\\\\ // not a comment"\n');
  });

  test('keeps adjacent tokens adjacent', () => {
    assert.equal(compactQuery('T | project-away  A,B|where  x>=1'), 'T | project-away A,B|where x>=1\n');
  });

  test('refuses text the lexer rejects', () => {
    assert.throws(() => compactQuery('print "unterminated'), /cannot compact a query the lexer rejects/);
  });

  test('the compacted improved rule returns the same alerts as the rule as written', async () => {
    const query = readFileSync(repoPath('rules', 't1074-data-staged', 'query.kql'), 'utf8');
    const compact = compactQuery(query);
    assert.ok(compact.length < query.length * 0.8, `only ${query.length - compact.length} characters saved`);
    const options = { data: repoPath('examples', 'seed-tests'), now: 'latest' };
    const [written, compacted] = await Promise.all([runQuery(query, options), runQuery(compact, options)]);
    assert.ok(written.rows.length > 0, 'the example data should raise alerts');
    assert.deepEqual(compacted, written);
  });
});
