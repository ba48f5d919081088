/**
 * One pass over a table for several `where` chains. The seed rule reads `DeviceFileEvents` in two
 * branches (`T | where a | where b | summarize …` and `T | where a | where c | project …`); reading
 * and typing the file is most of the cost, so such chains share one filtered scan: the reader keeps
 * the rows any chain keeps (its filter is `(a and b) or (a and c)`, with the columns of both), and
 * each kept batch is handed to every chain with the rows that chain's own predicates select.
 *
 * Chains are pulled one after another (union legs, join sides), so what the scan finds for a chain
 * that is not reading yet waits in a queue. The queues count against the query's memory limit, as
 * kept `let` results do (at most KEPT_SHARE_OF_LIMIT of it, and given back first when another
 * operator needs the room): past that the waiting chain is let go and scans the table on its own
 * when it is read (correct, slower). A chain read a second time (a plan part run again)
 * also scans on its own. Chains with non-deterministic predicates are never shared.
 */
import type { Span } from '../syntax/ast.js';
import type { BoundExpr, FilterNode, PlanNode, ScanNode } from '../semantics/bound.js';
import { BUILTINS } from '../functions/builtins.js';
import { type Batch, type ScanFilter, type Selection, selectRows } from '../values/batch.js';
import { type CompiledExpr, rowsKeptByAll } from './expressions.js';
import type { MemoryAccount, MemoryBudget } from './memory.js';
import { childrenOf, hasNonDeterministicCall, isPlanNode } from './plan-walk.js';
import { scanFilterOf } from './portable-filter.js';
import { KEPT_SHARE_OF_LIMIT, batchBytes } from './shared-results.js';


/** A batch and the rows of it a chain keeps (all rows when undefined). */
export interface SelectedBatch {
  batch: Batch;
  rows?: Selection;
}

/** What a shared scan needs from the executor. */
export interface SharedScanHost {
  compile(expr: BoundExpr): Promise<CompiledExpr>;
  /** The reader's filtered scan (TableReader.scanFiltered). */
  scanFiltered(table: string, columns: readonly string[] | undefined, scan: ScanNode, filter: ScanFilter): AsyncIterable<Batch>;
  now: bigint;
  budget: MemoryBudget;
}

/** A chain of `where`s straight over a scan, as the executor fuses it (bottom first). */
interface Member {
  chain: FilterNode[];
  scan: ScanNode;
  predicates: CompiledExpr[] | undefined;
  queue: SelectedBatch[];
  queuedBytes: number[];
  /** waiting: not read yet (batches queue up); reading: being read; ended: read or stopped; alone: scans by itself. */
  state: 'waiting' | 'reading' | 'ended' | 'alone';
}

export class SharedScans {
  private readonly groups = new Map<FilterNode, ScanGroup>();

  /** `fusable`: whether a `where` joins the chain above it (the executor's rule: not a shared result). */
  constructor(root: PlanNode, fusable: (node: PlanNode) => node is FilterNode, host: SharedScanHost | undefined) {
    if (!host) return;
    const byTable = new Map<string, Member[]>();
    for (const top of chainTops(root, fusable)) {
      const chain: FilterNode[] = [top];
      let source: PlanNode = top.input;
      for (; fusable(source); source = source.input) chain.unshift(source);
      if (source.kind !== 'Scan' || chain.some((f) => hasNonDeterministicCall(f.predicate))) continue;
      const members = byTable.get(source.table) ?? [];
      members.push({ chain, scan: source, predicates: undefined, queue: [], queuedBytes: [], state: 'waiting' });
      byTable.set(source.table, members);
    }
    for (const members of byTable.values()) {
      if (members.length < 2) continue;
      const group = new ScanGroup(members, host);
      for (const member of members) this.groups.set(member.chain[member.chain.length - 1]!, group);
    }
  }

  /**
   * The batches of the chain topped by `top` from its table's shared scan, or undefined when the
   * chain does not share a scan (any more) and should scan on its own.
   */
  stream(top: FilterNode): AsyncIterable<SelectedBatch> | undefined {
    return this.groups.get(top)?.stream(top);
  }
}

/** The `where`s that top a fusable chain: no fusable `where` reads them. */
function chainTops(root: PlanNode, fusable: (node: PlanNode) => node is FilterNode): FilterNode[] {
  const filters = new Set<FilterNode>();
  const inner = new Set<PlanNode>();
  const seen = new Set<PlanNode>();
  const visit = (node: PlanNode) => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node.kind === 'Filter') {
      filters.add(node);
      if (fusable(node.input)) inner.add(node.input);
    }
    for (const child of childrenOf(node)) if (isPlanNode(child)) visit(child);
  };
  visit(root);
  return [...filters].filter((f) => !inner.has(f));
}

class ScanGroup {
  private readonly byTop = new Map<FilterNode, Member>();
  private source: AsyncIterator<Batch> | undefined;
  private advancing: Promise<void> | undefined;
  private finished = false;
  private failure: unknown;
  private account: MemoryAccount | undefined;
  /** Withdraws the offer to let waiting chains go when the memory limit is reached. */
  private unregister: (() => void) | undefined;

