import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { ConnectionInfo } from '../ports/connections.js';
import { LiveStats } from './live-stats.js';
import { createHttpMetrics } from './metrics.js';

/** The live figures are rates over the last minute, read from the same counters /metrics exports. */
describe('LiveStats', () => {
  it('counts messages and 5xx responses of the last minute, and distinct users online', async () => {
    const registry = new Registry();
    const requests = new Counter({ name: 'parley_http_requests_total', help: 'x', labelNames: ['method', 'route', 'status'], registers: [registry] });
    const messages = new Counter({ name: 'parley_messages_stored_total', help: 'x', registers: [registry] });
    let now = 1_000_000;
    const connection = (userId: number, detached = false) => ({ id: String(userId), appId: 1, userId, resource: 'r', transport: 'websocket', secure: false, remoteAddress: '127.0.0.1', available: true, detached }) as ConnectionInfo;
    const live = [connection(1), connection(1), connection(2), connection(3, true)];
    const stats = new LiveStats(registry, () => live, () => now);
    const last = async () => (await stats.history()).points.at(-1);

    messages.inc(3);
    requests.inc({ method: 'GET', route: '/a', status: '200' }, 8);
    requests.inc({ method: 'GET', route: '/a', status: '500' }, 2);
    expect(await last()).toMatchObject({ usersOnline: 2, connections: 4, messagesPerMinute: 3, requestsPerMinute: 10, serverErrorsPerMinute: 2, errorRate: 0.2 });

    now += 30_000;
    messages.inc(1);
    expect((await last())?.messagesPerMinute).toBe(4);
    // A minute after the first reading, only what came since it counts.
    now += 31_000;
    messages.inc(2);
    expect(await last()).toMatchObject({ messagesPerMinute: 3, requestsPerMinute: 0, serverErrorsPerMinute: 0, errorRate: 0 });
  });

  it('reads active calls and conference rooms from the parley_calls_active and parley_conference_rooms_active gauges', async () => {
    const metrics = createHttpMetrics('test-node');
    let calls = 2;
    let rooms = 3;
    metrics.activityFrom({ calls: () => calls, conferences: () => rooms });
    const stats = new LiveStats(metrics.registry, () => [], () => 1_000_000);
    expect((await stats.history()).points.at(-1)).toMatchObject({ activeCalls: 2, activeConferences: 3 });
    calls = 0;
    rooms = 1;
    expect((await stats.history()).points.at(-1)).toMatchObject({ activeCalls: 0, activeConferences: 1 });
    expect(await metrics.registry.metrics()).toContain('parley_conference_rooms_active{node="test-node"} 1');
  });
});
