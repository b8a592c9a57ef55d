// Address-book shapes (rest.md §8): the SDK's parameters, and the server's answers from @parley/protocol.
import type { AddressBookUploadWire, RegisteredUserCompactWire, RegisteredUserFullWire } from '@parley/protocol';

/** A phone-book entry. `destroy: 1` removes the contact with this phone (no name needed then). */
export interface Contact {
  name?: string;
  phone: string;
  destroy?: number | string;
}

export interface UploadAddressBookParams {
  /** `1` replaces the whole book: its previous contacts are deleted first. */
  force?: number | string;
  /** A device's book; without it the user's global book is used. At most 64 characters. */
  udid?: string;
}

/** `rejected` maps the 0-based position of a skipped contact in the uploaded list to why it was skipped. */
export type UploadAddressBookResponse = AddressBookUploadWire;

/** `compact` values of `getRegisteredUsers` (the official SDK's `AddressBookUserDataType`). */
export enum AddressBookUserDataType {
  COMPACT = 1,
  FULL = 0,
}

/** `true`/`false` (compact or full users), or the query itself. */
export type GetRegisteredUsersParams = boolean | { udid?: string; compact: AddressBookUserDataType | number };

/** A registered contact: `{id, phone, address_book_name}` when compact, the whole user otherwise. */
export type RegisteredUser = RegisteredUserCompactWire & Partial<RegisteredUserFullWire>;

export interface GetRegisteredUsersResponse {
  items: { user: RegisteredUser }[];
}
