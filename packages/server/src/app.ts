import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createGoogleAiProvider } from './adapters/ai-google/index.js';
import { createOpenAiCompatibleProvider } from './adapters/ai-openai-compatible/index.js';
import { createDiskBlobStorage } from './adapters/blobs-disk/index.js';
import { createS3BlobStorage } from './adapters/blobs-s3/index.js';
import { createLocalBus } from './adapters/bus-local/index.js';
import { createNatsBus } from './adapters/bus-nats/index.js';
import { createRedisBus } from './adapters/bus-redis/index.js';
import { isExecutable, startCoturn } from './adapters/turn-coturn/index.js';
import { createSmtpMailer } from './adapters/mail-smtp/index.js';
import { createJanusPpRecConverter } from './adapters/recordings-janus-pp-rec/index.js';
import { createJanusSfu, startManagedJanus, type ManagedJanus } from './adapters/sfu-janus/index.js';
import { createMemoryPresence } from './adapters/presence-memory/index.js';
import { createClusterPresence } from './adapters/presence-cluster/index.js';
import { createPostgresStore } from './adapters/store-postgres/index.js';
import { createSqliteStore } from './adapters/store-sqlite/index.js';
import { createMemoryThrottle } from './adapters/throttle-memory/index.js';
import { createApnsProvider } from './adapters/push-apns/index.js';
import { createFcmProvider } from './adapters/push-fcm/index.js';
import { createWebPushProvider, generateVapidKeys } from './adapters/push-webpush/index.js';
import { attachConferenceGateway, CONFERENCE_PATH, type ConferenceGateway } from './conference/gateway.js';
import { OperatorService } from './domain/operators/service.js';
import { DialogFieldService } from './domain/dialogs/fields.js';
import { DialogDirectory } from './domain/dialogs/directory.js';
import { DataRecordAdministration } from './domain/data/admin.js';
import { LiveStats } from './ops/live-stats.js';
import type { Config } from './config/index.js';
import { RecordingService } from './domain/conference/recordings.js';
import { ConferenceService } from './domain/conference/service.js';
import { AddressBookService } from './domain/addressbook/service.js';
import { HistoryReader } from './domain/ai/history.js';
import { KeyBox } from './domain/ai/key-box.js';
import { AiQuota } from './domain/ai/quota.js';
import { AiService, type ProviderFailure } from './domain/ai/service.js';
import { AiSettingsService } from './domain/ai/settings.js';
import { AppService } from './domain/apps/service.js';
import { CallService } from './domain/calls/service.js';
import { TurnCredentialService } from './domain/calls/turn.js';
import { DataClassService } from './domain/data/classes.js';
import { DataService } from './domain/data/service.js';
import { BlobLinks } from './domain/blobs/blob-links.js';
import { BlobService } from './domain/blobs/service.js';
import { DialogService } from './domain/dialogs/service.js';
import { ArchiveService } from './domain/live-chat/archive.js';
import { OfflineQueue } from './domain/live-chat/offline.js';
import { LiveChatService } from './domain/live-chat/service.js';
import { LastActivityService } from './domain/last-activity/service.js';
import { PrivacyService } from './domain/privacy/service.js';
import { SystemMessageService } from './domain/live-chat/system.js';
import { MeetingMail } from './domain/meetings/mail.js';
import { MeetingService } from './domain/meetings/service.js';
import { MessageService } from './domain/messages/service.js';
import { PushDelivery } from './domain/push/delivery.js';
import { createPushDomain, type PushDomain } from './domain/push/module.js';
import { SessionService } from './domain/sessions/service.js';
import type { Clock } from './domain/shared/actor.js';
import { RevocationRelay } from './domain/shared/revocations.js';
import { PasswordResetService } from './domain/users/password-reset.js';
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
import type { AiProviderFactory } from './ports/ai.js';
import type { BlobStorage } from './ports/blobs.js';
import type { Bus } from './ports/bus.js';
import type { CallPushNotifier } from './ports/call-push.js';
import { createHttpMetrics, type ServerMetrics } from './ops/metrics.js';
import { instrumentStore, instrumentThrottle } from './ops/instrument.js';
import { listenMetrics } from './ops/metrics-server.js';
import type { LiveEvents } from './ports/live-events.js';
import type { Mailer } from './ports/mailer.js';
import type { ClusterPresence } from './ports/presence.js';
import type { Sfu } from './ports/sfu.js';
import type { Store } from './ports/store.js';
import { createXmppFace, type XmppFace } from './xmpp/face.js';

