// Reads incoming stanzas into chat events (realtime.md §6.3–6.6, §7.2, §7.11, §8). Pure: the caller
// passes who we are, gets back what happened, and does the I/O (listeners, auto markers, replies).
// Precedence and field derivation follow the official SDK 6.1.2, so apps see the same events.
import { parseExtraParams } from './extra-params.js';
import { NS_MUC, SYSTEM_NOTIFICATIONS } from './stanzas.js';
import type { ExtraParams, Message, MessageStatusParams, SystemMessage, XmppErrorInfo } from './types.js';
import { attr, childPath, childText } from './xml.js';
import type { XmlElement } from './xml.js';

/** The JID readers of `chat.helpers` the parsers need. */
export interface JidReader {
  getUserIdFromJID(jid?: string): number | null;
  getDialogIdFromJID(jid: string): string | null;
  getIdFromResource(jid: string): number | null;
  getUserIdFromRoomJid(jid: string): number | null;
  getRoomJidFromRoomFullJid(jid: string): string | null;
}

/** Who is reading: the bound resource and user id, and the current full JID. */
export interface Reader {
  jids: JidReader;
  ownResource: string;
  ownUserId: number | null;
  ownJid: string;
}

const SENT_CARBON_PATH = ['sent', 'forwarded', 'message'] as const;

export type MessageEvent =
  | { kind: 'typing'; isTyping: boolean; userId: number | null; dialogId: string | null }
  | { kind: 'delivered' | 'read'; messageId: string; dialogId: string | null; userId: number | null }
  /** A marker the reader must send back for a content message from someone else. */
  | { kind: 'auto-delivered'; status: MessageStatusParams & { userId: number } }
  | { kind: 'message'; userId: number | null; message: Message }
  /** `onMessageUpdateListener(messageId, last, body, dialogId, userId, extension)` (realtime.md §7.7). */
  | { kind: 'edit'; messageId: string; last: boolean; body: string | null; dialogId: string | null; userId: number | null; extension: ExtraParams | null }
  | { kind: 'delete'; messageId: string; dialogId: string | null; userId: number | null }
  /** `add`/`remove` are absent (undefined) when the stanza has none, as in the official SDK. */
  | { kind: 'reactions'; messageId: string; userId: number; dialogId: string | null; add: string | undefined; remove: string | undefined };

/** A `chat`/`groupchat`/untyped message (outer type not `headline` or `error`), sent carbons unwrapped. */
export function readMessage(raw: XmlElement, reader: Reader): MessageEvent[] {
  const forwarded = childPath(raw, SENT_CARBON_PATH);
  const stanza = forwarded ?? raw;
  const from = attr(stanza, 'from');
  const type = attr(stanza, 'type');
  const isChat = type === 'chat';
  const isGroup = type === 'groupchat';

  // A 1-1 message from our own resource is an echo; MUC invites are not chat messages.
  if ((isChat && from.includes(reader.ownResource)) || stanza.getChild('invite')) return [];

  const extraParams = stanza.getChild('extraParams');
  const parsed = extraParams ? parseExtraParams(extraParams) : null;
  const dialogId = isGroup ? reader.jids.getDialogIdFromJID(from) : (parsed?.dialogId ?? null);
  const userId = isGroup ? reader.jids.getIdFromResource(from) : reader.jids.getUserIdFromJID(from);
  const delay = stanza.getChild('delay');

  const composing = stanza.getChild('composing');
  if (composing || stanza.getChild('paused')) {
    return isChat || isGroup || !delay ? [{ kind: 'typing', isTyping: Boolean(composing), userId, dialogId }] : [];
  }
  const replace = stanza.getChild('replace');
  if (replace) {
    const extension = parsed?.extension ?? null;
    return [{ kind: 'edit', messageId: attr(replace, 'id'), last: attr(replace, 'last') === 'true', body: childText(stanza, 'body'), dialogId, userId, extension }];
  }
  const reactions = stanza.getChild('reactions');
  if (reactions) {
    // The official SDK ignores reactions that come as groupchat carbons.
    if (forwarded && isGroup) return [];
    const { add, remove } = readReactions(reactions);
    return [{ kind: 'reactions', messageId: attr(reactions, 'message_id'), userId: parseInt(attr(reactions, 'user_id'), 10), dialogId, add, remove }];
  }
  const remove = stanza.getChild('remove');
  if (remove) return [{ kind: 'delete', messageId: attr(remove, 'id'), dialogId, userId }];

  const received = stanza.getChild('received');
  const displayed = stanza.getChild('displayed');
  if (received || displayed) {
    const events: MessageEvent[] = [];
    if (received && isChat) events.push({ kind: 'delivered', messageId: attr(received, 'id'), dialogId, userId });
    if (displayed && isChat) events.push({ kind: 'read', messageId: attr(displayed, 'id'), dialogId, userId });
    return events;
  }

  const messageId = attr(stanza, 'id');
  const events: MessageEvent[] = [];
  if (dialogId && userId && userId !== reader.ownUserId) {
    events.push({ kind: 'auto-delivered', status: { messageId, dialogId, userId } });
  }
  if (isChat || isGroup) {
    const to = isChat ? attr(stanza, 'to') : '';
    const message: Message = {
      id: messageId,
      dialog_id: dialogId,
      recipient_id: to ? reader.jids.getUserIdFromJID(to) : null,
      is_forwarded: Boolean(forwarded),
      type,
      body: childText(stanza, 'body'),
      extension: parsed?.extension ?? null,
      delay,
    };
    events.push({ kind: 'message', userId, message });
  }
  return events;
}

