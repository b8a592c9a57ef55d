/**
 * The composition root: builds the whole server from the config. What it wires lives in composition/
 * (store, cluster, services, push, conferencing, TURN, ops, the HTTP and XMPP faces); this file only
 * orders start and stop.
 */
import type { FastifyInstance } from 'fastify';
import { startConferencing, type Conferencing } from './composition/conferencing.js';
import { openBus, openPresence, resolveNodeId } from './composition/cluster.js';
import { buildHttpFace } from './composition/http.js';
import { countActivity, createOps, listenMetricsIfSeparate, startHousekeeping } from './composition/ops.js';
import { createPushDelivery } from './composition/push.js';
import { createServices, type ServiceExtras, type Services } from './composition/services.js';
import { openMigratedStore } from './composition/store.js';
import { buildXmppFace } from './composition/xmpp.js';
import type { Config } from './config/index.js';
import type { PushDelivery } from './domain/push/delivery.js';
import type { Clock } from './domain/shared/actor.js';
import { createLogger, type Logger } from './ops/logging.js';
import { createHttpMetrics } from './ops/metrics.js';
import { instrumentStore } from './ops/instrument.js';
import type { Bus } from './ports/bus.js';
import type { ClusterPresence } from './ports/presence.js';
import type { Store } from './ports/store.js';
import type { XmppFace } from './xmpp/face.js';

export type { Config } from './config/index.js';
export type { CallPushNotifier, IncomingCallNotice } from './ports/call-push.js';
export { loadConfig, ConfigError } from './config/index.js';
export { openStore, openBlobStorage } from './composition/store.js';
export { openBus, resolveNodeId } from './composition/cluster.js';
export { createServices, type ServiceExtras, type Services } from './composition/services.js';
export { LiveEventsRelay } from './composition/live-relay.js';
export { createPushDelivery } from './composition/push.js';
export type { Conferencing } from './composition/conferencing.js';
export { configuredTurn, splitUrls, startTurnRelay, type TurnRelay } from './composition/turn.js';

export interface ParleyServer {
  readonly config: Config;
  /** PARLEY_NODE_ID, or the unique id made up for this process. */
  readonly nodeId: string;
  readonly store: Store;
  /** The cluster bus (PARLEY_BUS_URL; in-process when unset): cross-node routing, presence leases, room occupants. */
  readonly bus: Bus;
  readonly services: Services;
  readonly http: FastifyInstance;
  readonly logger: Logger;
  /** The XMPP face (WebSocket at /ws on the HTTP port, optional TCP listener). */
  readonly xmpp: XmppFace;
  /** The push delivery worker (already running). */
  readonly pushDelivery: PushDelivery;
  /** Video conferencing (the Janus gateway at `/conference`), when PARLEY_CONFERENCE is not off. */
  readonly conference: Conferencing | undefined;
  /** Binds the configured host/port (0 = a free port) and returns the base URL (and the XMPP TCP port, if any). */
  listen(): Promise<{ url: string; port: number; xmppPort?: number; metricsUrl?: string }>;
  close(): Promise<void>;
  /**
   * Stops like a process killed mid-flight (tests of node death): connections dropped without a
   * goodbye and, in a cluster, nothing handed over: this node's leases stay until they lapse.
   */
  crash(): Promise<void>;
}

export interface ServerOverrides extends Pick<ServiceExtras, 'callPush' | 'turn'> {
  logger?: Logger;
  clock?: Clock;
  /** XMPP TCP port instead of `config.xmppPort`; 0 = any free port (tests read it from `listen()`). */
  xmppTcpPort?: number;
  /** Serve /metrics on its own listener at this port (0 = any free port) instead of `config.metricsPort` (tests). */
  metricsPort?: number;
  /** XMPP keep-alive period and idle timeout in ms instead of the (whole-second) config (tests). */
  xmppTimers?: { keepAliveMs: number; idleTimeoutMs: number };
  /** Prefix of the bus's channels and keys (tests sharing one broker keep apart); default `parley`. */
  busNamespace?: string;
}

