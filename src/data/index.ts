/** Tables from files: built-in schemas, the catalog, file readers and rejected-record reporting. */
export { BUILTIN_TABLES, builtinSchema } from './schemas.js';
export {
  openCatalog, catalogFromRows, createRejectReporter,
  type Catalog, type LoadedCatalog, type TableSource, type LoadOptions,
  type DataIssues, type RejectedRecord, type RejectReporter,
} from './catalog.js';
