import { occupantJid } from '@parley/protocol';
import type { Element } from '@xmpp/xml';
import type { MessageTarget, SentMessage } from '../../../domain/messages/commands.js';
import type { PrivateDelivery } from '../../delivery.js';
import { cloneElement } from '../../elements.js';
import type { RoomAddressee, StanzaContext, UserAddressee, XmppModule, XmppModuleDeps } from '../../module.js';
import { orBounce } from '../failures.js';
import { groupPrivacyFilter, privacyAllows } from '../privacy-gate.js';
import { stripBlobTokens } from './blob-tokens.js';
import { sendCommandOf } from './command.js';
import { hasContent, readContent, stampContent, type StanzaContent } from './extra-params.js';

/**
 * Content messages (realtime.md §7.3): 1-1 and group, sent through the messages domain (ADR 0013) before
 * anything is routed, so the stream-management ack of the stanza (counted when this handler resolves)
 * means "stored". 1-1 copies go to every available connection of the recipient (or the offline queue)
 * and as sent carbons to the sender's other connections; group copies go to members and joined
 * connections, the sender's included (the reflection).
 *
 * The handlers are pipelined (ADR 0022): a connection's messages overlap their reads and commits; the
 * domain hands them to the store in arrival order (`ctx.writeOrder`) and each routes its copies only
 * once every earlier stanza of the connection was handled (`ctx.inTurn()`; bounces are held until then).
 */
export function messagesModule(deps: XmppModuleDeps): XmppModule {
  const { messages, liveChat, privacy, blobLinks } = deps.services;
  const { delivery } = deps;

  /** Decodes the stanza (tokens in links to this server's files stripped first: the stanza is what is routed). */
  function decode(stanza: Element): StanzaContent {
    stripBlobTokens(stanza, blobLinks);
    return readContent(stanza);
  }

  function send(ctx: StanzaContext, content: StanzaContent, to: MessageTarget): Promise<SentMessage | undefined> {
    const command = sendCommandOf(content, to);
    if (ctx.writeOrder) command.order = ctx.writeOrder;
    return orBounce(ctx, () => messages.send(ctx.session.actor, command));
  }

  /** A 1-1 content message to a user (any of their connections, or one resource). */
  async function sendPrivate(ctx: StanzaContext, stanza: Element, target: { appId: number; userId: number; resource?: string }, dialogId?: string): Promise<void> {
    if (!(await privacyAllows(privacy, ctx, target.userId, { bounce: true }))) return;
    const content = decode(stanza);
    const dialogNamed = dialogId ?? content.dialogId;
    const sent = await send(ctx, content, dialogNamed === undefined ? { recipientId: target.userId } : { recipientId: target.userId, dialogId: dialogNamed });
    if (!sent) return;
    await ctx.inTurn();
    const copy: PrivateDelivery = {
      appId: target.appId,
      recipientId: target.userId,
      stanza: stamped(stanza, sent, ctx.session.jid),
      // A resent message was queued the first time already.
      queue: !sent.resent,
      carbonsFor: { appId: ctx.session.appId, userId: ctx.session.userId, bareJid: ctx.session.bareJid, except: ctx.session },
    };
    // Assigned, not spread: see sendCommandOf.
    if (target.resource !== undefined) copy.resource = target.resource;
    await delivery.toRecipient(copy);
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
    const peer = await orBounce(ctx, () => liveChat.privatePeer(ctx.session.actor, to.dialogId));
    if (peer !== undefined) await sendPrivate(ctx, stanza, { appId: to.appId, userId: peer }, to.dialogId);
    return 'handled';
  }

  async function groupMessage(ctx: StanzaContext, stanza: Element): Promise<'handled' | 'pass'> {
    if (!hasContent(stanza)) return 'pass';
    const to = ctx.to as RoomAddressee;
    const sent = await send(ctx, decode(stanza), { dialogId: to.dialogId, groupOnly: true });
    if (!sent?.dialog) return 'handled';
    const copy = stamped(stanza, sent, occupantJid(to.appId, to.dialogId, ctx.session.userId, ctx.domains.chat));
    const audience = delivery.roomSessions({ appId: to.appId, dialogId: to.dialogId }, await liveChat.audience(to.appId, sent.dialog));
    const refused = await groupPrivacyFilter(privacy, ctx, audience);
    await ctx.inTurn();
    delivery.toEach(audience, copy, refused);
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
      { match: { kind: 'message', type: ['chat'], to: ['bare', 'full'] }, handle: privateMessage, mode: contentMode },
      { match: { kind: 'message', type: ['chat'], to: ['room'] }, handle: privateDialogMessage, mode: contentMode },
      { match: { kind: 'message', type: ['groupchat'], to: ['room'] }, handle: groupMessage, mode: contentMode },
    ],
  };
}

/** Content is pipelined; anything else is passed on, as `handle` does. */
function contentMode(stanza: Element): 'pass' | 'pipelined' {
  return hasContent(stanza) ? 'pipelined' : 'pass';
}

/** The routed copy: final id, injected date and dialog, `from` stamped. */
function stamped(stanza: Element, sent: SentMessage, from: string): Element {
  const copy = cloneElement(stanza);
  stampContent(copy, { id: sent.id, dateSent: sent.dateSent, dialogId: sent.dialog?.id ?? null });
  copy.attrs.from = from;
  return copy;
}
