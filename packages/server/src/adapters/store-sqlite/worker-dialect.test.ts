import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kysely, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteWorkerClient } from './worker-client.js';
import { ConnectionGate, WorkerSqliteDialect } from './worker-dialect.js';

interface Scratch {
  items: { id: number; name: string; size: number | null };
}

function memoryWorkers() {
  const worker = new SqliteWorkerClient({ file: ':memory:', settings: { synchronous: 'full' } });
  return { writer: worker, reader: worker };
}

/** Kysely over the SQLite worker thread: transactions own the single connection; results come back as better-sqlite3 gives them. */
describe('WorkerSqliteDialect', () => {
  const open: Kysely<Scratch>[] = [];
  afterEach(async () => {
    for (const db of open.splice(0)) await db.destroy();
  });

  async function scratch(): Promise<Kysely<Scratch>> {
    const db = new Kysely<Scratch>({ dialect: new WorkerSqliteDialect(memoryWorkers(), new ConnectionGate()) });
    open.push(db);
    await sql`create table items (id integer primary key, name text not null unique, size integer)`.execute(db);
    return db;
  }

  it('returns rows, numbers and bigint insert ids as the in-thread driver does', async () => {
    const db = await scratch();
    const inserted = await db.insertInto('items').values({ id: 2 ** 40, name: 'big', size: 12 }).executeTakeFirst();
    expect(inserted.insertId).toBe(2n ** 40n);
    expect(await db.selectFrom('items').selectAll().execute()).toEqual([{ id: 2 ** 40, name: 'big', size: 12 }]);
    const updated = await db.updateTable('items').set({ size: null }).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(1n);
  });

  it('keeps statements outside a transaction out of it: they wait for the commit, and never see a rolled-back row', async () => {
    const db = await scratch();
    const order: string[] = [];
    let outside: Promise<number> | undefined;
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 1, name: 'one', size: 1 }).execute();
      outside = db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
        .then((row) => (order.push('outside read'), Number(row.n)));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await trx.insertInto('items').values({ id: 2, name: 'two', size: 2 }).execute();
      order.push('commit');
    });
    expect(await outside).toBe(2);
    expect(order).toEqual(['commit', 'outside read']);

    const failed = db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 3, name: 'three', size: 3 }).execute();
      throw new Error('changed my mind');
    });
    const count = db.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(failed).rejects.toThrow('changed my mind');
    expect(Number((await count).n)).toBe(2);
  });

  it('on a file, selects outside a transaction read the last commit from the reader at once, while the writer holds a transaction', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-worker-dialect-'));
    let db: Kysely<Scratch> | undefined;
    try {
      const file = path.join(dir, 'scratch.sqlite');
      const writer = new SqliteWorkerClient({ file, settings: { synchronous: 'full' } });
      await writer.query('create table items (id integer primary key, name text not null unique, size integer)', []);
      db = new Kysely<Scratch>({ dialect: new WorkerSqliteDialect({ writer, reader: new SqliteWorkerClient({ file, settings: { synchronous: 'full' } }) }, new ConnectionGate()) });
      await db.insertInto('items').values({ id: 1, name: 'one', size: 1 }).execute();
      const reads = db;
      const count = async () => Number((await reads.selectFrom('items').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      let during = -1;
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 2, name: 'two', size: 2 }).execute();
        during = await count();
      });
      expect(during).toBe(1);
      expect(await count()).toBe(2);
    } finally {
      await db?.destroy();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes SQLite error codes through (unique violations are recognised by them)', async () => {
    const db = await scratch();
    await db.insertInto('items').values({ id: 1, name: 'same', size: null }).execute();
    const error = await db
      .insertInto('items')
      .values({ id: 2, name: 'same', size: null })
      .execute()
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE', message: expect.stringContaining('items.name') });
  });

  it('refuses queries once closed', async () => {
    const db = await scratch();
    open.splice(open.indexOf(db), 1);
    await db.destroy();
    await expect(sql`select 1`.execute(db)).rejects.toThrow();
  });
});
