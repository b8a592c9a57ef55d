import type { FastifyInstance } from 'fastify';
import { errorBody } from '@parley/protocol';
import { checkHealth } from '../../ops/health.js';
import { metricsAuthorized } from '../../ops/metrics-server.js';
import type { HttpDependencies } from '../services.js';

export function healthRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  app.get('/health', { config: { auth: 'none' } }, async (_request, reply) => {
    const report = await checkHealth(deps.store);
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
  // Metrics on a separate listener (PARLEY_METRICS_PORT) are not served here at all.
  if (deps.metricsAccess.separateListener) return;
  app.get('/metrics', { config: { auth: 'none', noCors: true } }, async (request, reply) => {
    if (!metricsAuthorized(request.headers.authorization, deps.metricsAccess.token)) {
      return reply.code(401).header('WWW-Authenticate', 'Bearer').send(errorBody('ADMIN_UNAUTHORIZED', 'Metrics token is missing or wrong'));
    }
    return reply.header('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
