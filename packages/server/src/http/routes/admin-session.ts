import { DomainFailure } from '../../domain/shared/failure.js';
import { checkCsrf, clearOperatorCookie, cookieValue, OPERATOR_COOKIE, setOperatorCookie } from '../admin/operator-auth.js';
import { objectBody, type AdminRoutes } from '../admin/registry.js';
import type { HttpDependencies } from '../services.js';

const sessionSchema = {
  type: 'object',
  properties: { login: { type: 'string' }, csrf_token: { type: 'string', description: 'send as X-CSRF-Token on every call other than GET' }, expires_at: { type: 'string' } },
} as const;

/**
 * Dashboard sign-in: `POST /admin/session` (login, password) sets the operator cookie and answers the
 * CSRF token; `GET` says who is signed in (the dashboard's first call); `DELETE` signs out for real
 * (the session row is deleted, so a copied cookie stops working too). Public operations of the admin
 * registry: they are how the credentials are obtained.
 */
export function adminSessionRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  if (!deps.dashboard) return;
  const { operators } = deps;
  const tag = 'operators';

  routes.add(
    {
      method: 'POST',
      url: '/admin/session',
      tag,
      public: true,
      summary: 'Sign an operator in (JSON only): sets the HttpOnly parley_operator cookie and answers the CSRF token; failures are throttled',
      body: { type: 'object', required: ['login', 'password'], properties: { login: { type: 'string' }, password: { type: 'string' } } },
      response: sessionSchema,
      status: 201,
    },
    async (request, reply) => {
      // JSON only: a cross-site HTML form cannot send it, so no page can sign a browser in to another account.
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) throw new DomainFailure('UNSUPPORTED_MEDIA_TYPE');
      const body = objectBody(request.body);
      const signedIn = await operators.signIn(body.login, body.password, request.ip);
      setOperatorCookie(request, reply, signedIn.token, signedIn.expiresAt);
      return { login: signedIn.operator.login, csrf_token: signedIn.csrfToken, expires_at: new Date(signedIn.expiresAt).toISOString() };
    },
  );

  routes.add({ method: 'GET', url: '/admin/session', tag, public: true, summary: 'Who is signed in with this cookie (401 when nobody), with the CSRF token', response: sessionSchema }, async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    const found = await operators.session(cookieValue(request, OPERATOR_COOKIE));
    if (!found) throw new DomainFailure('ADMIN_UNAUTHORIZED');
    return { login: found.operator.login, csrf_token: found.session.csrfToken, expires_at: new Date(found.session.expiresAt).toISOString() };
  });

  routes.add({ method: 'DELETE', url: '/admin/session', tag, public: true, summary: 'Sign out: the session ends on the server and the cookie is cleared (needs X-CSRF-Token)', status: 204 }, async (request, reply) => {
    const token = cookieValue(request, OPERATOR_COOKIE);
    const found = await operators.session(token);
    if (found) {
      checkCsrf(request, found.session.csrfToken);
      await operators.signOut(token);
    }
    clearOperatorCookie(reply);
  });
}
