import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many distinct statements stay prepared; `in (?, ?, …)` lists of many lengths make the tail long. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every query afresh; preparing cost as much CPU as running the query
 * on the chat write path. This keeps the most recently used statements per SQL text (LRU). Reusing one
 * is safe: Kysely runs one query at a time on its single connection, and SQLite re-prepares a cached
 * statement by itself after a schema change.
 */
export function withStatementCache(database: SqliteDatabase & { prepare(sql: string): SqliteStatement }, size = STATEMENT_CACHE_SIZE): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
