/**
 * The storage port. Every tenant-scoped method takes the application id, and adapters put it in every
 * query, so no call can reach another application's rows.
 *
 * Guarantees every adapter gives (checked by test/contract/store.contract.ts on each adapter):
 * - a write method returns only after its change is committed (durable on the adapter's terms);
 * - a multi-row write (a user and its tags) is atomic: all of it or none of it;
 * - uniqueness conflicts surface as `UniqueViolation`, never as a half-written row;
 * - times are epoch milliseconds in and out.
 */

import type { AddressBookRepository } from './address-book.js';
import type { AiRepository } from './ai.js';
import type { DialogDirectoryRepository, DialogFieldRepository, OperatorRepository } from './operators.js';
import type { BlobRepository } from './blob-store.js';
import type { DialogRepository, MessageRepository } from './chat-store.js';
import type { DataClassRepository, DataRecordRepository } from './data-store.js';
import type { LastActivityRepository } from './last-activity.js';
import type { MeetingRepository } from './meetings.js';
import type { OfflineQueueRepository } from './offline-queue.js';
import type { PrivacyListRepository } from './privacy-lists.js';
import type { PushRepository } from './push.js';

export interface AppSettings {
  /** Deprecated V1 user lookups answer (default) or 403. */
  usersV1Enabled: boolean;
  /** When true, a session with unknown login/email credentials is refused instead of creating the user. */
  denySessionWithoutUser: boolean;
  /** Lets `[start_with]` user searches take 1+ characters and keep the requested limit (docs: 4+, limit 5). */
  relaxedStartWith: boolean;
}

export const defaultAppSettings: AppSettings = {
  usersV1Enabled: true,
  denySessionWithoutUser: false,
  relaxedStartWith: false,
};

export interface AppRecord {
  id: number;
  name: string;
  authKey: string;
  authSecret: string;
  settings: AppSettings;
  createdAt: number;
}

export interface ScramKeys {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}

export interface UserProfile {
  login: string | null;
  email: string | null;
  fullName: string | null;
  phone: string | null;
  website: string | null;
  customData: string | null;
  avatar: string | null;
  blobId: number | null;
  externalUserId: number | null;
  externalId: string | null;
  facebookId: string | null;
  twitterId: string | null;
  timezone: number | null;
  tags: string[];
}

export interface UserRecord extends UserProfile {
  id: number;
  appId: number;
  isGuest: boolean;
  passwordHash: string | null;
  scram: ScramKeys | null;
  createdAt: number;
  updatedAt: number;
  lastRequestAt: number | null;
  /** When an operator blocked the user: no new sessions or logins (absent/null = not blocked). */
  blockedAt?: number | null;
}

export type NewUser = Omit<UserRecord, 'id' | 'appId'>;

/** A partial user change; `tags` replaces the tag set. */
export type UserChange = Partial<Omit<UserRecord, 'id' | 'appId' | 'createdAt'>>;

export interface SessionRecord {
  id: number;
  appId: number;
  userId: number | null;
  /** SHA-256 of the token: the database never holds a usable token. */
  tokenHash: string;
  nonce: number;
  ts: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  /** Guest sessions never slide past this instant. */
  hardExpiresAt: number | null;
  /** SCRAM-SHA-1 keys of the token with the user's salt (realtime.md §4.4); absent/null = none. */
  scram?: ScramKeys | null;
}

export type NewSession = Omit<SessionRecord, 'id'>;

/** User fields a list query may filter or sort on. */
export type UserField =
  | 'id'
  | 'login'
  | 'email'
  | 'full_name'
  | 'phone'
  | 'website'
  | 'external_id'
  | 'external_user_id'
  | 'facebook_id'
  | 'twitter_id'
  | 'blob_id'
  | 'timezone'
  | 'created_at'
  | 'updated_at'
  | 'last_request_at';

export type UserCondition =
  | { field: UserField; op: 'eq' | 'ne' | 'gt' | 'lt' | 'gte' | 'lte'; value: string | number }
  | { field: UserField; op: 'in' | 'nin'; values: (string | number)[] }
  | { field: UserField; op: 'between'; low: string | number; high: string | number }
  | { field: UserField; op: 'startsWith' | 'contains'; value: string }
  | { field: 'tags'; op: 'hasAny' | 'hasNone'; values: string[] };

