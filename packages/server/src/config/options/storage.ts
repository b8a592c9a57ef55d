import type { OptionDefinition } from '../option.js';

/** The database and where uploaded file bytes live. */
export const storageOptions = {
  dataDir: {
    env: 'PARLEY_DATA_DIR',
    flag: '--data-dir',
    type: { kind: 'string' },
    default: './data',
    description: 'Folder for the embedded SQLite database and uploaded files (blobs/).',
  },
  databaseUrl: {
    env: 'PARLEY_DATABASE_URL',
    flag: '--database-url',
    type: { kind: 'databaseUrl' },
    default: '',
    description: 'Empty = SQLite in the data folder; postgres://user:pass@host:port/db = PostgreSQL.',
  },
  sqliteSynchronous: {
    env: 'PARLEY_SQLITE_SYNCHRONOUS',
    flag: '--sqlite-synchronous',
    type: { kind: 'enum', values: ['full', 'normal'] },
    default: 'full',
    description:
      'SQLite only. full = every commit is fsynced before the message is acknowledged (XEP-0198 <a/>, REST 201): an acknowledged message survives a power cut or OS crash. normal = fewer fsyncs and more messages/s, but an OS crash or power cut may lose the last acknowledged messages (a crash of the server process alone loses nothing).',
  },
  blobMaxBytes: {
    env: 'PARLEY_BLOB_MAX_BYTES',
    flag: '--blob-max-bytes',
    type: { kind: 'bytes', min: 1, max: 64 * 1024 * 1024 * 1024 },
    default: '100mb',
    description: 'Largest uploaded file (blob); larger uploads get 413 and nothing of them is kept. Files live in DATA_DIR/blobs.',
  },
  blobUrlTtl: {
    env: 'PARLEY_BLOB_URL_TTL',
    flag: '--blob-url-ttl',
    type: { kind: 'duration', minSeconds: 60, maxSeconds: 7 * 24 * 3600 },
    default: '1h',
    description: 'How long signed blob upload URLs and download URLs (storage.getFileObject) stay valid.',
  },
  blobs: {
    env: 'PARLEY_BLOBS',
    flag: '--blobs',
    type: { kind: 'enum', values: ['disk', 's3'] },
    default: 'disk',
    description: 'Where uploaded file bytes live: disk = DATA_DIR/blobs (one node); s3 = an S3-compatible bucket (PARLEY_S3_*), shared by the nodes of a cluster.',
  },
  s3Endpoint: {
    env: 'PARLEY_S3_ENDPOINT',
    flag: '--s3-endpoint',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'S3 endpoint URL, e.g. http://127.0.0.1:9000 for a self-hosted server; empty = AWS S3 in PARLEY_S3_REGION.',
  },
  s3Bucket: {
    env: 'PARLEY_S3_BUCKET',
    flag: '--s3-bucket',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Bucket for file bytes (objects blobs/<uid>); required with PARLEY_BLOBS=s3. It must exist.',
  },
  s3Region: {
    env: 'PARLEY_S3_REGION',
    flag: '--s3-region',
    type: { kind: 'string' },
    default: 'us-east-1',
    description: 'S3 region (signing region for self-hosted servers).',
  },
  s3AccessKeyId: {
    env: 'PARLEY_S3_ACCESS_KEY_ID',
    flag: '--s3-access-key-id',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'S3 access key id; empty (with an empty secret) = the AWS SDK default credentials (instance role, AWS_* variables).',
  },
  s3SecretAccessKey: {
    env: 'PARLEY_S3_SECRET_ACCESS_KEY',
    flag: '--s3-secret-access-key',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'S3 secret access key.',
  },
  s3ForcePathStyle: {
    env: 'PARLEY_S3_FORCE_PATH_STYLE',
    flag: '--s3-force-path-style',
    type: { kind: 'boolean' },
    default: 'false',
    description: 'Address the bucket in the path (http://host/bucket/key) instead of the host name; most self-hosted S3 servers need true.',
  },
} as const satisfies Record<string, OptionDefinition>;
