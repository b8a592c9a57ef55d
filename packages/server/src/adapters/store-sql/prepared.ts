import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * A hot query that Kysely builds once instead of on every call: building (node trees, freezing,
 * compiling) cost more main-thread time than the point read it makes. `query` is written with
 * placeholder values; the returned function runs the same SQL with `parameters` in the order of the
 * SQL's placeholders. The engines cache the statement by its text, so the SQL is prepared once too.
 */
export function preparedQuery<Row>(db: Kysely<Database>, query: Compilable<Row>): (...parameters: unknown[]) => Promise<Row[]> {
  const { sql } = query.compile();
  return async (...parameters) => (await db.executeQuery<Row>(CompiledQuery.raw(sql, parameters))).rows;
}
