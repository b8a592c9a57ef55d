import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { phoneMatchKey } from '../../ports/address-book.js';
import type { NewUser, UserChange, UserRecord, UserRepository } from '../../ports/store.js';
import { UniqueViolation } from '../../ports/store.js';
import type { SqlDialectTraits } from './dialect.js';
import { applyUserQuery, countUserQuery } from './user-query.js';
import type { Database, UsersTable } from './schema.js';
import { preparedQuery } from './prepared.js';
import { sqlChunks } from './sql-chunks.js';

export function toUser(row: Selectable<UsersTable>): UserRecord {
  return {
    id: row.id,
    appId: row.app_id,
    login: row.login,
    email: row.email,
    fullName: row.full_name,
    phone: row.phone,
    website: row.website,
    customData: row.custom_data,
    avatar: row.avatar,
    blobId: row.blob_id,
    externalUserId: row.external_user_id,
    externalId: row.external_id,
    facebookId: row.facebook_id,
    twitterId: row.twitter_id,
    timezone: row.timezone,
    tags: row.tags ? row.tags.split(',') : [],
    isGuest: row.is_guest === 1,
    passwordHash: row.password_hash,
    scram:
      row.scram_salt && row.scram_stored_key && row.scram_server_key
        ? { salt: row.scram_salt, iterations: row.scram_iterations ?? 4096, storedKey: row.scram_stored_key, serverKey: row.scram_server_key }
        : null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    lastRequestAt: row.last_request_at === null ? null : Number(row.last_request_at),
    // Present only while blocked, so records of users never blocked look as before migration 0013.
    ...(row.blocked_at === null || row.blocked_at === undefined ? {} : { blockedAt: Number(row.blocked_at) }),
  };
}

/** Maps a (partial) domain user onto columns; keys absent from `change` stay absent. */
function toColumns(change: UserChange): Updateable<UsersTable> {
  const columns: Updateable<UsersTable> = {};
  const direct: [keyof UserChange, keyof UsersTable][] = [
    ['login', 'login'],
    ['fullName', 'full_name'],
    ['phone', 'phone'],
    ['website', 'website'],
    ['customData', 'custom_data'],
    ['avatar', 'avatar'],
    ['blobId', 'blob_id'],
    ['externalUserId', 'external_user_id'],
    ['externalId', 'external_id'],
    ['facebookId', 'facebook_id'],
    ['twitterId', 'twitter_id'],
    ['timezone', 'timezone'],
    ['passwordHash', 'password_hash'],
    ['updatedAt', 'updated_at'],
    ['lastRequestAt', 'last_request_at'],
    ['blockedAt', 'blocked_at'],
  ];
  const target = columns as Record<string, unknown>;
  for (const [field, column] of direct) {
    if (change[field] !== undefined) target[column] = change[field];
  }
  if (change.email !== undefined) {
    columns.email = change.email;
    columns.email_norm = change.email === null ? null : change.email.toLowerCase();
  }
  // Address books match users on this key (ports/address-book.ts); it follows every phone change.
  if (change.phone !== undefined) columns.phone_norm = phoneMatchKey(change.phone);
  if (change.tags !== undefined) columns.tags = change.tags.length > 0 ? change.tags.join(',') : null;
  if (change.isGuest !== undefined) columns.is_guest = change.isGuest ? 1 : 0;
  if (change.scram !== undefined) {
    columns.scram_salt = change.scram?.salt ?? null;
    columns.scram_iterations = change.scram?.iterations ?? null;
    columns.scram_stored_key = change.scram?.storedKey ?? null;
    columns.scram_server_key = change.scram?.serverKey ?? null;
  }
  return columns;
}

