/**
 * JSON telemetry files: NDJSON (one object per line, streamed) or one JSON document (an array of
 * objects, or a single object; read whole — such exports are small). Items carry the 1-based line
 * (NDJSON) or element number (document).
 */
import { textChunks, textLines, wholeText, type TextReadOptions } from './source-text.js';

export type JsonItem = { kind: 'value'; record: number; value: unknown } | { kind: 'bad'; record: number; reason: string };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function* jsonRecords(path: string, options: TextReadOptions = {}): AsyncGenerator<JsonItem> {
  let firstLine: string | undefined;
  for await (const { line, text } of textLines(textChunks(path, options))) {
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (firstLine === undefined) {
      firstLine = trimmed;
      if (trimmed.startsWith('[') || !isJson(trimmed)) {
        // Not NDJSON: a document spread over lines (an array, or a pretty-printed object).
        yield* documentRecords(await wholeText(path, options));
        return;
      }
    }
    try {
      yield { kind: 'value', record: line, value: JSON.parse(trimmed) };
    } catch (error) {
      yield { kind: 'bad', record: line, reason: `invalid JSON: ${message(error)}` };
    }
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function* documentRecords(text: string): Generator<JsonItem> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    yield { kind: 'bad', record: 1, reason: `invalid JSON document: ${message(error)}` };
    return;
  }
  const records = Array.isArray(doc) ? doc : [doc];
  for (let i = 0; i < records.length; i++) yield { kind: 'value', record: i + 1, value: records[i] };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
