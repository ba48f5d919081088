/**
 * End-to-end reads of EVTX files written byte by byte from the format description (evtx-builder.ts): every
 * value type, templates defined inline then reused by offset, optional substitutions, arrays, entity and
 * character references, CDATA and an embedded BinXml fragment (UserData). Expected values are worked out
 * from the bytes written, not taken from the reader.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEvtx, readEvtxRecords, renderRecordXml, type EvtxIssue } from './index.js';
import { ChunkWriter, evtxFile, value, type NodeSpec } from './evtx-builder.js';

const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const tempDir = mkdtempSync(join(tmpdir(), 'evtx-reader-'));

const sub = (n: number, type: number, optional = false): NodeSpec => ({ sub: n, type, optional });
const data = (name: string, ...content: NodeSpec[]): NodeSpec => ({ element: 'Data', attributes: [['Name', [{ text: name }]]], children: content });
const leaf = (name: string, ...content: NodeSpec[]): NodeSpec => ({ element: name, children: content });

/** A System block shaped like Windows' own (substitution numbers 0–16). */
const systemTemplate: NodeSpec = {
  element: 'System',
  children: [
    { element: 'Provider', attributes: [['Name', [sub(0, 0x01)]], ['Guid', [sub(1, 0x0f)]]] },
    { element: 'EventID', attributes: [['Qualifiers', [sub(2, 0x06, true)]]], children: [sub(3, 0x06)] },
    leaf('Version', sub(4, 0x04)),
    leaf('Level', sub(5, 0x04)),
    leaf('Task', sub(6, 0x06)),
    leaf('Opcode', sub(7, 0x04)),
    leaf('Keywords', sub(8, 0x15)),
    { element: 'TimeCreated', attributes: [['SystemTime', [sub(9, 0x11)]]] },
    leaf('EventRecordID', sub(10, 0x0a)),
    { element: 'Correlation', attributes: [['ActivityID', [sub(11, 0x0f, true)]]] },
    { element: 'Execution', attributes: [['ProcessID', [sub(12, 0x08)]], ['ThreadID', [sub(13, 0x08)]]] },
    leaf('Channel', sub(14, 0x01)),
    leaf('Computer', sub(15, 0x01)),
    { element: 'Security', attributes: [['UserID', [sub(16, 0x13, true)]]] },
  ],
};

const securityEventTemplate: NodeSpec = {
  element: 'Event',
  attributes: [['xmlns', [{ text: EVENT_NS }]]],
  children: [
    systemTemplate,
    {
      element: 'EventData',
      children: [
        data('SubjectLogonId', sub(17, 0x15)),
        data('Count', sub(18, 0x07)),
        data('Flag', sub(19, 0x0d)),
        data('Blob', sub(20, 0x0e)),
        data('When', sub(21, 0x12)),
        data('Ptr', sub(22, 0x10)),
        data('Mixed', { text: 'R' }, { charRef: 38 }, { entity: 'lt' }, { cdata: 'x<y' }),
        data('Strings', sub(23, 0x81)),
        { element: 'Data', children: [sub(24, 0x02)] },
        { element: 'Data', children: [sub(25, 0x03)] },
        data('Ratio', sub(26, 0x0c)),
        data('Big', sub(27, 0x0a)),
        data('Mask', sub(28, 0x14)),
        data('Empty', sub(29, 0x01, true)),
      ],
    },
  ],
};

const GUID_BYTES = Buffer.from('25968454785494 49a5ba3e3b0328c30d'.replace(/ /g, ''), 'hex');
// S-1-5-21-1-2-3: revision 1, 4 sub-authorities, authority 5 (big-endian 6 bytes), sub-authorities LE.
const SID_BYTES = Buffer.from('010400000000000515000000010000000200000003000000', 'hex');
// SYSTEMTIME 2020-02-29 (a Saturday = 6) 13:05:09.007
const SYSTEMTIME_BYTES = Buffer.from(new Uint16Array([2020, 2, 6, 29, 13, 5, 9, 7]).buffer);

function systemValues(recordId: number, userSid: Buffer | undefined) {
  return [
    value.string('Microsoft-Windows-Security-Auditing'),
    value.raw(0x0f, GUID_BYTES),
    value.null(),
    value.int(0x06, 2, 4688n),
    value.int(0x04, 1, 2n),
    value.int(0x04, 1, 0n),
    value.int(0x06, 2, 13312n),
    value.int(0x04, 1, 0n),
    value.int(0x15, 8, 0x8020000000000000n),
    value.fileTime('2021-06-05T19:35:16.721Z', 7815n),
    value.int(0x0a, 8, BigInt(recordId)),
    value.null(),
    value.int(0x08, 4, 4n),
    value.int(0x08, 4, 4700n),
    value.string('Security'),
    value.string('dc1.example.lan'),
    userSid ? value.raw(0x13, userSid) : value.null(),
  ];
}

