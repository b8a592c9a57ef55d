import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createGoogleAiProvider } from './adapters/ai-google/index.js';
import { createOpenAiCompatibleProvider } from './adapters/ai-openai-compatible/index.js';
import { createDiskBlobStorage } from './adapters/blobs-disk/index.js';
import { createMemoryPresence } from './adapters/presence-memory/index.js';
import { createPostgresStore } from './adapters/store-postgres/index.js';
import { createSqliteStore } from './adapters/store-sqlite/index.js';
import { createMemoryThrottle } from './adapters/throttle-memory/index.js';
import { OperatorService } from './domain/operators/service.js';
import { DialogFieldService } from './domain/dialogs/fields.js';
import { DialogDirectory } from './domain/dialogs/directory.js';
import { DataRecordAdministration } from './domain/data/admin.js';
import { LiveStats } from './ops/live-stats.js';
import type { Config } from './config/index.js';
import { AddressBookService } from './domain/addressbook/service.js';
import { HistoryReader } from './domain/ai/history.js';
import { KeyBox } from './domain/ai/key-box.js';
import { AiQuota } from './domain/ai/quota.js';
import { AiService, type ProviderFailure } from './domain/ai/service.js';
import { AiSettingsService } from './domain/ai/settings.js';
import { AppService } from './domain/apps/service.js';
import { DataClassService } from './domain/data/classes.js';
import { DataService } from './domain/data/service.js';
import { BlobLinks } from './domain/blobs/blob-links.js';
import { BlobService } from './domain/blobs/service.js';
import { DialogService } from './domain/dialogs/service.js';
import { ArchiveService } from './domain/live-chat/archive.js';
import { OfflineQueue } from './domain/live-chat/offline.js';
import { LiveEditService } from './domain/live-chat/edits.js';
import { LiveChatService } from './domain/live-chat/service.js';
import { LastActivityService } from './domain/last-activity/service.js';
import { PrivacyService } from './domain/privacy/service.js';
import { SystemMessageService } from './domain/live-chat/system.js';
import { MessageService } from './domain/messages/service.js';
import { SessionService } from './domain/sessions/service.js';
import type { Clock } from './domain/shared/actor.js';
import { UserService } from './domain/users/service.js';
import { UserAdministration } from './domain/users/admin.js';
import { SessionAdministration } from './domain/sessions/admin.js';
import { DialogAdministration } from './domain/dialogs/admin.js';
import { checkHealth } from './ops/health.js';
import type { ListenerInfo, ServerStatus } from './ops/status.js';
import { parleyVersion } from './ops/version.js';
import type { ConnectionDirectory } from './ports/connections.js';
import { buildHttpServer } from './http/server.js';
import { createLogger, type Logger } from './ops/logging.js';
import { createHttpMetrics, type ServerMetrics } from './ops/metrics.js';
import type { AiProviderFactory } from './ports/ai.js';
import { instrumentStore, instrumentThrottle } from './ops/instrument.js';
import { listenMetrics } from './ops/metrics-server.js';
import type { LiveEvents } from './ports/live-events.js';
import type { PresenceDirectory } from './ports/presence.js';
import type { Store } from './ports/store.js';
import { createXmppFace, type XmppFace } from './xmpp/face.js';

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
  /** Custom objects: records (REST) and class definitions (admin API, CLI). */
  data: DataService;
  dataClasses: DataClassService;
  blobs: BlobService;
  addressBook: AddressBookService;
  liveChat: LiveChatService;
  liveEdits: LiveEditService;
  offline: OfflineQueue;
  /** Stored history as a message archive (XEP-0313). */
  archive: ArchiveService;
  systemMessages: SystemMessageService;
  /** XEP-0016 privacy lists and the blocking decision (realtime.md §10). */
  privacy: PrivacyService;
  /** XEP-0012 last activity (realtime.md §9). */
  lastActivity: LastActivityService;
  /** Where REST-started live events go; the XMPP face attaches itself when it starts. */
  live: LiveEventsRelay;
  /** Which links point at this server's files, and the `token` strip applied to messages (REST and XMPP). */
  blobLinks: BlobLinks;
  /** Chat summaries and tone rewrites on the app's (or the server's) AI provider. */
  ai: AiService;
  /** Per-app AI provider settings (admin API, CLI). */
  aiSettings: AiSettingsService;
  /** Operators' operations (admin API, CLI). */
  userAdmin: UserAdministration;
  /** Dashboard operators (CLI accounts, cookie sign-in). */
  operators: OperatorService;
  dialogFields: DialogFieldService;
  dialogDirectory: DialogDirectory;
  dataRecordAdmin: DataRecordAdministration;
  sessionAdmin: SessionAdministration;
  dialogAdmin: DialogAdministration;
}

