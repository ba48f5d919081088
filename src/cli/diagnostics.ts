/** Diagnostics as a person reads them: `file:line:column: error CODE: message`, the line, a caret. */
import type { Diagnostic } from '../kql/syntax/diagnostics.js';

export function renderDiagnostics(diagnostics: Diagnostic[], source: string, sourceName: string): string {
  const lines = source.split(/\r?\n/);
  return diagnostics
    .map((d) => {
      const text = lines[d.line - 1] ?? '';
      const width = Math.max(1, Math.min(d.length, text.length - d.column + 1));
      const caret = `${' '.repeat(Math.max(0, d.column - 1))}${'^'.repeat(width)}`;
      return `${sourceName}:${d.line}:${d.column}: error ${d.code}: ${d.message}\n  ${text}\n  ${caret}`;
    })
    .join('\n');
}
