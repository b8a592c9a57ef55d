import path from 'node:path';
import { createDiskBlobStorage } from '../adapters/blobs-disk/index.js';
import { createS3BlobStorage } from '../adapters/blobs-s3/index.js';
import { createPostgresStore } from '../adapters/store-postgres/index.js';
import { createSqliteStore } from '../adapters/store-sqlite/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../ops/logging.js';
import type { BlobStorage } from '../ports/blobs.js';
import type { Store } from '../ports/store.js';

/** The configured store: SQLite in the data folder, or PostgreSQL at PARLEY_DATABASE_URL. */
export function openStore(config: Config): Store {
  return config.databaseUrl === '' ? createSqliteStore(config.dataDir, { synchronous: config.sqliteSynchronous }) : createPostgresStore(config.databaseUrl);
}

/** The configured store, migrated to the newest schema (closed again when migrating fails). */
export async function openMigratedStore(config: Config, logger: Logger): Promise<Store> {
  const store = openStore(config);
  try {
    const report = await store.migrate();
    if (report.applied.length > 0) logger.info({ applied: report.applied }, 'database migrated');
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Blob bytes: files under DATA_DIR/blobs, or an S3-compatible bucket (metadata rows are in the store). */
export function openBlobStorage(config: Config): BlobStorage {
  if (config.blobs === 'disk') return createDiskBlobStorage(path.join(config.dataDir, 'blobs'));
  return createS3BlobStorage({
    endpoint: config.s3Endpoint,
    bucket: config.s3Bucket,
    region: config.s3Region,
    accessKeyId: config.s3AccessKeyId,
    secretAccessKey: config.s3SecretAccessKey,
    forcePathStyle: config.s3ForcePathStyle,
  });
}
