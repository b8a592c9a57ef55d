import type { FastifyInstance } from 'fastify';
import { createMemoryPresence } from './adapters/presence-memory/index.js';
import { createPostgresStore } from './adapters/store-postgres/index.js';
import { createSqliteStore } from './adapters/store-sqlite/index.js';
import { createMemoryThrottle } from './adapters/throttle-memory/index.js';
import type { Config } from './config/index.js';
import { AppService } from './domain/apps/service.js';
import { DialogService } from './domain/dialogs/service.js';
import { MessageService } from './domain/messages/service.js';
import { SessionService } from './domain/sessions/service.js';
import type { Clock } from './domain/shared/actor.js';
import { UserService } from './domain/users/service.js';
import { buildHttpServer } from './http/server.js';
import { createLogger, type Logger } from './ops/logging.js';
import { createHttpMetrics } from './ops/metrics.js';
import type { PresenceDirectory } from './ports/presence.js';
import type { Store } from './ports/store.js';

export type { Config } from './config/index.js';
export { loadConfig, ConfigError } from './config/index.js';

/** How often expired sessions and guests are removed. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export interface Services {
  apps: AppService;
  sessions: SessionService;
  users: UserService;
  presence: PresenceDirectory;
  dialogs: DialogService;
  messages: MessageService;
}

export interface ParleyServer {
  readonly config: Config;
  readonly store: Store;
  readonly services: Services;
  readonly http: FastifyInstance;
  readonly logger: Logger;
  /** Binds the configured host/port (0 = a free port) and returns the base URL. */
  listen(): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

export interface ServerOverrides {
  logger?: Logger;
  clock?: Clock;
}

/** The only place adapters are chosen: the configured store, the local presence and throttle. */
export function openStore(config: Config): Store {
  return config.databaseUrl === '' ? createSqliteStore(config.dataDir) : createPostgresStore(config.databaseUrl);
}

/** Domain services over a store; shared by `serve` and the CLI commands. */
export function createServices(config: Config, store: Store, clock: Clock = Date.now): Services {
  const apps = new AppService(store, clock);
  const users = new UserService(store, clock, {
    passwordHashCost: config.passwordHashCost,
    passwordMinLength: config.passwordMinLength,
  });
  const sessions = new SessionService(store, apps, users, createMemoryThrottle(clock), clock, {
    ttlSeconds: config.sessionTtl,
    guestTtlSeconds: config.guestSessionTtl,
    passwordMinLength: config.passwordMinLength,
    loginMaxFailures: config.loginMaxFailures,
    loginFailureWindowSeconds: config.loginFailureWindow,
  });
  const dialogs = new DialogService(store, clock);
  const messages = new MessageService(store, dialogs, clock, { maxMessageBytes: config.messageMaxBytes });
  return { apps, users, sessions, presence: createMemoryPresence(), dialogs, messages };
}

/** Builds the whole server (store migrated, HTTP ready) without binding a port. */
export async function createServer(config: Config, overrides: ServerOverrides = {}): Promise<ParleyServer> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const store = openStore(config);
  try {
    const report = await store.migrate();
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'database migrated');
  } catch (error) {
    await store.close();
    throw error;
  }
  const services = createServices(config, store, overrides.clock);
  const http = await buildHttpServer(
    { ...services, store, metrics: createHttpMetrics(), chatDomain: config.chatDomain },
    { bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, logger },
  );
  const sweeper = setInterval(() => {
    services.sessions.sweepExpired().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed'));
    store.optimize().catch((error: unknown) => logger.warn({ err: error }, 'planner statistics refresh failed'));
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  return {
    config,
    store,
    services,
    http,
    logger,
    async listen() {
      await http.listen({ host: config.host, port: config.port });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return { url: `http://${host}:${port}`, port };
    },
    async close() {
      clearInterval(sweeper);
      await http.close();
      await store.close();
    },
  };
}
