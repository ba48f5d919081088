/**
 * YAML documents checked against a JSON schema (ajv). Every problem is reported as
 * `file:line:column: field: what is wrong — fix: what to write instead`, so a rule author can act
 * on it without reading the schema.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ContentError';
  }
}

// verbose: errors carry their schema, whose description becomes the fix.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schemaFile: string): ValidateFunction {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
    compiled.set(schemaFile, validate);
  }
  return validate;
}

/** Parses YAML text and validates it; throws ContentError naming file, line, field and fix. */
export function parseValidatedYaml<T>(text: string, file: string, schemaFile: string): T {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ContentError(doc.errors.map((e) => {
      const at = e.linePos?.[0];
      return `${file}:${at ? `${at.line}:${at.col}` : '1:1'}: not valid YAML: ${e.message.split('\n')[0]} — fix: correct the YAML syntax at that position`;
    }));
  }
  const value = doc.toJS() as unknown;
  const validate = validatorFor(schemaFile);
  if (validate(value)) return value as T;
  throw new ContentError(dedupe((validate.errors ?? []).map((error) => describeError(error, doc.contents, lines, file))));
}

function dedupe(messages: string[]): string[] {
  return [...new Set(messages)];
}

function describeError(error: ErrorObject, root: Node | null, lines: LineCounter, file: string): string {
  const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const field = error.keyword === 'required' || error.keyword === 'additionalProperties'
    ? [...segments, String(error.params['missingProperty'] ?? error.params['additionalProperty'])].join('.')
    : segments.join('.') || '(document)';
  const at = position(root, segments, lines);
  return `${file}:${at}: ${field}: ${problem(error)} — fix: ${fix(error, field, segments.join('.'))}`;
}

function problem(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required': return 'is missing';
    case 'additionalProperties': return 'is not a known field';
    case 'enum': return `is not one of ${(error.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'pattern': return `does not have the expected form (${error.params['pattern']})`;
    case 'type': return `must be ${error.params['type']}`;
    case 'minItems': return `needs at least ${error.params['limit']} item(s)`;
    case 'minLength': return `is too short (at least ${error.params['limit']} characters)`;
    case 'maxLength': return `is too long (at most ${error.params['limit']} characters)`;
    default: return error.message ?? error.keyword;
  }
}

function fix(error: ErrorObject, field: string, parent: string): string {
  const described = (error.parentSchema as { description?: string } | undefined)?.description;
  switch (error.keyword) {
    case 'required': return `add \`${String(error.params['missingProperty'])}:\`${parent ? ` under ${parent}` : ''} (see rules/schema for what it holds)`;
    case 'additionalProperties': return `remove \`${field}\` or correct its spelling`;
    case 'enum': return `write one of ${(error.params['allowedValues'] as unknown[]).join(', ')}`;
    case 'pattern': return described ? `write ${described}` : `write a value matching ${error.params['pattern']}`;
    case 'type': return `write a ${error.params['type']}${error.params['type'] === 'array' ? ' (a YAML list: - item)' : ''}`;
    case 'minItems': return 'add the missing list items';
    default: return described ? `write ${described}` : 'see rules/schema';
  }
}

/** line:column of the deepest YAML node that exists along the path. */
function position(root: Node | null, segments: string[], lines: LineCounter): string {
  let node: unknown = root;
  let offset = (root as { range?: number[] } | null)?.range?.[0] ?? 0;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => String((p.key as { value?: unknown } | null)?.value ?? p.key) === segment);
      if (!pair) break;
      offset = (pair.key as { range?: number[] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (!item) break;
      offset = (item as { range?: number[] }).range?.[0] ?? offset;
      node = item;
    } else break;
  }
  const { line, col } = lines.linePos(offset);
  return `${line}:${col}`;
}
