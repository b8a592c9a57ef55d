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
import type { DialogRepository } from './dialogs.js';
import type { MessageRepository } from './messages.js';
import type { DataClassRepository, DataRecordRepository } from './data-store.js';
import type { LastActivityRepository } from './last-activity.js';
import type { MeetingRepository } from './meetings.js';
import type { OfflineQueueRepository } from './offline-queue.js';
import type { PrivacyListRepository } from './privacy-lists.js';
import type { PushRepository } from './push.js';
import type { AppRepository } from './apps.js';
import type { SessionRepository } from './sessions.js';
import type { UserRepository } from './users.js';

// One file per aggregate (ADR 0013); re-exported so `Store` users keep one import.
export * from './apps.js';
export * from './dialogs.js';
export * from './messages.js';
export * from './sessions.js';
export * from './users.js';

export class UniqueViolation extends Error {
  override name = 'UniqueViolation';
  constructor(readonly field: 'login' | 'email' | 'external_id' | 'facebook_id' | 'twitter_id' | 'private' | 'unknown') {
    super(`unique constraint on ${field}`);
  }
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
