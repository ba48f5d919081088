/**
 * parse_xml(xml): XML → dynamic with the docs' conversion table: `<e/>` → {"e": null}, text-only
 * elements → their text, attributes → "@name", text beside attributes or children → "#text",
 * repeated child elements → an array. Only elements, attributes and text are kept (comments,
 * processing instructions and DOCTYPE are skipped; CDATA counts as text). Invalid XML, or input over
 * 1 MB, gives null.
 */
import type { ScalarFunction } from './registry.js';
import type { DynamicValue } from '../values/types.js';
import { STRING_OR_DYNAMIC, simpleScalar, textOf } from './common.js';

type Bag = { [key: string]: DynamicValue };

const MAX_XML_BYTES = 1_048_576;
const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

class XmlReader {
  private pos = 0;
  constructor(private readonly text: string) {}

  /** The document's root element as {name: value}; throws on malformed input. */
  document(): Bag {
    this.skipMisc();
    const [name, value] = this.element();
    this.skipMisc();
    if (this.pos !== this.text.length) throw new Error('content after the root element');
    return { [name]: value };
  }

  private skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith('<?', this.pos)) this.skipPast('?>');
      else if (this.text.startsWith('<!--', this.pos)) this.skipPast('-->');
      else if (this.text.startsWith('<!DOCTYPE', this.pos)) this.skipPast('>');
      else return;
    }
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private skipPast(marker: string): string {
    const end = this.text.indexOf(marker, this.pos);
    if (end === -1) throw new Error(`missing ${marker}`);
    const skipped = this.text.slice(this.pos, end);
    this.pos = end + marker.length;
    return skipped;
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const m = NAME.exec(this.text);
    if (!m) throw new Error('name expected');
    this.pos += m[0].length;
    return m[0];
  }

  private expect(s: string): void {
    if (!this.text.startsWith(s, this.pos)) throw new Error(`'${s}' expected`);
    this.pos += s.length;
  }

  private element(): [string, DynamicValue] {
    this.expect('<');
    const name = this.name();
    const attributes: Bag = {};
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith('/>', this.pos)) {
        this.pos += 2;
        return [name, Object.keys(attributes).length ? attributes : null];
      }
      if (this.text[this.pos] === '>') {
        this.pos++;
        break;
      }
      const attr = this.name();
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      const quote = this.text[this.pos];
      if (quote !== '"' && quote !== "'") throw new Error('quoted attribute value expected');
      this.pos++;
      attributes[`@${attr}`] = decodeEntities(this.skipPast(quote));
    }
    return [name, this.content(name, attributes)];
  }

  private content(name: string, attributes: Bag): DynamicValue {
    const children: Bag = {};
    const repeated = new Set<string>(); // children already collected into an array
    let text = '';
    for (;;) {
      if (this.pos >= this.text.length) throw new Error(`unclosed <${name}>`);
      if (this.text.startsWith('</', this.pos)) {
        this.pos += 2;
        if (this.name() !== name) throw new Error(`mismatched </${name}>`);
        this.skipSpace();
        this.expect('>');
        break;
      }
      if (this.text.startsWith('<!--', this.pos)) this.skipPast('-->');
      else if (this.text.startsWith('<![CDATA[', this.pos)) {
        this.pos += 9;
        text += this.skipPast(']]>');
      } else if (this.text.startsWith('<?', this.pos)) this.skipPast('?>');
      else if (this.text[this.pos] === '<') {
        const [child, value] = this.element();
        const existing = children[child];
        if (existing === undefined) children[child] = value;
        else if (repeated.has(child)) (existing as DynamicValue[]).push(value);
        else {
          children[child] = [existing, value];
          repeated.add(child);
        }
      } else {
        const next = this.text.indexOf('<', this.pos);
        text += decodeEntities(this.text.slice(this.pos, next === -1 ? this.text.length : next));
        this.pos = next === -1 ? this.text.length : next;
      }
    }
    const trimmed = text.trim();
    const hasChildren = Object.keys(children).length > 0 || Object.keys(attributes).length > 0;
    if (!hasChildren) return trimmed === '' ? null : trimmed;
    return { ...attributes, ...(trimmed === '' ? {} : { '#text': trimmed }), ...children };
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

export function parseXml(text: string): DynamicValue {
  if (Buffer.byteLength(text, 'utf8') > MAX_XML_BYTES) return null;
  try {
    return new XmlReader(text).document();
  } catch {
    return null;
  }
}

export function xmlFunctions(): ScalarFunction[] {
  return [simpleScalar({
    name: 'parse_xml',
    params: [STRING_OR_DYNAMIC],
    result: 'dynamic',
    kernel: (args) => ([v]) => parseXml(textOf(v!, args[0]!.type)),
  })];
}
