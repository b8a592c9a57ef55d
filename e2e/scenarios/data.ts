import { describe, expect, it } from 'vitest';
import { databaseKinds } from '@parley/testkit';
import { initAgainst, rejection, scenarioServer, type CubeLike, type ScenarioTarget, type SdkFlavour } from './sdk.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- SDK responses are checked field by field */

const PASSWORD = 'password123';
const HEX24 = /^[0-9a-f]{24}$/;
const classNotFound = { code: 404, info: { errors: { base: ['Class not found'] } } };
const recordNotFound = { code: 404, info: { errors: { base: ['Record not found'] } } };
const forbidden = { code: 403, info: { errors: { base: ['Forbidden'] } } };

interface Person {
  cube: CubeLike;
  id: number;
}

const fields = [
  { name: 'title', type: 'String' },
  { name: 'score', type: 'Integer', indexed: true },
  { name: 'ratio', type: 'Float' },
  { name: 'done', type: 'Boolean' },
  { name: 'tags', type: 'Array' },
  { name: 'loc', type: 'Location' },
  { name: 'due', type: 'Date' },
];

const idsOf = (items: { _id: string }[]) => items.map((item) => item._id);
const titles = (items: { title: string }[]) => items.map((item) => item.title).sort();

/**
 * Custom objects (rest.md §6) through an SDK, on every database: records of every field type, the whole
 * query language, update operators, deletes with cascade, permissions at record and class level, bad
 * input (error and nothing changed) and application isolation. Classes are defined the administrator's
 * way (the server's class service), never through the client API.
 */
