import type { Kysely } from 'kysely';
import { primaryIdColumn, type SqlDialectTraits } from '../dialect.js';

/** Apps, users (with tags and SCRAM keys) and sessions. Released: never edit, add a new migration. */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  const big = traits.bigintType;
  const idColumn = primaryIdColumn(traits);

  await db.schema
    .createTable('apps')
    .addColumn('id', traits.serialType, idColumn)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('auth_key', 'text', (c) => c.notNull().unique())
    .addColumn('auth_secret', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', traits.serialType, idColumn)
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('login', 'text')
    .addColumn('email', 'text')
    .addColumn('email_norm', 'text')
    .addColumn('full_name', 'text')
    .addColumn('phone', 'text')
    .addColumn('website', 'text')
    .addColumn('custom_data', 'text')
    .addColumn('avatar', 'text')
    .addColumn('blob_id', 'integer')
    .addColumn('external_user_id', 'integer')
    .addColumn('external_id', 'text')
    .addColumn('facebook_id', 'text')
    .addColumn('twitter_id', 'text')
    .addColumn('timezone', 'integer')
    .addColumn('tags', 'text')
    .addColumn('is_guest', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_hash', 'text')
    .addColumn('scram_salt', 'text')
    .addColumn('scram_iterations', 'integer')
    .addColumn('scram_stored_key', 'text')
    .addColumn('scram_server_key', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('last_request_at', big)
    .execute();

  for (const column of ['login', 'email_norm', 'external_id', 'facebook_id', 'twitter_id']) {
    const name = column === 'email_norm' ? 'email' : column;
    await db.schema.createIndex(`users_app_${name}_unique`).on('users').columns(['app_id', column]).unique().execute();
  }
  await db.schema.createIndex('users_app_full_name').on('users').columns(['app_id', 'full_name']).execute();
  await db.schema.createIndex('users_app_created').on('users').columns(['app_id', 'created_at']).execute();
  await db.schema.createIndex('users_guest').on('users').columns(['is_guest']).execute();

  await db.schema
    .createTable('user_tags')
    .addColumn('app_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_tags_pk', ['user_id', 'tag'])
    .execute();
  await db.schema.createIndex('user_tags_app_tag').on('user_tags').columns(['app_id', 'tag']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', traits.serialType, idColumn)
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('nonce', big, (c) => c.notNull())
    .addColumn('ts', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('hard_expires_at', big)
    .execute();
  await db.schema.createIndex('sessions_expires').on('sessions').columns(['expires_at']).execute();
  await db.schema.createIndex('sessions_app_user').on('sessions').columns(['app_id', 'user_id']).execute();
}
