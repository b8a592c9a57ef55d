import type { Kysely } from 'kysely';
import type { OfflineQueueRepository } from '../../ports/offline-queue.js';
import type { Database } from './schema.js';

export function sqlOfflineQueueRepository(db: Kysely<Database>): OfflineQueueRepository {
  return {
    async push(appId, userId, payload, createdAt, cap) {
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('offline_stanzas').values({ app_id: appId, user_id: userId, payload, created_at: createdAt }).execute();
        // The newest `cap` stay; the row just before them marks where the dropped ones end.
        const boundary = await trx
          .selectFrom('offline_stanzas')
          .select('id')
          .where('app_id', '=', appId)
          .where('user_id', '=', userId)
          .orderBy('id', 'desc')
          .offset(cap)
          .limit(1)
          .executeTakeFirst();
        if (boundary) {
          await trx.deleteFrom('offline_stanzas').where('app_id', '=', appId).where('user_id', '=', userId).where('id', '<=', boundary.id).execute();
        }
      });
    },
    async pending(appId, userId, limit) {
      const rows = await db
        .selectFrom('offline_stanzas')
        .select(['id', 'payload', 'created_at'])
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .orderBy('id', 'asc')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ id: Number(row.id), payload: row.payload, createdAt: Number(row.created_at) }));
    },
    async remove(appId, userId, ids) {
      if (ids.length === 0) return;
      await db.deleteFrom('offline_stanzas').where('app_id', '=', appId).where('user_id', '=', userId).where('id', 'in', ids).execute();
    },
    async purgeOlderThan(cutoff) {
      const result = await db.deleteFrom('offline_stanzas').where('created_at', '<', cutoff).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
