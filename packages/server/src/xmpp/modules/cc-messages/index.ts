import { occupantJid, userJid } from '@parley/protocol';
import type { Element } from '@xmpp/xml';
import type { AcceptedContent } from '../../../domain/live-chat/content.js';
import { cloneElement } from '../../elements.js';
import type { RoomAddressee, StanzaContext, UserAddressee, XmppModule, XmppModuleDeps } from '../../module.js';
import type { ClientSession } from '../../session.js';
import { stanzaErrorOf } from '../failures.js';
import { roomAudience, sendToEach } from '../muc/audience.js';
import type { RoomOccupancy } from '../muc/occupancy.js';
import { groupPrivacyFilter, privacyAllows } from '../privacy-gate.js';
import { stripBlobTokens } from './blob-tokens.js';
import { sendCarbons } from './carbons.js';
import { hasContent, readContent, stampContent } from './extra-params.js';

/**
 * Content messages (realtime.md §7.3): 1-1 and group, authorised and stored by the domain before anything
 * is routed, so the stream-management ack of the stanza (counted when this handler resolves) means
 * "stored". 1-1 copies go to every available connection of the recipient (or the offline queue) and as
 * sent carbons to the sender's other connections; group copies go to members and joined connections,
 * the sender's included (the reflection).
 */
export function messagesModule(deps: XmppModuleDeps, rooms: RoomOccupancy<ClientSession>): XmppModule {
  const { liveChat, offline, privacy, blobLinks } = deps.services;

  /** Runs the domain call; an expected failure is bounced to the sender (§7.11) and yields undefined. */
  async function accept<T>(ctx: StanzaContext, call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      const spec = stanzaErrorOf(error);
      if (!spec) throw error;
      ctx.bounce(spec);
      return undefined;
    }
  }

  /** A 1-1 content message to a user (any of their connections, or one resource). */
  async function sendPrivate(ctx: StanzaContext, stanza: Element, target: { appId: number; userId: number; resource?: string }, dialogId?: string): Promise<void> {
    if (!(await privacyAllows(privacy, ctx, target.userId, { bounce: true }))) return;
    stripBlobTokens(stanza, blobLinks);
    const content = readContent(stanza);
    if (dialogId !== undefined) content.dialogId = dialogId;
    const accepted = await accept(ctx, () => liveChat.acceptPrivate(ctx.session.actor, target.userId, content));
    if (!accepted) return;
    const copy = stamped(stanza, accepted, ctx.session.jid);
    const bare = userJid(target.appId, target.userId, ctx.domains.chat);
    const delivered = ctx.router.toUser(target.appId, target.userId, (session) => (target.resource === undefined || session.resource === target.resource ? copy : undefined));
    // A retransmission was queued the first time already.
    if (delivered === 0 && !accepted.retransmission) {
      copy.attrs.to = bare;
      await offline.keep(target.appId, target.userId, copy.toString());
    }
    sendCarbons(ctx.router, ctx.session, copy, bare);
  }

  async function privateMessage(ctx: StanzaContext, stanza: Element): Promise<'handled' | 'pass'> {
    if (!hasContent(stanza)) return 'pass';
    const to = ctx.to as UserAddressee;
    await sendPrivate(ctx, stanza, to.class === 'full' ? { appId: to.appId, userId: to.userId, resource: to.resource } : { appId: to.appId, userId: to.userId });
    return 'handled';
  }

  /** `chat.send(dialogId, {type: 'chat'})` addresses a private dialog by its room JID (seed: attachments). */
  async function privateDialogMessage(ctx: StanzaContext, stanza: Element): Promise<'handled' | 'pass'> {
    if (!hasContent(stanza)) return 'pass';
    const to = ctx.to as RoomAddressee;
    const peer = await accept(ctx, () => liveChat.privatePeer(ctx.session.actor, to.dialogId));
    if (peer !== undefined) await sendPrivate(ctx, stanza, { appId: to.appId, userId: peer }, to.dialogId);
    return 'handled';
  }

  async function groupMessage(ctx: StanzaContext, stanza: Element): Promise<'handled' | 'pass'> {
    if (!hasContent(stanza)) return 'pass';
    const to = ctx.to as RoomAddressee;
    stripBlobTokens(stanza, blobLinks);
    const accepted = await accept(ctx, () => liveChat.acceptGroup(ctx.session.actor, to.dialogId, readContent(stanza)));
    if (!accepted) return 'handled';
    const copy = stamped(stanza, accepted, occupantJid(to.appId, to.dialogId, ctx.session.userId, ctx.domains.chat));
    const audience = roomAudience(ctx.router, rooms, { appId: to.appId, dialogId: to.dialogId }, accepted.audience);
    sendToEach(ctx.router, audience, copy, await groupPrivacyFilter(privacy, ctx, audience));
    return 'handled';
  }

  return {
    meta: {
      id: 'cc-messages',
      title: 'Chat messages: 1-1 and group, saved to history, offline queue, sent carbons',
      spec: 'ConnectyCube',
      status: 'complete',
      notes: 'realtime.md §7.3; extraParams save_to_history/dialog_id/date_sent, attachments and custom parameters.',
    },
    handlers: [
      { match: { kind: 'message', type: ['chat'], to: ['bare', 'full'] }, handle: privateMessage },
      { match: { kind: 'message', type: ['chat'], to: ['room'] }, handle: privateDialogMessage },
      { match: { kind: 'message', type: ['groupchat'], to: ['room'] }, handle: groupMessage },
    ],
  };
}

/** The routed copy: final id, injected date and dialog, `from` stamped. */
function stamped(stanza: Element, accepted: AcceptedContent, from: string): Element {
  const copy = cloneElement(stanza);
  stampContent(copy, accepted);
  copy.attrs.from = from;
  return copy;
}
