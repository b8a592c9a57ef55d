import {
  ResetPasswordSchema,
  UserEnvelopeSchema,
  toFlag,
  toId,
  toInteger,
  type LegacyUsersPageWire,
  type OnlineCountWire,
  type OnlineUsersWire,
  type UserEnvelope,
  type UserResponseWire,
  type UsersV2PageWire,
} from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';
import type { V1LookupKind } from '../../domain/users/service.js';
import type { UserPage } from '../../ports/store.js';
import { actorOf } from '../plugins/auth.js';
import { userWire } from '../presenters.js';
import type { HttpDependencies } from '../services.js';

type Query = Record<string, unknown>;

/** A path id that must be a positive integer; anything else is an unknown user. */
function pathUserId(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const id = toId(raw);
  if (id === undefined) throw new DomainFailure('NOT_FOUND', { message: 'User not found' });
  return id;
}

function v1PageEnvelope(page: { page: number; perPage: number }, result: UserPage): LegacyUsersPageWire {
  return {
    current_page: page.page,
    per_page: page.perPage,
    total_entries: result.total,
    items: result.users.map((user) => ({ user: userWire(user) })),
  };
}

/** Users (rest.md §3): sign-up, V2 queries, own-account changes, password reset, V1 lookups. */
export function userRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  const appOf = (request: FastifyRequest) => deps.apps.get(actorOf(request).appId);

  app.post<{ Body: UserEnvelope }>('/users', { config: { auth: 'authKeyOrToken' }, schema: { body: UserEnvelopeSchema } }, async (request, reply) => {
    const user = await deps.users.signup(actorOf(request).appId, request.body.user);
    return reply.code(201).send({ user: userWire(user) } satisfies UserResponseWire);
  });

  app.get<{ Querystring: Query }>('/users/v2', { config: { auth: 'app' } }, async (request): Promise<UsersV2PageWire> => {
    const { query, page } = await deps.users.listV2(await appOf(request), request.query);
    return { limit: query.limit, skip: query.offset, total_entries: page.total, items: page.users.map(userWire) };
  });

  const updateOwn = async (request: FastifyRequest<{ Body: UserEnvelope; Params: { id?: string } }>): Promise<UserResponseWire> => {
    const user = await deps.users.update(actorOf(request), pathUserId(request.params.id), request.body.user);
    return { user: userWire(user) };
  };
  app.put('/users/:id', { config: { auth: 'user' }, schema: { body: UserEnvelopeSchema } }, updateOwn);
  app.put('/users', { config: { auth: 'user' }, schema: { body: UserEnvelopeSchema } }, updateOwn);

  const deleteOwn = async (request: FastifyRequest<{ Params: { id?: string } }>, reply: { code(n: number): { send(): unknown } }) => {
    await deps.users.delete(actorOf(request), pathUserId(request.params.id));
    return reply.code(200).send();
  };
  app.delete('/users/:id', { config: { auth: 'user' } }, deleteOwn);
  app.delete('/users', { config: { auth: 'user' } }, deleteOwn);

  const resetPassword = async (request: FastifyRequest, email: unknown, reply: { code(n: number): { send(): unknown } }) => {
    const base = deps.publicUrl || `${request.protocol}://${request.host}`;
    const { known, mailed } = await deps.passwordReset.request(actorOf(request).appId, email, base);
    request.log.info({ knownEmail: known, mailed }, 'password reset requested');
    return reply.code(200).send();
  };
  app.post<{ Body: { email: string } }>('/users/password/reset', { config: { auth: 'app' }, schema: { body: ResetPasswordSchema } }, (request, reply) =>
    resetPassword(request, request.body.email, reply),
  );
  app.get<{ Querystring: Query }>('/users/password/reset', { config: { auth: 'app' } }, (request, reply) =>
    resetPassword(request, request.query.email, reply),
  );

  app.get<{ Querystring: Query }>('/users/online', { config: { auth: 'user' } }, async (request): Promise<OnlineUsersWire | OnlineCountWire> => {
    const { appId } = actorOf(request);
    if (toFlag(request.query.count)) return { count: await deps.presence.onlineCount(appId) };
    const limit = Math.min(Math.max(toInteger(request.query.limit) ?? 100, 1), 100);
    const offset = Math.max(toInteger(request.query.offset) ?? 0, 0);
    const ids = await deps.presence.onlineUserIds(appId, limit, offset);
    const users = await Promise.all(ids.map((id) => deps.users.get(appId, id).catch(() => undefined)));
    return { users: users.filter((user) => user !== undefined).map(userWire) };
  });

  // Deprecated V1 lookups (rest.md §3.8).
  app.get<{ Querystring: Query }>('/users', { config: { auth: 'app' } }, async (request) => {
    const { page, result } = await deps.users.listV1(await appOf(request), request.query);
    return v1PageEnvelope(page, result);
  });
  const lookups: [string, V1LookupKind][] = [
    ['/users/by_login', 'login'],
    ['/users/by_email', 'email'],
    ['/users/by_facebook_id', 'facebook_id'],
    ['/users/by_twitter_id', 'twitter_id'],
    ['/users/phone', 'phone'],
    ['/users/by_phone', 'phone'],
  ];
  for (const [path, kind] of lookups) {
    app.get<{ Querystring: Query }>(path, { config: { auth: 'app' } }, async (request): Promise<UserResponseWire> => ({
      user: userWire(await deps.users.lookupV1(await appOf(request), kind, request.query[kind])),
    }));
  }
  app.get<{ Params: { value: string } }>('/users/external/:value', { config: { auth: 'app' } }, async (request): Promise<UserResponseWire> => ({
    user: userWire(await deps.users.lookupV1(await appOf(request), 'external', request.params.value)),
  }));
  app.get<{ Querystring: Query }>('/users/by_full_name', { config: { auth: 'app' } }, async (request) => {
    const { page, result } = await deps.users.searchV1(await appOf(request), 'full_name', request.query);
    return v1PageEnvelope(page, result);
  });
  app.get<{ Querystring: Query }>('/users/by_tags', { config: { auth: 'app' } }, async (request) => {
    const { page, result } = await deps.users.searchV1(await appOf(request), 'tags', request.query);
    return v1PageEnvelope(page, result);
  });
  app.get<{ Params: { id: string } }>('/users/:id', { config: { auth: 'app' } }, async (request): Promise<UserResponseWire> => {
    const id = pathUserId(request.params.id) ?? 0;
    return { user: userWire(await deps.users.getV1(await appOf(request), id)) };
  });
}
