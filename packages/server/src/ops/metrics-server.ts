import { createServer, type Server } from 'node:http';
import { safeEqual, sha256Hex } from '../domain/shared/secrets.js';
import type { HttpMetrics } from './metrics.js';

/** Whether an Authorization header carries the metrics token (always true when none is configured). */
export function metricsAuthorized(header: string | undefined, token: string): boolean {
  if (token === '') return true;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match !== null && safeEqual(sha256Hex(match[1] ?? ''), sha256Hex(token));
}

/**
 * `/metrics` on its own address (PARLEY_METRICS_HOST:PARLEY_METRICS_PORT), e.g. a private interface
 * only Prometheus reaches. Serves nothing else; no CORS headers.
 */
export async function listenMetrics(metrics: HttpMetrics, host: string, port: number, token: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    if (!metricsAuthorized(request.headers.authorization, token)) {
      response.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer' }).end('metrics token missing or wrong\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return { server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics` };
}
