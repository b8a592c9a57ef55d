import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { HttpDependencies } from '../services.js';

/** Where `npm ci` / `npm start` leave the built dashboard (scripts/build-dashboard.mjs). */
export const DASHBOARD_DIST = fileURLToPath(new URL('../../../../dashboard/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

// The app loads only its own files and talks only to this origin; nobody may frame it.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

async function sendFile(reply: FastifyReply, file: string, cache: string): Promise<FastifyReply> {
  const body = await readFile(file);
  return reply
    .headers(SECURITY_HEADERS)
    .header('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream')
    .header('Cache-Control', cache)
    .send(body);
}

/**
 * The operator dashboard at /dashboard: the built single-page app. Hashed assets are cached for good;
 * any other path under /dashboard gets index.html so the app's own routes survive a reload.
 */
export function dashboardRoutes(app: FastifyInstance, deps: Pick<HttpDependencies, 'dashboard'>, distDir = DASHBOARD_DIST): void {
  if (!deps.dashboard) return;
  const config = { auth: 'none' as const };
  const index = path.join(distDir, 'index.html');
  const serveIndex = async (reply: FastifyReply) => {
    const exists = await stat(index).then((info) => info.isFile(), () => false);
    if (!exists) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The dashboard is not built: run `npm run build -w packages/dashboard` (npm ci and npm start do it).');
    }
    return sendFile(reply, index, 'no-cache');
  };

  app.get('/dashboard', { config }, async (_request, reply) => serveIndex(reply));
  app.get<{ Params: { '*': string } }>('/dashboard/*', { config }, async (request, reply) => {
    const wanted = request.params['*'];
    if (wanted.startsWith('assets/')) {
      const file = path.resolve(distDir, wanted);
      // Only files inside dist/assets, never a path that climbs out of it.
      if (!file.startsWith(path.join(distDir, 'assets') + path.sep) || !(await stat(file).then((info) => info.isFile(), () => false))) {
        return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      }
      return sendFile(reply, file, 'public, max-age=31536000, immutable');
    }
    return serveIndex(reply);
  });
}
