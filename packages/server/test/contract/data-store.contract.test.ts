import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteFileName } from '../../src/adapters/store-sqlite/index.js';
import { fieldExpression } from '../../src/adapters/store-sql/custom-objects-query.js';
import { postgresTraits, sqliteTraits } from '../../src/adapters/store-sql/dialect.js';
import type {
  ClassField,
  ClassPermissions,
  DataClassRecord,
  DataCondition,
  DataQuery,
  DataRecord,
  DataTarget,
  RecordPermissions,
  RecordScope,
} from '../../src/ports/data-store.js';
import { defaultAppSettings, type Store } from '../../src/ports/store.js';
import { openStore, storeKinds, type OpenedStore } from './stores.js';

/**
 * The custom-object storage port's guarantees (src/ports/data-store.ts), identically on every adapter:
 * the SQL translation of every operator and scope, sort with NULLs, count, aggregation, atomic insert and
 * mutate, cascade delete, application isolation, and that an indexed field's index serves the query.
 */

const T0 = 1_700_000_000_123;
const fields: ClassField[] = [
  { name: 'title', type: 'String', indexed: false },
  { name: 'score', type: 'Integer', indexed: true },
  { name: 'ratio', type: 'Float', indexed: false },
  { name: 'done', type: 'Boolean', indexed: true },
  { name: 'tags', type: 'Array', indexed: false },
  { name: 'loc', type: 'Location', indexed: false },
  { name: 'due', type: 'Date', indexed: true },
];
const permissions: ClassPermissions = {
  create: { access: 'open', userIds: [], groups: [] },
  read: { access: 'open', userIds: [], groups: [], level: 'record' },
  update: { access: 'owner', userIds: [], groups: [], level: 'record' },
  delete: { access: 'owner', userIds: [], groups: [], level: 'record' },
};
const openRules: RecordPermissions = {
  read: { access: 'open', userIds: [], groups: [] },
  update: { access: 'owner', userIds: [], groups: [] },
  delete: { access: 'owner', userIds: [], groups: [] },
};

let counter = 0;
function nextId(): string {
  counter += 1;
  return `6600${counter.toString(16).padStart(20, '0')}`;
}

const field = (name: string): DataTarget => {
  const found = fields.find((candidate) => candidate.name === name);
  if (!found) throw new Error(name);
  return { field: found.name, type: found.type };
};
const ALL: RecordScope = { kind: 'all' };

