import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Store } from '../../ports/store.js';
import { postgresTraits } from '../store-sql/dialect.js';
import type { Database } from '../store-sql/schema.js';
import { createSqlStore } from '../store-sql/store.js';

const INT8_OID = 20;

/** PostgreSQL store: a connection pool; epoch-ms bigint columns come back as numbers. */
export function createPostgresStore(url: string, poolSize = 10): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return createSqlStore(db, postgresTraits);
}
