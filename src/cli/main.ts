#!/usr/bin/env node
/**
 * The `stagehunt` command line. Exit codes (DESIGN.md): 0 ok; 1 query, data or runtime error;
 * 2 usage error. Results go to stdout; notes, rejected records and timings go to stderr.
 */
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { createRejectReporter } from '../data/catalog.js';
import { KqlError } from '../kql/syntax/diagnostics.js';
import { QueryError, type QueryRowStream, streamRows } from '../run-query.js';
import { renderDiagnostics } from './diagnostics.js';
import { registerHuntCommand } from './hunt.js';
import { registerTestCommand } from './test-command.js';
import { registerIngestCommand } from './ingest.js';
import { registerExportCommand } from './export.js';
import { maxMemoryOption } from './memory-option.js';
import { OUTPUT_FORMATS, type OutputFormat, STREAMED_FORMATS, formatResult, streamedHeader, streamedRow } from './output.js';

class UsageError extends Error {}

const collect = (value: string, previous: string[]) => [...previous, value];

function dataOption() {
  return new Option('--data <path>', 'telemetry file or folder (repeatable): Defender/Sentinel exports (DeviceFileEvents.ndjson/.csv/.parquet, …) or raw logs (EVTX, Sysmon XML/JSON, auditd)')
    .argParser(collect)
    .default([]);
}

function formatOption(defaultFormat: OutputFormat) {
  return new Option('--format <format>', 'output format').choices([...OUTPUT_FORMATS]).default(defaultFormat);
}

function buildProgram(): Command {
  const program = new Command('stagehunt')
    .description('Run Microsoft Sentinel / Defender KQL detections for T1074 Data Staged offline, over exported telemetry.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('query')
    .description('run a KQL query over telemetry files')
    .argument('[kql]', 'the query text (or use --query-file)')
    .addOption(dataOption())
    .option('--query-file <file>', "read the query from a file ('-' for stdin)")
    .option('--input-format <format>', 'format of the raw log files in --data, instead of detecting it (evtx, sysmon-xml, sysmon-json, sentinel-syslog, auditd)')
    .option('--now <iso|latest>', "now() for the query: an ISO datetime, or 'latest' = newest event in the data (default: the clock, as in Kusto)")
    .addOption(formatOption('table'))
    .addOption(maxMemoryOption())
    .addHelpText(
      'after',
      `
Examples:
  $ stagehunt query --data examples/seed-tests 'DeviceFileEvents | summarize count() by ActionType'
  $ stagehunt query --data exports/ --now latest --format json --query-file rule.kql
  $ stagehunt query --data DeviceProcessEvents.csv.gz --format csv 'DeviceProcessEvents | take 10'

A file named after a Defender table (DeviceFileEvents.csv, .json, .ndjson, .jsonl, optionally .gz)
feeds that table; so does a folder named after it. Raw logs — EVTX, Sysmon XML or JSON (Winlogbeat,
flattened), Sysmon for Linux syslog, Security 4688/4663/5145, auditd — are detected and normalised into
the Defender tables on the fly (see docs/telemetry-mapping.md). CSV cells starting with = + - @ are prefixed with '
so spreadsheets do not run them.`,
    )
    .action(async (kql: string | undefined, opts: QueryOptions) => {
      const { text, name } = await queryText(kql, opts.queryFile);
      await runWithReporting(text, name, opts, (stream) => writeResult(stream, opts.format));
    });

  registerHuntCommand(program);
  registerTestCommand(program);
  registerIngestCommand(program);
  registerExportCommand(program);
  return program;
}

async function queryText(inline: string | undefined, file: string | undefined): Promise<{ text: string; name: string }> {
  if (inline !== undefined && file !== undefined) throw new UsageError('give the query either inline or with --query-file, not both');
  if (file === '-') return { text: await readStdin(), name: '<stdin>' };
  if (file !== undefined) {
    try {
      return { text: await readFile(file, 'utf8'), name: file };
    } catch (e) {
      throw new QueryError(`cannot read query file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (inline === undefined) throw new UsageError('no query: pass the KQL text as an argument or use --query-file');
  return { text: inline, name: '<query>' };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface QueryOptions {
  data: string[];
  queryFile?: string;
  now?: string;
  format: OutputFormat;
  inputFormat?: string;
  maxMemory?: number;
}

/**
 * Prints the result: NDJSON and CSV row by row while the query runs (so a streaming query's memory
 * does not grow with its output), JSON and tables once every row is in.
 */
async function writeResult(stream: QueryRowStream, format: OutputFormat): Promise<void> {
  if (!STREAMED_FORMATS.includes(format)) {
    const rows: unknown[][] = [];
    for await (const row of stream.rows) rows.push(row);
    process.stdout.write(formatResult(stream.columns, rows, format));
    return;
  }
  let pending = streamedHeader(stream.columns, format);
  for await (const row of stream.rows) {
    pending += streamedRow(stream.columns, row, format);
    if (pending.length >= OUTPUT_CHUNK_CHARS) {
      await writeOut(pending);
      pending = '';
    }
  }
  await writeOut(pending);
}

/** Rows are written to stdout in chunks of about this many characters. */
const OUTPUT_CHUNK_CHARS = 64 * 1024;

/** Writes to stdout, waiting when its buffer is full (a slow reader of the output holds the query back, not memory). */
async function writeOut(text: string): Promise<void> {
  if (text.length > 0 && !process.stdout.write(text)) await once(process.stdout, 'drain');
}

async function runWithReporting(text: string, sourceName: string, opts: QueryOptions, consume: (stream: QueryRowStream) => Promise<void>): Promise<void> {
  const reporter = createRejectReporter(process.stderr);
  try {
    const stream = await streamRows(text, {
      data: opts.data,
      now: opts.now,
      inputFormat: opts.inputFormat,
      maxMemory: opts.maxMemory,
      onReject: reporter.onReject,
      onWarning: (message) => process.stderr.write(`note: ${message}\n`),
    });
    await consume(stream);
  } catch (e) {
    if (e instanceof KqlError) throw new RenderedError(renderDiagnostics(e.diagnostics, text, sourceName));
    throw e;
  } finally {
    const summary = reporter.summary();
    if (summary) process.stderr.write(`${summary}\n`);
  }
}

class RenderedError extends Error {}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n(run with --help for usage)\n`);
      return 2;
    }
    if (e instanceof RenderedError || e instanceof QueryError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    process.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`);
    return 1;
  }
}

main(process.argv).then((code) => {
  process.exitCode = code;
});
