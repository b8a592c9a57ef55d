import type { AddressBookContactWire, AddressBookUploadBody, AddressBookUploadWire, RegisteredUsersWire } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { RegisteredContact } from '../../ports/address-book.js';
import { decodeBookQuery, decodeRegisteredQuery, decodeUpload } from '../decoders/addressbook.js';
import { actorOf } from '../plugins/auth.js';
import { userWire } from '../presenters.js';
import type { HttpDependencies } from '../services.js';

type Query = Record<string, unknown>;

function registeredWire(contact: RegisteredContact, compact: boolean): RegisteredUsersWire['items'][number] {
  const { user, addressBookName } = contact;
  if (compact) return { user: { id: user.id, phone: user.phone, address_book_name: addressBookName } };
  return { user: { ...userWire(user), address_book_name: addressBookName } };
}

/** Address book (rest.md §8): upload, read, and the contacts who use the app. User sessions only. */
export function addressBookRoutes(app: FastifyInstance, deps: HttpDependencies): void {
  app.post<{ Body: AddressBookUploadBody | undefined }>('/address_book', { config: { auth: 'user' } }, async (request): Promise<AddressBookUploadWire> => {
    const result = await deps.addressBook.upload(actorOf(request), decodeUpload(request.body, deps.addressBook.maxContacts));
    // Key order as the contract shows it.
    return { deleted: result.deleted, rejected: result.rejected, created: result.created, updated: result.updated };
  });

  app.get<{ Querystring: Query }>('/address_book', { config: { auth: 'user' } }, async (request): Promise<AddressBookContactWire[]> => {
    const contacts = await deps.addressBook.list(actorOf(request), decodeBookQuery(request.query));
    return contacts.map((contact) => ({ name: contact.name, phone: contact.phone }));
  });

  app.get<{ Querystring: Query }>('/address_book/registered_users', { config: { auth: 'user' } }, async (request): Promise<RegisteredUsersWire> => {
    const { compact, contacts } = await deps.addressBook.registeredUsers(actorOf(request), decodeRegisteredQuery(request.query));
    return { items: contacts.map((contact) => registeredWire(contact, compact)) };
  });
}
