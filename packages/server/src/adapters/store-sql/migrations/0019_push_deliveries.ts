import type { Kysely } from 'kysely';
import { primaryIdColumn, type SqlDialectTraits } from '../dialect.js';

/**
 * The push delivery log: one row per provider answer (delivered, refused, retried, token invalid), so
 * operators can see recent deliveries and failures (delivered jobs leave `push_jobs` at once). Kept
 * for a week by the delivery worker. Released: never edit, add a new migration.
 */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  await db.schema
    .createTable('push_deliveries')
    .addColumn('id', traits.serialType, primaryIdColumn(traits))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('job_id', 'integer', (c) => c.notNull())
    .addColumn('subscription_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    /** 'delivered', 'rejected', 'retry' or 'invalid-token'. */
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    /** 1 for the first try. */
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('elapsed_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', traits.bigintType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('push_deliveries_app').on('push_deliveries').columns(['app_id', 'id']).execute();
  await db.schema.createIndex('push_deliveries_created').on('push_deliveries').column('created_at').execute();
}
