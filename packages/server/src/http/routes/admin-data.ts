import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';
import { safeEqual, sha256Hex } from '../../domain/shared/secrets.js';
import { dataClassWire } from '../data-presenters.js';
import type { HttpDependencies } from '../services.js';

type AppParams = { Params: { appId: string }; Body: unknown };
type ClassParams = { Params: { appId: string; name: string }; Body: unknown };

/**
 * Whether the request carries `Authorization: Bearer <adminToken>`. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function hasAdminToken(request: FastifyRequest, adminToken: string): boolean {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return safeEqual(sha256Hex(match?.[1] ?? ''), sha256Hex(adminToken)) && match !== null;
}

function appIdOf(request: FastifyRequest<{ Params: { appId: string } }>): number {
  const appId = Number(request.params.appId);
  if (!/^\d+$/.test(request.params.appId) || !Number.isSafeInteger(appId)) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
  return appId;
}

/**
 * Admin API for custom-object classes: `/admin/apps/{appId}/data/classes[/{name}]`. Only registered when
 * an admin token is configured (otherwise every /admin path is a plain 404); every call must carry it.
 */
export function adminDataRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  const { adminToken } = deps;
  if (adminToken === '') return;
  const config = { auth: 'none' as const };
  const guard = async (request: FastifyRequest) => {
    if (!hasAdminToken(request, adminToken)) throw new DomainFailure('ADMIN_UNAUTHORIZED');
  };
  const classes = deps.dataClasses;

  app.get<AppParams>('/admin/apps/:appId/data/classes', { config, onRequest: guard }, async (request) => (await classes.list(appIdOf(request))).map(dataClassWire));

  app.post<AppParams>('/admin/apps/:appId/data/classes', { config, onRequest: guard }, async (request, reply) => {
    const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    return reply.code(201).send(dataClassWire(await classes.define(appIdOf(request), body)));
  });

  app.get<ClassParams>('/admin/apps/:appId/data/classes/:name', { config, onRequest: guard }, async (request) => dataClassWire(await classes.get(appIdOf(request), request.params.name)));

  app.put<ClassParams>('/admin/apps/:appId/data/classes/:name', { config, onRequest: guard }, async (request) => {
    const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    return dataClassWire(await classes.redefine(appIdOf(request), request.params.name, body));
  });

  app.delete<ClassParams>('/admin/apps/:appId/data/classes/:name', { config, onRequest: guard }, async (request, reply) => {
    await classes.remove(appIdOf(request), request.params.name);
    return reply.code(200).send();
  });
}