export function sqlUserRepository(db: Kysely<Database>, traits: SqlDialectTraits): UserRepository {
  /** Runs a write, turning a unique-index failure into the port's UniqueViolation. */
  async function guarded<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const column = traits.uniqueViolationColumn(error);
      if (column === undefined) throw error;
      const field = column === 'email_norm' ? 'email' : column;
      const known = ['login', 'email', 'external_id', 'facebook_id', 'twitter_id'] as const;
      throw new UniqueViolation((known as readonly string[]).includes(field) ? (field as (typeof known)[number]) : 'unknown');
    }
  }

  async function replaceTags(trx: Transaction<Database>, appId: number, userId: number, tags: string[]): Promise<void> {
    await trx.deleteFrom('user_tags').where('app_id', '=', appId).where('user_id', '=', userId).execute();
    if (tags.length > 0) {
      await trx
        .insertInto('user_tags')
        .values(tags.map((tag) => ({ app_id: appId, user_id: userId, tag })))
        .execute();
    }
  }

  // The messages and session paths read users by id per message or login.
  const byId = preparedQuery(db, db.selectFrom('users').selectAll().where('app_id', '=', 0).where('id', '=', 0));
  const findById = async (appId: number, userId: number) => {
    const [row] = await byId(appId, userId);
    return row && toUser(row);
  };
  const findOne = async (appId: number, column: 'login' | 'email_norm', value: string) => {
    const row = await db.selectFrom('users').selectAll().where('app_id', '=', appId).where(column, '=', value).executeTakeFirst();
    return row && toUser(row);
  };

  return {
    create(appId, user: NewUser) {
      return guarded(() =>
        db.transaction().execute(async (trx) => {
          const values = { ...toColumns(user), app_id: appId, created_at: user.createdAt } as Insertable<UsersTable>;
          const row = await trx.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow();
          await replaceTags(trx, appId, row.id, user.tags);
          return toUser(row);
        }),
      );
    },
    findById,
    async findByIds(appId, userIds) {
      if (userIds.length === 0) return [];
      if (userIds.length === 1) return (await byId(appId, userIds[0])).map(toUser);
      const rows = [];
      for (const part of sqlChunks(userIds)) rows.push(...(await db.selectFrom('users').selectAll().where('app_id', '=', appId).where('id', 'in', part).execute()));
      return rows.sort((a, b) => a.id - b.id).map(toUser);
    },
    findByLogin: (appId, login) => findOne(appId, 'login', login),
    findByEmail: (appId, email) => findOne(appId, 'email_norm', email.toLowerCase()),
    update(appId, userId, change) {
      return guarded(() =>
        db.transaction().execute(async (trx) => {
          const columns = toColumns(change);
          if (Object.keys(columns).length === 0 && change.tags === undefined) {
            const unchanged = await trx.selectFrom('users').selectAll().where('app_id', '=', appId).where('id', '=', userId).executeTakeFirst();
            return unchanged && toUser(unchanged);
          }
          const row = await trx
            .updateTable('users')
            .set(columns)
            .where('app_id', '=', appId)
            .where('id', '=', userId)
            .returningAll()
            .executeTakeFirst();
          if (!row) return undefined;
          if (change.tags !== undefined) await replaceTags(trx, appId, userId, change.tags);
          return toUser(row);
        }),
      );
    },
    async delete(appId, userId) {
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('sessions').where('app_id', '=', appId).where('user_id', '=', userId).execute();
        await trx.deleteFrom('user_tags').where('app_id', '=', appId).where('user_id', '=', userId).execute();
        const result = await trx.deleteFrom('users').where('app_id', '=', appId).where('id', '=', userId).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },
    async query(appId, query) {
      const base = db.selectFrom('users').where('app_id', '=', appId);
      const [rows, total] = await Promise.all([
        applyUserQuery(base.selectAll(), query, appId).limit(query.limit).offset(query.offset).execute(),
        countUserQuery(base, query, appId),
      ]);
      return { total, users: rows.map(toUser) };
    },
    async deleteExpiredGuests(now) {
      return db.transaction().execute(async (trx) => {
        const expired = await trx
          .selectFrom('users')
          .select(['id', 'app_id'])
          .where('is_guest', '=', 1)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('sessions')
                  .select('sessions.id')
                  .whereRef('sessions.user_id', '=', 'users.id')
                  .where('sessions.expires_at', '>=', now),
              ),
            ),
          )
          .execute();
        if (expired.length === 0) return 0;
        const ids = expired.map((row) => row.id);
        await trx.deleteFrom('sessions').where('user_id', 'in', ids).execute();
        await trx.deleteFrom('user_tags').where('user_id', 'in', ids).execute();
        await trx.deleteFrom('users').where('id', 'in', ids).execute();
        return ids.length;
      });
    },
  };
}
