import { tokenExpirationDate } from '@parley/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionContext } from '../../domain/sessions/service.js';
import type { Actor } from '../../domain/shared/actor.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import type { HttpDependencies } from '../services.js';

/**
 * Who may call a route (rest.md §1.9):
 * - `none`: no credentials (CB-Token is ignored, as on `POST /session`);
 * - `authKeyOrToken`: a session token, or else the app's `CB-AuthKey` (sign-up);
 * - `app`: any session, application or user;
 * - `user`: a session bound to a user.
 */
export type AuthMode = 'none' | 'authKeyOrToken' | 'app' | 'user';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
    /** Answer without CORS headers (/metrics). */
    noCors?: boolean;
  }
  interface FastifyRequest {
    /** The resolved session, for routes that need one. */
    sessionContext?: SessionContext;
    /** The calling application and user (also set for auth-key calls, with no session). */
    actor?: Actor;
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function registerAuth(app: FastifyInstance, deps: Pick<HttpDependencies, 'sessions' | 'apps'>): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // Unmatched routes answer 404 and pre-flights answer CORS, whoever asks.
    if (request.is404 || request.method === 'OPTIONS') return;
    const mode = request.routeOptions.config.auth ?? 'user';
    if (mode === 'none') return;
    const token = header(request, 'cb-token');
    if (!token) {
      const authKey = header(request, 'cb-authkey');
      if (mode === 'authKeyOrToken' && authKey) {
        const application = await deps.apps.byAuthKey(authKey);
        request.actor = { appId: application.id, userId: null, sessionId: 0 };
        return;
      }
      throw new DomainFailure('TOKEN_REQUIRED');
    }
    const context = await deps.sessions.authenticate(token);
    request.sessionContext = context;
    request.actor = context.actor;
    void reply.header('CB-Token-ExpirationDate', tokenExpirationDate(context.expiresAt));
    if (mode === 'user' && context.actor.userId === null) throw new DomainFailure('NEED_USER');
  });
}

/** The actor of an authenticated route (the hook guarantees it). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('route without auth hook');
  return request.actor;
}

export function sessionOf(request: FastifyRequest): SessionContext {
  if (!request.sessionContext) throw new Error('route needs a session');
  return request.sessionContext;
}
