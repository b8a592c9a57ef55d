import type { ConnectionDirectory, ConnectionFilter, ConnectionInfo } from '../ports/connections.js';
import type { SessionRouter } from './router.js';
import type { ClientSession } from './session.js';
import type { ResumableSessions } from './sm/resumable-sessions.js';

function matches(session: ClientSession, filter: ConnectionFilter & { id?: string }): boolean {
  return (
    (filter.appId === undefined || session.appId === filter.appId) &&
    (filter.userId === undefined || session.userId === filter.userId) &&
    (filter.id === undefined || session.id === filter.id)
  );
}

function infoOf(session: ClientSession): ConnectionInfo {
  return {
    id: session.id,
    appId: session.appId,
    userId: session.userId,
    resource: session.resource,
    transport: session.transport,
    secure: session.connection.secure,
    remoteAddress: session.remoteAddress,
    available: session.available,
    detached: session.detached,
  };
}

/** The bound sessions of this node's router as operators see them; kicking ends them for good. */
export function routerConnectionDirectory(router: SessionRouter, resumable: ResumableSessions): ConnectionDirectory {
  return {
    list(filter = {}) {
      return [...router.all()].filter((session) => matches(session, filter)).map(infoOf);
    },
    kick(filter, reason) {
      let kicked = 0;
      for (const session of [...router.all()]) {
        if (!matches(session, filter)) continue;
        kicked += 1;
        // A parked session has no connection to write to: end it as if its resume window ran out.
        if (session.detached) void resumable.expire(session);
        else session.streamError('policy-violation', reason);
      }
      return kicked;
    },
  };
}
