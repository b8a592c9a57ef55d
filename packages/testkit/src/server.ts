import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServer, loadConfig, type ParleyServer, type ServerOverrides } from '@parley/server';
import type { ConfigKey } from '@parley/server/config';
import { createTestDatabase, provideTestPostgres } from './postgres.js';

export type TestDatabaseKind = 'sqlite' | 'postgres';

export interface TestApp {
  id: number;
  authKey: string;
  authSecret: string;
}

export interface TestServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (the SDKs' `endpoints.api_url`). */
  url: string;
  /** The application created on start. */
  app: TestApp;
  server: ParleyServer;
  /** XMPP over WebSocket, e.g. `ws://127.0.0.1:41234/ws` (the SDKs' `endpoints.chat_url`). */
  wsUrl: string;
  /** The XMPP chat domain (`endpoints.chat`). */
  chatDomain: string;
  /** The separate metrics listener's URL when started with `metricsListener: true`. */
  metricsUrl: string | undefined;
  /** The XMPP TCP port when started with `xmppTcp: true`. */
  xmppPort: number | undefined;
  /** Drops every XMPP connection of a user like a lost network (no stream error); returns how many. */
  closeChatConnections(userId: number, appId?: number): number;
  createApp(name: string): Promise<TestApp>;
  stop(): Promise<void>;
  /**
   * Stops the server like a process that died: connections dropped without a goodbye, nothing handed
   * over (cluster leases stay until they lapse), then its resources and temp files released.
   */
  kill(): Promise<void>;
}

export interface StartServerOptions {
  db?: TestDatabaseKind;
  /**
   * An existing PostgreSQL database to use instead of a fresh one (the nodes of a cluster share one);
   * the caller owns it and drops it. Implies `db: 'postgres'`.
   */
  databaseUrl?: string;
  /** Option values as they would be written in the environment, by option name. */
  config?: Partial<Record<ConfigKey, string>>;
  /** Server time in epoch ms; tests move it to expire sessions without waiting. */
  clock?: () => number;
  /** Also listen for XMPP over TCP on a free port (`TestServer.xmppPort`); off by default. */
  xmppTcp?: boolean;
  /** Serve /metrics on its own listener on a free port (`TestServer.metricsUrl`) instead of the HTTP port. */
  metricsListener?: boolean;
  /** XMPP keep-alive period and idle timeout in ms (the config only takes whole seconds). */
  xmppTimers?: { keepAliveMs: number; idleTimeoutMs: number };
  /** A logger instead of a silent one (tests that check what is, or is not, logged). */
  logger?: NonNullable<Parameters<typeof createServer>[1]>['logger'];
  /** Prefix of the bus's channels and keys; give servers that must not hear each other different ones. */
  busNamespace?: string;
  /** Server overrides passed through (e.g. a recording call-push notifier, the TURN in force). */
  overrides?: Pick<ServerOverrides, 'callPush' | 'turn'>;
}

/**
 * The real server on a free port of 127.0.0.1, on a throwaway SQLite folder or PostgreSQL database.
 * The machine's PARLEY_* variables are ignored so tests see only what they set.
 */
export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-test-'));
  const cleanups: (() => Promise<void>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  let databaseUrl = options.databaseUrl ?? '';
  if (options.db === 'postgres' && databaseUrl === '') {
    const postgres = await provideTestPostgres();
    const database = await createTestDatabase(postgres.adminUrl);
    databaseUrl = database.url;
    cleanups.unshift(() => database.drop(), () => postgres.stop());
  }
  let config: ReturnType<typeof loadConfig>;
  let server: ParleyServer;
  try {
    config = loadConfig(
      { port: '0', host: '127.0.0.1', dataDir, databaseUrl, logLevel: 'silent', passwordHashCost: '10', xmppPort: '0', ...options.config },
      {},
    );
    server = await createServer(config, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.xmppTcp ? { xmppTcpPort: 0 } : {}),
      ...(options.xmppTimers ? { xmppTimers: options.xmppTimers } : {}),
      ...(options.busNamespace ? { busNamespace: options.busNamespace } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.metricsListener ? { metricsPort: 0 } : {}),
      ...options.overrides,
    });
  } catch (error) {
    // A refused configuration or an unreachable dependency leaves no temp folder or database behind.
    for (const cleanup of cleanups) await cleanup();
    throw error;
  }
  const { url, xmppPort, metricsUrl } = await server.listen();
  const toTestApp = (app: { id: number; authKey: string; authSecret: string }): TestApp => ({ id: app.id, authKey: app.authKey, authSecret: app.authSecret });
  const { app } = await server.services.apps.ensureDefault();
  return {
    url,
    app: toTestApp(app),
    server,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    chatDomain: config.chatDomain,
    xmppPort,
    metricsUrl,
    closeChatConnections(userId, appId = app.id) {
      const sessions = [...server.xmpp.router.sessionsOf(appId, userId)];
      for (const session of sessions) session.connection.destroy();
      return sessions.length;
    },
    createApp: async (name) => toTestApp(await server.services.apps.create(name)),
    async stop() {
      await server.close();
      for (const cleanup of cleanups) await cleanup();
    },
    async kill() {
      await server.crash();
      for (const cleanup of cleanups) await cleanup();
    },
  };
}

/** The database kinds every server suite runs on. */
export const databaseKinds: TestDatabaseKind[] = ['sqlite', 'postgres'];
