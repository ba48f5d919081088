/**
 * KQL without comments and indentation, token for token: the text between two tokens is only ever
 * whitespace or `//` comments, so replacing it by one line break (where it held one) or one space keeps
 * every token — strings included — exactly as written. Targets with a length limit use it.
 */
import { tokenize } from '../kql/syntax/lexer.js';

export function compactQuery(query: string): string {
  const { tokens, diagnostics } = tokenize(query);
  if (diagnostics.length > 0) throw new Error(`cannot compact a query the lexer rejects: ${diagnostics[0]!.message}`);
  let out = '';
  let previousEnd = -1;
  for (const token of tokens) {
    if (token.kind === 'EOF') break;
    if (previousEnd >= 0) {
      const gap = query.slice(previousEnd, token.start);
      out += /[\r\n]/.test(gap) ? '\n' : gap.length > 0 ? ' ' : '';
    }
    out += query.slice(token.start, token.end);
    previousEnd = token.end;
  }
  return `${out}\n`;
}
