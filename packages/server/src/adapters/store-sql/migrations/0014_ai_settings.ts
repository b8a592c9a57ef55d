import type { Kysely } from 'kysely';
import type { SqlDialectTraits } from '../dialect.js';

/** Per-app AI provider settings and the summary cache (docs/ai.md). Released: never edit, add a new migration. */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  await db.schema
    .createTable('ai_settings')
    .addColumn('app_id', 'integer', (c) => c.primaryKey().references('apps.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('stored_key', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('user_requests_per_minute', 'integer')
    .addColumn('app_requests_per_day', 'integer')
    .addColumn('updated_at', traits.bigintType, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ai_summaries')
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('cache_key', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('created_at', traits.bigintType, (c) => c.notNull())
    .addPrimaryKeyConstraint('ai_summaries_pk', ['app_id', 'cache_key'])
    .execute();
  await db.schema.createIndex('ai_summaries_created').on('ai_summaries').column('created_at').execute();
}
