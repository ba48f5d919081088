import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { renderArrayItems, renderFileTime, renderScalar, renderValue, ValueType } from './values.js';
import { EvtxFormatError } from './format-error.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const scalar = (type: number, bytes: Buffer) => renderScalar(type, bytes, 0, bytes.length);

describe('scalar values render as Windows EvtRender does', () => {
  test('integers: signed, unsigned, 64-bit beyond 2^53', () => {
    assert.equal(scalar(ValueType.Int8, hex('ff')), '-1');
    assert.equal(scalar(ValueType.UInt8, hex('ff')), '255');
    assert.equal(scalar(ValueType.Int16, hex('00 80')), '-32768');
    assert.equal(scalar(ValueType.UInt16, hex('50 12')), '4688');
    assert.equal(scalar(ValueType.Int32, hex('fb ff ff ff')), '-5');
    assert.equal(scalar(ValueType.UInt32, hex('ff ff ff ff')), '4294967295');
    assert.equal(scalar(ValueType.Int64, hex('ff ff ff ff ff ff ff 7f')), '9223372036854775807');
    assert.equal(scalar(ValueType.UInt64, hex('01 00 00 00 00 00 20 00')), '9007199254740993');
  });

  test('hex integers and size_t are unpadded lowercase 0x…', () => {
    assert.equal(scalar(ValueType.HexInt32, hex('e7 03 00 00')), '0x3e7');
    assert.equal(scalar(ValueType.HexInt64, hex('00 00 00 00 00 00 20 80')), '0x8020000000000000');
    assert.equal(scalar(ValueType.HexInt64, hex('00 00 00 00 00 00 00 00')), '0x0');
    assert.equal(scalar(ValueType.SizeT, hex('00 a0 f6 7f')), '0x7ff6a000');
    assert.equal(scalar(ValueType.SizeT, hex('00 a0 f6 7f 01 00 00 00')), '0x17ff6a000');
  });

  test('reals, booleans, binary', () => {
    assert.equal(scalar(ValueType.Real32, Buffer.from(new Float32Array([0.1]).buffer)), '0.1');
    assert.equal(scalar(ValueType.Real64, Buffer.from(new Float64Array([-2.5]).buffer)), '-2.5');
    assert.equal(scalar(ValueType.Bool, hex('01 00 00 00')), 'true');
    assert.equal(scalar(ValueType.Bool, hex('00 00 00 00')), 'false');
    assert.equal(scalar(ValueType.Binary, hex('de ad 00 01')), 'DEAD0001');
    assert.equal(scalar(ValueType.Null, Buffer.alloc(0)), '');
  });

  test('strings drop trailing NULs only', () => {
    assert.equal(scalar(ValueType.String, Buffer.from('C:\\a b\0\0', 'utf16le')), 'C:\\a b');
    assert.equal(scalar(ValueType.String, Buffer.from('a\0b', 'utf16le')), 'a\0b');
    assert.equal(scalar(ValueType.AnsiString, Buffer.from('caf\xe9\0', 'latin1')), 'café');
  });

  test('GUID: first three groups little-endian, lowercase, braced', () => {
    assert.equal(scalar(ValueType.Guid, hex('5f 38 70 57 2a c2 e0 43 bf 4c 06 f5 69 8f fb d9')), '{5770385f-c22a-43e0-bf4c-06f5698ffbd9}');
  });

  test('SID: big-endian authority, little-endian sub-authorities; huge authority in hex', () => {
    assert.equal(scalar(ValueType.Sid, hex('01 01 000000000005 12000000')), 'S-1-5-18');
    assert.equal(scalar(ValueType.Sid, hex('01 02 000000000010 00300000 01000000')), 'S-1-16-12288-1');
    assert.equal(scalar(ValueType.Sid, hex('01 00 010000000000')), 'S-1-0x010000000000');
  });

  test('FILETIME and SYSTEMTIME as ISO-8601 UTC with seven fraction digits', () => {
    assert.equal(renderFileTime(116444736000000000n), '1970-01-01T00:00:00.0000000Z');
    assert.equal(renderFileTime(0n), '1601-01-01T00:00:00.0000000Z');
    // 2019-07-19T14:54:16.766Z is 1563548056766 ms after the epoch; 6670 extra ticks.
    assert.equal(renderFileTime(116444736000000000n + 1563548056766n * 10000n + 6670n), '2019-07-19T14:54:16.7666670Z');
    assert.equal(renderFileTime(116444736000000000n - 1n), '1969-12-31T23:59:59.9999999Z');
    const systemTime = Buffer.from(new Uint16Array([2019, 7, 5, 19, 14, 54, 16, 766]).buffer);
    assert.equal(scalar(ValueType.SystemTime, systemTime), '2019-07-19T14:54:16.7660000Z');
  });
});

describe('array values', () => {
  test('string arrays split on NUL terminators, a missing final terminator keeps the last item', () => {
    const value = { type: 0x81, buf: Buffer.from('one\0\0three', 'utf16le'), start: 0, size: 20 };
    assert.deepEqual(renderArrayItems(value), ['one', '', 'three']);
    assert.equal(renderValue(value), 'one, , three');
  });

  test('fixed-size arrays split by item size; SID arrays by each SID size', () => {
    assert.deepEqual(renderArrayItems({ type: 0x94, buf: hex('01000000 ff000000'), start: 0, size: 8 }), ['0x1', '0xff']);
    assert.deepEqual(renderArrayItems({ type: 0x93, buf: hex('0101000000000005 12000000 0101000000000001 00000000'), start: 0, size: 24 }), ['S-1-5-18', 'S-1-1-0']);
  });

  test('malformed arrays are format errors', () => {
    assert.throws(() => renderArrayItems({ type: 0x88, buf: hex('010000 00ff'), start: 0, size: 5 }), EvtxFormatError);
    assert.throws(() => renderArrayItems({ type: 0x8e, buf: hex('0102'), start: 0, size: 2 }), /not supported/);
  });
});

describe('malformed scalars are format errors, not crashes', () => {
  test('too short for the type', () => {
    assert.throws(() => scalar(ValueType.Bool, hex('01 00')), /needs 4 bytes, has 2/);
    assert.throws(() => scalar(ValueType.Guid, hex('00')), EvtxFormatError);
  });
  test('a SID whose sub-authority count overruns the value', () => {
    assert.throws(() => scalar(ValueType.Sid, hex('01 05 000000000005 12000000')), /overruns/);
  });
  test('an unknown type code', () => {
    assert.throws(() => scalar(0x30, hex('00')), /unknown value type 0x30/);
  });
});
