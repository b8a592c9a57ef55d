import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { initAgainst, rejection, scenarioServer, type CubeLike, type ScenarioTarget, type SdkFlavour } from './sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK responses are checked field by field */

/** The address-book part of both SDKs (kept here so the shared CubeLike stays small). */
interface AddressBookApi {
  uploadAddressBook(contacts: any, params?: Record<string, unknown>): Promise<any>;
  get(udid?: string): Promise<any>;
  getRegisteredUsers(params?: boolean | Record<string, unknown>): Promise<any>;
}
type Cube = CubeLike & { addressbook: AddressBookApi };

const PASSWORD = 'password123';
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const lengthReason = "Length of 'phone' field should be min: 10 and max: 15.";

interface Person {
  cube: Cube;
  book: AddressBookApi;
  id: number;
  login: string;
}

/** Ten-digit phones no other test of the run uses (every test shares one application). */
let phonePrefix = randomInt(100_000, 999_999);
let phoneSerial = 0;
function freshPhones(count: number): string[] {
  if (phoneSerial + count > 9999) {
    phonePrefix += 1;
    phoneSerial = 0;
  }
  return Array.from({ length: count }, () => `${phonePrefix}${String((phoneSerial += 1)).padStart(4, '0')}`);
}
/** The same ten digits written for humans, `(555) 010-0200`. */
const formatted = (digits: string) => `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;

const byPhone = <T extends { phone: string }>(contacts: T[]): T[] => [...contacts].sort((a, b) => a.phone.replace(/\D/g, '').localeCompare(b.phone.replace(/\D/g, '')));

/**
 * Address book (rest.md §8) through an SDK, on every database: upload (create, rename, destroy,
 * force, per device), read back, registered users matched by phone, and the errors of bad input.
 */
export function addressBookScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: address book on %s`, (db) => {
    const scenario = scenarioServer(sdk, db);
    const { unique } = scenario;

    async function person(prefix: string, phone?: string, app = scenario.server.app, login = unique(prefix)): Promise<Person> {
      const cube = initAgainst(sdk.create(), scenario.server.url, app) as Cube;
      const session = await cube.createSession({ login, password: PASSWORD });
      if (phone !== undefined) await cube.users.update({ phone });
      return { cube, book: cube.addressbook, id: session.user_id as number, login };
    }

    it('creates, renames and destroys contacts, counting each (§8)', async () => {
      const alice = await person('ab-crud');
      const [p1, p2, p3, p4] = freshPhones(4) as [string, string, string, string];
      expect(await alice.book.get()).toEqual([]);

      const first = await alice.book.uploadAddressBook([
        { name: 'Gordie Kann', phone: p1 },
        { name: 'Wildon Gilleon', phone: formatted(p2) },
        { name: 'Gaston Center', phone: p3 },
      ]);
      expect(first).toEqual({ deleted: 0, rejected: {}, created: 3, updated: 0 });
      // Key order of the contract's example.
      expect(Object.keys(first)).toEqual(['deleted', 'rejected', 'created', 'updated']);
      expect(await alice.book.get()).toEqual(byPhone([
        { name: 'Gordie Kann', phone: p1 },
        { name: 'Wildon Gilleon', phone: formatted(p2) },
        { name: 'Gaston Center', phone: p3 },
      ]));

      // A known phone (in any writing) renames; a new one creates; destroy needs only the phone.
      const second = await alice.book.uploadAddressBook([
        { name: 'Gordon Kann', phone: formatted(p1) },
        { name: 'Wil Gilleon', phone: p2 },
        { phone: formatted(p3), destroy: 1 },
        { name: 'Newcomer', phone: p4 },
        { phone: freshPhones(1)[0], destroy: '1' },
      ]);
      expect(second).toEqual({ deleted: 1, rejected: {}, created: 1, updated: 2 });
      // A rename also keeps the phone as last written.
      expect(await alice.book.get()).toEqual(byPhone([
        { name: 'Gordon Kann', phone: formatted(p1) },
        { name: 'Wil Gilleon', phone: p2 },
        { name: 'Newcomer', phone: p4 },
      ]));

      // Within one upload the contacts apply in order.
      expect(await alice.book.uploadAddressBook([
        { name: 'Twice', phone: p3 },
        { name: 'Twice renamed', phone: p3 },
        { phone: p4, destroy: 1 },
        { name: 'Back again', phone: p4 },
      ])).toEqual({ deleted: 1, rejected: {}, created: 2, updated: 1 });
      expect((await alice.book.get()).map((contact: any) => contact.name)).toEqual(
        byPhone([{ name: 'Gordon Kann', phone: p1 }, { name: 'Wil Gilleon', phone: p2 }, { name: 'Twice renamed', phone: p3 }, { name: 'Back again', phone: p4 }]).map((c) => c.name),
      );
      expect(await alice.book.uploadAddressBook([])).toEqual({ deleted: 0, rejected: {}, created: 0, updated: 0 });
    });

    it('reports bad contacts by 0-based position and applies only the good ones (§8, [A-51])', async () => {
      const alice = await person('ab-rejected');
      const [kept, good, badName] = freshPhones(3) as [string, string, string];
      await alice.book.uploadAddressBook([{ name: 'Kept', phone: kept }]);

      const result = await alice.book.uploadAddressBook([
        { name: 'Short', phone: '555010' },
        { name: 'Good', phone: good },
        { name: '', phone: badName },
        { phone: kept },
        { name: 'Letters', phone: '555-CALL-NOW' },
        { name: 'Too long', phone: '1234567890123456' },
        { name: 'x'.repeat(256), phone: freshPhones(1)[0] },
        { name: 'Renamed?', phone: kept, destroy: 'please' },
      ]);
      expect(result).toEqual({
        deleted: 0,
        created: 1,
        updated: 0,
        rejected: {
          '0': [lengthReason],
          '2': ["Field 'name' is required."],
          '3': ["Field 'name' is required."],
          '4': [expect.stringContaining('only digits')],
          '5': [lengthReason],
          '6': ["Length of 'name' field should be min: 1 and max: 255."],
          '7': ["Field 'destroy' should be 1."],
        },
      });
      expect(await alice.book.get()).toEqual(byPhone([{ name: 'Kept', phone: kept }, { name: 'Good', phone: good }]));
    });

    it('replaces the whole book with force=1, counting the old contacts as deleted (§8)', async () => {
      const alice = await person('ab-force');
      const [a, b, c, d] = freshPhones(4) as [string, string, string, string];
      await alice.book.uploadAddressBook([{ name: 'A', phone: a }, { name: 'B', phone: b }, { name: 'C', phone: c }]);
      expect(await alice.book.uploadAddressBook([{ name: 'B again', phone: b }, { name: 'D', phone: d }], { force: 1 })).toEqual({
        deleted: 3, rejected: {}, created: 2, updated: 0,
      });
      expect(await alice.book.get()).toEqual(byPhone([{ name: 'B again', phone: b }, { name: 'D', phone: d }]));
      expect(await alice.book.uploadAddressBook([], { force: '1' })).toEqual({ deleted: 2, rejected: {}, created: 0, updated: 0 });
      expect(await alice.book.get()).toEqual([]);
    });

    it('keeps one book per device beside the global one (§8 udid)', async () => {
      const alice = await person('ab-udid');
      const [g, phoneA, phoneB] = freshPhones(3) as [string, string, string];
      const udidA = `A337E8A2-80AD-8ABA-${unique('d')}`;
      const udidB = `B${'0'.repeat(63)}`;
      await alice.book.uploadAddressBook([{ name: 'Global', phone: g }]);
      expect(await alice.book.uploadAddressBook([{ name: 'On A', phone: phoneA }, { name: 'Also on A', phone: g }], { udid: udidA })).toMatchObject({ created: 2 });
      await alice.book.uploadAddressBook([{ name: 'On B', phone: phoneB }], { udid: udidB, force: 1 });

      expect(await alice.book.get()).toEqual([{ name: 'Global', phone: g }]);
      expect(await alice.book.get(udidA)).toEqual(byPhone([{ name: 'On A', phone: phoneA }, { name: 'Also on A', phone: g }]));
      expect(await alice.book.get(udidB)).toEqual([{ name: 'On B', phone: phoneB }]);
      expect(await alice.book.get('unknown-device')).toEqual([]);

      // force on a device empties only that device's book.
      expect(await alice.book.uploadAddressBook([], { udid: udidA, force: 1 })).toMatchObject({ deleted: 2 });
      expect(await alice.book.get(udidA)).toEqual([]);
      expect(await alice.book.get()).toEqual([{ name: 'Global', phone: g }]);
      expect(await alice.book.get(udidB)).toEqual([{ name: 'On B', phone: phoneB }]);
    });

    it('lists registered users whose phone matches, compact or full, never the caller (§8, [A-3])', async () => {
      const [pBob, pCarol, pAlice, pNobody, pDave] = freshPhones(5) as [string, string, string, string, string];
      const alice = await person('ab-reg-alice', pAlice);
      // Users store their phones in their own writing; matching uses the digits.
      const bob = await person('ab-reg-bob', `+${pBob.slice(0, 3)} ${pBob.slice(3)}`);
      const carol = await person('ab-reg-carol', pCarol);
      const dave = await person('ab-reg-dave', pDave);

      await alice.book.uploadAddressBook([
        { name: 'Bobby', phone: formatted(pBob) },
        { name: 'Carol C', phone: pCarol },
        { name: 'Me myself', phone: pAlice },
        { name: 'Not registered', phone: pNobody },
      ]);
      await alice.book.uploadAddressBook([{ name: 'Dave on tablet', phone: pDave }], { udid: 'tablet' });

      const compact = await alice.book.getRegisteredUsers(true);
      expect(compact).toEqual({
        items: [
          { user: { id: bob.id, phone: `+${pBob.slice(0, 3)} ${pBob.slice(3)}`, address_book_name: 'Bobby' } },
          { user: { id: carol.id, phone: pCarol, address_book_name: 'Carol C' } },
        ],
      });

      const full = await alice.book.getRegisteredUsers(false);
      expect(full.items).toHaveLength(2);
      expect(full.items[1].user).toMatchObject({
        id: carol.id, login: carol.login, phone: pCarol, address_book_name: 'Carol C',
        created_at: expect.stringMatching(ISO_SECONDS), updated_at: expect.stringMatching(ISO_SECONDS),
      });
      expect(full.items[1].user).toHaveProperty('full_name');
      expect(full.items[1].user).not.toHaveProperty('password');
      // The official SDK's default is full users.
      expect(await alice.book.getRegisteredUsers()).toEqual(full);

      expect(await alice.book.getRegisteredUsers({ udid: 'tablet', compact: 1 })).toEqual({
        items: [{ user: { id: dave.id, phone: pDave, address_book_name: 'Dave on tablet' } }],
      });
      // Bob has no book: nobody is registered for him.
      expect(await bob.book.getRegisteredUsers(true)).toEqual({ items: [] });

      // Matching follows phone changes, and deleted users disappear.
      await carol.cube.users.update({ phone: pNobody });
      await dave.cube.users.update({ phone: formatted(pBob) });
      await bob.cube.users.update({ phone: null });
      expect((await alice.book.getRegisteredUsers(true)).items).toEqual([
        { user: { id: carol.id, phone: pNobody, address_book_name: 'Not registered' } },
        { user: { id: dave.id, phone: formatted(pBob), address_book_name: 'Bobby' } },
      ]);
      await dave.cube.users.delete();
      expect((await alice.book.getRegisteredUsers(true)).items.map((item: any) => item.user.id)).toEqual([carol.id]);
    });

    it('refuses a bad udid, force or compact with 422 and changes nothing (§1.5)', async () => {
      const alice = await person('ab-invalid');
      const [kept, other] = freshPhones(2) as [string, string];
      await alice.book.uploadAddressBook([{ name: 'Kept', phone: kept }]);
      const longUdid = 'u'.repeat(65);

      expect(await rejection(alice.book.uploadAddressBook([{ name: 'Other', phone: other }], { udid: longUdid }))).toEqual({
        code: 422, info: { errors: { udid: ['is too long (maximum is 64 characters)'] } },
      });
      expect(await rejection(alice.book.uploadAddressBook([{ name: 'Other', phone: other }], { force: 'always' }))).toEqual({
        code: 422, info: { errors: { force: ['should be 1 or 0'] } },
      });
      expect(await rejection(alice.book.get(longUdid))).toEqual({ code: 422, info: { errors: { udid: ['is too long (maximum is 64 characters)'] } } });
      expect(await rejection(alice.book.getRegisteredUsers({ compact: 'yes' }))).toEqual({ code: 422, info: { errors: { compact: ['should be 1 or 0'] } } });
      expect(await alice.book.get()).toEqual([{ name: 'Kept', phone: kept }]);
      expect(await alice.book.get(longUdid.slice(1))).toEqual([]);
    });

    it('needs a user session: 401 without a token, 403 for an application session (§1.9)', async () => {
      const alice = await person('ab-auth');
      const [kept] = freshPhones(1) as [string];
      await alice.book.uploadAddressBook([{ name: 'Kept', phone: kept }]);

      const anonymous = initAgainst(sdk.create(), scenario.server.url, scenario.server.app) as Cube;
      const tokenRequired = { code: 401, info: { errors: { base: ['Token is required'] } } };
      expect(await rejection(anonymous.addressbook.uploadAddressBook([{ name: 'Intruder', phone: kept }], { force: 1 }))).toEqual(tokenRequired);
      expect(await rejection(anonymous.addressbook.get())).toEqual(tokenRequired);
      expect(await rejection(anonymous.addressbook.getRegisteredUsers(true))).toEqual(tokenRequired);

      const appOnly = initAgainst(sdk.create(), scenario.server.url, scenario.server.app) as Cube;
      await appOnly.createSession();
      const needUser = { code: 403, info: { errors: { base: ['Forbidden. Need user.'] } } };
      expect(await rejection(appOnly.addressbook.uploadAddressBook([{ name: 'Intruder', phone: kept }], { force: 1 }))).toEqual(needUser);
      expect(await rejection(appOnly.addressbook.get())).toEqual(needUser);
      expect(await rejection(appOnly.addressbook.getRegisteredUsers(false))).toEqual(needUser);

      expect(await alice.book.get()).toEqual([{ name: 'Kept', phone: kept }]);
    });

    it('keeps applications apart: books and registered users never cross apps (§1.9)', async () => {
      const [pBob, pEve] = freshPhones(2) as [string, string];
      const alice = await person('ab-tenant-alice');
      await person('ab-tenant-bob', pBob);
      await alice.book.uploadAddressBook([{ name: 'Bob', phone: pBob }, { name: 'Eve', phone: pEve }]);

      const appB = await scenario.server.createApp(unique('ab-app-b'));
      // Same login in app B, and a user of app B with Eve's phone.
      const mallory = await person('ab-tenant-mallory', undefined, appB, alice.login);
      const eveInB = await person('ab-tenant-eve', pEve, appB);
      expect(await mallory.book.get()).toEqual([]);
      expect(await mallory.book.getRegisteredUsers(true)).toEqual({ items: [] });

      // Mallory's book in app B holds Bob's phone: app A's Bob is not hers to find.
      expect(await mallory.book.uploadAddressBook([{ name: 'Bob?', phone: pBob }, { name: 'Eve', phone: pEve }], { force: 1 })).toMatchObject({ created: 2, deleted: 0 });
      expect(await mallory.book.getRegisteredUsers(true)).toEqual({ items: [{ user: { id: eveInB.id, phone: pEve, address_book_name: 'Eve' } }] });

      // App A is untouched, and app B's Eve is not a registered user there.
      expect(await alice.book.get()).toEqual(byPhone([{ name: 'Bob', phone: pBob }, { name: 'Eve', phone: pEve }]));
      expect((await alice.book.getRegisteredUsers(true)).items.map((item: any) => item.user.address_book_name)).toEqual(['Bob']);
    });
  });
}
