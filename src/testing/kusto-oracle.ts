/**
 * Test-only oracle: Kusto's own language service (`@kusto/language-service-next`, a dev dependency) tells
 * what result columns (names and types) and what diagnostics Kusto computes for a query over given tables.
 * Tests compare our engine's schemas and our golden expectations against it.
 *
 * The package ships two Bridge.NET "global script" bundles: `bridge.js` (the .NET runtime shim, which puts
 * `Bridge` and `System` on the global object when `module.exports` exists) and `Kusto.Language.Bridge.js`
 * (which calls the global `Bridge.assembly(...)` and defines the global `Kusto`). Loading them with
 * CommonJS `require` in that order is enough; nothing else is expected on the global object.
 */
import { createRequire } from 'node:module';
import { BUILTIN_TABLES } from '../data/schemas.js';

export interface OracleColumn {
  name: string;
  type: string;
}

export interface OracleDiagnostic {
  code: string;
  message: string;
  start: number;
  length: number;
  severity: string;
}

export interface OracleResult {
  columns: OracleColumn[];
  diagnostics: OracleDiagnostic[];
}

/* The small slice of the Bridge.NET surface used here (the package's own .d.ts is a 30k-line global namespace). */
interface NetList<T> {
  Count: number;
  getItem(index: number): T;
}
interface KustoTypeSymbol {
  Name: string;
}
interface KustoColumnSymbol {
  Name: string;
  Type: KustoTypeSymbol;
}
interface KustoSymbol {
  Columns?: NetList<KustoColumnSymbol>;
}
interface KustoDiagnostic {
  Code: string;
  Message: string;
  Start: number;
  Length: number;
  Severity: string;
}
interface KustoCode {
  ResultType: KustoSymbol | null;
  GetDiagnostics(): NetList<KustoDiagnostic>;
}
interface KustoGlobalState {
  WithDatabase(database: unknown): KustoGlobalState;
}
interface KustoLanguage {
  GlobalState: { Default: KustoGlobalState };
  KustoCode: { ParseAndAnalyze(text: string, globals: KustoGlobalState): KustoCode };
  Symbols: {
    ScalarTypes: { GetSymbol(typeName: string): KustoTypeSymbol | null };
    ColumnSymbol: new (
      name: string, type: KustoTypeSymbol, description: string | null,
      originalColumns: null, source: null, examples: null,
    ) => KustoColumnSymbol;
    TableSymbol: { $ctor4: new (name: string, columns: KustoColumnSymbol[]) => unknown };
    DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
  };
}

const PACKAGE_DIR = '@kusto/language-service-next';
let cachedLanguage: KustoLanguage | undefined;

/** Loads the two bundles once per process (about half a second) and returns `Kusto.Language`. */
function kustoLanguage(): KustoLanguage {
  if (cachedLanguage) return cachedLanguage;
  const require = createRequire(import.meta.url);
  // The runtime shim must exist before the Kusto bundle runs: the bundle calls Bridge.assembly at load time.
  require(`${PACKAGE_DIR}/bridge.js`);
  require(`${PACKAGE_DIR}/Kusto.Language.Bridge.js`);
  const kusto = (globalThis as { Kusto?: { Language?: KustoLanguage } }).Kusto;
  if (!kusto?.Language) throw new Error(`${PACKAGE_DIR} loaded but did not define the global Kusto.Language`);
  cachedLanguage = kusto.Language;
  return cachedLanguage;
}

function listToArray<T>(list: NetList<T> | null | undefined): T[] {
  const items: T[] = [];
  if (!list) return items;
  for (let i = 0; i < list.Count; i++) items.push(list.getItem(i));
  return items;
}

function buildGlobals(language: KustoLanguage, tables: Record<string, OracleColumn[]>): KustoGlobalState {
  const { ScalarTypes, ColumnSymbol, TableSymbol, DatabaseSymbol } = language.Symbols;
  const tableSymbols = Object.entries(tables).map(([tableName, columns]) => {
    const columnSymbols = columns.map(column => {
      const type = ScalarTypes.GetSymbol(column.type);
      // An unknown type name would silently bind as `unknown` and hide a typo in a test schema.
      if (!type) throw new Error(`oracle: unknown Kusto type '${column.type}' for ${tableName}.${column.name}`);
      return new ColumnSymbol(column.name, type, null, null, null, null);
    });
    return new TableSymbol.$ctor4(tableName, columnSymbols);
  });
  const database = new DatabaseSymbol.ctor('stagehunt', tableSymbols);
  return language.GlobalState.Default.WithDatabase(database);
}

/**
 * Parses and binds `query` against a database holding `tables`, and returns the columns of the query's
 * result (empty when the result is not tabular) and every diagnostic, positions as offsets into `query`.
 */
export function kustoResultColumns(query: string, tables: Record<string, OracleColumn[]>): OracleResult {
  const language = kustoLanguage();
  const code = language.KustoCode.ParseAndAnalyze(query, buildGlobals(language, tables));
  const columns = listToArray(code.ResultType?.Columns).map(column => ({
    name: column.Name,
    type: column.Type.Name,
  }));
  const diagnostics = listToArray(code.GetDiagnostics()).map(diagnostic => ({
    code: diagnostic.Code,
    message: diagnostic.Message,
    start: diagnostic.Start,
    length: diagnostic.Length,
    severity: diagnostic.Severity,
  }));
  return { columns, diagnostics };
}

/** The engine's built-in table schemas (`src/data/schemas.ts`) in the oracle's form. */
export function builtinTableSchemas(): Record<string, OracleColumn[]> {
  return Object.fromEntries(Object.entries(BUILTIN_TABLES).map(([tableName, columns]) => [
    tableName,
    columns.map(column => ({ name: column.name, type: column.type })),
  ]));
}
