import SqliteDatabase from 'better-sqlite3';

/**
 * How far SQLite goes to make a commit survive a crash. `full`: the WAL is fsynced at every commit, so
 * an acknowledged message survives a power cut or OS crash. `normal`: survives a crash of the process
 * only; an OS crash or power cut may lose the last commits (acknowledged messages included).
 */
export type SqliteSynchronous = 'full' | 'normal';

export interface SqliteSettings {
  synchronous: SqliteSynchronous;
}

export const defaultSqliteSettings: SqliteSettings = { synchronous: 'full' };

/** One connection to the store's file (or `:memory:`), WAL mode, with the settings applied. */
export function openSqliteConnection(file: string, settings: SqliteSettings): SqliteDatabase.Database {
  const database = new SqliteDatabase(file);
  // First: the store's two connections (writer, reader) open the file at once, and switching a new file
  // to WAL takes a lock the other may hold for a moment.
  database.pragma('busy_timeout = 5000');
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${settings.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  database.pragma('foreign_keys = ON');
  return database;
}
