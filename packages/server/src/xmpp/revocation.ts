import type { ConnectionRevocation } from '../ports/connection-revocation.js';
import type { ClientSession } from './session.js';
import type { ResumableSessions } from './sm/resumable-sessions.js';

const REASONS: Record<ConnectionRevocation['reason'], string> = {
  'user-deleted': 'account deleted',
  'password-changed': 'password changed',
  'logged-out': 'logged out',
  'app-deleted': 'application deleted',
};

/** Whether a session rests on the revoked credentials. */
export function isRevoked(session: ClientSession, event: ConnectionRevocation): boolean {
  if (!session.authenticated || session.appId !== event.appId) return false;
  if (event.userId !== undefined && session.userId !== event.userId) return false;
  const { credential } = session;
  if (event.passwordOnly && credential.via === 'token') return false;
  if (event.sessionId === undefined) return true;
  return credential.via === 'unknown' || (credential.via === 'token' && credential.sessionId === event.sessionId);
}

/**
 * Ends every matching session of this node: live ones get `not-authorized` and close without the
 * possibility to resume; parked ones end now (their unacknowledged messages go to the offline queue).
 */
export async function revokeSessions(live: Iterable<ClientSession>, resumable: ResumableSessions, event: ConnectionRevocation): Promise<number> {
  let closed = 0;
  for (const session of [...live]) {
    if (session.closed || !isRevoked(session, event)) continue;
    session.resumeAllowed = false;
    session.streamError('not-authorized', REASONS[event.reason]);
    closed += 1;
  }
  for (const session of resumable.parkedSessions()) {
    if (!isRevoked(session, event)) continue;
    session.resumeAllowed = false;
    await resumable.expire(session);
    closed += 1;
  }
  return closed;
}
