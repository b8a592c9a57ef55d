import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createSqliteStore } from './index.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

// Each store opens a writer and a reader connection on a new file at once; the first switches the file
// to WAL, which SQLite can refuse (SQLITE_BUSY) to the other without waiting. Many at once make it likely.
it('opens and migrates many new stores at once without a busy failure', async () => {
  for (let i = 0; i < 24; i += 1) dirs.push(await mkdtemp(path.join(os.tmpdir(), 'parley-open-together-')));
  const stores = dirs.map((dir) => createSqliteStore(dir));
  const results = await Promise.allSettled(stores.map((store) => store.migrate()));
  await Promise.allSettled(stores.map((store) => store.close()));
  expect(results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason))).toEqual([]);
}, 120_000);
