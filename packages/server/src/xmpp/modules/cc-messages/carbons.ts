import { xml, type Element } from '@xmpp/xml';
import { cloneElement } from '../../elements.js';
import { NS } from '../../ns.js';
import type { SessionRouter } from '../../router.js';
import type { ClientSession } from '../../session.js';

/** What a sent carbon is made for (realtime.md §6.2): content, markers, edits and deletes of type chat. */
const CARBON_WORTHY = ['body', 'received', 'displayed', 'replace', 'remove'];

export function deservesCarbon(stanza: Element): boolean {
  if (stanza.attrs.type !== 'chat') return false;
  return stanza.getChildElements().some((child) => CARBON_WORTHY.includes(child.name)) || stanza.getChild('extraParams')?.getChild('attachment') !== undefined;
}

/**
 * XEP-0280 sent carbons of `sent` (as the recipient got it, addressed to the bare JID the sender wrote to) to the sender's other available resources that
 * enabled carbons; the outer type equals the inner one.
 */
export function sendCarbons(router: SessionRouter, sender: ClientSession, sent: Element, addressedTo: string): void {
  sendCarbonsOf(router, sender, sent, addressedTo, sender);
}

/** The same for a message a user sent without a connection (REST `send_to_chat`): every resource of theirs with carbons on. */
export function sendCarbonsOf(router: SessionRouter, owner: { appId: number; userId: number; bareJid: string }, sent: Element, addressedTo: string, except?: ClientSession): void {
  if (!deservesCarbon(sent)) return;
  const copy = cloneElement(sent);
  copy.attrs.to = addressedTo;
  router.toUser(
    owner.appId,
    owner.userId,
    (other) =>
      other.carbons
        ? xml('message', { xmlns: NS.client, type: copy.attrs.type ?? 'chat', from: owner.bareJid }, xml('sent', { xmlns: NS.carbons }, xml('forwarded', { xmlns: NS.forward }, copy)))
        : undefined,
    except ? { except } : {},
  );
}
