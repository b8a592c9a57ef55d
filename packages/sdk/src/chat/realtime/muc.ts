// `chat.muc`: join, leave and list the online occupants of a group dialog's room (realtime.md
// §6.3–6.7). Joining is optional for sending and receiving; it adds occupant events.
import type { ChatHelpers } from '../helpers.js';
import type { PendingReplies } from './replies.js';
import { NS_MUC, mucJoinPresence, mucLeavePresence, mucOnlineUsersIq } from './stanzas.js';
import type { MucJoinError } from './types.js';
import { attr, childText } from './xml.js';
import type { XmlElement } from './xml.js';

export interface MultiUserChatDeps {
  helpers: ChatHelpers;
  replies: PendingReplies;
  /** Writes to the live stream; rejects when not connected. */
  send(element: XmlElement): Promise<void>;
}

/** The outcome of a join reply: joined (status 110), a room error, or neither (keep waiting). */
function joinOutcome(stanza: XmlElement): { joined: true } | { error: MucJoinError | Error } | null {
  const x = stanza.getChild('x');
  const codes = x ? x.getChildren('status').map((status) => attr(status, 'code')) : [];
  if (codes.includes('110')) return { joined: true };
  if (attr(stanza, 'type') !== 'error' || attr(x, 'xmlns') !== NS_MUC) return null;
  const error = stanza.getChild('error');
  if (!error) return { error: new Error('Unknown error') };
  return { error: { code: attr(error, 'code'), message: childText(error, 'text') || 'Unknown issue' } };
}

export class MultiUserChat {
  /** Rooms joined on this connection, by room JID (not re-joined after a reconnect). */
  joinedRooms: Record<string, boolean> = {};
  readonly #leaving = new Map<string, Array<() => void>>();

  constructor(private readonly deps: MultiUserChatDeps) {}

  /** Joins the room of a dialog id (or room JID) as the current user, without history. */
  join(dialogIdOrJid: string): Promise<void> {
    const { helpers, replies } = this.deps;
    const roomJid = helpers.getDialogJid(dialogIdOrJid);
    const id = helpers.getUniqueId('join');
    return new Promise<void>((resolve, reject) => {
      const waitForJoin = {
        onReply: (stanza: XmlElement) => {
          const outcome = joinOutcome(stanza);
          if (!outcome) replies.expect(id, waitForJoin);
          else if ('joined' in outcome) {
            this.joinedRooms[roomJid] = true;
            resolve();
          } else reject(outcome.error);
        },
        onAbort: reject,
      };
      replies.expect(id, waitForJoin);
      this.deps.send(mucJoinPresence({ id, from: helpers.userCurrentJid, to: helpers.getRoomJid(roomJid) })).catch((error: unknown) => {
        replies.forget(id);
        reject(error);
      });
    });
  }

  /** Leaves the room; resolves on the server's own-unavailable presence. */
  leave(dialogIdOrJid: string): Promise<void> {
    const { helpers } = this.deps;
    const roomJid = helpers.getDialogJid(dialogIdOrJid);
    delete this.joinedRooms[roomJid];
    return new Promise<void>((resolve, reject) => {
      this.#leaving.set(roomJid, [...(this.#leaving.get(roomJid) ?? []), resolve]);
      this.deps.send(mucLeavePresence({ from: helpers.userCurrentJid, to: helpers.getRoomJid(roomJid) })).catch((error: unknown) => {
        this.#leaving.delete(roomJid);
        reject(error);
      });
    });
  }

  /** User ids of the room's current occupants; `[]` when the server refuses (as the official SDK). */
  listOnlineUsers(dialogIdOrJid: string): Promise<number[]> {
    const { helpers, replies } = this.deps;
    const id = helpers.getUniqueId('muc_disco_items');
    return new Promise<number[]>((resolve, reject) => {
      replies.expect(id, {
        onReply: (stanza) => {
          const items = stanza.getChild('query')?.getChildElements() ?? [];
          const ids = items.map((item) => helpers.getUserIdFromRoomJid(attr(item, 'jid')));
          resolve(ids.filter((userId): userId is number => userId !== null));
        },
        onAbort: reject,
      });
      const iq = mucOnlineUsersIq({ id, from: helpers.userCurrentJid, to: helpers.getDialogJid(dialogIdOrJid) });
      this.deps.send(iq).catch((error: unknown) => {
        replies.forget(id);
        reject(error);
      });
    });
  }

  /** Own unavailable presence from a room: settles `leave` for it (or, unmatched, every pending leave). */
  handleSelfLeft(roomJid: string | null): void {
    const key = roomJid !== null && this.#leaving.has(roomJid) ? roomJid : undefined;
    const settled = key ? [key] : [...this.#leaving.keys()];
    for (const room of settled) {
      for (const resolve of this.#leaving.get(room) ?? []) resolve();
      this.#leaving.delete(room);
    }
  }

  /** Kicked from a room: it is no longer joined. */
  handleKicked(roomJid: string | null): void {
    if (roomJid) delete this.joinedRooms[roomJid];
  }

  /** A new connection starts with no rooms; pending leaves are moot. */
  reset(): void {
    this.joinedRooms = {};
    for (const resolvers of this.#leaving.values()) for (const resolve of resolvers) resolve();
    this.#leaving.clear();
  }
}
