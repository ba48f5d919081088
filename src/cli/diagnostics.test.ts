import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDiagnostics } from './diagnostics.js';

test('a diagnostic is shown with file:line:column, the source line and a caret under the span', () => {
  const source = 'DeviceFileEvents\n| where FolderPat has "x"';
  const text = renderDiagnostics(
    [{ code: 'KB001', message: "The name 'FolderPat' does not refer to any known column.", start: 25, length: 9, line: 2, column: 9 }],
    source,
    'rule.kql',
  );
  assert.equal(
    text,
    "rule.kql:2:9: error KB001: The name 'FolderPat' does not refer to any known column.\n" +
      '  | where FolderPat has "x"\n' +
      '          ^^^^^^^^^',
  );
});
