import type { Element } from '@xmpp/xml';
import type { SessionRouter } from '../../router.js';
import type { ClientSession } from '../../session.js';
import type { RoomKey, RoomOccupancy } from './occupancy.js';

/**
 * The connections group traffic reaches (realtime.md §7.3 step 6, [R-33]): every available connection of
 * every dialog member, joined or not, plus every connection joined to the room; each gets one copy.
 */
export function roomAudience(router: SessionRouter, rooms: RoomOccupancy<ClientSession>, room: RoomKey, memberIds: readonly number[]): Set<ClientSession> {
  const sessions = new Set<ClientSession>(rooms.sessions(room));
  for (const userId of memberIds) {
    for (const session of router.sessionsOf(room.appId, userId)) if (session.available) sessions.add(session);
  }
  return sessions;
}

/** Sends `stanza` to each connection with `to` stamped; returns how many got it. */
export function sendToEach(router: SessionRouter, sessions: Iterable<ClientSession>, stanza: Element, except?: (session: ClientSession) => boolean): number {
  let delivered = 0;
  for (const session of sessions) {
    if (session.closed || except?.(session)) continue;
    stanza.attrs.to = session.jid;
    if (router.toSession(session, stanza)) delivered += 1;
  }
  return delivered;
}
