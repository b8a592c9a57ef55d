import type { Kysely } from 'kysely';
import { primaryIdColumn, type SqlDialectTraits } from '../dialect.js';

/** Blob metadata (rest.md §5); the bytes live behind the BlobStorage port. Released: never edit. */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  const big = traits.bigintType;
  await db.schema
    .createTable('blobs')
    .addColumn('id', traits.serialType, primaryIdColumn(traits))
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('uid', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stored_size', big)
    .addColumn('uploaded_at', big)
    .addColumn('completed_at', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  // uids are random capabilities, unique across applications (a download URL names no app).
  await db.schema.createIndex('blobs_uid_unique').on('blobs').column('uid').unique().execute();
  await db.schema.createIndex('blobs_app_owner').on('blobs').columns(['app_id', 'owner_id', 'id']).execute();
}
