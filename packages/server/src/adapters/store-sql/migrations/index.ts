import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { SqlDialectTraits } from '../dialect.js';
import * as foundation from './0001_foundation.js';
import * as chat from './0002_chat.js';

interface VersionedMigration {
  up(db: Kysely<unknown>, traits: SqlDialectTraits): Promise<void>;
}

/** Every migration in order. Names are versions: never rename or edit a released one. */
const migrations: Record<string, VersionedMigration> = {
  '0001_foundation': foundation,
  '0002_chat': chat,
};

/** Hands Kysely's Migrator the in-code migrations, bound to the engine's traits. */
export function migrationProvider(traits: SqlDialectTraits): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return Object.fromEntries(
        Object.entries(migrations).map(([name, migration]) => [name, { up: (db: Kysely<unknown>) => migration.up(db, traits) }]),
      );
    },
  };
}
