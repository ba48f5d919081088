/**
 * The KQL engine's entry point: text → syntax tree → bound plan → optimised plan → result table.
 * It knows nothing of files: tables come through a `TableSource` the caller provides.
 */
import { parse } from './syntax/parser.js';
import { type Diagnostic, KqlError, isError } from './syntax/diagnostics.js';
import { bind } from './semantics/binder.js';
import type { SchemaProvider } from './semantics/scope.js';
import type { PlanNode } from './semantics/bound.js';
import { pushDownProjections } from './plan/pushdown.js';
import { type TableReader, collectRows } from './exec/executor.js';
import { BUILTINS } from './functions/builtins.js';
import type { Schema, Value } from './values/types.js';

export type { Diagnostic } from './syntax/diagnostics.js';
export { KqlError } from './syntax/diagnostics.js';

/** Tables for a query: their schemas (for binding) and their rows (for execution). */
export interface TableSource extends SchemaProvider, TableReader {}

export interface EngineOptions {
  tables: TableSource;
  /** now() for the whole query, in datetime ticks. */
  now: bigint;
  onHolding?: (operator: string, rows: number) => void;
}

export interface EngineResult {
  schema: Schema;
  rows: Value[][];
  /** Notes from binding that are not errors (e.g. `render` draws nothing offline). */
  notes: string[];
}

/** Parses and binds; throws KqlError with every diagnostic when the query is not valid. */
export function compileQuery(text: string, options: Pick<EngineOptions, 'tables' | 'now'>): PlanNode[] {
  return compile(text, options).plans;
}

function compile(text: string, options: Pick<EngineOptions, 'tables' | 'now'>): { plans: PlanNode[]; notes: string[] } {
  const parsed = parse(text);
  const errors: Diagnostic[] = parsed.diagnostics.filter(isError);
  if (errors.length > 0) throw new KqlError(errors);
  const warnings = parsed.diagnostics.filter((d) => !isError(d)).map((d) => `line ${d.line}, column ${d.column}: ${d.message}`);
  const bound = bind(text, parsed.query, { registry: BUILTINS, tables: options.tables, context: { now: options.now } });
  if (bound.diagnostics.length > 0) throw new KqlError(bound.diagnostics);
  if (bound.plans.length === 0) {
    throw new KqlError([{ code: 'KB008', message: 'The query has no tabular statement to run (only let statements).', start: 0, length: text.length, line: 1, column: 1 }]);
  }
  return { plans: bound.plans.map(pushDownProjections), notes: [...warnings, ...bound.notes] };
}

/** Runs the query's last tabular statement (Kusto returns one table per statement; tools use the last). */
export async function executeQuery(text: string, options: EngineOptions): Promise<EngineResult> {
  const { plans, notes } = compile(text, options);
  const plan = plans[plans.length - 1]!;
  const rows = await collectRows(plan, { tables: options.tables, context: { now: options.now }, onHolding: options.onHolding });
  return { schema: plan.schema, rows, notes };
}
