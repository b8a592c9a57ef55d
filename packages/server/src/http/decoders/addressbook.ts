import { toFlag } from '@parley/protocol';
import { GLOBAL_BOOK, type ContactChange } from '../../ports/address-book.js';
import { parseContactPhone } from '../../domain/addressbook/phone.js';
import type { RegisteredUsersQuery, UploadContacts } from '../../domain/addressbook/service.js';
import { addError as add, throwIfInvalid as throwIfErrors, type FieldErrors as Fields } from '../../domain/shared/failure.js';

/**
 * Address-book requests (rest.md §8; the upload's schema in @parley/protocol rest/addressbook.ts)
 * decoded leniently, as the cloud does, into the address-book domain's commands. Phone rules are the
 * domain's (`domain/addressbook/phone.ts`).
 */

const NAME_MAX_CHARS = 255;
const UDID_MAX_CHARS = 64;

/** The book a request addresses: the device's udid, or the global book when none is given. */
function readBook(value: unknown, errors: Fields): string {
  if (value === undefined || value === null || value === '') return GLOBAL_BOOK;
  const udid = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof udid !== 'string') add(errors, 'udid', 'should be a string');
  else if ([...udid].length > UDID_MAX_CHARS) add(errors, 'udid', `is too long (maximum is ${UDID_MAX_CHARS} characters)`);
  else return udid;
  return GLOBAL_BOOK;
}

/** `GET /address_book`: only the book. */
export function decodeBookQuery(query: Record<string, unknown>): string {
  const errors: Fields = {};
  const book = readBook(query.udid, errors);
  throwIfErrors(errors);
  return book;
}

/**
 * The registered-users query: its book, and `compact` (1 → `{id, phone, address_book_name}`; 0 or
 * absent → full users, the official SDK's default).
 */
export function decodeRegisteredQuery(query: Record<string, unknown>): RegisteredUsersQuery {
  const errors: Fields = {};
  const book = readBook(query.udid, errors);
  const compact = query.compact === undefined || query.compact === '' ? false : toFlag(query.compact);
  if (compact === undefined) add(errors, 'compact', 'should be 1 or 0');
  throwIfErrors(errors);
  return { book, compact: compact === true };
}

/** One entry of `contacts`: the change it asks for, or the reasons it is refused. */
function readContact(entry: unknown): ContactChange | string[] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return ['Invalid fields set'];
  const contact = entry as Record<string, unknown>;
  const reasons: string[] = [];
  const destroy = contact.destroy === undefined || contact.destroy === null ? false : toFlag(contact.destroy);
  if (destroy === undefined) reasons.push("Field 'destroy' should be 1.");
  const phone = parseContactPhone(contact.phone);
  if (!phone.ok) reasons.push(phone.reason);
  if (destroy === true) return reasons.length > 0 || !phone.ok ? reasons : { kind: 'delete', phoneKey: phone.phoneKey };

  const rawName = typeof contact.name === 'number' ? String(contact.name) : contact.name;
  if (rawName === undefined || rawName === null || rawName === '') reasons.push("Field 'name' is required.");
  else if (typeof rawName !== 'string') reasons.push("Field 'name' should be a string.");
  else if (rawName.trim() === '' || [...rawName].length > NAME_MAX_CHARS) reasons.push(`Length of 'name' field should be min: 1 and max: ${NAME_MAX_CHARS}.`);
  if (reasons.length > 0 || !phone.ok || typeof rawName !== 'string') return reasons;
  return { kind: 'upsert', phone: phone.phone, phoneKey: phone.phoneKey, name: rawName };
}

/**
 * `POST /address_book`. A malformed request (no `contacts` array, more than `maxContacts`, a bad
 * `udid` or `force`) fails as a whole with 422; a malformed contact is only skipped and reported.
 */
export function decodeUpload(body: unknown, maxContacts: number): UploadContacts {
  const errors: Fields = {};
  const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const contacts = input.contacts;
  if (contacts === undefined || contacts === null) add(errors, 'contacts', 'cannot be blank');
  else if (!Array.isArray(contacts)) add(errors, 'contacts', 'should be an array of contacts');
  else if (contacts.length > maxContacts) add(errors, 'contacts', `at most ${maxContacts} contacts in one upload`);
  const replace = input.force === undefined || input.force === null || input.force === '' ? false : toFlag(input.force);
  if (replace === undefined) add(errors, 'force', 'should be 1 or 0');
  const book = readBook(input.udid, errors);
  throwIfErrors(errors);

  const changes: ContactChange[] = [];
  const rejected: Record<string, string[]> = {};
  (contacts as unknown[]).forEach((entry, index) => {
    const result = readContact(entry);
    if (Array.isArray(result)) rejected[String(index)] = result;
    else changes.push(result);
  });
  return { book, replace: replace === true, changes, rejected };
}
