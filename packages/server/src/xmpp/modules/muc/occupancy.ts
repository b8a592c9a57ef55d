/** A group dialog's room: rooms are per application, like everything else. */
export interface RoomKey {
  appId: number;
  dialogId: string;
}

const keyOf = (room: RoomKey) => `${room.appId}_${room.dialogId}`;

/**
 * Who is joined to which room on this node, by user and by connection. Presence is user-level
 * (realtime.md §6.4): the first resource of a user announces the user, the last one leaving ends it.
 * One instance per server, handed to the MUC module; `S` is the face's connection type.
 */
export class RoomOccupancy<S> {
  private readonly rooms = new Map<string, { room: RoomKey; users: Map<number, Set<S>> }>();
  private readonly bySession = new Map<S, Map<string, number>>();

  /** Adds the connection; `firstOfUser` when no other connection of that user was in the room. */
  join(room: RoomKey, userId: number, session: S): { firstOfUser: boolean; alreadyJoined: boolean } {
    const key = keyOf(room);
    const entry = this.rooms.get(key) ?? { room, users: new Map<number, Set<S>>() };
    this.rooms.set(key, entry);
    const sessions = entry.users.get(userId) ?? new Set<S>();
    const firstOfUser = sessions.size === 0;
    const alreadyJoined = sessions.has(session);
    sessions.add(session);
    entry.users.set(userId, sessions);
    const joined = this.bySession.get(session) ?? new Map<string, number>();
    joined.set(key, userId);
    this.bySession.set(session, joined);
    return { firstOfUser, alreadyJoined };
  }

  /** Removes the connection; `lastOfUser` when it was the user's last one; false `wasJoined` = nothing changed. */
  leave(room: RoomKey, userId: number, session: S): { wasJoined: boolean; lastOfUser: boolean } {
    const key = keyOf(room);
    const entry = this.rooms.get(key);
    const sessions = entry?.users.get(userId);
    if (!entry || !sessions?.delete(session)) return { wasJoined: false, lastOfUser: false };
    this.bySession.get(session)?.delete(key);
    if (this.bySession.get(session)?.size === 0) this.bySession.delete(session);
    const lastOfUser = sessions.size === 0;
    if (lastOfUser) entry.users.delete(userId);
    if (entry.users.size === 0) this.rooms.delete(key);
    return { wasJoined: true, lastOfUser };
  }

  /** Every room the connection was in, removed (a closed stream leaves all its rooms). */
  leaveAll(session: S): { room: RoomKey; userId: number; lastOfUser: boolean }[] {
    const joined = [...(this.bySession.get(session) ?? new Map<string, number>())];
    return joined.flatMap(([key, userId]) => {
      const room = this.rooms.get(key)?.room;
      if (!room) return [];
      return [{ room, userId, lastOfUser: this.leave(room, userId, session).lastOfUser }];
    });
  }

  /** Joined users and their connections. */
  occupants(room: RoomKey): ReadonlyMap<number, ReadonlySet<S>> {
    return this.rooms.get(keyOf(room))?.users ?? new Map<number, Set<S>>();
  }

  isJoined(room: RoomKey, session: S): boolean {
    return this.bySession.get(session)?.has(keyOf(room)) ?? false;
  }

  /** Every joined connection of the room. */
  sessions(room: RoomKey): S[] {
    return [...this.occupants(room).values()].flatMap((sessions) => [...sessions]);
  }
}
