import type { Kysely, Selectable } from 'kysely';
import {
  defaultPushAppConfig,
  type PushAppConfig,
  type PushChannel,
  type PushEnvironment,
  type PushMessage,
  type PushRepository,
  type PushSubscriptionRecord,
} from '../../ports/push.js';
import type { SqlDialectTraits } from './dialect.js';
import { parseJson } from './json.js';
import { sqlPushDeliveryLog } from './push-deliveries.js';
import type { Database, PushSubscriptionsTable } from './schema.js';

function toSubscription(row: Selectable<PushSubscriptionsTable>): PushSubscriptionRecord {
  return {
    id: Number(row.id),
    appId: row.app_id,
    userId: row.user_id,
    channel: row.channel as PushChannel,
    environment: row.environment as PushEnvironment,
    platform: row.platform as PushSubscriptionRecord['platform'],
    udid: row.udid,
    token: row.token,
    bundleId: row.bundle_id,
    webAuth: row.web_auth,
    webP256dh: row.web_p256dh,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Errors kept on failed jobs are for operators; a provider's whole body is not needed. */
const clip = (text: string) => text.slice(0, 500);

export function sqlPushRepository(db: Kysely<Database>, traits: SqlDialectTraits): PushRepository {
  return {
    ...sqlPushDeliveryLog(db),
    async upsertSubscription(subscription, now) {
      const values = {
        app_id: subscription.appId,
        user_id: subscription.userId,
        channel: subscription.channel,
        environment: subscription.environment,
        platform: subscription.platform,
        udid: subscription.udid,
        token: subscription.token,
        bundle_id: subscription.bundleId,
        web_auth: subscription.webAuth,
        web_p256dh: subscription.webP256dh,
      };
      const row = await db
        .insertInto('push_subscriptions')
        .values({ ...values, created_at: now, updated_at: now })
        .onConflict((conflict) => conflict.columns(['app_id', 'udid', 'channel']).doUpdateSet({ ...values, updated_at: now }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSubscription(row);
    },
    async subscriptionsOfUser(appId, userId) {
      const rows = await db.selectFrom('push_subscriptions').selectAll().where('app_id', '=', appId).where('user_id', '=', userId).orderBy('id').execute();
      return rows.map(toSubscription);
    },
    async subscriptionsOfUsers(appId, userIds) {
      if (userIds.length === 0) return [];
      const rows = await db.selectFrom('push_subscriptions').selectAll().where('app_id', '=', appId).where('user_id', 'in', userIds).orderBy('user_id').orderBy('id').execute();
      return rows.map(toSubscription);
    },
    async findSubscription(appId, id) {
      const row = await db.selectFrom('push_subscriptions').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      return row ? toSubscription(row) : undefined;
    },
    async deleteSubscription(appId, id) {
      const result = await db.deleteFrom('push_subscriptions').where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async recordEvent(event) {
      const row = await db
        .insertInto('push_events')
        .values({ app_id: event.appId, user_id: event.userId, channel: event.channel, environment: event.environment, message: event.message, created_at: event.createdAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...event, id: Number(row.id) };
    },

    async enqueue(jobs, now) {
      if (jobs.length === 0) return;
      const rows = jobs.map((job) => ({
        app_id: job.appId,
        subscription_id: job.subscriptionId,
        message: JSON.stringify(job.message),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        locked_until: 0,
        created_at: now,
      }));
      await db.transaction().execute(async (trx) => {
        // Bounded statements: a push to many users is many rows.
        for (let start = 0; start < rows.length; start += 500) await trx.insertInto('push_jobs').values(rows.slice(start, start + 500)).execute();
      });
    },
    async claim(now, limit, leaseMs) {
      return db.transaction().execute(async (trx) => {
        const due = trx
          .selectFrom('push_jobs')
          .selectAll()
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where('locked_until', '<=', now)
          .orderBy('id')
          .limit(limit);
        // Two nodes on one PostgreSQL database never take the same job.
        const rows = await (traits.rowLocks ? due.forUpdate().skipLocked() : due).execute();
        if (rows.length === 0) return [];
        await trx.updateTable('push_jobs').set({ locked_until: now + leaseMs }).where('id', 'in', rows.map((row) => row.id)).execute();
        return rows.map((row) => ({
          id: Number(row.id),
          appId: row.app_id,
          subscriptionId: row.subscription_id,
          message: parseJson<PushMessage | null>(row.message, null) as PushMessage,
          attempts: row.attempts,
          createdAt: Number(row.created_at),
        }));
      });
    },
    async complete(id) {
      await db.deleteFrom('push_jobs').where('id', '=', id).execute();
    },
    async retry(id, nextAttemptAt, error) {
      await db
        .updateTable('push_jobs')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: nextAttemptAt, locked_until: 0, last_error: clip(error) }))
        .where('id', '=', id)
        .execute();
    },
    async fail(id, error) {
      await db
        .updateTable('push_jobs')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), status: 'failed', locked_until: 0, last_error: clip(error) }))
        .where('id', '=', id)
        .execute();
    },
    async pendingCount(appId) {
      let query = db.selectFrom('push_jobs').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'pending');
      if (appId !== undefined) query = query.where('app_id', '=', appId);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },
    async nextDueAt() {
      const row = await db
        .selectFrom('push_jobs')
        .select((eb) => eb.fn.min('next_attempt_at').as('due'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
    },

    async getConfig(appId) {
      const row = await db.selectFrom('push_app_config').select('config').where('app_id', '=', appId).executeTakeFirst();
      return { ...defaultPushAppConfig, ...parseJson<Partial<PushAppConfig>>(row?.config ?? null, {}) };
    },
    async saveConfig(appId, config, now) {
      const text = JSON.stringify(config);
      await db
        .insertInto('push_app_config')
        .values({ app_id: appId, config: text, updated_at: now })
        .onConflict((conflict) => conflict.column('app_id').doUpdateSet({ config: text, updated_at: now }))
        .execute();
    },

    async bookOwnersOfPhone(appId, phoneKey, exceptUserId) {
      const rows = await db
        .selectFrom('address_book_contacts')
        .select('user_id')
        .distinct()
        .where('app_id', '=', appId)
        .where('phone_key', '=', phoneKey)
        .where('user_id', '!=', exceptUserId)
        .orderBy('user_id')
        .execute();
      return rows.map((row) => row.user_id);
    },
  };
}
