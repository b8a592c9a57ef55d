import type { FastifyInstance } from 'fastify';

/**
 * `close()` ends idle keep-alive connections once, when it starts. A response still streaming then (a
 * file download whose client already has every byte) leaves its connection idle a moment later, and
 * the close would wait for the keep-alive timeout (72 s). So while closing, each finished response
 * ends the connections that became idle.
 */
export function registerCloseIdleConnections(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onResponse', async () => {
    // After this tick Node has detached the finished response from its socket.
    if (closing) setImmediate(() => app.server.closeIdleConnections());
  });
}
