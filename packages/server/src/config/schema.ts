/**
 * Every configuration option, declared once. `load.ts` validates them, the CLI derives its flags from
 * them, and `.env.example` / `docs/config.md` are generated from this list.
 */

export type OptionType =
  | { kind: 'string'; allowEmpty?: boolean }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'duration'; minSeconds: number; maxSeconds: number }
  | { kind: 'bytes'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'databaseUrl' };

export interface OptionDefinition {
  readonly env: `PARLEY_${string}`;
  readonly flag: `--${string}`;
  readonly type: OptionType;
  /** Default as it would be written in the environment. */
  readonly default: string;
  readonly description: string;
}

export const configSchema = {
  host: {
    env: 'PARLEY_HOST',
    flag: '--host',
    type: { kind: 'string' },
    default: '127.0.0.1',
    description: 'Address the HTTP/WebSocket server binds to (0.0.0.0 for all interfaces).',
  },
  port: {
    env: 'PARLEY_PORT',
    flag: '--port',
    type: { kind: 'integer', min: 0, max: 65535 },
    default: '8080',
    description: 'HTTP port for REST and XMPP over WebSocket; 0 picks a free port and logs it.',
  },
  publicUrl: {
    env: 'PARLEY_PUBLIC_URL',
    flag: '--public-url',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Base URL clients use to reach this server (printed in the ConnectyCube.init snippet); empty = http://HOST:PORT.',
  },
  dataDir: {
    env: 'PARLEY_DATA_DIR',
    flag: '--data-dir',
    type: { kind: 'string' },
    default: './data',
    description: 'Folder for the embedded SQLite database (and later, uploaded files).',
  },
  databaseUrl: {
    env: 'PARLEY_DATABASE_URL',
    flag: '--database-url',
    type: { kind: 'databaseUrl' },
    default: '',
    description: 'Empty = SQLite in the data folder; postgres://user:pass@host:port/db = PostgreSQL.',
  },
  chatDomain: {
    env: 'PARLEY_CHAT_DOMAIN',
    flag: '--chat-domain',
    type: { kind: 'string' },
    default: 'localhost',
    description: 'XMPP domain of user JIDs ({userId}-{appId}@domain).',
  },
  sessionTtl: {
    env: 'PARLEY_SESSION_TTL',
    flag: '--session-ttl',
    type: { kind: 'duration', minSeconds: 60, maxSeconds: 90 * 24 * 3600 },
    default: '2h',
    description: 'A session token expires this long after its last use (sliding).',
  },
  guestSessionTtl: {
    env: 'PARLEY_GUEST_SESSION_TTL',
    flag: '--guest-session-ttl',
    type: { kind: 'duration', minSeconds: 60, maxSeconds: 90 * 24 * 3600 },
    default: '1d',
    description: 'Lifetime of a guest session; afterwards the guest user is deleted.',
  },
  bodyLimit: {
    env: 'PARLEY_BODY_LIMIT',
    flag: '--body-limit',
    type: { kind: 'bytes', min: 1024, max: 1024 * 1024 * 1024 },
    default: '1mb',
    description: 'Largest accepted request body (JSON or form); larger ones get 413.',
  },
  messageMaxBytes: {
    env: 'PARLEY_MESSAGE_MAX_BYTES',
    flag: '--message-max-bytes',
    type: { kind: 'bytes', min: 1, max: 16 * 1024 * 1024 },
    default: '64kb',
    description: 'Largest chat message text (and its custom parameters); larger ones get 422.',
  },
  passwordHashCost: {
    env: 'PARLEY_PASSWORD_HASH_COST',
    flag: '--password-hash-cost',
    type: { kind: 'integer', min: 10, max: 20 },
    default: '14',
    description: 'log2 of the scrypt cost N for new password hashes (each hash records its own cost).',
  },
  passwordMinLength: {
    env: 'PARLEY_PASSWORD_MIN_LENGTH',
    flag: '--password-min-length',
    type: { kind: 'integer', min: 1, max: 128 },
    default: '8',
    description: 'Shortest password accepted at sign-up and password change.',
  },
  loginMaxFailures: {
    env: 'PARLEY_LOGIN_MAX_FAILURES',
    flag: '--login-max-failures',
    type: { kind: 'integer', min: 1, max: 100000 },
    default: '10',
    description: 'Failed logins allowed per application, login and client address within the failure window.',
  },
  loginFailureWindow: {
    env: 'PARLEY_LOGIN_FAILURE_WINDOW',
    flag: '--login-failure-window',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 24 * 3600 },
    default: '15m',
    description: 'Window over which failed logins are counted; the 429 Retry-After is when it ends.',
  },
  trustProxy: {
    env: 'PARLEY_TRUST_PROXY',
    flag: '--trust-proxy',
    type: { kind: 'boolean' },
    default: 'false',
    description: 'Take the client address from X-Forwarded-For (only behind a proxy you run).',
  },
  logLevel: {
    env: 'PARLEY_LOG_LEVEL',
    flag: '--log-level',
    type: { kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    default: 'info',
    description: 'Log verbosity (JSON lines on stdout).',
  },
} as const satisfies Record<string, OptionDefinition>;

export type ConfigKey = keyof typeof configSchema;

type ValueOf<T extends OptionType> = T extends { kind: 'string' }
  ? string
  : T extends { kind: 'enum'; values: readonly (infer V)[] }
    ? V
    : T extends { kind: 'boolean' }
      ? boolean
      : T extends { kind: 'databaseUrl' }
        ? string
        : number;

/** The validated configuration: durations in seconds, sizes in bytes. */
export type Config = { readonly [K in ConfigKey]: ValueOf<(typeof configSchema)[K]['type']> };