/** Builds the whole server (store migrated, HTTP ready) without binding a port. */
export async function createServer(config: Config, overrides: ServerOverrides = {}): Promise<ParleyServer> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? Date.now;
  const store = await openMigratedStore(config, logger);
  const nodeId = resolveNodeId(config);
  let bus: Bus;
  try {
    bus = await openBus(config, nodeId, logger, overrides.busNamespace);
  } catch (error) {
    await store.close();
    throw error;
  }
  const metrics = createHttpMetrics(nodeId);
  instrumentStore(store, metrics);
  let presence: ClusterPresence;
  try {
    presence = await openPresence(config, bus, logger);
  } catch (error) {
    await bus.close();
    await store.close();
    throw error;
  }
  const services = createServices(config, store, overrides.clock, { logger, callPush: overrides.callPush, turn: overrides.turn, metrics, presence });
  const pushDelivery = createPushDelivery(config, store, clock, logger);
  services.push.outbox.onQueued(() => pushDelivery.wake());
  pushDelivery.start();
  if (!services.mailer.enabled) logger.info('mail off: PARLEY_SMTP_URL is not set (no meeting mails, no password reset mails)');
  const ops = createOps(config, store, metrics, clock, overrides.metricsPort);
  let metricsListener: Awaited<ReturnType<typeof listenMetricsIfSeparate>>;
  const http = await buildHttpFace(config, services, { store, nodeId, bus, metrics, ops }, logger);
  const xmpp = buildXmppFace(config, services, { bus, metrics, clock, xmppTimers: overrides.xmppTimers }, logger);
  ops.attachXmpp(xmpp);
  await xmpp.joinCluster();
  xmpp.attachWebSocket(http.server);
  services.live.attach(xmpp.live);
  services.revocations.attach(xmpp.revoker);
  let conference: Conferencing | undefined;
  try {
    conference = await startConferencing(config, services, store, http, logger, clock);
  } catch (error) {
    await xmpp.close();
    await http.close();
    await store.close();
    throw error;
  }
  countActivity(metrics, ops.connections, services, conference);
  const stopHousekeeping = startHousekeeping(services, store, logger);
  ops.liveStats.start();

  return {
    config,
    nodeId,
    store,
    bus,
    services,
    http,
    logger,
    xmpp,
    pushDelivery,
    conference,
    async listen() {
      await http.listen({ host: config.host, port: config.port });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      services.blobLinks.addListenUrl(`http://${host}:${port}`);
      const tcpPort = overrides.xmppTcpPort ?? (config.xmppPort === 0 ? undefined : config.xmppPort);
      const url = `http://${host}:${port}`;
      ops.listeners = [
        { name: 'http', url },
        { name: 'websocket', url: `ws://${host}:${port}/ws` },
      ];
      metricsListener = await listenMetricsIfSeparate(config, metrics, ops.metricsPort);
      if (metricsListener) ops.listeners.push({ name: 'metrics', url: metricsListener.url });
      const metricsUrl = metricsListener ? { metricsUrl: metricsListener.url } : {};
      if (tcpPort === undefined) return { url, port, ...metricsUrl };
      const xmppPort = await xmpp.listenTcp(config.host, tcpPort);
      ops.listeners.push({ name: 'xmpp-tcp', url: `xmpp://${host}:${xmppPort}`, tls: config.xmppTlsCert !== '' && config.xmppTlsKey !== '' });
      return { url, port, xmppPort, ...metricsUrl };
    },
    async crash() {
      // Nothing handed over: this node's leases stay until they lapse, as when the process dies.
      await services.presence.stop(false);
      await xmpp.abandon();
      await shutdown();
    },
    close: shutdown,
  };

  async function shutdown(): Promise<void> {
    stopHousekeeping();
    services.mailer.close();
    ops.liveStats.stop();
    services.live.attach(undefined);
    services.revocations.attach(undefined);
    await conference?.close();
    await xmpp.close();
    await services.presence.stop(true);
    await http.close();
    await services.push.settled();
    services.push.outbox.onQueued(undefined);
    await pushDelivery.close();
    await bus.close();
    if (metricsListener) await new Promise((resolve) => metricsListener?.server.close(resolve));
    await store.close();
  }
}
