import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, provideTestPostgres } from '@parley/testkit';
import { createPostgresStore } from '../../src/adapters/store-postgres/index.js';
import { createSqliteStore } from '../../src/adapters/store-sqlite/index.js';
import { defaultAppSettings, type Store } from '../../src/ports/store.js';

/** The store adapters every contract suite runs against, each on a throwaway database. */
export type StoreKind = 'sqlite' | 'postgres';

export const storeKinds: readonly StoreKind[] = ['sqlite', 'postgres'];

export interface OpenedStore {
  store: Store;
  /** Where the database lives, for suites that inspect it directly (query plans). */
  location: { kind: 'sqlite'; dataDir: string } | { kind: 'postgres'; url: string };
  dispose(): Promise<void>;
}

/** A fresh, unmigrated store: SQLite in a temporary folder, or a new PostgreSQL database. */
export async function openStore(kind: StoreKind): Promise<OpenedStore> {
  if (kind === 'sqlite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-store-contract-'));
    const store = createSqliteStore(dir);
    return {
      store,
      location: { kind: 'sqlite', dataDir: dir },
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
    location: { kind: 'postgres', url: database.url },
    async dispose() {
      await store.close();
      await database.drop();
      await postgres.stop();
    },
  };
}

/** An application row for a contract test (apps own everything tenant-scoped). */
export async function createTestApp(store: Store, name: string): Promise<number> {
  const app = await store.apps.create({ name, authKey: `${name}-key`, authSecret: `${name}-secret`, settings: defaultAppSettings, createdAt: 1_700_000_000_000 });
  return app.id;
}

/** A migrated store with two applications, for suites that check tenant isolation. */
export async function openStoreWithTwoApps(kind: StoreKind, prefix: string): Promise<OpenedStore & { appA: number; appB: number }> {
  const opened = await openStore(kind);
  await opened.store.migrate();
  return { ...opened, appA: await createTestApp(opened.store, `${prefix}-a`), appB: await createTestApp(opened.store, `${prefix}-b`) };
}