export type { Config } from './config/index.js';
export type { CallPushNotifier, IncomingCallNotice } from './ports/call-push.js';
export { loadConfig, ConfigError } from './config/index.js';
import { ConfigError } from './config/index.js';

/** How often expired sessions and guests are removed. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export interface Services {
  apps: AppService;
  sessions: SessionService;
  users: UserService;
  presence: ClusterPresence;
  dialogs: DialogService;
  messages: MessageService;
  /** Custom objects: records (REST) and class definitions (admin API, CLI). */
  data: DataService;
  dataClasses: DataClassService;
  blobs: BlobService;
  addressBook: AddressBookService;
  liveChat: LiveChatService;
  offline: OfflineQueue;
  /** Stored history as a message archive (XEP-0313). */
  archive: ArchiveService;
  systemMessages: SystemMessageService;
  /** XEP-0016 privacy lists and the blocking decision (realtime.md §10). */
  privacy: PrivacyService;
  /** XEP-0012 last activity (realtime.md §9). */
  lastActivity: LastActivityService;
  /** P2P calls: REST reject, call pushes to offline callees (realtime.md §12). */
  calls: CallService;
  /** Time-limited TURN credentials (rest.md §10.2). */
  turn: TurnCredentialService;
  /** Meetings (rest.md §9) and who may join their conference and chat. */
  meetings: MeetingService;
  /** Invitation, update and reminder mails of meetings. */
  meetingMail: MeetingMail;
  passwordReset: PasswordResetService;
  /** Outgoing mail (PARLEY_SMTP_URL); disabled when unset. */
  mailer: Mailer;
  /** Where REST-started live events go; the XMPP face attaches itself when it starts. */
  live: LiveEventsRelay;
  /** Which links point at this server's files, and the `token` strip applied to messages (REST and XMPP). */
  blobLinks: BlobLinks;
  /** Chat summaries and tone rewrites on the app's (or the server's) AI provider. */
  ai: AiService;
  /** Per-app AI provider settings (admin API, CLI). */
  aiSettings: AiSettingsService;
  /** Where blob bytes live (PARLEY_BLOBS); the health check asks it. */
  blobStorage: BlobStorage;
  /** Revoked credentials (user deleted, password changed, logout, app deleted) end live connections. */
  revocations: RevocationRelay;
  /** Push subscriptions, events, settings and the automatic pushes (rest.md §7); `push.callPushes` is the CallPushNotifier. */
  push: PushDomain;
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
/**
 * Bounds how long a privacy list change made on another node of a cluster can go unseen here when this
 * node missed it (cut off from the broker while the other node waited for it).
 */
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

  async callSignal(event: Parameters<LiveEvents['callSignal']>[0]): Promise<number> {
    return this.target ? this.target.callSignal(event) : 0;
  }
}

