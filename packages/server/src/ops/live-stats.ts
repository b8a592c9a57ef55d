import type { Registry } from 'prom-client';
import type { ConnectionInfo } from '../ports/connections.js';

/** One point of the dashboard's live overview; rates are over the minute before `at`. */
export interface LivePoint {
  at: number;
  usersOnline: number;
  connections: number;
  messagesPerMinute: number;
  requestsPerMinute: number;
  /** HTTP responses with a 5xx status in the minute. */
  serverErrorsPerMinute: number;
  /** Share of the minute's HTTP responses that were 5xx (0–1). */
  errorRate: number;
  /** P2P calls in progress and conference rooms open (gauges of the registry). */
  activeCalls: number;
  activeConferences: number;
}

interface Totals {
  at: number;
  messages: number;
  requests: number;
  serverErrors: number;
}

const MINUTE_MS = 60_000;

/**
 * Samples the server's own metrics (messages stored, HTTP responses, live connections, calls and
 * conference rooms in progress) every
 * `intervalMs` and keeps the last `keep` points, so the dashboard's charts start with some history.
 */
export class LiveStats {
  private readonly totals: Totals[] = [];
  private readonly points: LivePoint[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly connections: () => ConnectionInfo[],
    private readonly clock: () => number,
    readonly intervalMs = 5000,
    private readonly keep = 120,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The kept points plus one taken now. */
  async history(): Promise<{ intervalSeconds: number; points: LivePoint[] }> {
    const now = await this.point();
    return { intervalSeconds: this.intervalMs / 1000, points: [...this.points, now] };
  }

  private async sample(): Promise<void> {
    const point = await this.point();
    this.points.push(point);
    if (this.points.length > this.keep) this.points.shift();
  }

  private async point(): Promise<LivePoint> {
    const current = { at: this.clock(), ...(await this.totalsNow()) };
    this.totals.push(current);
    // Keep just enough history to reach a minute back.
    while (this.totals.length > 2 && (this.totals[1]?.at ?? Infinity) <= current.at - MINUTE_MS) this.totals.shift();
    const base = this.totals[0] && this.totals[0].at <= current.at - MINUTE_MS ? this.totals[0] : { at: current.at, messages: 0, requests: 0, serverErrors: 0 };
    const live = this.connections();
    const [activeCalls, activeConferences] = await Promise.all([this.sum('parley_calls_active'), this.sum('parley_conference_rooms_active')]);
    const requests = current.requests - base.requests;
    const serverErrors = current.serverErrors - base.serverErrors;
    return {
      at: current.at,
      usersOnline: new Set(live.filter((connection) => !connection.detached).map((connection) => `${connection.appId}:${connection.userId}`)).size,
      connections: live.length,
      messagesPerMinute: current.messages - base.messages,
      requestsPerMinute: requests,
      serverErrorsPerMinute: serverErrors,
      errorRate: requests === 0 ? 0 : serverErrors / requests,
      activeCalls,
      activeConferences,
    };
  }

  /** A metric's values added up (0 when it is not registered). */
  private async sum(name: string): Promise<number> {
    const metric = this.registry.getSingleMetric(name);
    return metric ? (await metric.get()).values.reduce((total, value) => total + value.value, 0) : 0;
  }

  /** Running totals from the server's Prometheus registry (the same figures /metrics exports). */
  private async totalsNow(): Promise<{ messages: number; requests: number; serverErrors: number }> {
    let requests = 0;
    let serverErrors = 0;
    const http = this.registry.getSingleMetric('parley_http_requests_total');
    for (const value of http ? (await http.get()).values : []) {
      requests += value.value;
      if (String(value.labels.status ?? '').startsWith('5')) serverErrors += value.value;
    }
    const messages = await this.sum('parley_messages_stored_total');
    return { messages, requests, serverErrors };
  }
}
