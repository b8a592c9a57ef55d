import { adminConnectionWire, adminSessionWire, connectionSchema } from '../admin/presenters.js';
import { appNotFound, idParam, objectBody, pageParams, pageQuery, userNotFound, type AdminRoutes } from '../admin/registry.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import type { HttpDependencies } from '../services.js';

const sessionSchema = {
  type: 'object',
  properties: { id: { type: 'integer' }, appId: { type: 'integer' }, userId: { type: ['integer', 'null'] }, createdAt: { type: 'string' }, expiresAt: { type: 'string' }, guest: { type: 'boolean' } },
} as const;

/** Sessions (REST tokens) and live XMPP connections of an application: list, revoke, kick. */
export function adminSessionRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  const appOf = async (params: Record<string, string>) => {
    const appId = idParam(params.appId, appNotFound);
    await deps.apps.get(appId);
    return appId;
  };
  const optionalUser = (value: unknown) => (value === undefined || value === '' ? undefined : idParam(value, () => new DomainFailure('VALIDATION_FAILED', { fields: { user_id: ['must be a user id'] } })));

  routes.add(
    {
      method: 'GET',
      url: '/admin/apps/:appId/sessions',
      tag: 'sessions',
      summary: 'Unexpired sessions, newest first',
      query: { user_id: { type: 'integer', description: 'only this user' }, ...pageQuery },
      response: { type: 'array', items: sessionSchema },
    },
    async (request) => {
      const appId = await appOf(request.params);
      const userId = optionalUser(request.query.user_id);
      return (await deps.sessionAdmin.list(appId, { ...(userId === undefined ? {} : { userId }), ...pageParams(request.query) })).map(adminSessionWire);
    },
  );

  routes.add({ method: 'DELETE', url: '/admin/apps/:appId/sessions/:sessionId', tag: 'sessions', summary: 'Revoke a session: its token stops working', status: 204 }, async (request) => {
    const appId = await appOf(request.params);
    await deps.sessionAdmin.revoke(appId, idParam(request.params.sessionId, () => new DomainFailure('NOT_FOUND', { message: 'Session not found' })));
  });

  routes.add(
    {
      method: 'GET',
      url: '/admin/connections',
      tag: 'connections',
      summary: 'Live XMPP connections of this node (every application)',
      response: { type: 'array', items: connectionSchema },
    },
    async () => deps.connections.list().map(adminConnectionWire),
  );

  routes.add(
    {
      method: 'GET',
      url: '/admin/apps/:appId/connections',
      tag: 'connections',
      summary: 'Live XMPP connections of an application',
      query: { user_id: { type: 'integer', description: 'only this user' } },
      response: { type: 'array', items: connectionSchema },
    },
    async (request) => {
      const appId = await appOf(request.params);
      const userId = optionalUser(request.query.user_id);
      return deps.connections.list({ appId, ...(userId === undefined ? {} : { userId }) }).map(adminConnectionWire);
    },
  );

  routes.add(
    {
      method: 'POST',
      url: '/admin/apps/:appId/connections/kick',
      tag: 'connections',
      summary: "Close a user's connections (or one connection by id) with a policy-violation stream error",
      body: { type: 'object', properties: { userId: { type: 'integer' }, id: { type: 'string' }, reason: { type: 'string' } } },
      response: { type: 'object', properties: { kicked: { type: 'integer' } } },
    },
    async (request) => {
      const appId = await appOf(request.params);
      const body = objectBody(request.body);
      const userId = body.userId === undefined ? undefined : idParam(body.userId, userNotFound);
      const id = body.id === undefined ? undefined : typeof body.id === 'string' && /^[0-9a-f]{1,64}$/i.test(body.id) ? body.id : undefined;
      const errors: Record<string, string[]> = {};
      if (body.id !== undefined && id === undefined) errors.id = ['must be a connection id'];
      if (userId === undefined && body.id === undefined) errors.base = ['name the userId or the connection id to kick'];
      if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > 200)) errors.reason = ['must be a text of at most 200 characters'];
      if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
      const reason = typeof body.reason === 'string' && body.reason !== '' ? body.reason : 'kicked by an administrator';
      return { kicked: deps.connections.kick({ appId, ...(userId === undefined ? {} : { userId }), ...(id === undefined ? {} : { id }) }, reason) };
    },
  );
}
