import type { Kysely } from 'kysely';
import type { OperatorRecord, OperatorRepository } from '../../ports/operators.js';
import type { Database, OperatorsTable } from './schema.js';

function toRecord(row: Omit<OperatorsTable, 'id'> & { id: number }): OperatorRecord {
  return { id: Number(row.id), login: row.login, passwordHash: row.password_hash, createdAt: Number(row.created_at) };
}

export function sqlOperatorRepository(db: Kysely<Database>): OperatorRepository {
  return {
    async create(login, passwordHash, createdAt) {
      const row = await db.insertInto('operators').values({ login, password_hash: passwordHash, created_at: createdAt }).returningAll().executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async findByLogin(login) {
      const row = await db.selectFrom('operators').selectAll().where('login', '=', login).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async findById(id) {
      const row = await db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async setPassword(id, passwordHash) {
      await db.updateTable('operators').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },
    async count() {
      const row = await db.selectFrom('operators').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async createSession(session) {
      await db
        .insertInto('operator_sessions')
        .values({ token_hash: session.tokenHash, operator_id: session.operatorId, csrf_token: session.csrfToken, created_at: session.createdAt, expires_at: session.expiresAt })
        .execute();
    },
    async findSession(tokenHash) {
      const row = await db.selectFrom('operator_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!row) return undefined;
      return { tokenHash: row.token_hash, operatorId: Number(row.operator_id), csrfToken: row.csrf_token, createdAt: Number(row.created_at), expiresAt: Number(row.expires_at) };
    },
    async deleteSession(tokenHash) {
      await db.deleteFrom('operator_sessions').where('token_hash', '=', tokenHash).execute();
    },
    async deleteSessionsOf(operatorId) {
      await db.deleteFrom('operator_sessions').where('operator_id', '=', operatorId).execute();
    },
    async purgeExpiredSessions(now) {
      const result = await db.deleteFrom('operator_sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