export function dataScenarios(sdk: SdkFlavour, targets: ScenarioTarget[] = databaseKinds): void {
  describe.each(targets)(`${sdk.name}: custom objects on %s`, (db) => {
    const scenario = scenarioServer(sdk, db);
    const { unique, connect } = scenario;

    async function defineClass(extra: Record<string, unknown> = {}, appId = scenario.server.app.id): Promise<string> {
      const name = unique('Note');
      await scenario.server.server.services.dataClasses.define(appId, { name, fields, ...extra });
      return name;
    }

    async function person(tags?: string, cube: CubeLike = connect()): Promise<Person> {
      const session = await cube.createSession({ login: unique('data'), password: PASSWORD });
      if (tags) await cube.users.update({ tag_list: tags });
      return { cube, id: session.user_id as number };
    }

    async function everything(who: Person, className: string): Promise<any[]> {
      return (await who.cube.data.list(className, { limit: 100 })).items;
    }

    describe('records', () => {
      it('creates a record with coerced values, every declared field, and reads it back by id (§6.1–§6.3)', async () => {
        const className = await defineClass();
        const alice = await person();
        const record = await alice.cube.data.create(className, {
          title: 'First', score: '41', ratio: '0.5', done: 'true', tags: ['a', 'b'], loc: '10.5, 50.25', due: 1700000000, undeclared: 'dropped', user_id: 999,
        });
        expect(record).toEqual({
          _id: expect.stringMatching(HEX24), _parent_id: null, user_id: alice.id, created_at: expect.any(Number), updated_at: expect.any(Number),
          title: 'First', score: 41, ratio: 0.5, done: true, tags: ['a', 'b'], loc: [10.5, 50.25], due: '2023-11-14T22:13:20.000Z',
          permissions: { read: { access: 'open' }, update: { access: 'owner' }, delete: { access: 'owner' } },
        });
        expect(Math.abs(record.created_at - Date.now() / 1000)).toBeLessThan(60);
        const sparse = await alice.cube.data.create(className, { title: 'Sparse' });
        expect(sparse).toMatchObject({ score: null, tags: null, loc: null, due: null, done: null });

        const byId = await alice.cube.data.list(className, record._id);
        expect(byId).toEqual({ class_name: className, items: [record] });
        const both = await alice.cube.data.list(className, [sparse._id, record._id]);
        expect(idsOf(both.items)).toEqual([sparse._id, record._id]);
        const joined = await alice.cube.data.list(className, `${record._id},${sparse._id}`);
        expect(idsOf(joined.items)).toEqual([record._id, sparse._id]);
      });

      it('creates many records at once, all or nothing (§6.2)', async () => {
        const className = await defineClass();
        const alice = await person();
        const created = await alice.cube.data.create(className, [{ title: 'a', score: 1 }, { title: 'b', score: 2 }, { title: 'c', tags: 'x,y' }]);
        expect(created.class_name).toBe(className);
        expect(created.items.map((item: any) => [item.title, item.score, item.tags])).toEqual([['a', 1, null], ['b', 2, null], ['c', null, ['x', 'y']]]);

        const refused = await rejection(alice.cube.data.create(className, [{ title: 'd' }, { title: 'e', score: 'many' }]));
        expect(refused).toEqual({ code: 422, info: { errors: { 'record.2.score': ['must be an integer'] } } });
        expect(titles(await everything(alice, className))).toEqual(['a', 'b', 'c']);
      });
    });

    describe('queries', () => {
      async function seeded(): Promise<{ className: string; alice: Person; records: any[] }> {
        const className = await defineClass();
        const alice = await person();
        const { items } = await alice.cube.data.create(className, [
          { title: 'apple pie', score: 10, ratio: 1.5, done: true, tags: ['fruit', 'sweet'], loc: [13.4, 52.52], due: '2024-01-10T00:00:00Z' },
          { title: 'banana', score: 20, ratio: 2.5, done: false, tags: ['fruit'], loc: [13.41, 52.52], due: '2024-02-10T00:00:00Z' },
          { title: 'carrot', score: 30, ratio: 3.5, done: true, tags: ['vegetable'], loc: [2.35, 48.85], due: '2024-03-10T00:00:00Z' },
          { title: "o'hara; drop table data_records;--", score: 40, done: false, tags: ['odd', 'sweet'] },
        ]);
        return { className, alice, records: items };
      }

      it('filters with every operator, in the database (§6.4)', async () => {
        const { className, alice } = await seeded();
        const query = async (params: Record<string, unknown>) => titles((await alice.cube.data.list(className, params)).items);
        expect(await query({ score: 20 })).toEqual(['banana']);
        expect(await query({ score: { gt: 10, lte: 30 } })).toEqual(['banana', 'carrot']);
        expect(await query({ score: { lt: 20 } })).toEqual(['apple pie']);
        expect(await query({ score: { gte: 40 } })).toEqual(["o'hara; drop table data_records;--"]);
        expect(await query({ score: { ne: 10 } })).toHaveLength(3);
        expect(await query({ score: { in: [10, 30] } })).toEqual(['apple pie', 'carrot']);
        expect(await query({ score: { nin: [10, 30] } })).toEqual(['banana', "o'hara; drop table data_records;--"]);
        expect(await query({ score: { or: [20, 40] } })).toHaveLength(2);
        expect(await query({ ratio: { gt: 2 } })).toEqual(['banana', 'carrot']);
        expect(await query({ done: true })).toEqual(['apple pie', 'carrot']);
        expect(await query({ done: { ne: true } })).toEqual(['banana', "o'hara; drop table data_records;--"]);
        expect(await query({ title: { ctn: 'an' } })).toEqual(['banana']);
        expect(await query({ tags: 'sweet' })).toEqual(['apple pie', "o'hara; drop table data_records;--"]);
        expect(await query({ tags: { all: ['fruit', 'sweet'] } })).toEqual(['apple pie']);
        expect(await query({ tags: { in: ['vegetable', 'odd'] } })).toEqual(['carrot', "o'hara; drop table data_records;--"]);
        expect(await query({ tags: { nin: ['fruit'] } })).toEqual(['carrot', "o'hara; drop table data_records;--"]);
        expect(await query({ due: { gte: '2024-02-01', lt: new Date(Date.UTC(2024, 2, 1)).toISOString() } })).toEqual(['banana']);
        // Within 1 km of central Berlin: two records ~680 m apart, not Paris.
        expect(await query({ loc: { near: '13.4,52.52;1000' } })).toEqual(['apple pie', 'banana']);
        expect(await query({ loc: { near: '13.4,52.52;100' } })).toEqual(['apple pie']);
        // Metacharacters are values, matched literally.
        expect(await query({ title: "o'hara; drop table data_records;--" })).toEqual(["o'hara; drop table data_records;--"]);
        expect(await query({ title: "x' or '1'='1" })).toEqual([]);
      });

      it('sorts, pages, counts, projects and aggregates (§6.4)', async () => {
        const { className, alice, records } = await seeded();
        const byScore = await alice.cube.data.list(className, { sort_desc: 'score', limit: 2, skip: 1 });
        expect(byScore).toMatchObject({ class_name: className, skip: 1, limit: 2 });
        expect(byScore.items.map((item: any) => item.score)).toEqual([30, 20]);
        const ascending = await alice.cube.data.list(className, { sort_asc: 'title' });
        expect(ascending.items.map((item: any) => item.title)).toEqual(['apple pie', 'banana', 'carrot', "o'hara; drop table data_records;--"]);
        expect(idsOf((await alice.cube.data.list(className, { sort_asc: '_id' })).items)).toEqual(idsOf(records));
        const last = await alice.cube.data.list(className, { limit: -1 });
        expect(idsOf(last.items)).toEqual([records[3]._id]);
        expect((await alice.cube.data.list(className, { limit: 1000 })).limit).toBe(100);

        expect(await alice.cube.data.list(className, { count: 1 })).toEqual({ class_name: className, count: 4 });
        expect(await alice.cube.data.list(className, { count: 1, done: true })).toEqual({ class_name: className, count: 2 });

        const included = await alice.cube.data.list(className, { output: { include: ['title'] }, score: 10 });
        expect(Object.keys(included.items[0]).sort()).toEqual(['_id', '_parent_id', 'created_at', 'permissions', 'title', 'updated_at', 'user_id']);
        const excluded = await alice.cube.data.list(className, { output: { exclude: ['title', 'tags'] }, score: 10 });
        expect(excluded.items[0]).not.toHaveProperty('title');
        expect(excluded.items[0]).toHaveProperty('score', 10);

        const sums = await alice.cube.data.list(className, { score: { calc: 'sum' }, group_by: 'done' });
        expect(sums).toEqual({ class_name: className, items: [{ done: false, score: { sum: 60 } }, { done: true, score: { sum: 40 } }] });
        const averages = await alice.cube.data.list(className, { ratio: { calc: 'avg' }, group_by: 'done', title: { ne: 'banana' } });
        expect(averages.items).toEqual([{ done: false, ratio: { avg: null } }, { done: true, ratio: { avg: 2.5 } }]);
      });

      it('refuses unknown fields, operators that do not fit, and bad values with a 422 naming them', async () => {
        const { className, alice } = await seeded();
        const refused = (params: Record<string, unknown>) => rejection(alice.cube.data.list(className, params));
        expect(await refused({ colour: 'red' })).toEqual({ code: 422, info: { errors: { colour: ['is not a field of this class'] } } });
        expect(await refused({ score: { regex: '.*' } })).toEqual({ code: 422, info: { errors: { 'score[regex]': ["unknown operator 'regex'"] } } });
        expect(await refused({ done: { gt: 1 } })).toMatchObject({ code: 422, info: { errors: { 'done[gt]': [expect.any(String)] } } });
        expect(await refused({ score: { gt: 'ten' } })).toEqual({ code: 422, info: { errors: { 'score[gt]': ['must be a number'] } } });
        expect(await refused({ sort_desc: 'tags' })).toMatchObject({ code: 422 });
        expect(await refused({ sort_asc: 'nope' })).toMatchObject({ code: 422 });
        expect(await refused({ near: '1,2;3' })).toMatchObject({ code: 422, info: { errors: { near: [expect.any(String)] } } });
        expect(await refused({ "title') or 1=1 --": 'x' })).toMatchObject({ code: 422 });
        expect(await refused({ score: { calc: 'median' }, group_by: 'done' })).toMatchObject({ code: 422 });
        expect(await refused({ limit: 'lots' })).toMatchObject({ code: 422 });
        expect(await refused({ user_id: 99999999999 })).toMatchObject({ code: 422, info: { errors: { user_id: [expect.any(String)] } } });
        expect(await refused({ created_at: { gt: '1e20' } })).toMatchObject({ code: 422 });
        expect(await refused({ title: 'nul\u0000byte' })).toMatchObject({ code: 422, info: { errors: { title: [expect.any(String)] } } });
        expect(await rejection(alice.cube.data.create(className, { title: 'nul\u0000byte' }))).toMatchObject({ code: 422, info: { errors: { title: [expect.any(String)] } } });
        expect(await rejection(alice.cube.data.list('NoSuchClass', {}))).toEqual(classNotFound);
        expect(await rejection(alice.cube.data.list("Bad'Name", {}))).toEqual(classNotFound);
        expect(await alice.cube.data.list(className, { count: 1 })).toEqual({ class_name: className, count: 4 });
      });

      it('lists the children of a record with _parent_id, and deleting the parent deletes them (§6.1)', async () => {
        const parents = await defineClass();
        const children = await defineClass();
        const alice = await person();
        const parent = await alice.cube.data.create(parents, { title: 'parent' });
        const child = await alice.cube.data.create(children, { title: 'child', _parent_id: parent._id });
        await alice.cube.data.create(children, { title: 'orphan' });
        expect(child._parent_id).toBe(parent._id);
        expect(titles((await alice.cube.data.list(children, { _parent_id: parent._id })).items)).toEqual(['child']);
        await alice.cube.data.delete(parents, parent._id);
        expect(titles(await everything(alice, children))).toEqual(['orphan']);
      });
    });

    describe('updates', () => {
      it('updates one record with values and every array operator (§6.6)', async () => {
        const className = await defineClass();
        const alice = await person();
        const record = await alice.cube.data.create(className, { title: 't', score: 5, tags: ['a', 'b', 'c', 'a', '5', '15'] });
        const updated = await alice.cube.data.update(className, { _id: record._id, title: 'renamed', ratio: null, inc: { score: -2 }, push: { tags: ['d'] } });
        expect(updated).toMatchObject({ _id: record._id, title: 'renamed', score: 3, ratio: null, tags: ['a', 'b', 'c', 'a', '5', '15', 'd'] });
        const steps: [Record<string, unknown>, unknown[]][] = [
          [{ add_to_set: { tags: ['a', 'e'] } }, ['a', 'b', 'c', 'a', '5', '15', 'd', 'e']],
          [{ pull: { tags: 'a' } }, ['b', 'c', '5', '15', 'd', 'e']],
          [{ pull_all: { tags: ['b', 'c'] } }, ['5', '15', 'd', 'e']],
          [{ pull_with_filter: { tags: { lt: 10 } } }, ['15', 'd', 'e']],
          [{ pull: { tags: { gte: 10 } } }, ['d', 'e']],
          [{ pop: { tags: 1 } }, ['d']],
          [{ push: { tags: ['x', 'y'] }, update_by_index: { tags: { 0: 'first' } } }, ['first', 'x', 'y']],
          [{ tags: { 1: 'second' } }, ['first', 'second', 'y']],
          [{ pop: { tags: -1 } }, ['second', 'y']],
        ];
        for (const [change, expected] of steps) {
          const next = await alice.cube.data.update(className, { id: record._id, ...change });
          expect(next.tags).toEqual(expected);
        }
        expect(await rejection(alice.cube.data.update(className, { _id: record._id, inc: { tags: 1 } }))).toMatchObject({ code: 422, info: { errors: { 'inc.tags': [expect.any(String)] } } });
        expect(await rejection(alice.cube.data.update(className, { _id: record._id, title: 'changed', score: 'x' }))).toEqual({ code: 422, info: { errors: { score: ['must be an integer'] } } });
        expect((await alice.cube.data.list(className, record._id)).items[0]).toMatchObject({ title: 'renamed', score: 3, tags: ['second', 'y'] });
        expect(await rejection(alice.cube.data.update(className, { _id: '5c09798aca8bf468ab8d2936', title: 'x' }))).toEqual(recordNotFound);
      });

      it('updates by criteria and many records at once (§6.6)', async () => {
        const className = await defineClass();
        const alice = await person();
        const bob = await person();
        const { items } = await alice.cube.data.create(className, [{ title: 'a', score: 10 }, { title: 'b', score: 20 }, { title: 'c', score: 30 }]);
        const bobs = await bob.cube.data.create(className, { title: 'bob', score: 15 });

        const byCriteria = await alice.cube.data.update(className, { search_criteria: { score: { lt: 25 } }, done: true });
        expect(byCriteria).toMatchObject({ class_name: className, total_found: 2 });
        expect(titles(byCriteria.items)).toEqual(['a', 'b']);
        expect(titles((await alice.cube.data.list(className, { done: true })).items)).toEqual(['a', 'b']);

        const many = await alice.cube.data.update(className, [{ id: items[0]._id, title: 'A' }, { _id: items[2]._id, inc: { score: 1 } }, { id: bobs._id, title: 'stolen' }, { id: '5c09798aca8bf468ab8d2936', title: 'none' }]);
        expect(many.class_name).toBe(className);
        expect(many.items.map((item: any) => [item.title, item.score])).toEqual([['A', 10], ['c', 31]]);
        expect(many.not_found.ids.sort()).toEqual(['5c09798aca8bf468ab8d2936', bobs._id].sort());
        expect((await bob.cube.data.list(className, bobs._id)).items[0].title).toBe('bob');
      });
    });

    describe('deletes', () => {
      it('deletes one id (text), several ids (summary) and by criteria (§6.7)', async () => {
        const className = await defineClass();
        const alice = await person();
        const bob = await person();
        const { items } = await alice.cube.data.create(className, [{ title: 'a', score: 1 }, { title: 'b', score: 2 }, { title: 'c', score: 3 }, { title: 'd', score: 41 }, { title: 'e', score: 50 }]);
        const bobs = await bob.cube.data.create(className, { title: 'bob', score: 60 });

        expect(await alice.cube.data.delete(className, items[0]._id)).toBe('');
        expect(await rejection(alice.cube.data.delete(className, items[0]._id))).toEqual(recordNotFound);
        expect(await rejection(alice.cube.data.delete(className, bobs._id))).toEqual(forbidden);

        const missing = '5c09798aca8bf468ab8d2936';
        const summary = await alice.cube.data.delete(className, [items[1]._id, bobs._id, missing]);
        expect(summary).toEqual({ SuccessfullyDeleted: { ids: [items[1]._id] }, WrongPermissions: { ids: [bobs._id] }, NotFound: { ids: [missing] } });

        expect(await alice.cube.data.delete(className, { score: { gte: 41 } })).toEqual({ total_deleted: 2 });
        expect(titles(await everything(alice, className))).toEqual(['bob', 'c']);
        expect(await rejection(alice.cube.data.delete(className, { colour: 'red' }))).toMatchObject({ code: 422 });
        expect(titles(await everything(alice, className))).toEqual(['bob', 'c']);
      });
    });

    describe('permissions', () => {
      it('applies record rules: owner, users ids and groups, on every route (§6.1, §6.5)', async () => {
        const className = await defineClass();
        const [alice, bob, carol] = [await person(), await person(), await person('officers,staff')];
        const secret = await alice.cube.data.create(className, { title: 'secret', permissions: { read: { access: 'owner' } } });
        const shared = await alice.cube.data.create(className, {
          title: 'shared',
          permissions: { update: { access: 'open_for_users_ids', ids: [String(bob.id)] }, delete: { access: 'open_for_groups', groups: ['officers'] } },
        });
        expect(shared.permissions).toEqual({ read: { access: 'open' }, update: { access: 'open_for_users_ids', users_ids: [String(bob.id)] }, delete: { access: 'open_for_groups', users_groups: ['officers'] } });
        const sdkSpelling = await alice.cube.data.create(className, { title: 'sdk', permissions: { read: { access: 'open_for_users_ids', user_ids: [String(carol.id)] } } });

        expect(sdkSpelling.permissions.read).toEqual({ access: 'open_for_users_ids', users_ids: [String(carol.id)] });
        // read: owner only
        expect(titles(await everything(alice, className))).toEqual(['sdk', 'secret', 'shared']);
        expect(titles(await everything(bob, className))).toEqual(['shared']);
        expect(titles(await everything(carol, className))).toEqual(['sdk', 'shared']);
        expect((await bob.cube.data.list(className, { count: 1 })).count).toBe(1);
        expect((await bob.cube.data.list(className, [secret._id, shared._id])).items.map((item: any) => item.title)).toEqual(['shared']);

        // update: open for bob's id only
        expect(await rejection(carol.cube.data.update(className, { _id: shared._id, title: 'carol' }))).toEqual(forbidden);
        expect((await bob.cube.data.update(className, { _id: shared._id, title: 'by bob' })).title).toBe('by bob');
        expect(await rejection(bob.cube.data.update(className, { _id: shared._id, permissions: { read: { access: 'owner' } } }))).toMatchObject({ code: 403 });

        // readPermissions: owner only
        expect(await alice.cube.data.readPermissions(className, shared._id)).toEqual({ record_id: shared._id, permissions: shared.permissions });
        expect(await rejection(bob.cube.data.readPermissions(className, shared._id))).toEqual(forbidden);

        // delete: open for the "officers" group
        expect(await rejection(bob.cube.data.delete(className, shared._id))).toEqual(forbidden);
        expect(await carol.cube.data.delete(className, shared._id)).toBe('');
        expect(titles(await everything(alice, className))).toEqual(['sdk', 'secret']);
        expect(await rejection(alice.cube.data.create(className, { title: 'x', permissions: { read: { access: 'not_allowed' } } }))).toMatchObject({ code: 422 });
      });

      it('applies class rules: create not allowed, owner-only reads, open updates, group deletes', async () => {
        const alice = await person('admins');
        const bob = await person();
        const locked = await defineClass({ permissions: { create: { access: 'not_allowed' } } });
        expect(await rejection(alice.cube.data.create(locked, { title: 'x' }))).toEqual(forbidden);
        expect((await alice.cube.data.list(locked, { count: 1 })).count).toBe(0);

        const className = await defineClass({
          permissions: {
            create: { access: 'open_for_users_ids', ids: [alice.id, bob.id] },
            read: { access: 'owner', level: 'class' },
            update: { access: 'open', level: 'class' },
            delete: { access: 'open_for_groups', groups: ['admins'], level: 'class' },
          },
        });
        const mine = await alice.cube.data.create(className, { title: 'alice', permissions: { read: { access: 'open' } } });
        const bobs = await bob.cube.data.create(className, { title: 'bob' });
        // Class-level reads ignore the record's own "open" rule.
        expect(titles(await everything(alice, className))).toEqual(['alice']);
        expect(titles(await everything(bob, className))).toEqual(['bob']);
        expect((await bob.cube.data.list(className, mine._id)).items).toEqual([]);
        expect((await bob.cube.data.update(className, { _id: mine._id, title: 'edited by bob' })).title).toBe('edited by bob');
        expect(await rejection(bob.cube.data.delete(className, bobs._id))).toEqual(forbidden);
        expect(await alice.cube.data.delete(className, bobs._id)).toBe('');
        const stranger = await person();
        expect(await rejection(stranger.cube.data.create(className, { title: 'x' }))).toEqual(forbidden);
      });
    });

    describe('isolation', () => {
      it('never shows one application the classes or records of another', async () => {
        const className = await defineClass();
        const alice = await person();
        const record = await alice.cube.data.create(className, { title: 'app A' });

        const otherApp = await scenario.server.createApp(unique('other'));
        const stranger = await person(undefined, initAgainst(sdk.create(), scenario.server.url, otherApp));
        expect(await rejection(stranger.cube.data.list(className, {}))).toEqual(classNotFound);
        expect(await rejection(stranger.cube.data.list(className, record._id))).toEqual(classNotFound);

        await scenario.server.server.services.dataClasses.define(otherApp.id, { name: className, fields });
        expect(await stranger.cube.data.list(className, {})).toMatchObject({ items: [] });
        expect((await stranger.cube.data.list(className, record._id)).items).toEqual([]);
        expect(await rejection(stranger.cube.data.update(className, { _id: record._id, title: 'x' }))).toEqual(recordNotFound);
        expect(await rejection(stranger.cube.data.delete(className, record._id))).toEqual(recordNotFound);
        expect(await stranger.cube.data.delete(className, { title: 'app A' })).toEqual({ total_deleted: 0 });
        expect((await alice.cube.data.list(className, record._id)).items[0].title).toBe('app A');
      });
    });
  });
}
