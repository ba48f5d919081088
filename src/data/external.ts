/**
 * `externaldata` over local files: rows typed by the schema the query declares. Formats as Kusto
 * names them: csv/tsv/psv/scsv (no header; `ignoreFirstRecord` skips one), txt/raw (one line per row),
 * json/multijson (objects keyed by column name). Bad records are rejected and counted, never dropped silently.
 */
import { parse as parseCsv } from 'csv-parse';
import { BATCH_SIZE, type Batch } from '../kql/values/batch.js';
import type { Schema, Value } from '../kql/values/types.js';
import { coerceValue, missingValue } from './coerce.js';
import { openText, textLines } from './formats.js';
import type { RejectedRecord } from './issues.js';

export interface ExternalSource {
  paths: string[];
  format: string;
  ignoreFirstRecord: boolean;
  schema: Schema;
}

const DELIMITERS: Record<string, string> = { csv: ',', tsv: '\t', tsvs: '\t', psv: '|', scsv: ';', sohsv: '\u0001' };

export const EXTERNAL_FORMATS = [...Object.keys(DELIMITERS), 'txt', 'raw', 'json', 'multijson'];

/** Raw records of one file: arrays (by position) or objects (by column name), with their line. */
type RawExternal = { line: number; fields: unknown[] | Record<string, unknown> } | { line: number; bad: string };

async function* rawRecords(path: string, format: string): AsyncGenerator<RawExternal> {
  const text = await openText(path);
  const delimiter = DELIMITERS[format];
  if (delimiter !== undefined) {
    const parser = text.pipe(parseCsv({ delimiter, relax_column_count: true, bom: true, skip_empty_lines: true, info: true }));
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { line: info.lines, fields: record };
    }
    return;
  }
  for await (const { line, text: lineText } of textLines(text)) {
    if (format === 'txt' || format === 'raw') {
      yield { line, fields: [lineText] };
    } else if (lineText.trim() !== '') {
      try {
        const value: unknown = JSON.parse(lineText);
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) yield { line, fields: value as Record<string, unknown> };
        else yield { line, bad: 'not a JSON object' };
      } catch (e) {
        yield { line, bad: `broken JSON: ${(e as Error).message}` };
      }
    }
  }
}

export async function* readExternalData(source: ExternalSource, onReject?: (r: RejectedRecord) => void): AsyncIterable<Batch> {
  const format = source.format.toLowerCase();
  if (!EXTERNAL_FORMATS.includes(format)) {
    throw new Error(`externaldata: format '${source.format}' is not supported (use one of ${EXTERNAL_FORMATS.join(', ')})`);
  }
  const { schema } = source;
  let columns: Value[][] = schema.map(() => []);
  let length = 0;
  for (const path of source.paths) {
    let first = true;
    try {
      for await (const record of rawRecords(path, format)) {
        if (first && source.ignoreFirstRecord) {
          first = false;
          continue;
        }
        first = false;
        const { line } = record;
        const row = 'bad' in record ? record.bad : typedRow(schema, record.fields);
        if (typeof row === 'string') {
          onReject?.({ file: path, line, reason: row });
          continue;
        }
        row.forEach((v, c) => columns[c]!.push(v));
        if (++length === BATCH_SIZE) {
          yield { schema, columns, length };
          columns = schema.map(() => []);
          length = 0;
        }
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new Error(`externaldata: no such file: ${path}`);
      onReject?.({ file: path, line: 0, reason: `unreadable: ${(e as Error).message}` });
    }
  }
  if (length > 0) yield { schema, columns, length };
}

/** The row typed by the schema, or the reason it cannot be. */
function typedRow(schema: Schema, fields: unknown[] | Record<string, unknown>): Value[] | string {
  const row: Value[] = [];
  for (let c = 0; c < schema.length; c++) {
    const column = schema[c]!;
    const raw = Array.isArray(fields) ? fields[c] : fields[column.name];
    if (raw === undefined || raw === '') {
      row.push(missingValue(column.type));
      continue;
    }
    const typed = coerceValue(column.type, raw);
    if (!typed.ok) return `column ${column.name}: ${typed.error}`;
    row.push(typed.value);
  }
  return row;
}