export interface ParleyServer {
  readonly config: Config;
  /** PARLEY_NODE_ID, or the unique id made up for this process. */
  readonly nodeId: string;
  readonly store: Store;
  /** The cluster bus (PARLEY_BUS_URL; in-process when unset): cross-node routing, presence leases, room occupants. */
  readonly bus: Bus;
  readonly services: Services;
  readonly http: FastifyInstance;
  readonly logger: Logger;
  /** The XMPP face (WebSocket at /ws on the HTTP port, optional TCP listener). */
  readonly xmpp: XmppFace;
  /** The push delivery worker (already running). */
  readonly pushDelivery: PushDelivery;
  /** Video conferencing (the Janus gateway at `/conference`), when PARLEY_CONFERENCE is not off. */
  readonly conference: Conferencing | undefined;
  /** Binds the configured host/port (0 = a free port) and returns the base URL (and the XMPP TCP port, if any). */
  listen(): Promise<{ url: string; port: number; xmppPort?: number; metricsUrl?: string }>;
  close(): Promise<void>;
  /**
   * Stops like a process killed mid-flight (tests of node death): connections dropped without a
   * goodbye and, in a cluster, nothing handed over: this node's leases stay until they lapse.
   */
  crash(): Promise<void>;
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
  /** Prefix of the bus's channels and keys (tests sharing one broker keep apart); default `parley`. */
  busNamespace?: string;
  /** Push to offline callees (the push module's implementation of ports/call-push.ts); none = no call push. */
  callPush?: CallPushNotifier;
  /** TURN URLs and secret in force (`parley serve` passes those of the coturn it started); default = from config. */
  turn?: { urls: readonly string[]; secret: string };
}

/** Conferencing as wired: the SFU, the domain service, the gateway and (managed) the Janus process. */
export interface Conferencing {
  readonly sfu: Sfu;
  readonly service: ConferenceService;
  readonly recordings: RecordingService;
  readonly gateway: ConferenceGateway;
  /** Path of the gateway on the HTTP port (`conference.server` = ws(s)://host:port + path). */
  readonly path: string;
  readonly janus: ManagedJanus | undefined;
  close(): Promise<void>;
}

/** How often due meeting reminders are looked for. */
const REMINDER_INTERVAL_MS = 30 * 1000;
/** Empty rooms are destroyed after this long (realtime.md §13.7). */
const IDLE_ROOM_MS = 10 * 60 * 1000;
const ROOM_SWEEP_INTERVAL_MS = 60 * 1000;

/** Starts the SFU (managed Janus or an external one) and the gateway, or nothing when conferencing is off. */
async function startConferencing(config: Config, services: Services, store: Store, http: FastifyInstance, logger: Logger, clock: Clock): Promise<Conferencing | undefined> {
  const mode = config.conference === 'off' && config.janusUrl !== '' ? 'external' : config.conference;
  if (mode === 'off') return undefined;
  const secret = (given: string) => (given !== '' ? given : randomBytes(24).toString('hex'));
  const apiSecret = mode === 'managed' ? secret(config.janusApiSecret) : config.janusApiSecret;
  const adminKey = mode === 'managed' ? secret(config.janusAdminKey) : config.janusAdminKey;
  if (mode === 'external' && config.janusUrl === '') throw new Error('PARLEY_CONFERENCE=external needs PARLEY_JANUS_URL');
  const janus =
    mode === 'managed'
      ? await startManagedJanus(
          config.janusBin,
          {
            folder: path.join(config.dataDir, 'janus'),
            libDir: config.janusPluginsDir,
            apiSecret,
            adminKey,
            rtpPorts: config.janusRtpPorts,
            publicIp: config.janusPublicIp,
            iceInterfaces: config.janusIceInterfaces,
          },
          logger,
        )
      : undefined;
  const sfu = createJanusSfu({ url: janus?.url ?? config.janusUrl, apiSecret, adminKey, recordingsRoot: path.join(config.dataDir, 'recordings') });
  const service = new ConferenceService(services.sessions, services.meetings, sfu, clock, { publishers: config.conferencePublishers, idleRoomMs: IDLE_ROOM_MS });
  janus?.onRestart(() => service.forgetRooms());
  const recordings = new RecordingService(
    store,
    services.blobs,
    createJanusPpRecConverter({ ppRec: config.janusPpRecBin, ffmpeg: config.ffmpegBin }),
    clock,
    logger,
  );
  service.onRoomEnded(recordings);
  const gateway = attachConferenceGateway(http.server, service, sfu.relay, logger);
  const sweeper = setInterval(() => void service.sweepIdleRooms().catch((error: unknown) => logger.warn({ err: error }, 'conference room sweep failed')), ROOM_SWEEP_INTERVAL_MS);
  sweeper.unref();
  logger.info({ mode, janus: janus?.url ?? config.janusUrl }, 'conferencing on');
  return {
    sfu,
    service,
    recordings,
    gateway,
    path: CONFERENCE_PATH,
    janus,
    async close() {
      clearInterval(sweeper);
      gateway.close();
      await sfu.close();
      await janus?.stop();
    },
  };
}

