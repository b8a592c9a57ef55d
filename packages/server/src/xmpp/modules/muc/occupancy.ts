import type { RemoteSession } from '../../router.js';

/** A group dialog's room: rooms are per application, like everything else. */
export interface RoomKey {
  appId: number;
  dialogId: string;
}

const keyOf = (room: RoomKey) => `${room.appId}_${room.dialogId}`;

/** A join or leave of one of this node's connections (the cluster link tells the other nodes). */
export interface OccupancyChange<S> {
  room: RoomKey;
  userId: number;
  session: S;
  joined: boolean;
}

/**
 * Who is joined to which room, by user and by connection: this node's connections (`join`/`leave`)
 * and, in a cluster, the other nodes' joined connections as a replica (`remoteJoin`/`remoteLeave`,
 * kept by the cluster link). Presence is user-level (realtime.md §6.4): the first resource of a user
 * anywhere in the cluster announces the user, the last one leaving ends it. One instance per server,
 * handed to the MUC module; `S` is the face's connection type.
 */
export class RoomOccupancy<S> {
  private readonly rooms = new Map<string, { room: RoomKey; users: Map<number, Set<S>> }>();
  private readonly bySession = new Map<S, Map<string, number>>();
  /** Room key → user → other nodes' joined connections. */
  private readonly remote = new Map<string, Map<number, Map<string, RemoteSession>>>();
  private readonly listeners: ((change: OccupancyChange<S>) => void)[] = [];

  /** Called after each local join and leave that changed something. */
  onChange(listener: (change: OccupancyChange<S>) => void): void {
    this.listeners.push(listener);
  }

  /** Adds the connection; `firstOfUser` when no other connection of that user (on any node) was in the room. */
  join(room: RoomKey, userId: number, session: S): { firstOfUser: boolean; alreadyJoined: boolean } {
    const key = keyOf(room);
    const entry = this.rooms.get(key) ?? { room, users: new Map<number, Set<S>>() };
    this.rooms.set(key, entry);
    const sessions = entry.users.get(userId) ?? new Set<S>();
    const firstOfUser = sessions.size === 0 && !this.remote.get(key)?.has(userId);
    const alreadyJoined = sessions.has(session);
    sessions.add(session);
    entry.users.set(userId, sessions);
    const joined = this.bySession.get(session) ?? new Map<string, number>();
    joined.set(key, userId);
    this.bySession.set(session, joined);
    if (!alreadyJoined) this.notify({ room, userId, session, joined: true });
    return { firstOfUser, alreadyJoined };
  }

  /** Removes the connection; `lastOfUser` when it was the user's last one in the cluster; false `wasJoined` = nothing changed. */
  leave(room: RoomKey, userId: number, session: S): { wasJoined: boolean; lastOfUser: boolean } {
    const key = keyOf(room);
    const entry = this.rooms.get(key);
    const sessions = entry?.users.get(userId);
    if (!entry || !sessions?.delete(session)) return { wasJoined: false, lastOfUser: false };
    this.bySession.get(session)?.delete(key);
    if (this.bySession.get(session)?.size === 0) this.bySession.delete(session);
    const lastHere = sessions.size === 0;
    if (lastHere) entry.users.delete(userId);
    if (entry.users.size === 0) this.rooms.delete(key);
    this.notify({ room, userId, session, joined: false });
    return { wasJoined: true, lastOfUser: lastHere && !this.remote.get(key)?.has(userId) };
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

  /** Joined users and their connections, on this node and on others. */
  occupants(room: RoomKey): ReadonlyMap<number, ReadonlySet<S | RemoteSession>> {
    const key = keyOf(room);
    const local = this.rooms.get(key)?.users ?? new Map<number, Set<S>>();
    const remote = this.remote.get(key);
    if (!remote) return local;
    const all = new Map<number, Set<S | RemoteSession>>();
    for (const [userId, sessions] of local) all.set(userId, new Set(sessions));
    for (const [userId, sessions] of remote) {
      const set = all.get(userId) ?? new Set<S | RemoteSession>();
      for (const session of sessions.values()) set.add(session);
      all.set(userId, set);
    }
    return all;
  }

  /** This node's joined users and connections. */
  localOccupants(room: RoomKey): ReadonlyMap<number, ReadonlySet<S>> {
    return this.rooms.get(keyOf(room))?.users ?? new Map<number, Set<S>>();
  }

  isJoined(room: RoomKey, session: S): boolean {
    return this.bySession.get(session)?.has(keyOf(room)) ?? false;
  }

  /** Every joined connection of the room, on this node and on others. */
  sessions(room: RoomKey): (S | RemoteSession)[] {
    return [...this.occupants(room).values()].flatMap((sessions) => [...sessions]);
  }

  /** Every local join, as (room, user, connection) (the cluster link's snapshot). */
  *localJoins(): Iterable<{ room: RoomKey; userId: number; session: S }> {
    for (const { room, users } of this.rooms.values()) for (const [userId, sessions] of users) for (const session of sessions) yield { room, userId, session };
  }

  /** Another node's connection joined (replica). */
  remoteJoin(room: RoomKey, session: RemoteSession): void {
    const key = keyOf(room);
    let users = this.remote.get(key);
    if (!users) this.remote.set(key, (users = new Map()));
    let sessions = users.get(session.userId);
    if (!sessions) users.set(session.userId, (sessions = new Map()));
    sessions.set(`${session.node}/${session.id}`, session);
  }

  /** Another node's connection left (replica). */
  remoteLeave(room: RoomKey, userId: number, node: string, connectionId: string): void {
    const key = keyOf(room);
    const users = this.remote.get(key);
    const sessions = users?.get(userId);
    if (!users || !sessions?.delete(`${node}/${connectionId}`)) return;
    if (sessions.size === 0) users.delete(userId);
    if (users.size === 0) this.remote.delete(key);
  }

  /** Every replica entry of a node, as (room, session) (reconciling with its snapshot, or dropping it). */
  remoteJoinsOf(node: string): { room: RoomKey; session: RemoteSession }[] {
    const found: { room: RoomKey; session: RemoteSession }[] = [];
    for (const [key, users] of this.remote) {
      const [appId, dialogId] = [Number(key.slice(0, key.indexOf('_'))), key.slice(key.indexOf('_') + 1)];
      for (const sessions of users.values()) for (const session of sessions.values()) if (session.node === node) found.push({ room: { appId, dialogId }, session });
    }
    return found;
  }

  private notify(change: OccupancyChange<S>): void {
    for (const listener of this.listeners) listener(change);
  }
}
