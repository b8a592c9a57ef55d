import type { FastifyInstance } from 'fastify';
import { checkHealth } from '../../ops/health.js';
import type { HttpDependencies } from '../services.js';

export function healthRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  app.get('/health', { config: { auth: 'none' } }, async (_request, reply) => {
    const report = await checkHealth(deps.store, deps.health);
    return reply.code(report.status === 'ok' ? 200 : 503).send(report);
  });
  app.get('/metrics', { config: { auth: 'none' } }, async (_request, reply) => {
    return reply.header('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
