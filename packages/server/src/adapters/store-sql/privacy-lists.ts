import type { Kysely } from 'kysely';
import type { PrivacyListRepository, StoredPrivacyItem } from '../../ports/privacy-lists.js';
import type { Database } from './schema.js';

/** Ids per `in (…)` query, well under SQLite's bound-parameter limit. */
const ID_CHUNK = 500;

const parseItems = (text: string): StoredPrivacyItem[] => JSON.parse(text) as StoredPrivacyItem[];

export function sqlPrivacyListRepository(db: Kysely<Database>): PrivacyListRepository {
  const lists = (appId: number, userId: number) => db.selectFrom('privacy_lists').where('app_id', '=', appId).where('user_id', '=', userId);
  return {
    async replace(appId, userId, name, items, now) {
      const json = JSON.stringify(items);
      await db
        .insertInto('privacy_lists')
        .values({ app_id: appId, user_id: userId, name, items: json, is_default: 0, created_at: now, updated_at: now })
        .onConflict((conflict) => conflict.columns(['app_id', 'user_id', 'name']).doUpdateSet({ items: json, updated_at: now }))
        .execute();
    },
    async get(appId, userId, name) {
      const row = await lists(appId, userId).select('items').where('name', '=', name).executeTakeFirst();
      return row ? parseItems(row.items) : undefined;
    },
    async names(appId, userId) {
      const rows = await lists(appId, userId).select(['name', 'is_default']).orderBy('id', 'asc').execute();
      return { names: rows.map((row) => row.name), default: rows.find((row) => Number(row.is_default) === 1)?.name ?? null };
    },
    async delete(appId, userId, name) {
      const result = await db.deleteFrom('privacy_lists').where('app_id', '=', appId).where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async setDefault(appId, userId, name) {
      return db.transaction().execute(async (trx) => {
        if (name !== null) {
          const exists = await trx.selectFrom('privacy_lists').select('id').where('app_id', '=', appId).where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
          if (!exists) return false;
        }
        await trx.updateTable('privacy_lists').set({ is_default: 0 }).where('app_id', '=', appId).where('user_id', '=', userId).where('is_default', '=', 1).execute();
        if (name !== null) {
          await trx.updateTable('privacy_lists').set({ is_default: 1 }).where('app_id', '=', appId).where('user_id', '=', userId).where('name', '=', name).execute();
        }
        return true;
      });
    },
    async defaultItemsOf(appId, userIds) {
      const found = new Map<number, StoredPrivacyItem[]>();
      for (let start = 0; start < userIds.length; start += ID_CHUNK) {
        const chunk = userIds.slice(start, start + ID_CHUNK);
        const rows = await db.selectFrom('privacy_lists').select(['user_id', 'items']).where('app_id', '=', appId).where('user_id', 'in', chunk).where('is_default', '=', 1).execute();
        for (const row of rows) found.set(Number(row.user_id), parseItems(row.items));
      }
      return found;
    },
    async defaultItems(appId, userId) {
      const row = await lists(appId, userId).select('items').where('is_default', '=', 1).executeTakeFirst();
      return row ? parseItems(row.items) : undefined;
    },
  };
}
