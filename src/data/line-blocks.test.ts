import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { lineAlignedRanges, lineBlocks, type LineBlockOptions } from './line-blocks.js';

async function withFile(content: Buffer | string, run: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'line-blocks-'));
  try {
    const path = join(dir, 'data.ndjson');
    await writeFile(path, content);
    await run(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The lines read (LF removed, CR kept), as text. */
async function readLines(path: string, gzipped: boolean, options: LineBlockOptions = {}): Promise<string[]> {
  const lines: string[] = [];
  for await (const { bytes, end } of lineBlocks(path, gzipped, options)) {
    for (let start = 0; start < end;) {
      const lf = bytes.indexOf(0x0a, start);
      const lineEnd = lf < 0 || lf >= end ? end : lf;
      lines.push(bytes.toString('utf8', start, lineEnd));
      start = lineEnd + 1;
    }
  }
  return lines;
}

/** The lines as the text reader splits them (on LF; a final LF does not start an empty line). */
function expectedLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

test('reads every line across reads smaller than a line, with and without a final LF', async () => {
  const text = 'first\r\n\nsecond line is longer than a read\nthird é 中\nlast';
  for (const readSize of [1, 3, 7, 64]) {
    await withFile(text, async (path) => assert.deepEqual(await readLines(path, false, { readSize }), expectedLines(text)));
    await withFile(`${text}\n`, async (path) => assert.deepEqual(await readLines(path, false, { readSize }), expectedLines(`${text}\n`)));
  }
});

test('drops a UTF-8 byte order mark at the start of the file only', async () => {
  const text = '\ufeff{"a":1}\n\ufeff{"b":2}\n';
  await withFile(text, async (path) => {
    assert.deepEqual(await readLines(path, false, { readSize: 2 }), ['{"a":1}', '\ufeff{"b":2}']);
  });
});

test('reads gzip files', async () => {
  const text = 'a\nbb\r\n\nccc';
  await withFile(gzipSync(Buffer.from(`\ufeff${text}`)), async (path) => {
    assert.deepEqual(await readLines(path, true, { readSize: 2 }), expectedLines(text));
  });
});

test('an empty file has no lines', async () => {
  await withFile('', async (path) => assert.deepEqual(await readLines(path, false), []));
});

test('line-aligned ranges hold every line exactly once, whatever the number of parts', async () => {
  const lines = Array.from({ length: 300 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat((i * 37) % 50)}"}`);
  lines.splice(10, 0, '', '   ', 'x'.repeat(2000));
  const text = `${lines.join('\n')}\n`;
  await withFile(text, async (path) => {
    for (const parts of [1, 2, 3, 7, 16, 5000]) {
      const ranges = await lineAlignedRanges(path, parts);
      assert.ok(ranges.length >= 1 && ranges.length <= parts);
      assert.equal(ranges[0]!.start, 0);
      assert.equal(ranges[ranges.length - 1]!.end, Buffer.byteLength(text));
      for (let i = 1; i < ranges.length; i++) {
        assert.equal(ranges[i]!.start, ranges[i - 1]!.end, 'ranges are contiguous');
        assert.equal(text[ranges[i]!.start - 1], '\n', 'every range starts a line');
      }
      const read: string[] = [];
      for (const range of ranges) read.push(...(await readLines(path, false, { range, readSize: 64 })));
      assert.deepEqual(read, expectedLines(text), `${parts} parts`);
    }
  });
});

test('ranges of a file without a final LF keep its last line', async () => {
  const text = 'one\ntwo\nthree';
  await withFile(text, async (path) => {
    const ranges = await lineAlignedRanges(path, 3);
    const read: string[] = [];
    for (const range of ranges) read.push(...(await readLines(path, false, { range })));
    assert.deepEqual(read, ['one', 'two', 'three']);
  });
});

test('a gzip file cannot be read in ranges', async () => {
  await withFile(gzipSync('a\n'), async (path) => {
    await assert.rejects(readLines(path, true, { range: { start: 0, end: 1 } }), /byte ranges/);
  });
});
