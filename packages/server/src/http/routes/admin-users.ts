import { DomainFailure } from '../../domain/shared/failure.js';
import { appNotFound, idParam, objectBody, pageParams, pageQuery, userNotFound, type AdminRoutes } from '../admin/registry.js';
import { userWire } from '../presenters.js';
import type { HttpDependencies } from '../services.js';

const userSchema = { type: 'object', description: 'The ConnectyCube user object (rest.md §3.1) plus blocked_at', additionalProperties: true } as const;

/** `/admin/apps/{appId}/users`: list/search, create, show, update, password, block, delete. */
export function adminUserRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  const { users, userAdmin, apps } = deps;
  const ids = async (params: Record<string, string>) => {
    const appId = idParam(params.appId, appNotFound);
    await apps.get(appId);
    return { appId, userId: params.userId === undefined ? 0 : idParam(params.userId, userNotFound) };
  };
  const wire = (user: Parameters<typeof userWire>[0]) => ({ ...userWire(user), blocked_at: user.blockedAt ? new Date(user.blockedAt).toISOString() : null });
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

  routes.add(
    {
      method: 'GET',
      url: '/admin/apps/:appId/users',
      tag: 'users',
      summary: 'List users, optionally by substrings of login, email or full name',
      query: { login: { type: 'string', description: 'substring of the login' }, email: { type: 'string', description: 'substring of the email' }, full_name: { type: 'string', description: 'substring of the full name' }, ...pageQuery },
      response: { type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: userSchema } } },
    },
    async (request) => {
      const { appId } = await ids(request.params);
      const page = pageParams(request.query);
      const result = await userAdmin.search(appId, { login: text(request.query.login), email: text(request.query.email), fullName: text(request.query.full_name), ...page });
      return { total: result.total, limit: page.limit, offset: page.offset, items: result.users.map(wire) };
    },
  );

  routes.add(
    {
      method: 'POST',
      url: '/admin/apps/:appId/users',
      tag: 'users',
      summary: 'Create a user (the sign-up fields of rest.md §3.2, with password)',
      status: 201,
      body: { type: 'object', required: ['password'], properties: { login: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' }, full_name: { type: 'string' } }, additionalProperties: true },
      response: userSchema,
    },
    async (request) => wire(await users.signup((await ids(request.params)).appId, objectBody(request.body))),
  );

  routes.add({ method: 'GET', url: '/admin/apps/:appId/users/:userId', tag: 'users', summary: 'Show a user', response: userSchema }, async (request) => {
    const { appId, userId } = await ids(request.params);
    return wire(await users.get(appId, userId));
  });

  routes.add(
    { method: 'PATCH', url: '/admin/apps/:appId/users/:userId', tag: 'users', summary: 'Change profile fields (not the password)', body: { type: 'object', additionalProperties: true }, response: userSchema },
    async (request) => {
      const { appId, userId } = await ids(request.params);
      return wire(await userAdmin.update(appId, userId, objectBody(request.body)));
    },
  );

  routes.add(
    {
      method: 'PUT',
      url: '/admin/apps/:appId/users/:userId/password',
      tag: 'users',
      summary: "Set a new password; the user's sessions and live connections end",
      body: { type: 'object', required: ['password'], properties: { password: { type: 'string' } } },
      response: userSchema,
    },
    async (request) => {
      const { appId, userId } = await ids(request.params);
      const user = await userAdmin.setPassword(appId, userId, objectBody(request.body).password);
      deps.connections.kick({ appId, userId }, 'password changed');
      return wire(user);
    },
  );

  routes.add(
    {
      method: 'PUT',
      url: '/admin/apps/:appId/users/:userId/blocked',
      tag: 'users',
      summary: 'Block (no logins; sessions and connections end) or unblock a user',
      body: { type: 'object', required: ['blocked'], properties: { blocked: { type: 'boolean' } } },
      response: userSchema,
    },
    async (request) => {
      const { appId, userId } = await ids(request.params);
      const { blocked } = objectBody(request.body);
      if (typeof blocked !== 'boolean') throw new DomainFailure('VALIDATION_FAILED', { fields: { blocked: ['must be true or false'] } });
      const user = await userAdmin.setBlocked(appId, userId, blocked);
      if (blocked) deps.connections.kick({ appId, userId }, 'blocked by an administrator');
      return wire(user);
    },
  );

  routes.add({ method: 'DELETE', url: '/admin/apps/:appId/users/:userId', tag: 'users', summary: 'Delete a user; its live connections end', status: 204 }, async (request) => {
    const { appId, userId } = await ids(request.params);
    await userAdmin.remove(appId, userId);
    deps.connections.kick({ appId, userId }, 'account deleted');
  });
}
