import { Type, type Static } from '@sinclair/typebox';
import type { UserWire } from './users.js';

/** Address-book wire shapes (rest.md §8). */

/** A contact as `GET /address_book` lists it. */
export interface AddressBookContactWire {
  name: string;
  phone: string;
}

/** The answer to `POST /address_book`; `rejected` maps a contact's 0-based position to its reasons. */
export interface AddressBookUploadWire {
  deleted: number;
  rejected: Record<string, string[]>;
  created: number;
  updated: number;
}

/** A registered contact with `compact=1`: the user's id and phone, and the owner's name for them. */
export interface RegisteredUserCompactWire {
  id: number;
  phone: string | null;
  address_book_name: string;
}

/** A registered contact with `compact=0`: the whole user, plus the owner's name for them. */
export type RegisteredUserFullWire = UserWire & { address_book_name: string };

/** `GET /address_book/registered_users`: users wrapped as `{user}` (rest.md ). */
export interface RegisteredUsersWire {
  items: { user: RegisteredUserCompactWire | RegisteredUserFullWire }[];
}

/**
 * `POST /address_book` (rest.md §8) as the official SDK sends it: open and lenient; a malformed contact
 * is skipped and reported in `rejected`, not refused with the whole upload.
 */
export const AddressBookUploadSchema = Type.Object(
  {
    contacts: Type.Optional(Type.Array(Type.Unknown())),
    force: Type.Optional(Type.Union([Type.Boolean(), Type.Integer(), Type.String(), Type.Null()])),
    udid: Type.Optional(Type.Union([Type.String(), Type.Integer(), Type.Null()])),
  },
  { additionalProperties: true },
);
export type AddressBookUploadBody = Static<typeof AddressBookUploadSchema>;
