// Builders for every stanza the real-time chat sends (realtime.md §3.3, §6, §7, §8, §11). Attribute
// order and child layout match the official SDK 6.1.2 so both clients look the same on the wire.
// Pure functions: callers pass JIDs and ids, nothing here reads connection state.
import { appendExtraParams } from './extra-params.js';
import type { ExtraParams } from './extra-params.js';
import { NS_CLIENT, xml } from './xml.js';
import type { XmlElement } from './xml.js';

export const NS_CHAT_STATES = 'http://jabber.org/protocol/chatstates';
export const NS_CHAT_MARKERS = 'urn:xmpp:chat-markers:0';
export const NS_PING = 'urn:xmpp:ping';
export const NS_CARBONS = 'urn:xmpp:carbons:2';
export const NS_MUC = 'http://jabber.org/protocol/muc';
export const NS_DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';
export const NS_SM = 'urn:xmpp:sm:3';

/** The `moduleIdentifier` that marks a headline as an app-level system message. */
export const SYSTEM_NOTIFICATIONS = 'SystemNotifications';

export interface ContentMessageStanza {
  from: string;
  to: string;
  type: string;
  id: string;
  body?: string | null | undefined;
  extension?: ExtraParams | null | undefined;
}

/** A chat/groupchat message: `<body>` when the body is non-empty, `<extraParams>` when an extension is given. */
export function contentMessage(message: ContentMessageStanza): XmlElement {
  const stanza = xml('message', { from: message.from, to: message.to, type: message.type, id: message.id });
  if (message.body) stanza.c('body').t(message.body);
  if (message.extension) appendExtraParams(stanza.c('extraParams', { xmlns: NS_CLIENT }), message.extension);
  return stanza;
}

export interface SystemMessageStanza {
  to: string;
  id: string;
  body?: string | null | undefined;
  extension?: ExtraParams | null | undefined;
}

/** A `headline` to one user; without `from` (the server stamps it). `moduleIdentifier` comes first. */
export function systemMessage(message: SystemMessageStanza): XmlElement {
  const stanza = xml('message', { type: 'headline', id: message.id, to: message.to });
  if (message.body) stanza.c('body').t(message.body);
  if (message.extension) {
    const extraParams = stanza.c('extraParams', { xmlns: NS_CLIENT });
    extraParams.c('moduleIdentifier').t(SYSTEM_NOTIFICATIONS);
    appendExtraParams(extraParams, message.extension);
  }
  return stanza;
}

export type ChatState = 'composing' | 'paused';

/** Typing (`composing`) or stopped typing (`paused`); no id, no extraParams. */
export function chatState(params: { from: string; to: string; type: string; state: ChatState }): XmlElement {
  const stanza = xml('message', { from: params.from, to: params.to, type: params.type });
  stanza.c(params.state, { xmlns: NS_CHAT_STATES });
  return stanza;
}

export type MarkerKind = 'received' | 'displayed';

export interface MarkerStanza {
  kind: MarkerKind;
  from: string;
  /** The original sender's user JID, also for group dialogs. */
  to: string;
  /** This stanza's own id. */
  id: string;
  /** The id of the message being marked. */
  messageId: string;
  dialogId: string | null | undefined;
}

/** A delivered (`received`) or read (`displayed`) marker, always `type="chat"`. */
export function marker(params: MarkerStanza): XmlElement {
  // The official SDK orders the attributes differently for the two markers; kept for identical bytes.
  const attrs =
    params.kind === 'received'
      ? { type: 'chat', from: params.from, id: params.id, to: params.to }
      : { type: 'chat', from: params.from, to: params.to, id: params.id };
  const stanza = xml('message', attrs);
  stanza.c(params.kind, { xmlns: NS_CHAT_MARKERS, id: params.messageId });
  stanza.c('extraParams', { xmlns: NS_CLIENT }).c('dialog_id').t(String(params.dialogId ?? ''));
  return stanza;
}

/** XEP-0199 ping to the chat domain. */
export function pingIq(params: { id: string; to: string }): XmlElement {
  const stanza = xml('iq', { id: params.id, type: 'get', to: params.to });
  stanza.c('ping', { xmlns: NS_PING });
  return stanza;
}

/** XEP-0280 carbons enable, sent once after every (re)connect. */
export function enableCarbonsIq(params: { id: string; from: string }): XmlElement {
  const stanza = xml('iq', { type: 'set', from: params.from, id: params.id });
  stanza.c('enable', { xmlns: NS_CARBONS });
  return stanza;
}

/** The one plain presence per connection that makes the resource available. */
export function initialPresence(): XmlElement {
  return xml('presence');
}

/** Join a room as `<room>/<own user id>` without history. */
export function mucJoinPresence(params: { id: string; from: string; to: string }): XmlElement {
  const stanza = xml('presence', { id: params.id, from: params.from, to: params.to });
  stanza.c('x', { xmlns: NS_MUC }).c('history', { maxstanzas: '0' });
  return stanza;
}

export function mucLeavePresence(params: { from: string; to: string }): XmlElement {
  return xml('presence', { type: 'unavailable', from: params.from, to: params.to });
}

/** disco#items on the room: who is in it now. */
export function mucOnlineUsersIq(params: { id: string; from: string; to: string }): XmlElement {
  const stanza = xml('iq', { type: 'get', to: params.to, from: params.from, id: params.id });
  stanza.c('query', { xmlns: NS_DISCO_ITEMS });
  return stanza;
}

/** A XEP-0198 nonza: `enable`, `r`, or `a` with the handled count. */
export function smNonza(name: 'enable' | 'r' | 'a', handled?: number): XmlElement {
  return xml(name, name === 'a' ? { xmlns: NS_SM, h: String(handled ?? 0) } : { xmlns: NS_SM });
}
