/**
 * Result tables in the CLI's output formats. Values arrive in their JSON form (see runQuery).
 * CSV cells that a spreadsheet would run as a formula are defused: command lines are attacker text.
 */
import Table from 'cli-table3';
import type { QueryColumn } from '../run-query.js';

export const OUTPUT_FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function formatResult(columns: QueryColumn[], rows: unknown[][], format: OutputFormat): string {
  switch (format) {
    case 'json':
      return rows.length === 0 ? '[]\n' : `[\n${rows.map((r) => JSON.stringify(rowObject(columns, r))).join(',\n')}\n]\n`;
    case 'ndjson':
      return rows.map((r) => `${JSON.stringify(rowObject(columns, r))}\n`).join('');
    case 'csv':
      return [columns.map((c) => csvCell(c.name)), ...rows.map((r) => r.map((v) => csvCell(cellText(v))))]
        .map((line) => `${line.join(',')}\r\n`)
        .join('');
    case 'table':
      return textTable(columns, rows);
  }
}

function rowObject(columns: QueryColumn[], row: unknown[]): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  columns.forEach((c, i) => (obj[c.name] = row[i]));
  return obj;
}

/** The text of a JSON-form value: strings as they are, dynamic values as compact JSON, null as empty. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** First characters that make Excel/LibreOffice/Sheets evaluate a cell (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function textTable(columns: QueryColumn[], rows: unknown[][]): string {
  const table = new Table({ head: columns.map((c) => c.name), style: { head: [], border: [] }, wordWrap: false });
  for (const row of rows) table.push(row.map(cellText));
  const count = `${rows.length} row${rows.length === 1 ? '' : 's'}`;
  return `${table.toString()}\n${count}\n`;
}
