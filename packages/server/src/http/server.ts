import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../ops/logging.js';
import { registerAuth } from './plugins/auth.js';
import { registerBodyParsers } from './plugins/body-parsers.js';
import { registerCloseIdleConnections } from './plugins/close-idle.js';
import { registerErrorHandling, frameworkErrorOptions } from './plugins/errors.js';
import { registerInputGuard } from './plugins/input-guard.js';
import { registerMetrics } from './plugins/metrics.js';
import { canonicalUrl, parseQuery } from './plugins/query.js';
import { addressBookRoutes } from './routes/addressbook.js';
import { aiRoutes } from './routes/ai.js';
import { adminRoutes } from './routes/admin.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { blobRoutes } from './routes/blobs.js';
import { callRoutes } from './routes/calls.js';
import { dataRoutes } from './routes/data.js';
import { dialogRoutes } from './routes/dialogs.js';
import { healthRoutes } from './routes/health.js';
import { meetingRoutes } from './routes/meetings.js';
import { messageRoutes } from './routes/messages.js';
import { pushRoutes } from './routes/push.js';
import { passwordResetRoutes } from './routes/password-reset.js';
import { sessionRoutes } from './routes/sessions.js';
import { userRoutes } from './routes/users.js';
import type { HttpDependencies } from './services.js';

export interface HttpOptions {
  bodyLimit: number;
  trustProxy: boolean;
  logger: Logger;
}

/** The REST face: transport conventions of rest.md §1, then one route module per area. */
export async function buildHttpServer(deps: HttpDependencies, options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy,
    // Fastify's two lines per request (incoming + completed) are replaced by one compact line (onResponse below).
    logController: new LogController({ disableRequestLogging: true }),
    rewriteUrl: (request) => canonicalUrl(request.url ?? '/', request.method),
    routerOptions: { querystringParser: parseQuery, ignoreTrailingSlash: true },
    requestIdHeader: false,
    // Report every invalid field at once (bodies are size-capped, so this stays cheap).
    ajv: { customOptions: { allErrors: true } },
    // A path that cannot be decoded and an oversized header block answer in the contract's error shape.
    ...frameworkErrorOptions(),
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
    // Metrics are for Prometheus, not for web pages: no CORS headers (pre-flights included).
    if (request.routeOptions.config.noCors || request.url.split('?')[0] === '/metrics') {
      for (const name of Object.keys(reply.getHeaders())) if (name.startsWith('access-control-')) reply.removeHeader(name);
    }
  });
  // One line per request at info (operators' access log); the query string is left out (tokens travel there).
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, url: request.originalUrl.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposedHeaders: ['CB-Token-ExpirationDate', 'Date'],
    optionsSuccessStatus: 204,
    strictPreflight: false,
    maxAge: 86400,
  });
  registerBodyParsers(app);
  registerErrorHandling(app);
  registerInputGuard(app);
  registerCloseIdleConnections(app);
  registerMetrics(app, deps.metrics);
  registerAuth(app, deps);
  healthRoutes(app, deps);
  sessionRoutes(app, deps);
  userRoutes(app, deps);
  dialogRoutes(app, deps);
  messageRoutes(app, deps);
  blobRoutes(app, deps);
  dataRoutes(app, deps);
  adminRoutes(app, deps);
  dashboardRoutes(app, deps);
  addressBookRoutes(app, deps);
  aiRoutes(app, deps);
  callRoutes(app, deps);
  pushRoutes(app, deps);
  meetingRoutes(app, deps);
  passwordResetRoutes(app, deps);
  return app;
}