/** Offline queue limits of realtime.md §7.10. */
const OFFLINE_MAX_ITEMS = 1000;
const OFFLINE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/** Bounds how long a privacy list change made on another node of a cluster can go unseen here. */
const PRIVACY_CACHE_TTL_MS = 10_000;

/**
 * Live events for services built before the real-time face exists (and for CLI commands, where
 * none ever does: nobody is connected, so nothing is delivered).
 */
export class LiveEventsRelay implements LiveEvents {
  private target: LiveEvents | undefined;

  attach(target: LiveEvents | undefined): void {
    this.target = target;
  }

  async systemMessage(event: Parameters<LiveEvents['systemMessage']>[0]): Promise<number> {
    return this.target ? this.target.systemMessage(event) : 0;
  }

  async contentMessage(event: Parameters<LiveEvents['contentMessage']>[0]): Promise<number> {
    return this.target ? this.target.contentMessage(event) : 0;
  }

  async messageEdited(event: Parameters<LiveEvents['messageEdited']>[0]): Promise<number> {
    return this.target ? this.target.messageEdited(event) : 0;
  }

  async messageDeleted(event: Parameters<LiveEvents['messageDeleted']>[0]): Promise<number> {
    return this.target ? this.target.messageDeleted(event) : 0;
  }

  async reactionsChanged(event: Parameters<LiveEvents['reactionsChanged']>[0]): Promise<number> {
    return this.target ? this.target.reactionsChanged(event) : 0;
  }

  async occupantsRemoved(event: Parameters<LiveEvents['occupantsRemoved']>[0]): Promise<number> {
    return this.target ? this.target.occupantsRemoved(event) : 0;
  }
}

export interface ParleyServer {
  readonly config: Config;
  readonly store: Store;
  readonly services: Services;
  readonly http: FastifyInstance;
  readonly logger: Logger;
  /** The XMPP face (WebSocket at /ws on the HTTP port, optional TCP listener). */
  readonly xmpp: XmppFace;
  /** Binds the configured host/port (0 = a free port) and returns the base URL (and the XMPP TCP port, if any). */
  listen(): Promise<{ url: string; port: number; xmppPort?: number; metricsUrl?: string }>;
  close(): Promise<void>;
}

export interface ServerOverrides {
  logger?: Logger;
  clock?: Clock;
  /** XMPP TCP port instead of `config.xmppPort`; 0 = any free port (tests read it from `listen()`). */
  xmppTcpPort?: number;
  /** Serve /metrics on its own listener at this port (0 = any free port) instead of `config.metricsPort` (tests). */
  metricsPort?: number;
  /** XMPP keep-alive period and idle timeout in ms instead of the (whole-second) config (tests). */
  xmppTimers?: { keepAliveMs: number; idleTimeoutMs: number };
}

/** The only place adapters are chosen: the configured store, the local presence and throttle. */
export function openStore(config: Config): Store {
  return config.databaseUrl === '' ? createSqliteStore(config.dataDir) : createPostgresStore(config.databaseUrl);
}

/** The AI adapters, by provider name. */
const aiProviders: AiProviderFactory = (settings) => (settings.provider === 'google' ? createGoogleAiProvider(settings) : createOpenAiCompatibleProvider(settings));

