import type { IncomingMessage } from 'node:http';

/**
 * Client address of a WebSocket upgrade request. Behind a trusted proxy (`trustProxy`) it is the first
 * (client-most) X-Forwarded-For entry, as the REST face sees it (fastify `trustProxy: true`); otherwise —
 * or when the header is absent or empty — the socket's peer address. Login throttling keys on it.
 */
export function upgradeClientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const peer = request.socket.remoteAddress ?? '';
  if (!trustProxy) return peer;
  const header = request.headers['x-forwarded-for'];
  const first = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')[0]?.trim() ?? '';
  return first === '' ? peer : first;
}
