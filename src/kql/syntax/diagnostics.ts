/**
 * Diagnostics are values, not exceptions: every phase returns the ones it found, with the
 * position in the query text, so the CLI and the library can report them all at once.
 */
export interface Diagnostic {
  /** Stable code, e.g. KS001 (syntax), KB001 (binder), KE001 (execution). See docs/diagnostics.md. */
  code: string;
  message: string;
  /** Offset of the first character in the query text (UTF-16 units). */
  start: number;
  length: number;
  /** 1-based line and column of `start`. */
  line: number;
  column: number;
  /** Absent for errors. Warnings do not stop a query (e.g. `where x = 1`, which Kusto accepts). */
  severity?: 'warning';
}

/** Converts an offset into a 1-based line and column. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

export function makeDiagnostic(text: string, code: string, message: string, start: number, length: number): Diagnostic {
  const { line, column } = lineColumnOf(text, start);
  return { code, message, start, length: Math.max(0, length), line, column };
}

export function isError(d: Diagnostic): boolean {
  return d.severity !== 'warning';
}

/** Thrown by phases that stop at the first hard error; carries every diagnostic found so far. */
export class KqlError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const first = diagnostics[0];
    super(first ? `${first.code} (line ${first.line}, column ${first.column}): ${first.message}` : 'query failed');
    this.name = 'KqlError';
    this.diagnostics = diagnostics;
  }
}