export interface UserQuery {
  conditions: UserCondition[];
  sort?: { field: UserField; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

export interface UserPage {
  total: number;
  users: UserRecord[];
}

export class UniqueViolation extends Error {
  override name = 'UniqueViolation';
  constructor(readonly field: 'login' | 'email' | 'external_id' | 'facebook_id' | 'twitter_id' | 'private' | 'unknown') {
    super(`unique constraint on ${field}`);
  }
}

export interface AppRepository {
  create(app: Omit<AppRecord, 'id'>): Promise<AppRecord>;
  findById(appId: number): Promise<AppRecord | undefined>;
  findByAuthKey(authKey: string): Promise<AppRecord | undefined>;
  findByName(name: string): Promise<AppRecord | undefined>;
  list(): Promise<AppRecord[]>;
  /** Changes name, auth secret and/or settings; undefined when there is no such application. */
  update(appId: number, change: AppChange): Promise<AppRecord | undefined>;
  /** Deletes the application and, by cascade, every row of it; false when there was none. */
  delete(appId: number): Promise<boolean>;
}

export type AppChange = Partial<Pick<AppRecord, 'name' | 'authSecret' | 'settings'>>;

export interface UserRepository {
  create(appId: number, user: NewUser): Promise<UserRecord>;
  findById(appId: number, userId: number): Promise<UserRecord | undefined>;
  /** The users of this application among `userIds`, in id order. */
  findByIds(appId: number, userIds: number[]): Promise<UserRecord[]>;
  findByLogin(appId: number, login: string): Promise<UserRecord | undefined>;
  /** Emails match case-insensitively. */
  findByEmail(appId: number, email: string): Promise<UserRecord | undefined>;
  update(appId: number, userId: number, change: UserChange): Promise<UserRecord | undefined>;
  /** Deletes the user and all of its sessions; false when there was no such user. */
  delete(appId: number, userId: number): Promise<boolean>;
  query(appId: number, query: UserQuery): Promise<UserPage>;
  /** Guests whose every session has ended before `now`, across applications (for the sweeper). */
  deleteExpiredGuests(now: number): Promise<number>;
}

export interface SessionRepository {
  create(session: NewSession): Promise<SessionRecord>;
  findByTokenHash(tokenHash: string): Promise<SessionRecord | undefined>;
  findById(appId: number, sessionId: number): Promise<SessionRecord | undefined>;
  /** Slides the expiry and stamps the bound user's last request time in one write. */
  touch(session: SessionRecord, expiresAt: number, now: number): Promise<void>;
  bindUser(appId: number, sessionId: number, userId: number | null, now: number): Promise<void>;
  delete(appId: number, sessionId: number): Promise<void>;
  deleteExpired(now: number): Promise<number>;
  /** Unexpired sessions of an application (optionally of one user), newest first, for operators. */
  listActive(appId: number, filter: { userId?: number; now: number; limit: number; offset: number }): Promise<SessionRecord[]>;
  /** SCRAM keys of the user's sessions that have them and expire after `now`, newest first. */
  scramKeysOf(appId: number, userId: number, now: number): Promise<ScramKeys[]>;
}

export interface MigrationReport {
  applied: string[];
  current: string | undefined;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly apps: AppRepository;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly dialogs: DialogRepository;
  readonly messages: MessageRepository;
  /** Blob metadata (rest.md §5); the bytes are behind ports/blobs.ts. */
  readonly blobs: BlobRepository;
  readonly addressBook: AddressBookRepository;
  /** Custom objects (rest.md §6). */
  readonly dataClasses: DataClassRepository;
  readonly dataRecords: DataRecordRepository;
  readonly offline: OfflineQueueRepository;
  /** Last time each user was seen on real-time chat (realtime.md §9). */
  readonly lastActivity: LastActivityRepository;
  /** Per-app AI settings and cached summaries. */
  readonly ai: AiRepository;
  /** Dashboard operators and their browser sessions. */
  readonly operators: OperatorRepository;
  /** Dialog custom fields (extensions) an operator declared per app. */
  readonly dialogFields: DialogFieldRepository;
  /** Every dialog of an app, searched by operators. */
  readonly dialogDirectory: DialogDirectoryRepository;
  /** XEP-0016 privacy lists (realtime.md §10). */
  readonly privacyLists: PrivacyListRepository;
  /** Push subscriptions, the delivery queue and per-app provider settings (rest.md §7). */
  readonly push: PushRepository;
  /** Meetings and their recordings (rest.md §9). */
  readonly meetings: MeetingRepository;
  migrate(): Promise<MigrationReport>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * A consistent copy of the whole database into `file` while it stays in use (SQLite's online backup
   * API). Absent where the engine has its own tools (PostgreSQL: pg_dump).
   */
  backup?(file: string): Promise<void>;
  /** Refreshes the query planner's statistics (after bulk loads, and periodically). */
  optimize(): Promise<void>;
  close(): Promise<void>;
}
