/**
 * `npm run gen -- --events N --devices D --out DIR [--format ndjson|csv|parquet] [--seed S] [--attacks K]
 *                 [--window 24h] [--end ISO]`
 * Writes one file per Device* table and manifest.json, and prints the rate.
 */
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_END, DEFAULT_SEED, DEFAULT_WINDOW, generateTelemetry } from './generate.js';
import { OUTPUT_FORMATS, type OutputFormat } from './writer.js';

function integer(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw new InvalidArgumentError('expected a whole number');
  return value;
}

function format(text: string): OutputFormat {
  if (!(OUTPUT_FORMATS as readonly string[]).includes(text)) throw new InvalidArgumentError(`expected one of ${OUTPUT_FORMATS.join(', ')}`);
  return text as OutputFormat;
}

async function main(): Promise<void> {
  const program = new Command('gen')
    .description('Generate deterministic synthetic Defender Device* telemetry with injected T1074 staging attacks')
    .requiredOption('--events <n>', 'total rows over all seven tables (attacks included)', integer)
    .requiredOption('--devices <n>', 'number of devices in the simulated fleet', integer)
    .requiredOption('--out <dir>', 'output folder')
    .option('--format <format>', 'ndjson, csv or parquet', format, 'ndjson')
    .option('--seed <n>', 'random seed', integer, DEFAULT_SEED)
    .option('--attacks <n>', 'injected staging attacks (cycling through all 9 kinds)', integer, 9)
    .option('--window <duration>', 'time span of the events, e.g. 24h or 7d', DEFAULT_WINDOW)
    .option('--end <iso>', 'instant the window ends at (whole second)', DEFAULT_END)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
  program.parse();
  const o = program.opts<{ events: number; devices: number; out: string; format: OutputFormat; seed: number; attacks: number; window: string; end: string }>();
  const { manifest, manifestPath, elapsedMs } = await generateTelemetry({
    ...o,
    onProgress: (rows) => process.stderr.write(`  ${rows.toLocaleString('en-US')} rows…\n`),
  });
  const seconds = elapsedMs / 1000;
  for (const [table, count] of Object.entries(manifest.counts)) console.log(`${table.padEnd(24)} ${String(count).padStart(12)}`);
  console.log(`${manifest.attacks.length} attacks injected (${manifest.attackRows} rows); window ${manifest.window.start} – ${manifest.window.end}`);
  console.log(`${manifest.events.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s: ${Math.round(manifest.events / seconds).toLocaleString('en-US')} rows/s → ${manifestPath}`);
}

main().catch((error: unknown) => {
  console.error(`gen: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
