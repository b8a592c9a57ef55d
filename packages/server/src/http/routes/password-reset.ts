import type { FastifyInstance } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';
import type { HttpDependencies } from '../services.js';

type Query = Record<string, unknown>;

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)}</title><body style="font-family:sans-serif;max-width:28em;margin:3em auto"><h1>${escape(title)}</h1>${body}</body></html>`;
}

/** The page a password reset mail links to: a form for the new password, and its submission. */
export function passwordResetRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  app.get<{ Querystring: Query }>('/users/password/reset/confirm', { config: { auth: 'none' } }, async (request, reply) => {
    try {
      const { user } = await deps.passwordReset.check(request.query);
      const form = `<p>New password for ${escape(user.login ?? user.email ?? '')}</p><form method="post"><input type="password" name="password" autocomplete="new-password" required> <button>Set password</button></form>`;
      return reply.type('text/html; charset=utf-8').send(page('Reset your password', form));
    } catch (error) {
      if (!(error instanceof DomainFailure)) throw error;
      return reply.code(404).type('text/html; charset=utf-8').send(page('Link not valid', `<p>${escape(error.message)}</p>`));
    }
  });

  app.post<{ Querystring: Query; Body: unknown }>('/users/password/reset/confirm', { config: { auth: 'none' } }, async (request, reply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    try {
      await deps.passwordReset.complete(request.query, body.password);
      return reply.type('text/html; charset=utf-8').send(page('Password changed', '<p>You can sign in with your new password.</p>'));
    } catch (error) {
      if (!(error instanceof DomainFailure)) throw error;
      const status = error.code === 'VALIDATION_FAILED' ? 422 : 404;
      const detail = error.detail.fields ? Object.entries(error.detail.fields).map(([f, m]) => `${f} ${m.join(', ')}`).join('; ') : error.message;
      return reply.code(status).type('text/html; charset=utf-8').send(page('Password not changed', `<p>${escape(detail)}</p>`));
    }
  });
}
