import type { Kysely } from 'kysely';
import type { SqlDialectTraits } from '../dialect.js';

/** When each user was last seen on real-time chat (realtime.md §9.1). Released: never edit, add a new migration. */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  await db.schema
    .createTable('last_activity')
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('seen_at', traits.bigintType, (c) => c.notNull())
    .addPrimaryKeyConstraint('last_activity_pk', ['app_id', 'user_id'])
    .execute();
}
