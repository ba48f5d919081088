/** stagehunt's library API. */
export { runQuery, QueryError, type RunQueryOptions, type QueryResult, type QueryColumn } from './run-query.js';
export type { Diagnostic } from './kql/syntax/diagnostics.js';
export { KqlError } from './kql/syntax/diagnostics.js';
