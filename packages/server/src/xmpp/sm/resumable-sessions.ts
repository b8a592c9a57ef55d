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

interface Entry {
  session: ClientSession;
  owner: SessionOwner;
  timer?: NodeJS.Timeout;
}

/**
 * XEP-0198 resumption on this node: sessions that enabled with `resume="true"`, by resumption id. A
 * session whose connection died is parked for the window, then terminated unless a new stream of the
 * same user resumed it first.
 */
export class ResumableSessions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly windowMs: number) {}

  get maxSeconds(): number {
    return Math.max(1, Math.round(this.windowMs / 1000));
  }

  get size(): number {
    return this.entries.size;
  }

  /** Registers the session; returns its resumption id (random, unguessable). */
  add(session: ClientSession, owner: SessionOwner): string {
    const id = randomBytes(18).toString('base64url');
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
  }

  /**
   * `<resume previd/>` from an authenticated stream: the session when it belongs to the same user (the
   * previous owner, if its connection still looked alive, is released). Undefined otherwise.
   */
  take(previd: string, appId: number, userId: number, owner: SessionOwner): { session: ClientSession; previous: SessionOwner } | undefined {
    const entry = this.entries.get(previd);
    if (!entry || entry.session.closed || entry.session.appId !== appId || entry.session.userId !== userId) return undefined;
    clearTimeout(entry.timer);
    entry.timer = undefined;
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
  }

  /** Ends a parked session now (window over, buffer overflow). */
  async expire(session: ClientSession): Promise<void> {
    const entry = this.entries.get(session.sm.id);
    if (!entry || entry.session !== session || !session.detached) return;
    this.forget(session);
    await entry.owner.terminate();
  }

  /** Shutdown: terminates every parked session (their unacked messages reach the offline queue). */
  async expireAll(): Promise<void> {
    for (const entry of [...this.entries.values()]) await this.expire(entry.session);
  }
}
