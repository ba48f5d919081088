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
    case 'csv':
      return streamedHeader(columns, format) + rows.map((r) => streamedRow(columns, r, format)).join('');
    case 'table':
      return textTable(columns, rows);
  }
}

/** Formats written row by row as the query runs (nothing to measure or close first). */
export const STREAMED_FORMATS: readonly OutputFormat[] = ['ndjson', 'csv'];

/** What a streamed format writes before the first row. */
export function streamedHeader(columns: QueryColumn[], format: OutputFormat): string {
  return format === 'csv' ? `${columns.map((c) => csvCell(c.name)).join(',')}\r\n` : '';
}

/** One row of a streamed format, with its line end. */
export function streamedRow(columns: QueryColumn[], row: unknown[], format: OutputFormat): string {
  return format === 'csv' ? `${row.map((v) => csvCell(cellText(v))).join(',')}\r\n` : `${JSON.stringify(rowObject(columns, row))}\n`;
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

/** Widest cell shown by the table format; longer values are shortened (the other formats keep them whole). */
export const TABLE_CELL_WIDTH = 60;

const COMPACT_BORDERS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

function textTable(columns: QueryColumn[], rows: unknown[][]): string {
  const table = new Table({ head: columns.map((c) => c.name), chars: COMPACT_BORDERS, style: { head: [], border: [] }, wordWrap: false });
  let shortened = false;
  for (const row of rows) {
    table.push(
      row.map((v) => {
        const text = cellText(v).replace(/[\r\n\t]/g, ' ');
        if (text.length <= TABLE_CELL_WIDTH) return text;
        shortened = true;
        return `${text.slice(0, TABLE_CELL_WIDTH - 1)}…`;
      }),
    );
  }
  const count = `${rows.length} row${rows.length === 1 ? '' : 's'}`;
  const note = shortened ? ` (values over ${TABLE_CELL_WIDTH} characters shortened with …; --format json shows them whole)` : '';
  return `${table.toString()}\n${count}${note}\n`;
}