/** The only place adapters are chosen: the configured store, the local presence and throttle. */
export function openStore(config: Config): Store {
  return config.databaseUrl === '' ? createSqliteStore(config.dataDir, { synchronous: config.sqliteSynchronous }) : createPostgresStore(config.databaseUrl);
}

/** The AI adapters, by provider name. */
const aiProviders: AiProviderFactory = (settings) => (settings.provider === 'google' ? createGoogleAiProvider(settings) : createOpenAiCompatibleProvider(settings));

/** Blob bytes: files under DATA_DIR/blobs, or an S3-compatible bucket (metadata rows are in the store). */
export function openBlobStorage(config: Config): BlobStorage {
  if (config.blobs === 'disk') return createDiskBlobStorage(path.join(config.dataDir, 'blobs'));
  return createS3BlobStorage({
    endpoint: config.s3Endpoint,
    bucket: config.s3Bucket,
    region: config.s3Region,
    accessKeyId: config.s3AccessKeyId,
    secretAccessKey: config.s3SecretAccessKey,
    forcePathStyle: config.s3ForcePathStyle,
  });
}

/** PARLEY_NODE_ID, or host name, process id and a random suffix: unique per process. */
export function resolveNodeId(config: Config): string {
  if (config.nodeId !== '') return config.nodeId;
  const host = os.hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40) || 'node';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** The cluster bus of PARLEY_BUS_URL (config validation already refused it with SQLite). */
export async function openBus(config: Config, nodeId: string, logger: Logger, namespace = 'parley'): Promise<Bus> {
  const options = {
    nodeId,
    namespace,
    onHandlerError: (error: unknown) => logger.error({ err: error }, 'bus handler failed'),
    onBrokerError: (error: unknown) => logger.warn({ err: error }, 'bus connection trouble'),
  };
  if (config.busUrl === '') return createLocalBus(options);
  return config.busUrl.startsWith('nats://') ? createNatsBus(config.busUrl, options) : createRedisBus(config.busUrl, options);
}

/** TURN as configured for an external coturn (`parley serve` overrides it with the coturn it manages). */
export function configuredTurn(config: Config): { urls: string[]; secret: string } {
  if (config.turn !== 'external') return { urls: [], secret: '' };
  return { urls: splitUrls(config.turnUrls), secret: config.turnSecret };
}

export function splitUrls(text: string): string[] {
  return text.split(',').map((url) => url.trim()).filter((url) => url !== '');
}

export interface TurnRelay {
  /** What clients get; undefined = no TURN (calls use host and STUN candidates). */
  turn?: { urls: string[]; secret: string };
  /** One start-up line saying which TURN is in force. */
  summary: string;
  stop(): Promise<void>;
}

/**
 * The TURN relay of `parley serve` (PARLEY_TURN): starts coturn with a private config under the data
 * folder when managed (or auto with coturn installed), points at an external one, or runs without.
 */