describe.each(storeKinds)('custom-object store on %s', (kind) => {
  let opened: OpenedStore;
  let store: Store;
  let appId: number;
  let otherAppId: number;
  let dataClass: DataClassRecord;
  let seeded: DataRecord[];

  function record(userId: number, values: Record<string, unknown>, extra: Partial<DataRecord> = {}): DataRecord {
    return { id: nextId(), appId, classId: dataClass.id, parentId: null, userId, fields: values, permissions: openRules, createdAt: T0, updatedAt: T0, ...extra };
  }

  const titlesOf = (records: DataRecord[]) => records.map((item) => item.fields.title).sort();
  const query = (conditions: DataCondition[], scope: RecordScope = ALL, sort: DataQuery['sort'] = { target: { system: 'id' }, direction: 'asc' }) =>
    store.dataRecords.query(appId, dataClass.id, { conditions, scope, sort, limit: 100, offset: 0 });
  const titles = async (conditions: DataCondition[], scope: RecordScope = ALL) => titlesOf(await query(conditions, scope));

  beforeAll(async () => {
    opened = await openStore(kind);
    store = opened.store;
    await store.migrate();
    appId = (await store.apps.create({ name: 'data-a', authKey: 'a-key', authSecret: 'a', settings: defaultAppSettings, createdAt: T0 })).id;
    otherAppId = (await store.apps.create({ name: 'data-b', authKey: 'b-key', authSecret: 'b', settings: defaultAppSettings, createdAt: T0 })).id;
    const created = await store.dataClasses.create({ appId, name: 'Note', fields, permissions, createdAt: T0, updatedAt: T0 });
    if (!created) throw new Error('class not created');
    dataClass = created;
    seeded = [
      record(1, { title: 'apple', score: 10, ratio: 1.5, done: true, tags: ['fruit', 'sweet', 5], loc: [13.4, 52.52], due: '2024-01-10T00:00:00.000Z' }, { createdAt: T0 + 1000 }),
      record(2, { title: 'banana', score: 20, ratio: 2.5, done: false, tags: ['fruit'], loc: [13.41, 52.52], due: '2024-02-10T00:00:00.000Z' }, { createdAt: T0 + 2000 }),
      record(3, { title: 'carrot', score: 30, done: true, tags: ['vegetable'], loc: [2.35, 48.85] }, {
        createdAt: T0 + 3000,
        permissions: { ...openRules, read: { access: 'open_for_users_ids', userIds: [7, 8], groups: [] } },
      }),
      record(4, { title: "o'hara %_\\", score: null }, { permissions: { ...openRules, read: { access: 'open_for_groups', userIds: [], groups: ['staff', 'x-y'] } } }),
    ];
    await store.dataRecords.insert(seeded);
  });
  afterAll(() => opened.dispose());

  it('keeps class names unique per application and lists, finds and deletes them per application', async () => {
    expect(await store.dataClasses.create({ appId, name: 'Note', fields, permissions, createdAt: T0, updatedAt: T0 })).toBeUndefined();
    const other = await store.dataClasses.create({ appId: otherAppId, name: 'Note', fields: [], permissions, createdAt: T0, updatedAt: T0 });
    expect(other?.id).not.toBe(dataClass.id);
    expect((await store.dataClasses.list(appId)).map((item) => item.name)).toEqual(['Note']);
    expect(await store.dataClasses.find(otherAppId, 'Note')).toEqual(other);
    expect(await store.dataRecords.findByIds(otherAppId, dataClass.id, seeded.map((item) => item.id), ALL)).toEqual([]);
    expect(await store.dataRecords.count(otherAppId, dataClass.id, [], ALL)).toBe(0);
    expect(await store.dataRecords.delete(otherAppId, dataClass.id, seeded.map((item) => item.id))).toBe(0);
    expect(await store.dataClasses.delete(otherAppId, 'Note')).toBe(true);
    expect(await store.dataClasses.find(appId, 'Note')).toEqual(dataClass);
  });

  it('round-trips records, in the order of the ids asked for', async () => {
    const ids = [seeded[2]?.id ?? '', seeded[0]?.id ?? '', 'ffffffffffffffffffffffff'];
    expect(await store.dataRecords.findByIds(appId, dataClass.id, ids, ALL)).toEqual([seeded[2], seeded[0]]);
  });

  it('translates comparisons on numbers, text, booleans, dates and system fields', async () => {
    expect(await titles([{ target: field('score'), op: 'eq', value: 20 }])).toEqual(['banana']);
    expect(await titles([{ target: field('score'), op: 'gt', value: 10 }, { target: field('score'), op: 'lte', value: 30 }])).toEqual(['banana', 'carrot']);
    expect(await titles([{ target: field('score'), op: 'ne', value: 10 }])).toEqual(['banana', 'carrot', "o'hara %_\\"]);
    expect(await titles([{ target: field('score'), op: 'in', values: [10, 30] }])).toEqual(['apple', 'carrot']);
    expect(await titles([{ target: field('score'), op: 'nin', values: [10, 30] }])).toEqual(['banana', "o'hara %_\\"]);
    expect(await titles([{ target: field('score'), op: 'in', values: [] }])).toEqual([]);
    expect(await titles([{ target: field('ratio'), op: 'gte', value: 2 }])).toEqual(['banana']);
    expect(await titles([{ target: field('done'), op: 'eq', value: true }])).toEqual(['apple', 'carrot']);
    expect(await titles([{ target: field('done'), op: 'eq', value: false }])).toEqual(['banana']);
    expect(await titles([{ target: field('due'), op: 'lt', value: '2024-02-01T00:00:00.000Z' }])).toEqual(['apple']);
    expect(await titles([{ target: field('title'), op: 'ctn', value: '%_' }])).toEqual(["o'hara %_\\"]);
    expect(await titles([{ target: field('title'), op: 'eq', value: "o'hara %_\\" }])).toEqual(["o'hara %_\\"]);
    expect(await titles([{ target: field('title'), op: 'eq', value: "' or '1'='1" }])).toEqual([]);
    expect(await titles([{ target: { system: 'user_id' }, op: 'in', values: [2, 3] }])).toEqual(['banana', 'carrot']);
    expect(await titles([{ target: { system: 'created_at' }, op: 'gte', value: Math.floor((T0 + 2000) / 1000) }])).toEqual(['banana', 'carrot']);
    expect(await titles([{ target: { system: 'id' }, op: 'gt', value: seeded[2]?.id ?? '' }])).toEqual(["o'hara %_\\"]);
  });

  it('translates element tests on Array fields and the radius test on Location fields', async () => {
    expect(await titles([{ target: field('tags'), op: 'eq', value: 'fruit' }])).toEqual(['apple', 'banana']);
    expect(await titles([{ target: field('tags'), op: 'eq', value: '5' }])).toEqual(['apple']);
    expect(await titles([{ target: field('tags'), op: 'all', values: ['fruit', 'sweet'] }])).toEqual(['apple']);
    expect(await titles([{ target: field('tags'), op: 'in', values: ['sweet', 'vegetable'] }])).toEqual(['apple', 'carrot']);
    expect(await titles([{ target: field('tags'), op: 'nin', values: ['fruit'] }])).toEqual(['carrot', "o'hara %_\\"]);
    expect(await titles([{ target: field('tags'), op: 'ne', value: 'fruit' }])).toEqual(['carrot', "o'hara %_\\"]);
    expect(await titles([{ target: field('loc'), op: 'near', longitude: 13.4, latitude: 52.52, radiusMeters: 1000 }])).toEqual(['apple', 'banana']);
    expect(await titles([{ target: field('loc'), op: 'near', longitude: 13.4, latitude: 52.52, radiusMeters: 600 }])).toEqual(['apple']);
    expect(await titles([{ target: field('loc'), op: 'near', longitude: 2.3, latitude: 48.85, radiusMeters: 5000 }])).toEqual(['carrot']);
  });

  it('applies every permission scope in SQL, to lists, counts and id lookups', async () => {
    expect(await titles([], { kind: 'none' })).toEqual([]);
    expect(await titles([], { kind: 'owner', userId: 2 })).toEqual(['banana']);
    expect(await titles([], { kind: 'recordRule', action: 'read', userId: 9, groups: [] })).toEqual(['apple', 'banana']);
    expect(await titles([], { kind: 'recordRule', action: 'read', userId: 8, groups: [] })).toEqual(['apple', 'banana', 'carrot']);
    expect(await titles([], { kind: 'recordRule', action: 'read', userId: 9, groups: ['other', 'staff'] })).toEqual(['apple', 'banana', "o'hara %_\\"]);
    // A group is matched whole: "x" is not "x-y", and "staf" is not "staff".
    expect(await titles([], { kind: 'recordRule', action: 'read', userId: 9, groups: ['x', 'staf'] })).toEqual(['apple', 'banana']);
    // The owner passes their own record's rule.
    expect(await titles([], { kind: 'recordRule', action: 'read', userId: 4, groups: [] })).toEqual(['apple', 'banana', "o'hara %_\\"]);
    expect(await titles([], { kind: 'recordRule', action: 'update', userId: 2, groups: [] })).toEqual(['banana']);
    expect(await store.dataRecords.count(appId, dataClass.id, [], { kind: 'recordRule', action: 'read', userId: 9, groups: [] })).toBe(2);
    const ids = seeded.map((item) => item.id);
    expect((await store.dataRecords.findByIds(appId, dataClass.id, ids, { kind: 'owner', userId: 3 })).map((item) => item.id)).toEqual([seeded[2]?.id]);
    expect(await store.dataRecords.matchingIds(appId, dataClass.id, [{ target: field('score'), op: 'gte', value: 20 }], { kind: 'recordRule', action: 'delete', userId: 3, groups: [] })).toEqual([seeded[2]?.id]);
  });

  it('sorts with NULLs first ascending and last descending, ties by id, and pages', async () => {
    const ascending = await query([], ALL, { target: field('score'), direction: 'asc' });
    expect(ascending.map((item) => item.fields.score ?? null)).toEqual([null, 10, 20, 30]);
    const descending = await query([], ALL, { target: field('score'), direction: 'desc' });
    expect(descending.map((item) => item.fields.score ?? null)).toEqual([30, 20, 10, null]);
    const page = await store.dataRecords.query(appId, dataClass.id, { conditions: [], scope: ALL, sort: { target: field('title'), direction: 'asc' }, limit: 2, offset: 1 });
    expect(titlesOf(page)).toEqual(['banana', 'carrot']);
    const byCreation = await query([], ALL, { target: { system: 'created_at' }, direction: 'desc' });
    expect(byCreation.map((item) => item.fields.title)).toEqual(['carrot', 'banana', 'apple', "o'hara %_\\"]);
  });

  it('counts and aggregates in the database', async () => {
    expect(await store.dataRecords.count(appId, dataClass.id, [{ target: field('done'), op: 'eq', value: true }], ALL)).toBe(2);
    const sums = await store.dataRecords.aggregate(appId, dataClass.id, { conditions: [], scope: ALL, field: { field: 'score', type: 'Integer' }, op: 'sum', groupBy: field('done') });
    expect(sums).toEqual([{ group: null, value: null }, { group: false, value: 20 }, { group: true, value: 40 }]);
    const max = await store.dataRecords.aggregate(appId, dataClass.id, { conditions: [{ target: field('score'), op: 'gt', value: 0 }], scope: ALL, field: { field: 'ratio', type: 'Float' }, op: 'max', groupBy: { system: 'user_id' } });
    expect(max).toEqual([{ group: 1, value: 1.5 }, { group: 2, value: 2.5 }, { group: 3, value: null }]);
  });

  it('mutates atomically: a mutator that throws leaves every record as it was', async () => {
    const extra = [record(5, { title: 'm1', score: 1 }), record(5, { title: 'm2', score: 2 })];
    await store.dataRecords.insert(extra);
    const ids = extra.map((item) => item.id);
    let calls = 0;
    await expect(
      store.dataRecords.mutate(appId, dataClass.id, ids, (item) => {
        calls += 1;
        if (calls === 2) throw new Error('refused');
        return { ...item, fields: { ...item.fields, score: 99 } };
      }),
    ).rejects.toThrow('refused');
    expect((await store.dataRecords.findByIds(appId, dataClass.id, ids, ALL)).map((item) => item.fields.score)).toEqual([1, 2]);
    const written = await store.dataRecords.mutate(appId, dataClass.id, ids, (item) => (item.fields.score === 1 ? { ...item, fields: { ...item.fields, score: 11 }, updatedAt: T0 + 5 } : undefined));
    expect(written.map((item) => item.fields.score)).toEqual([11]);
    expect((await store.dataRecords.findByIds(appId, dataClass.id, ids, ALL)).map((item) => [item.fields.score, item.updatedAt])).toEqual([[11, T0 + 5], [2, T0]]);
    expect(await store.dataRecords.mutate(otherAppId, dataClass.id, ids, () => { throw new Error('never called'); })).toEqual([]);
    await store.dataRecords.delete(appId, dataClass.id, ids);
  });

  it('inserts all or nothing', async () => {
    const good = record(6, { title: 'good' });
    const duplicate = { ...record(6, { title: 'dup' }), id: seeded[0]?.id ?? '' };
    await expect(store.dataRecords.insert([good, duplicate])).rejects.toThrow();
    expect(await store.dataRecords.findByIds(appId, dataClass.id, [good.id], ALL)).toEqual([]);
  });

  it('deletes records with their descendants, in any class of the application', async () => {
    const childClass = await store.dataClasses.create({ appId, name: 'Child', fields, permissions, createdAt: T0, updatedAt: T0 });
    if (!childClass) throw new Error('class not created');
    const parent = record(7, { title: 'parent' });
    const child = { ...record(7, { title: 'child' }, { parentId: parent.id }), classId: childClass.id };
    const grandchild = record(7, { title: 'grandchild' }, { parentId: child.id });
    const unrelated = record(7, { title: 'unrelated' });
    await store.dataRecords.insert([parent, grandchild, unrelated]);
    await store.dataRecords.insert([child]);
    expect(await store.dataRecords.delete(appId, dataClass.id, [parent.id])).toBe(1);
    expect(await store.dataRecords.findByIds(appId, childClass.id, [child.id], ALL)).toEqual([]);
    expect((await store.dataRecords.findByIds(appId, dataClass.id, [grandchild.id, unrelated.id], ALL)).map((item) => item.id)).toEqual([unrelated.id]);
    await store.dataRecords.delete(appId, dataClass.id, [unrelated.id]);
  });

  it('refuses field names outside the safe alphabet before any SQL is written', async () => {
    await expect(query([{ target: { field: "score') or 1=1 --", type: 'Integer' }, op: 'eq', value: 1 }])).rejects.toThrow(/invalid custom-object field name/);
  });

  it('indexes an indexed field, and queries on it read the index', async () => {
    const traits = kind === 'sqlite' ? sqliteTraits : postgresTraits;
    const filter = sql`select id from data_records where app_id = ${appId} and class_id = ${dataClass.id} and ${fieldExpression(traits, 'score', 'Integer')} = ${20}`;
    if (opened.location.kind === 'sqlite') {
      const database = new SqliteDatabase(path.join(opened.location.dataDir, sqliteFileName));
      const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) });
      try {
        const compiled = filter.compile(db);
        const plan = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
        expect(plan.rows.map((row) => row.detail).join('\n')).toMatch(/USING INDEX data_c\d+_f[0-9a-f]+ \(class_id=\? AND <expr>=\?\)/);
      } finally {
        await db.destroy();
      }
    } else {
      const pool = new pg.Pool({ connectionString: opened.location.url, max: 1 });
      const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
      try {
        const compiled = filter.compile(db);
        const plan = await db.connection().execute(async (connection) => {
          // Four rows would be scanned sequentially whatever the indexes; make the planner show its choice.
          await connection.executeQuery(CompiledQuery.raw('set enable_seqscan = off'));
          return connection.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
        });
        expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index.* using data_c\d+_f[0-9a-f]+/);
      } finally {
        await db.destroy();
      }
    }
  });

  it('drops the index of a field no longer indexed and creates one for a newly indexed field', async () => {
    const changed = fields.map((item) => (item.name === 'score' ? { ...item, indexed: false } : item.name === 'title' ? { ...item, indexed: true } : item));
    const updated = await store.dataClasses.update(appId, 'Note', { fields: changed, permissions: dataClass.permissions, updatedAt: T0 + 1 });
    expect(updated?.fields).toEqual(changed);
    expect(await titles([{ target: field('score'), op: 'eq', value: 20 }])).toEqual(['banana']);
    expect(await titles([{ target: field('title'), op: 'eq', value: 'carrot' }])).toEqual(['carrot']);
    expect(await store.dataClasses.update(otherAppId, 'Note', { fields: changed, permissions: dataClass.permissions, updatedAt: T0 })).toBeUndefined();
  });

  it('forgets the stored values of a removed field, so it can come back with another type', async () => {
    const before = await store.dataClasses.find(appId, 'Note');
    if (!before) throw new Error('no class');
    const withoutTitle = before.fields.filter((item) => item.name !== 'title');
    await store.dataClasses.update(appId, 'Note', { fields: withoutTitle, permissions: before.permissions, updatedAt: T0 + 2 });
    const stored = await store.dataRecords.findByIds(appId, dataClass.id, seeded.map((item) => item.id), ALL);
    expect(stored.every((item) => !('title' in item.fields))).toBe(true);
    const titleAsNumber: ClassField = { name: 'title', type: 'Integer', indexed: true };
    await store.dataClasses.update(appId, 'Note', { fields: [...withoutTitle, titleAsNumber], permissions: before.permissions, updatedAt: T0 + 3 });
    const numeric = await store.dataRecords.query(appId, dataClass.id, { conditions: [{ target: { field: 'title', type: 'Integer' }, op: 'gt', value: 0 }], scope: ALL, sort: { target: { field: 'title', type: 'Integer' }, direction: 'asc' }, limit: 10, offset: 0 });
    expect(numeric).toEqual([]);
  });
});
