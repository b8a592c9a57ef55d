import type { Kysely } from 'kysely';
import type { SqlDialectTraits } from '../dialect.js';

/** Operators can block a user (admin API, CLI): NULL = not blocked. Released: never edit, add a new migration. */
export async function up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void> {
  await db.schema.alterTable('users').addColumn('blocked_at', traits.bigintType).execute();
}
