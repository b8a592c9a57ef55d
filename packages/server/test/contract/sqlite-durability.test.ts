import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { createSqliteStore, type SqliteStore } from '../../src/adapters/store-sqlite/index.js';

/** An ack must follow an fsync that covers the message: SQLite's synchronous pragma, read back from the live connection. */
describe('SQLite durability settings', () => {
  const opened: { store: SqliteStore; dir: string }[] = [];
  afterEach(async () => {
    for (const { store, dir } of opened.splice(0)) {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  async function open(options: Parameters<typeof createSqliteStore>[1]): Promise<SqliteStore> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-durability-'));
    const store = createSqliteStore(dir, options);
    opened.push({ store, dir });
    await store.migrate();
    return store;
  }

  it.each(['worker', 'main'] as const)('runs with synchronous = FULL and WAL by default (%s thread)', async (thread) => {
    expect(await (await open({ thread })).pragmas()).toEqual({ synchronous: 2, journalMode: 'wal' });
  });

  it.each(['worker', 'main'] as const)('relaxes to NORMAL only when configured (%s thread)', async (thread) => {
    expect(await (await open({ thread, synchronous: 'normal' })).pragmas()).toEqual({ synchronous: 1, journalMode: 'wal' });
  });

  it('the server configuration defaults to full and accepts only full or normal', () => {
    expect(loadConfig({}, {}).sqliteSynchronous).toBe('full');
    expect(loadConfig({}, { PARLEY_SQLITE_SYNCHRONOUS: 'normal' }).sqliteSynchronous).toBe('normal');
    expect(() => loadConfig({}, { PARLEY_SQLITE_SYNCHRONOUS: 'off' })).toThrow(/PARLEY_SQLITE_SYNCHRONOUS/);
  });

  it('the server opens its store with the configured setting', async () => {
    for (const [value, expected] of [['full', 2], ['normal', 1]] as const) {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-durability-'));
      const store = openStore(loadConfig({ dataDir: dir, databaseUrl: '' }, { PARLEY_SQLITE_SYNCHRONOUS: value })) as SqliteStore;
      opened.push({ store, dir });
      expect((await store.pragmas()).synchronous).toBe(expected);
    }
  });
});
