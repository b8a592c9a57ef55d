/**
 * Push notifications (rest.md §7): device subscriptions, the durable delivery queue, and each
 * application's provider credentials and alert settings.
 *
 * Guarantees every store adapter gives (test/contract/push-store.contract.test.ts, on each adapter):
 * - rows of another application are never read or written;
 * - `upsertSubscription` keeps one row per (app, udid, channel): the same device re-subscribing, by the
 *   same or another user, updates that row in place (the udid moves with the device);
 * - `enqueue` is atomic: all jobs of one call are committed, or none;
 * - a claimed job is leased: no other `claim` returns it until the lease ends, so a job in flight when
 *   the process died is retried (at least once) after its lease, and a completed job (deleted) never
 *   comes back;
 * - `retry` and `fail` release the lease; a failed job is kept (for operators) and never claimed again;
 * - the delivery log lists an app's entries newest first and never another app's.
 */

export const PUSH_CHANNELS = ['apns', 'apns_voip', 'gcm', 'web'] as const;
export type PushChannel = (typeof PUSH_CHANNELS)[number];
export const PUSH_ENVIRONMENTS = ['development', 'production'] as const;
export type PushEnvironment = (typeof PUSH_ENVIRONMENTS)[number];

export interface PushSubscriptionRecord {
  id: number;
  appId: number;
  userId: number;
  channel: PushChannel;
  environment: PushEnvironment;
  platform: 'ios' | 'android' | 'web';
  udid: string;
  /** Device token (apns, apns_voip, gcm) or the web endpoint (web). */
  token: string;
  bundleId: string | null;
  /** Web push keys of the browser's PushSubscription. */
  webAuth: string | null;
  webP256dh: string | null;
  createdAt: number;
  updatedAt: number;
}

export type NewPushSubscription = Omit<PushSubscriptionRecord, 'id' | 'createdAt' | 'updatedAt'>;

/** What one job asks a provider to send (already shaped for its channel). */
export interface PushMessage {
  /** The provider body: web push plaintext JSON, FCM `message` fields, APNs JSON payload. */
  payload: Record<string, unknown>;
  /** APNs `apns-push-type` (and FCM priority: voip → high). */
  pushType: 'alert' | 'background' | 'voip';
  /** High priority (APNs 10, FCM high, web push urgency high). */
  urgent: boolean;
  /** Unix seconds after which the provider may drop it; 0 = none. */
  expiresAt: number;
}

export interface PushJob {
  id: number;
  appId: number;
  subscriptionId: number;
  message: PushMessage;
  attempts: number;
  createdAt: number;
}

export interface NewPushJob {
  appId: number;
  subscriptionId: number;
  message: PushMessage;
}

/** Per-application provider credentials and automatic-push settings; unset = null. */
export interface PushAppConfig {
  vapid: { publicKey: string; privateKey: string; subject: string } | null;
  /** Google service-account JSON (project_id, client_email, private_key, token_uri). */
  fcm: { projectId: string; clientEmail: string; privateKey: string; tokenUri: string } | null;
  apns: { keyId: string; teamId: string; privateKey: string; bundleId: string } | null;
  /** Chat alert text with %{sender_name}, %{message_text}, %{dialog_name}. */
  chatAlertTemplate: string;
  /** Push address-book owners when a contact of theirs signs up (rest.md §8). */
  contactJoined: boolean;
  /** Push offline callees when a call starts (realtime.md §12.3 Parley choice). */
  callPushes: boolean;
}

export const DEFAULT_CHAT_ALERT_TEMPLATE = '%{sender_name}: %{message_text}';

export const defaultPushAppConfig: PushAppConfig = {
  vapid: null,
  fcm: null,
  apns: null,
  chatAlertTemplate: DEFAULT_CHAT_ALERT_TEMPLATE,
  contactJoined: false,
  callPushes: false,
};

export interface PushEventRecord {
  id: number;
  appId: number;
  userId: number;
  channel: PushChannel | null;
  environment: PushEnvironment | null;
  message: string;
  createdAt: number;
}

/** One provider answer, as the delivery log keeps it for operators. */
export interface PushDeliveryRecord {
  id: number;
  appId: number;
  jobId: number;
  subscriptionId: number;
  userId: number;
  channel: PushChannel;
  outcome: PushOutcome['kind'];
  reason: string | null;
  /** 1 for the first try. */
  attempt: number;
  elapsedMs: number;
  createdAt: number;
}

export interface PushDeliveryQuery {
  limit: number;
  /** Only answers that were not `delivered`. */
  failuresOnly: boolean;
  userId?: number;
}

/** The delivery log (operators' view of what the providers answered). */
export interface PushDeliveryLog {
  logDelivery(record: Omit<PushDeliveryRecord, 'id'>): Promise<void>;
  /** Newest first. */
  recentDeliveries(appId: number, query: PushDeliveryQuery): Promise<PushDeliveryRecord[]>;
  /** Drops entries older than `before` (any app). */
  pruneDeliveries(before: number): Promise<void>;
}

export interface PushRepository extends PushDeliveryLog {
  upsertSubscription(subscription: NewPushSubscription, now: number): Promise<PushSubscriptionRecord>;
  subscriptionsOfUser(appId: number, userId: number): Promise<PushSubscriptionRecord[]>;
  /** Subscriptions of any of the users (by id order), optionally one channel. */
  subscriptionsOfUsers(appId: number, userIds: number[]): Promise<PushSubscriptionRecord[]>;
  findSubscription(appId: number, id: number): Promise<PushSubscriptionRecord | undefined>;
  deleteSubscription(appId: number, id: number): Promise<boolean>;

  recordEvent(event: Omit<PushEventRecord, 'id'>): Promise<PushEventRecord>;

  enqueue(jobs: NewPushJob[], now: number): Promise<void>;
  /** Up to `limit` due, unleased jobs, oldest first, leased until `now + leaseMs`. */
  claim(now: number, limit: number, leaseMs: number): Promise<PushJob[]>;
  /** Delivered (or pointless): the job is gone for good. */
  complete(id: number): Promise<void>;
  retry(id: number, nextAttemptAt: number, error: string): Promise<void>;
  fail(id: number, error: string): Promise<void>;
  /** Jobs not yet delivered nor failed (metrics, tests). */
  pendingCount(appId?: number): Promise<number>;
  /** The earliest time a waiting job becomes due, if any. */
  nextDueAt(): Promise<number | undefined>;

  getConfig(appId: number): Promise<PushAppConfig>;
  saveConfig(appId: number, config: PushAppConfig, now: number): Promise<void>;

  /** Owners (other than `exceptUserId`) with this phone match key in any of their books. */
  bookOwnersOfPhone(appId: number, phoneKey: string, exceptUserId: number): Promise<number[]>;
}

/** How a provider answered one send. */
export type PushOutcome =
  | { kind: 'delivered' }
  /** The device token or endpoint is invalid or expired: remove the subscription. */
  | { kind: 'invalid-token'; reason: string }
  /** Worth trying again later (outage, throttling, network). */
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** This job can never succeed (malformed payload, credentials missing): fail it alone. */
  | { kind: 'rejected'; reason: string };

/**
 * One push provider protocol. `send` never throws for a provider or network failure: it answers with
 * an outcome. The app's credentials come with each call (they may change at any time).
 */
export interface PushProvider {
  send(subscription: PushSubscriptionRecord, message: PushMessage, config: PushAppConfig): Promise<PushOutcome>;
  close?(): Promise<void>;
}

export type PushProviders = Record<'web' | 'fcm' | 'apns', PushProvider>;
