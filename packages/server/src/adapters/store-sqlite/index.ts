import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Store } from '../../ports/store.js';
import { sqliteTraits } from '../store-sql/dialect.js';
import type { Database } from '../store-sql/schema.js';
import { createSqlStore } from '../store-sql/store.js';
import { defaultSqliteSettings, openSqliteConnection, type SqliteSettings } from './connection.js';
import { withStatementCache } from './statement-cache.js';
import { SqliteWorkerClient } from './worker-client.js';
import { ConnectionGate, WorkerSqliteDialect } from './worker-dialect.js';

export { type SqliteSynchronous } from './connection.js';

export const sqliteFileName = 'parley.sqlite';

export interface SqliteStoreOptions extends SqliteSettings {
  /**
   * `worker` (default): a worker thread owns the connection, so SQL and fsync run beside the event
   * loop; `main`: the connection lives on the calling thread (what the benchmark compares against).
   */
  thread: 'worker' | 'main';
}

export interface SqliteStore extends Store {
  backup(target: string): Promise<void>;
  /** The connection's effective settings, read back from SQLite (PRAGMA synchronous: 1 NORMAL, 2 FULL). */
  pragmas(): Promise<{ synchronous: number; journalMode: string }>;
}

/** The embedded store: one SQLite file in the data folder, WAL mode. `:memory:` for throwaway stores. */
export function createSqliteStore(dataDir: string | ':memory:', options: Partial<SqliteStoreOptions> = {}): SqliteStore {
  const settings: SqliteSettings = { synchronous: options.synchronous ?? defaultSqliteSettings.synchronous };
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, sqliteFileName);
  }
  const { db, store, backup } = options.thread === 'main' ? onMainThread(file, settings) : onWorkerThread(file, settings);
  return {
    ...store,
    backup,
    async pragmas() {
      const synchronous = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      return { synchronous: Number(synchronous.rows[0]?.synchronous), journalMode: String(journal.rows[0]?.journal_mode) };
    },
  };
}

function onMainThread(file: string, settings: SqliteSettings) {
  const database = openSqliteConnection(file, settings);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return { db, store: createSqlStore(db, sqliteTraits), backup: async (target: string) => void (await database.backup(target)) };
}

function onWorkerThread(file: string, settings: SqliteSettings) {
  const writer = new SqliteWorkerClient({ file, settings });
  // A second connection only reads; `:memory:` is private to its connection, so there it is the writer.
  const reader = file === ':memory:' ? writer : new SqliteWorkerClient({ file, settings });
  const gate = new ConnectionGate();
  const db = new Kysely<Database>({ dialect: new WorkerSqliteDialect({ writer, reader }, gate) });
  const store = createSqlStore(db, sqliteTraits, {
    // A whole batch is one round trip; it holds the connection like a transaction does.
    writeMessages: (batch) => gate.exclusive(() => writer.writeMessages(batch)),
  });
  return { db, store, backup: (target: string) => gate.exclusive(() => writer.backup(target)) };
}
