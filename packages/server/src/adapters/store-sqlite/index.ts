import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Store } from '../../ports/store.js';
import { sqliteTraits } from '../store-sql/dialect.js';
import type { Database } from '../store-sql/schema.js';
import { createSqlStore } from '../store-sql/store.js';
import { withStatementCache } from './statement-cache.js';

export const sqliteFileName = 'parley.sqlite';

/** The embedded store: one SQLite file in the data folder, WAL mode. `:memory:` for throwaway stores. */
export function createSqliteStore(dataDir: string | ':memory:'): Store {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, sqliteFileName);
  }
  const database = new SqliteDatabase(file);
  database.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash may lose the last commits.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  const store = createSqlStore(db, sqliteTraits);
  return {
    ...store,
    async backup(target: string) {
      await database.backup(target);
    },
  };
}
