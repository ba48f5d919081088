/**
 * A worker thread of parallel NDJSON scans (parallel-scan.ts), kept for the whole process: for each
 * scan it is told the setup once, then types and filters one line-aligned byte range at a time with
 * the same code as a scan on the main thread, and posts back what it keeps and what it met. Line
 * numbers are counted from the range's first line; the main thread adds the lines of the ranges
 * before it. A scan that ends early tells the worker, which drops that scan's remaining work.
 */
import { parentPort } from 'node:worker_threads';
import { compilePortableFilter, type PortableFilter } from '../kql/exec/portable-filter.js';
import type { ScanFilter } from '../kql/values/batch.js';
import { IssueLog } from './issues.js';
import { lineBlocks, type ByteRange } from './line-blocks.js';
import { neededIndexes, type ScanWorkerMessage, type ScanWorkerSetup, type ScanWorkerTask } from './parallel-scan.js';
import { typedBatches } from './table-source.js';

const port = parentPort!;

interface ScanState {
  setup: ScanWorkerSetup;
  filter: Promise<ScanFilter | undefined>;
}

/** Scans this worker has been set up for and that have not ended. */
const scans = new Map<number, ScanState>();

/** Passes rejections and unknown columns on to the main thread instead of reporting them. */
class ForwardingIssues extends IssueLog {
  constructor(private readonly scan: number, private readonly index: number) {
    super({ onReject: (r) => post({ scan, index, kind: 'reject', line: r.line, reason: r.reason }) });
  }

  override unknownColumn(name: string, line: number): void {
    post({ scan: this.scan, index: this.index, kind: 'unknownColumn', name, line });
  }
}

function post(message: ScanWorkerMessage): void {
  port.postMessage(message);
}

async function scanRange(scan: number, index: number, range: ByteRange): Promise<void> {
  const state = scans.get(scan);
  if (!state) return;
  const { setup } = state;
  const filter = await state.filter;
  const needed = neededIndexes(setup);
  let lines = 0;
  const source = { label: setup.path, lines: lineBlocks(setup.path, false, { range }), onEnd: (count: number) => (lines = count) };
  const batches = typedBatches(setup.table, setup.schema, [source], setup.columns, new ForwardingIssues(scan, index), new Set(), filter);
  for await (const batch of batches) {
    if (!scans.has(scan)) return;
    post({ scan, index, kind: 'batch', columns: needed.map((c) => batch.columns[c]!), length: batch.length });
  }
  post({ scan, index, kind: 'done', lines });
}

function setUp(scan: number, setup: ScanWorkerSetup): void {
  const filter: Promise<ScanFilter | undefined> = setup.portableFilter === undefined
    ? Promise.resolve(undefined)
    : compilePortableFilter(setup.portableFilter as PortableFilter).then((predicates) => ({ columns: setup.filterColumns, predicates }));
  scans.set(scan, { setup, filter });
}

// Ranges are handled one after another, in the order they are given. A failure is left unhandled:
// it ends this worker with an 'error' event, which fails the scan on the main thread.
let queue = Promise.resolve();
port.on('message', (task: ScanWorkerTask) => {
  switch (task.kind) {
    case 'setup':
      setUp(task.scan, task.setup);
      break;
    case 'range':
      queue = queue.then(() => scanRange(task.scan, task.index, task.range));
      break;
    case 'end':
      scans.delete(task.scan);
      break;
  }
});
