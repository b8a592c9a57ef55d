import type { Registry } from 'prom-client';
import type { MessageRepository } from '../ports/chat-store.js';
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
}

interface Totals {
  at: number;
  messages: number;
  requests: number;
  serverErrors: number;
}

const MINUTE_MS = 60_000;

/** Counts each message the store really adds (REST and XMPP both go through `create`). */
export function countStoredMessages(messages: MessageRepository, onStored: () => void): void {
  const create = messages.create.bind(messages);
  messages.create = async (message) => {
    const result = await create(message);
    if (result.created) onStored();
    return result;
  };
}

/**
 * Samples the server's own metrics every `intervalMs` and keeps the last `keep` points, so the
 * dashboard's charts start with some history and then follow the live figure.
 */
export class LiveStats {
  private messages = 0;
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

  messageStored(): void {
    this.messages += 1;
  }

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
    const current = { at: this.clock(), messages: this.messages, ...(await this.httpTotals()) };
    this.totals.push(current);
    // Keep just enough history to reach a minute back.
    while (this.totals.length > 2 && (this.totals[1]?.at ?? Infinity) <= current.at - MINUTE_MS) this.totals.shift();
    const base = this.totals[0] && this.totals[0].at <= current.at - MINUTE_MS ? this.totals[0] : { at: current.at, messages: 0, requests: 0, serverErrors: 0 };
    const live = this.connections();
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
    };
  }

  private async httpTotals(): Promise<{ requests: number; serverErrors: number }> {
    const metric = this.registry.getSingleMetric('parley_http_requests_total');
    if (!metric) return { requests: 0, serverErrors: 0 };
    const { values } = await metric.get();
    let requests = 0;
    let serverErrors = 0;
    for (const value of values) {
      requests += value.value;
      if (String(value.labels.status ?? '').startsWith('5')) serverErrors += value.value;
    }
    return { requests, serverErrors };
  }
}
