import type { ContactChange, ContactRecord, RegisteredContact, UploadCounts } from '../../ports/address-book.js';
import type { Store } from '../../ports/store.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';

export interface AddressBookOptions {
  /** Most contacts one book holds, and one upload carries. */
  maxContacts: number;
}

/** `POST /address_book` (rest.md §8) as the face decodes it. */
export interface UploadContacts {
  /** The device's udid, or `GLOBAL_BOOK`. */
  book: string;
  /** `force`: the upload replaces the whole book. */
  replace: boolean;
  /** The accepted contacts, in upload order. */
  changes: ContactChange[];
  /** Position in `contacts` (0-based, rest.md) → why that contact was skipped. */
  rejected: Record<string, string[]>;
}

/** `GET /address_book/registered_users`: the book, and `compact` (`{id, phone, address_book_name}`; else full users, the SDK's default). */
export interface RegisteredUsersQuery {
  book: string;
  compact: boolean;
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
  /** Most contacts one upload may carry (and one book hold): the face refuses bigger uploads while decoding. */
  get maxContacts(): number {
    return this.options.maxContacts;
  }

  async upload(actor: Actor, { book, replace, changes, rejected }: UploadContacts): Promise<UploadResult> {
    const userId = ownerOf(actor);
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

  async list(actor: Actor, book: string): Promise<ContactRecord[]> {
    const userId = ownerOf(actor);
    return this.store.addressBook.list(actor.appId, userId, book);
  }

  /** Other users of the app whose phone is in the book; `compact` picks the short form. */
  async registeredUsers(actor: Actor, { book, compact }: RegisteredUsersQuery): Promise<{ compact: boolean; contacts: RegisteredContact[] }> {
    const userId = ownerOf(actor);
    return { compact, contacts: await this.store.addressBook.registeredUsers(actor.appId, userId, book) };
  }
}
