import { openApiDocument } from '../admin/openapi.js';
import type { AdminRoutes } from '../admin/registry.js';
import type { HttpDependencies } from '../services.js';

/** `GET /admin/status` (what `parley status` prints) and `GET /admin/openapi.json` (this API, described). */
export function adminStatusRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  routes.add(
    {
      method: 'GET',
      url: '/admin/status',
      tag: 'server',
      summary: 'Version, listeners (with XMPP TLS state), live connections by transport, database health',
      response: { type: 'object', properties: { version: { type: 'string' }, uptimeSeconds: { type: 'integer' }, listeners: { type: 'array' }, connections: { type: 'object' }, database: { type: 'object' } } },
    },
    async () => deps.status(),
  );

  routes.add({ method: 'GET', url: '/admin/openapi.json', tag: 'server', summary: 'This document', response: { type: 'object' } }, async () =>
    openApiDocument(routes.operations, deps.version),
  );
}
