import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainFailure } from '../../domain/shared/failure.js';
import type { HttpDependencies } from '../services.js';
import { hasAdminToken } from './admin-data.js';

type AppParams = { Params: { appId: string }; Body: unknown };

function appIdOf(request: FastifyRequest<{ Params: { appId: string } }>): number {
  const appId = Number(request.params.appId);
  if (!/^\d+$/.test(request.params.appId) || !Number.isSafeInteger(appId)) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
  return appId;
}

/**
 * Admin API for an application's push settings: `/admin/apps/{appId}/push`. GET shows them with every
 * secret as a fingerprint; PUT changes the fields given (credentials, alert template, automatic pushes).
 * Only registered when an admin token is configured.
 */
export function adminPushRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  const { adminToken } = deps;
  if (adminToken === '') return;
  const config = { auth: 'none' as const };
  const guard = async (request: FastifyRequest) => {
    if (!hasAdminToken(request, adminToken)) throw new DomainFailure('ADMIN_UNAUTHORIZED');
  };
  app.get<AppParams>('/admin/apps/:appId/push', { config, onRequest: guard }, async (request) => deps.push.settings.view(appIdOf(request)));
  app.put<AppParams>('/admin/apps/:appId/push', { config, onRequest: guard }, async (request) => deps.push.settings.update(appIdOf(request), request.body));
}
