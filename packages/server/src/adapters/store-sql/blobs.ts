import type { Kysely, Selectable, Updateable } from 'kysely';
import type { BlobChange, BlobRecord, BlobRepository } from '../../ports/blob-store.js';
import type { BlobsTable, Database } from './schema.js';

const optionalNumber = (value: number | string | null): number | null => (value === null ? null : Number(value));

function toBlob(row: Selectable<BlobsTable>): BlobRecord {
  return {
    id: row.id,
    appId: row.app_id,
    ownerId: row.owner_id,
    uid: row.uid,
    name: row.name,
    contentType: row.content_type,
    isPublic: row.is_public === 1,
    storedSize: optionalNumber(row.stored_size),
    uploadedAt: optionalNumber(row.uploaded_at),
    completedAt: optionalNumber(row.completed_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function toColumns(change: BlobChange): Updateable<BlobsTable> {
  const columns: Updateable<BlobsTable> = {};
  if (change.name !== undefined) columns.name = change.name;
  if (change.contentType !== undefined) columns.content_type = change.contentType;
  if (change.storedSize !== undefined) columns.stored_size = change.storedSize;
  if (change.uploadedAt !== undefined) columns.uploaded_at = change.uploadedAt;
  if (change.completedAt !== undefined) columns.completed_at = change.completedAt;
  if (change.updatedAt !== undefined) columns.updated_at = change.updatedAt;
  return columns;
}

export function sqlBlobRepository(db: Kysely<Database>): BlobRepository {
  return {
    async create(appId, blob) {
      const row = await db
        .insertInto('blobs')
        .values({
          app_id: appId,
          owner_id: blob.ownerId,
          uid: blob.uid,
          name: blob.name,
          content_type: blob.contentType,
          is_public: blob.isPublic ? 1 : 0,
          stored_size: blob.storedSize,
          uploaded_at: blob.uploadedAt,
          completed_at: blob.completedAt,
          created_at: blob.createdAt,
          updated_at: blob.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toBlob(row);
    },
    async findById(appId, id) {
      const row = await db.selectFrom('blobs').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      return row && toBlob(row);
    },
    async findByUid(appId, uid) {
      const row = await db.selectFrom('blobs').selectAll().where('app_id', '=', appId).where('uid', '=', uid).executeTakeFirst();
      return row && toBlob(row);
    },
    async findByUidInAnyApp(uid) {
      const row = await db.selectFrom('blobs').selectAll().where('uid', '=', uid).executeTakeFirst();
      return row && toBlob(row);
    },
    async listByOwner(appId, ownerId, page) {
      const owned = db.selectFrom('blobs').where('app_id', '=', appId).where('owner_id', '=', ownerId);
      const [rows, count] = await Promise.all([
        owned.selectAll().orderBy('id').limit(page.limit).offset(page.offset).execute(),
        owned.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { total: Number(count.total), blobs: rows.map(toBlob) };
    },
    async update(appId, id, change) {
      const row = await db.updateTable('blobs').set(toColumns(change)).where('app_id', '=', appId).where('id', '=', id).returningAll().executeTakeFirst();
      return row && toBlob(row);
    },
    async uidsOfApp(appId, afterId, limit) {
      return db.selectFrom('blobs').select(['id', 'uid']).where('app_id', '=', appId).where('id', '>', afterId).orderBy('id').limit(limit).execute();
    },
    async delete(appId, id) {
      const result = await db.deleteFrom('blobs').where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
