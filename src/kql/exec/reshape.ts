/**
 * Operators that reshape rows: hash join (join, lookup), mv-expand, parse and the window
 * functions of serialized rows. Each is an async stream of batches over its input stream(s).
 */
import { RE2JS } from 're2js';
import { convertValue } from '../functions/common.js';
import { BATCH_SIZE, type Batch } from '../values/batch.js';
import type { DynamicValue, ScalarType, Schema, Value } from '../values/types.js';
import type { BagUnpackNode, JoinNode, MvApplyNode, MvExpandNode, ParseKvNode, ParseNode, PredicateJoinNode, RunningWindowColumn, WindowColumn, WindowNode } from '../semantics/bound.js';
import { extractKeyValues } from './key-values.js';
import type { CompiledExpr } from './expressions.js';
import { groupKey } from './grouping.js';
import { type MemoryAccount, type MemoryBudget, rowBytes, valueBytes } from './memory.js';

/** Per held right row of a join: its slot in the key index and in the matched flags. */
const JOIN_INDEX_BYTES = 16;

type Compile = (expr: import('../semantics/bound.js').BoundExpr) => Promise<CompiledExpr>;
type Run = (plan: import('../semantics/bound.js').PlanNode) => AsyncIterable<Batch>;

/** Collects output rows column-wise and hands them out in BATCH_SIZE batches. */
class BatchBuilder {
  private columns: Value[][];
  constructor(private readonly schema: Schema) {
    this.columns = schema.map(() => []);
  }
  get length(): number {
    return this.columns[0]?.length ?? 0;
  }
  push(row: Value[]): void {
    for (let c = 0; c < row.length; c++) this.columns[c]!.push(row[c]!);
  }
  full(): boolean {
    return this.length >= BATCH_SIZE;
  }
  take(): Batch {
    const batch = { schema: this.schema, columns: this.columns, length: this.length };
    this.columns = this.schema.map(() => []);
    return batch;
  }
}

/** The value a missing cell gets: "" for strings (Kusto strings have no null), null otherwise. */
function emptyOf(type: ScalarType): Value {
  return type === 'string' ? '' : null;
}

/** Join keys never match when any part is null (as in SQL); strings are never null. */
function keyOf(columns: Value[][], row: number): string | undefined {
  const values = columns.map((c) => c[row]!);
  return values.some((v) => v === null || v === undefined) ? undefined : groupKey(values);
}

export async function* hashJoin(node: JoinNode, run: Run, compile: Compile, budget: MemoryBudget): AsyncIterable<Batch> {
  const account = budget.open('join');
  try {
    yield* joinRows(node, run, compile, account);
  } finally {
    // Also when the reader stops early (take): what the join held is released.
    account.close();
  }
}

