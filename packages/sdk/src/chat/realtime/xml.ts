// The XML element toolkit the real-time chat builds and reads stanzas with: xmpp.js's own `xml`
// factory (ltx elements), so what we build is exactly what the client writes to the socket.
import { xml } from '@xmpp/client';
import type { XmlElement } from '@xmpp/client';

export { xml };
export type { XmlElement };

export const NS_CLIENT = 'jabber:client';

/** Attribute value or `''`, as the official SDK reads attributes. */
export function attr(element: XmlElement | undefined, name: string): string {
  return element?.attrs[name] || '';
}

/** The text of the first child `name`, or `null` when it is missing or empty. */
export function childText(element: XmlElement | undefined, name: string): string | null {
  return element?.getChildText(name) || null;
}

/** Follows child names from `element` (`['sent', 'forwarded', 'message']`), namespaces ignored. */
export function childPath(element: XmlElement, names: readonly string[]): XmlElement | undefined {
  let current: XmlElement | undefined = element;
  for (const name of names) current = current?.getChild(name);
  return current;
}

/** Attributes for ltx: `null`/`undefined` dropped, everything else as `String(value)` (what ltx writes). */
export function toAttrs(values: object): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined) attrs[key] = String(value);
  }
  return attrs;
}

/** Parses one or more top-level elements (tests and tools; the client parses the wire itself). */
export function parseXml(text: string): XmlElement[] {
  const parser = new xml.Parser();
  const elements: XmlElement[] = [];
  let failure: Error | undefined;
  parser.on('element', (element) => elements.push(element));
  parser.on('error', (error) => (failure = error));
  parser.write(`<parley-fragment>${text}</parley-fragment>`);
  if (failure) throw failure;
  return elements;
}
