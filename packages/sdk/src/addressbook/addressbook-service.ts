// The `addressbook` module (rest.md §8): upload a phone book, read it back, and find the contacts
// who use the app. Responses are returned as the server sends them.
import { routePath } from '../http/url.js';
import type { ApiRequest } from '../http/types.js';
import type {
  Contact,
  GetRegisteredUsersParams,
  GetRegisteredUsersResponse,
  UploadAddressBookParams,
  UploadAddressBookResponse,
} from './types.js';

/** What the address book needs; it never sees fetch or URLs. */
export interface AddressBookDeps {
  request<T>(request: ApiRequest): Promise<T>;
}

const ADDRESS_BOOK = 'address_book';

export class AddressBookService {
  constructor(private readonly deps: AddressBookDeps) {}

  /**
   * Creates contacts with new phones, renames those with known phones, and deletes those marked
   * `destroy: 1`. Contacts the server refuses are listed in `rejected` by position; the rest apply.
   */
  async uploadAddressBook(contacts: Contact[] = [], params: UploadAddressBookParams = {}): Promise<UploadAddressBookResponse> {
    // Same guard and message as the official SDK.
    if (!Array.isArray(contacts)) throw new Error('First parameter must be an Array.');
    return this.deps.request({ method: 'POST', path: ADDRESS_BOOK, data: { contacts, ...params } });
  }

  /** The contacts of the global book, or of one device's book. */
  get(udid?: string): Promise<Contact[]> {
    return this.deps.request({ method: 'GET', path: ADDRESS_BOOK, data: udid ? { udid } : undefined });
  }

  /** Users of the app whose phone is in the book. `true` → compact entries, `false` → whole users. */
  getRegisteredUsers(params: GetRegisteredUsersParams = false): Promise<GetRegisteredUsersResponse> {
    const data = typeof params === 'boolean' ? { compact: params ? 1 : 0 } : params;
    return this.deps.request({ method: 'GET', path: routePath(ADDRESS_BOOK, 'registered_users'), data });
  }
}