async function* joinRows(node: JoinNode, run: Run, compile: Compile, account: MemoryAccount): AsyncIterable<Batch> {
  const rightKeyExprs = await Promise.all(node.rightKeys.map(compile));
  const leftKeyExprs = await Promise.all(node.leftKeys.map(compile));
  // Build: the right side, held as columns, indexed by key.
  const right: Value[][] = node.right.schema.map(() => []);
  const index = new Map<string, number[]>();
  let rightRows = 0;
  for await (const batch of run(node.right)) {
    const keys = rightKeyExprs.map((k) => k(batch));
    let bytes = 0;
    for (let i = 0; i < batch.length; i++) {
      batch.columns.forEach((col, c) => {
        const v = col[i]!;
        right[c]!.push(v);
        bytes += valueBytes(v);
      });
      const key = keyOf(keys, i);
      if (key !== undefined) {
        const rows = index.get(key);
        if (rows) rows.push(rightRows);
        else index.set(key, [rightRows]);
      }
      rightRows++;
    }
    account.add(batch.length, bytes + JOIN_INDEX_BYTES * batch.length);
    account.report();
  }
  const kind = node.joinKind;
  const matchedRight = new Uint8Array(rightRows);
  const out = new BatchBuilder(node.schema);
  const row = (leftCols: Value[][] | undefined, l: number, r: number): Value[] =>
    node.outputs.map(({ side, index: c }, o) => {
      if (side === 'left') return leftCols ? leftCols[c]![l]! : emptyOf(node.schema[o]!.type);
      return r >= 0 ? right[c]![r]! : emptyOf(node.schema[o]!.type);
    });

  const joinLeftRow = function* (leftCols: Value[][], l: number, key: string | undefined): Generator<Value[]> {
    const matches = key === undefined ? undefined : index.get(key);
    if (matches) for (const r of matches) matchedRight[r] = 1;
    switch (kind) {
      case 'leftsemi':
        if (matches) yield row(leftCols, l, -1);
        break;
      case 'leftanti':
        if (!matches) yield row(leftCols, l, -1);
        break;
      case 'rightsemi':
      case 'rightanti':
        break;
      default:
        if (matches) for (const r of matches) yield row(leftCols, l, r);
        else if (kind === 'leftouter' || kind === 'fullouter') yield row(leftCols, l, -1);
    }
  };
  // innerunique keeps one left row per key: the last one seen, as the docs' example output shows.
  const uniqueLeft = new Map<string, Value[]>();
  for await (const batch of run(node.left)) {
    const keys = leftKeyExprs.map((k) => k(batch));
    for (let l = 0; l < batch.length; l++) {
      const key = keyOf(keys, l);
      if (kind === 'innerunique') {
        if (key === undefined) continue;
        const values = batch.columns.map((c) => c[l]!);
        if (!uniqueLeft.has(key)) account.add(1, rowBytes(values) + valueBytes(key));
        uniqueLeft.set(key, values);
        continue;
      }
      for (const r of joinLeftRow(batch.columns, l, key)) {
        out.push(r);
        if (out.full()) yield out.take();
      }
    }
  }
  for (const [key, values] of uniqueLeft) {
    for (const r of joinLeftRow(values.map((v) => [v]), 0, key)) {
      out.push(r);
      if (out.full()) yield out.take();
    }
  }
  if (kind === 'rightsemi' || kind === 'rightanti' || kind === 'rightouter' || kind === 'fullouter') {
    const wantMatched = kind === 'rightsemi';
    for (let r = 0; r < rightRows; r++) {
      if ((matchedRight[r] === 1) !== wantMatched) continue;
      out.push(row(undefined, -1, r));
      if (out.full()) yield out.take();
    }
  }
  if (out.length > 0) yield out.take();
}

/** The elements an mv-expand value expands to (docs: null → one null row; empty array/bag → none). */
function expandedItems(value: DynamicValue, bagExpansion: 'bag' | 'array'): DynamicValue[] {
  if (value === null || value === undefined) return [null];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => (bagExpansion === 'bag' ? { [k]: v } : [k, v]));
  }
  return [value];
}

/**
 * `mv-expand … to typeof(T)` casts without parsing: an element of another kind becomes null (docs).
 * datetime, timespan and guid elements are held as their text inside dynamic values, so those parse.
 */
function castElement(item: DynamicValue, type: ScalarType): Value {
  switch (type) {
    case 'int':
    case 'long':
      return typeof item === 'number' && Number.isInteger(item) ? item : null;
    case 'real':
    case 'decimal':
      return typeof item === 'number' ? item : null;
    case 'bool':
      return typeof item === 'boolean' ? item : null;
    case 'string':
      return typeof item === 'string' ? item : '';
    default:
      return typeof item === 'string' ? convertValue(item, 'string', type) : null;
  }
}

export async function* mvExpand(node: MvExpandNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const exprs = await Promise.all(node.expansions.map((e) => compile(e.expr)));
  const out = new BatchBuilder(node.schema);
  for await (const batch of run(node.input)) {
    const values = exprs.map((e) => e(batch));
    for (let i = 0; i < batch.length; i++) {
      const lists = node.expansions.map((e, k) => expandedItems(values[k]![i] as DynamicValue, node.bagExpansion));
      const count = Math.min(node.limit, Math.max(0, ...lists.map((l) => l.length)));
      for (let n = 0; n < count; n++) {
        const row: Value[] = node.carried.map((c) => (c >= 0 ? batch.columns[c]![i]! : null));
        node.expansions.forEach((e, k) => {
          const item = n < lists[k]!.length ? lists[k]![n]! : null;
          row[e.outputIndex] = e.type === 'dynamic' ? item : castElement(item, e.type);
        });
        if (node.itemIndexColumn >= 0) row[node.itemIndexColumn] = n;
        out.push(row);
        if (out.full()) yield out.take();
      }
    }
  }
  if (out.length > 0) yield out.take();
}

