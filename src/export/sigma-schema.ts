/**
 * Validation of Sigma documents against the official Sigma JSON schemas (draft 2020-12), read from a
 * folder holding sigma-detection-rule-schema.json and sigma-correlation-rules-schema.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

export interface SigmaSchemaValidator {
  /** Problems with one document (empty when valid), each `path: message`. */
  validate(document: Record<string, unknown>): string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function sigmaSchemaValidator(schemaDir: string): SigmaSchemaValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  ajv.addFormat('uuid', UUID);
  const load = (file: string): ValidateFunction => ajv.compile(JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) as object);
  const rule = load('sigma-detection-rule-schema.json');
  const correlation = load('sigma-correlation-rules-schema.json');
  return {
    validate(document) {
      const check = 'correlation' in document ? correlation : rule;
      if (check(document)) return [];
      return (check.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
    },
  };
}
