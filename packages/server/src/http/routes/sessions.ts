import { CreateSessionSchema, LoginSchema, type CreateSessionBody, type LoginBody, type SessionResponseWire, type UserResponseWire } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { actorOf, sessionOf } from '../plugins/auth.js';
import { sessionWire, userWire } from '../presenters.js';
import type { HttpDependencies } from '../services.js';

/** Sessions and login (rest.md §2). */
export function sessionRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  app.post<{ Body: CreateSessionBody }>('/session', { config: { auth: 'none' }, schema: { body: CreateSessionSchema } }, async (request, reply) => {
    const issued = await deps.sessions.create(request.body, request.ip);
    return reply.code(201).send({ session: sessionWire(issued.session, issued.token, issued.user) } satisfies SessionResponseWire);
  });

  app.get('/session', { config: { auth: 'app' } }, async (request): Promise<SessionResponseWire> => {
    const { session } = sessionOf(request);
    const actor = actorOf(request);
    const user = actor.userId === null ? undefined : await deps.users.get(actor.appId, actor.userId);
    return { session: sessionWire({ ...session, userId: actor.userId }, String(request.headers['cb-token']), user) };
  });

  app.delete('/session', { config: { auth: 'app' } }, async (request, reply) => {
    await deps.sessions.destroy(sessionOf(request));
    return reply.code(200).send();
  });

  app.post<{ Body: LoginBody }>('/login', { config: { auth: 'app' }, schema: { body: LoginSchema } }, async (request): Promise<UserResponseWire> => {
    const user = await deps.sessions.login(sessionOf(request), request.body, request.ip);
    return { user: userWire(user) };
  });

  app.delete('/login', { config: { auth: 'user' } }, async (request, reply) => {
    await deps.sessions.logout(sessionOf(request));
    return reply.code(200).send();
  });
}