/** Kusto's parse `flags=` letters (U ungreedy, i, m, s) as an RE2 inline flag group. */
function inlineFlags(flags: string): string {
  const letters = [...new Set(flags.split('').filter((c) => 'imsU'.includes(c)))].join('');
  return letters ? `(?${letters})` : '';
}

export async function* parseRows(node: ParseNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const source = await compile(node.source);
  const sourceType = node.source.type;
  const regex = RE2JS.compile(inlineFlags(node.flags) + node.regex);
  for await (const batch of run(node.input)) {
    const texts = source(batch);
    const columns: Value[][] = node.schema.map((c, o) => (node.carried[o]! >= 0 ? batch.columns[node.carried[o]!]! : new Array<Value>(batch.length)));
    const keep: number[] = [];
    for (let i = 0; i < batch.length; i++) {
      const raw = texts[i];
      const text = raw === null || raw === undefined ? '' : sourceType === 'string' ? (raw as string) : String(convertValue(raw, sourceType, 'string'));
      const match = regex.matcher(text);
      const ok = match.find();
      let typedOk = ok;
      node.captures.forEach((capture, g) => {
        const type = capture.type;
        let value: Value = emptyOf(type);
        if (ok) {
          const group = match.group(`c${g}`) ?? '';
          value = type === 'string' ? group : convertValue(group, 'string', type);
          if (value === null && type !== 'string') typedOk = false;
        }
        columns[capture.outputIndex]![i] = value ?? emptyOf(type);
      });
      // simple and regex modes are strict: a capture that does not convert means the text did not match.
      if (ok && !typedOk && node.strictTypes) for (const capture of node.captures) columns[capture.outputIndex]![i] = emptyOf(capture.type);
      if (!node.dropUnmatched || (ok && typedOk)) keep.push(i);
    }
    if (keep.length === batch.length) yield { schema: node.schema, columns, length: batch.length };
    else if (keep.length > 0) yield { schema: node.schema, columns: columns.map((col) => keep.map((i) => col[i]!)), length: keep.length };
  }
}

/**
 * Window columns in stream order: row_number(), prev(), next() (next() needs one look-ahead batch), and
 * the running ones (row_cumsum, row_rank_*, row_window_session), computed as rows arrive.
 */
export async function* windowRows(node: WindowNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const exprs = await Promise.all(node.columns.map((w) => (w.fn === 'row_number' ? (w.restart ? compile(w.restart) : undefined) : compile(w.expr))));
  const restarts = await Promise.all(node.columns.map((w) => (isRunning(w) && w.restart ? compile(w.restart) : undefined)));
  const running = node.columns.map((w) => (isRunning(w) ? runningWindow(w) : undefined));
  const maxNext = Math.max(0, ...node.columns.map((w) => (w.fn === 'next' ? w.offset : 0)));
  const maxPrev = Math.max(0, ...node.columns.map((w) => (w.fn === 'prev' ? w.offset : 0)));
  // All rows' window inputs (or running results) are kept in order; batches are emitted once their next() values are known.
  const history: Value[][] = node.columns.map(() => []);
  const pending: Batch[] = [];
  let seen = 0;
  let emitted = 0;
  const counters = node.columns.map((w) => (w.fn === 'row_number' ? w.start - 1 : 0));
  const width = node.input.schema.length;
  const stringColumn = node.columns.map((_, k) => node.schema[width + k]!.type === 'string');
  const emit = (batch: Batch): Batch => {
    const extra = node.columns.map((w, k) => {
      const col = new Array<Value>(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const at = emitted + i;
        if (w.fn === 'row_number') {
          const restart = history[k]![at];
          counters[k] = restart === true ? w.start : counters[k]! + 1;
          col[i] = counters[k]!;
        } else if (w.fn === 'prev' || w.fn === 'next') {
          const j = w.fn === 'prev' ? at - w.offset : at + w.offset;
          const v = j >= 0 && j < seen ? history[k]![j]! : w.fallback;
          col[i] = v === null && stringColumn[k] ? '' : v;
        } else col[i] = history[k]![at]!;
      }
      return col;
    });
    emitted += batch.length;
    return { schema: node.schema, columns: [...batch.columns, ...extra], length: batch.length };
  };
  for await (const batch of run(node.input)) {
    node.columns.forEach((_, k) => {
      const e = exprs[k];
      const values = e ? e(batch) : new Array<Value>(batch.length).fill(null);
      const step = running[k];
      if (!step) {
        for (const v of values) history[k]!.push(v);
        return;
      }
      const restart = restarts[k]?.(batch);
      for (let i = 0; i < batch.length; i++) history[k]!.push(step(values[i]!, restart?.[i] === true));
    });
    seen += batch.length;
    pending.push(batch);
    while (pending.length > 0 && emitted + pending[0]!.length + maxNext <= seen) yield emit(pending.shift()!);
    trimHistory(history, emitted - maxPrev);
  }
  while (pending.length > 0) yield emit(pending.shift()!);
}