function securityEventValues(recordId: number, userSid: Buffer | undefined, count: bigint) {
  const sizeT = Buffer.alloc(8);
  sizeT.writeBigUInt64LE(0x7ff6a000n);
  return [
    ...systemValues(recordId, userSid),
    value.int(0x15, 8, 0x3e7n),
    value.int(0x07, 4, count),
    value.int(0x0d, 4, 1n),
    value.raw(0x0e, Buffer.from([0xde, 0xad, 0x00, 0x01])),
    value.raw(0x12, SYSTEMTIME_BYTES),
    value.raw(0x10, sizeT),
    value.raw(0x81, Buffer.from('a\0bc\0', 'utf16le')),
    value.ansi('ANSI\0'),
    value.int(0x03, 1, -1n),
    value.raw(0x0c, Buffer.from(new Float64Array([0.5]).buffer)),
    value.int(0x0a, 8, 0xffffffffffffffffn),
    value.int(0x14, 4, 0x1fffffn),
    value.null(),
  ];
}

/** UserData event: the whole UserData content is one BinXml substitution value (as for event 1102). */
const userDataTemplate: NodeSpec = {
  element: 'Event',
  attributes: [['xmlns', [{ text: EVENT_NS }]]],
  children: [systemTemplate, { element: 'UserData', children: [sub(17, 0x21)] }],
};

