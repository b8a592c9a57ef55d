import type { ConnectionRevoker } from '../../ports/connection-revocation.js';
import type { SessionRecord, Store } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';

/** Operators' view of sessions: list the live ones of an application or user, revoke one. */
export class SessionAdministration {
  constructor(
    private readonly store: Pick<Store, 'sessions'>,
    private readonly clock: Clock,
    /** Chat connections that logged in with a revoked session's token end with it, as on logout. */
    private readonly revocations?: ConnectionRevoker,
  ) {}

  list(appId: number, filter: { userId?: number; limit: number; offset: number }): Promise<SessionRecord[]> {
    return this.store.sessions.listActive(appId, { ...filter, now: this.clock() });
  }

  /** Deletes the session: its token stops working at once. */
  async revoke(appId: number, sessionId: number): Promise<SessionRecord> {
    const session = await this.store.sessions.findById(appId, sessionId);
    if (!session) throw new DomainFailure('NOT_FOUND', { message: 'Session not found' });
    await this.store.sessions.delete(appId, sessionId);
    if (session.userId !== null) await this.revocations?.revoke({ appId, userId: session.userId, sessionId, reason: 'logged-out' });
    return session;
  }
}
