import type { AiSettingsView } from '../../domain/ai/settings.js';
import { appNotFound, idParam, type AdminRoutes } from '../admin/registry.js';
import { decodeAiSettings } from '../decoders/ai.js';
import type { HttpDependencies } from '../services.js';

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

const aiSettingsSchema = {
  type: 'object',
  properties: {
    source: { type: 'string' },
    provider: { type: 'string' },
    model: { type: 'string' },
    base_url: { type: 'string' },
    api_key: { type: 'string' },
    api_key_encrypted: { type: 'boolean' },
    user_requests_per_minute: { type: 'integer' },
    app_requests_per_day: { type: 'integer' },
  },
} as const;

/**
 * An app's AI provider: `GET|PUT|DELETE /admin/apps/{appId}/ai`. Keys go in, never out: the answer
 * shows only their last characters.
 */
export function adminAiRoutes(routes: AdminRoutes, deps: HttpDependencies): void {
  const appId = (params: Record<string, string>) => idParam(params.appId, appNotFound);
  const tag = 'ai';

  routes.add({ method: 'GET', url: '/admin/apps/:appId/ai', tag, summary: "Show the app's AI provider settings (keys masked)", response: aiSettingsSchema }, async (request) =>
    aiSettingsWire(await deps.aiSettings.show(appId(request.params))),
  );

  routes.add(
    { method: 'PUT', url: '/admin/apps/:appId/ai', tag, summary: "Set the app's AI provider", body: { type: 'object', properties: { provider: { type: 'string' }, model: { type: 'string' }, base_url: { type: 'string' }, api_key: { type: 'string' } } }, response: aiSettingsSchema },
    async (request) => aiSettingsWire(await deps.aiSettings.set(appId(request.params), decodeAiSettings(request.body))),
  );

  routes.add({ method: 'DELETE', url: '/admin/apps/:appId/ai', tag, summary: "Drop the app's AI settings (back to the server's)", response: aiSettingsSchema }, async (request) => {
    const id = appId(request.params);
    await deps.aiSettings.clear(id);
    return aiSettingsWire(await deps.aiSettings.show(id));
  });
}
