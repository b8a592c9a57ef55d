import type { Kysely } from 'kysely';
import { primaryIdColumn, type SqlDialectTraits } from '../dialect.js';

/** The offline queue of real-time chat (realtime.md §7.10). Released: never edit, add a new migration. */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  await db.schema
    .createTable('offline_stanzas')
    .addColumn('id', traits.serialType, primaryIdColumn(traits))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', traits.bigintType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('offline_stanzas_user').on('offline_stanzas').columns(['app_id', 'user_id', 'id']).execute();
  await db.schema.createIndex('offline_stanzas_age').on('offline_stanzas').columns(['created_at']).execute();
}
