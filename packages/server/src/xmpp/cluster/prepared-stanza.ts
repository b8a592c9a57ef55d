import { escapeXML, type Element } from '@xmpp/xml';
import parse from '@xmpp/xml/lib/parse.js';
import { NS } from '../ns.js';

const STANZA_NAMES = new Set(['message', 'presence', 'iq']);

/**
 * A stanza serialised once for many recipients: the text without `to`, split after the element name,
 * so each connection's copy is the same bytes with its own ` to="…"` spliced in. The same text crosses
 * the bus to other nodes. The element is rebuilt (parsed) only for the rare per-connection paths, such
 * as holding a presence back for an inactive client.
 */
export class PreparedStanza {
  /** `message`, `presence`, `iq` or another top-level element name. */
  readonly name: string;
  /** The serialised stanza without `to`. */
  readonly text: string;

  private constructor(name: string, text: string) {
    this.name = name;
    this.text = text;
  }

  /** Serialises `element` without its `to` (stanzas get `xmlns="jabber:client"` when missing). */
  static of(element: Element): PreparedStanza {
    if (STANZA_NAMES.has(element.name) && element.attrs.xmlns === undefined) element.attrs.xmlns = NS.client;
    const { to } = element.attrs;
    delete element.attrs.to;
    const text = element.toString();
    if (to !== undefined) element.attrs.to = to;
    return new PreparedStanza(element.name, text);
  }

  /** A stanza that arrived from another node as text (already without `to`). */
  static fromText(text: string): PreparedStanza {
    const match = /^<([A-Za-z_][\w.:-]*)/.exec(text);
    if (!match) throw new Error('not a serialised element');
    return new PreparedStanza(match[1]!, text);
  }

  get isStanza(): boolean {
    return STANZA_NAMES.has(this.name);
  }

  /** The bytes for one recipient: the shared text with `to` spliced in after the element name. */
  textFor(to: string): string {
    const at = this.name.length + 1;
    return `${this.text.slice(0, at)} to="${escapeXML(to)}"${this.text.slice(at)}`;
  }

  /** A fresh element addressed to `to` (each call its own copy). */
  elementFor(to: string): Element {
    const copy = parse(this.text);
    copy.attrs.to = to;
    return copy;
  }
}