function isRunning(w: WindowColumn): w is RunningWindowColumn {
  return w.fn === 'row_cumsum' || w.fn === 'row_rank_min' || w.fn === 'row_rank_dense' || w.fn === 'row_window_session';
}

/** One running window column's state: (this row's value, restart here) → the column's value for this row. */
export function runningWindow(w: RunningWindowColumn): (value: Value, restart: boolean) => Value {
  let first = true;
  let previous: Value = null;
  switch (w.fn) {
    case 'row_cumsum': {
      let sum: number = 0;
      return (value, restart) => {
        if (restart) sum = 0;
        if (typeof value === 'number') sum += value;
        return sum;
      };
    }
    case 'row_rank_min':
    case 'row_rank_dense': {
      // min: the row number where the current run of equal terms began; dense: one more per change of term.
      let row = 0;
      let rank = 0;
      return (value, restart) => {
        if (restart) row = rank = 0;
        row++;
        const changed = first || restart || row === 1 || !sameValue(value, previous);
        if (changed) rank = w.fn === 'row_rank_min' ? row : rank + 1;
        first = false;
        previous = value;
        return rank;
      };
    }
    case 'row_window_session': {
      let sessionStart: bigint | null = null;
      return (value, restart) => {
        if (value === null) {
          sessionStart = null; // the next value starts a new session
          previous = null;
          return null;
        }
        const v = value as bigint;
        const last = previous as bigint | null;
        if (sessionStart === null || restart || v >= sessionStart + w.maxFromFirst || (last !== null && v >= last + w.maxBetween)) sessionStart = v;
        previous = v;
        return sessionStart;
      };
    }
  }
}

function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

/** Placeholder kept so indexes stay absolute; values older than any prev() offset are released. */
function trimHistory(history: Value[][], before: number): void {
  if (before <= 0) return;
  for (const h of history) for (let i = Math.max(0, before - BATCH_SIZE); i < before; i++) h[i] = null;
}

/** bag_unpack: properties of the bag become typed columns (a value of another kind reads as null). */
export async function* bagUnpack(node: BagUnpackNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const bag = await compile(node.bag);
  for await (const batch of run(node.input)) {
    const bags = bag(batch);
    const columns = node.outputs.map((out, o) => {
      if (out.from === 'input') return batch.columns[out.index]!;
      const type = node.schema[o]!.type;
      const col = new Array<Value>(batch.length);
      for (let i = 0; i < batch.length; i++) {
        const b = bags[i];
        const v = b !== null && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, DynamicValue>)[out.key] : undefined;
        col[i] = v === undefined || v === null ? emptyOf(type) : type === 'dynamic' ? v : castElement(v, type) ?? emptyOf(type);
      }
      return col;
    });
    yield { schema: node.schema, columns, length: batch.length };
  }
}

