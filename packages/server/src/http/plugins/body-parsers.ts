import type { FastifyInstance } from 'fastify';
import { parseQuery } from './query.js';

/**
 * JSON that may be empty (the SDK POSTs with a JSON content type and no body, rest.md §1.3) and
 * urlencoded bodies with bracket keys (DELETE with data).
 */
export function registerBodyParsers(app: FastifyInstance): void {
  const strictJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, {});
      return;
    }
    strictJson(request, String(body), done);
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseQuery(String(body)));
  });
}
