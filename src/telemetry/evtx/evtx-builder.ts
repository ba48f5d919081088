/**
 * Test support: writes small EVTX files byte by byte from the format description (file header, chunk header
 * with both CRC32s, records, BinXml with inline names and template definitions), so tests can check exact
 * values for every value type and construct without depending on shared data.
 */
import { crc32 } from 'node:zlib';

/** A substitution value: bytes, or (for BinXml, whose name offsets depend on its position) a writer. */
export type ValueSpec = { type: number; bytes: Buffer } | { type: number; write: (chunk: ChunkWriter) => void };

/** Content of a template definition or fragment element. */
export type NodeSpec =
  | { element: string; attributes?: [string, NodeSpec[]][]; children?: NodeSpec[] }
  | { text: string }
  | { sub: number; type: number; optional?: boolean }
  | { charRef: number }
  | { entity: string }
  | { cdata: string };

const utf16 = (text: string) => Buffer.from(text, 'utf16le');

/** Byte emitter for one 64 KiB chunk; offsets are chunk-relative. */
export class ChunkWriter {
  readonly buf = Buffer.alloc(65536);
  pos = 512;
  private readonly names = new Map<string, number>();
  private readonly templates = new Map<string, number>();
  private firstRecordId = 0;
  private lastRecordId = 0;
  private recordCount = 0;
  private lastRecordOffset = 0;

  u8(value: number): this {
    this.buf.writeUInt8(value, this.pos++);
    return this;
  }
  u16(value: number): this {
    this.buf.writeUInt16LE(value, this.pos);
    this.pos += 2;
    return this;
  }
  u32(value: number): this {
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
    return this;
  }
  u64(value: bigint): this {
    this.buf.writeBigUInt64LE(value, this.pos);
    this.pos += 8;
    return this;
  }
  bytes(data: Buffer): this {
    data.copy(this.buf, this.pos);
    this.pos += data.length;
    return this;
  }

  /** A name reference: inline (offset = right after the field) the first time, by offset afterwards. */
  name(name: string): this {
    const known = this.names.get(name);
    if (known !== undefined) return this.u32(known);
    const offset = this.pos + 4;
    this.names.set(name, offset);
    return this.u32(offset).u32(0).u16(0).u16(name.length).bytes(utf16(name)).u16(0);
  }

  node(spec: NodeSpec, withDependencyId = true): this {
    if ('element' in spec) return this.element(spec, withDependencyId);
    if ('text' in spec) return this.u8(0x05).u8(0x01).u16(spec.text.length).bytes(utf16(spec.text));
    if ('sub' in spec) return this.u8(spec.optional ? 0x0e : 0x0d).u16(spec.sub).u8(spec.type);
    if ('charRef' in spec) return this.u8(0x08).u16(spec.charRef);
    if ('entity' in spec) return this.u8(0x09).name(spec.entity);
    return this.u8(0x07).u16(spec.cdata.length).bytes(utf16(spec.cdata));
  }

  private element(spec: Extract<NodeSpec, { element: string }>, withDependencyId: boolean): this {
    const attributes = spec.attributes ?? [];
    this.u8(attributes.length > 0 ? 0x41 : 0x01);
    if (withDependencyId) this.u16(0xffff);
    const sizeAt = this.pos;
    this.u32(0).name(spec.element);
    if (attributes.length > 0) {
      const listSizeAt = this.pos;
      this.u32(0);
      attributes.forEach(([name, value], i) => {
        this.u8(i < attributes.length - 1 ? 0x46 : 0x06).name(name);
        for (const part of value) this.node(part);
      });
      this.buf.writeUInt32LE(this.pos - listSizeAt - 4, listSizeAt);
    }
    const children = spec.children ?? [];
    if (children.length === 0) this.u8(0x03);
    else {
      this.u8(0x02);
      for (const child of children) this.node(child, withDependencyId);
      this.u8(0x04);
    }
    this.buf.writeUInt32LE(this.pos - sizeAt - 4, sizeAt);
    return this;
  }

