import { randomBytes } from 'node:crypto';
import type { ClientSession } from '../session.js';

/** The stream currently responsible for a resumable session. */
export interface SessionOwner {
  /** Stops using the session without ending it (a newer connection resumed it); drops its connection. */
  release(): void;
  /** Resolves once the stanza its connection was handling has finished. */
  settled(): Promise<void>;
  /** Ends the session for good: unregister, `closed` hooks (unacked content → offline queue). */
  terminate(): Promise<void>;
}

/** Most parked (detached, waiting for resumption) sessions kept per user, per app and on this node. */
export interface ParkingLimits {
  perUser: number;
  perApp: number;
  perNode: number;
}

interface Entry {
  session: ClientSession;
  owner: SessionOwner;
  timer?: NodeJS.Timeout;
}

const UNLIMITED: ParkingLimits = { perUser: Infinity, perApp: Infinity, perNode: Infinity };

/**
 * XEP-0198 resumption on this node: sessions that enabled with `resume="true"`, by resumption id. A
 * session whose connection died is parked for the window, then terminated unless a new stream of the
 * same user resumed it first. Parking is capped per user, app and node: beyond a cap the oldest parked
 * session of that scope is ended at once (its unacknowledged messages go to the offline queue), so
 * logging in again and again cannot grow memory without bound.
 */
export class ResumableSessions {
  private readonly entries = new Map<string, Entry>();
  /** Parked entries by resumption id, oldest first (a Map keeps insertion order). */
  private readonly parked = new Map<string, Entry>();
  private readonly perUser = new Map<string, number>();
  private readonly perApp = new Map<number, number>();

  constructor(
    private readonly windowMs: number,
    private readonly limits: ParkingLimits = UNLIMITED,
    /** Start of every resumption id (`<node>.`): another node of a cluster can tell whose session it is. */
    private readonly idPrefix = '',
  ) {}

  get maxSeconds(): number {
    return Math.max(1, Math.round(this.windowMs / 1000));
  }

  get size(): number {
    return this.entries.size;
  }

  /** How many sessions wait for a resumption now. */
  get parkedCount(): number {
    return this.parked.size;
  }

  /** The parked sessions, oldest first (metrics, tests). */
  parkedSessions(): ClientSession[] {
    return [...this.parked.values()].map((entry) => entry.session);
  }

  /** Registers the session; returns its resumption id (random, unguessable). */
  add(session: ClientSession, owner: SessionOwner): string {
    const id = `${this.idPrefix}${randomBytes(18).toString('base64url')}`;
    this.entries.set(id, { session, owner });
    return id;
  }

  /** The session's connection died: terminate it when nobody resumes it within the window. */
  park(session: ClientSession): void {
    const entry = this.entries.get(session.sm.id);
    if (!entry || entry.session !== session) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.expire(session), this.windowMs);
    entry.timer.unref();
    this.markParked(session.sm.id, entry);
    this.enforceLimits(session);
  }

  /**
   * `<resume previd/>` from an authenticated stream: the session when it belongs to the same user (the
   * previous owner, if its connection still looked alive, is released). Undefined otherwise.
   */
  take(previd: string, appId: number, userId: number, owner: SessionOwner): { session: ClientSession; previous: SessionOwner } | undefined {
    const entry = this.entries.get(previd);
    if (!entry || entry.session.closed || !entry.session.resumeAllowed || entry.session.appId !== appId || entry.session.userId !== userId) return undefined;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    this.unmarkParked(previd);
    const previous = entry.owner;
    entry.owner = owner;
    if (!entry.session.detached) previous.release();
    return { session: entry.session, previous };
  }

  /** The session ended (or is ending): no resumption any more. */
  forget(session: ClientSession): void {
    const entry = this.entries.get(session.sm.id);
    if (!entry || entry.session !== session) return;
    clearTimeout(entry.timer);
    this.entries.delete(session.sm.id);
    this.unmarkParked(session.sm.id);
  }

  /** Ends a parked session now (window over, buffer overflow, parking cap, credentials revoked). */
  async expire(session: ClientSession): Promise<void> {
    const entry = this.entries.get(session.sm.id);
    if (!entry || entry.session !== session || !session.detached) return;
    this.forget(session);
    await entry.owner.terminate();
  }

  /**
   * A client of this user failed to resume `previd` on another node of the cluster: end that session
   * here now (parked or with a connection that only looks alive), so what it never acknowledged reaches
   * the offline queue before the client asks for it. Resolves once that is done; false when unknown.
   */
  async endForResumeElsewhere(previd: string, appId: number, userId: number): Promise<boolean> {
    const entry = this.entries.get(previd);
    if (!entry || entry.session.closed || entry.session.appId !== appId || entry.session.userId !== userId) return false;
    const { session } = entry;
    session.resumeAllowed = false;
    if (session.detached) {
      await this.expire(session);
      return true;
    }
    // The client is gone from that connection (it logged in elsewhere): drop it and end the session.
    this.forget(session);
    entry.owner.release();
    await entry.owner.settled();
    await entry.owner.terminate();
    return true;
  }

  /** Shutdown: terminates every parked session (their unacked messages reach the offline queue). */
  async expireAll(): Promise<void> {
    for (const entry of [...this.entries.values()]) await this.expire(entry.session);
  }

  private markParked(id: string, entry: Entry): void {
    if (this.parked.has(id)) return;
    this.parked.set(id, entry);
    const { appId } = entry.session;
    const user = userKey(entry.session);
    this.perUser.set(user, (this.perUser.get(user) ?? 0) + 1);
    this.perApp.set(appId, (this.perApp.get(appId) ?? 0) + 1);
  }

  private unmarkParked(id: string): void {
    const entry = this.parked.get(id);
    if (!entry) return;
    this.parked.delete(id);
    const { appId } = entry.session;
    const user = userKey(entry.session);
    decrement(this.perUser, user);
    decrement(this.perApp, appId);
  }

  /** Ends the oldest parked sessions of each scope over its cap (the newest is what a client resumes). */
  private enforceLimits(latest: ClientSession): void {
    const user = userKey(latest);
    while ((this.perUser.get(user) ?? 0) > this.limits.perUser) this.evictOldest((s) => userKey(s) === user);
    while ((this.perApp.get(latest.appId) ?? 0) > this.limits.perApp) this.evictOldest((s) => s.appId === latest.appId);
    while (this.parked.size > this.limits.perNode) this.evictOldest(() => true);
  }

  private evictOldest(matches: (session: ClientSession) => boolean): void {
    for (const entry of this.parked.values()) {
      if (!matches(entry.session)) continue;
      // Unmarked now so the caps hold at once; the termination (offline queue writes) runs on its own.
      this.forget(entry.session);
      void entry.owner.terminate().catch(() => undefined);
      return;
    }
  }
}

const userKey = (session: ClientSession) => `${session.appId}:${session.userId}`;

function decrement<K>(counts: Map<K, number>, key: K): void {
  const next = (counts.get(key) ?? 0) - 1;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}
