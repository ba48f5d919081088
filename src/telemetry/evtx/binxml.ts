/**
 * Binary XML (MS-EVEN6 BinXml) as stored in EVTX chunks: parsing token streams into node trees (template
 * definitions keep their substitution placeholders), and resolving a template instance with its values into
 * a plain XML tree. Names and template definitions are referenced by chunk-relative offsets, so every parse
 * works on one chunk buffer; every read is bounds-checked and every loop consumes bytes, so damaged input
 * ends in an EvtxFormatError, never in a hang or a crash.
 */
import { EvtxFormatError } from './format-error.js';
import { ARRAY_FLAG, ValueType, isArrayType, renderArrayItems, renderScalar, renderValue, fixedSizeOf, type TypedValue } from './values.js';

/** Deepest element nesting accepted (real events nest 4–6 levels). */
const MAX_ELEMENT_DEPTH = 64;
/** Deepest nesting of template instances / BinXml values inside each other. */
const MAX_TEMPLATE_DEPTH = 16;
/** First chunk-relative offset that can hold records, names and templates (after the 512-byte chunk header). */
const CHUNK_DATA_START = 512;

const Token = {
  EndOfFile: 0x00,
  OpenStartElement: 0x01,
  CloseStartElement: 0x02,
  CloseEmptyElement: 0x03,
  EndElement: 0x04,
  Value: 0x05,
  Attribute: 0x06,
  CData: 0x07,
  CharRef: 0x08,
  EntityRef: 0x09,
  PITarget: 0x0a,
  PIData: 0x0b,
  TemplateInstance: 0x0c,
  NormalSubstitution: 0x0d,
  OptionalSubstitution: 0x0e,
  FragmentHeader: 0x0f,
} as const;

/** The "more data follows" / "has attributes" flag some tokens carry. */
const MORE_FLAG = 0x40;

// ---------------------------------------------------------------------------------------------------------
// Parsed (unresolved) trees

export type BinXmlNode =
  | ElementNode
  | { kind: 'text'; text: string }
  | { kind: 'cdata'; text: string }
  | { kind: 'charref'; code: number }
  | { kind: 'entity'; name: string }
  | { kind: 'pi'; target: string; data: string }
  | SubstitutionNode
  | TemplateInstanceNode;

export interface ElementNode {
  kind: 'element';
  name: string;
  attributes: AttributeNode[];
  children: BinXmlNode[];
}

export interface AttributeNode {
  name: string;
  value: BinXmlNode[];
}

export interface SubstitutionNode {
  kind: 'substitution';
  index: number;
  optional: boolean;
  declaredType: number;
}

export interface TemplateInstanceNode {
  kind: 'template';
  definition: TemplateDefinition;
  values: TypedValue[];
}

export interface TemplateDefinition {
  offset: number;
  guid: string;
  dataSize: number;
  nodes: BinXmlNode[];
}

/** Per-chunk caches: names and template definitions are shared by all records of a chunk. */
export class ChunkContext {
  readonly names = new Map<number, string>();
  readonly templates = new Map<number, TemplateDefinition | EvtxFormatError>();

  constructor(
    readonly buf: Buffer,
    /** Bytes of buf that hold chunk data (less than 64 KiB for a truncated last chunk). */
    readonly length: number,
  ) {}
}

// ---------------------------------------------------------------------------------------------------------
// Resolved trees (what a record means)

export type XmlContent = XmlElement | XmlText | XmlProcessingInstruction;

export interface XmlElement {
  kind: 'element';
  name: string;
  attributes: XmlAttribute[];
  children: XmlContent[];
}

export interface XmlText {
  kind: 'text';
  text: string;
  cdata?: boolean;
  /** The typed substitution value the text was rendered from, when there is one (e.g. FILETIME). */
  value?: TypedValue;
}

export interface XmlProcessingInstruction {
  kind: 'pi';
  target: string;
  data: string;
}

