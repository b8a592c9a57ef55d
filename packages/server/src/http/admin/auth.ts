import type { FastifyRequest } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';
import { safeEqual, sha256Hex } from '../../domain/shared/secrets.js';

/** Who called an admin route: the admin-token holder (automation) or a signed-in dashboard operator. */
export interface AdminPrincipal {
  kind: 'token' | 'operator';
  name: string;
}

/**
 * One way to prove admin rights. The guard asks each in turn; the first principal wins (the bearer
 * token, then the dashboard operator's cookie of `operator-auth.ts`, which may also refuse outright).
 */
export type AdminAuthenticator = (request: FastifyRequest) => Promise<AdminPrincipal | undefined> | AdminPrincipal | undefined;

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on admin routes once an authenticator accepted the caller. */
    adminPrincipal?: AdminPrincipal;
  }
}

/**
 * Whether the request carries `Authorization: Bearer <adminToken>`. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function hasAdminToken(request: FastifyRequest, adminToken: string): boolean {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return safeEqual(sha256Hex(match?.[1] ?? ''), sha256Hex(adminToken)) && match !== null && adminToken !== '';
}

/** `Authorization: Bearer PARLEY_ADMIN_TOKEN`. */
export function bearerTokenAuthenticator(adminToken: string): AdminAuthenticator {
  return (request) => (hasAdminToken(request, adminToken) ? { kind: 'token', name: 'admin-token' } : undefined);
}

/** An onRequest hook that lets a request through only when some authenticator accepts it. */
export function adminGuard(authenticators: readonly AdminAuthenticator[]) {
  return async (request: FastifyRequest): Promise<void> => {
    for (const authenticate of authenticators) {
      const principal = await authenticate(request);
      if (principal) {
        request.adminPrincipal = principal;
        return;
      }
    }
    throw new DomainFailure('ADMIN_UNAUTHORIZED');
  };
}
