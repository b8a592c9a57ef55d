import type { Element } from '@xmpp/xml';
import { isRemote, type SessionRouter, type SessionView } from '../../router.js';
import type { ClientSession } from '../../session.js';
import type { RoomKey, RoomOccupancy } from './occupancy.js';

/**
 * The connections group traffic reaches (realtime.md §7.3 step 6, [R-33]): every available connection of
 * every dialog member, joined or not, plus every connection joined to the room, on every node; each gets
 * one copy.
 */
export function roomAudience(router: SessionRouter, rooms: RoomOccupancy<ClientSession>, room: RoomKey, memberIds: readonly number[]): Set<SessionView> {
  const sessions = new Set<SessionView>();
  const remoteSeen = new Set<string>();
  const add = (session: SessionView) => {
    if (isRemote(session)) {
      const key = `${session.node}/${session.id}`;
      if (remoteSeen.has(key)) return;
      remoteSeen.add(key);
    }
    sessions.add(session);
  };
  for (const session of rooms.sessions(room)) add(session);
  for (const userId of memberIds) {
    for (const session of router.sessionsOf(room.appId, userId)) if (session.available) add(session);
    for (const session of router.remoteSessionsOf(room.appId, userId)) add(session);
  }
  return sessions;
}

/** Sends `stanza` to each connection (local or remote) with `to` stamped, serialised once; returns how many got it. */
export function sendToEach(router: SessionRouter, sessions: Iterable<SessionView>, stanza: Element, except?: (session: SessionView) => boolean): number {
  return router.toEach(sessions, stanza, except);
}