  /** Template instance; the definition is written inline the first time `key` is used in this chunk. */
  templateInstance(key: string, root: NodeSpec, values: ValueSpec[]): this {
    const known = this.templates.get(key);
    this.u8(0x0c).u8(0x01).u32(0x1234);
    if (known !== undefined) this.u32(known);
    else {
      const definitionOffset = this.pos + 4;
      this.templates.set(key, definitionOffset);
      this.u32(definitionOffset).u32(0).bytes(Buffer.alloc(16, 0xab));
      const sizeAt = this.pos;
      this.u32(0).u8(0x0f).u8(1).u8(1).u8(0).node(root).u8(0x00);
      this.buf.writeUInt32LE(this.pos - sizeAt - 4, sizeAt);
    }
    this.u32(values.length);
    const descriptorsAt = this.pos;
    for (const value of values) this.u16(0).u8(value.type).u8(0);
    values.forEach((value, i) => {
      const start = this.pos;
      if ('bytes' in value) this.bytes(value.bytes);
      else value.write(this);
      this.buf.writeUInt16LE(this.pos - start, descriptorsAt + i * 4);
    });
    return this;
  }

  /** One record whose BinXml is written by `body`; records are padded to 8 bytes like Windows does. */
  record(recordId: number, writtenTime: bigint, body: (writer: this) => void): this {
    const start = this.pos;
    this.u32(0x2a2a).u32(0).u64(BigInt(recordId)).u64(writtenTime);
    this.u8(0x0f).u8(1).u8(1).u8(0);
    body(this);
    this.u8(0x00);
    while ((this.pos + 4 - start) % 8 !== 0) this.u8(0);
    const size = this.pos + 4 - start;
    this.u32(size);
    this.buf.writeUInt32LE(size, start + 4);
    if (this.recordCount++ === 0) this.firstRecordId = recordId;
    this.lastRecordId = recordId;
    this.lastRecordOffset = start;
    return this;
  }

  /** The finished chunk with header fields and both checksums. */
  finish(): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    b.writeBigUInt64LE(BigInt(this.firstRecordId), 8);
    b.writeBigUInt64LE(BigInt(this.lastRecordId), 16);
    b.writeBigUInt64LE(BigInt(this.firstRecordId), 24);
    b.writeBigUInt64LE(BigInt(this.lastRecordId), 32);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.lastRecordOffset, 44);
    b.writeUInt32LE(this.pos, 48);
    b.writeUInt32LE(crc32(b.subarray(512, this.pos)), 52);
    b.writeUInt32LE(crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
    return b;
  }
}

/** File header (4096 bytes, CRC32 over the first 120) followed by the chunks. */
export function evtxFile(chunks: Buffer[]): Buffer {
  const header = Buffer.alloc(4096);
  header.write('ElfFile\0', 0, 'latin1');
  header.writeBigUInt64LE(BigInt(Math.max(chunks.length - 1, 0)), 16);
  header.writeUInt32LE(128, 32);
  header.writeUInt16LE(1, 36);
  header.writeUInt16LE(3, 38);
  header.writeUInt16LE(4096, 40);
  header.writeUInt16LE(chunks.length, 42);
  header.writeUInt32LE(crc32(header.subarray(0, 120)), 124);
  return Buffer.concat([header, ...chunks]);
}

// Value encoders -------------------------------------------------------------------------------------------

export const value = {
  null: (): ValueSpec => ({ type: 0x00, bytes: Buffer.alloc(0) }),
  string: (text: string): ValueSpec => ({ type: 0x01, bytes: utf16(text) }),
  ansi: (text: string): ValueSpec => ({ type: 0x02, bytes: Buffer.from(text, 'latin1') }),
  int: (type: number, size: number, n: bigint): ValueSpec => {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = Number((BigInt.asUintN(size * 8, n) >> BigInt(8 * i)) & 0xffn);
    return { type, bytes };
  },
  raw: (type: number, bytes: Buffer): ValueSpec => ({ type, bytes }),
  fileTime: (iso: string, extraTicks = 0n): ValueSpec => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(BigInt(Date.parse(iso)) * 10000n + 116444736000000000n + extraTicks);
    return { type: 0x11, bytes };
  },
  /** Embedded BinXml: an element written without dependency id, as Windows stores them in values. */
  binXml: (root: NodeSpec): ValueSpec => ({ type: 0x21, write: chunk => chunk.node(root, false) }),
};
