import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from './logging.js';
import type { XmppObserver } from './xmpp-metrics.js';

/** Prometheus metrics of one server instance (its own registry, so several servers can share a process). */
export interface HttpMetrics {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
  /** An XMPP connection was refused: its address already held the most connections allowed before login. */
  xmppPreAuthRefused(): void;
}

/** Every metric of the server: HTTP, XMPP and the domain counters the composition root feeds. */
export interface ServerMetrics extends HttpMetrics {
  /** XMPP connections, stanzas, stream errors, resumptions; also writes the operator log lines. */
  xmpp(logger: Logger): XmppObserver;
  /** A password login was tried (counted before the check, blocked ones as `throttled`), or succeeded (`ok`). */
  login(outcome: 'attempt' | 'ok' | 'throttled'): void;
  messageStored(seconds: number): void;
  offline(event: 'queued' | 'delivered' | 'expired', count: number): void;
  /** Live connections by transport, read at scrape time. */
  connectionsBy(count: () => { websocket: number; tcp: number }): void;
  /** P2P calls answered and not hung up, and conference rooms open on the SFU, read at scrape time. */
  activityFrom(read: { calls: () => number; conferences: () => number }): void;
}

/**
 * `nodeId` (PARLEY_NODE_ID) becomes a `node` label on every series, so one Prometheus scraping every
 * node of a cluster can tell them apart (and sum across them).
 */
export function createHttpMetrics(nodeId: string): ServerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ node: nodeId });
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'parley_http_requests_total', help: 'HTTP requests by method, route pattern and status', labelNames, registers });
  const latency = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers,
  });
  const preAuthRefused = new Counter({
    name: 'parley_xmpp_preauth_refused_total',
    help: 'XMPP connections refused because their client address already held PARLEY_XMPP_MAX_PRE_AUTH_PER_ADDRESS connections that had not logged in',
    registers: [registry],
  });
  const stanzas = new Counter({ name: 'parley_xmpp_stanzas_total', help: 'XMPP top-level elements by direction (in/out) and kind (message, presence, iq, sm …)', labelNames: ['direction', 'kind'], registers });
  const streamErrors = new Counter({ name: 'parley_xmpp_stream_errors_total', help: 'XMPP stream errors sent, by condition', labelNames: ['condition'], registers });
  const resumptions = new Counter({ name: 'parley_xmpp_sm_resumed_total', help: 'XEP-0198 sessions resumed', registers });
  const opened = new Counter({ name: 'parley_xmpp_connections_opened_total', help: 'XMPP connections opened, by transport', labelNames: ['transport'], registers });
  const authFailures = new Counter({ name: 'parley_xmpp_auth_failures_total', help: 'Refused XMPP SASL attempts, by condition', labelNames: ['condition'], registers });
  const logins = new Counter({ name: 'parley_logins_total', help: 'Password logins (REST sessions and XMPP): attempt (counted before the check), ok, throttled; failed = attempt - ok', labelNames: ['outcome'], registers });
  const messages = new Counter({ name: 'parley_messages_stored_total', help: 'Chat messages stored (REST and XMPP; a resent id counts once)', registers });
  const messageWrite = new Histogram({
    name: 'parley_db_message_write_seconds',
    help: 'Time to store one chat message (database write, committed)',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers,
  });
  const offline = new Counter({ name: 'parley_offline_stanzas_total', help: 'Offline queue: stanzas queued for offline users, delivered from the queue, and expired (queued - delivered - expired = growth since start)', labelNames: ['event'], registers });
  let connectionCount: () => { websocket: number; tcp: number } = () => ({ websocket: 0, tcp: 0 });
  new Gauge({
    name: 'parley_xmpp_connections',
    help: 'Live XMPP connections (bound sessions) by transport',
    labelNames: ['transport'],
    registers,
    collect() {
      const counts = connectionCount();
      this.set({ transport: 'websocket' }, counts.websocket);
      this.set({ transport: 'tcp' }, counts.tcp);
    },
  });

  let activity = { calls: () => 0, conferences: () => 0 };
  new Gauge({
    name: 'parley_calls_active',
    help: 'P2P calls in progress (answered, not hung up, every party still connected), counted from the call signalling this node routed',
    registers,
    collect() {
      this.set(activity.calls());
    },
  });
  new Gauge({
    name: 'parley_conference_rooms_active',
    help: 'Conference rooms (meetings) open on the SFU through this node',
    registers,
    collect() {
      this.set(activity.conferences());
    },
  });

  return {
    registry,
    xmppPreAuthRefused: () => preAuthRefused.inc(),
    observe(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
    login: (outcome) => logins.inc({ outcome }),
    messageStored(seconds) {
      messages.inc();
      messageWrite.observe(seconds);
    },
    offline: (event, count) => offline.inc({ event }, count),
    connectionsBy(count) {
      connectionCount = count;
    },
    activityFrom(read) {
      activity = read;
    },
    xmpp(logger) {
      const log = logger.child({ face: 'xmpp' });
      return {
        stanzaIn: (kind) => stanzas.inc({ direction: 'in', kind }),
        stanzaOut: (kind) => stanzas.inc({ direction: 'out', kind }),
        streamError(streamId, condition, text) {
          streamErrors.inc({ condition });
          log.info({ stream: streamId, condition, text }, 'stream error');
        },
        resumed: () => resumptions.inc(),
        opened(streamId, transport, remoteAddress) {
          opened.inc({ transport });
          log.info({ stream: streamId, transport, remoteAddress }, 'connection open');
        },
        closed(streamId, transport, who) {
          log.info({ stream: streamId, transport, ...who }, 'connection closed');
        },
        authFailed(streamId, mechanism, reason) {
          authFailures.inc({ condition: reason });
          log.warn({ stream: streamId, mechanism, reason }, 'auth failed');
        },
      };
    },
  };
}
