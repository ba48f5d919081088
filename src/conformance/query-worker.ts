/**
 * Worker thread for the runners: runs or compiles one query per message and answers with a plain,
 * structured-cloneable result. Living in a worker lets the pool stop a query that hangs (terminate)
 * without stalling the whole run.
 */
import { parentPort } from 'node:worker_threads';
import { runQuery } from '../run-query.js';
import { compileQuery, executeQuery, type TableSource } from '../kql/index.js';
import { parseDatetime } from '../kql/values/datetime.js';
import { valueToJson } from '../kql/values/format.js';
import { BUILTIN_TABLES, builtinSchema } from '../data/schemas.js';
import { WORKER_READY, type QueryTask, type QueryOutcome } from './pool.js';

/** The seven Device* schemas, for binding only (compiling never scans). */
const BUILTIN_SCHEMAS: TableSource = {
  tableSchema: (name) => builtinSchema(name),
  tableNames: () => Object.keys(BUILTIN_TABLES),
  scan: () => {
    throw new Error('compile-only table source: scan is not available');
  },
};

/** No tables: `search` and `union *` read only what the query itself defines. */
const EMPTY_DATABASE: TableSource = {
  tableSchema: () => undefined,
  tableNames: () => [],
  scan: (name) => {
    throw new Error(`no table ${name} in an empty database`);
  },
};

async function runInEmptyDatabase(task: QueryTask): Promise<QueryOutcome> {
  const now = task.now === undefined ? undefined : parseDatetime(task.now);
  const result = await executeQuery(task.query, { tables: EMPTY_DATABASE, now: now ?? parseDatetime(new Date().toISOString())! });
  const columns = result.schema.map((c) => ({ name: c.name, type: c.type }));
  const rows = result.rows.map((row) => row.map((v, i) => valueToJson(v, result.schema[i]!.type)));
  return { ok: true, columns, rows: task.keepRows === false ? [] : rows, rowCount: rows.length };
}

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
    if (task.emptyDatabase) return await runInEmptyDatabase(task);
    const result = await runQuery(task.query, { data: task.data, now: task.now });
    return { ok: true, columns: result.columns, rows: task.keepRows === false ? [] : result.rows, rowCount: result.rows.length };
  } catch (error) {
    return failure(error);
  }
}

parentPort?.on('message', (task: QueryTask) => {
  void perform(task).then((outcome) => parentPort!.postMessage(outcome));
});
// The engine is loaded: from now on the pool times this worker's queries.
parentPort?.postMessage(WORKER_READY);
