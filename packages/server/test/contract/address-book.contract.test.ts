import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_BOOK, phoneMatchKey, type BookUpload, type ContactChange } from '../../src/ports/address-book.js';
import { defaultAppSettings, type NewUser, type Store } from '../../src/ports/store.js';
import { openStore, storeKinds, type OpenedStore } from './stores.js';

/** The address-book port's guarantees (src/ports/address-book.ts), checked identically on every adapter. */

const T = 1_700_000_000_123;

function newUser(login: string, phone: string | null): NewUser {
  return {
    login, email: null, fullName: null, phone, website: null, customData: null, avatar: null, blobId: null,
    externalUserId: null, externalId: null, facebookId: null, twitterId: null, timezone: null, tags: [],
    isGuest: false, passwordHash: null, scram: null, createdAt: T, updatedAt: T, lastRequestAt: null,
  };
}

const upsert = (phone: string, name: string): ContactChange => ({ kind: 'upsert', phone, phoneKey: phoneMatchKey(phone) ?? '', name });
const remove = (phone: string): ContactChange => ({ kind: 'delete', phoneKey: phoneMatchKey(phone) ?? '' });
const upload = (changes: ContactChange[], extra: Partial<BookUpload> = {}): BookUpload => ({ replace: false, changes, maxContacts: 100, now: T, ...extra });

