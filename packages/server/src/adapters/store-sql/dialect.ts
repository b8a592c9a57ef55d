import type { ColumnDataType } from 'kysely';

/** What differs between the SQL engines, so the shared code and migrations stay one. */
export interface SqlDialectTraits {
  readonly kind: 'sqlite' | 'postgres';
  /** Column type of an auto-increment integer primary key. */
  readonly serialType: ColumnDataType;
  /** Integer column wide enough for epoch milliseconds. */
  readonly bigintType: ColumnDataType;
  /** Maps a driver error to the unique column it violated, or undefined when it is no such error. */
  uniqueViolationColumn(error: unknown): string | undefined;
}

export const sqliteTraits: SqlDialectTraits = {
  kind: 'sqlite',
  serialType: 'integer',
  bigintType: 'integer',
  uniqueViolationColumn(error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
    // "UNIQUE constraint failed: users.app_id, users.login"
    return /\.(\w+)$/.exec(message ?? '')?.[1] ?? 'unknown';
  },
};

export const postgresTraits: SqlDialectTraits = {
  kind: 'postgres',
  serialType: 'serial',
  bigintType: 'bigint',
  uniqueViolationColumn(error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code !== '23505') return undefined;
    // Index names end with the column: users_app_login_unique → login
    return /^users_app_(\w+?)_unique$/.exec(constraint ?? '')?.[1] ?? 'unknown';
  },
};
