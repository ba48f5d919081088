/** stagehunt's library API. */
export { runQuery, streamRows, QueryError, type RunQueryOptions, type QueryResult, type QueryColumn, type QueryRowStream } from './run-query.js';
export type { Diagnostic } from './kql/syntax/diagnostics.js';
export { KqlError } from './kql/syntax/diagnostics.js';
