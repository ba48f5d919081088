/**
 * Worker thread for the runners: runs or compiles one query per message and answers with a plain,
 * structured-cloneable result. Living in a worker lets the pool stop a query that hangs (terminate)
 * without stalling the whole run.
 */
import { parentPort } from 'node:worker_threads';
import { runQuery } from '../run-query.js';
import { compileQuery, type TableSource } from '../kql/index.js';
import { BUILTIN_TABLES, builtinSchema } from '../data/schemas.js';
import { type QueryTask, type QueryOutcome, WORKER_READY } from './pool.js';

/** The seven Device* schemas, for binding only (compiling never scans). */
const BUILTIN_SCHEMAS: TableSource = {
  tableSchema: (name) => builtinSchema(name),
  tableNames: () => Object.keys(BUILTIN_TABLES),
  scan: () => {
    throw new Error('compile-only table source: scan is not available');
  },
};

function failure(error: unknown): QueryOutcome {
  const e = error as { message?: unknown; diagnostics?: unknown };
  const diagnostics = Array.isArray(e.diagnostics)
    ? e.diagnostics.map((d: { code?: unknown; message?: unknown; start?: unknown; length?: unknown }) => ({
      code: String(d.code ?? ''), message: String(d.message ?? ''), start: Number(d.start ?? 0), length: Number(d.length ?? 0),
    }))
    : [];
  return { ok: false, message: String(e.message ?? error), diagnostics };
}

async function perform(task: QueryTask): Promise<QueryOutcome> {
  try {
    if (task.mode === 'compile') {
      compileQuery(task.query, { tables: BUILTIN_SCHEMAS, now: 0n });
      return { ok: true, columns: [], rows: [] };
    }
    const result = await runQuery(task.query, { data: task.data, now: task.now });
    return { ok: true, columns: result.columns, rows: task.keepRows === false ? [] : result.rows, rowCount: result.rows.length };
  } catch (error) {
    return failure(error);
  }
}

parentPort?.on('message', (task: QueryTask) => {
  void perform(task).then((outcome) => parentPort!.postMessage(outcome));
});

// The static imports above have loaded the engine: from now on a task's time is the query's own.
parentPort?.postMessage(WORKER_READY);
