/**
 * Every real .evtx under ../shared/data read event for event against the JSONL beside it, which python-evtx
 * 0.6.1 produced. The reader renders values as Windows does; where python-evtx prints them differently the
 * comparison normalises, each case named below:
 *  - TimeCreated: python-evtx turns the FILETIME into float seconds and prints microseconds, so the two
 *    instants may differ by the float rounding: compared as instants within 1 µs.
 *  - HexInt32/HexInt64 (Keywords, LogonId, AccessMask, …): python-evtx zero-pads to 8/16 digits
 *    (`0x00000000000003e7`), Windows does not (`0x3e7`): compared as numbers when both are 0x-hex.
 *  - Booleans: python-evtx prints `True`/`False`, Windows `true`/`false`.
 *  - Null substitution values: the converter writes JSON null, the reader ''.
 *  - Line ends: the converter re-parses python-evtx's XML, and XML parsing turns CRLF into LF
 *    (AccessList holds `%%1541\r\n\t\t…`): the reader's text is compared with CRLF → LF.
 *  - UserID: the converter writes '' when <Security/> has no UserID; the reader leaves userId out.
 * GUIDs (lowercase, braced), SIDs, decimal integers and strings must match exactly.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { WindowsEvent } from '../event.js';
import { readEvtx, type EvtxIssue } from './index.js';
import { FILETIME_UNIX_EPOCH } from './values.js';
import { referenceEvents, sharedEvtxFiles, type ReferenceEvent } from './shared-samples.js';

const files = sharedEvtxFiles();

function systemFields(event: WindowsEvent): Record<string, string> {
  return {
    Provider: event.provider,
    EventID: String(event.eventId),
    Version: String(event.version),
    Level: String(event.level ?? ''),
    Task: String(event.task ?? ''),
    Opcode: String(event.opcode ?? ''),
    Keywords: event.keywords ?? '',
    EventRecordID: String(event.recordId),
    ProcessID: String(event.processId ?? ''),
    ThreadID: String(event.threadId ?? ''),
    Channel: event.channel,
    Computer: event.computer,
    UserID: event.userId ?? '',
  };
}

const PADDED_HEX = /^0x[0-9a-f]{8}$|^0x[0-9a-f]{16}$/;
const WINDOWS_HEX = /^0x[0-9a-f]+$/;

/** The reader's text in the form the converter printed it, per the normalisations listed above. */
function asConverterPrints(ours: string, reference: string | null): string | null {
  if (reference === null && ours === '') return null;
  if (reference !== null && PADDED_HEX.test(reference) && WINDOWS_HEX.test(ours) && BigInt(ours) === BigInt(reference)) return reference;
  if ((ours === 'true' && reference === 'True') || (ours === 'false' && reference === 'False')) return reference;
  return ours.replace(/\r\n/g, '\n');
}

/** `2021-06-05 19:35:16.721781` (UTC) → microseconds since the Unix epoch. */
function referenceMicros(text: string): bigint {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  assert.ok(match, `unexpected TimeCreated ${text}`);
  return BigInt(Date.parse(`${match[1]}T${match[2]}Z`)) * 1000n + BigInt((match[3] ?? '').padEnd(6, '0'));
}

/**
 * The instant python-evtx prints for a FILETIME: `utcfromtimestamp(float(filetime) * 1e-7 - 11644473600)`,
 * i.e. double arithmetic, then the fraction rounded half-to-even to microseconds. Same IEEE doubles here.
 */
function pythonEvtxMicros(unixTicks: bigint): bigint {
  const seconds = Number(unixTicks + FILETIME_UNIX_EPOCH) * 1e-7 - 11644473600;
  const whole = Math.trunc(seconds);
  let micros = roundHalfEven((seconds - whole) * 1e6);
  let wholeSeconds = whole;
  if (micros >= 1000000) {
    wholeSeconds += 1;
    micros -= 1000000;
  }
  return BigInt(wholeSeconds) * 1000000n + BigInt(micros);
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const SYSTEM_KEYS = new Set(['Provider', 'EventID', 'Version', 'Level', 'Task', 'Opcode', 'Keywords', 'TimeCreated', 'EventRecordID', 'ProcessID', 'ThreadID', 'Channel', 'Computer', 'UserID']);

function compareEvent(event: WindowsEvent, reference: ReferenceEvent, where: string): void {
  const system = systemFields(event);
  for (const [key, ours] of Object.entries(system)) {
    assert.equal(asConverterPrints(ours, reference[key] ?? null), reference[key], `${where} ${key}`);
  }
  assert.equal(pythonEvtxMicros(event.timeCreated), referenceMicros(reference['TimeCreated']!), `${where} TimeCreated ${event.timeCreated}`);
  const referenceData = Object.entries(reference).filter(([key]) => !SYSTEM_KEYS.has(key));
  assert.deepEqual(Object.keys(event.data), referenceData.map(([key]) => key), `${where} EventData names and order`);
  for (const [key, expected] of referenceData) {
    assert.equal(asConverterPrints(event.data[key]!, expected), expected, `${where} EventData ${key}`);
  }
}

describe('EVTX reader matches the python-evtx conversions of the shared samples', () => {
  if (!files) {
    test('shared samples', { skip: '../shared/data is absent: reference comparison skipped' }, () => {});
    return;
  }
  test('there are samples to compare', () => {
    assert.ok(files.length >= 10, `found ${files.length} .evtx files`);
  });
  for (const file of files) {
    test(file.slice(file.indexOf('/data/') + 6), async () => {
      const reference = referenceEvents(file);
      const issues: EvtxIssue[] = [];
      const stream = readEvtx(file, { onIssue: issue => issues.push(issue) });
      const events: WindowsEvent[] = [];
      for await (const event of stream) events.push(event);
      assert.deepEqual(issues, []);
      assert.equal(events.length, reference.length);
      assert.deepEqual(stream.stats, { chunks: stream.stats.chunks, records: reference.length, skippedChunks: 0, skippedRecords: 0 });
      events.forEach((event, i) => {
        compareEvent(event, reference[i]!, `${file} event #${i} (record ${event.recordId})`);
        assert.equal(event.source.file, file);
        // source.record is the EVTX record header id; exported logs renumber it 1, 2, … while EventRecordID keeps the original.
        if (i > 0) assert.ok(event.source.record > events[i - 1]!.source.record, `${file} record ids increase`);
      });
    });
  }
});
