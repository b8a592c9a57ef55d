import { occupantJid, userJid } from '@parley/protocol';
import { Element, xml } from '@xmpp/xml';
import type { PrivacyService } from '../domain/privacy/service.js';
import type { ContentMessageEvent } from '../ports/live-events.js';
import type { Delivery } from './delivery.js';
import { NS } from './ns.js';

export interface LiveContentDeps {
  delivery: Delivery;
  chatDomain: string;
  privacy: PrivacyService;
}

/**
 * Custom parameter names that can be element names. REST accepts any JSON key; one that is not an XML
 * name (a space, a leading digit…) would break the recipient's stream, so it stays in the history only.
 */
const ELEMENT_NAME = /^[A-Za-z_][\w.-]*$/;

/** A custom parameter as extraParams children, as the SDK sends them: scalars as text, objects nested. */
function appendParam(parent: Element, key: string, value: unknown): void {
  if (!ELEMENT_NAME.test(key) || value === undefined) return;
  const child = new Element(key);
  if (value !== null && typeof value === 'object') {
    for (const [nestedKey, nested] of Object.entries(value as Record<string, unknown>)) appendParam(child, nestedKey, nested);
  } else if (value !== null) {
    child.children.push(String(value));
  }
  parent.append(child);
}

const attributeText = (value: unknown) => (value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * The stanza a stored message would have been routed as had the sender sent it over XMPP (realtime.md
 * §7.3): stored id, body, extraParams with save_to_history, dialog_id, attachments, custom parameters
 * and date_sent.
 */
export function storedContentStanza(message: ContentMessageEvent['message'], type: 'chat' | 'groupchat', from: string): Element {
  const stanza = xml('message', { xmlns: NS.client, type, id: message.id, from });
  if (message.body !== null) stanza.append(xml('body', {}, message.body));
  const extra = xml('extraParams', { xmlns: NS.client }, xml('save_to_history', {}, '1'), xml('dialog_id', {}, message.dialogId));
  for (const attachment of message.attachments) {
    const attributes = Object.entries(attachment).filter(([key, value]) => ELEMENT_NAME.test(key) && value !== null && value !== undefined);
    extra.append(xml('attachment', Object.fromEntries(attributes.map(([key, value]) => [key, attributeText(value)]))));
  }
  for (const [key, value] of Object.entries(message.custom)) appendParam(extra, key, value);
  extra.append(xml('date_sent', {}, String(message.dateSent)));
  stanza.append(extra);
  return stanza;
}

/**
 * Routes a REST `send_to_chat` message like cc-messages routes a content message (realtime.md §7.3
 * steps 6–7), privacy lists applied (§10.5: the domain already refused a 1-1 block; group members with a
 * `muc` deny item for the sender are skipped). Returns how many connections got it (carbons not counted).
 */
export async function routeStoredContent(deps: LiveContentDeps, event: ContentMessageEvent): Promise<number> {
  const { delivery, chatDomain } = deps;
  const { message } = event;
  const { appId, dialogId, senderId } = message;
  if (event.dialogType !== 3) {
    const stanza = storedContentStanza(message, 'groupchat', occupantJid(appId, dialogId, senderId, chatDomain));
    const audience = delivery.roomSessions({ appId, dialogId }, event.audience);
    const refusers = await deps.privacy.groupRefusers(appId, senderId, [...audience].map((session) => session.userId));
    return delivery.toEach(audience, stanza, (session) => refusers.has(session.userId));
  }
  if ((await deps.privacy.verdict(appId, senderId, message.recipientId, 'message')) !== 'allow') return 0;
  const senderJid = userJid(appId, senderId, chatDomain);
  const stanza = storedContentStanza(message, 'chat', senderJid);
  // A resent id was queued the first time already.
  return delivery.toRecipient({ appId, recipientId: message.recipientId, stanza, queue: event.stored, carbonsFor: { appId, userId: senderId, bareJid: senderJid } });
}
