import type { Kysely } from 'kysely';
import type { AiProviderName, AiRepository, AiSettingsRecord } from '../../ports/ai.js';
import type { AiSettingsTable, Database } from './schema.js';

function toRecord(row: AiSettingsTable): AiSettingsRecord {
  return {
    appId: row.app_id,
    provider: row.provider as AiProviderName | 'none',
    model: row.model,
    storedKey: row.stored_key,
    baseUrl: row.base_url,
    userRequestsPerMinute: row.user_requests_per_minute === null ? null : Number(row.user_requests_per_minute),
    appRequestsPerDay: row.app_requests_per_day === null ? null : Number(row.app_requests_per_day),
    updatedAt: Number(row.updated_at),
  };
}

export function sqlAiRepository(db: Kysely<Database>): AiRepository {
  return {
    async get(appId) {
      const row = await db.selectFrom('ai_settings').selectAll().where('app_id', '=', appId).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async put(settings) {
      const values = {
        provider: settings.provider,
        model: settings.model,
        stored_key: settings.storedKey,
        base_url: settings.baseUrl,
        user_requests_per_minute: settings.userRequestsPerMinute,
        app_requests_per_day: settings.appRequestsPerDay,
        updated_at: settings.updatedAt,
      };
      await db
        .insertInto('ai_settings')
        .values({ app_id: settings.appId, ...values })
        .onConflict((conflict) => conflict.column('app_id').doUpdateSet(values))
        .execute();
    },
    async remove(appId) {
      const result = await db.deleteFrom('ai_settings').where('app_id', '=', appId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async findSummary(appId, cacheKey) {
      const row = await db.selectFrom('ai_summaries').select(['summary', 'provider', 'created_at']).where('app_id', '=', appId).where('cache_key', '=', cacheKey).executeTakeFirst();
      return row ? { summary: row.summary, provider: row.provider, createdAt: Number(row.created_at) } : undefined;
    },
    async putSummary(appId, cacheKey, summary) {
      const values = { summary: summary.summary, provider: summary.provider, created_at: summary.createdAt };
      await db
        .insertInto('ai_summaries')
        .values({ app_id: appId, cache_key: cacheKey, ...values })
        .onConflict((conflict) => conflict.columns(['app_id', 'cache_key']).doUpdateSet(values))
        .execute();
    },
    async purgeSummaries(before) {
      const result = await db.deleteFrom('ai_summaries').where('created_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
