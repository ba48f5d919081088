/** Resolved record content → XML text, in the compact form `wevtutil qe /f:xml` prints. */
import type { XmlContent, XmlElement } from './binxml.js';

export function renderXml(content: readonly XmlContent[]): string {
  let out = '';
  for (const item of content) out += renderContent(item);
  return out;
}

function renderContent(item: XmlContent): string {
  if (item.kind === 'text') return item.cdata ? `<![CDATA[${item.text}]]>` : escapeText(item.text);
  if (item.kind === 'pi') return `<?${item.target}${item.data ? ' ' + item.data : ''}?>`;
  return renderElement(item);
}

function renderElement(element: XmlElement): string {
  let start = `<${element.name}`;
  for (const attribute of element.attributes) start += ` ${attribute.name}="${escapeAttribute(attribute.text)}"`;
  if (element.children.length === 0) return `${start}/>`;
  return `${start}>${renderXml(element.children)}</${element.name}>`;
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, c => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
