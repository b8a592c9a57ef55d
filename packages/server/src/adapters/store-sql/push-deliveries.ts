import type { Kysely } from 'kysely';
import type { PushChannel, PushDeliveryLog, PushDeliveryRecord } from '../../ports/push.js';
import type { Database } from './schema.js';

/** Reasons are for operators; a provider's whole body is not needed. */
const clip = (text: string | null) => (text === null ? null : text.slice(0, 500));

/** The push delivery log (migration 0019): one row per provider answer. */
export function sqlPushDeliveryLog(db: Kysely<Database>): PushDeliveryLog {
  return {
    async logDelivery(record) {
      await db
        .insertInto('push_deliveries')
        .values({
          app_id: record.appId,
          job_id: record.jobId,
          subscription_id: record.subscriptionId,
          user_id: record.userId,
          channel: record.channel,
          outcome: record.outcome,
          reason: clip(record.reason),
          attempt: record.attempt,
          elapsed_ms: Math.round(record.elapsedMs),
          created_at: record.createdAt,
        })
        .execute();
    },
    async recentDeliveries(appId, query) {
      let select = db.selectFrom('push_deliveries').selectAll().where('app_id', '=', appId);
      if (query.failuresOnly) select = select.where('outcome', '!=', 'delivered');
      if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
      const rows = await select.orderBy('id', 'desc').limit(query.limit).execute();
      return rows.map(
        (row): PushDeliveryRecord => ({
          id: Number(row.id),
          appId: row.app_id,
          jobId: Number(row.job_id),
          subscriptionId: Number(row.subscription_id),
          userId: row.user_id,
          channel: row.channel as PushChannel,
          outcome: row.outcome as PushDeliveryRecord['outcome'],
          reason: row.reason,
          attempt: row.attempt,
          elapsedMs: row.elapsed_ms,
          createdAt: Number(row.created_at),
        }),
      );
    },
    async pruneDeliveries(before) {
      await db.deleteFrom('push_deliveries').where('created_at', '<', before).execute();
    },
  };
}