export interface XmlAttribute {
  name: string;
  text: string;
  value?: TypedValue;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

/** Parses a BinXml fragment stream (record body or BinXml value) in [start, limit) of the chunk. */
export function parseFragment(context: ChunkContext, start: number, limit: number, templateDepth = 0): BinXmlNode[] {
  return new BinXmlParser(context, start, limit, templateDepth).parseDocument();
}

/** The template definition at a chunk offset, parsed once per chunk (failures are cached too). */
export function templateAt(context: ChunkContext, offset: number, templateDepth: number): TemplateDefinition {
  const cached = context.templates.get(offset);
  if (cached instanceof EvtxFormatError) throw cached;
  if (cached) return cached;
  // Mark before parsing so a definition that (through damage) instantiates itself fails instead of recursing.
  context.templates.set(offset, new EvtxFormatError(`template definition at 0x${offset.toString(16)} refers to itself`, offset));
  try {
    const definition = parseTemplateDefinition(context, offset, templateDepth);
    context.templates.set(offset, definition);
    return definition;
  } catch (error) {
    const failure = error instanceof EvtxFormatError ? error : new EvtxFormatError(String(error), offset);
    context.templates.set(offset, failure);
    throw failure;
  }
}

/** Definition layout: next-definition offset (4), GUID (16), data size (4), then a fragment of that size. */
function parseTemplateDefinition(context: ChunkContext, offset: number, templateDepth: number): TemplateDefinition {
  if (offset < CHUNK_DATA_START || offset + 24 > context.length) {
    throw new EvtxFormatError(`template definition offset 0x${offset.toString(16)} is outside the chunk data`, offset);
  }
  const dataSize = context.buf.readUInt32LE(offset + 20);
  const dataStart = offset + 24;
  if (dataStart + dataSize > context.length) {
    throw new EvtxFormatError(`template definition data (${dataSize} bytes) overruns the chunk`, offset);
  }
  const guid = context.buf.toString('hex', offset + 4, offset + 20);
  const nodes = parseFragment(context, dataStart, dataStart + dataSize, templateDepth + 1);
  return { offset, guid, dataSize, nodes };
}

class BinXmlParser {
  private pos: number;

  constructor(
    private readonly context: ChunkContext,
    start: number,
    private readonly limit: number,
    private readonly templateDepth: number,
  ) {
    if (templateDepth > MAX_TEMPLATE_DEPTH) throw new EvtxFormatError('templates nested too deeply', start);
    if (limit > context.length || start > limit) throw new EvtxFormatError('BinXml range outside the chunk', start);
    this.pos = start;
  }

  private get buf(): Buffer {
    return this.context.buf;
  }

  parseDocument(): BinXmlNode[] {
    const nodes: BinXmlNode[] = [];
    while (this.pos < this.limit) {
      const token = this.buf[this.pos]!;
      if (token === Token.EndOfFile) {
        this.pos++;
        break;
      }
      if (token === Token.FragmentHeader) this.pos += this.need(4);
      else if (token === Token.TemplateInstance) nodes.push(this.parseTemplateInstance());
      else if ((token & ~MORE_FLAG) === Token.OpenStartElement) nodes.push(this.parseElement(0));
      else if (token === Token.PITarget) nodes.push(this.parseProcessingInstruction());
      else throw this.fail(`unexpected token 0x${token.toString(16)} at fragment level`);
    }
    return nodes;
  }

  /** Checks that n bytes are left and returns n (so `pos += need(n)` reads naturally). */
  private need(n: number): number {
    if (this.pos + n > this.limit) throw this.fail(`needs ${n} bytes, ${this.limit - this.pos} left`);
    return n;
  }

  private fail(reason: string, at = this.pos): EvtxFormatError {
    return new EvtxFormatError(`${reason} (chunk offset 0x${at.toString(16)})`, at);
  }

  private u16(at: number): number {
    return this.buf.readUInt16LE(at);
  }

  private u32(at: number): number {
    return this.buf.readUInt32LE(at);
  }

  private parseElement(depth: number): ElementNode {
    if (depth > MAX_ELEMENT_DEPTH) throw this.fail('elements nested too deeply');
    const start = this.pos;
    const hasAttributes = (this.buf[start]! & MORE_FLAG) !== 0;
    this.pos = this.elementNameFieldOffset(start);
    const name = this.parseNameReference();
    const attributes = hasAttributes ? this.parseAttributeList() : [];
    const closing = this.buf[this.pos];
    this.pos += this.need(1);
    if (closing === Token.CloseEmptyElement) return { kind: 'element', name, attributes, children: [] };
    if (closing !== Token.CloseStartElement) throw this.fail(`element <${name}> start not closed (token 0x${(closing ?? 0).toString(16)})`, this.pos - 1);
    const children = this.parseContent(depth, name);
    return { kind: 'element', name, attributes, children };
  }

