/**
 * A worker thread of a parallel NDJSON scan (parallel-scan.ts): types and filters one line-aligned
 * byte range at a time with the same code as a scan on the main thread, and posts back what it keeps
 * and what it met. Line numbers are counted from the range's first line; the main thread adds the
 * lines of the ranges before it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compilePortableFilter, type PortableFilter } from '../kql/exec/portable-filter.js';
import type { ScanFilter } from '../kql/values/batch.js';
import { IssueLog } from './issues.js';
import { lineBlocks, type ByteRange } from './line-blocks.js';
import { neededIndexes, type ScanWorkerMessage, type ScanWorkerSetup } from './parallel-scan.js';
import { typedBatches } from './table-source.js';

const setup = workerData as ScanWorkerSetup;
const port = parentPort!;

/** Passes rejections and unknown columns on to the main thread instead of reporting them. */
class ForwardingIssues extends IssueLog {
  constructor(private readonly index: number) {
    super({ onReject: (r) => post({ index, kind: 'reject', line: r.line, reason: r.reason }) });
  }

  override unknownColumn(name: string, line: number): void {
    post({ index: this.index, kind: 'unknownColumn', name, line });
  }
}

function post(message: ScanWorkerMessage): void {
  port.postMessage(message);
}

async function scanRange(index: number, range: ByteRange, filter: ScanFilter | undefined): Promise<void> {
  const needed = neededIndexes(setup);
  let lines = 0;
  const source = { label: setup.path, lines: lineBlocks(setup.path, false, { range }), onEnd: (count: number) => (lines = count) };
  const batches = typedBatches(setup.table, setup.schema, [source], setup.columns, new ForwardingIssues(index), new Set(), filter);
  for await (const batch of batches) {
    post({ index, kind: 'batch', columns: needed.map((c) => batch.columns[c]!), length: batch.length });
  }
  post({ index, kind: 'done', lines });
}

const filterReady: Promise<ScanFilter | undefined> = setup.portableFilter === undefined
  ? Promise.resolve(undefined)
  : compilePortableFilter(setup.portableFilter as PortableFilter).then((predicates) => ({ columns: setup.filterColumns, predicates }));

// Ranges are handled one after another, in the order they are given. A failure is left unhandled:
// it ends this worker with an 'error' event, which fails the scan on the main thread.
let queue = Promise.resolve();
port.on('message', (task: { index: number; range: ByteRange }) => {
  queue = queue.then(async () => scanRange(task.index, task.range, await filterReady));
});
