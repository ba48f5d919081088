/** Shared helpers of the two runners: grouping failures by cause and writing markdown. */

/** A failure cause without its particulars (positions, numbers), so equal causes group together. */
export function causeOf(message: string): string {
  return message
    .replace(/^K[A-Z]\d+ \(line \d+, column \d+\): /, '')
    .replace(/\(line \d+, column \d+\)/g, '')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);
}

export function groupBy<T>(items: T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`;
}

/** Markdown table cell text: one line, pipes escaped, bounded length. */
export function cell(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
