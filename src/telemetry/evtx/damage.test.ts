/**
 * Damaged copies of real EVTX files (written to os.tmpdir(), never into the repository): truncation, seeded
 * random bit flips, a zeroed chunk header, a broken record header. The baseline is the reader's output on the
 * intact file, which reference.test.ts checks event for event against python-evtx. Which chunks a flip must
 * knock out follows from the format: the header CRC covers chunk bytes 0–119 and 128–511, the records CRC
 * covers 512 up to the free-space offset; bytes 120–123 (flags) and the unused tail are covered by neither.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WindowsEvent } from '../event.js';
import { readEvtx, type EvtxIssue, type EvtxReadOptions } from './index.js';
import { chunkLayouts, sharedEvtxFiles, type ChunkLayout } from './shared-samples.js';

const files = sharedEvtxFiles();
const tempDir = mkdtempSync(join(tmpdir(), 'evtx-damage-'));
const TIMEOUT = { timeout: 120_000 };

/** mulberry32: small seeded PRNG so every damaged copy is reproducible. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ReadResult {
  events: WindowsEvent[];
  issues: EvtxIssue[];
  stats: { chunks: number; records: number; skippedChunks: number; skippedRecords: number };
}

async function readBytes(name: string, bytes: Buffer, options: EvtxReadOptions = {}): Promise<ReadResult> {
  const path = join(tempDir, name);
  writeFileSync(path, bytes);
  const issues: EvtxIssue[] = [];
  const stream = readEvtx(path, { ...options, onIssue: issue => issues.push(issue) });
  const events: WindowsEvent[] = [];
  for await (const event of stream) events.push(event);
  return { events, issues, stats: { ...stream.stats } };
}

/** Event identity for comparisons across copies (the source file name differs). */
const key = (event: WindowsEvent) => event.source.record;
const withoutSource = ({ source: _source, ...rest }: WindowsEvent) => rest;

function chunkOf(layouts: ChunkLayout[], event: WindowsEvent): ChunkLayout {
  const layout = layouts.find(l => event.source.record >= l.firstRecordId && event.source.record <= l.lastRecordId);
  assert.ok(layout, `record ${event.source.record} belongs to no chunk`);
  return layout;
}

function isCoveredByChecksum(layout: ChunkLayout, fileOffset: number): boolean {
  const at = fileOffset - layout.fileOffset;
  return (at >= 0 && at < 120) || (at >= 124 && at < layout.freeSpace);
}

function findSample(name: string): string | undefined {
  return files?.find(f => f.endsWith(name));
}

