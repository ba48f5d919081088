/**
 * Comparing our result with DuckDB's: both are brought to one plain form (datetimes as ISO instants at
 * microsecond precision, numbers as numbers, empty strings for null strings, dynamic values as canonical
 * JSON), rows are sorted, and the first difference is reported.
 *
 * Some KQL aggregates pick values in input order (`take_any`, `make_set(x, N)` with more than N
 * distinct values), which SQL cannot reproduce; for those columns the SQL returns every candidate and
 * the check is membership: `anyOf` (our value is one of DuckDB's list), `cappedSet` (our set is a
 * subset of DuckDB's full set, of size min(N, full size)). `set` columns compare as sorted arrays.
 */
export type ColumnCheck = 'exact' | 'set' | 'anyOf' | { cappedSet: number };

export interface EngineResult {
  columns: Array<{ name: string; type?: string }>;
  rows: unknown[][];
}

export interface Comparison {
  match: boolean;
  /** The first difference, in words (empty when the results match). */
  difference: string;
}

/** `2026-11-27T10:00:00.1234567Z`, `2026-11-27 10:00:00.1234567`, `… +00` → `2026-11-27T10:00:00.123456Z`. */
export function normaliseInstant(text: string): string {
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?(?:Z|[+-]00(?::?00)?)?$/.exec(text.trim());
  if (!m) return text;
  const micros = (m[3] ?? '').padEnd(6, '0').slice(0, 6);
  return `${m[1]}T${m[2]}.${micros}Z`;
}

/** JSON text with object keys sorted, so that equal values print equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? 'null';
}

function asDynamic(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}

/** One cell in plain form, by the Kusto type of the column (ours tells the type; DuckDB's cells follow it). */
export function normaliseCell(value: unknown, type: string | undefined): unknown {
  if (value === undefined) value = null;
  switch (type) {
    case 'datetime': return value === null || value === '' ? null : normaliseInstant(String(value));
    case 'long': case 'int': case 'real': case 'decimal': case 'timespan':
      return value === null || value === '' ? null : Number(value);
    case 'bool': return value === null ? null : value === true || value === 'true';
    case 'string': case 'guid': return value === null ? '' : String(value);
    case 'dynamic': return asDynamic(value);
    default: return value;
  }
}

function asList(value: unknown): unknown[] {
  const v = asDynamic(value);
  return Array.isArray(v) ? v : v === null ? [] : [v];
}

function sortedList(value: unknown): string[] {
  return asList(value).map(canonicalJson).sort();
}

interface PreparedRow {
  key: string;
  cells: unknown[];
}

function prepare(result: EngineResult, types: Array<string | undefined>, checks: ColumnCheck[], side: 'ours' | 'duckdb'): PreparedRow[] {
  return result.rows.map((row) => {
    const cells = types.map((type, i) => {
      const check = checks[i] ?? 'exact';
      if (check === 'exact') return canonicalJson(normaliseCell(row[i], type));
      if (check === 'set') return canonicalJson(sortedList(row[i]));
      // Membership checks: ours is the picked value(s), DuckDB's the candidates.
      if (check === 'anyOf') return side === 'ours' ? canonicalJson(normaliseCell(row[i], type)) : asList(row[i]).map((v) => canonicalJson(normaliseCell(v, type)));
      return sortedList(row[i]);
    });
    const key = cells.filter((_, i) => (checks[i] ?? 'exact') === 'exact' || checks[i] === 'set').join('\u0001');
    return { key, cells };
  }).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function membershipDifference(check: ColumnCheck, ours: unknown, theirs: unknown): string | undefined {
  if (check === 'anyOf') {
    const candidates = theirs as string[];
    return candidates.includes(ours as string) ? undefined : `${ours as string} is not among DuckDB's ${candidates.slice(0, 5).join(', ')}`;
  }
  if (typeof check === 'object') {
    const picked = ours as string[];
    const all = new Set(theirs as string[]);
    const missing = picked.filter((v) => !all.has(v));
    if (missing.length > 0) return `${missing.slice(0, 3).join(', ')} not in DuckDB's set`;
    const expected = Math.min(check.cappedSet, all.size);
    if (picked.length !== expected) return `${picked.length} values, expected ${expected} (cap ${check.cappedSet} of ${all.size})`;
  }
  return undefined;
}

function show(cells: unknown[], names: string[]): string {
  const text = cells.map((c, i) => `${names[i]}=${typeof c === 'string' ? c : JSON.stringify(c)}`).join(', ');
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** Whether both engines returned the same rows (order ignored), and the first difference if not. */
export function compareResults(ours: EngineResult, duckdb: EngineResult, checks: ColumnCheck[] = []): Comparison {
  const names = ours.columns.map((c) => c.name);
  const theirNames = duckdb.columns.map((c) => c.name);
  if (names.join(',') !== theirNames.join(',')) {
    return { match: false, difference: `columns differ: ours (${names.join(', ')}) vs DuckDB (${theirNames.join(', ')})` };
  }
  if (ours.rows.length !== duckdb.rows.length) {
    return { match: false, difference: `${ours.rows.length} rows (ours) vs ${duckdb.rows.length} (DuckDB)${firstRowOnlyOneSide(ours, duckdb, checks)}` };
  }
  const types = ours.columns.map((c) => c.type);
  const a = prepare(ours, types, checks, 'ours');
  const b = prepare(duckdb, types, checks, 'duckdb');
  for (let r = 0; r < a.length; r++) {
    if (a[r]!.key !== b[r]!.key) return { match: false, difference: `row ${r + 1} (sorted): ours ${show(a[r]!.cells, names)} | DuckDB ${show(b[r]!.cells, names)}` };
    for (let c = 0; c < names.length; c++) {
      const check = checks[c] ?? 'exact';
      if (check === 'exact' || check === 'set') continue;
      const problem = membershipDifference(check, a[r]!.cells[c], b[r]!.cells[c]);
      if (problem) return { match: false, difference: `row ${r + 1} (sorted), ${names[c]}: ${problem}` };
    }
  }
  return { match: true, difference: '' };
}

/** When row counts differ: the first row (by sort key) one side has and the other lacks. */
function firstRowOnlyOneSide(ours: EngineResult, duckdb: EngineResult, checks: ColumnCheck[]): string {
  const types = ours.columns.map((c) => c.type);
  const a = prepare(ours, types, checks, 'ours');
  const b = prepare(duckdb, types, checks, 'duckdb');
  const theirKeys = new Set(b.map((r) => r.key));
  const ourKeys = new Set(a.map((r) => r.key));
  const names = ours.columns.map((c) => c.name);
  const onlyOurs = a.find((r) => !theirKeys.has(r.key));
  if (onlyOurs) return `; first row only ours has: ${show(onlyOurs.cells, names)}`;
  const onlyTheirs = b.find((r) => !ourKeys.has(r.key));
  if (onlyTheirs) return `; first row only DuckDB has: ${show(onlyTheirs.cells, names)}`;
  return '';
}
