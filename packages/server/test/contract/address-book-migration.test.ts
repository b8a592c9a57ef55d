import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, provideTestPostgres } from '@parley/testkit';
import { postgresTraits, sqliteTraits, type SqlDialectTraits } from '../../src/adapters/store-sql/dialect.js';
import * as foundation from '../../src/adapters/store-sql/migrations/0001_foundation.js';
import * as addressBook from '../../src/adapters/store-sql/migrations/0005_address_book.js';
import { storeKinds, type StoreKind } from './stores.js';

/** 0005 gives users who had a phone before it their match key (in batches), on both engines. */

interface Opened {
  db: Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a schema mid-migration
  traits: SqlDialectTraits;
  dispose(): Promise<void>;
}

async function open(kind: StoreKind): Promise<Opened> {
  if (kind === 'sqlite') {
    const database = new SqliteDatabase(':memory:');
    database.pragma('foreign_keys = ON');
    const db = new Kysely({ dialect: new SqliteDialect({ database }) });
    return { db, traits: sqliteTraits, dispose: () => db.destroy() };
  }
  const postgres = await provideTestPostgres();
  const test = await createTestDatabase(postgres.adminUrl);
  const db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: test.url, max: 2 }) }) });
  return {
    db,
    traits: postgresTraits,
    async dispose() {
      await db.destroy();
      await test.drop();
      await postgres.stop();
    },
  };
}

describe.each(storeKinds)('migration 0005 on %s', (kind) => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await open(kind);
  });
  afterAll(() => opened.dispose());

  it('backfills phone_norm for every existing user with a phone', async () => {
    const { db, traits } = opened;
    await foundation.up(db, traits);
    const app = await db.insertInto('apps').values({ name: 'a', auth_key: 'k', auth_secret: 's', settings: '{}', created_at: 1 }).returning('id').executeTakeFirstOrThrow();
    // More than one backfill batch (500), with phones in several writings and some without digits.
    const phones = Array.from({ length: 520 }, (_, i) => (i % 10 === 0 ? null : i % 10 === 1 ? 'no digits' : `+1 (555) 01${String(i).padStart(5, '0')}`));
    await db
      .insertInto('users')
      .values(phones.map((phone, i) => ({ app_id: app.id, login: `u${String(i)}`, phone, is_guest: 0, created_at: 1, updated_at: 1 })))
      .execute();

    await addressBook.up(db, traits);

    const rows: { login: string; phone_norm: string | null }[] = await db.selectFrom('users').select(['login', 'phone_norm']).orderBy('id').execute();
    expect(rows).toHaveLength(520);
    rows.forEach((row, i) => {
      const phone = phones[i];
      expect(row.phone_norm).toBe(phone === null || phone === 'no digits' ? null : `155501${String(i).padStart(5, '0')}`);
    });
  });
});