describe('damaged copies of real EVTX files', () => {
  const panachePath = findSample('PanacheSysmon_vs_AtomicRedTeam01.evtx');
  const sysmonPath = findSample('omerbenamram_evtx_samples_sysmon.evtx');
  if (!panachePath || !sysmonPath) {
    test('damage tests', { skip: '../shared/data is absent: damage tests skipped' }, () => {});
    return;
  }
  const panache = readFileSync(panachePath);
  const layouts = chunkLayouts(panache);
  let baseline: WindowsEvent[] = [];

  test('baseline: the intact copy reads cleanly', TIMEOUT, async () => {
    const result = await readBytes('intact.evtx', panache);
    assert.deepEqual(result.issues, []);
    assert.equal(result.events.length, 565);
    assert.equal(layouts.length, 15);
    baseline = result.events;
  });

  test('truncation: events are a prefix of the intact ones and every chunk before the cut is complete', TIMEOUT, async () => {
    const cuts = [4096 + 2 * 65536, 4096 + 4 * 65536 + 20000, 4096 + 9 * 65536 + 513, 4096 + 14 * 65536 + 40000, panache.length - 1];
    for (const cut of cuts) {
      const result = await readBytes(`cut-${cut}.evtx`, panache.subarray(0, cut));
      const keys = result.events.map(key);
      assert.deepEqual(keys, baseline.slice(0, keys.length).map(key), `cut ${cut}: prefix`);
      const completeChunks = layouts.filter(l => l.fileOffset + 65536 <= cut);
      const mustHave = baseline.filter(e => completeChunks.includes(chunkOf(layouts, e)));
      assert.ok(keys.length >= mustHave.length, `cut ${cut}: ${keys.length} events, complete chunks hold ${mustHave.length}`);
      const partial = layouts.find(l => l.fileOffset < cut && cut < l.fileOffset + l.freeSpace);
      if (partial) {
        assert.ok(result.issues.some(i => /truncated/.test(i.reason)), `cut ${cut}: truncation reported`);
        if (cut - partial.fileOffset > 20000) assert.ok(keys.length > mustHave.length, `cut ${cut}: complete records of the cut chunk recovered`);
      } else {
        assert.deepEqual(result.issues, [], `cut ${cut} at a chunk boundary or in unused space is not damage`);
      }
    }
  });

  test('truncation inside the file header or the first chunk header', TIMEOUT, async () => {
    const inHeader = await readBytes('cut-header.evtx', panache.subarray(0, 60));
    assert.deepEqual(inHeader.events, []);
    assert.equal(inHeader.issues.length, 1);
    const inChunkHeader = await readBytes('cut-chunk-header.evtx', panache.subarray(0, 4096 + 300));
    assert.deepEqual(inChunkHeader.events, []);
    assert.equal(inChunkHeader.stats.skippedChunks, 1);
    assert.match(inChunkHeader.issues[0]!.reason, /shorter than its header/);
  });

  test('seeded bit flips with checksums: exactly the chunks whose covered bytes changed are skipped', TIMEOUT, async () => {
    const dataEnd = layouts[layouts.length - 1]!.fileOffset + 65536;
    for (let seed = 1; seed <= 6; seed++) {
      const random = prng(seed);
      const bytes = Buffer.from(panache);
      const damaged = new Set<number>();
      for (let flip = 0; flip < 6; flip++) {
        const offset = 4096 + Math.floor(random() * (dataEnd - 4096));
        bytes[offset] = bytes[offset]! ^ (1 << Math.floor(random() * 8));
        const layout = layouts.find(l => offset >= l.fileOffset && offset < l.fileOffset + 65536)!;
        if (isCoveredByChecksum(layout, offset)) damaged.add(layout.index);
      }
      const result = await readBytes(`flips-${seed}.evtx`, bytes);
      const expected = baseline.filter(e => !damaged.has(chunkOf(layouts, e).index));
      assert.deepEqual(result.events.map(withoutSource), expected.map(withoutSource), `seed ${seed}`);
      assert.equal(result.stats.skippedChunks, damaged.size, `seed ${seed}`);
      assert.deepEqual(new Set(result.issues.map(i => i.chunk)), damaged, `seed ${seed}: issues name the skipped chunks`);
    }
  });

  test('seeded bit flips without checksums: terminates, never throws, intact chunks read in full', TIMEOUT, async () => {
    for (let seed = 100; seed < 130; seed++) {
      const random = prng(seed);
      const bytes = Buffer.from(panache);
      const touched = new Set<number>();
      for (let flip = 0; flip < 40; flip++) {
        // Aim at chunk data (headers and records) so the BinXml parser meets the damage.
        const layout = layouts[Math.floor(random() * layouts.length)]!;
        const offset = layout.fileOffset + Math.floor(random() * layout.freeSpace);
        bytes[offset] = bytes[offset]! ^ (1 << Math.floor(random() * 8));
        touched.add(layout.index);
      }
      const result = await readBytes(`flips-lenient-${seed}.evtx`, bytes, { verifyChecksums: false });
      const intact = baseline.filter(e => !touched.has(chunkOf(layouts, e).index));
      const readByKey = new Map(result.events.map(e => [key(e), e] as const));
      for (const event of intact) {
        const read = readByKey.get(key(event));
        assert.ok(read, `seed ${seed}: record ${key(event)} of an untouched chunk is missing`);
        assert.deepEqual(withoutSource(read), withoutSource(event));
      }
      assert.ok(result.events.length <= baseline.length + 40, `seed ${seed}: no runaway output`);
      assert.ok(result.issues.length > 0, `seed ${seed}: 40 flips in chunk data leave a trace`);
    }
  });

  test('a zeroed chunk header skips that chunk only, even past the header chunk count', TIMEOUT, async () => {
    const sysmon = readFileSync(sysmonPath);
    const sysmonLayouts = chunkLayouts(sysmon);
    const intact = await readBytes('sysmon-intact.evtx', sysmon);
    const victim = sysmonLayouts[3]!;
    const bytes = Buffer.from(sysmon);
    bytes.fill(0, victim.fileOffset, victim.fileOffset + 512);
    const result = await readBytes('sysmon-zeroed-chunk.evtx', bytes);
    const expected = intact.events.filter(e => chunkOf(sysmonLayouts, e) !== victim);
    assert.ok(expected.length < intact.events.length);
    assert.deepEqual(result.events.map(key), expected.map(key));
    assert.equal(result.stats.skippedChunks, 1);
    assert.equal(result.issues.length, 1);
    assert.equal(result.issues[0]!.chunk, 3);
    assert.match(result.issues[0]!.reason, /signature "ElfChnk" missing/);
  });

  test('a broken record signature skips that record and resynchronises on the next', TIMEOUT, async () => {
    const bytes = Buffer.from(panache);
    const chunk = layouts[0]!;
    // Walk four records by their size fields to reach the fifth.
    let at = chunk.fileOffset + 512;
    for (let i = 0; i < 4; i++) at += bytes.readUInt32LE(at + 4);
    const victimId = Number(bytes.readBigUInt64LE(at + 8));
    bytes.write('XX', at, 'latin1');
    const result = await readBytes('bad-record-signature.evtx', bytes, { verifyChecksums: false });
    assert.deepEqual(result.events.map(key), baseline.map(key).filter(k => k !== victimId));
    assert.equal(result.stats.skippedRecords, 1);
    assert.equal(result.issues.length, 1);
    assert.equal(result.issues[0]!.offset, at);
  });

  test('random bytes are not EVTX: one issue, no events', TIMEOUT, async () => {
    const random = prng(7);
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    const result = await readBytes('random.evtx', bytes);
    assert.deepEqual(result.events, []);
    assert.equal(result.issues.length, 1);
    assert.match(result.issues[0]!.reason, /not an EVTX file/);
  });
});