  /**
   * Offset of the element-name field. The start normally carries a 2-byte dependency id before the 4-byte
   * data size, but not inside BinXml substitution values; the name offset tells which: it either points
   * just past itself (name stored inline) or back to a name earlier in the chunk.
   */
  private elementNameFieldOffset(start: number): number {
    for (const nameField of [start + 7, start + 5]) {
      if (nameField + 4 > this.limit) continue;
      const nameOffset = this.u32(nameField);
      const inline = nameOffset === nameField + 4;
      const earlier = nameOffset >= CHUNK_DATA_START && nameOffset + 10 <= start;
      if (inline || earlier) return nameField;
    }
    throw this.fail('element start has no valid name offset', start);
  }

  /** Reads a 4-byte name offset at pos; an inline name (offset pointing just past the field) is skipped over. */
  private parseNameReference(): string {
    this.need(4);
    const nameOffset = this.u32(this.pos);
    this.pos += 4;
    const name = this.nameAt(nameOffset);
    if (nameOffset === this.pos) this.pos += this.need(10 + name.length * 2);
    return name;
  }

  /** Name layout: next-name offset (4), hash (2), character count (2), UTF-16 characters, NUL. */
  private nameAt(offset: number): string {
    const cached = this.context.names.get(offset);
    if (cached !== undefined) return cached;
    if (offset < CHUNK_DATA_START || offset + 8 > this.context.length) throw this.fail(`name offset 0x${offset.toString(16)} outside the chunk`);
    const chars = this.u16(offset + 6);
    const end = offset + 8 + chars * 2;
    if (end > this.context.length) throw this.fail(`name at 0x${offset.toString(16)} overruns the chunk`);
    const name = this.buf.toString('utf16le', offset + 8, end);
    this.context.names.set(offset, name);
    return name;
  }

  private parseAttributeList(): AttributeNode[] {
    const listSize = this.u32(this.pos);
    this.pos += this.need(4);
    if (this.pos + listSize > this.limit) throw this.fail(`attribute list size ${listSize} overruns the data`);
    const attributes: AttributeNode[] = [];
    for (;;) {
      const token = this.buf[this.pos];
      if (token === undefined || (token & ~MORE_FLAG) !== Token.Attribute) throw this.fail(`expected an attribute, found token 0x${(token ?? 0).toString(16)}`);
      this.pos += this.need(1);
      const name = this.parseNameReference();
      attributes.push({ name, value: this.parseAttributeValue() });
      if ((token & MORE_FLAG) === 0) return attributes;
    }
  }

  /** Attribute data: value text, substitutions, character and entity references, until the next structural token. */
  private parseAttributeValue(): BinXmlNode[] {
    const parts: BinXmlNode[] = [];
    for (;;) {
      const node = this.parseCharacterData();
      if (!node) return parts;
      parts.push(node);
    }
  }

  /** One piece of character data at pos, or undefined when the token is something else. */
  private parseCharacterData(): BinXmlNode | undefined {
    const token = this.buf[this.pos];
    if (token === undefined || this.pos >= this.limit) return undefined;
    switch (token & ~MORE_FLAG) {
      case Token.Value:
        return this.parseValueText();
      case Token.CharRef:
        this.pos += this.need(3);
        return { kind: 'charref', code: this.u16(this.pos - 2) };
      case Token.EntityRef:
        this.pos += this.need(1);
        return { kind: 'entity', name: this.parseNameReference() };
      case Token.NormalSubstitution:
      case Token.OptionalSubstitution:
        if ((token & MORE_FLAG) !== 0) return undefined;
        this.pos += this.need(4);
        return { kind: 'substitution', optional: token === Token.OptionalSubstitution, index: this.u16(this.pos - 3), declaredType: this.buf[this.pos - 1]! };
      default:
        return undefined;
    }
  }

  private parseContent(depth: number, elementName: string): BinXmlNode[] {
    const children: BinXmlNode[] = [];
    for (;;) {
      if (this.pos >= this.limit) throw this.fail(`element <${elementName}> not closed before the end of the data`);
      const token = this.buf[this.pos]!;
      const base = token & ~MORE_FLAG;
      if (token === Token.EndElement) {
        this.pos++;
        return children;
      }
      if (base === Token.OpenStartElement) children.push(this.parseElement(depth + 1));
      else if (base === Token.CData) children.push(this.parseCData());
      else if (token === Token.PITarget) children.push(this.parseProcessingInstruction());
      else if (token === Token.TemplateInstance) children.push(this.parseTemplateInstance());
      else {
        const data = this.parseCharacterData();
        if (!data) throw this.fail(`unexpected token 0x${token.toString(16)} in <${elementName}>`);
        children.push(data);
      }
    }
  }

