import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, provideTestPostgres } from '@parley/testkit';
import { createPostgresStore } from '../../src/adapters/store-postgres/index.js';
import { createSqliteStore } from '../../src/adapters/store-sqlite/index.js';
import type { Store } from '../../src/ports/store.js';

/** The store adapters every contract suite runs against, each on a throwaway database. */
export type StoreKind = 'sqlite' | 'postgres';

export const storeKinds: readonly StoreKind[] = ['sqlite', 'postgres'];

export interface OpenedStore {
  store: Store;
  dispose(): Promise<void>;
}

/** A fresh, unmigrated store: SQLite in a temporary folder, or a new PostgreSQL database. */
export async function openStore(kind: StoreKind): Promise<OpenedStore> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-store-contract-'));
    const store = createSqliteStore(dir);
    return {
      store,
      async dispose() {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
  const postgres = await provideTestPostgres();
  const database = await createTestDatabase(postgres.adminUrl);
  const store = createPostgresStore(database.url);
  return {
    store,
    async dispose() {
      await store.close();
      await database.drop();
      await postgres.stop();
    },
  };
}
