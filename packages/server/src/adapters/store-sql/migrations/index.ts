import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { SqlDialectTraits } from '../dialect.js';
import * as foundation from './0001_foundation.js';
import * as chat from './0002_chat.js';
import * as blobs from './0003_blobs.js';
import * as customObjects from './0004_custom_objects.js';
import * as addressBook from './0005_address_book.js';
import * as offlineQueue from './0006_offline_queue.js';
import * as sessionScram from './0007_session_scram.js';
import * as lastActivity from './0008_last_activity.js';
import * as privacyLists from './0009_privacy_lists.js';
import * as push from './0011_push.js';
import * as meetings from './0012_meetings.js';
import * as userBlocking from './0013_user_blocking.js';
import * as aiSettings from './0014_ai_settings.js';
import * as operators from './0018_operators.js';
import * as pushDeliveries from './0019_push_deliveries.js';

interface VersionedMigration {
  up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void>;
}

/** Every migration in order. Names are versions: never rename or edit a released one. */
const migrations: Record<string, VersionedMigration> = {
  '0001_foundation': foundation,
  '0002_chat': chat,
  '0003_blobs': blobs,
  '0004_custom_objects': customObjects,
  '0005_address_book': addressBook,
  '0006_offline_queue': offlineQueue,
  '0007_session_scram': sessionScram,
  '0008_last_activity': lastActivity,
  '0009_privacy_lists': privacyLists,
  '0011_push': push,
  '0012_meetings': meetings,
  '0013_user_blocking': userBlocking,
  '0014_ai_settings': aiSettings,
  '0018_operators': operators,
  '0019_push_deliveries': pushDeliveries,
};

/** Hands Kysely's Migrator the in-code migrations, bound to the engine's traits. */
export function migrationProvider(traits: SqlDialectTraits): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, migration]) => [name, { up: (db: Kysely<unknown>) => migration.up(db, traits) }]),
      );
    },
  };
}
