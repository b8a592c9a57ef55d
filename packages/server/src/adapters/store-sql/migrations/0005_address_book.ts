import type { Kysely } from 'kysely';
import { phoneMatchKey } from '../../../ports/address-book.js';
import type { SqlDialectTraits } from '../dialect.js';

const BACKFILL_BATCH = 500;

/**
 * Address books (rest.md §8): one row per contact of a user's global book (`udid` = '') or device
 * book, keyed by the phone's digits; and `users.phone_norm`, the same digits of each user's phone,
 * indexed so registered contacts are found by an indexed join. Released: never edit, add a new migration.
 */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  const big = traits.bigintType;

  await db.schema.alterTable('users').addColumn('phone_norm', 'text').execute();
  await backfillPhoneKeys(db as Kysely<UsersPhones>);
  await db.schema.createIndex('users_app_phone_norm').on('users').columns(['app_id', 'phone_norm']).execute();

  await db.schema
    .createTable('address_book_contacts')
    .addColumn('app_id', 'integer', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    /** '' is the global book; anything else a device's udid. */
    .addColumn('udid', 'text', (c) => c.notNull())
    .addColumn('phone_key', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('address_book_contacts_pk', ['app_id', 'user_id', 'udid', 'phone_key'])
    .execute();
  // Who has this phone in their book: for telling owners that a contact has joined.
  await db.schema.createIndex('address_book_contacts_app_phone').on('address_book_contacts').columns(['app_id', 'phone_key']).execute();
}

interface UsersPhones {
  users: { id: number; phone: string | null; phone_norm: string | null };
}

/** Existing users get their phone's match key, in id order and bounded batches. */
async function backfillPhoneKeys(db: Kysely<UsersPhones>): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'phone'])
      .where('phone', 'is not', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(BACKFILL_BATCH)
      .execute();
    for (const row of rows) {
      const key = phoneMatchKey(row.phone);
      if (key !== null) await db.updateTable('users').set({ phone_norm: key }).where('id', '=', row.id).execute();
    }
    const last = rows.at(-1);
    if (!last || rows.length < BACKFILL_BATCH) return;
    after = last.id;
  }
}
