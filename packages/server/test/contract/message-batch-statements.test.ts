import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresTraits, sqliteTraits } from '../../src/adapters/store-sql/dialect.js';
import { writeMessageBatch } from '../../src/adapters/store-sql/message-batch.js';
import type { Database } from '../../src/adapters/store-sql/schema.js';
import { sqliteFileName } from '../../src/adapters/store-sqlite/index.js';
import type { NewMessage } from '../../src/ports/messages.js';
import { createTestApp, openStore, storeKinds, type OpenedStore } from './stores.js';

/**
 * The statement counter behind the group commit: a batch costs a fixed number of statements per dialog,
 * not per message. Counted with Kysely's query log on a second connection to the same database.
 */

const T0 = 1_700_000_000_000;
let idCounter = 0;
const nextId = () => `6700${(idCounter += 1).toString(16).padStart(20, '0')}`;

describe.each(storeKinds)('Message batch statements on %s', (kind) => {
  let opened: OpenedStore | undefined;
  let db: Kysely<Database>;
  let statements = 0;
  let appId: number;
  const dialogIds: string[] = [];

  beforeAll(async () => {
    opened = await openStore(kind);
    await opened.store.migrate();
    appId = await createTestApp(opened.store, 'batch-statements');
    for (let n = 0; n < 2; n += 1) {
      const id = nextId();
      dialogIds.push(id);
      await opened.store.dialogs.create(
        { id, appId, type: 2, ownerId: 1, name: id, description: null, photo: null, occupantIds: [1, 2, 3], adminIds: [], pinnedMessageIds: [], extensions: null, permissions: null, createdAt: T0, updatedAt: T0 },
        [1, 2, 3],
        T0,
      );
    }
    const log = (event: LogEvent) => void (statements += event.level === 'query' ? 1 : 0);
    const { location } = opened;
    db =
      location.kind === 'sqlite'
        ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new SqliteDatabase(`${location.dataDir}/${sqliteFileName}`) }), log })
        : new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location.url, max: 1 }) }), log });
  });
  afterAll(async () => {
    await db?.destroy();
    await opened?.dispose();
  });

  function batch(count: number): NewMessage[] {
    return Array.from({ length: count }, (_, n) => ({
      id: nextId(),
      appId,
      dialogId: dialogIds[n % 2] as string,
      senderId: (n % 3) + 1,
      recipientId: 0,
      body: `m${n}`,
      dateSent: 1_700_000_000 + n,
      attachments: [],
      custom: {},
      markable: false,
      createdAt: T0 + n,
      updatedAt: T0 + n,
    }));
  }

  it('writes 200 messages into 2 dialogs with 8 statements; one by one took 6 each (7 before the group commit)', async () => {
    const traits = kind === 'sqlite' ? sqliteTraits : postgresTraits;
    statements = 0;
    const outcomes = await writeMessageBatch(db, traits, batch(200));
    expect(outcomes.every((outcome) => outcome.ok && outcome.created)).toBe(true);
    // begin, read the dialogs, one insert, per dialog (last message, unread counters), commit.
    expect(statements).toBe(1 + 1 + 1 + 2 * 2 + 1);

    statements = 0;
    for (const message of batch(10)) await writeMessageBatch(db, traits, [message]);
    expect(statements).toBe(10 * 6);
    const members = await db.selectFrom('dialog_members').select(['user_id', 'unread_count']).where('dialog_id', 'in', dialogIds).execute();
    // 210 messages, each unread for the two members who did not send it.
    expect(members.reduce((sum, row) => sum + Number(row.unread_count), 0)).toBe(210 * 2);
  });
});
