import { Migrator, sql, type Kysely } from 'kysely';
import type { Store } from '../../ports/store.js';
import { sqlAddressBookRepository } from './address-book.js';
import { sqlAiRepository } from './ai.js';
import { sqlOperatorRepository } from './operators.js';
import { sqlDialogFieldRepository } from './dialog-fields.js';
import { sqlDialogDirectoryRepository } from './dialog-directory.js';
import { sqlAppRepository } from './apps.js';
import { sqlBlobRepository } from './blobs.js';
import { sqlDataClassRepository } from './custom-objects-classes.js';
import { sqlDataRecordRepository } from './custom-objects-records.js';
import { sqlDialogRepository } from './dialogs.js';
import { sqlMeetingRepository } from './meetings.js';
import { sqlMessageRepository } from './messages.js';
import { GroupCommitWriter, type GroupCommitLimits, type MessageBatchWriter } from './group-commit.js';
import { writeMessageBatch } from './message-batch.js';
import type { SqlDialectTraits } from './dialect.js';
import { migrationProvider } from './migrations/index.js';
import { sqlOfflineQueueRepository } from './offline-queue.js';
import { sqlLastActivityRepository } from './last-activity.js';
import { sqlPrivacyListRepository } from './privacy-lists.js';
import { sqlPushRepository } from './push.js';
import type { Database } from './schema.js';
import { sqlSessionRepository } from './sessions.js';
import { sqlUserRepository } from './users.js';

export interface SqlStoreOptions {
  /** Writes a batch of new messages in one transaction; default: on `db` (SQLite's worker thread passes its own). */
  writeMessages?: MessageBatchWriter;
  groupCommit?: GroupCommitLimits;
  /** Closes the connection(s); default `db.destroy()`. */
  onClose?: () => Promise<void>;
}

/** The Store port over a Kysely instance of either engine. */
export function createSqlStore(db: Kysely<Database>, traits: SqlDialectTraits, options: SqlStoreOptions = {}): Store {
  const writer = new GroupCommitWriter(options.writeMessages ?? ((batch) => writeMessageBatch(db, traits, batch)), options.groupCommit);
  const onClose = options.onClose ?? (() => db.destroy());
  let closing: Promise<void> | undefined;
  return {
    kind: traits.kind,
    apps: sqlAppRepository(db),
    users: sqlUserRepository(db, traits),
    sessions: sqlSessionRepository(db),
    dialogs: sqlDialogRepository(db, traits),
    messages: sqlMessageRepository(db, traits, writer),
    blobs: sqlBlobRepository(db),
    addressBook: sqlAddressBookRepository(db, traits),
    dataClasses: sqlDataClassRepository(db, traits),
    dataRecords: sqlDataRecordRepository(db, traits),
    offline: sqlOfflineQueueRepository(db),
    lastActivity: sqlLastActivityRepository(db),
    privacyLists: sqlPrivacyListRepository(db),
    ai: sqlAiRepository(db),
    push: sqlPushRepository(db, traits),
    meetings: sqlMeetingRepository(db),
    operators: sqlOperatorRepository(db),
    dialogFields: sqlDialogFieldRepository(db),
    dialogDirectory: sqlDialogDirectoryRepository(db),
    async migrate() {
      const migrator = new Migrator({ db, provider: migrationProvider(traits) });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
      const all = await migrator.getMigrations();
      const executed = all.filter((m) => m.executedAt !== undefined);
      return { applied, current: executed[executed.length - 1]?.name };
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async optimize() {
      // Stale statistics make both planners sort whole dialogs instead of reading an index in order.
      await (traits.kind === 'sqlite' ? sql`pragma optimize` : sql`analyze`).execute(db);
    },
    close() {
      // Messages handed in before closing are committed (and their callers answered) first; closing twice is one close.
      closing ??= writer.flush().then(onClose);
      return closing;
    },
  };
}
