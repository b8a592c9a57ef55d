import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';
import { buildHttpServer } from '../http/server.js';
import type { Logger } from '../ops/logging.js';
import type { ServerMetrics } from '../ops/metrics.js';
import { parleyVersion } from '../ops/version.js';
import type { Bus } from '../ports/bus.js';
import type { Store } from '../ports/store.js';
import type { Ops } from './ops.js';
import type { Services } from './services.js';

/** The HTTP face (REST, admin API, dashboard, /metrics) over the services, not yet listening. */
export function buildHttpFace(config: Config, services: Services, parts: { store: Store; nodeId: string; bus: Bus; metrics: ServerMetrics; ops: Ops }, logger: Logger): Promise<FastifyInstance> {
  const { store, nodeId, bus, metrics, ops } = parts;
  return buildHttpServer(
    {
      ...services,
      store,
      health: { nodeId, bus, blobs: { kind: config.blobs, check: () => services.blobStorage.check() } },
      metrics,
      liveStats: ops.liveStats,
      chatDomain: config.chatDomain,
      adminToken: config.adminToken,
      dashboard: config.dashboard,
      publicUrl: config.publicUrl.replace(/\/+$/, ''),
      connections: ops.connections,
      status: ops.status,
      version: parleyVersion,
      metricsAccess: { token: config.metricsToken, separateListener: ops.metricsPort !== undefined },
    },
    { bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, logger },
  );
}
