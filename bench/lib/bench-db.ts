/**
 * Where a benchmark's data lives, independent of which process serves it: a SQLite data folder (a
 * kept one, or a temporary one removed by `dispose()`), or a throwaway PostgreSQL database (testkit's
 * `provideTestPostgres` + `createTestDatabase`, dropped by `dispose()`). The same location can be
 * opened in this process (`openInProcessServer`, e.g. to seed through the store) and then handed to a
 * server child process (bench/lib/server-process.ts), which sees the same data.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createServer, loadConfig, type ParleyServer } from '@parley/server';
import { createTestDatabase, provideTestPostgres, type TestDatabaseKind } from '@parley/testkit';

export interface BenchDatabase {
  kind: TestDatabaseKind;
  /** The server's --data-dir (holds the SQLite file; on PostgreSQL an empty temporary folder). */
  dataDir: string;
  /** The server's --database-url: '' for SQLite. */
  databaseUrl: string;
  /** For progress lines: the folder, or the PostgreSQL database's name. */
  description: string;
  /** Removes what was created for the run (temporary folder, PostgreSQL database); a kept folder stays. Idempotent. */
  dispose(): Promise<void>;
}

/**
 * SQLite in `keptDir` (created if needed, never removed) or in a temporary folder; PostgreSQL in a new
 * throwaway database (`keptDir` must then be undefined).
 */
export async function openBenchDatabase(kind: TestDatabaseKind, keptDir?: string): Promise<BenchDatabase> {
  const cleanups: (() => Promise<void>)[] = [];
  const dispose = async () => {
    while (cleanups.length > 0) await cleanups.shift()?.();
  };
  try {
    let dataDir: string;
    if (kind === 'sqlite' && keptDir !== undefined) {
      dataDir = keptDir;
    } else {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-'));
      const made = dataDir;
      cleanups.push(() => rm(made, { recursive: true, force: true }));
    }
    if (kind === 'sqlite') return { kind, dataDir, databaseUrl: '', description: dataDir, dispose };
    if (keptDir !== undefined) throw new Error('a kept data folder works with SQLite only');
    const postgres = await provideTestPostgres();
    cleanups.push(() => postgres.stop());
    const database = await createTestDatabase(postgres.adminUrl);
    // Dropped before the server is released (unshift: cleanups run front to back).
    cleanups.unshift(() => database.drop());
    return { kind, dataDir, databaseUrl: database.url, description: `PostgreSQL database ${new URL(database.url).pathname.slice(1)}`, dispose };
  } catch (error) {
    await dispose().catch(() => undefined);
    throw error;
  }
}

/**
 * The server built in this process on `db` (store migrated, not listening): as testkit's startServer
 * configures it (127.0.0.1, free port, logging off, the machine's PARLEY_* variables ignored).
 */
export function openInProcessServer(db: BenchDatabase, passwordHashCost: number): Promise<ParleyServer> {
  const config = loadConfig(
    { port: '0', host: '127.0.0.1', dataDir: db.dataDir, databaseUrl: db.databaseUrl, logLevel: 'silent', passwordHashCost: String(passwordHashCost) },
    {},
  );
  return createServer(config);
}