  /** Value text: token, value type, then (for strings) a character count and the characters. */
  private parseValueText(): BinXmlNode {
    this.pos += this.need(2);
    const type = this.buf[this.pos - 1]!;
    if (type === ValueType.String || type === ValueType.AnsiString) {
      const count = this.u16(this.pos);
      this.pos += this.need(2);
      const bytes = type === ValueType.String ? count * 2 : count;
      const start = this.pos;
      this.pos += this.need(bytes);
      return { kind: 'text', text: renderScalar(type, this.buf, start, bytes) };
    }
    const size = fixedSizeOf(type);
    if (size === 0) throw this.fail(`value text of unsupported type 0x${type.toString(16)}`);
    const start = this.pos;
    this.pos += this.need(size);
    return { kind: 'text', text: renderScalar(type, this.buf, start, size) };
  }

  private parseCData(): BinXmlNode {
    this.pos += this.need(3);
    const count = this.u16(this.pos - 2);
    const start = this.pos;
    this.pos += this.need(count * 2);
    return { kind: 'cdata', text: this.buf.toString('utf16le', start, this.pos) };
  }

  /** PI target token with its name, normally followed by a PI data token with the text. */
  private parseProcessingInstruction(): BinXmlNode {
    this.pos += this.need(1);
    const target = this.parseNameReference();
    let data = '';
    if (this.pos < this.limit && this.buf[this.pos] === Token.PIData) {
      this.pos += this.need(3);
      const count = this.u16(this.pos - 2);
      const start = this.pos;
      this.pos += this.need(count * 2);
      data = this.buf.toString('utf16le', start, this.pos);
    }
    return { kind: 'pi', target, data };
  }

  /**
   * Template instance: token, 1 unknown byte, template id (4), definition offset (4); the definition itself
   * follows inline the first time a chunk uses it; then the value count, 4-byte descriptors (size, type,
   * padding) and the value bytes.
   */
  private parseTemplateInstance(): TemplateInstanceNode {
    this.pos += this.need(10);
    const definitionOffset = this.u32(this.pos - 4);
    if (definitionOffset > this.pos) throw this.fail(`template definition offset 0x${definitionOffset.toString(16)} points forward`);
    const definition = templateAt(this.context, definitionOffset, this.templateDepth);
    if (definitionOffset === this.pos) this.pos += this.need(24 + definition.dataSize);
    return { kind: 'template', definition, values: this.parseTemplateValues() };
  }

