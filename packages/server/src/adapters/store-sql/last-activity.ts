import type { Kysely } from 'kysely';
import type { LastActivityRepository } from '../../ports/last-activity.js';
import type { Database } from './schema.js';

export function sqlLastActivityRepository(db: Kysely<Database>): LastActivityRepository {
  return {
    async recordSeen(appId, userId, at) {
      await db
        .insertInto('last_activity')
        .values({ app_id: appId, user_id: userId, seen_at: at })
        .onConflict((conflict) => conflict.columns(['app_id', 'user_id']).doUpdateSet({ seen_at: at }))
        .execute();
    },
    async seenAt(appId, userId) {
      const row = await db.selectFrom('last_activity').select('seen_at').where('app_id', '=', appId).where('user_id', '=', userId).executeTakeFirst();
      return row ? Number(row.seen_at) : undefined;
    },
  };
}
