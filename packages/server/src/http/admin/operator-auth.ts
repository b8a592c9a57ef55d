import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OperatorService } from '../../domain/operators/service.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import { safeEqual } from '../../domain/shared/secrets.js';
import type { AdminAuthenticator } from './auth.js';

/** The operator's session cookie: HttpOnly, SameSite=Strict, sent only to /admin. */
export const OPERATOR_COOKIE = 'parley_operator';
const COOKIE_PATH = '/admin';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The value of one cookie of the request, '' when absent. */
export function cookieValue(request: FastifyRequest, name: string): string {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return '';
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return '';
}

export function setOperatorCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: number): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  void reply.header('Set-Cookie', `${OPERATOR_COOKIE}=${token}; Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict; Expires=${new Date(expiresAt).toUTCString()}${secure}`);
}

export function clearOperatorCookie(reply: FastifyReply): void {
  void reply.header('Set-Cookie', `${OPERATOR_COOKIE}=; Path=${COOKIE_PATH}; HttpOnly; SameSite=Strict; Expires=Thu, 01 Jan 1970 00:00:00 GMT`);
}

/** Throws unless a state-changing call carries the session's own `X-CSRF-Token`. */
export function checkCsrf(request: FastifyRequest, csrfToken: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const sent = request.headers['x-csrf-token'];
  if (typeof sent !== 'string' || !safeEqual(sent, csrfToken)) throw new DomainFailure('CSRF_TOKEN_INVALID');
}

/**
 * A signed-in dashboard operator: the session cookie, and on every state-changing call the session's
 * CSRF token in `X-CSRF-Token` (a cross-site form or script cannot read it). A valid cookie with a
 * missing or wrong CSRF token is refused outright rather than passed on to other authenticators.
 */
export function operatorCookieAuthenticator(operators: OperatorService): AdminAuthenticator {
  return async (request) => {
    const found = await operators.session(cookieValue(request, OPERATOR_COOKIE));
    if (!found) return undefined;
    checkCsrf(request, found.session.csrfToken);
    return { kind: 'operator', name: found.operator.login };
  };
}