const logFileCleared: NodeSpec = {
  element: 'LogFileCleared',
  attributes: [['xmlns', [{ text: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' }]]],
  children: [leaf('SubjectUserName', { text: 'admin' }), leaf('SubjectDomainName', { text: 'EXAMPLE' })],
};

const WRITTEN = 132674000000000000n;

function buildSampleFile(): Buffer {
  const chunk = new ChunkWriter();
  chunk.record(101, WRITTEN, w => w.templateInstance('security', securityEventTemplate, securityEventValues(101, SID_BYTES, -5n)));
  chunk.record(102, WRITTEN, w => w.templateInstance('security', securityEventTemplate, securityEventValues(102, undefined, 7n)));
  chunk.record(103, WRITTEN, w => w.templateInstance('userdata', userDataTemplate, [...systemValues(103, SID_BYTES), value.binXml(logFileCleared)]));
  return evtxFile([chunk.finish()]);
}

function writeTemp(name: string, bytes: Buffer): string {
  const path = join(tempDir, name);
  writeFileSync(path, bytes);
  return path;
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

const expectedSystem = {
  provider: 'Microsoft-Windows-Security-Auditing',
  eventId: 4688,
  version: 2,
  level: 0,
  task: 13312,
  opcode: 0,
  keywords: '0x8020000000000000',
  channel: 'Security',
  computer: 'dc1.example.lan',
  // 2021-06-05T19:35:16.721Z = 1622921716721 ms since the epoch, plus 7815 ticks of 100 ns.
  timeCreated: 16229217167217815n,
  processId: 4,
  threadId: 4700,
};

const expectedEventData = {
  SubjectLogonId: '0x3e7',
  Count: '-5',
  Flag: 'true',
  Blob: 'DEAD0001',
  When: '2020-02-29T13:05:09.0070000Z',
  Ptr: '0x7ff6a000',
  Mixed: 'R&<x<y',
  Strings: 'a, bc',
  Data1: 'ANSI',
  Data2: '-1',
  Ratio: '0.5',
  Big: '18446744073709551615',
  Mask: '0x1fffff',
  Empty: '',
};

describe('EVTX reader on a hand-built file', () => {
  const path = writeTemp('sample.evtx', buildSampleFile());

  test('reads every record into WindowsEvent with Windows renderings of each value type', async () => {
    const issues: EvtxIssue[] = [];
    const stream = readEvtx(path, { onIssue: issue => issues.push(issue) });
    const events = await collect(stream);
    assert.deepEqual(issues, []);
    assert.deepEqual(stream.stats, { chunks: 1, records: 3, skippedChunks: 0, skippedRecords: 0 });
    assert.deepEqual(events[0], {
      ...expectedSystem,
      recordId: 101,
      userId: 'S-1-5-21-1-2-3',
      data: expectedEventData,
      source: { file: path, record: 101 },
    });
    // Same template reused by offset; a null optional UserID leaves userId out.
    assert.deepEqual(events[1], {
      ...expectedSystem,
      recordId: 102,
      data: { ...expectedEventData, Count: '7' },
      source: { file: path, record: 102 },
    });
    // UserData given as an embedded BinXml value (elements without dependency id) is flattened.
    assert.deepEqual(events[2], {
      ...expectedSystem,
      recordId: 103,
      userId: 'S-1-5-21-1-2-3',
      data: { SubjectUserName: 'admin', SubjectDomainName: 'EXAMPLE' },
      source: { file: path, record: 103 },
    });
  });

  test('renders record XML as wevtutil does: optional null attributes omitted, arrays repeat the element', async () => {
    const records = await collect(readEvtxRecords(path));
    const xml = renderRecordXml(records[1]!);
    const system =
      '<System><Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-a5ba-3e3b0328c30d}"/>' +
      '<EventID>4688</EventID><Version>2</Version><Level>0</Level><Task>13312</Task><Opcode>0</Opcode>' +
      '<Keywords>0x8020000000000000</Keywords><TimeCreated SystemTime="2021-06-05T19:35:16.7217815Z"/>' +
      '<EventRecordID>102</EventRecordID><Correlation/><Execution ProcessID="4" ThreadID="4700"/>' +
      '<Channel>Security</Channel><Computer>dc1.example.lan</Computer><Security/></System>';
    const eventData =
      '<EventData><Data Name="SubjectLogonId">0x3e7</Data><Data Name="Count">7</Data><Data Name="Flag">true</Data>' +
      '<Data Name="Blob">DEAD0001</Data><Data Name="When">2020-02-29T13:05:09.0070000Z</Data><Data Name="Ptr">0x7ff6a000</Data>' +
      '<Data Name="Mixed">R&amp;&lt;<![CDATA[x<y]]></Data><Data Name="Strings">a</Data><Data Name="Strings">bc</Data>' +
      '<Data>ANSI</Data><Data>-1</Data><Data Name="Ratio">0.5</Data><Data Name="Big">18446744073709551615</Data>' +
      '<Data Name="Mask">0x1fffff</Data><Data Name="Empty"/></EventData>';
    assert.equal(xml, `<Event xmlns="${EVENT_NS}">${system}${eventData}</Event>`);
    assert.equal(records[1]!.recordId, 102);
  });

  test('record offsets are absolute file offsets of 8-byte aligned records', async () => {
    const records = await collect(readEvtxRecords(path));
    assert.equal(records[0]!.offset, 4096 + 512);
    for (const record of records) assert.equal((record.offset - 4096) % 8, 0);
    assert.ok(records[1]!.offset > records[0]!.offset && records[2]!.offset > records[1]!.offset);
  });
});

describe('EVTX reader error paths', () => {
  test('a file that is not EVTX yields one issue and no events', async () => {
    const path = writeTemp('not-evtx.bin', Buffer.from('just some text, definitely not an event log\n'.repeat(200)));
    const issues: EvtxIssue[] = [];
    const stream = readEvtx(path, { onIssue: issue => issues.push(issue) });
    assert.deepEqual(await collect(stream), []);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.reason, /not an EVTX file/);
    assert.equal(issues[0]!.file, path);
  });

  test('a missing file yields one issue and no events', async () => {
    const issues: EvtxIssue[] = [];
    const events = await collect(readEvtx(join(tempDir, 'does-not-exist.evtx'), { onIssue: issue => issues.push(issue) }));
    assert.deepEqual(events, []);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.reason, /cannot read file/);
  });

  test('an empty file is not EVTX', async () => {
    const issues: EvtxIssue[] = [];
    assert.deepEqual(await collect(readEvtx(writeTemp('empty.evtx', Buffer.alloc(0)), { onIssue: i => issues.push(i) })), []);
    assert.equal(issues.length, 1);
  });

  test('a bad file header checksum is reported but the chunks are still read', async () => {
    const bytes = buildSampleFile();
    bytes[100] = 0x5a; // inside the CRC-covered first 120 bytes, in the unused area
    const issues: EvtxIssue[] = [];
    const events = await collect(readEvtx(writeTemp('bad-header-crc.evtx', bytes), { onIssue: i => issues.push(i) }));
    assert.equal(events.length, 3);
    assert.deepEqual(issues.map(i => i.reason), ['file header checksum mismatch; reading the chunks anyway']);
  });

  test('a bad records checksum skips the chunk, unless checksums are not verified', async () => {
    const bytes = buildSampleFile();
    const ansiAt = bytes.indexOf(Buffer.from('ANSI', 'latin1'));
    bytes[ansiAt] = 'B'.charCodeAt(0);
    const issues: EvtxIssue[] = [];
    const strict = readEvtx(writeTemp('bad-records-crc.evtx', bytes), { onIssue: i => issues.push(i) });
    assert.deepEqual(await collect(strict), []);
    assert.deepEqual(strict.stats, { chunks: 1, records: 0, skippedChunks: 1, skippedRecords: 0 });
    assert.match(issues[0]!.reason, /event records checksum mismatch/);
    assert.equal(issues[0]!.chunk, 0);
    assert.equal(issues[0]!.offset, 4096);

    const lenient = await collect(readEvtx(join(tempDir, 'bad-records-crc.evtx'), { verifyChecksums: false }));
    assert.equal(lenient.length, 3);
    assert.equal(lenient[0]!.data['Data1'], 'BNSI');
  });

  test('a record whose size disagrees with its trailing copy is skipped and the next one is found', async () => {
    const bytes = buildSampleFile();
    const first = 4096 + 512;
    const size = bytes.readUInt32LE(first + 4);
    bytes.writeUInt32LE(size + 8, first + 4);
    const issues: EvtxIssue[] = [];
    const stream = readEvtx(writeTemp('bad-record-size.evtx', bytes), { onIssue: i => issues.push(i), verifyChecksums: false });
    const events = await collect(stream);
    // Record 101 defined the template inline; 102 and 103 still resolve it by offset.
    assert.deepEqual(events.map(e => e.recordId), [102, 103]);
    assert.equal(stream.stats.skippedRecords, 1);
    assert.match(issues[0]!.reason, /does not match its trailing copy/);
    assert.equal(issues[0]!.offset, first);
  });

  test('a substitution index beyond the values skips that record only', async () => {
    const chunk = new ChunkWriter();
    const template: NodeSpec = { element: 'Event', children: [systemTemplate] };
    chunk.record(1, WRITTEN, w => w.templateInstance('t', template, systemValues(1, undefined).slice(0, 5)));
    chunk.record(2, WRITTEN, w => w.templateInstance('t', template, systemValues(2, undefined)));
    const issues: EvtxIssue[] = [];
    const stream = readEvtx(writeTemp('missing-value.evtx', evtxFile([chunk.finish()])), { onIssue: i => issues.push(i) });
    const events = await collect(stream);
    assert.deepEqual(events.map(e => e.recordId), [2]);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]!.record, 1);
    assert.match(issues[0]!.reason, /substitution 5 has no value/);
  });

  test('a record without an Event/System element is reported as not an event', async () => {
    const chunk = new ChunkWriter();
    chunk.record(9, WRITTEN, w => w.node({ element: 'Other', children: [{ text: 'x' }] }));
    const issues: EvtxIssue[] = [];
    const stream = readEvtx(writeTemp('no-system.evtx', evtxFile([chunk.finish()])), { onIssue: i => issues.push(i) });
    assert.deepEqual(await collect(stream), []);
    assert.equal(stream.stats.skippedRecords, 1);
    assert.match(issues[0]!.reason, /no <System> element/);
  });

  test('a template instance that refers to its own definition fails without recursing', async () => {
    const chunk = new ChunkWriter();
    chunk.record(1, WRITTEN, w => {
      // Definition whose body is a template instance pointing back at the definition itself.
      w.u8(0x0c).u8(1).u32(1);
      const definitionOffset = w.pos + 4;
      w.u32(definitionOffset).u32(0).bytes(Buffer.alloc(16));
      w.u32(15).u8(0x0f).u8(1).u8(1).u8(0).u8(0x0c).u8(1).u32(1).u32(definitionOffset).u8(0x00);
      w.u32(0);
    });
    const issues: EvtxIssue[] = [];
    const events = await collect(readEvtx(writeTemp('self-template.evtx', evtxFile([chunk.finish()])), { onIssue: i => issues.push(i) }));
    assert.deepEqual(events, []);
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.reason, /refers to itself|unreadable/);
  });

  test('deeply nested elements are refused, not recursed into without bound', async () => {
    let node: NodeSpec = { text: 'deep' };
    for (let i = 0; i < 200; i++) node = { element: 'E', children: [node] };
    const chunk = new ChunkWriter();
    chunk.record(1, WRITTEN, w => w.node(node));
    const issues: EvtxIssue[] = [];
    assert.deepEqual(await collect(readEvtx(writeTemp('deep.evtx', evtxFile([chunk.finish()])), { onIssue: i => issues.push(i) })), []);
    assert.match(issues[0]!.reason, /nested too deeply/);
  });

  test('a throwing onIssue callback does not break the stream', async () => {
    const bytes = buildSampleFile();
    bytes[100] = 1;
    const events = await collect(readEvtx(writeTemp('throwing-callback.evtx', bytes), { onIssue: () => { throw new Error('boom'); } }));
    assert.equal(events.length, 3);
  });
});
