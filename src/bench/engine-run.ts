/**
 * One measured run, in its own process so that its peak RSS is its own:
 *   node dist/bench/engine-run.js ours|duckdb QUERY_ID FORMAT DATA_DIR NOW RESULT_FILE
 * Runs the query (our engine through runQuery, or DuckDB with the query's SQL over the same files),
 * writes the result rows as JSON to RESULT_FILE and prints `{ seconds, rows, peakRssBytes }` on stdout.
 * The time is the query's alone (process start-up and module loading excluded, on both sides).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { runQuery, streamRows } from '../run-query.js';
import type { EngineResult } from './compare.js';
import { BENCH_FORMATS, bindTables, type BenchFormat } from './duckdb-sql.js';
import { benchQuery } from './queries.js';

export interface RunMeasurement {
  seconds: number;
  rows: number;
  peakRssBytes: number;
  /** The engine's own version, when it tells (DuckDB's `version()`). */
  engineVersion?: string;
}

export async function runOurs(queryId: string, directory: string, now: string): Promise<EngineResult> {
  const kql = await benchQuery(queryId).kql();
  const result = await runQuery(kql, { data: directory, now });
  return { columns: result.columns, rows: result.rows };
}

/** Runs our engine, writing `{ columns, rows }` to `file` row by row; returns the number of rows. */
async function writeOursStreaming(queryId: string, directory: string, now: string, file: string): Promise<number> {
  const kql = await benchQuery(queryId).kql();
  const stream = await streamRows(kql, { data: directory, now });
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`{"columns":${JSON.stringify(stream.columns)},"rows":[`);
  let count = 0;
  for await (const row of stream.rows) await write(`${count++ === 0 ? '' : ','}${JSON.stringify(row, jsonReplacer)}`);
  await write(']}');
  out.end();
  await once(out, 'finish');
  return count;
}

function jsonReplacer(_: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

export async function runDuckdb(queryId: string, format: BenchFormat, directory: string, now: string): Promise<EngineResult & { version: string }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const reader = await connection.runAndReadAll(bindTables(benchQuery(queryId).sql(now), directory, format));
  const version = String((await connection.runAndReadAll('SELECT version()')).getRows()[0]![0]);
  return { columns: reader.columnNames().map((name) => ({ name })), rows: reader.getRowsJson() as unknown[][], version };
}

async function main(): Promise<void> {
  const [engine, queryId, format, directory, now, resultFile] = process.argv.slice(2);
  if (!resultFile || (engine !== 'ours' && engine !== 'duckdb') || !BENCH_FORMATS.includes(format as BenchFormat)) {
    process.stderr.write('usage: engine-run.js ours|duckdb QUERY_ID ndjson|csv|parquet DATA_DIR NOW RESULT_FILE\n');
    process.exit(2);
  }
  const started = performance.now();
  let measurement: RunMeasurement;
  if (engine === 'ours') {
    // Rows go to the file as the query produces them, as `stagehunt query --format ndjson` prints
    // them: a streaming query's memory is then its own, not that of its collected result.
    const rows = await writeOursStreaming(queryId!, directory!, now!, resultFile);
    const seconds = (performance.now() - started) / 1000;
    measurement = { seconds, rows, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  } else {
    const result = await runDuckdb(queryId!, format as BenchFormat, directory!, now!);
    const seconds = (performance.now() - started) / 1000;
    measurement = { seconds, rows: result.rows.length, peakRssBytes: process.resourceUsage().maxRSS * 1024, engineVersion: result.version };
    await writeFile(resultFile, JSON.stringify({ columns: result.columns, rows: result.rows }, jsonReplacer));
  }
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

// Run only as a program, not when imported (the tests use runOurs/runDuckdb directly).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
