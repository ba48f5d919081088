/**
 * The Defender tables a rule's query reads, found by binding the query (not by searching its text, where
 * a table name may sit in a comment or a string): the binder asks the schema provider for every table it
 * resolves, and we record the ones it asks for.
 */
import { BUILTIN_TABLES, builtinSchema } from '../data/schemas.js';
import { compileQuery, type TableSource } from '../kql/index.js';

export function tablesUsedBy(query: string): string[] {
  const asked = new Set<string>();
  const tables: TableSource = {
    tableSchema: (name) => {
      const schema = builtinSchema(name);
      if (schema) asked.add(name);
      return schema;
    },
    tableNames: () => Object.keys(BUILTIN_TABLES),
    scan: () => {
      throw new Error('tables are only bound here, never read');
    },
  };
  compileQuery(query, { tables, now: 0n });
  return [...asked].sort();
}