export async function startTurnRelay(config: Config, logger: Logger = createLogger('silent'), options: { allowLoopbackPeers?: boolean } = {}): Promise<TurnRelay> {
  const none = async () => {};
  if (config.turn === 'off') return { summary: 'TURN: off (PARLEY_TURN=off); calls use host and STUN candidates only', stop: none };
  if (config.turn === 'external') {
    const turn = configuredTurn(config);
    if (turn.urls.length === 0 || turn.secret === '') throw new ConfigError('PARLEY_TURN=external needs PARLEY_TURN_URLS and PARLEY_TURN_SECRET');
    return { turn, summary: `TURN: external ${turn.urls.join(', ')}`, stop: none };
  }
  if (!(await isExecutable(config.turnBinary))) {
    const message = `coturn not found at ${config.turnBinary} (install the Debian package coturn)`;
    if (config.turn === 'managed') throw new ConfigError(`PARLEY_TURN=managed: ${message}`);
    return { summary: `TURN: off, ${message}; calls use host and STUN candidates only`, stop: none };
  }
  if (config.turnRelayMinPort > config.turnRelayMaxPort) throw new ConfigError('PARLEY_TURN_RELAY_MIN_PORT must not exceed PARLEY_TURN_RELAY_MAX_PORT');
  let coturn: Awaited<ReturnType<typeof startCoturn>>;
  try {
    coturn = await startCoturn({
      binary: config.turnBinary,
      dir: path.join(config.dataDir, 'turn'),
      listenHost: config.turnListenHost,
      publicHost: config.turnPublicHost,
      port: config.turnPort,
      relayMinPort: config.turnRelayMinPort,
      relayMaxPort: config.turnRelayMaxPort,
      realm: config.turnRealm,
      secret: config.turnSecret,
      allowLoopbackPeers: options.allowLoopbackPeers,
      log: (line) => logger.debug({ coturn: line }, 'coturn'),
    });
  } catch (error) {
    // Asked for explicitly: fail. In auto mode the server still starts, without TURN.
    if (config.turn === 'managed') throw error;
    logger.warn({ err: error }, 'coturn did not start');
    return { summary: `TURN: off, coturn did not start (${(error as Error).message}); calls use host and STUN candidates only`, stop: none };
  }
  const urls = config.turnUrls === '' ? coturn.urls : splitUrls(config.turnUrls);
  return {
    turn: { urls, secret: coturn.secret },
    summary: `TURN: managed coturn on ${config.turnListenHost}:${config.turnPort} (relay ports ${config.turnRelayMinPort}-${config.turnRelayMaxPort}), clients get ${urls.join(', ')}`,
    stop: () => coturn.stop(),
  };
}

/** What `createServices` may be given besides config, store and clock. */
export interface ServiceExtras extends Pick<ServerOverrides, 'callPush' | 'turn'> {
  /** Where services log what a caller should not see (AI provider failures …). */
  logger?: Logger;
  /** Blob bytes; default = the storage of PARLEY_BLOBS. */
  blobStorage?: BlobStorage;
  /** Login outcomes are counted here (the server's metrics); none in CLI commands. */
  metrics?: ServerMetrics;
  /** Presence on the cluster bus (the server's); default: this process only (CLI commands). */
  presence?: ClusterPresence;
}

