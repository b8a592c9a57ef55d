import parse from '@xmpp/xml/lib/parse.js';
import type { Element } from '@xmpp/xml';
import { hasContent } from './modules/cc-messages/extra-params.js';
import { NS } from './ns.js';

/** Most senders/rooms remembered per session; beyond it the oldest entry is dropped. */
const MAX_HELD = 500;

/**
 * XEP-0352 / Tigase mobile v2 (realtime.md §11.2): while a client is inactive, presences (MUC occupant
 * presences included) and typing notifications are held back, only the latest per sender and kind;
 * everything else (messages, IQs, markers) still flows. `release()` returns them in arrival order.
 */
export class HeldWhileInactive {
  /** key → serialised stanza; a Map keeps insertion order, re-inserting moves a key to the end. */
  private readonly held = new Map<string, string>();

  /** Keeps the element instead of sending it when it is a presence or a chat state without content. */
  hold(element: Element): boolean {
    const key = keyOf(element);
    if (key === undefined) return false;
    this.held.delete(key);
    this.held.set(key, element.toString());
    if (this.held.size > MAX_HELD) this.held.delete(this.held.keys().next().value as string);
    return true;
  }

  /** What was held, oldest first; empties the buffer. */
  release(): Element[] {
    const elements = [...this.held.values()].map((text) => parse(text));
    this.held.clear();
    return elements;
  }

  get size(): number {
    return this.held.size;
  }
}

function keyOf(element: Element): string | undefined {
  const from = element.attrs.from ?? '';
  if (element.name === 'presence') return `presence ${from}`;
  if (element.name !== 'message' || element.attrs.type === 'error') return undefined;
  const typing = element.getChildElements().some((child) => child.attrs.xmlns === NS.chatStates);
  return typing && !hasContent(element) ? `typing ${from}` : undefined;
}
