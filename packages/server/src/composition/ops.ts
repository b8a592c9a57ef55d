import type { Config } from '../config/index.js';
import type { Clock } from '../domain/shared/actor.js';
import { checkHealth } from '../ops/health.js';
import { LiveStats } from '../ops/live-stats.js';
import type { Logger } from '../ops/logging.js';
import type { ServerMetrics } from '../ops/metrics.js';
import { listenMetrics } from '../ops/metrics-server.js';
import type { ListenerInfo, ServerStatus } from '../ops/status.js';
import { parleyVersion } from '../ops/version.js';
import type { ConnectionDirectory } from '../ports/connections.js';
import type { Store } from '../ports/store.js';
import type { XmppFace } from '../xmpp/face.js';
import type { Conferencing } from './conferencing.js';
import type { Services } from './services.js';

/** How often expired sessions and guests are removed. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;
/** How often due meeting reminders are looked for. */
const REMINDER_INTERVAL_MS = 30 * 1000;

/** What operators see of a running server: its connections, status, live figures and metrics listener. */
export interface Ops {
  readonly connections: ConnectionDirectory;
  readonly status: () => Promise<ServerStatus>;
  readonly liveStats: LiveStats;
  /** Where the server listens; filled in by `listen()`. */
  listeners: ListenerInfo[];
  /** The separate /metrics port (override, else PARLEY_METRICS_PORT), or undefined = on the HTTP port. */
  readonly metricsPort: number | undefined;
  /** Connections are the XMPP face's, which is built after the HTTP face (it attaches to its server). */
  attachXmpp(xmpp: XmppFace): void;
}

export function createOps(config: Config, store: Store, metrics: ServerMetrics, clock: Clock, metricsPortOverride: number | undefined): Ops {
  const metricsPort = metricsPortOverride ?? (config.metricsPort === 0 ? undefined : config.metricsPort);
  // The HTTP face is built before the XMPP face (which attaches to its server): reach it lazily.
  let xmppFace: XmppFace | undefined;
  const connections: ConnectionDirectory = {
    list: (filter) => xmppFace?.connections.list(filter) ?? [],
    kick: (filter, reason) => xmppFace?.connections.kick(filter, reason) ?? 0,
  };
  const ops: Ops = {
    attachXmpp: (xmpp) => {
      xmppFace = xmpp;
    },
    connections,
    listeners: [],
    metricsPort,
    liveStats: new LiveStats(metrics.registry, () => connections.list(), clock),
    status: async (): Promise<ServerStatus> => {
      const health = await checkHealth(store);
      const live = connections.list();
      const websocket = live.filter((connection) => connection.transport === 'websocket').length;
      return {
        version: parleyVersion,
        uptimeSeconds: health.uptimeSeconds,
        listeners: ops.listeners,
        connections: { total: live.length, websocket, tcp: live.length - websocket },
        database: health.store,
      };
    },
  };
  return ops;
}

/** Connections by transport, and the calls and conferences with someone on this node, for /metrics. */
export function countActivity(metrics: ServerMetrics, connections: ConnectionDirectory, services: Services, conference: Conferencing | undefined): void {
  metrics.connectionsBy(() => {
    const live = connections.list();
    const websocket = live.filter((connection) => connection.transport === 'websocket').length;
    return { websocket, tcp: live.length - websocket };
  });
  metrics.activityFrom({
    calls: () => {
      const here = new Set(connections.list().map((connection) => `${connection.appId}:${connection.userId}`));
      return services.calls.active.count((appId, userId) => here.has(`${appId}:${userId}`));
    },
    conferences: () => conference?.service.activeRooms().length ?? 0,
  });
}

/** The periodic sweeps (expired sessions, partial uploads, caches …) and meeting reminders; returns their stop. */
export function startHousekeeping(services: Services, store: Store, logger: Logger): () => void {
  const sweepPartialUploads = () =>
    services.blobs.sweepPartialUploads().catch((error: unknown) => logger.warn({ err: error }, 'partial upload sweep failed'));
  void sweepPartialUploads();
  const sweeper = setInterval(() => {
    void sweepPartialUploads();
    services.sessions.sweepExpired().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed'));
    store.optimize().catch((error: unknown) => logger.warn({ err: error }, 'planner statistics refresh failed'));
    services.offline.purge().catch((error: unknown) => logger.warn({ err: error }, 'offline queue sweep failed'));
    services.operators.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'operator session sweep failed'));
    services.ai.purgeCache().catch((error: unknown) => logger.warn({ err: error }, 'AI summary cache sweep failed'));
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  const reminders = setInterval(() => void services.meetingMail.sendDueReminders().catch((error: unknown) => logger.warn({ err: error }, 'meeting reminders failed')), REMINDER_INTERVAL_MS);
  reminders.unref();
  return () => {
    clearInterval(sweeper);
    clearInterval(reminders);
  };
}

/** Opens the separate /metrics listener when one is configured. */
export function listenMetricsIfSeparate(config: Config, metrics: ServerMetrics, metricsPort: number | undefined): Promise<Awaited<ReturnType<typeof listenMetrics>> | undefined> {
  if (metricsPort === undefined) return Promise.resolve(undefined);
  return listenMetrics(metrics, config.metricsHost, metricsPort, config.metricsToken);
}
