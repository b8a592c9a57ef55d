import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one server instance (its own registry, so several servers can share a process). */
export interface HttpMetrics {
  registry: Registry;
  observe(method: string, route: string, status: number, seconds: number): void;
  /** An XMPP connection was refused: its address already held the most connections allowed before login. */
  xmppPreAuthRefused(): void;
}

export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const preAuthRefused = new Counter({
    name: 'parley_xmpp_preauth_refused_total',
    help: 'XMPP connections refused because their client address already held PARLEY_XMPP_MAX_PRE_AUTH_PER_ADDRESS connections that had not logged in',
    registers: [registry],
  });
  return {
    registry,
    xmppPreAuthRefused: () => preAuthRefused.inc(),
    observe(method, route, status, seconds) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
  };
}
