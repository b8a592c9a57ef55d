import type { Kysely, Selectable } from 'kysely';
import type { ScramKeys, SessionRecord, SessionRepository } from '../../ports/store.js';
import type { Database, SessionsTable } from './schema.js';

function toSession(row: Selectable<SessionsTable>): SessionRecord {
  const scram = scramOf(row);
  return {
    id: row.id,
    appId: row.app_id,
    userId: row.user_id,
    tokenHash: row.token_hash,
    nonce: Number(row.nonce),
    ts: Number(row.ts),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    expiresAt: Number(row.expires_at),
    hardExpiresAt: row.hard_expires_at === null ? null : Number(row.hard_expires_at),
    ...(scram ? { scram } : {}),
  };
}

function scramOf(row: Pick<Selectable<SessionsTable>, 'scram_salt' | 'scram_iterations' | 'scram_stored_key' | 'scram_server_key'>): ScramKeys | null {
  const { scram_salt: salt, scram_iterations: iterations, scram_stored_key: storedKey, scram_server_key: serverKey } = row;
  return salt && iterations && storedKey && serverKey ? { salt, iterations: Number(iterations), storedKey, serverKey } : null;
}

export function sqlSessionRepository(db: Kysely<Database>): SessionRepository {
  return {
    async create(session) {
      const row = await db
        .insertInto('sessions')
        .values({
          app_id: session.appId,
          user_id: session.userId,
          token_hash: session.tokenHash,
          nonce: session.nonce,
          ts: session.ts,
          created_at: session.createdAt,
          updated_at: session.updatedAt,
          expires_at: session.expiresAt,
          hard_expires_at: session.hardExpiresAt,
          scram_salt: session.scram?.salt ?? null,
          scram_iterations: session.scram?.iterations ?? null,
          scram_stored_key: session.scram?.storedKey ?? null,
          scram_server_key: session.scram?.serverKey ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSession(row);
    },
    async findByTokenHash(tokenHash) {
      const row = await db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row && toSession(row);
    },
    async findById(appId, sessionId) {
      const row = await db.selectFrom('sessions').selectAll().where('app_id', '=', appId).where('id', '=', sessionId).executeTakeFirst();
      return row && toSession(row);
    },
    async touch(session, expiresAt, now) {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('sessions')
          .set({ expires_at: expiresAt })
          .where('app_id', '=', session.appId)
          .where('id', '=', session.id)
          .execute();
        if (session.userId !== null) {
          await trx
            .updateTable('users')
            .set({ last_request_at: now })
            .where('app_id', '=', session.appId)
            .where('id', '=', session.userId)
            .execute();
        }
      });
    },
    async bindUser(appId, sessionId, userId, now) {
      await db
        .updateTable('sessions')
        .set({ user_id: userId, updated_at: now })
        .where('app_id', '=', appId)
        .where('id', '=', sessionId)
        .execute();
    },
    async delete(appId, sessionId) {
      await db.deleteFrom('sessions').where('app_id', '=', appId).where('id', '=', sessionId).execute();
    },
    async deleteExpired(now) {
      const result = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async listActive(appId, filter) {
      let query = db.selectFrom('sessions').selectAll().where('app_id', '=', appId).where('expires_at', '>', filter.now);
      if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
      const rows = await query.orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
      return rows.map(toSession);
    },
    async scramKeysOf(appId, userId, now) {
      const rows = await db
        .selectFrom('sessions')
        .select(['scram_salt', 'scram_iterations', 'scram_stored_key', 'scram_server_key'])
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .where('expires_at', '>', now)
        .where('scram_stored_key', 'is not', null)
        .orderBy('id', 'desc')
        .execute();
      return rows.map(scramOf).filter((keys): keys is ScramKeys => keys !== null);
    },
  };
}