/** One added and one removed reaction at most: the last `<reaction add="true">` / `remove="true"` child wins. */
function readReactions(reactions: XmlElement): { add: string | undefined; remove: string | undefined } {
  let add: string | undefined;
  let remove: string | undefined;
  for (const reaction of reactions.getChildElements()) {
    if (attr(reaction, 'add') === 'true') add = attr(reaction, 'type');
    else if (attr(reaction, 'remove') === 'true') remove = attr(reaction, 'type');
  }
  return { add, remove };
}

export type HeadlineEvent = { kind: 'system'; message: SystemMessage } | { kind: 'call-signal'; userId: number | null; extraParams: XmlElement };

/** A `headline`: app system messages; call signals are told apart for the (later) video module. */
export function readHeadline(raw: XmlElement, reader: Reader): HeadlineEvent | null {
  const stanza = childPath(raw, SENT_CARBON_PATH) ?? raw;
  const extraParams = stanza.getChild('extraParams');
  const moduleIdentifier = extraParams ? childText(extraParams, 'moduleIdentifier') : null;
  const userId = reader.jids.getUserIdFromJID(attr(stanza, 'from'));

  if (moduleIdentifier === SYSTEM_NOTIFICATIONS && extraParams) {
    const message: SystemMessage = {
      id: attr(stanza, 'id'),
      userId,
      body: childText(stanza, 'body'),
      extension: parseExtraParams(extraParams).extension,
    };
    return { kind: 'system', message };
  }
  if (moduleIdentifier === 'WebRTCVideoChat' && extraParams && !stanza.getChild('delay')) {
    return { kind: 'call-signal', userId, extraParams };
  }
  return null;
}

/** `{code, info}` from the `<error>` child: the legacy numeric `code` attribute and the `<text>`. */
export function readError(stanza: XmlElement): XmppErrorInfo {
  const error = stanza.getChild('error');
  return {
    code: error ? parseInt(attr(error, 'code') || '0', 10) : 0,
    info: error ? childText(error, 'text') : null,
  };
}

export type PresenceEvent =
  | { kind: 'join-reply'; id: string; stanza: XmlElement }
  | { kind: 'self-left'; roomJid: string | null }
  | { kind: 'kicked'; roomJid: string | null; dialogId: string | null; initiatorId: number | null }
  | { kind: 'occupant-joined' | 'occupant-left'; dialogId: string | null; userId: number | null };

/**
 * Status codes of a MUC presence: the standard `<status code>` children of the `<x>`, plus the
 * `<xmlns><code>` child that the official SDK reads instead (realtime.md §6.3; servers send both).
 */
function statusCodes(x: XmlElement): { codes: Set<string>; compat: boolean } {
  const codes = new Set(x.getChildren('status').map((status) => attr(status, 'code')));
  const compat = x.getChild('xmlns');
  const compatCode = compat ? childText(compat, 'code') : null;
  if (compatCode) codes.add(compatCode);
  return { codes, compat: Boolean(compat) };
}

/** A MUC presence (the first `<x>` is in a `http://jabber.org/protocol/muc…` namespace), else `null`. */
export function readMucPresence(stanza: XmlElement, reader: Reader): PresenceEvent | null {
  const x = stanza.getChild('x');
  if (!x || !attr(x, 'xmlns').startsWith(NS_MUC)) return null;

  const id = attr(stanza, 'id');
  const from = attr(stanza, 'from');
  const type = attr(stanza, 'type');
  if (type === 'error') return id.endsWith(':join') ? { kind: 'join-reply', id, stanza } : null;

  const dialogId = reader.jids.getDialogIdFromJID(from);
  const { codes, compat } = statusCodes(x);
  const isSelf = compat || codes.has('110');

  if (isSelf) {
    const roomJid = reader.jids.getRoomJidFromRoomFullJid(from);
    if (codes.has('301')) {
      // The SDK reads the actor from `presence/item/actor`; without an actor, the own JID is used.
      const actor = stanza.getChild('item')?.getChild('actor');
      const initiatorJid = actor ? attr(actor, 'jid') : reader.ownJid;
      return { kind: 'kicked', roomJid, dialogId, initiatorId: reader.jids.getUserIdFromJID(initiatorJid) };
    }
    if (!codes.has('110')) return null;
    if (type === 'unavailable') return { kind: 'self-left', roomJid };
    return id.endsWith(':join') ? { kind: 'join-reply', id, stanza } : null;
  }

  const userId = reader.jids.getUserIdFromRoomJid(from);
  if (userId === reader.ownUserId) return null;
  return { kind: type === 'unavailable' ? 'occupant-left' : 'occupant-joined', dialogId, userId };
}
