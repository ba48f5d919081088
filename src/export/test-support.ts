/**
 * A tokenizer-level check of the exported SPL, ES|QL and EQL — no more than that: strings closed,
 * parentheses balanced, every pipe followed by a command the language has, every call a function
 * the exporters use and the language has. It does not parse the grammar or check field names.
 */
export type QueryLanguage = 'spl' | 'esql' | 'eql';

const COMMANDS: Record<QueryLanguage, Set<string>> = {
  spl: new Set(['where', 'bin', 'stats', 'eval', 'search', 'table', 'fields', 'sort']),
  esql: new Set(['WHERE', 'EVAL', 'STATS', 'KEEP', 'DROP', 'SORT', 'LIMIT', 'RENAME']),
  eql: new Set(['head', 'tail', 'filter']),
};
/** Words that may stand before "(": the functions the exporters call, and keywords. */
const FUNCTIONS: Record<QueryLanguage, Set<string>> = {
  spl: new Set(['match', 'lower', 'in', 'isnull', 'tonumber', 'like', 'true', 'false', 'count', 'dc', 'NOT', 'AND', 'OR', 'where']),
  esql: new Set(['TO_LOWER', 'DATE_TRUNC', 'COUNT_DISTINCT', 'COUNT', 'NOW', 'IN', 'NOT', 'AND', 'OR', 'STARTS_WITH', 'ENDS_WITH', 'WHERE']),
  eql: new Set(['in', 'in~', 'like', 'like~', 'regex', 'regex~', 'not', 'and', 'or', 'where']),
};
const FIRST_WORD: Record<QueryLanguage, RegExp> = {
  spl: /^(index|source|sourcetype|search)\b/,
  esql: /^FROM\s+\S+/,
  eql: /^(any|process|file|network|registry|library|dns)\s+where\b/,
};

interface Token {
  kind: 'string' | 'word' | 'punct';
  text: string;
  at: number;
}

export function checkQuerySyntax(language: QueryLanguage, text: string): string[] {
  const problems: string[] = [];
  const tokens = tokenize(language, stripComments(language, text, problems), problems);
  let depth = 0;
  const segments: Token[][] = [[]];
  for (const [i, token] of tokens.entries()) {
    if (token.kind === 'punct' && token.text === '(') {
      const previous = tokens[i - 1];
      if (previous?.kind === 'word' && !FUNCTIONS[language].has(previous.text)) problems.push(`unknown function ${previous.text}( at ${previous.at}`);
      depth++;
    } else if (token.kind === 'punct' && token.text === ')') {
      if (--depth < 0) problems.push(`unbalanced ) at ${token.at}`);
    }
    if (token.kind === 'punct' && token.text === '|' && depth === 0) {
      segments.push([]);
      continue;
    }
    segments[segments.length - 1]!.push(token);
  }
  if (depth > 0) problems.push(`${depth} unclosed (`);
  const first = segments[0]!.map((t) => t.text).join(' ');
  if (!FIRST_WORD[language].test(first)) problems.push(`does not start as a ${language} query: ${first.slice(0, 40)}`);
  for (const segment of segments.slice(1)) {
    const command = segment[0]?.text ?? '';
    if (!COMMANDS[language].has(command)) problems.push(`unknown command after a pipe: ${command || '(nothing)'}`);
  }
  return problems;
}

function stripComments(language: QueryLanguage, text: string, problems: string[]): string {
  if (language === 'spl') {
    const stripped = text.replace(/```[\s\S]*?```/g, ' ');
    if (stripped.includes('```')) problems.push('unclosed ``` comment');
    return stripped;
  }
  // `//` to the end of the line, outside strings.
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

function tokenize(language: QueryLanguage, text: string, problems: string[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= text.length) {
        problems.push(`unterminated string at ${start}`);
        break;
      }
      tokens.push({ kind: 'string', text: text.slice(start, ++i), at: start });
    } else if (/[A-Za-z_@]/.test(c)) {
      const start = i;
      while (i < text.length && /[\w.@*-]/.test(text[i]!)) i++;
      if (language === 'eql' && text[i] === '~') i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), at: start });
    } else {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
    }
  }
  return tokens;
}
