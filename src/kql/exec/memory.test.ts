import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import { MemoryBudget, MemoryLimitError, defaultMemoryLimit, formatBytes, parseByteSize, rowBytes, valueBytes } from './memory.js';
import { executeQuery } from '../index.js';

describe('parseByteSize', () => {
  test('sizes with binary units, any case, with or without B/iB', () => {
    assert.equal(parseByteSize('1048576'), 1048576);
    assert.equal(parseByteSize('512k'), 512 * 1024);
    assert.equal(parseByteSize('512M'), 512 * 2 ** 20);
    assert.equal(parseByteSize('800mb'), 800 * 2 ** 20);
    assert.equal(parseByteSize('1.5GiB'), 1.5 * 2 ** 30);
    assert.equal(parseByteSize(' 2 G '), 2 * 2 ** 30);
    assert.equal(parseByteSize('1t'), 2 ** 40);
  });

  test('anything else is not a size', () => {
    for (const text of ['', 'M', '-5M', '0', '0M', '2x', '1e9', '1,5G', '5 MB MB', 'Infinity']) assert.equal(parseByteSize(text), undefined, text);
  });
});

describe('value estimates', () => {
  test('strings by length, numbers boxed only when not small integers, dynamics by content', () => {
    assert.equal(valueBytes(''), 8);
    assert.equal(valueBytes('abcd'), 28);
    assert.equal(valueBytes(7), 8);
    assert.equal(valueBytes(1.5), 24);
    assert.equal(valueBytes(null), 8);
    assert.equal(valueBytes(true), 8);
    assert.equal(valueBytes(5n), 32);
    assert.ok(valueBytes(['a', 'b']) > valueBytes(['a']));
    assert.ok(valueBytes({ key: 'value' }) > valueBytes({}));
    assert.equal(rowBytes(['ab', 1]), 16 + 26 + 8);
  });

  test('formatBytes', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(3 * 2 ** 20), '3.0 MiB');
    assert.equal(formatBytes(2 ** 31), '2.00 GiB');
  });
});

describe('MemoryBudget', () => {
  test('accounts add up across operators; closing one releases what it held', () => {
    const reports: [string, number, number][] = [];
    const budget = new MemoryBudget(1000, (op, rows, bytes) => reports.push([op, rows, bytes]));
    const a = budget.open('sort');
    const b = budget.open('join');
    a.add(2, 400);
    b.add(1, 500);
    assert.equal(budget.heldBytes, 900);
    a.report();
    assert.deepEqual(reports, [['sort', 2, 400]]);
    a.close();
    assert.equal(budget.heldBytes, 500);
    b.add(1, 400);
    assert.equal(budget.heldBytes, 900);
  });

  test('going over the limit throws, naming the operator and what it held', () => {
    const budget = new MemoryBudget(1000);
    const other = budget.open('join');
    other.add(3, 600);
    const account = budget.open('summarize');
    account.add(10, 300, 'groups');
    assert.throws(() => account.add(5, 200, 'groups'), (e: unknown) => {
      assert.ok(e instanceof MemoryLimitError);
      assert.equal(e.operator, 'summarize');
      assert.equal(e.heldBytes, 500);
      assert.equal(e.limitBytes, 1000);
      assert.match(e.message, /^summarize held about 500 B \(15 groups\), over the memory limit of 1000 B \(--max-memory\)/);
      return true;
    });
    // The failed operator's share is released; the others keep theirs.
    assert.equal(budget.heldBytes, 600);
  });

  test('over the limit, holders that can give their memory back do so (oldest first) before an operator fails', () => {
    const budget = new MemoryBudget(1000);
    const released: string[] = [];
    const kept = budget.open('shared let result');
    kept.add(1, 400);
    budget.onLimit(() => {
      released.push('kept');
      kept.close();
    });
    const queue = budget.open('shared scan');
    queue.add(1, 300);
    const withdrawn = budget.onLimit(() => released.push('withdrawn'));
    withdrawn();
    budget.onLimit(() => {
      released.push('queue');
      queue.close();
    });
    const summarize = budget.open('summarize');
    summarize.add(10, 500, 'groups');
    assert.deepEqual(released, ['kept'], 'one release was enough; the withdrawn one is never called');
    assert.equal(budget.heldBytes, 800);
    summarize.add(10, 400, 'groups');
    assert.deepEqual(released, ['kept', 'queue']);
    assert.throws(() => summarize.add(10, 200, 'groups'), MemoryLimitError, 'nothing left to give back');
  });

  test('the default limit is 70% of the V8 heap limit', () => {
    assert.equal(defaultMemoryLimit(), Math.floor(getHeapStatistics().heap_size_limit * 0.7));
    assert.equal(new MemoryBudget().limitBytes, defaultMemoryLimit());
  });
});

describe('a memory limit on a query', () => {
  const tables = {
    tableSchema: () => [{ name: 'x', type: 'long' as const }, { name: 's', type: 'string' as const }],
    tableNames: () => ['T'],
    async *scan() {
      const n = 5000;
      yield {
        schema: [{ name: 'x', type: 'long' as const }, { name: 's', type: 'string' as const }],
        columns: [Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => `value number ${i}`)],
        length: n,
      };
    },
  };
  const now = 0n;
  const limited = async (kql: string, maxMemory: number) => executeQuery(kql, { tables, now, maxMemory });

  for (const [operator, kql] of [
    ['summarize', 'T | summarize count() by s'],
    ['sort', 'T | sort by x desc'],
    ['join', 'T | join kind=inner (T | project x, t = s) on x'],
    ['distinct', 'T | distinct s'],
  ] as const) {
    test(`${operator}: a small limit stops the query with an error naming ${operator}`, async () => {
      await assert.rejects(limited(kql, 64 * 1024), (e: unknown) => {
        assert.ok(e instanceof MemoryLimitError, String(e));
        assert.equal(e.operator, operator);
        assert.ok(e.heldBytes > 64 * 1024);
        return true;
      });
    });
  }

  test('the same queries run within a sane limit, and report what they hold', async () => {
    const held: string[] = [];
    const result = await executeQuery('T | summarize count() by s | sort by s asc | take 2', {
      tables, now, maxMemory: 64 * 2 ** 20, onHolding: (op, rows, bytes) => held.push(`${op}:${rows}:${bytes > 0}`),
    });
    assert.equal(result.rows.length, 2);
    assert.ok(held.includes('summarize:5000:true'), held.join(' '));
    assert.ok(held.includes('sort:5000:true'), held.join(' '));
  });

  test('streaming operators hold nothing: where/project/take pass under a tiny limit', async () => {
    const result = await limited('T | where x % 2 == 0 | project s | take 3', 1);
    assert.equal(result.rows.length, 3);
  });
});