/** Domain services over a store; shared by `serve` and the CLI commands. */
export function createServices(config: Config, store: Store, clock: Clock = Date.now, extras: ServiceExtras = {}): Services {
  const { logger } = extras;
  const blobStorage = extras.blobStorage ?? openBlobStorage(config);
  const revocations = new RevocationRelay();
  const apps = new AppService(store, clock, revocations);
  const presence = extras.presence ?? createMemoryPresence();
  const privacy = new PrivacyService(store, clock, { cacheTtlMs: PRIVACY_CACHE_TTL_MS });
  const push = createPushDomain(store, presence, privacy, clock, {
    allowPrivateEndpoints: config.pushAllowPrivateEndpoints,
    generateVapidKeys,
    onError: (error) => logger?.warn({ err: error }, 'automatic push failed'),
  });
  const users = new UserService(
    store,
    clock,
    { passwordHashCost: config.passwordHashCost, passwordMinLength: config.passwordMinLength },
    revocations,
    push.contactJoined,
  );
  const loginThrottle = extras.metrics ? instrumentThrottle(createMemoryThrottle(clock), extras.metrics) : createMemoryThrottle(clock);
  const sessions = new SessionService(store, apps, users, loginThrottle, clock, {
    ttlSeconds: config.sessionTtl,
    guestTtlSeconds: config.guestSessionTtl,
    passwordMinLength: config.passwordMinLength,
    loginMaxFailures: config.loginMaxFailures,
    loginFailureWindowSeconds: config.loginFailureWindow,
    xmppScram: config.xmppScram,
  }, revocations);
  const live = new LiveEventsRelay();
  // Meeting chats admit the meeting's invitees and, for public meetings, anyone (meetings is built below).
  const dialogs: DialogService = new DialogService(store, clock, live, (appId, userId, dialogId): Promise<boolean | undefined> =>
    meetings.mayJoinDialog(appId, userId, dialogId),
  );
  // Links to this server's files: the public URL's host now, the listening address once bound.
  const blobLinks = new BlobLinks(config.publicUrl);
  const messages = new MessageService({ repos: store, dialogs, clock, maxMessageBytes: config.messageMaxBytes, blobLinks, live, privacy, stored: push.chatAlerts });
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
  const mailer = createSmtpMailer(config.smtpUrl, config.mailFrom);
  const meetings: MeetingService = new MeetingService(store, dialogs, clock);
  const meetingMail = new MeetingMail(store, mailer, clock, logger ?? { warn: () => undefined });
  meetings.observe(meetingMail);
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
    sessionAdmin: new SessionAdministration(store, clock, revocations),
    dialogAdmin: new DialogAdministration(store, dialogs, live),
    apps,
    users,
    sessions,
    presence,
    dialogs,
    messages,
    data: new DataService(store, clock),
    dataClasses: new DataClassService(store, clock),
    blobs: new BlobService(store, blobStorage, clock, {
      maxBytes: config.blobMaxBytes,
      urlTtlSeconds: config.blobUrlTtl,
    }),
    addressBook: new AddressBookService(store, clock, { maxContacts: config.addressBookMaxContacts }),
    liveChat: new LiveChatService(store, dialogs),
    offline: new OfflineQueue(store, clock, { maxItems: OFFLINE_MAX_ITEMS, maxAgeMs: OFFLINE_MAX_AGE_MS }),
    archive,
    systemMessages: new SystemMessageService(store, live, clock, config.messageMaxBytes, blobLinks),
    blobLinks,
    blobStorage,
    privacy,
    lastActivity: new LastActivityService(store, presence, clock),
    calls: new CallService(store, live, clock, extras.callPush ?? push.callPushes),
    turn: new TurnCredentialService({ ...(extras.turn ?? configuredTurn(config)), ttlSeconds: config.turnCredentialTtl }, clock),
    meetings,
    meetingMail,
    mailer,
    passwordReset: new PasswordResetService(store, users, mailer, clock, { passwordMinLength: config.passwordMinLength }),
    live,
    ai,
    aiSettings,
    revocations,
    push,
  };
}

