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
  database.pragma('busy_timeout = 5000');
  switchToWal(database);
  database.pragma(`synchronous = ${settings.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  database.pragma('foreign_keys = ON');
  return database;
}

/**
 * The store's two connections (writer, reader) open the file at once. Switching a new file to WAL needs
 * a lock the other may hold for a moment, and SQLite answers SQLITE_BUSY there without waiting on the
 * busy timeout, so the switch is retried for up to 10 s (a synchronous wait: this runs once, at open).
 */
function switchToWal(database: SqliteDatabase.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt += 1) {
    try {
      database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 200) throw error;
      Atomics.wait(pause, 0, 0, 50);
    }
  }
}
