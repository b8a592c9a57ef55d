// Last activity (XEP-0012) and ConnectyCube status streaming (realtime.md §9): the query IQ, the
// subscribe IQ, and how answers and pushes are read (official SDK 6.1.2 `onLastActivityStanza`).
import { xml } from './xml.js';
import type { XmlElement } from './xml.js';

export const NS_LAST = 'jabber:iq:last';
export const NS_STATUS_STREAMING = 'https://connectycube.com/protocol/status_streaming';

export interface LastActivity {
  userId: number | null;
  /** 0 while the user is online. */
  seconds: number;
}

export function lastActivityIq(params: { from: string; to: string; id: string }): XmlElement {
  const iq = xml('iq', { type: 'get', from: params.from, to: params.to, id: params.id });
  iq.c('query', { xmlns: NS_LAST });
  return iq;
}

/** Subscribes to (`enable`) or unsubscribes from a user's online/offline pushes; no reply is awaited. */
export function statusStreamingIq(params: { id: string; userJid: string; enable: boolean }): XmlElement {
  const iq = xml('iq', { id: params.id, type: 'set' });
  iq.c('subscribe', { xmlns: NS_STATUS_STREAMING, user_jid: params.userJid, enable: String(params.enable) });
  return iq;
}

/** `{userId, seconds}` of an answer or a push: the user from `from`, seconds from `query/@seconds`. */
export function readLastActivity(stanza: XmlElement, helpers: { getUserIdFromJID(jid?: string): number | null }): LastActivity {
  const query = stanza.getChild('query');
  return { userId: helpers.getUserIdFromJID(stanza.attrs.from || ''), seconds: query ? parseInt(query.attrs.seconds || '', 10) : 0 };
}

/** What the official SDK takes for a push: an IQ nobody waits for, with `from` and a `<query>`. */
export function isLastActivityPush(stanza: XmlElement): boolean {
  return Boolean(stanza.attrs.from) && stanza.getChild('query') !== undefined;
}
