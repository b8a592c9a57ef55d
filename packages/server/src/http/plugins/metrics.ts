import type { FastifyInstance } from 'fastify';
import type { HttpMetrics } from '../../ops/metrics.js';

/** Counts every response by route pattern (not raw URL, to keep label cardinality bounded). */
export function registerMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
}
