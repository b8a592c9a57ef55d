import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { initAgainst, rejection, scenarioServer, type CubeLike, type SdkFlavour, type ScenarioTarget } from './sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK responses are checked field by field */

const PASSWORD = 'password123';
const HEX24 = /^[0-9a-f]{24}$/;
const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const notFound = { code: 404, info: { errors: ["The resource wasn't found"] } };
/** rest.md §1.5: chat permission refusals use the array form. */
const forbidden = { code: 403, info: { errors: [expect.any(String)] } };
const KIB64 = 64 * 1024;

/** `[T, T, …]` of length N, so destructured people need no `!`. */
type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N ? R : Tuple<T, N, [T, ...R]>;

/** A user of the test, signed in through its own SDK instance. */
interface Person {
  cube: CubeLike;
  id: number;
  login: string;
}

let objectIdCounter = randomBytes(3).readUIntBE(0, 3);
/** A client-made ObjectId (seconds first), as the SDKs generate for messages. */
function objectId(): string {
  objectIdCounter = (objectIdCounter + 1) % 0x1000000;
  return Math.floor(Date.now() / 1000).toString(16).padStart(8, '0') + randomBytes(5).toString('hex') + objectIdCounter.toString(16).padStart(6, '0');
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
const sortedNumbers = (values: number[]) => [...values].sort((a, b) => a - b);
const idsOf = (items: { _id: string }[]) => items.map((item) => item._id);
const userIdsOf = (items: { id: number }[]) => sortedNumbers(items.map((item) => item.id));

/**
 * Chat REST (rest.md §4) through an SDK, on every database: dialogs of every type, membership and
 * roles, messages, read state, reactions, unread counters, search, and the errors of bad input.
 */
export function chatRestScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: chat REST on %s`, (db) => {
    const scenario = scenarioServer(sdk, db);
    const { unique, connect } = scenario;

    /** New users, each created by `createSession` with a fresh login (the SDK config is re-initialised first). */
    async function people<N extends number>(count: N, prefix = 'chat'): Promise<Tuple<Person, N>> {
      const cubes = Array.from({ length: count }, () => connect());
      return Promise.all(
        cubes.map(async (cube) => {
          const login = unique(prefix);
          const session = await cube.createSession({ login, password: PASSWORD });
          return { cube, id: session.user_id as number, login };
        }),
      ) as Promise<Tuple<Person, N>>;
    }

    /** The dialog as `who` sees it in their list, or undefined when it is not in their list. */
    async function seen(who: Person, dialogId: string): Promise<any> {
      const page = await who.cube.chat.dialog.list({ _id: dialogId });
      expect(page.items.length).toBeLessThanOrEqual(1);
      return page.items[0];
    }

    /** `who`'s history of a dialog, without marking anything read. */
    async function history(who: Person, dialogId: string, params: Record<string, unknown> = {}): Promise<any[]> {
      return (await who.cube.chat.message.list({ chat_dialog_id: dialogId, mark_as_read: 0, ...params })).items;
    }

    async function group(owner: Person, members: Person[], extra: Record<string, unknown> = {}): Promise<any> {
      return owner.cube.chat.dialog.create({ type: 2, name: unique('Group '), occupants_ids: members.map((member) => member.id), ...extra });
    }

    async function post(from: Person, dialogId: string, text: string, extra: Record<string, unknown> = {}): Promise<any> {
      return from.cube.chat.message.create({ chat_dialog_id: dialogId, message: text, ...extra });
    }

    describe('dialogs', () => {
      it('creates group, private, public and broadcast dialogs with the contract shape (§4.2, §4.4)', async () => {
        const [alice, bob, carol] = await people(3, 'create');
        const created = await alice.cube.chat.dialog.create({
          type: 2, name: 'Friday party', occupants_ids: [bob.id, carol.id], description: 'lets dance the night away', photo: 'party.jpg',
        });
        expect(created).toEqual({
          _id: expect.stringMatching(HEX24),
          user_id: alice.id,
          type: 2,
          name: 'Friday party',
          description: 'lets dance the night away',
          photo: 'party.jpg',
          xmpp_room_jid: `${scenario.server.app.id}_${created._id}@muc.localhost`,
          occupants_ids: expect.any(Array),
          admins_ids: [],
          pinned_messages_ids: [],
          last_message: null,
          last_message_id: null,
          last_message_user_id: null,
          last_message_date_sent: null,
          last_message_status: null,
          unread_messages_count: 0,
          extensions: null,
          permissions: null,
          created_at: expect.stringMatching(ISO_SECONDS),
          updated_at: expect.stringMatching(ISO_SECONDS),
        });
        expect(sortedNumbers(created.occupants_ids)).toEqual(sortedNumbers([alice.id, bob.id, carol.id]));
        // §1.6: the ObjectId starts with its creation time in seconds.
        expect(Math.abs(parseInt(created._id.slice(0, 8), 16) - nowSeconds())).toBeLessThan(120);
        expect((await seen(carol, created._id))?.name).toBe('Friday party');

        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        // named after the other occupant as the caller sees them (no full_name: the login).
        expect(direct).toMatchObject({ type: 3, user_id: alice.id, name: bob.login, xmpp_room_jid: null, admins_ids: [] });
        expect(direct).not.toHaveProperty('occupants_count');
        expect(sortedNumbers(direct.occupants_ids)).toEqual(sortedNumbers([alice.id, bob.id]));
        // One private dialog per pair, whoever asks.
        expect((await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] }))._id).toBe(direct._id);
        expect((await bob.cube.chat.dialog.create({ type: 3, occupants_ids: [alice.id] }))._id).toBe(direct._id);
        expect(idsOf((await alice.cube.chat.dialog.list({ type: 3 })).items)).toEqual([direct._id]);
        expect(idsOf((await bob.cube.chat.dialog.list({ type: 3 })).items)).toEqual([direct._id]);
        // a client-sent name for a private dialog is ignored.
        expect((await carol.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id], name: 'ignored' })).name).toBe(bob.login);

        const open = await alice.cube.chat.dialog.create({ type: 4, name: 'Blockchain trends' });
        expect(open).toMatchObject({ type: 4, name: 'Blockchain trends', occupants_ids: [], occupants_count: 1, xmpp_room_jid: `${scenario.server.app.id}_${open._id}@muc.localhost` });

        const news = await alice.cube.chat.dialog.create({ type: 1, name: 'News' });
        expect(news).toMatchObject({ type: 1, name: 'News', occupants_ids: [], occupants_count: 1, user_id: alice.id });
        // A broadcast is visible to every user of the app.
        expect((await seen(carol, news._id))?.type).toBe(1);
        expect(await seen(carol, open._id)).toBeUndefined();
      });

      it('refuses invalid dialogs with 422 and creates nothing (§4.4)', async () => {
        const [alice, bob] = await people(2, 'badcreate');
        const before = await alice.cube.chat.dialog.list({ count: 1 });
        const invalid = [
          { name: 'No type', occupants_ids: [bob.id] },
          { type: 7, name: 'Unknown type', occupants_ids: [bob.id] },
          { type: 5, name: 'Meetings create these', occupants_ids: [bob.id] },
          { type: 2, occupants_ids: [bob.id] },
          { type: 2, name: 'Nobody else' },
          { type: 2, name: 'Four fields', occupants_ids: [bob.id], extensions: { a: '1', b: '2', c: '3', d: '4' } },
          { type: 4 },
          { type: 3, occupants_ids: [alice.id] },
          { type: 3, occupants_ids: [] },
          { type: 3, occupants_ids: [99999998] },
          { type: 2, name: 'Ghosts', occupants_ids: [bob.id, 99999999] },
        ];
        for (const params of invalid) {
          const result = await rejection(alice.cube.chat.dialog.create(params));
          expect({ params, code: result.code }).toEqual({ params, code: 422 });
          expect(result.info).toEqual({ errors: expect.any(Object) });
          expect(Array.isArray((result.info as { errors: unknown }).errors)).toBe(false);
        }
        expect(await alice.cube.chat.dialog.list({ count: 1 })).toEqual(before);
        expect((await bob.cube.chat.dialog.list({ type: { in: [2, 3] } })).items).toEqual([]);
      });

      it('returns a hidden private dialog on re-create, and a new message brings it back (§4.4, §4.6)', async () => {
        const [alice, bob] = await people(2, 'hide');
        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        await post(alice, direct._id, 'first');
        expect(await alice.cube.chat.dialog.delete(direct._id)).toBe('');
        expect(await seen(alice, direct._id)).toBeUndefined();
        expect(await seen(bob, direct._id)).toBeDefined();

        const again = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        expect(again._id).toBe(direct._id);
        expect(await seen(alice, direct._id)).toBeDefined();

        await alice.cube.chat.dialog.delete(direct._id);
        expect(await seen(alice, direct._id)).toBeUndefined();
        await post(bob, direct._id, 'are you there?');
        expect(await seen(alice, direct._id)).toMatchObject({ _id: direct._id, last_message: 'are you there?', last_message_user_id: bob.id, unread_messages_count: 1 });
        expect((await alice.cube.chat.dialog.list({ type: 3 })).total_entries).toBe(1);
      });

      it('returns one private dialog to concurrent creates of the same pair (§4.4)', async () => {
        const [alice, bob] = await people(2, 'race');
        const created = await Promise.all([
          alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] }),
          bob.cube.chat.dialog.create({ type: 3, occupants_ids: [alice.id] }),
          alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] }),
          bob.cube.chat.dialog.create({ type: 3, occupants_ids: [alice.id] }),
        ]);
        expect(new Set(idsOf(created)).size).toBe(1);
        expect(await alice.cube.chat.dialog.list({ type: 3, count: 1 })).toEqual({ items: { count: 1 } });
        expect(await bob.cube.chat.dialog.list({ type: 3, count: 1 })).toEqual({ items: { count: 1 } });
      });

      it('lists dialogs with filters, sort, paging and count=1 (§4.3)', async () => {
        const [alice, bob, carol, dave] = await people(4, 'list');
        const tag = unique('Lst');
        const alpha = await alice.cube.chat.dialog.create({ type: 2, name: `${tag} alpha`, occupants_ids: [bob.id], extensions: { location: 'Sun bar' } });
        const beta = await alice.cube.chat.dialog.create({ type: 2, name: `${tag} beta`, occupants_ids: [bob.id, carol.id], extensions: { location: 'Moon bar' } });
        const gamma = await alice.cube.chat.dialog.create({ type: 4, name: `${tag} gamma` });
        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [dave.id] });
        const base = nowSeconds() - 1000;
        await post(alice, alpha._id, 'a', { date_sent: base + 100 });
        await post(alice, beta._id, 'b', { date_sent: base + 200 });
        await post(alice, gamma._id, 'c', { date_sent: base + 300 });
        const list = (params: Record<string, unknown>) => alice.cube.chat.dialog.list(params);
        const byName = { name: { ctn: tag } };

        const all = await list(byName);
        expect(all).toMatchObject({ total_entries: 3, skip: 0, limit: 100 });
        expect(idsOf(all.items).sort()).toEqual([alpha._id, beta._id, gamma._id].sort());
        expect(all.items.find((item: any) => item._id === beta._id)).toMatchObject({ last_message: 'b', last_message_date_sent: base + 200, last_message_status: 'sent' });

        expect(idsOf((await list({ type: { in: [3, 4] } })).items).sort()).toEqual([direct._id, gamma._id].sort());
        expect(idsOf((await list({ ...byName, type: 2 })).items).sort()).toEqual([alpha._id, beta._id].sort());
        expect(idsOf((await list({ ...byName, type: { nin: [2] } })).items)).toEqual([gamma._id]);
        expect(idsOf((await list({ _id: beta._id })).items)).toEqual([beta._id]);
        expect(idsOf((await list({ _id: { in: [alpha._id, gamma._id] }, sort_asc: 'name' })).items)).toEqual([alpha._id, gamma._id]);
        expect(idsOf((await list({ name: `${tag} gamma` })).items)).toEqual([gamma._id]);
        // ctn is case-sensitive.
        expect((await list({ name: { ctn: tag.toUpperCase() } })).items).toEqual([]);

        expect(idsOf((await list({ ...byName, last_message_date_sent: { gt: base + 150 }, sort_asc: 'last_message_date_sent' })).items)).toEqual([beta._id, gamma._id]);
        expect(idsOf((await list({ ...byName, last_message_date_sent: { lte: base + 200 }, sort_desc: 'last_message_date_sent' })).items)).toEqual([beta._id, alpha._id]);
        // date_sent is an alias of last_message_date_sent.
        expect(idsOf((await list({ ...byName, sort_desc: 'date_sent' })).items)).toEqual([gamma._id, beta._id, alpha._id]);
        expect(idsOf((await list({ ...byName, sort_asc: 'date_sent' })).items)).toEqual([alpha._id, beta._id, gamma._id]);

        // Dates as ISO strings, unix seconds and Date objects (sent as Date.toString()).
        const hourAgo = new Date(Date.now() - 3600_000);
        expect((await list({ ...byName, created_at: { gte: hourAgo.toISOString() } })).total_entries).toBe(3);
        expect((await list({ ...byName, created_at: { gt: hourAgo } })).total_entries).toBe(3);
        expect((await list({ ...byName, created_at: { gt: nowSeconds() + 3600 } })).total_entries).toBe(0);
        expect((await list({ ...byName, updated_at: { lt: nowSeconds() + 3600 } })).total_entries).toBe(3);
        expect((await list({ ...byName, updated_at: { gt: new Date(Date.now() + 3600_000).toISOString() } })).items).toEqual([]);

        expect(idsOf((await list({ ...byName, extensions: { location: 'Sun bar' } })).items)).toEqual([alpha._id]);
        expect(idsOf((await list({ ...byName, extensions: { location: { ctn: 'bar' } }, sort_asc: 'name' })).items)).toEqual([alpha._id, beta._id]);
        expect(idsOf((await list({ occupants_ids: { all: [bob.id, carol.id] } })).items)).toEqual([beta._id]);
        expect(idsOf((await list({ occupants_ids: { in: [dave.id] } })).items)).toEqual([direct._id]);
        expect(idsOf((await list({ ...byName, occupants_ids: { in: [bob.id] }, sort_desc: 'name' })).items)).toEqual([beta._id, alpha._id]);

        const page = await list({ ...byName, sort_asc: 'name', limit: 1, skip: 1 });
        expect(page).toMatchObject({ total_entries: 3, skip: 1, limit: 1 });
        expect(idsOf(page.items)).toEqual([beta._id]);
        expect((await list({ ...byName, limit: 500 })).limit).toBe(100);
        expect(await list({ ...byName, count: 1 })).toEqual({ items: { count: 3 } });
        expect(await list({ ...byName, type: 4, count: 1 })).toEqual({ items: { count: 1 } });
        // Bob sees only the dialogs he is in.
        expect(idsOf((await bob.cube.chat.dialog.list(byName)).items).sort()).toEqual([alpha._id, beta._id].sort());
      });

      it('updates name, photo, description, occupants, admins, pins, extensions and permissions with role checks (§4.2, §4.5)', async () => {
        const [alice, bob, carol, dave] = await people(4, 'upd');
        const room = await group(alice, [bob, carol], { name: 'Crossfit' });
        const id: string = room._id;

        // Any occupant of a group edits its info and adds occupants.
        expect(await bob.cube.chat.dialog.update(id, { name: 'Crossfit2', photo: 'gym.png', description: 'Weights' })).toMatchObject({ name: 'Crossfit2', photo: 'gym.png', description: 'Weights' });
        const grown = await bob.cube.chat.dialog.update(id, { push_all: { occupants_ids: [dave.id] } });
        expect(sortedNumbers(grown.occupants_ids)).toEqual(sortedNumbers([alice.id, bob.id, carol.id, dave.id]));
        // push_all has set semantics.
        const same = await bob.cube.chat.dialog.update(id, { push_all: { occupants_ids: [dave.id, carol.id] } });
        expect(sortedNumbers(same.occupants_ids)).toEqual(sortedNumbers([alice.id, bob.id, carol.id, dave.id]));

        // A regular occupant may not remove others, manage admins, pin, or change extensions/permissions.
        const message = await post(alice, id, 'pin me');
        expect(await rejection(bob.cube.chat.dialog.update(id, { pull_all: { occupants_ids: [carol.id] } }))).toEqual(forbidden);
        expect(await rejection(bob.cube.chat.dialog.update(id, { push_all: { admins_ids: [bob.id] } }))).toEqual(forbidden);
        expect(await rejection(bob.cube.chat.dialog.update(id, { push_all: { pinned_messages_ids: [message._id] } }))).toEqual(forbidden);
        expect(await rejection(bob.cube.chat.dialog.update(id, { extensions: { location: 'Nowhere' } }))).toEqual(forbidden);
        expect(await rejection(bob.cube.chat.dialog.update(id, { permissions: { allow_preview: true } }))).toEqual(forbidden);
        expect(await seen(alice, id)).toMatchObject({
          occupants_ids: expect.arrayContaining([carol.id]), admins_ids: [], pinned_messages_ids: [], extensions: null, permissions: null,
        });

        // The owner makes Bob an admin; as admin he removes Carol and pins a message.
        expect((await alice.cube.chat.dialog.update(id, { push_all: { admins_ids: [bob.id] } })).admins_ids).toEqual([bob.id]);
        const pinned = await bob.cube.chat.dialog.update(id, { pull_all: { occupants_ids: [carol.id] }, push_all: { pinned_messages_ids: [message._id] } });
        expect(sortedNumbers(pinned.occupants_ids)).toEqual(sortedNumbers([alice.id, bob.id, dave.id]));
        expect(pinned.pinned_messages_ids).toEqual([message._id]);
        expect(await seen(carol, id)).toBeUndefined();
        // An admin still cannot manage admins (owner only).
        expect(await rejection(bob.cube.chat.dialog.update(id, { push_all: { admins_ids: [dave.id] } }))).toEqual(forbidden);

        const settings = await alice.cube.chat.dialog.update(id, {
          extensions: { location: 'Sun bar', level: 3 }, permissions: { allow_preview: true }, description: null, photo: null,
        });
        expect(settings).toMatchObject({ extensions: { location: 'Sun bar', level: '3' }, permissions: { allow_preview: true }, description: null, photo: null, name: 'Crossfit2' });
        const reset = await bob.cube.chat.dialog.update(id, { extensions: null, pull_all: { pinned_messages_ids: [message._id] } });
        expect(reset).toMatchObject({ extensions: null, pinned_messages_ids: [], permissions: { allow_preview: true } });

        // Removing an admin from the occupants also removes him from admins_ids.
        const dropped = await alice.cube.chat.dialog.update(id, { pull_all: { occupants_ids: [bob.id] } });
        expect(dropped.admins_ids).toEqual([]);
        expect(sortedNumbers(dropped.occupants_ids)).toEqual(sortedNumbers([alice.id, dave.id]));
        // Anyone may remove himself.
        await dave.cube.chat.dialog.update(id, { pull_all: { occupants_ids: [dave.id] } });
        expect(await seen(dave, id)).toBeUndefined();
        expect((await seen(alice, id)).occupants_ids).toEqual([alice.id]);

        // Public dialogs: only the owner and admins edit the info.
        const open = await alice.cube.chat.dialog.create({ type: 4, name: 'Town square' });
        await bob.cube.chat.dialog.subscribe(open._id);
        expect(await rejection(bob.cube.chat.dialog.update(open._id, { name: 'Mine now' }))).toEqual(forbidden);
        expect((await seen(alice, open._id)).name).toBe('Town square');
        expect((await alice.cube.chat.dialog.update(open._id, { description: 'All welcome' })).description).toBe('All welcome');

        // Private dialogs have no editable info, but either participant sets extensions and permissions.
        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        expect(await rejection(alice.cube.chat.dialog.update(direct._id, { name: 'Us' }))).toEqual(forbidden);
        expect((await bob.cube.chat.dialog.update(direct._id, { extensions: { topic: 'plans' } })).extensions).toEqual({ topic: 'plans' });
        expect((await seen(alice, direct._id)).name).toBe(bob.login);
      });

      it('deletes for the caller per type, and for everyone by the owner only (§4.6)', async () => {
        const [alice, bob, carol] = await people(3, 'del');
        const room = await group(alice, [bob, carol]);
        const open = await alice.cube.chat.dialog.create({ type: 4, name: 'Open' });
        const news = await alice.cube.chat.dialog.create({ type: 1, name: unique('Bulletin ') });
        const carols = await group(carol, [alice]);
        await bob.cube.chat.dialog.subscribe(open._id);
        await post(alice, room._id, 'hello all');
        await alice.cube.chat.dialog.addAdmins(room._id, [bob.id]);

        // Group: leaving (which also ends being an admin). Public: unsubscribing. Broadcast: hidden for the caller.
        expect(await bob.cube.chat.dialog.delete(room._id)).toBe('');
        expect(await seen(bob, room._id)).toBeUndefined();
        expect(await seen(alice, room._id)).toMatchObject({ occupants_ids: expect.not.arrayContaining([bob.id]), admins_ids: [] });
        expect(sortedNumbers((await seen(alice, room._id)).occupants_ids)).toEqual(sortedNumbers([alice.id, carol.id]));
        expect((await seen(alice, open._id)).occupants_count).toBe(2);
        await bob.cube.chat.dialog.delete(open._id);
        expect(await seen(bob, open._id)).toBeUndefined();
        expect((await seen(alice, open._id)).occupants_count).toBe(1);
        expect(await seen(carol, news._id)).toBeDefined();
        await carol.cube.chat.dialog.delete(news._id);
        expect(await seen(carol, news._id)).toBeUndefined();
        expect(await seen(alice, news._id)).toBeDefined();
        expect(await seen(bob, news._id)).toBeDefined();

        // force=1 by a non-owner: 403 for one id, WrongPermissions in the multi-id summary; nothing changes.
        expect(await rejection(carol.cube.chat.dialog.delete(room._id, { force: 1 }))).toEqual(forbidden);
        const unknown = objectId();
        const summary = await carol.cube.chat.dialog.delete([room._id, carols._id, unknown], { force: 1 });
        expect(summary).toEqual({ SuccessfullyDeleted: { ids: [carols._id] }, NotFound: { ids: [unknown] }, WrongPermissions: { ids: [room._id] } });
        expect(await seen(carol, room._id)).toMatchObject({ last_message: 'hello all' });
        expect((await history(carol, room._id)).map((message) => message.message)).toEqual(['hello all']);
        expect(await seen(alice, carols._id)).toBeUndefined();
        expect(await rejection(alice.cube.chat.message.list({ chat_dialog_id: carols._id }))).toEqual(notFound);

        // The owner deletes it for everyone, history and unread counters included.
        expect(await carol.cube.chat.message.unreadCount()).toEqual({ total: 1 });
        expect(await alice.cube.chat.dialog.delete(room._id, { force: 1 })).toBe('');
        expect(await carol.cube.chat.message.unreadCount()).toEqual({ total: 0 });
        expect(await seen(carol, room._id)).toBeUndefined();
        expect(await seen(alice, room._id)).toBeUndefined();
        expect(await rejection(carol.cube.chat.message.list({ chat_dialog_id: room._id }))).toEqual(notFound);
        expect(await rejection(alice.cube.chat.dialog.delete(room._id))).toEqual(notFound);

        // either participant force-deletes a private dialog; a new one can then be created.
        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        expect(await bob.cube.chat.dialog.delete(direct._id, { force: 1 })).toBe('');
        expect(await seen(alice, direct._id)).toBeUndefined();
        const fresh = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        expect(fresh._id).not.toBe(direct._id);
      });

      it('clears the history for the caller only (§4.7)', async () => {
        const [alice, bob] = await people(2, 'clear');
        const room = await group(alice, [bob]);
        await post(alice, room._id, 'one');
        await post(alice, room._id, 'two');
        expect((await seen(bob, room._id)).unread_messages_count).toBe(2);
        expect(await bob.cube.chat.dialog.clearHistory(room._id)).toBe('');
        expect(await history(bob, room._id)).toEqual([]);
        expect((await seen(bob, room._id)).unread_messages_count).toBe(0);
        expect((await history(alice, room._id)).map((message) => message.message)).toEqual(['one', 'two']);
        await post(alice, room._id, 'three');
        expect((await history(bob, room._id)).map((message) => message.message)).toEqual(['three']);
        expect(await rejection(bob.cube.chat.dialog.clearHistory(objectId()))).toEqual(notFound);
      });

      it('subscribes to and unsubscribes from public dialogs; private ones answer 403 (§4.8, §4.11)', async () => {
        const [alice, bob, carol] = await people(3, 'sub');
        const open = await alice.cube.chat.dialog.create({ type: 4, name: 'Public talk' });
        expect(await seen(bob, open._id)).toBeUndefined();
        const joined = await bob.cube.chat.dialog.subscribe(open._id);
        expect(joined).toMatchObject({ _id: open._id, type: 4, occupants_ids: [], occupants_count: 2 });
        expect((await bob.cube.chat.dialog.subscribe(open._id)).occupants_count).toBe(2);
        expect((await carol.cube.chat.dialog.subscribe(open._id)).occupants_count).toBe(3);
        expect(await seen(bob, open._id)).toMatchObject({ occupants_ids: [], occupants_count: 3 });
        // Subscribers read and post; views_count counts readers other than the sender.
        const hello = await post(alice, open._id, 'welcome');
        await bob.cube.chat.message.list({ chat_dialog_id: open._id });
        await carol.cube.chat.message.list({ chat_dialog_id: open._id });
        expect((await history(alice, open._id))[0]).toMatchObject({ _id: hello._id, views_count: 2, read: 1 });

        const occupants = await bob.cube.chat.dialog.getPublicOccupants(open._id);
        expect(Object.keys(occupants)).toEqual(['items']);
        expect(userIdsOf(occupants.items)).toEqual(sortedNumbers([alice.id, bob.id, carol.id]));
        expect(occupants.items.find((user: any) => user.id === bob.id)).toMatchObject({ id: bob.id, login: bob.login });
        expect(occupants.items[0]).not.toHaveProperty('user');
        expect((await bob.cube.chat.dialog.getPublicOccupants(open._id, { limit: 2, skip: 1 })).items).toHaveLength(2);
        expect((await bob.cube.chat.dialog.getPublicOccupants(open._id, { limit: 100, skip: 3 })).items).toEqual([]);

        expect(await carol.cube.chat.dialog.unsubscribe(open._id)).toBe('');
        expect(await seen(carol, open._id)).toBeUndefined();
        expect((await seen(alice, open._id)).occupants_count).toBe(2);
        expect(userIdsOf((await alice.cube.chat.dialog.getPublicOccupants(open._id)).items)).toEqual(sortedNumbers([alice.id, bob.id]));

        // A broadcast is subscribed to the same way; a closed group answers 403 to outsiders and is a
        // no-op for its occupants.
        const news = await alice.cube.chat.dialog.create({ type: 1, name: unique('Announcements ') });
        expect((await bob.cube.chat.dialog.subscribe(news._id)).occupants_count).toBe(2);
        const room = await group(alice, [bob]);
        expect(await rejection(carol.cube.chat.dialog.subscribe(room._id))).toEqual(forbidden);
        expect(sortedNumbers((await bob.cube.chat.dialog.subscribe(room._id)).occupants_ids)).toEqual(sortedNumbers([alice.id, bob.id]));

        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        expect(await rejection(carol.cube.chat.dialog.subscribe(direct._id))).toEqual(forbidden);
        expect(await rejection(bob.cube.chat.dialog.subscribe(direct._id))).toEqual(forbidden);
        expect(await rejection(bob.cube.chat.dialog.unsubscribe(direct._id))).toEqual(forbidden);
        expect(sortedNumbers((await seen(alice, direct._id)).occupants_ids)).toEqual(sortedNumbers([alice.id, bob.id]));
        expect(await seen(carol, direct._id)).toBeUndefined();
        expect(await rejection(bob.cube.chat.dialog.subscribe(objectId()))).toEqual(notFound);
      });

      it('adds and removes admins: owner only, at most 5, members only (§4.9)', async () => {
        const [owner, outsider, ...members] = await people(8, 'adm');
        const memberIds = members.map((member) => member.id);
        const room = await group(owner, members);
        const [m1, m2, m3, m4, m5, m6] = memberIds as [number, number, number, number, number, number];

        expect(sortedNumbers((await owner.cube.chat.dialog.addAdmins(room._id, [m1, m2])).admins_ids)).toEqual(sortedNumbers([m1, m2]));
        // An admin is not the owner.
        expect(await rejection(members[0].cube.chat.dialog.addAdmins(room._id, [m3]))).toEqual(forbidden);
        expect(await rejection(members[0].cube.chat.dialog.removeAdmins(room._id, [m2]))).toEqual(forbidden);
        expect(await rejection(members[2].cube.chat.dialog.addAdmins(room._id, [m3]))).toEqual(forbidden);
        // Six admins would be one too many; a non-member cannot be an admin.
        const tooMany = await rejection(owner.cube.chat.dialog.addAdmins(room._id, [m3, m4, m5, m6]));
        expect(tooMany.code).toBe(422);
        expect((await rejection(owner.cube.chat.dialog.addAdmins(room._id, [outsider.id]))).code).toBe(422);
        expect((await rejection(owner.cube.chat.dialog.update(room._id, { push_all: { admins_ids: [m3, m4, m5, m6] } }))).code).toBe(422);
        expect(sortedNumbers((await seen(owner, room._id)).admins_ids)).toEqual(sortedNumbers([m1, m2]));
        expect(sortedNumbers((await owner.cube.chat.dialog.addAdmins(room._id, [m3, m4, m5])).admins_ids)).toEqual(sortedNumbers([m1, m2, m3, m4, m5]));
        expect(sortedNumbers((await owner.cube.chat.dialog.removeAdmins(room._id, [m1, m5])).admins_ids)).toEqual(sortedNumbers([m2, m3, m4]));

        // Private dialogs have no admins.
        const direct = await owner.cube.chat.dialog.create({ type: 3, occupants_ids: [m1] });
        expect(await rejection(owner.cube.chat.dialog.addAdmins(direct._id, [m1]))).toEqual(forbidden);
        expect((await seen(owner, direct._id)).admins_ids).toEqual([]);

        // The same limit at creation.
        const tag = unique('Adm');
        const refused = await rejection(owner.cube.chat.dialog.create({ type: 2, name: tag, occupants_ids: memberIds, admins_ids: memberIds }));
        expect(refused.code).toBe(422);
        expect((await owner.cube.chat.dialog.list({ name: tag })).items).toEqual([]);
        const withAdmins = await owner.cube.chat.dialog.create({ type: 2, name: tag, occupants_ids: memberIds, admins_ids: [m1, m2] });
        expect(sortedNumbers(withAdmins.admins_ids)).toEqual(sortedNumbers([m1, m2]));

        // Public dialog: a subscriber made admin may edit its info.
        const open = await owner.cube.chat.dialog.create({ type: 4, name: 'Admins public' });
        await members[0].cube.chat.dialog.subscribe(open._id);
        expect((await owner.cube.chat.dialog.addAdmins(open._id, [m1])).admins_ids).toEqual([m1]);
        expect((await members[0].cube.chat.dialog.update(open._id, { name: 'Renamed by admin' })).name).toBe('Renamed by admin');
      });

      it('reads and updates notification settings per user (§4.10)', async () => {
        const [alice, bob, eve] = await people(3, 'notif');
        const room = await group(alice, [bob]);
        expect(await alice.cube.chat.dialog.getNotificationsSettings(room._id)).toEqual({ notifications: { enabled: 1 } });
        expect(await alice.cube.chat.dialog.updateNotificationsSettings(room._id, false)).toEqual({ notifications: { enabled: 0 } });
        expect(await alice.cube.chat.dialog.getNotificationsSettings(room._id)).toEqual({ notifications: { enabled: 0 } });
        expect(await bob.cube.chat.dialog.getNotificationsSettings(room._id)).toEqual({ notifications: { enabled: 1 } });
        expect(await alice.cube.chat.dialog.updateNotificationsSettings(room._id, true)).toEqual({ notifications: { enabled: 1 } });
        expect(await alice.cube.chat.dialog.getNotificationsSettings(room._id)).toEqual({ notifications: { enabled: 1 } });
        expect(await rejection(eve.cube.chat.dialog.updateNotificationsSettings(room._id, false))).toEqual(forbidden);
        expect(await rejection(alice.cube.chat.dialog.getNotificationsSettings(objectId()))).toEqual(notFound);
      });
    });

    describe('messages', () => {
      it('creates messages with attachments, custom parameters and a client _id, idempotently (§4.13, §4.15)', async () => {
        const [alice, bob] = await people(2, 'msg');
        const room = await group(alice, [bob]);
        const created = await alice.cube.chat.message.create({
          chat_dialog_id: room._id,
          message: "What's the price of it?",
          attachments: [{ type: 'image', uid: '763ef825ad8748239ed07def2c14555100', id: '46919' }],
          custom_key: 'custom value',
        });
        expect(created).toEqual({
          _id: expect.stringMatching(HEX24),
          chat_dialog_id: room._id,
          message: "What's the price of it?",
          date_sent: expect.any(Number),
          sender_id: alice.id,
          recipient_id: 0,
          read_ids: [alice.id],
          delivered_ids: [alice.id],
          views_count: 0,
          read: 0,
          attachments: [{ type: 'image', uid: '763ef825ad8748239ed07def2c14555100', id: '46919' }],
          reactions: null,
          created_at: expect.stringMatching(ISO_SECONDS),
          updated_at: expect.stringMatching(ISO_SECONDS),
          custom_key: 'custom value',
        });
        expect(Math.abs(created.date_sent - nowSeconds())).toBeLessThan(120);
        expect((await history(bob, room._id))[0]).toMatchObject({ _id: created._id, custom_key: 'custom value', attachments: created.attachments });

        // [A-48] the docs' index-keyed attachments object is stored as an array in key order.
        const keyed = await post(alice, room._id, 'two files', { attachments: { 0: { type: 'photo', uid: 'u0' }, 1: { type: 'video', uid: 'u1' } } });
        expect(keyed.attachments).toEqual([{ type: 'photo', uid: 'u0' }, { type: 'video', uid: 'u1' }]);
        const old = await post(alice, room._id, 'from the past', { date_sent: 1544111746 });
        expect(old.date_sent).toBe(1544111746);

        // A client-chosen _id is kept, and resending it stores nothing new.
        const clientId = objectId();
        // A later date_sent makes it the dialog's last message whatever the ids.
        const later = created.date_sent + 10;
        const first = await post(alice, room._id, 'only once', { _id: clientId, date_sent: later });
        const again = await post(alice, room._id, 'only once', { _id: clientId, date_sent: later });
        expect(first._id).toBe(clientId);
        expect(again._id).toBe(clientId);
        const racedId = objectId();
        const raced = await Promise.all([1, 2, 3].map(() => post(alice, room._id, 'raced', { _id: racedId, date_sent: created.date_sent - 10 })));
        expect(idsOf(raced)).toEqual([racedId, racedId, racedId]);
        expect(await bob.cube.chat.message.list({ chat_dialog_id: room._id, _id: { in: [clientId, racedId] }, count: 1 })).toEqual({ items: { count: 2 } });
        expect(await bob.cube.chat.message.list({ chat_dialog_id: room._id, count: 1 })).toEqual({ items: { count: 5 } });
        expect((await seen(bob, room._id)).unread_messages_count).toBe(5);
        expect(await seen(alice, room._id)).toMatchObject({
          last_message: 'only once', last_message_id: clientId, last_message_user_id: alice.id, last_message_date_sent: first.date_sent, last_message_status: 'sent',
        });
        expect((await seen(bob, room._id)).last_message_status).toBeNull();
      });

      it('creates a message by recipient_id, making the private dialog on the way (§4.15)', async () => {
        const [alice, dave] = await people(2, 'recip');
        const hello = await alice.cube.chat.message.create({ recipient_id: dave.id, message: 'Hello Dave' });
        expect(hello).toMatchObject({ sender_id: alice.id, recipient_id: dave.id, message: 'Hello Dave', chat_dialog_id: expect.stringMatching(HEX24) });
        const dialog = await seen(dave, hello.chat_dialog_id);
        expect(dialog).toMatchObject({ type: 3, last_message: 'Hello Dave', last_message_user_id: alice.id, unread_messages_count: 1 });
        expect(sortedNumbers(dialog.occupants_ids)).toEqual(sortedNumbers([alice.id, dave.id]));
        const second = await alice.cube.chat.message.create({ recipient_id: String(dave.id), message: 'Still there?' });
        expect(second.chat_dialog_id).toBe(hello.chat_dialog_id);
        const reply = await post(dave, hello.chat_dialog_id, 'Yes');
        expect(reply.recipient_id).toBe(alice.id);
        expect((await alice.cube.chat.dialog.list({ type: 3 })).total_entries).toBe(1);
      });

      it('lists history with filters, sort, paging, count=1 and mark_as_read (§4.14)', async () => {
        const [alice, bob, carol] = await people(3, 'hist');
        const room = await group(alice, [bob, carol]);
        const base = nowSeconds() - 1000;
        const m1 = await post(alice, room._id, 'first', { date_sent: base + 1, attachments: [{ type: 'image', uid: 'i1' }] });
        const m2 = await post(bob, room._id, 'second', { date_sent: base + 2 });
        const m3 = await post(alice, room._id, 'third', { date_sent: base + 3, attachments: [{ type: 'audio', uid: 'a1' }] });
        const m4 = await post(carol, room._id, 'fourth', { date_sent: base + 4 });
        const ids = (items: any[]) => idsOf(items);

        const page = await alice.cube.chat.message.list({ chat_dialog_id: room._id, mark_as_read: 0 });
        expect(page).toEqual({ skip: 0, limit: 100, items: expect.any(Array) });
        expect(ids(page.items)).toEqual([m1._id, m2._id, m3._id, m4._id]);
        expect(ids(await history(alice, room._id, { sort_desc: 'date_sent' }))).toEqual([m4._id, m3._id, m2._id, m1._id]);
        const window = await alice.cube.chat.message.list({ chat_dialog_id: room._id, mark_as_read: 0, limit: 2, skip: 1 });
        expect(window).toMatchObject({ skip: 1, limit: 2 });
        expect(ids(window.items)).toEqual([m2._id, m3._id]);
        expect((await alice.cube.chat.message.list({ chat_dialog_id: room._id, mark_as_read: 0, limit: 1000 })).limit).toBe(100);
        expect(ids(await history(alice, room._id, { date_sent: { gt: base + 2 } }))).toEqual([m3._id, m4._id]);
        expect(ids(await history(alice, room._id, { date_sent: { lte: base + 2 } }))).toEqual([m1._id, m2._id]);
        expect(ids(await history(alice, room._id, { sender_id: alice.id }))).toEqual([m1._id, m3._id]);
        expect(ids(await history(alice, room._id, { sender_id: { in: [bob.id, carol.id] } }))).toEqual([m2._id, m4._id]);
        expect(ids(await history(alice, room._id, { sender_id: { nin: [alice.id] }, sort_desc: 'date_sent' }))).toEqual([m4._id, m2._id]);
        expect(ids(await history(alice, room._id, { message: { ctn: 'ir' } }))).toEqual([m1._id, m3._id]);
        expect(ids(await history(alice, room._id, { _id: { in: [m2._id, m4._id] } }))).toEqual([m2._id, m4._id]);
        expect(ids(await history(alice, room._id, { 'attachments.type': 'image' }))).toEqual([m1._id]);
        expect(ids(await history(alice, room._id, { attachments: { type: 'audio' } }))).toEqual([m3._id]);
        expect(ids(await history(alice, room._id, { created_at: { gte: new Date(Date.now() - 3600_000).toISOString() } }))).toHaveLength(4);
        expect(await alice.cube.chat.message.list({ chat_dialog_id: room._id, count: 1 })).toEqual({ items: { count: 4 } });
        expect(await alice.cube.chat.message.list({ chat_dialog_id: room._id, sender_id: alice.id, count: 1 })).toEqual({ items: { count: 2 } });

        // mark_as_read=0 marks nothing.
        expect((await seen(bob, room._id)).unread_messages_count).toBe(3);
        await bob.cube.chat.message.list({ chat_dialog_id: room._id, mark_as_read: 0 });
        expect((await seen(bob, room._id)).unread_messages_count).toBe(3);
        expect(await bob.cube.chat.message.unreadCount({ chat_dialog_ids: [room._id] })).toEqual({ total: 3, [room._id]: 3 });
        // By default the returned messages are marked read (only those).
        await bob.cube.chat.message.list({ chat_dialog_id: room._id, limit: 2 });
        expect((await seen(bob, room._id)).unread_messages_count).toBe(2);
        const afterFirst = await history(alice, room._id);
        expect(sortedNumbers(afterFirst[0].read_ids)).toEqual(sortedNumbers([alice.id, bob.id]));
        expect(afterFirst[0].read).toBe(1);
        expect(afterFirst[0].views_count).toBe(0);
        expect(afterFirst[2]).toMatchObject({ read_ids: [alice.id], read: 0 });
        expect((await seen(carol, room._id)).last_message_status).toBe('sent');
        await bob.cube.chat.message.list({ chat_dialog_id: room._id });
        expect((await seen(bob, room._id)).unread_messages_count).toBe(0);
        expect((await seen(carol, room._id)).last_message_status).toBe('read');
      });

      it('bumps dialogs\' updated_at on new messages and edits, the default order (§4.2, §4.3, [A-45])', async () => {
        const [alice, bob] = await people(2, 'clock');
        const tag = unique('Clk');
        const one = await alice.cube.chat.dialog.create({ type: 2, name: `${tag} one`, occupants_ids: [bob.id] });
        const two = await alice.cube.chat.dialog.create({ type: 2, name: `${tag} two`, occupants_ids: [bob.id] });
        const three = await alice.cube.chat.dialog.create({ type: 2, name: `${tag} three`, occupants_ids: [bob.id] });
        await post(alice, one._id, 'first');
        const start = Date.parse(one.created_at);
        const list = (params: Record<string, unknown>) => alice.cube.chat.dialog.list({ name: { ctn: tag }, ...params });
        try {
          scenario.moveClock(120_000);
          const bump = await post(alice, two._id, 'bump');
          scenario.moveClock(120_000);
          await alice.cube.chat.dialog.update(three._id, { description: 'edited' });
          expect(idsOf((await list({})).items)).toEqual([three._id, two._id, one._id]);
          expect(idsOf((await list({ updated_at: { gt: Math.floor((start + 60_000) / 1000) } })).items)).toEqual([three._id, two._id]);
          expect(idsOf((await list({ updated_at: { lte: new Date(start + 180_000).toISOString() }, sort_asc: 'updated_at' })).items)).toEqual([one._id, two._id]);
          const seenTwo = await seen(alice, two._id);
          expect(Date.parse(seenTwo.updated_at) - Date.parse(seenTwo.created_at)).toBeGreaterThanOrEqual(119_000);
          expect(seenTwo.last_message_date_sent).toBe(bump.date_sent);
          expect(bump.date_sent - Math.floor(start / 1000)).toBeGreaterThanOrEqual(119);
        } finally {
          scenario.moveClock(-(240_000));
        }
      });

      it('bumps a message\'s updated_at on edit, read and delivery (§4.13)', async () => {
        const [alice, bob] = await people(2, 'mclock');
        const room = await group(alice, [bob]);
        const toRead = await post(alice, room._id, 'read me');
        const toDeliver = await post(alice, room._id, 'deliver me');
        const toEdit = await post(alice, room._id, 'edit me');
        const untouched = await post(alice, room._id, 'leave me');
        try {
          scenario.moveClock(120_000);
          await bob.cube.chat.message.list({ chat_dialog_id: room._id, _id: toRead._id });
          await bob.cube.chat.message.update(toDeliver._id, { delivered: 1, chat_dialog_id: room._id });
          await alice.cube.chat.message.update(toEdit._id, { message: 'edited', chat_dialog_id: room._id });
          const byId = new Map((await history(alice, room._id)).map((message) => [message._id, message]));
          expect(byId.get(toRead._id).read_ids).toContain(bob.id);
          expect(byId.get(toDeliver._id).delivered_ids).toContain(bob.id);
          const age = (id: string) => Date.parse(byId.get(id).updated_at) - Date.parse(byId.get(id).created_at);
          expect({ edited: age(toEdit._id) >= 119_000, read: age(toRead._id) >= 119_000, delivered: age(toDeliver._id) >= 119_000, untouched: age(untouched._id) }).toEqual({
            edited: true, read: true, delivered: true, untouched: 0,
          });
        } finally {
          scenario.moveClock(-(120_000));
        }
      });

      it('marks delivered and read, edits text by the sender only (§4.16)', async () => {
        const [alice, bob, carol] = await people(3, 'mupd');
        const room = await group(alice, [bob, carol]);
        const base = nowSeconds() - 100;
        const m1 = await post(alice, room._id, 'one', { date_sent: base + 1 });
        const m2 = await post(alice, room._id, 'two', { date_sent: base + 2 });
        const m3 = await post(alice, room._id, 'three', { date_sent: base + 3 });

        expect(await bob.cube.chat.message.update(m3._id, { delivered: 1, chat_dialog_id: room._id })).toBe('');
        const delivered = (await history(alice, room._id))[2];
        expect(sortedNumbers(delivered.delivered_ids)).toEqual(sortedNumbers([alice.id, bob.id]));
        expect(delivered.read_ids).toEqual([alice.id]);
        expect((await seen(alice, room._id)).last_message_status).toBe('delivered');
        expect((await seen(bob, room._id)).unread_messages_count).toBe(3);

        await bob.cube.chat.message.update(`${m1._id},${m3._id}`, { read: '1', chat_dialog_id: room._id });
        const read = await history(alice, room._id);
        expect(read.map((message) => message.read)).toEqual([1, 0, 1]);
        expect((await seen(alice, room._id)).last_message_status).toBe('read');
        expect((await seen(bob, room._id)).unread_messages_count).toBe(1);
        // "Mark as read all chat messages": no ids, the dialog in the body.
        await carol.cube.chat.message.update('', { read: 1, chat_dialog_id: room._id });
        expect(await carol.cube.chat.message.unreadCount({ chat_dialog_ids: [room._id] })).toEqual({ total: 0, [room._id]: 0 });
        expect((await seen(bob, room._id)).unread_messages_count).toBe(1);

        // Editing: the sender only; the dialog's last_message follows an edit of the last message.
        await alice.cube.chat.message.update(m2._id, { message: 'corrected message body', chat_dialog_id: room._id });
        await alice.cube.chat.message.update(m3._id, { message: 'three, edited' });
        expect(await rejection(bob.cube.chat.message.update(m2._id, { message: 'hijacked', chat_dialog_id: room._id }))).toEqual(forbidden);
        expect((await history(carol, room._id)).map((message) => message.message)).toEqual(['one', 'corrected message body', 'three, edited']);
        expect((await seen(bob, room._id)).last_message).toBe('three, edited');

        expect(await rejection(bob.cube.chat.message.update(objectId(), { read: 1, chat_dialog_id: room._id }))).toEqual(notFound);
        expect(await rejection(bob.cube.chat.message.update(`${m1._id},${objectId()}`, { read: 1, chat_dialog_id: room._id }))).toEqual(notFound);
      });

      it('deletes messages for the caller, and for everyone where allowed (§4.17)', async () => {
        const [alice, bob, carol] = await people(3, 'mdel');
        const room = await group(alice, [bob, carol]);
        const base = nowSeconds() - 100;
        const m1 = await post(alice, room._id, 'alice one', { date_sent: base + 1 });
        const m2 = await post(bob, room._id, 'bob two', { date_sent: base + 2 });
        const m3 = await post(carol, room._id, 'carol three', { date_sent: base + 3 });
        const m4 = await post(bob, room._id, 'bob four', { date_sent: base + 4 });
        const texts = async (who: Person) => (await history(who, room._id)).map((message) => message.message);

        // Without force: hidden for the caller only. The SDK resolves with the raw JSON text.
        const hidden = await bob.cube.chat.message.delete(m1._id);
        expect(typeof hidden).toBe('string');
        expect(JSON.parse(hidden)).toEqual({ SuccessfullyDeleted: { ids: [m1._id] }, NotFound: { ids: [] }, WrongPermissions: { ids: [] } });
        expect(await texts(bob)).toEqual(['bob two', 'carol three', 'bob four']);
        expect(await texts(alice)).toEqual(['alice one', 'bob two', 'carol three', 'bob four']);

        // force: a regular occupant deletes only his own messages.
        const unknown = objectId();
        const mixed = JSON.parse(await carol.cube.chat.message.delete([m2._id, m3._id, unknown], { force: 1 }));
        expect(mixed).toEqual({ SuccessfullyDeleted: { ids: [m3._id] }, NotFound: { ids: [unknown] }, WrongPermissions: { ids: [m2._id] } });
        expect(await texts(alice)).toEqual(['alice one', 'bob two', 'bob four']);
        expect(await texts(carol)).toEqual(['alice one', 'bob two', 'bob four']);

        // The owner deletes anyone's message; the dialog's last message is recomputed.
        expect((await seen(carol, room._id)).last_message_id).toBe(m4._id);
        expect(JSON.parse(await alice.cube.chat.message.delete(m4._id, { force: 1 }))).toEqual({ SuccessfullyDeleted: { ids: [m4._id] }, NotFound: { ids: [] }, WrongPermissions: { ids: [] } });
        expect(await texts(bob)).toEqual(['bob two']);
        expect(await seen(carol, room._id)).toMatchObject({ last_message_id: m2._id, last_message: 'bob two', last_message_user_id: bob.id, last_message_date_sent: base + 2 });

        // Private: own messages only.
        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        const mine = await post(alice, direct._id, 'private note');
        expect(JSON.parse(await bob.cube.chat.message.delete(mine._id, { force: 1 })).WrongPermissions).toEqual({ ids: [mine._id] });
        expect((await history(alice, direct._id)).map((message) => message._id)).toEqual([mine._id]);
      });

      it('adds, removes, updates and lists reactions, with own/total in the history (§4.20)', async () => {
        const [alice, bob, carol, eve] = await people(4, 'react');
        const room = await group(alice, [bob, carol]);
        const base = nowSeconds() - 100;
        const target = await post(alice, room._id, 'react to me', { date_sent: base + 1 });
        const plain = await post(alice, room._id, 'no reactions', { date_sent: base + 2 });

        expect(await bob.cube.chat.message.addReaction(target._id, '👍')).toBe('');
        await carol.cube.chat.message.addReaction(target._id, '👍');
        await bob.cube.chat.message.addReaction(target._id, '🔥');
        await bob.cube.chat.message.addReaction(target._id, '🔥');
        const sortLists = (reactions: Record<string, number[]>) => Object.fromEntries(Object.entries(reactions).map(([emoji, ids]) => [emoji, sortedNumbers(ids)]));
        expect(sortLists(await alice.cube.chat.message.listReactions(target._id))).toEqual({ '👍': sortedNumbers([bob.id, carol.id]), '🔥': [bob.id] });

        const [forBob] = await history(bob, room._id);
        expect(forBob.reactions.total).toEqual({ '👍': 2, '🔥': 1 });
        expect([...forBob.reactions.own].sort()).toEqual(['👍', '🔥'].sort());
        expect((await history(alice, room._id))[0].reactions).toEqual({ own: [], total: { '👍': 2, '🔥': 1 } });
        expect((await history(alice, room._id))[1].reactions).toBeNull();

        await bob.cube.chat.message.updateReaction(target._id, '👌', '🔥');
        await carol.cube.chat.message.removeReaction(target._id, '👍');
        await carol.cube.chat.message.removeReaction(target._id, '🚀');
        expect(await carol.cube.chat.message.listReactions(target._id)).toEqual({ '👍': [bob.id], '👌': [bob.id] });
        expect((await history(carol, room._id))[0].reactions).toEqual({ own: [], total: { '👍': 1, '👌': 1 } });
        expect(await alice.cube.chat.message.listReactions(plain._id)).toEqual({});

        expect(await rejection(alice.cube.chat.message.listReactions(objectId()))).toEqual(notFound);
        expect(await rejection(alice.cube.chat.message.addReaction(objectId(), '👍'))).toEqual(notFound);
        expect(await rejection(eve.cube.chat.message.listReactions(target._id))).toEqual(forbidden);
        expect(await rejection(eve.cube.chat.message.addReaction(target._id, '💩'))).toEqual(forbidden);
        expect(Object.keys(await alice.cube.chat.message.listReactions(target._id)).sort()).toEqual(['👍', '👌'].sort());
      });

      it('counts unread messages per dialog and in total, also with the dialogs_ids alias (§4.19)', async () => {
        const [alice, bob] = await people(2, 'unread');
        const first = await group(alice, [bob]);
        const second = await group(alice, [bob]);
        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        for (const text of ['a', 'b', 'c']) await post(alice, first._id, text);
        await post(alice, second._id, 'd');
        await post(alice, direct._id, 'e');
        await post(alice, direct._id, 'f');
        await post(bob, direct._id, 'mine does not count');

        expect(await bob.cube.chat.message.unreadCount({ chat_dialog_ids: [first._id, second._id] })).toEqual({ total: 6, [first._id]: 3, [second._id]: 1 });
        expect(await bob.cube.chat.message.unreadCount({ chat_dialog_ids: direct._id })).toEqual({ total: 6, [direct._id]: 2 });
        expect(await bob.cube.chat.message.unreadCount({ dialogs_ids: [direct._id] })).toEqual({ total: 6, [direct._id]: 2 });
        expect(await bob.cube.chat.message.unreadCount()).toEqual({ total: 6 });
        expect(await alice.cube.chat.message.unreadCount({ chat_dialog_ids: [direct._id] })).toEqual({ total: 1, [direct._id]: 1 });
        expect((await seen(bob, first._id)).unread_messages_count).toBe(3);

        await bob.cube.chat.message.update('', { read: 1, chat_dialog_id: first._id });
        expect(await bob.cube.chat.message.unreadCount({ chat_dialog_ids: [first._id] })).toEqual({ total: 3, [first._id]: 0 });
        expect((await seen(bob, first._id)).unread_messages_count).toBe(0);
      });

      it('searches messages and dialog names in the caller\'s dialogs (§4.21)', async () => {
        const [alice, bob, carol, dave] = await people(4, 'search');
        const tag = unique('Srch');
        const room = await alice.cube.chat.dialog.create({ type: 2, name: `${tag} room`, occupants_ids: [bob.id] });
        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        const elsewhere = await carol.cube.chat.dialog.create({ type: 2, name: `${tag} secret`, occupants_ids: [dave.id] });
        const m1 = await post(alice, room._id, `hello ${tag} world`);
        const m2 = await post(bob, direct._id, `${tag} from bob`);
        await post(alice, room._id, 'unrelated');
        await post(carol, elsewhere._id, `${tag} hidden`);

        const found = await alice.cube.chat.search({ search_text: tag });
        expect(Object.keys(found)).toEqual(['results']);
        expect(idsOf(found.results.messages).sort()).toEqual([m1._id, m2._id].sort());
        expect(found.results.messages.find((message: any) => message._id === m1._id)).toMatchObject({ message: `hello ${tag} world`, sender_id: alice.id, chat_dialog_id: room._id });
        expect(idsOf(found.results.dialogs)).toEqual([room._id]);
        expect(userIdsOf(found.results.users)).toEqual(sortedNumbers([alice.id, bob.id]));

        const inDirect = await alice.cube.chat.search({ search_text: tag, chat_dialog_ids: [direct._id] });
        expect(idsOf(inDirect.results.messages)).toEqual([m2._id]);
        expect(inDirect.results.dialogs).toEqual([]);
        expect((await alice.cube.chat.search({ search_text: tag, limit: 1 })).results.messages).toHaveLength(1);
        const window = await alice.cube.chat.search({ search_text: tag, start_date: new Date(Date.now() + 60_000), end_date: new Date(Date.now() - 3600_000) });
        expect(idsOf(window.results.messages).sort()).toEqual([m1._id, m2._id].sort());
        const future = await alice.cube.chat.search({ search_text: tag, start_date: new Date(Date.now() + 7200_000), end_date: new Date(Date.now() + 3600_000) });
        expect(future.results.messages).toEqual([]);
        expect((await alice.cube.chat.search({ search_text: tag.toUpperCase() })).results.messages).toEqual([]);
        expect(idsOf((await carol.cube.chat.search({ search_text: tag })).results.messages).length).toBe(1);

        const tooShort = await rejection(alice.cube.chat.search({ search_text: 'abc' }));
        expect(tooShort.code).toBe(422);
        expect((await rejection(alice.cube.chat.search({}))).code).toBe(422);
        expect((await rejection(alice.cube.chat.search({ search_text: tag, start_date: new Date() }))).code).toBe(422);
        const elevenIds = Array.from({ length: 11 }, () => objectId());
        expect((await rejection(alice.cube.chat.search({ search_text: tag, chat_dialog_ids: elevenIds }))).code).toBe(422);
        const longRange = { search_text: tag, start_date: new Date(), end_date: new Date(Date.now() - 100 * 24 * 3600_000) };
        expect((await rejection(alice.cube.chat.search(longRange))).code).toBe(422);
      });

      it('previews the last 20 messages of an allow_preview dialog to a non-member, marking nothing (§4.12, §4.14)', async () => {
        const [alice, bob, eve] = await people(3, 'preview');
        const channel = await group(alice, [bob], { permissions: { allow_preview: true } });
        expect(channel.permissions).toEqual({ allow_preview: true });
        const base = nowSeconds() - 1000;
        const posted = [];
        for (let index = 0; index < 22; index += 1) posted.push(await post(alice, channel._id, `news ${index}`, { date_sent: base + index }));

        const preview = await eve.cube.chat.message.list({ chat_dialog_id: channel._id, preview: 1, limit: 5, skip: 1 });
        expect(idsOf(preview.items).sort()).toEqual(idsOf(posted.slice(2)).sort());
        expect(preview.items.every((message: any) => !message.read_ids.includes(eve.id))).toBe(true);
        const seenByAlice = await history(alice, channel._id, { sort_desc: 'date_sent', limit: 1 });
        expect(seenByAlice[0].read_ids).toEqual([alice.id]);
        expect((await seen(bob, channel._id)).unread_messages_count).toBe(22);
        // Preview grants nothing else.
        expect(await rejection(eve.cube.chat.message.list({ chat_dialog_id: channel._id }))).toEqual(forbidden);
        expect(await rejection(eve.cube.chat.message.create({ chat_dialog_id: channel._id, message: 'hi' }))).toEqual(forbidden);
        expect(await seen(eve, channel._id)).toBeUndefined();
        const closed = await group(alice, [bob]);
        await post(alice, closed._id, 'members only');
        expect(await rejection(eve.cube.chat.message.list({ chat_dialog_id: closed._id, preview: 1 }))).toEqual(forbidden);
      });
    });

    describe('authorisation and bad input', () => {
      it('keeps non-members out of a group and lets only owner/admins post to a broadcast (§4.2)', async () => {
        const [alice, bob, eve] = await people(3, 'authz');
        const room = await group(alice, [bob]);
        const message = await post(alice, room._id, 'members only');
        expect(await rejection(eve.cube.chat.message.list({ chat_dialog_id: room._id }))).toEqual(forbidden);
        expect(await rejection(eve.cube.chat.message.list({ chat_dialog_id: room._id, count: 1 }))).toEqual(forbidden);
        expect(await rejection(eve.cube.chat.message.create({ chat_dialog_id: room._id, message: 'let me in' }))).toEqual(forbidden);
        expect(await rejection(eve.cube.chat.message.update(message._id, { read: 1, chat_dialog_id: room._id }))).toEqual(forbidden);
        expect(await rejection(eve.cube.chat.message.update(message._id, { message: 'defaced' }))).toEqual(forbidden);
        expect(await rejection(eve.cube.chat.dialog.update(room._id, { pull_all: { occupants_ids: [bob.id] } }))).toEqual(forbidden);
        expect(await rejection(eve.cube.chat.dialog.delete(room._id, { force: 1 }))).toEqual(forbidden);
        const untouched = await history(alice, room._id);
        expect(untouched.map((item) => [item.message, item.read_ids])).toEqual([['members only', [alice.id]]]);
        expect(sortedNumbers((await seen(alice, room._id)).occupants_ids)).toEqual(sortedNumbers([alice.id, bob.id]));

        // Public: subscribers post, others do not.
        const open = await alice.cube.chat.dialog.create({ type: 4, name: 'Square' });
        expect(await rejection(eve.cube.chat.message.create({ chat_dialog_id: open._id, message: 'before joining' }))).toEqual(forbidden);
        await eve.cube.chat.dialog.subscribe(open._id);
        expect((await post(eve, open._id, 'after joining')).sender_id).toBe(eve.id);

        // Broadcast: every user reads, only the owner and admins post.
        const news = await alice.cube.chat.dialog.create({ type: 1, name: unique('Alerts ') });
        await post(alice, news._id, 'announcement');
        expect((await history(eve, news._id)).map((item) => item.message)).toEqual(['announcement']);
        expect(await rejection(eve.cube.chat.message.create({ chat_dialog_id: news._id, message: 'reply-all' }))).toEqual(forbidden);
        await bob.cube.chat.dialog.subscribe(news._id);
        expect(await rejection(bob.cube.chat.message.create({ chat_dialog_id: news._id, message: 'me too' }))).toEqual(forbidden);
        await alice.cube.chat.dialog.addAdmins(news._id, [bob.id]);
        await post(bob, news._id, 'admin news');
        expect((await history(alice, news._id)).map((item) => item.message)).toEqual(['announcement', 'admin news']);
      });

      it('shows another application\'s user nothing: 404 for every dialog and message id (§1.9)', async () => {
        const [alice, bob] = await people(2, 'tenant');
        const room = await group(alice, [bob]);
        const message = await post(alice, room._id, 'in app A');
        const open = await alice.cube.chat.dialog.create({ type: 4, name: 'Public in A' });
        const appB = await scenario.server.createApp(unique('chat-app-b'));
        const mallory = initAgainst(sdk.create(), scenario.server.url, { id: appB.id, authKey: appB.authKey });
        await mallory.createSession({ login: alice.login, password: PASSWORD });

        expect(await mallory.chat.dialog.list()).toMatchObject({ total_entries: 0, items: [] });
        expect(await rejection(mallory.chat.message.list({ chat_dialog_id: room._id }))).toEqual(notFound);
        expect(await rejection(mallory.chat.dialog.update(room._id, { name: 'Taken over' }))).toEqual(notFound);
        expect(await rejection(mallory.chat.dialog.subscribe(open._id))).toEqual(notFound);
        expect(await rejection(mallory.chat.dialog.getPublicOccupants(open._id))).toEqual(notFound);
        expect(await rejection(mallory.chat.dialog.delete(room._id, { force: 1 }))).toEqual(notFound);
        expect(await rejection(mallory.chat.message.create({ chat_dialog_id: room._id, message: 'hi from B' }))).toEqual(notFound);
        expect(await rejection(mallory.chat.message.update(message._id, { message: 'edited from B' }))).toEqual(notFound);
        expect(await rejection(mallory.chat.message.listReactions(message._id))).toEqual(notFound);
        expect(JSON.parse(await mallory.chat.message.delete(message._id, { force: 1 }))).toEqual({ SuccessfullyDeleted: { ids: [] }, NotFound: { ids: [message._id] }, WrongPermissions: { ids: [] } });
        expect((await rejection(mallory.chat.dialog.create({ type: 3, occupants_ids: [alice.id] }))).code).toBe(422);
        expect((await mallory.chat.search({ search_text: 'in app A' })).results).toEqual({ dialogs: [], messages: [], users: [] });
        expect(await mallory.chat.message.unreadCount({ chat_dialog_ids: [room._id] })).toEqual({ total: 0, [room._id]: 0 });

        expect(await seen(alice, room._id)).toMatchObject({ name: room.name, last_message: 'in app A' });
        expect((await history(bob, room._id)).map((item) => item.message)).toEqual(['in app A']);
        expect((await seen(alice, open._id)).occupants_count).toBe(1);
      });

      it('answers unknown and malformed ids with 404 {"errors":["The resource wasn\'t found"]} (§1.5)', async () => {
        const [alice, bob] = await people(2, 'nf');
        const room = await group(alice, [bob]);
        const message = await post(alice, room._id, 'still here');
        const unknown = objectId();
        for (const id of [unknown, 'not-a-dialog-id']) {
          expect(await rejection(alice.cube.chat.message.list({ chat_dialog_id: id }))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.dialog.update(id, { name: 'x' }))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.dialog.delete(id))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.dialog.clearHistory(id))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.dialog.subscribe(id))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.dialog.unsubscribe(id))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.dialog.addAdmins(id, [bob.id]))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.dialog.getNotificationsSettings(id))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.dialog.getPublicOccupants(id))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.message.update(id, { read: 1, chat_dialog_id: room._id }))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.message.listReactions(id))).toEqual(notFound);
          expect(await rejection(alice.cube.chat.message.addReaction(id, '👍'))).toEqual(notFound);
        }
        expect(await rejection(alice.cube.chat.message.create({ chat_dialog_id: unknown, message: 'lost' }))).toEqual(notFound);
        expect(JSON.parse(await alice.cube.chat.message.delete(`${unknown},bad-id`))).toEqual({ SuccessfullyDeleted: { ids: [] }, NotFound: { ids: [unknown, 'bad-id'] }, WrongPermissions: { ids: [] } });
        expect(await history(bob, room._id)).toEqual([expect.objectContaining({ _id: message._id, message: 'still here', read_ids: [alice.id] })]);
        expect(await seen(alice, room._id)).toMatchObject({ name: room.name, last_message_id: message._id });
      });

      it('answers a message for a malformed chat_dialog_id like one for an unknown dialog: 404 (§1.5, §4.15)', async () => {
        const [alice, bob] = await people(2, 'badid');
        const room = await group(alice, [bob]);
        expect(await rejection(alice.cube.chat.message.create({ chat_dialog_id: 'not-a-dialog-id', message: 'lost' }))).toEqual(notFound);
        expect(await rejection(alice.cube.chat.message.create({ chat_dialog_id: room._id.toUpperCase(), message: 'lost' }))).toEqual(notFound);
        expect(await history(bob, room._id)).toEqual([]);
      });

      it('refuses an update from a non-member instead of returning (and touching) the dialog (§4.2, §4.5)', async () => {
        const [alice, bob, eve] = await people(3, 'peek');
        const room = await group(alice, [bob], { name: 'Private plans' });
        const direct = await alice.cube.chat.dialog.create({ type: 3, occupants_ids: [bob.id] });
        await post(alice, room._id, 'secret group text');
        await post(alice, direct._id, 'secret private text');
        try {
          scenario.moveClock(60_000);
          for (const dialog of [room, direct]) {
            const before = await seen(alice, dialog._id);
            const result = await eve.cube.chat.dialog.update(dialog._id, {}).then((leaked: any) => ({ code: 200, info: leaked }), (error: any) => error);
            expect({ dialog: dialog._id, code: [403, 404].includes(result.code) ? 'refused' : result.code }).toEqual({ dialog: dialog._id, code: 'refused' });
            expect(Array.isArray(result.info.errors)).toBe(true);
            expect((await seen(alice, dialog._id)).updated_at).toBe(before.updated_at);
          }
        } finally {
          scenario.moveClock(-(60_000));
        }
        expect(await seen(eve, room._id)).toBeUndefined();
      });

      it('clears a broadcast\'s history for a non-subscriber without hiding the broadcast (§4.3, §4.7)', async () => {
        const [alice, eve] = await people(2, 'bclear');
        const news = await alice.cube.chat.dialog.create({ type: 1, name: unique('Daily ') });
        await post(alice, news._id, 'old news');
        const outcome = await eve.cube.chat.dialog.clearHistory(news._id).then(() => 'cleared', (error: { code: number }) => error.code);
        expect(['cleared', 403]).toContain(outcome);
        // Whether or not a non-subscriber may clear it, the broadcast stays in every user's list.
        expect(await seen(eve, news._id)).toBeDefined();
        expect((await history(eve, news._id)).map((item) => item.message)).toEqual(outcome === 'cleared' ? [] : ['old news']);
        await post(alice, news._id, 'fresh news');
        expect(await seen(eve, news._id)).toMatchObject({ last_message: 'fresh news' });
      });

      it('refuses unknown occupants, oversized and dialog-less messages with 422, changing nothing (§1.5, §4.5, §4.15)', async () => {
        const [alice, bob] = await people(2, 'inval');
        const room = await group(alice, [bob]);
        const kept = await post(alice, room._id, 'kept');
        const expectInvalid = (result: { code: number; info: unknown }) => {
          expect(result.code).toBe(422);
          expect(result.info).toEqual({ errors: expect.any(Object) });
          expect(Array.isArray((result.info as { errors: unknown }).errors)).toBe(false);
        };

        expectInvalid(await rejection(alice.cube.chat.dialog.update(room._id, { push_all: { occupants_ids: [99999999] } })));
        expectInvalid(await rejection(alice.cube.chat.dialog.update(room._id, { push_all: { occupants_ids: [bob.id, 99999999] }, name: 'Renamed' })));
        expectInvalid(await rejection(alice.cube.chat.message.create({ chat_dialog_id: room._id, message: 'x'.repeat(KIB64 + 1) })));
        expectInvalid(await rejection(alice.cube.chat.message.create({ message: 'nowhere to go' })));
        expectInvalid(await rejection(alice.cube.chat.message.list({})));
        expectInvalid(await rejection(bob.cube.chat.message.update('', { read: 1 })));
        expectInvalid(await rejection(alice.cube.chat.message.update(kept._id, { message: 'y'.repeat(KIB64 + 1) })));

        expect(await seen(alice, room._id)).toMatchObject({ name: room.name, last_message_id: kept._id, last_message: 'kept' });
        expect(sortedNumbers((await seen(alice, room._id)).occupants_ids)).toEqual(sortedNumbers([alice.id, bob.id]));
        expect((await history(bob, room._id)).map((item) => item.message)).toEqual(['kept']);
        expect(await bob.cube.chat.message.unreadCount({ chat_dialog_ids: [room._id] })).toEqual({ total: 1, [room._id]: 1 });

        // Exactly 64 KiB is still accepted.
        const largest = await post(alice, room._id, 'z'.repeat(KIB64));
        expect(largest.message).toHaveLength(KIB64);
      });
    });
  });
}