/** The push delivery worker over the configured providers (Web Push, FCM HTTP v1, APNs HTTP/2). */
export function createPushDelivery(config: Config, store: Store, clock: Clock, logger: Logger): PushDelivery {
  const tls = { caFile: config.pushCaFile, timeoutMs: 15_000 };
  const providers = {
    web: createWebPushProvider({ ...tls, allowPrivateEndpoints: config.pushAllowPrivateEndpoints }),
    fcm: createFcmProvider({ ...tls, baseUrl: config.pushFcmUrl }),
    apns: createApnsProvider({ ...tls, productionUrl: config.pushApnsUrl, sandboxUrl: config.pushApnsSandboxUrl }),
  };
  return new PushDelivery(
    store.push,
    providers,
    clock,
    { retryBaseMs: config.pushRetryBaseMs, retryMaxMs: 15 * 60 * 1000, pollMs: 1000, batchSize: 32, leaseMs: 120_000 },
    {
      sent: (job, outcome) => {
        if (outcome.kind !== 'delivered') logger.info({ job: job.id, app: job.appId, outcome: outcome.kind, reason: outcome.reason }, 'push not delivered');
      },
      error: (error) => logger.warn({ err: error }, 'push delivery round failed'),
    },
  );
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
  const nodeId = resolveNodeId(config);
  let bus: Bus;
  try {
    bus = await openBus(config, nodeId, logger, overrides.busNamespace);
  } catch (error) {
    await store.close();
    throw error;
  }
  const metrics = createHttpMetrics(nodeId);
  instrumentStore(store, metrics);
  let presence: ClusterPresence;
  try {
    // Leases on the bus's TTL keys: one node or many, one code path (in memory on the local bus).
    presence = await createClusterPresence(bus, { leaseMs: config.clusterLease * 1000, onError: (error) => logger.warn({ err: error }, 'cluster presence write failed') });
  } catch (error) {
    await bus.close();
    await store.close();
    throw error;
  }
  const services = createServices(config, store, overrides.clock, { logger, callPush: overrides.callPush, turn: overrides.turn, metrics, presence });
  const pushDelivery = createPushDelivery(config, store, overrides.clock ?? Date.now, logger);
  services.push.outbox.onQueued(() => pushDelivery.wake());
  pushDelivery.start();
  if (!services.mailer.enabled) logger.info('mail off: PARLEY_SMTP_URL is not set (no meeting mails, no password reset mails)');
  const metricsPort = overrides.metricsPort ?? (config.metricsPort === 0 ? undefined : config.metricsPort);
  let metricsListener: Awaited<ReturnType<typeof listenMetrics>> | undefined;
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
      health: { nodeId, bus, blobs: { kind: config.blobs, check: () => services.blobStorage.check() } },
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
    ...(bus.kind === 'local' ? {} : { cluster: { bus, leaseMs: config.clusterLease * 1000 } }),
    onPreAuthRefused: () => metrics.xmppPreAuthRefused(),
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
      maxUnackedBytes: config.xmppMaxUnackedBytes,
      parking: { perUser: config.xmppMaxParkedPerUser, perApp: config.xmppMaxParkedPerApp, perNode: config.xmppMaxParked },
      maxPreAuthPerAddress: config.xmppMaxPreAuthPerAddress,
      wsPath: '/ws',
      otherWebSocketPaths: [CONFERENCE_PATH],
      tlsCertFile: config.xmppTlsCert,
      tlsKeyFile: config.xmppTlsKey,
      trustProxy: config.trustProxy,
    },
  });
  face.xmpp = xmpp;
  await xmpp.joinCluster();
  metrics.connectionsBy(() => {
    const live = connections.list();
    const websocket = live.filter((connection) => connection.transport === 'websocket').length;
    return { websocket, tcp: live.length - websocket };
  });
  xmpp.attachWebSocket(http.server);
  services.live.attach(xmpp.live);
  services.revocations.attach(xmpp.revoker);
  let conference: Conferencing | undefined;
  try {
    conference = await startConferencing(config, services, store, http, logger, overrides.clock ?? Date.now);
  } catch (error) {
    await xmpp.close();
    await http.close();
    await store.close();
    throw error;
  }
  metrics.activityFrom({
    calls: () => {
      const here = new Set(connections.list().map((connection) => `${connection.appId}:${connection.userId}`));
      return services.calls.active.count((appId, userId) => here.has(`${appId}:${userId}`));
    },
    conferences: () => conference?.service.activeRooms().length ?? 0,
  });
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
  const reminders = setInterval(() => void services.meetingMail.sendDueReminders().catch((error: unknown) => logger.warn({ err: error }, 'meeting reminders failed')), REMINDER_INTERVAL_MS);
  reminders.unref();
  liveStats.start();

  return {
    config,
    nodeId,
    store,
    bus,
    services,
    http,
    logger,
    xmpp,
    pushDelivery,
    conference,
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
    async crash() {
      // Nothing handed over: this node's leases stay until they lapse, as when the process dies.
      await services.presence.stop(false);
      await xmpp.abandon();
      await shutdown();
    },
    close: shutdown,
  };

  async function shutdown(): Promise<void> {
    clearInterval(sweeper);
    clearInterval(reminders);
    services.mailer.close();
    liveStats.stop();
    services.live.attach(undefined);
    services.revocations.attach(undefined);
    await conference?.close();
    await xmpp.close();
    await services.presence.stop(true);
    await http.close();
    await services.push.settled();
    services.push.outbox.onQueued(undefined);
    await pushDelivery.close();
    await bus.close();
    if (metricsListener) await new Promise((resolve) => metricsListener?.server.close(resolve));
    await store.close();
  }
}
