/**
 * Windows event XML (`wevtutil qe /f:xml`, Event Viewer "save as XML", Sysmon for Linux syslog lines)
 * → WindowsEvent. A small tolerant parser rather than a strict XML library, because real event XML
 * is not always well-formed: Sysmon for Linux writes `&quot` without `;`, and syslog cuts events
 * longer than its line limit. Unknown entities stay as written; an event cut short keeps the
 * elements it completed and is marked truncated. Namespace prefixes and `xmlns` are ignored.
 */
import type { WindowsEvent } from './event.js';
import { parseEventTime } from './time.js';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: Array<XmlElement | string>;
}

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes `&lt;`, `&#65;`, `&#x41;` …; anything that is not a complete entity stays as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (whole, body: string) => {
    if (body.startsWith('#x')) return safeCodePoint(parseInt(body.slice(2), 16)) ?? whole;
    if (body.startsWith('#')) return safeCodePoint(parseInt(body.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[body] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseAttributes(text: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = localName(m[1]!);
    if (name === 'xmlns' || m[1]!.startsWith('xmlns:')) continue;
    attributes[name] = decodeEntities(m[2] ?? m[3] ?? '');
  }
  return attributes;
}

/**
 * Parses one XML fragment into its root element. `truncated` says the text ended before the root
 * closed (elements still open are closed there, keeping what they hold).
 */
export function parseXmlFragment(text: string): { root?: XmlElement; truncated: boolean } {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let pos = 0;
  const addChild = (child: XmlElement | string) => {
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(child);
  };
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) {
      if (stack.length > 0) addChild(decodeEntities(text.slice(pos)));
      break;
    }
    if (lt > pos && stack.length > 0) addChild(decodeEntities(text.slice(pos, lt)));
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      pos = end < 0 ? text.length : end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      addChild(text.slice(lt + 9, end < 0 ? text.length : end));
      pos = end < 0 ? text.length : end + 3;
    } else if (text.startsWith('<?', lt) || text.startsWith('<!', lt)) {
      const end = text.indexOf('>', lt);
      pos = end < 0 ? text.length : end + 1;
    } else {
      const end = text.indexOf('>', lt);
      if (end < 0) break; // a tag cut in the middle: the fragment is truncated here
      const tag = text.slice(lt + 1, end);
      pos = end + 1;
      if (tag.startsWith('/')) {
        const name = localName(tag.slice(1).trim());
        // Close up to the matching element; a stray end tag is ignored.
        const index = stack.map((e) => e.name).lastIndexOf(name);
        if (index >= 0) stack.length = index;
        if (stack.length === 0 && root) return { root, truncated: false };
        continue;
      }
      const selfClosing = tag.endsWith('/');
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const space = body.search(/\s/);
      const name = localName(space < 0 ? body : body.slice(0, space));
      const element: XmlElement = { name, attributes: parseAttributes(space < 0 ? '' : body.slice(space)), children: [] };
      if (stack.length === 0) {
        if (root) break;
        root = element;
      } else {
        addChild(element);
      }
      if (selfClosing) {
        if (stack.length === 0) return { root, truncated: false };
      } else {
        stack.push(element);
      }
    }
  }
  return { root, truncated: root !== undefined };
}

