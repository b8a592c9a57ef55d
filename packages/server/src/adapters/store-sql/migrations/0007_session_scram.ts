import type { Kysely } from 'kysely';
import type { SqlDialectTraits } from '../dialect.js';

/**
 * SCRAM-SHA-1 keys of each session token (realtime.md §4.4), derived with the user's one salt when the
 * session is created with `xmppScram` on. Sessions created before that stay NULL: their tokens log in over
 * XMPP with PLAIN only. Released: never edit, add a new migration.
 */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  void traits;
  await db.schema.alterTable('sessions').addColumn('scram_salt', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('scram_iterations', 'integer').execute();
  await db.schema.alterTable('sessions').addColumn('scram_stored_key', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('scram_server_key', 'text').execute();
}