  private parseTemplateValues(): TypedValue[] {
    const count = this.u32(this.pos);
    this.pos += this.need(4);
    this.need(count * 4);
    const descriptorsStart = this.pos;
    this.pos += count * 4;
    const values: TypedValue[] = [];
    for (let i = 0; i < count; i++) {
      const size = this.u16(descriptorsStart + i * 4);
      const type = this.buf[descriptorsStart + i * 4 + 2]!;
      values.push({ type, buf: this.buf, start: this.pos, size });
      this.pos += this.need(size);
    }
    return values;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Resolution

/** Resolves parsed nodes (a record body) into XML content, expanding template instances and BinXml values. */
export function resolveNodes(context: ChunkContext, nodes: BinXmlNode[], values: TypedValue[] = [], templateDepth = 0): XmlContent[] {
  const out: XmlContent[] = [];
  new Resolver(context).appendNodes(nodes, values, out, templateDepth, 0);
  return out;
}

const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class Resolver {
  constructor(private readonly context: ChunkContext) {}

  appendNodes(nodes: BinXmlNode[], values: TypedValue[], out: XmlContent[], templateDepth: number, elementDepth: number): void {
    if (templateDepth > MAX_TEMPLATE_DEPTH) throw new EvtxFormatError('templates nested too deeply', 0);
    if (elementDepth > MAX_ELEMENT_DEPTH * 2) throw new EvtxFormatError('elements nested too deeply', 0);
    for (const node of nodes) {
      switch (node.kind) {
        case 'element':
          this.appendElement(node, values, out, templateDepth, elementDepth);
          break;
        case 'text':
          out.push({ kind: 'text', text: node.text });
          break;
        case 'cdata':
          out.push({ kind: 'text', text: node.text, cdata: true });
          break;
        case 'charref':
          out.push({ kind: 'text', text: characterOf(node.code) });
          break;
        case 'entity':
          out.push({ kind: 'text', text: PREDEFINED_ENTITIES[node.name] ?? `&${node.name};` });
          break;
        case 'pi':
          out.push({ kind: 'pi', target: node.target, data: node.data });
          break;
        case 'substitution':
          this.appendSubstitution(substitutionValue(node, values), out, templateDepth, elementDepth);
          break;
        case 'template':
          this.appendNodes(node.definition.nodes, node.values, out, templateDepth + 1, elementDepth);
          break;
      }
    }
  }

  private appendSubstitution(value: TypedValue, out: XmlContent[], templateDepth: number, elementDepth: number): void {
    if (value.type === ValueType.Null || value.size === 0) return;
    if (value.type === ValueType.BinXml) {
      const nodes = parseFragment(this.context, value.start, value.start + value.size, templateDepth + 1);
      this.appendNodes(nodes, [], out, templateDepth + 1, elementDepth);
      return;
    }
    out.push({ kind: 'text', text: renderValue(value), value });
  }

  private appendElement(node: ElementNode, values: TypedValue[], out: XmlContent[], templateDepth: number, elementDepth: number): void {
    const attributes = this.resolveAttributes(node.attributes, values, templateDepth);
    const arrayValue = soleArraySubstitution(node, values);
    if (arrayValue) {
      // An element whose whole content is an array value is repeated once per item (as EvtRender does).
      for (const item of renderArrayItems(arrayValue)) {
        out.push({ kind: 'element', name: node.name, attributes, children: [{ kind: 'text', text: item }] });
      }
      return;
    }
    const children: XmlContent[] = [];
    this.appendNodes(node.children, values, children, templateDepth, elementDepth + 1);
    out.push({ kind: 'element', name: node.name, attributes, children });
  }

  private resolveAttributes(attributes: AttributeNode[], values: TypedValue[], templateDepth: number): XmlAttribute[] {
    const resolved: XmlAttribute[] = [];
    for (const attribute of attributes) {
      if (isOmittedAttribute(attribute, values)) continue;
      const parts: XmlContent[] = [];
      this.appendNodes(attribute.value, values, parts, templateDepth, 0);
      const text = parts.map(textOf).join('');
      const typed = parts.length === 1 && parts[0]!.kind === 'text' ? parts[0]!.value : undefined;
      resolved.push(typed ? { name: attribute.name, text, value: typed } : { name: attribute.name, text });
    }
    return resolved;
  }
}

function substitutionValue(node: SubstitutionNode, values: TypedValue[]): TypedValue {
  const value = values[node.index];
  if (!value) throw new EvtxFormatError(`substitution ${node.index} has no value (template instance has ${values.length})`, 0);
  return value;
}

/** An attribute made only of optional substitutions whose values are empty is left out, as Windows does (e.g. `<Security/>`). */
function isOmittedAttribute(attribute: AttributeNode, values: TypedValue[]): boolean {
  return attribute.value.length > 0 && attribute.value.every(part => {
    if (part.kind !== 'substitution' || !part.optional) return false;
    const value = values[part.index];
    return value !== undefined && (value.type === ValueType.Null || value.size === 0);
  });
}

function soleArraySubstitution(node: ElementNode, values: TypedValue[]): TypedValue | undefined {
  if (node.children.length !== 1) return undefined;
  const only = node.children[0]!;
  if (only.kind !== 'substitution') return undefined;
  const value = values[only.index];
  return value && isArrayType(value.type) && value.size > 0 && value.type !== (ValueType.BinXml | ARRAY_FLAG) ? value : undefined;
}

function characterOf(code: number): string {
  return code >= 0xd800 && code <= 0xdfff ? '\ufffd' : String.fromCharCode(code);
}

/** Text of resolved content as it would read in an attribute (elements contribute their text). */
function textOf(content: XmlContent): string {
  if (content.kind === 'text') return content.text;
  if (content.kind === 'pi') return '';
  return content.children.map(textOf).join('');
}