describe.each(storeKinds)('Address book store contract on %s', (kind) => {
  let opened: OpenedStore | undefined;
  let store: Store;
  let counter = 0;

  beforeAll(async () => {
    opened = await openStore(kind);
    store = opened.store;
    await store.migrate();
  });
  afterAll(async () => {
    await opened?.dispose();
  });

  async function app(): Promise<number> {
    counter += 1;
    const name = `ab-app-${String(counter)}`;
    return (await store.apps.create({ name, authKey: `${name}-key`, authSecret: `${name}-secret`, settings: defaultAppSettings, createdAt: T })).id;
  }
  async function user(appId: number, phone: string | null = null): Promise<number> {
    counter += 1;
    return (await store.users.create(appId, newUser(`ab-user-${String(counter)}`, phone))).id;
  }

  it('applies changes in order and counts them as the port defines', async () => {
    const appId = await app();
    const owner = await user(appId);
    expect(await store.addressBook.apply(appId, owner, GLOBAL_BOOK, upload([upsert('5550100001', 'A'), upsert('5550100002', 'B')]))).toEqual({ created: 2, updated: 0, deleted: 0 });
    const counts = await store.addressBook.apply(appId, owner, GLOBAL_BOOK, upload([
      upsert('(555) 010-0001', 'A2'),
      remove('5550100002'),
      remove('5550109999'),
      upsert('5550100003', 'C'),
      remove('5550100003'),
      upsert('5550100003', 'C2'),
    ]));
    expect(counts).toEqual({ created: 2, updated: 1, deleted: 2 });
    expect(await store.addressBook.list(appId, owner, GLOBAL_BOOK)).toEqual([
      { phone: '(555) 010-0001', phoneKey: '5550100001', name: 'A2' },
      { phone: '5550100003', phoneKey: '5550100003', name: 'C2' },
    ]);
  });

  it('replaces a book, and refuses to overflow one without writing anything', async () => {
    const appId = await app();
    const owner = await user(appId);
    await store.addressBook.apply(appId, owner, GLOBAL_BOOK, upload([upsert('5550100001', 'A'), upsert('5550100002', 'B')]));
    expect(await store.addressBook.apply(appId, owner, GLOBAL_BOOK, upload([upsert('5550100003', 'C')], { maxContacts: 2 }))).toBe('book-full');
    expect(await store.addressBook.apply(appId, owner, GLOBAL_BOOK, upload([upsert('5550100001', 'X'), upsert('5550100003', 'C')], { replace: true, maxContacts: 1 }))).toBe('book-full');
    expect((await store.addressBook.list(appId, owner, GLOBAL_BOOK)).map((c) => c.name)).toEqual(['A', 'B']);
    // A delete makes room for a create in the same upload.
    expect(await store.addressBook.apply(appId, owner, GLOBAL_BOOK, upload([remove('5550100002'), upsert('5550100003', 'C')], { maxContacts: 2 }))).toEqual({ created: 1, updated: 0, deleted: 1 });
    expect(await store.addressBook.apply(appId, owner, GLOBAL_BOOK, upload([upsert('5550100001', 'A again')], { replace: true, maxContacts: 2 }))).toEqual({ created: 1, updated: 0, deleted: 2 });
    expect(await store.addressBook.list(appId, owner, GLOBAL_BOOK)).toEqual([{ phone: '5550100001', phoneKey: '5550100001', name: 'A again' }]);
  });

  it('serialises concurrent uploads of one user: counts stay exact', async () => {
    const appId = await app();
    const owner = await user(appId);
    const phones = Array.from({ length: 50 }, (_, i) => `55501${String(i).padStart(5, '0')}`);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, n) => store.addressBook.apply(appId, owner, GLOBAL_BOOK, upload(phones.map((phone) => upsert(phone, `name ${String(n)}`))))),
    );
    const totals = results.reduce<{ created: number; updated: number }>((sum, r) => (r === 'book-full' ? sum : { created: sum.created + r.created, updated: sum.updated + r.updated }), { created: 0, updated: 0 });
    expect(totals).toEqual({ created: 50, updated: 250 });
    expect(await store.addressBook.list(appId, owner, GLOBAL_BOOK)).toHaveLength(50);
  });

  it('keeps books, users and applications apart', async () => {
    const appA = await app();
    const appB = await app();
    const owner = await user(appA);
    const other = await user(appA);
    const ownerInB = await user(appB);
    await store.addressBook.apply(appA, owner, GLOBAL_BOOK, upload([upsert('5550100001', 'global')]));
    await store.addressBook.apply(appA, owner, 'device', upload([upsert('5550100002', 'device')]));
    await store.addressBook.apply(appA, other, GLOBAL_BOOK, upload([upsert('5550100003', 'other')]));
    await store.addressBook.apply(appB, ownerInB, GLOBAL_BOOK, upload([upsert('5550100004', 'app B')], { replace: true }));
    expect((await store.addressBook.list(appA, owner, GLOBAL_BOOK)).map((c) => c.name)).toEqual(['global']);
    expect((await store.addressBook.list(appA, owner, 'device')).map((c) => c.name)).toEqual(['device']);
    expect((await store.addressBook.list(appA, other, GLOBAL_BOOK)).map((c) => c.name)).toEqual(['other']);
    // A user id of app A asked for under app B finds nothing.
    expect(await store.addressBook.list(appB, owner, GLOBAL_BOOK)).toEqual([]);
    expect(await store.addressBook.apply(appB, owner, GLOBAL_BOOK, upload([], { replace: true }))).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect((await store.addressBook.list(appA, owner, GLOBAL_BOOK)).map((c) => c.name)).toEqual(['global']);
  });

  it('matches registered users on the digits of their phone, following phone changes', async () => {
    const appId = await app();
    const otherApp = await app();
    const owner = await user(appId, '+1 555 010 0000');
    const bob = await user(appId, '+1 (555) 010-0001');
    const carol = await user(appId, '15550100002');
    await user(appId, '5550100001'); // national form: another number
    await user(otherApp, '15550100002');
    await store.addressBook.apply(appId, owner, GLOBAL_BOOK, upload([upsert('15550100000', 'me'), upsert('1 555 010 0001', 'Bob'), upsert('+15550100002', 'Carol')]));

    const found = await store.addressBook.registeredUsers(appId, owner, GLOBAL_BOOK);
    expect(found.map((r) => [r.user.id, r.addressBookName, r.user.phone])).toEqual([
      [bob, 'Bob', '+1 (555) 010-0001'],
      [carol, 'Carol', '15550100002'],
    ]);
    expect(await store.addressBook.registeredUsers(appId, owner, 'device')).toEqual([]);

    await store.users.update(appId, bob, { phone: null });
    await store.users.update(appId, carol, { phone: '1-555-010-0001' });
    expect((await store.addressBook.registeredUsers(appId, owner, GLOBAL_BOOK)).map((r) => [r.user.id, r.addressBookName])).toEqual([[carol, 'Bob']]);

    // Deleting the owner deletes their books.
    expect(await store.users.delete(appId, owner)).toBe(true);
    expect(await store.addressBook.list(appId, owner, GLOBAL_BOOK)).toEqual([]);
  });
});
