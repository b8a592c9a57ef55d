import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createDiskBlobStorage } from './adapters/blobs-disk/index.js';
import { createSmtpMailer } from './adapters/mail-smtp/index.js';
import { createJanusPpRecConverter } from './adapters/recordings-janus-pp-rec/index.js';
import { createJanusSfu, startManagedJanus, type ManagedJanus } from './adapters/sfu-janus/index.js';
import { createMemoryPresence } from './adapters/presence-memory/index.js';
import { createPostgresStore } from './adapters/store-postgres/index.js';
import { createSqliteStore } from './adapters/store-sqlite/index.js';
import { createMemoryThrottle } from './adapters/throttle-memory/index.js';
import { attachConferenceGateway, CONFERENCE_PATH, type ConferenceGateway } from './conference/gateway.js';
import type { Config } from './config/index.js';
import { RecordingService } from './domain/conference/recordings.js';
import { ConferenceService } from './domain/conference/service.js';
import { AddressBookService } from './domain/addressbook/service.js';
import { AppService } from './domain/apps/service.js';
import { DataClassService } from './domain/data/classes.js';
import { DataService } from './domain/data/service.js';
import { BlobService } from './domain/blobs/service.js';
import { DialogService } from './domain/dialogs/service.js';
import { ArchiveService } from './domain/live-chat/archive.js';
import { OfflineQueue } from './domain/live-chat/offline.js';
import { LiveEditService } from './domain/live-chat/edits.js';
import { LiveChatService } from './domain/live-chat/service.js';
import { LastActivityService } from './domain/last-activity/service.js';
import { PrivacyService } from './domain/privacy/service.js';
import { SystemMessageService } from './domain/live-chat/system.js';
import { MeetingMail } from './domain/meetings/mail.js';
import { MeetingService } from './domain/meetings/service.js';
import { MessageService } from './domain/messages/service.js';
import { SessionService } from './domain/sessions/service.js';
import type { Clock } from './domain/shared/actor.js';
import { PasswordResetService } from './domain/users/password-reset.js';
import { UserService } from './domain/users/service.js';
import { buildHttpServer } from './http/server.js';
import { createLogger, type Logger } from './ops/logging.js';
import { createHttpMetrics } from './ops/metrics.js';
import type { LiveEvents } from './ports/live-events.js';
import type { Mailer } from './ports/mailer.js';
import type { PresenceDirectory } from './ports/presence.js';
import type { Sfu } from './ports/sfu.js';
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
  /** Meetings (rest.md §9) and who may join their conference and chat. */
  meetings: MeetingService;
  /** Invitation, update and reminder mails of meetings. */
  meetingMail: MeetingMail;
  passwordReset: PasswordResetService;
  /** Outgoing mail (PARLEY_SMTP_URL); disabled when unset. */
  mailer: Mailer;
  /** Where REST-started live events go; the XMPP face attaches itself when it starts. */
  live: LiveEventsRelay;
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
  /** Video conferencing (the Janus gateway at `/conference`), when PARLEY_CONFERENCE is not off. */
  readonly conference: Conferencing | undefined;
  /** Binds the configured host/port (0 = a free port) and returns the base URL (and the XMPP TCP port, if any). */
  listen(): Promise<{ url: string; port: number; xmppPort?: number }>;
  close(): Promise<void>;
}

export interface ServerOverrides {
  logger?: Logger;
  clock?: Clock;
  /** XMPP TCP port instead of `config.xmppPort`; 0 = any free port (tests read it from `listen()`). */
  xmppTcpPort?: number;
  /** XMPP keep-alive period and idle timeout in ms instead of the (whole-second) config (tests). */
  xmppTimers?: { keepAliveMs: number; idleTimeoutMs: number };
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
  return config.databaseUrl === '' ? createSqliteStore(config.dataDir) : createPostgresStore(config.databaseUrl);
}

