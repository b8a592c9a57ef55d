import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AiSettingsView } from '../../domain/ai/settings.js';
import { DomainFailure } from '../../domain/shared/failure.js';
import type { HttpDependencies } from '../services.js';
import { hasAdminToken } from './admin-data.js';

type AppParams = { Params: { appId: string }; Body: unknown };

export function aiSettingsWire(view: AiSettingsView) {
  return {
    source: view.source,
    provider: view.provider,
    model: view.model,
    base_url: view.baseUrl,
    api_key: view.apiKeyHint,
    api_key_encrypted: view.apiKeyEncrypted,
    user_requests_per_minute: view.userRequestsPerMinute,
    app_requests_per_day: view.appRequestsPerDay,
  };
}

function appIdOf(request: FastifyRequest<{ Params: { appId: string } }>): number {
  const appId = Number(request.params.appId);
  if (!/^\d+$/.test(request.params.appId) || !Number.isSafeInteger(appId)) throw new DomainFailure('NOT_FOUND', { message: 'Application not found' });
  return appId;
}

/**
 * Admin API for an app's AI provider: `GET|PUT|DELETE /admin/apps/{appId}/ai`. Like every admin route
 * it exists only with PARLEY_ADMIN_TOKEN and needs it as a bearer token. Keys go in, never out: the
 * answer shows only their last characters.
 */
export function adminAiRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  const { adminToken } = deps;
  if (adminToken === '') return;
  const config = { auth: 'none' as const };
  const guard = async (request: FastifyRequest) => {
    if (!hasAdminToken(request, adminToken)) throw new DomainFailure('ADMIN_UNAUTHORIZED');
  };

  app.get<AppParams>('/admin/apps/:appId/ai', { config, onRequest: guard }, async (request) => aiSettingsWire(await deps.aiSettings.show(appIdOf(request))));

  app.put<AppParams>('/admin/apps/:appId/ai', { config, onRequest: guard }, async (request) => aiSettingsWire(await deps.aiSettings.set(appIdOf(request), request.body)));

  app.delete<AppParams>('/admin/apps/:appId/ai', { config, onRequest: guard }, async (request) => {
    const appId = appIdOf(request);
    await deps.aiSettings.clear(appId);
    return aiSettingsWire(await deps.aiSettings.show(appId));
  });
}