  constructor(
    private readonly members: Member[],
    private readonly host: SharedScanHost,
  ) {
    for (const member of members) this.byTop.set(member.chain[member.chain.length - 1]!, member);
  }

  stream(top: FilterNode): AsyncIterable<SelectedBatch> | undefined {
    const member = this.byTop.get(top)!;
    if (member.state !== 'waiting') return undefined;
    member.state = 'reading';
    return this.read(member);
  }

  private async *read(member: Member): AsyncIterable<SelectedBatch> {
    try {
      for (;;) {
        const next = member.queue.shift();
        if (next !== undefined) {
          this.account?.add(-1, -member.queuedBytes.shift()!);
          yield next;
          continue;
        }
        if (this.failure !== undefined) throw this.failure;
        if (this.finished) return;
        await this.advance();
      }
    } finally {
      this.release(member, 'ended');
      if (this.members.every((m) => m.state === 'ended' || m.state === 'alone')) await this.stop();
    }
  }

  /** Reads the next batch of the shared scan and hands it to the chains still listening. */
  private advance(): Promise<void> {
    this.advancing ??= this.readNext().finally(() => (this.advancing = undefined));
    return this.advancing;
  }

  private async readNext(): Promise<void> {
    try {
      this.source ??= (await this.start())[Symbol.asyncIterator]();
      const next = await this.source.next();
      if (next.done) this.finished = true;
      else this.route(next.value);
    } catch (error) {
      this.failure = error;
    }
  }

  private async start(): Promise<AsyncIterable<Batch>> {
    for (const member of this.members) {
      member.predicates = [];
      for (const filter of member.chain) member.predicates.push(await this.host.compile(filter.predicate));
    }
    this.account = this.host.budget.open('shared scan');
    this.unregister = this.host.budget.onLimit(() => {
      for (const member of this.members) if (member.state === 'waiting') this.release(member, 'alone');
    });
    const scan = this.members[0]!.scan;
    const predicate = anyOf(this.members.map((m) => allOf(m.chain.map((f) => f.predicate))));
    const filter = scanFilterOf([predicate], [await this.host.compile(predicate)], scan.schema, this.host.now);
    return this.host.scanFiltered(scan.table, unionOfColumns(this.members.map((m) => m.scan)), scan, filter);
  }

  private route(batch: Batch): void {
    let wholeBytes: number | undefined;
    const budget = this.host.budget;
    const cap = budget.limitBytes * KEPT_SHARE_OF_LIMIT;
    for (const member of this.members) {
      if (member.state !== 'waiting' && member.state !== 'reading') continue;
      const rows = rowsKeptByAll(batch, member.predicates!);
      if (rows !== undefined && rows.length === 0) continue;
      let item: SelectedBatch = rows === undefined ? { batch } : { batch, rows };
      let bytes: number;
      if (member.state === 'waiting' && rows !== undefined) {
        // A waiting chain keeps its own rows only: a reference to the whole batch would keep every
        // row any chain kept (at 10M events, the whole output of the scan) until it is read.
        const own = selectRows(batch, rows);
        item = { batch: own };
        bytes = batchBytes(own);
      } else {
        bytes = wholeBytes ??= batchBytes(batch);
      }
      if (member.state === 'waiting' && (this.account!.bytes + bytes > cap || budget.heldBytes + bytes > budget.limitBytes)) {
        this.release(member, 'alone');
        continue;
      }
      member.queue.push(item);
      member.queuedBytes.push(bytes);
      this.account!.add(1, bytes, 'batches');
    }
    this.account?.report();
  }

  private release(member: Member, state: 'ended' | 'alone'): void {
    member.state = state;
    for (const bytes of member.queuedBytes) this.account?.add(-1, -bytes);
    member.queue = [];
    member.queuedBytes = [];
  }

  /** No chain listens any more: the scan stops (worker threads end, files close). */
  private async stop(): Promise<void> {
    this.unregister?.();
    this.account?.close();
    if (this.finished || !this.source) return;
    this.finished = true;
    await this.advancing;
    await this.source.return?.();
  }
}

/** Every column any of the scans reads (all columns when one of them reads all). */
function unionOfColumns(scans: readonly ScanNode[]): string[] | undefined {
  const names = new Set<string>();
  for (const scan of scans) {
    if (!scan.columns) return undefined;
    for (const name of scan.columns) names.add(name);
  }
  return [...names];
}

function allOf(predicates: readonly BoundExpr[]): BoundExpr {
  return predicates.reduce((left, right) => logical('and', left, right));
}

function anyOf(predicates: readonly BoundExpr[]): BoundExpr {
  return predicates.reduce((left, right) => logical('or', left, right));
}

/** `left and right` / `left or right` as the binder would build it (the engine's own operator, three-valued). */
function logical(name: 'and' | 'or', left: BoundExpr, right: BoundExpr): BoundExpr {
  const fn = BUILTINS.operator(name);
  if (!fn) throw new Error(`internal: no operator ${name}`);
  return { kind: 'Call', fn, args: [left, right], type: 'bool', span: spanOf(left) };
}

function spanOf(expr: BoundExpr): Span {
  return expr.kind === 'Call' ? expr.span : { start: 0, end: 0 };
}
