import type { FastifyInstance } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';
import { checkCsrf, clearOperatorCookie, cookieValue, OPERATOR_COOKIE, setOperatorCookie } from '../admin/operator-auth.js';
import { objectBody } from '../admin/registry.js';
import type { HttpDependencies } from '../services.js';

/**
 * Dashboard sign-in: `POST /admin/session` (login, password) sets the operator cookie and answers the
 * CSRF token; `GET` says who is signed in (the dashboard's first call); `DELETE` signs out for real
 * (the session row is deleted, so a copied cookie stops working too).
 */
export function adminSessionRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  if (!deps.dashboard) return;
  const config = { auth: 'none' as const };
  const { operators } = deps;

  app.post('/admin/session', { config }, async (request, reply) => {
    // JSON only: a cross-site HTML form cannot send it, so no page can sign a browser in to another account.
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) throw new DomainFailure('UNSUPPORTED_MEDIA_TYPE');
    const body = objectBody(request.body);
    const signedIn = await operators.signIn(body.login, body.password, request.ip);
    setOperatorCookie(request, reply, signedIn.token, signedIn.expiresAt);
    return reply.code(201).send({ login: signedIn.operator.login, csrf_token: signedIn.csrfToken, expires_at: new Date(signedIn.expiresAt).toISOString() });
  });

  app.get('/admin/session', { config }, async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    const found = await operators.session(cookieValue(request, OPERATOR_COOKIE));
    if (!found) throw new DomainFailure('ADMIN_UNAUTHORIZED');
    return { login: found.operator.login, csrf_token: found.session.csrfToken, expires_at: new Date(found.session.expiresAt).toISOString() };
  });

  app.delete('/admin/session', { config }, async (request, reply) => {
    const token = cookieValue(request, OPERATOR_COOKIE);
    const found = await operators.session(token);
    if (found) {
      checkCsrf(request, found.session.csrfToken);
      await operators.signOut(token);
    }
    clearOperatorCookie(reply);
    return reply.code(204).send();
  });
}
