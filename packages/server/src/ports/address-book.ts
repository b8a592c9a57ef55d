/**
 * The address-book port (rest.md §8): each user keeps one global book and one book per device
 * (`udid`); a contact is a name and a phone, unique in its book by the phone's match key.
 *
 * Guarantees every adapter gives (checked by test/contract/address-book.contract.test.ts):
 * - `apply` is atomic and serialised per user: concurrent uploads of one user never interleave, so the
 *   counts it returns are exact, and an upload that would overflow the book writes nothing;
 * - contacts and registered users are matched on `phoneMatchKey`, kept for every user's `phone` by the
 *   user repository, so matching is an indexed equality in the database;
 * - rows of another application, user or book are never read or written.
 */

import type { UserRecord } from './users.js';

/**
 * The key two phones match under: their digits, in order. `+1 (555) 010-0200` and `15550100200`
 * match; national and international forms of one number do not (no country rules are applied).
 * Null when the text holds no digit.
 */
export function phoneMatchKey(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  const digits = phone.replace(/\D/g, '');
  return digits === '' ? null : digits;
}

/** The global book's id; a device book is the device's `udid`. */
export const GLOBAL_BOOK = '';

export interface ContactRecord {
  /** The phone as the owner last uploaded it. */
  phone: string;
  /** `phoneMatchKey(phone)`. */
  phoneKey: string;
  name: string;
}

/** One accepted contact of an upload, in upload order. */
export type ContactChange = ({ kind: 'upsert' } & ContactRecord) | { kind: 'delete'; phoneKey: string };

export interface BookUpload {
  /** Empty the book first (`force=1`); its previous contacts count as deleted. */
  replace: boolean;
  changes: ContactChange[];
  /** Most contacts the book may hold afterwards; a larger result writes nothing. */
  maxContacts: number;
  now: number;
}

export interface UploadCounts {
  created: number;
  updated: number;
  deleted: number;
}

export interface RegisteredContact {
  user: UserRecord;
  /** The name the book's owner gave this phone. */
  addressBookName: string;
}

export interface AddressBookRepository {
  /**
   * Applies the changes in order, as if one by one: an upsert of a phone not in the book creates
   * it, of one in the book renames it (counted as updated); a delete removes it if present.
   * Returns `'book-full'`, having written nothing, when the book would exceed `maxContacts`.
   */
  apply(appId: number, userId: number, book: string, upload: BookUpload): Promise<UploadCounts | 'book-full'>;
  /** The book's contacts, ordered by match key. */
  list(appId: number, userId: number, book: string): Promise<ContactRecord[]>;
  /** Users of the app (other than the owner) whose phone matches a contact of the book, by user id. */
  registeredUsers(appId: number, userId: number, book: string): Promise<RegisteredContact[]>;
}
