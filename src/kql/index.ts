/**
 * The KQL engine's entry point: text → syntax tree → bound plan → optimised plan → result table.
 * It knows nothing of files: tables come through a `TableSource` the caller provides.
 */
import { parse } from './syntax/parser.js';
import { type Diagnostic, KqlError, isError, makeDiagnostic } from './syntax/diagnostics.js';
import { bind } from './semantics/binder.js';
import type { SchemaProvider } from './semantics/scope.js';
import type { PlanNode } from './semantics/bound.js';
import { pushDownProjections } from './plan/pushdown.js';
import { type ExecutionEnv, type TableReader, collectRows, execute } from './exec/executor.js';
import { type Batch, batchRows } from './values/batch.js';
import { NeedsData, type ResolvedInputs } from './semantics/plugins.js';
import { type HoldingReporter, MemoryBudget } from './exec/memory.js';
import { BUILTINS } from './functions/builtins.js';
import type { Schema, Value } from './values/types.js';

export type { Diagnostic } from './syntax/diagnostics.js';
export { KqlError } from './syntax/diagnostics.js';
export { MemoryLimitError, defaultMemoryLimit, formatBytes, parseByteSize } from './exec/memory.js';

/** Tables for a query: their schemas (for binding) and their rows (for execution). */
export interface TableSource extends SchemaProvider, TableReader {}

export interface EngineOptions {
  tables: TableSource;
  /** now() for the whole query, in datetime ticks. */
  now: bigint;
  /** Told what blocking operators (summarize, sort, join, distinct) hold: rows or groups, estimated bytes. */
  onHolding?: HoldingReporter;
  /** The most those operators may hold together, in estimated bytes; over it the query fails (MemoryLimitError). */
  maxMemory?: number;
}

export interface EngineResult {
  schema: Schema;
  rows: Value[][];
  /** Notes from binding that are not errors (e.g. `render` draws nothing offline). */
  notes: string[];
}

/** Parses and binds; throws KqlError with every diagnostic when the query is not valid. */
export function compileQuery(text: string, options: Pick<EngineOptions, 'tables' | 'now'>): PlanNode[] {
  try {
    return compile(text, options).plans;
  } catch (e) {
    if (!(e instanceof NeedsData)) throw e;
    const { start, end } = e.key as { start: number; end: number };
    throw new KqlError([
      makeDiagnostic(text, 'KB902', 'The output columns of this operator depend on the data; run the query to bind what follows it.', start, end - start),
    ]);
  }
}

function compile(
  text: string,
  options: Pick<EngineOptions, 'tables' | 'now'>,
  resolved?: ResolvedInputs,
  // Parsed once per query: data-dependent operators are remembered by their syntax node.
  parsed = parse(text),
): { plans: PlanNode[]; notes: string[] } {
  // In text order, so the first reported is the first in the query (a lexical error before the parse errors it causes).
  const errors: Diagnostic[] = parsed.diagnostics.filter(isError).sort((a, b) => a.start - b.start);
  if (errors.length > 0) throw new KqlError(errors);
  const warnings = parsed.diagnostics.filter((d) => !isError(d)).map((d) => `line ${d.line}, column ${d.column}: ${d.message}`);
  const bound = bind(text, parsed.query, { registry: BUILTINS, tables: options.tables, context: { now: options.now }, resolved });
  if (bound.diagnostics.length > 0) throw new KqlError(bound.diagnostics);
  if (bound.plans.length === 0) {
    throw new KqlError([{ code: 'KB008', message: 'The query has no tabular statement to run (only let statements).', start: 0, length: text.length, line: 1, column: 1 }]);
  }
  return { plans: bound.plans.map(pushDownProjections), notes: [...warnings, ...bound.notes] };
}

/** Runs the query's last tabular statement (Kusto returns one table per statement; tools use the last). */
export async function executeQuery(text: string, options: EngineOptions): Promise<EngineResult> {
  const { schema, batches, notes } = await streamQuery(text, options);
  const rows: Value[][] = [];
  for await (const batch of batches) for (const row of batchRows(batch)) rows.push(row);
  return { schema, rows, notes };
}

/** A query's result as it is produced: the schema, then the batches (a streaming query holds one batch at a time). */
export interface EngineStream {
  schema: Schema;
  batches: AsyncIterable<Batch>;
  notes: string[];
}

/** Compiles the query and returns its last tabular statement's batches, run as they are read. */
export async function streamQuery(text: string, options: EngineOptions): Promise<EngineStream> {
  const budget = new MemoryBudget(options.maxMemory, options.onHolding);
  const env: ExecutionEnv = { tables: options.tables, context: { now: options.now }, budget };
  const { plans, notes } = await compileWithData(text, options, env);
  const plan = plans[plans.length - 1]!;
  return { schema: plan.schema, batches: execute(plan, env), notes };
}

/**
 * Binds the query, running the input of each operator whose output columns depend on the data
 * (`evaluate bag_unpack`) and binding again with its result, as often as there are such operators.
 */
async function compileWithData(text: string, options: EngineOptions, env: ExecutionEnv): Promise<{ plans: PlanNode[]; notes: string[] }> {
  const resolved: ResolvedInputs = new Map();
  const parsed = parse(text);
  for (;;) {
    try {
      return compile(text, options, resolved, parsed);
    } catch (e) {
      if (!(e instanceof NeedsData) || resolved.has(e.key)) throw e;
      resolved.set(e.key, await collectRows(pushDownProjections(e.input), env));
    }
  }
}
