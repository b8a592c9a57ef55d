import { createGoogleAiProvider } from '../adapters/ai-google/index.js';
import { createOpenAiCompatibleProvider } from '../adapters/ai-openai-compatible/index.js';
import { createSmtpMailer } from '../adapters/mail-smtp/index.js';
import { createMemoryPresence } from '../adapters/presence-memory/index.js';
import { createMemoryThrottle } from '../adapters/throttle-memory/index.js';
import { generateVapidKeys } from '../adapters/push-webpush/index.js';
import type { Config } from '../config/index.js';
import { AddressBookService } from '../domain/addressbook/service.js';
import { HistoryReader } from '../domain/ai/history.js';
import { KeyBox } from '../domain/ai/key-box.js';
import { AiQuota } from '../domain/ai/quota.js';
import { AiService, type ProviderFailure } from '../domain/ai/service.js';
import { AiSettingsService } from '../domain/ai/settings.js';
import { AppService } from '../domain/apps/service.js';
import { BlobLinks } from '../domain/blobs/blob-links.js';
import { BlobService } from '../domain/blobs/service.js';
import { CallService } from '../domain/calls/service.js';
import { TurnCredentialService } from '../domain/calls/turn.js';
import { DataRecordAdministration } from '../domain/data/admin.js';
import { DataClassService } from '../domain/data/classes.js';
import { DataService } from '../domain/data/service.js';
import { DialogAdministration } from '../domain/dialogs/admin.js';
import { DialogDirectory } from '../domain/dialogs/directory.js';
import { DialogFieldService } from '../domain/dialogs/fields.js';
import { DialogService } from '../domain/dialogs/service.js';
import { LastActivityService } from '../domain/last-activity/service.js';
import { ArchiveService } from '../domain/live-chat/archive.js';
import { OfflineQueue } from '../domain/live-chat/offline.js';
import { LiveChatService } from '../domain/live-chat/service.js';
import { SystemMessageService } from '../domain/live-chat/system.js';
import { MeetingMail } from '../domain/meetings/mail.js';
import { MeetingService } from '../domain/meetings/service.js';
import { MessageService } from '../domain/messages/service.js';
import { OperatorService } from '../domain/operators/service.js';
import { PrivacyService } from '../domain/privacy/service.js';
import { createPushDomain, type PushDomain } from '../domain/push/module.js';
import { SessionAdministration } from '../domain/sessions/admin.js';
import { SessionService } from '../domain/sessions/service.js';
import type { Clock } from '../domain/shared/actor.js';
import { RevocationRelay } from '../domain/shared/revocations.js';
import { UserAdministration } from '../domain/users/admin.js';
import { PasswordResetService } from '../domain/users/password-reset.js';
import { UserService } from '../domain/users/service.js';
import { instrumentThrottle } from '../ops/instrument.js';
import type { Logger } from '../ops/logging.js';
import type { ServerMetrics } from '../ops/metrics.js';
import type { AiProviderFactory } from '../ports/ai.js';
import type { BlobStorage } from '../ports/blobs.js';
import type { CallPushNotifier } from '../ports/call-push.js';
import type { Mailer } from '../ports/mailer.js';
import type { ClusterPresence } from '../ports/presence.js';
import type { Store } from '../ports/store.js';
import { LiveEventsRelay } from './live-relay.js';
import { openBlobStorage } from './store.js';
import { configuredTurn } from './turn.js';

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

/** The AI adapters, by provider name. */
const aiProviders: AiProviderFactory = (settings) => (settings.provider === 'google' ? createGoogleAiProvider(settings) : createOpenAiCompatibleProvider(settings));

/** What `createServices` may be given besides config, store and clock. */
export interface ServiceExtras {
  /** Push to offline callees (the push module's implementation of ports/call-push.ts); none = no call push. */
  callPush?: CallPushNotifier;
  /** TURN URLs and secret in force (`parley serve` passes those of the coturn it started); default = from config. */
  turn?: { urls: readonly string[]; secret: string };
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