/** Domain services over a store; shared by `serve` and the CLI commands. */
export function createServices(config: Config, store: Store, clock: Clock = Date.now, logger?: Logger, metrics?: ServerMetrics): Services {
  const apps = new AppService(store, clock);
  const users = new UserService(store, clock, {
    passwordHashCost: config.passwordHashCost,
    passwordMinLength: config.passwordMinLength,
  });
  const sessions = new SessionService(store, apps, users, metrics ? instrumentThrottle(createMemoryThrottle(clock), metrics) : createMemoryThrottle(clock), clock, {
    ttlSeconds: config.sessionTtl,
    guestTtlSeconds: config.guestSessionTtl,
    passwordMinLength: config.passwordMinLength,
    loginMaxFailures: config.loginMaxFailures,
    loginFailureWindowSeconds: config.loginFailureWindow,
    xmppScram: config.xmppScram,
  });
  const live = new LiveEventsRelay();
  const privacy = new PrivacyService(store, clock, { cacheTtlMs: PRIVACY_CACHE_TTL_MS });
  const dialogs = new DialogService(store, clock, live);
  // Links to this server's files: the public URL's host now, the listening address once bound.
  const blobLinks = new BlobLinks(config.publicUrl);
  const messages = new MessageService(store, dialogs, clock, { maxMessageBytes: config.messageMaxBytes, blobLinks }, live, privacy);
  const presence = createMemoryPresence();
  const archive = new ArchiveService(store, dialogs);
  const aiSettings = new AiSettingsService(store, new KeyBox(config.aiSecret), {
    provider: config.aiProvider,
    model: config.aiModel,
    apiKey: config.aiApiKey,
    baseUrl: config.aiBaseUrl,
    userRequestsPerMinute: config.aiUserRequestsPerMinute,
    appRequestsPerDay: config.aiAppRequestsPerDay,
  }, clock);
  // Only what identifies the call: never the key, the prompt or the provider's answer.
  const logProviderFailure = (failure: ProviderFailure) => logger?.warn({ ai: failure }, 'AI provider call failed');
  const ai = new AiService(
    aiSettings,
    new HistoryReader(dialogs, archive, messages, store.users),
    new AiQuota(createMemoryThrottle(clock)),
    store.ai,
    aiProviders,
    clock,
    { timeoutMs: config.aiTimeout * 1000, maxMessages: config.aiMaxMessages, maxInputChars: config.aiMaxInputChars, summaryCacheTtlMs: config.aiSummaryCacheTtl * 1000 },
    logProviderFailure,
  );
  return {
    userAdmin: new UserAdministration(store, users, clock, { passwordMinLength: config.passwordMinLength }),
    dialogFields: new DialogFieldService(store, clock),
    dialogDirectory: new DialogDirectory(store),
    dataRecordAdmin: new DataRecordAdministration(store, clock),
    operators: new OperatorService(store, createMemoryThrottle(clock), clock, {
      passwordHashCost: config.passwordHashCost,
      passwordMinLength: config.passwordMinLength,
      sessionTtlSeconds: config.operatorSessionTtl,
      maxFailures: config.loginMaxFailures,
      failureWindowSeconds: config.loginFailureWindow,
    }),
    sessionAdmin: new SessionAdministration(store, clock),
    dialogAdmin: new DialogAdministration(store, dialogs, live),
    apps,
    users,
    sessions,
    presence,
    dialogs,
    messages,
    data: new DataService(store, clock),
    dataClasses: new DataClassService(store, clock),
    // Blob bytes: files under DATA_DIR/blobs (metadata rows are in the store).
    blobs: new BlobService(store, createDiskBlobStorage(path.join(config.dataDir, 'blobs')), clock, {
      maxBytes: config.blobMaxBytes,
      urlTtlSeconds: config.blobUrlTtl,
    }),
    addressBook: new AddressBookService(store, clock, { maxContacts: config.addressBookMaxContacts }),
    liveChat: new LiveChatService(store, dialogs, clock, { maxMessageBytes: config.messageMaxBytes }),
    liveEdits: new LiveEditService(store, dialogs, clock, { maxMessageBytes: config.messageMaxBytes }),
    offline: new OfflineQueue(store, clock, { maxItems: OFFLINE_MAX_ITEMS, maxAgeMs: OFFLINE_MAX_AGE_MS }),
    archive,
    systemMessages: new SystemMessageService(store, live, clock, config.messageMaxBytes, blobLinks),
    blobLinks,
    privacy,
    lastActivity: new LastActivityService(store, presence, clock),
    live,
    ai,
    aiSettings,
  };
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
  const metrics = createHttpMetrics();
  const metricsPort = overrides.metricsPort ?? (config.metricsPort === 0 ? undefined : config.metricsPort);
  let metricsListener: Awaited<ReturnType<typeof listenMetrics>> | undefined;
  instrumentStore(store, metrics);
  const services = createServices(config, store, overrides.clock, logger, metrics);
  // The HTTP face is built before the XMPP face (which attaches to its server): reach it lazily.
  const face: { xmpp?: XmppFace } = {};
  let listeners: ListenerInfo[] = [];
  const connections: ConnectionDirectory = {
    list: (filter) => face.xmpp?.connections.list(filter) ?? [],
    kick: (filter, reason) => face.xmpp?.connections.kick(filter, reason) ?? 0,
  };
  const status = async (): Promise<ServerStatus> => {
    const health = await checkHealth(store);
    const live = connections.list();
    const websocket = live.filter((connection) => connection.transport === 'websocket').length;
    return {
      version: parleyVersion,
      uptimeSeconds: health.uptimeSeconds,
      listeners,
      connections: { total: live.length, websocket, tcp: live.length - websocket },
      database: health.store,
    };
  };
  const liveStats = new LiveStats(metrics.registry, () => connections.list(), overrides.clock ?? Date.now);
  const http = await buildHttpServer(
    {
      ...services,
      store,
      metrics,
      liveStats,
      chatDomain: config.chatDomain,
      adminToken: config.adminToken,
      dashboard: config.dashboard,
      publicUrl: config.publicUrl.replace(/\/+$/, ''),
      connections,
      status,
      version: parleyVersion,
      metricsAccess: { token: config.metricsToken, separateListener: metricsPort !== undefined },
    },
    { bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, logger },
  );
  const xmpp = createXmppFace({
    services,
    logger,
    observer: metrics.xmpp(logger),
    clock: overrides.clock ?? Date.now,
    settings: {
      chatDomain: config.chatDomain,
      scram: config.xmppScram,
      limits: {
        maxStanzaBytes: config.xmppMaxStanzaBytes,
        maxDepth: config.xmppMaxDepth,
        maxAttributes: config.xmppMaxAttributes,
        maxBytesBeforeAuth: config.xmppMaxBytesBeforeAuth,
      },
      keepAliveMs: overrides.xmppTimers?.keepAliveMs ?? config.xmppKeepAlive * 1000,
      idleTimeoutMs: overrides.xmppTimers?.idleTimeoutMs ?? config.xmppIdleTimeout * 1000,
      maxOutboundBytes: config.xmppMaxOutboundBytes,
      resumeWindowMs: config.xmppResumeWindow * 1000,
      wsPath: '/ws',
      tlsCertFile: config.xmppTlsCert,
      tlsKeyFile: config.xmppTlsKey,
      trustProxy: config.trustProxy,
    },
  });
  face.xmpp = xmpp;
  metrics.connectionsBy(() => {
    const live = connections.list();
    const websocket = live.filter((connection) => connection.transport === 'websocket').length;
    return { websocket, tcp: live.length - websocket };
  });
  xmpp.attachWebSocket(http.server);
  services.live.attach(xmpp.live);
  const sweepPartialUploads = () =>
    services.blobs.sweepPartialUploads().catch((error: unknown) => logger.warn({ err: error }, 'partial upload sweep failed'));
  void sweepPartialUploads();
  const sweeper = setInterval(() => {
    void sweepPartialUploads();
    services.sessions.sweepExpired().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed'));
    store.optimize().catch((error: unknown) => logger.warn({ err: error }, 'planner statistics refresh failed'));
    services.offline.purge().catch((error: unknown) => logger.warn({ err: error }, 'offline queue sweep failed'));
    services.operators.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'operator session sweep failed'));
    services.ai.purgeCache().catch((error: unknown) => logger.warn({ err: error }, 'AI summary cache sweep failed'));
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  liveStats.start();

  return {
    config,
    store,
    services,
    http,
    logger,
    xmpp,
    async listen() {
      await http.listen({ host: config.host, port: config.port });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      services.blobLinks.addListenUrl(`http://${host}:${port}`);
      const tcpPort = overrides.xmppTcpPort ?? (config.xmppPort === 0 ? undefined : config.xmppPort);
      const url = `http://${host}:${port}`;
      listeners = [
        { name: 'http', url },
        { name: 'websocket', url: `ws://${host}:${port}/ws` },
      ];
      if (metricsPort !== undefined) {
        metricsListener = await listenMetrics(metrics, config.metricsHost, metricsPort, config.metricsToken);
        listeners.push({ name: 'metrics', url: metricsListener.url });
      }
      const metricsUrl = metricsListener ? { metricsUrl: metricsListener.url } : {};
      if (tcpPort === undefined) return { url, port, ...metricsUrl };
      const xmppPort = await xmpp.listenTcp(config.host, tcpPort);
      listeners.push({ name: 'xmpp-tcp', url: `xmpp://${host}:${xmppPort}`, tls: config.xmppTlsCert !== '' && config.xmppTlsKey !== '' });
      return { url, port, xmppPort, ...metricsUrl };
    },
    async close() {
      clearInterval(sweeper);
      liveStats.stop();
      services.live.attach(undefined);
      await xmpp.close();
      await http.close();
      if (metricsListener) await new Promise((resolve) => metricsListener?.server.close(resolve));
      await store.close();
    },
  };
}