/** mv-apply: per input row, the sub-query over that row's expanded values. */
export async function* mvApply(node: MvApplyNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const exprs = await Promise.all(node.expansions.map((e) => compile(e.expr)));
  const out = new BatchBuilder(node.schema);
  for await (const batch of run(node.input)) {
    const values = exprs.map((e) => e(batch));
    for (let i = 0; i < batch.length; i++) {
      const lists = node.expansions.map((_, k) => expandedItems(values[k]![i] as DynamicValue, 'bag'));
      const count = Math.min(node.limit, Math.max(0, ...lists.map((l) => l.length)));
      const subRows: Value[][] = [];
      const carried = node.carried.map((c) => batch.columns[c]![i]!);
      for (let n = 0; n < count; n++) {
        const row = [...carried, ...node.expansions.map((e, k) => {
          const item = n < lists[k]!.length ? lists[k]![n]! : null;
          return e.type === 'dynamic' ? item : castElement(item, e.type);
        })];
        if (node.withItemIndex) row.push(n);
        subRows.push(row);
      }
      // The sub-query reads this row's sub-table: its source node is re-pointed before each run.
      node.source.rows = subRows;
      for await (const sub of run(node.subquery)) {
        for (let r = 0; r < sub.length; r++) {
          const kept = carried.map((v, k) => (node.carriedFromSubquery[k]! >= 0 ? sub.columns[node.carriedFromSubquery[k]!]![r]! : v));
          out.push([...kept, ...node.subqueryExtra.map((j) => sub.columns[j]![r]!)]);
          if (out.full()) yield out.take();
        }
      }
    }
  }
  if (out.length > 0) yield out.take();
}

/** parse-kv: each wanted key's value, converted to its column's type; a missing key reads as empty. */
export async function* parseKeyValues(node: ParseKvNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const source = await compile(node.source);
  const wanted = node.keys.map((k) => k.key);
  for await (const batch of run(node.input)) {
    const texts = source(batch);
    const columns: Value[][] = node.schema.map((_, o) => (node.carried[o]! >= 0 ? batch.columns[node.carried[o]!]! : new Array<Value>(batch.length)));
    for (let i = 0; i < batch.length; i++) {
      const raw = texts[i];
      const text = raw === null || raw === undefined ? '' : typeof raw === 'string' ? raw : String(convertValue(raw, node.source.type, 'string'));
      const pairs = extractKeyValues(text, node.mode, wanted);
      for (const { key, outputIndex, type } of node.keys) {
        const found = pairs.get(key);
        columns[outputIndex]![i] = found === undefined ? emptyOf(type) : type === 'string' ? found : (convertValue(found, 'string', type) ?? emptyOf(type));
      }
    }
    yield { schema: node.schema, columns, length: batch.length };
  }
}

/**
 * A join on a predicate (the lookup plugins): the right side is held; for each of its rows the
 * predicate runs over a whole left batch, with that right row's values as constant columns.
 */
export async function* predicateJoin(node: PredicateJoinNode, run: Run, compile: Compile): AsyncIterable<Batch> {
  const predicate = await compile(node.predicate);
  const right: Value[][] = [];
  for await (const batch of run(node.right)) for (let i = 0; i < batch.length; i++) right.push(batch.columns.map((c) => c[i]!));
  const out = new BatchBuilder(node.schema);
  const combinedSchema = [...node.left.schema, ...node.right.schema];
  for await (const batch of run(node.left)) {
    const matches: number[][] = Array.from({ length: batch.length }, () => []);
    right.forEach((r, ri) => {
      const combined: Batch = {
        schema: combinedSchema,
        columns: [...batch.columns, ...r.map((v) => new Array<Value>(batch.length).fill(v))],
        length: batch.length,
      };
      const hits = predicate(combined);
      for (let i = 0; i < batch.length; i++) if (hits[i] === true) matches[i]!.push(ri);
    });
    for (let i = 0; i < batch.length; i++) {
      const rows = matches[i]!.length > 0 ? matches[i]! : node.keepUnmatched ? [-1] : [];
      for (const ri of rows) {
        out.push(node.outputs.map(({ side, index }, o) => (side === 'left' ? batch.columns[index]![i]! : ri >= 0 ? right[ri]![index]! : emptyOf(node.schema[o]!.type))));
        if (out.full()) yield out.take();
      }
    }
  }
  if (out.length > 0) yield out.take();
}
