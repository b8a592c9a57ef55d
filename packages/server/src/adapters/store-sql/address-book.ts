import type { Kysely, Transaction } from 'kysely';
import type { AddressBookRepository, BookUpload, ContactRecord, UploadCounts } from '../../ports/address-book.js';
import type { SqlDialectTraits } from './dialect.js';
import type { Database } from './schema.js';
import { toUser } from './users.js';
import { yieldToEventLoop } from './sql-chunks.js';

/** Rows per insert or delete statement: far below both engines' bound-parameter limits. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += CHUNK) out.push(items.slice(start, start + CHUNK));
  return out;
}

/** What an upload leaves behind: the counts, and the final state of each phone it touched. */
interface Outcome {
  counts: UploadCounts;
  /** Phone key → the contact to write, or null to delete it. */
  final: Map<string, ContactRecord | null>;
  size: number;
}

/** Replays the changes over the book's current keys, one by one, without touching the database. */
function replay(existing: Set<string>, upload: BookUpload): Outcome {
  const counts: UploadCounts = { created: 0, updated: 0, deleted: 0 };
  const present = new Set(upload.replace ? [] : existing);
  if (upload.replace) counts.deleted = existing.size;
  const final = new Map<string, ContactRecord | null>();
  for (const change of upload.changes) {
    if (change.kind === 'upsert') {
      if (present.has(change.phoneKey)) counts.updated += 1;
      else counts.created += 1;
      present.add(change.phoneKey);
      final.set(change.phoneKey, { phone: change.phone, phoneKey: change.phoneKey, name: change.name });
    } else if (present.delete(change.phoneKey)) {
      counts.deleted += 1;
      final.set(change.phoneKey, null);
    }
  }
  return { counts, final, size: present.size };
}

export function sqlAddressBookRepository(db: Kysely<Database>, traits: SqlDialectTraits): AddressBookRepository {
  const inBook = (appId: number, userId: number, book: string) => (trx: Kysely<Database> | Transaction<Database>) =>
    trx.selectFrom('address_book_contacts').where('app_id', '=', appId).where('user_id', '=', userId).where('udid', '=', book);

  return {
    async apply(appId, userId, book, upload) {
      return db.transaction().execute(async (trx) => {
        // One upload per user at a time, so the replay sees what it overwrites (SQLite has one writer anyway).
        if (traits.rowLocks) {
          await trx.selectFrom('users').select('id').where('app_id', '=', appId).where('id', '=', userId).forUpdate().execute();
        }
        const rows = await inBook(appId, userId, book)(trx).select('phone_key').execute();
        const existing = new Set(rows.map((row) => row.phone_key));
        const outcome = replay(existing, upload);
        if (outcome.size > upload.maxContacts) return 'book-full' as const;

        const deleteInBook = () =>
          trx.deleteFrom('address_book_contacts').where('app_id', '=', appId).where('user_id', '=', userId).where('udid', '=', book);
        if (upload.replace && existing.size > 0) await deleteInBook().execute();
        // After a replace the book is empty already; otherwise remove what existed and ends deleted.
        const removed = upload.replace ? [] : [...outcome.final].flatMap(([key, contact]) => (contact === null && existing.has(key) ? [key] : []));
        for (const keys of chunks(removed)) {
          await deleteInBook().where('phone_key', 'in', keys).execute();
          await yieldToEventLoop();
        }

        const written = [...outcome.final.values()].filter((contact): contact is ContactRecord => contact !== null);
        for (const batch of chunks(written)) {
          await yieldToEventLoop();
          await trx
            .insertInto('address_book_contacts')
            .values(
              batch.map((contact) => ({
                app_id: appId,
                user_id: userId,
                udid: book,
                phone_key: contact.phoneKey,
                phone: contact.phone,
                name: contact.name,
                created_at: upload.now,
                updated_at: upload.now,
              })),
            )
            .onConflict((conflict) =>
              conflict.columns(['app_id', 'user_id', 'udid', 'phone_key']).doUpdateSet((eb) => ({
                phone: eb.ref('excluded.phone'),
                name: eb.ref('excluded.name'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            )
            .execute();
        }
        return outcome.counts;
      });
    },

    async list(appId, userId, book) {
      const rows = await inBook(appId, userId, book)(db).select(['phone', 'phone_key', 'name']).orderBy('phone_key').execute();
      return rows.map((row) => ({ phone: row.phone, phoneKey: row.phone_key, name: row.name }));
    },

    async registeredUsers(appId, userId, book) {
      const rows = await db
        .selectFrom('address_book_contacts as contact')
        .innerJoin('users', (join) => join.onRef('users.app_id', '=', 'contact.app_id').onRef('users.phone_norm', '=', 'contact.phone_key'))
        .selectAll('users')
        .select('contact.name as address_book_name')
        .where('contact.app_id', '=', appId)
        .where('contact.user_id', '=', userId)
        .where('contact.udid', '=', book)
        .where('users.id', '!=', userId)
        .orderBy('users.id')
        .execute();
      return rows.map(({ address_book_name, ...user }) => ({ user: toUser(user), addressBookName: address_book_name }));
    },
  };
}
