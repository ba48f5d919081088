import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EXPORTERS, type Exporter, findExporter, stdoutText } from './index.js';

describe('export registry', () => {
  test('every target is registered once, under its own folder name', () => {
    const targets = EXPORTERS.map((e) => e.target);
    assert.deepEqual(targets, ['sigma', 'sentinel', 'sentinel-arm', 'splunk', 'elastic-esql', 'elastic-eql', 'navigator']);
    assert.equal(findExporter('splunk')?.target, 'splunk');
    assert.equal(findExporter('all'), undefined);
    assert.equal(findExporter('Splunk'), undefined);
  });

  test('stdout joins a target\'s files with its separator, or refuses several files without one', () => {
    const files = [{ path: 'x/a', content: 'A\n' }, { path: 'x/b', content: 'B\n' }];
    const joined: Exporter = { target: 'x', description: '', export: () => files, stdoutSeparator: '---\n' };
    const single: Exporter = { target: 'y', description: '', export: () => files };
    assert.equal(stdoutText(joined, files), 'A\n---\nB\n');
    assert.equal(stdoutText(single, files.slice(0, 1)), 'A\n');
    assert.equal(stdoutText(single, files), undefined);
  });
});