/** Domain services over a store; shared by `serve` and the CLI commands. */
export function createServices(config: Config, store: Store, clock: Clock = Date.now, logger?: Logger): Services {
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
    xmppScram: config.xmppScram,
  });
  const live = new LiveEventsRelay();
  const privacy = new PrivacyService(store, clock, { cacheTtlMs: PRIVACY_CACHE_TTL_MS });
  const dialogs = new DialogService(store, clock, live);
  const messages = new MessageService(store, dialogs, clock, { maxMessageBytes: config.messageMaxBytes }, live, privacy);
  const presence = createMemoryPresence();
  const mailer = createSmtpMailer(config.smtpUrl, config.mailFrom);
  const meetings = new MeetingService(store, dialogs, clock);
  const meetingMail = new MeetingMail(store, mailer, clock, logger ?? { warn: () => undefined });
  meetings.observe(meetingMail);
  return {
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
    archive: new ArchiveService(store, dialogs),
    systemMessages: new SystemMessageService(store, live, clock, config.messageMaxBytes),
    privacy,
    lastActivity: new LastActivityService(store, presence, clock),
    meetings,
    meetingMail,
    mailer,
    passwordReset: new PasswordResetService(store, users, mailer, clock, { passwordMinLength: config.passwordMinLength }),
    live,
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
  const services = createServices(config, store, overrides.clock, logger);
  if (!services.mailer.enabled) logger.info('mail off: PARLEY_SMTP_URL is not set (no meeting mails, no password reset mails)');
  const http = await buildHttpServer(
    { ...services, store, metrics: createHttpMetrics(), chatDomain: config.chatDomain, adminToken: config.adminToken, publicUrl: config.publicUrl.replace(/\/+$/, '') },
    { bodyLimit: config.bodyLimit, trustProxy: config.trustProxy, logger },
  );
  const xmpp = createXmppFace({
    services,
    logger,
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
      otherWebSocketPaths: [CONFERENCE_PATH],
      tlsCertFile: config.xmppTlsCert,
      tlsKeyFile: config.xmppTlsKey,
      trustProxy: config.trustProxy,
    },
  });
  xmpp.attachWebSocket(http.server);
  services.live.attach(xmpp.live);
  let conference: Conferencing | undefined;
  try {
    conference = await startConferencing(config, services, store, http, logger, overrides.clock ?? Date.now);
  } catch (error) {
    await xmpp.close();
    await http.close();
    await store.close();
    throw error;
  }
  const sweepPartialUploads = () =>
    services.blobs.sweepPartialUploads().catch((error: unknown) => logger.warn({ err: error }, 'partial upload sweep failed'));
  void sweepPartialUploads();
  const sweeper = setInterval(() => {
    void sweepPartialUploads();
    services.sessions.sweepExpired().catch((error: unknown) => logger.warn({ err: error }, 'session sweep failed'));
    store.optimize().catch((error: unknown) => logger.warn({ err: error }, 'planner statistics refresh failed'));
    services.offline.purge().catch((error: unknown) => logger.warn({ err: error }, 'offline queue sweep failed'));
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  const reminders = setInterval(() => void services.meetingMail.sendDueReminders().catch((error: unknown) => logger.warn({ err: error }, 'meeting reminders failed')), REMINDER_INTERVAL_MS);
  reminders.unref();

  return {
    config,
    store,
    services,
    http,
    logger,
    xmpp,
    conference,
    async listen() {
      await http.listen({ host: config.host, port: config.port });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      const tcpPort = overrides.xmppTcpPort ?? (config.xmppPort === 0 ? undefined : config.xmppPort);
      if (tcpPort === undefined) return { url: `http://${host}:${port}`, port };
      return { url: `http://${host}:${port}`, port, xmppPort: await xmpp.listenTcp(config.host, tcpPort) };
    },
    async close() {
      clearInterval(sweeper);
      clearInterval(reminders);
      services.mailer.close();
      services.live.attach(undefined);
      await conference?.close();
      await xmpp.close();
      await http.close();
      await store.close();
    },
  };
}
