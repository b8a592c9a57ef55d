import type { RejectCallBody } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { decodeRejectCall } from '../decoders/calls.js';
import { actorOf } from '../plugins/auth.js';
import type { HttpDependencies } from '../services.js';

/** P2P calls (rest.md §10): reject over HTTP and TURN credentials. Both need a user session. */
export function callRoutes(app: FastifyInstance, deps: Pick<HttpDependencies, 'calls' | 'turn'>): void {
  app.post<{ Body: RejectCallBody | undefined }>('/calls/reject', async (request) => {
    await deps.calls.rejectByHttp(actorOf(request), decodeRejectCall(request.body));
    return {};
  });

  app.get('/calls/turn_credentials', async (request, reply) => {
    void reply.header('Cache-Control', 'no-store');
    return deps.turn.issue(actorOf(request));
  });
}
