import type { ContactRecord, RegisteredContact, UploadCounts } from '../../ports/address-book.js';
import type { Store } from '../../ports/store.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { parseBookQuery, parseRegisteredQuery, parseUpload } from './input.js';

export interface AddressBookOptions {
  /** Most contacts one book holds, and one upload carries. */
  maxContacts: number;
}

export interface UploadResult extends UploadCounts {
  rejected: Record<string, string[]>;
}

function ownerOf(actor: Actor): number {
  if (actor.userId === null) throw new DomainFailure('NEED_USER');
  return actor.userId;
}

/** Address books (rest.md §8): a user's contacts per device, and which of them use the app. */
export class AddressBookService {
  constructor(
    private readonly store: Pick<Store, 'addressBook'>,
    private readonly clock: Clock,
    private readonly options: AddressBookOptions,
  ) {}

  /** Creates, renames and deletes contacts of one book; skipped contacts are reported by position. */
  async upload(actor: Actor, body: unknown): Promise<UploadResult> {
    const userId = ownerOf(actor);
    const { book, replace, changes, rejected } = parseUpload(body, this.options.maxContacts);
    const counts = await this.store.addressBook.apply(actor.appId, userId, book, {
      replace,
      changes,
      maxContacts: this.options.maxContacts,
      now: this.clock(),
    });
    if (counts === 'book-full') {
      throw new DomainFailure('VALIDATION_FAILED', {
        fields: { contacts: [`an address book holds at most ${this.options.maxContacts} contacts`] },
      });
    }
    return { ...counts, rejected };
  }

  async list(actor: Actor, query: Record<string, unknown>): Promise<ContactRecord[]> {
    const userId = ownerOf(actor);
    return this.store.addressBook.list(actor.appId, userId, parseBookQuery(query));
  }

  /** Other users of the app whose phone is in the book; `compact` picks the short form. */
  async registeredUsers(actor: Actor, query: Record<string, unknown>): Promise<{ compact: boolean; contacts: RegisteredContact[] }> {
    const userId = ownerOf(actor);
    const { book, compact } = parseRegisteredQuery(query);
    return { compact, contacts: await this.store.addressBook.registeredUsers(actor.appId, userId, book) };
  }
}
