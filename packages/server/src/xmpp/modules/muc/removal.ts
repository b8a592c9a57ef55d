import { occupantJid, userJid } from '@parley/protocol';
import type { SessionRouter } from '../../router.js';
import type { ClientSession } from '../../session.js';
import { sendToEach } from '../../delivery.js';
import { affiliationKey } from './index.js';
import type { RoomKey, RoomOccupancy } from './occupancy.js';
import { kickPresence, occupantPresence, selfPresence, type Affiliation } from './presences.js';

/**
 * Takes users who lost access to a group dialog out of its room (realtime.md §6.6): each joined
 * connection of a user removed by someone else gets a kick presence (301, actor = the remover); the
 * remover's own connections get a plain self `unavailable` (110); the room's other occupants (on every
 * node) get a LEAVE for each user. `'everyone'` (dialog deleted) empties the room. This node removes its
 * own connections; in a cluster every node runs it for the same event. Returns how many were removed.
 */
export function removeFromRoom(router: SessionRouter, rooms: RoomOccupancy<ClientSession>, room: RoomKey, chatDomain: string, actorId: number, removed: readonly number[] | 'everyone'): number {
  const userIds = removed === 'everyone' ? [...rooms.localOccupants(room).keys()] : removed;
  const actorJid = userJid(room.appId, actorId, chatDomain);
  let count = 0;
  for (const userId of userIds) {
    const from = occupantJid(room.appId, room.dialogId, userId, chatDomain);
    let affiliation: Affiliation = 'member';
    let left = false;
    for (const session of [...(rooms.localOccupants(room).get(userId) ?? [])]) {
      affiliation = (session.data.get(affiliationKey(room)) as Affiliation | undefined) ?? affiliation;
      const { lastOfUser } = rooms.leave(room, userId, session);
      session.data.delete(affiliationKey(room));
      left ||= lastOfUser;
      count += 1;
      const address = { from, to: session.jid };
      router.toSession(session, userId === actorId ? selfPresence(address, { available: false, affiliation, jid: session.jid }) : kickPresence(address, actorJid));
    }
    if (left) sendToEach(router, rooms.sessions(room), occupantPresence({ from, to: '' }, { available: false, affiliation }), (session) => session.userId === userId);
  }
  return count;
}
