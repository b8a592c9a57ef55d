import type { AdminRoutes } from '../admin/registry.js';
import type { HttpDependencies } from '../services.js';

const pointSchema = {
  type: 'object',
  properties: {
    at: { type: 'string', description: 'ISO time of the sample' },
    users_online: { type: 'integer' },
    connections: { type: 'integer' },
    messages_per_minute: { type: 'integer' },
    requests_per_minute: { type: 'integer' },
    server_errors_per_minute: { type: 'integer' },
    error_rate: { type: 'number', description: 'share of 5xx responses in the minute, 0–1' },
    active_calls: { type: 'integer', description: 'P2P calls answered, not hung up and with every party still connected (from the signalling this node routed)' },
    active_conferences: { type: 'integer', description: 'conference rooms open on the SFU' },
  },
} as const;

/** `GET /admin/live`: the dashboard's live overview, sampled from this node's metrics. */
export function adminLiveRoutes(routes: AdminRoutes, deps: Pick<HttpDependencies, 'liveStats'>): void {
  routes.add(
    {
      method: 'GET',
      url: '/admin/live',
      tag: 'server',
      summary: 'Recent samples (oldest first, the last taken now) of users online, messages per minute, requests, error rate, active calls and conferences',
      response: { type: 'object', properties: { interval_seconds: { type: 'integer' }, points: { type: 'array', items: pointSchema } } },
    },
    async () => {
      const { intervalSeconds, points } = await deps.liveStats.history();
      return {
        interval_seconds: intervalSeconds,
        points: points.map((point) => ({
          at: new Date(point.at).toISOString(),
          users_online: point.usersOnline,
          connections: point.connections,
          messages_per_minute: point.messagesPerMinute,
          requests_per_minute: point.requestsPerMinute,
          server_errors_per_minute: point.serverErrorsPerMinute,
          error_rate: point.errorRate,
          active_calls: point.activeCalls,
          active_conferences: point.activeConferences,
        })),
      };
    },
  );
}