export function childElement(element: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!element) return undefined;
  for (const c of element.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

export function textOf(element: XmlElement | undefined): string {
  if (!element) return '';
  let text = '';
  for (const c of element.children) text += typeof c === 'string' ? c : textOf(c);
  return text;
}

/** EventData `<Data Name="x">`, unnamed Data as Data1, Data2 …; UserData leaves flattened by element name. */
function eventDataOf(event: XmlElement): Record<string, string> {
  const data: Record<string, string> = {};
  const eventData = childElement(event, 'EventData');
  let unnamed = 0;
  for (const c of eventData?.children ?? []) {
    if (typeof c === 'string') continue;
    const name = c.attributes['Name'] ?? (c.name === 'Data' ? `Data${++unnamed}` : c.name);
    data[name] = textOf(c);
  }
  const userData = childElement(event, 'UserData');
  for (const wrapper of userData?.children ?? []) {
    if (typeof wrapper === 'string') continue;
    for (const leaf of wrapper.children) if (typeof leaf !== 'string') data[leaf.name] = textOf(leaf);
  }
  return data;
}

function integerOf(text: string | undefined): number {
  const n = Number((text ?? '').trim());
  return Number.isFinite(n) ? n : 0;
}

function optionalInteger(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : undefined;
}

/** An `<Event>` element → WindowsEvent, or the reason it is not one. */
export function windowsEventFromXml(event: XmlElement, source: WindowsEvent['source']): WindowsEvent | string {
  if (event.name !== 'Event') return `root element is <${event.name}>, not <Event>`;
  const system = childElement(event, 'System');
  if (!system) return '<Event> has no <System> element';
  const eventIdText = textOf(childElement(system, 'EventID')).trim();
  if (!/^\d+$/.test(eventIdText)) return `<EventID> is ${eventIdText === '' ? 'missing' : `"${eventIdText}"`}`;
  const systemTime = childElement(system, 'TimeCreated')?.attributes['SystemTime'] ?? '';
  const timeCreated = parseEventTime(systemTime);
  if (timeCreated === undefined) return `TimeCreated/@SystemTime "${systemTime}" is not a time`;
  const security = childElement(system, 'Security')?.attributes;
  const execution = childElement(system, 'Execution')?.attributes;
  return {
    provider: childElement(system, 'Provider')?.attributes['Name'] ?? '',
    eventId: Number(eventIdText),
    version: integerOf(textOf(childElement(system, 'Version'))),
    channel: textOf(childElement(system, 'Channel')).trim(),
    computer: textOf(childElement(system, 'Computer')).trim(),
    recordId: integerOf(textOf(childElement(system, 'EventRecordID'))),
    timeCreated,
    userId: security?.['UserID'] ?? security?.['UserId'],
    processId: optionalInteger(execution?.['ProcessID']),
    threadId: optionalInteger(execution?.['ThreadID']),
    data: eventDataOf(event),
    source,
  };
}

/** One event text → WindowsEvent (`truncated` when the XML was cut short but still usable) or a reason. */
export function parseEventText(text: string, source: WindowsEvent['source']): { event: WindowsEvent; truncated: boolean } | string {
  const { root, truncated } = parseXmlFragment(text);
  if (!root) return 'no XML element found';
  const event = windowsEventFromXml(root, source);
  if (typeof event === 'string') return truncated ? `truncated event XML: ${event}` : event;
  return { event, truncated };
}

/** Where `<Event` starts an Event element (not `<Events` or `<EventData`), from `from` on. */
function findEventStart(text: string, from: number): number {
  const re = /<(?:[A-Za-z_][\w.-]*:)?Event(?=[\s>/])/g;
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : -1;
}

function findEventEnd(text: string, from: number): number {
  const re = /<\/(?:[A-Za-z_][\w.-]*:)?Event\s*>/g;
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index + m[0].length : -1;
}

export interface EventText {
  /** 1-based line where the event starts. */
  line: number;
  text: string;
  /** The text stopped (another `<Event` began, or the input ended) before `</Event>`. */
  cut: boolean;
}

/** Events held in memory while looking for their end; a larger "event" is cut there. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024;

/**
 * Splits streamed text into `<Event>…</Event>` texts, whatever surrounds them (an `<Events>`
 * wrapper, syslog prefixes, blank lines). Only the current event is held.
 */
export async function* eventTexts(chunks: AsyncIterable<string>): AsyncGenerator<EventText> {
  let buffer = '';
  let line = 1; // line number at buffer[0]
  const advance = (to: number) => {
    for (let i = buffer.indexOf('\n'); i >= 0 && i < to; i = buffer.indexOf('\n', i + 1)) line++;
    buffer = buffer.slice(to);
  };
  for await (const chunk of chunks) {
    buffer += chunk;
    for (;;) {
      const start = findEventStart(buffer, 0);
      if (start < 0) {
        // Keep a tail that could be the beginning of "<Event".
        advance(Math.max(0, buffer.length - 16));
        break;
      }
      advance(start);
      const end = findEventEnd(buffer, 1);
      const next = findEventStart(buffer, 1);
      if (next >= 0 && (end < 0 || next < end)) {
        // A syslog line cut short ends at its newline; the next line's prefix is not part of it.
        const lineEnd = buffer.lastIndexOf('\n', next);
        yield { line, text: buffer.slice(0, lineEnd > 0 ? lineEnd : next), cut: true };
        advance(next);
        continue;
      }
      if (end < 0) {
        if (buffer.length > MAX_EVENT_CHARS) {
          yield { line, text: buffer, cut: true };
          advance(buffer.length);
        }
        break;
      }
      yield { line, text: buffer.slice(0, end), cut: false };
      advance(end);
    }
  }
  const start = findEventStart(buffer, 0);
  if (start >= 0) {
    advance(start);
    yield { line, text: buffer, cut: true };
  }
}
