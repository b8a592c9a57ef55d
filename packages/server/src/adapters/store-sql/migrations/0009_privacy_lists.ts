import type { Kysely } from 'kysely';
import { primaryIdColumn, type SqlDialectTraits } from '../dialect.js';

/**
 * Privacy lists (XEP-0016, realtime.md §10): one row per list, its items as a JSON array in stored order
 * (lists are small and always read whole). Released: never edit, add a new migration.
 */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  await db.schema
    .createTable('privacy_lists')
    .addColumn('id', traits.serialType, primaryIdColumn(traits))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', traits.bigintType, (c) => c.notNull())
    .addColumn('updated_at', traits.bigintType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('privacy_lists_name').on('privacy_lists').columns(['app_id', 'user_id', 'name']).unique().execute();
}
