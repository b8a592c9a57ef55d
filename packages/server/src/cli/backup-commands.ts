import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { openStore } from '../app.js';
import { parleyVersion } from '../ops/version.js';
import { CliError, type CliContext } from './context.js';

/** The SQLite file in the data folder (adapters/store-sqlite names it; the CLI only copies it). */
const DATABASE_FILE = 'parley.sqlite';
const MANIFEST = 'parley-backup.json';

async function isEmptyOrMissing(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** `parley backup --to DIR` (online, while the server runs) and `parley restore --from DIR` (server stopped). */
export function registerBackupCommands(program: Command, context: CliContext): void {
  program
    .command('backup')
    .description('copy the SQLite database (online backup API, safe while the server runs) and the uploaded files into a new folder')
    .requiredOption('--to <folder>', 'an empty or new folder')
    .option('--json', 'print JSON')
    .action(async (options: { to: string; json?: boolean }) => {
      const config = context.config();
      if (config.databaseUrl !== '') {
        throw new CliError('parley backup copies the embedded SQLite database; with PostgreSQL use pg_dump for the database and copy DATA_DIR/blobs for the files');
      }
      const target = path.resolve(options.to);
      if (!(await isEmptyOrMissing(target))) throw new CliError(`--to ${options.to} is not empty: give a new or empty folder`);
      await mkdir(target, { recursive: true });
      const store = openStore(config);
      try {
        await store.migrate();
        if (!store.backup) throw new CliError('this store cannot be backed up by Parley');
        await store.backup(path.join(target, DATABASE_FILE));
      } finally {
        await store.close();
      }
      const blobs = path.join(config.dataDir, 'blobs');
      const hasBlobs = await exists(blobs);
      // Files come after the database: a file uploaded meanwhile is extra, never a row without its file
      // unless it was deleted in between.
      if (hasBlobs) await cp(blobs, path.join(target, 'blobs'), { recursive: true, filter: (source) => !source.includes(`${path.sep}.partial`) });
      const manifest = { format: 1, version: parleyVersion, createdAt: new Date().toISOString(), database: DATABASE_FILE, blobs: hasBlobs ? 'blobs' : null };
      await writeFile(path.join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
      context.output(options.json, { ...manifest, folder: target }, () => `backed up ${config.dataDir} to ${target} (database${hasBlobs ? ' and files' : ''})`);
    });

  program
    .command('restore')
    .description('put a backup made by parley backup into the data folder (stop the server first)')
    .requiredOption('--from <folder>', 'the backup folder')
    .option('--force', 'replace an existing database in the data folder')
    .option('--json', 'print JSON')
    .action(async (options: { from: string; force?: boolean; json?: boolean }) => {
      const config = context.config();
      if (config.databaseUrl !== '') throw new CliError('parley restore restores the embedded SQLite database; with PostgreSQL use pg_restore');
      const source = path.resolve(options.from);
      let manifest: { format?: number; database?: string; blobs?: string | null };
      try {
        manifest = JSON.parse(await readFile(path.join(source, MANIFEST), 'utf8')) as typeof manifest;
      } catch {
        throw new CliError(`--from ${options.from} holds no ${MANIFEST}: give a folder made by parley backup`);
      }
      if (manifest.format !== 1 || manifest.database !== DATABASE_FILE) throw new CliError(`${MANIFEST} in ${options.from} is not a backup this version can restore`);
      const database = path.join(config.dataDir, DATABASE_FILE);
      if ((await exists(database)) && !options.force) throw new CliError(`${database} exists: stop the server and add --force to replace it (nothing was changed)`);
      await mkdir(config.dataDir, { recursive: true });
      // A stale write-ahead log must not be replayed over the restored file.
      await Promise.all(['-wal', '-shm'].map((suffix) => rm(`${database}${suffix}`, { force: true })));
      await cp(path.join(source, DATABASE_FILE), database);
      if (manifest.blobs) {
        await rm(path.join(config.dataDir, 'blobs'), { recursive: true, force: true });
        await cp(path.join(source, manifest.blobs), path.join(config.dataDir, 'blobs'), { recursive: true });
      }
      context.output(options.json, { restored: source, dataDir: config.dataDir }, () => `restored ${source} into ${config.dataDir}`);
    });
}
