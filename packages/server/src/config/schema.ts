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
  /** The value is a secret: masked by `parley config check` (names with token/secret/password/key… are too). */
  readonly secret?: boolean;
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
    description:
      'Base URL clients use to reach this server (printed in the ConnectyCube.init snippet; links to its /blobs/ in messages lose their token); empty = http://HOST:PORT.',
  },
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
  addressBookMaxContacts: {
    env: 'PARLEY_ADDRESS_BOOK_MAX_CONTACTS',
    flag: '--address-book-max-contacts',
    type: { kind: 'integer', min: 1, max: 1_000_000 },
    default: '10000',
    description: 'Most contacts one address book (global or per device) holds, and one upload carries; more get 422.',
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
  xmppPort: {
    env: 'PARLEY_XMPP_PORT',
    flag: '--xmpp-port',
    type: { kind: 'integer', min: 0, max: 65535 },
    default: '5222',
    description: 'TCP port for XMPP clients (RFC 6120, STARTTLS when a certificate is set); 0 = no TCP listener. WebSocket is always at /ws on the HTTP port.',
  },
  xmppTlsCert: {
    env: 'PARLEY_XMPP_TLS_CERT',
    flag: '--xmpp-tls-cert',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'PEM certificate file for XMPP STARTTLS on the TCP port; with a key, TLS is required before login.',
  },
  xmppTlsKey: {
    env: 'PARLEY_XMPP_TLS_KEY',
    flag: '--xmpp-tls-key',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'PEM private key file for XMPP STARTTLS.',
  },
  xmppScram: {
    env: 'PARLEY_XMPP_SCRAM',
    flag: '--xmpp-scram',
    type: { kind: 'boolean' },
    default: 'false',
    description: 'Also offer SASL SCRAM-SHA-1 (SDK clients then always use it). Session tokens created while it is on work as SCRAM passwords; older tokens only with PLAIN.',
  },
  xmppMaxStanzaBytes: {
    env: 'PARLEY_XMPP_MAX_STANZA_BYTES',
    flag: '--xmpp-max-stanza-bytes',
    type: { kind: 'bytes', min: 4096, max: 16 * 1024 * 1024 },
    default: '256kb',
    description: 'Largest XMPP stanza; bigger ones end the connection with policy-violation.',
  },
  xmppMaxDepth: {
    env: 'PARLEY_XMPP_MAX_DEPTH',
    flag: '--xmpp-max-depth',
    type: { kind: 'integer', min: 4, max: 1024 },
    default: '64',
    description: 'Deepest element nesting inside one XMPP stanza.',
  },
  xmppMaxAttributes: {
    env: 'PARLEY_XMPP_MAX_ATTRIBUTES',
    flag: '--xmpp-max-attributes',
    type: { kind: 'integer', min: 4, max: 1024 },
    default: '64',
    description: 'Most attributes on one XML element.',
  },
  xmppMaxBytesBeforeAuth: {
    env: 'PARLEY_XMPP_MAX_BYTES_BEFORE_AUTH',
    flag: '--xmpp-max-bytes-before-auth',
    type: { kind: 'bytes', min: 1024, max: 16 * 1024 * 1024 },
    default: '64kb',
    description: 'Bytes an XMPP client may send before it has logged in.',
  },
  xmppKeepAlive: {
    env: 'PARLEY_XMPP_KEEP_ALIVE',
    flag: '--xmpp-keep-alive',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 3600 },
    default: '30s',
    description: 'Quiet XMPP connections are probed this often (WebSocket ping, XMPP ping on TCP); two unanswered probes close them.',
  },
  xmppIdleTimeout: {
    env: 'PARLEY_XMPP_IDLE_TIMEOUT',
    flag: '--xmpp-idle-timeout',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 24 * 3600 },
    default: '2m',
    description: 'An XMPP connection with no sign of life for this long, or not logged in this long after connecting, is closed.',
  },
  xmppMaxOutboundBytes: {
    env: 'PARLEY_XMPP_MAX_OUTBOUND_BYTES',
    flag: '--xmpp-max-outbound-bytes',
    type: { kind: 'bytes', min: 16 * 1024, max: 1024 * 1024 * 1024 },
    default: '1mb',
    description: 'Bytes queued towards an XMPP client that does not read before its connection is dropped.',
  },
  xmppResumeWindow: {
    env: 'PARLEY_XMPP_RESUME_WINDOW',
    flag: '--xmpp-resume-window',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 24 * 3600 },
    default: '5m',
    description: 'How long a dropped XMPP session that enabled stream management with resume="true" waits to be resumed (XEP-0198) before its unacknowledged messages go to the offline queue.',
  },
  trustProxy: {
    env: 'PARLEY_TRUST_PROXY',
    flag: '--trust-proxy',
    type: { kind: 'boolean' },
    default: 'false',
    description: 'Take the client address (REST and XMPP over WebSocket; login throttling keys on it) from X-Forwarded-For (only behind a proxy you run).',
  },
  adminToken: {
    env: 'PARLEY_ADMIN_TOKEN',
    flag: '--admin-token',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Secret for the admin API under /admin (Authorization: Bearer TOKEN), for automation and the CLI commands that ask the running server (status, connections); empty = only signed-in dashboard operators reach /admin (nobody when PARLEY_DASHBOARD is false: 404).',
    secret: true,
  },
  metricsToken: {
    env: 'PARLEY_METRICS_TOKEN',
    flag: '--metrics-token',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'When set, GET /metrics needs Authorization: Bearer TOKEN (Prometheus: authorization.credentials); empty = open.',
    secret: true,
  },
  metricsPort: {
    env: 'PARLEY_METRICS_PORT',
    flag: '--metrics-port',
    type: { kind: 'integer', min: 0, max: 65535 },
    default: '0',
    description: 'Serve /metrics on this separate port (on PARLEY_METRICS_HOST) instead of the HTTP port; 0 = on the HTTP port.',
  },
  metricsHost: {
    env: 'PARLEY_METRICS_HOST',
    flag: '--metrics-host',
    type: { kind: 'string' },
    default: '127.0.0.1',
    description: 'Address of the separate metrics listener (PARLEY_METRICS_PORT).',
  },
  dashboard: {
    env: 'PARLEY_DASHBOARD',
    flag: '--dashboard',
    type: { kind: 'boolean' },
    default: 'true',
    description: 'Serve the operator dashboard at /dashboard and let signed-in operators (parley admin create) use the admin API; false = only PARLEY_ADMIN_TOKEN opens /admin.',
  },
  operatorSessionTtl: {
    env: 'PARLEY_OPERATOR_SESSION_TTL',
    flag: '--operator-session-ttl',
    type: { kind: 'duration', minSeconds: 60, maxSeconds: 30 * 24 * 3600 },
    default: '12h',
    description: 'A dashboard sign-in lasts this long (not extended by use); signing out ends it at once.',
  },
  aiProvider: {
    env: 'PARLEY_AI_PROVIDER',
    flag: '--ai-provider',
    type: { kind: 'enum', values: ['', 'google', 'openai-compatible'] },
    default: '',
    description: 'Server-wide AI provider for /ai routes (apps may set their own through the admin API); empty = none: summaries are extractive, tone answers 503.',
  },
  aiModel: {
    env: 'PARLEY_AI_MODEL',
    flag: '--ai-model',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Model of the server-wide AI provider, e.g. gemini-2.5-flash (the default for google) or the name a llama.cpp/Ollama/vLLM server knows.',
  },
  aiApiKey: {
    env: 'PARLEY_AI_API_KEY',
    flag: '--ai-api-key',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'API key of the server-wide AI provider; sent only to the provider, never logged or returned.',
  },
  aiBaseUrl: {
    env: 'PARLEY_AI_BASE_URL',
    flag: '--ai-base-url',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Base URL of the server-wide AI provider: required for openai-compatible (e.g. http://127.0.0.1:8080/v1), optional for google.',
  },
  aiSecret: {
    env: 'PARLEY_AI_SECRET',
    flag: '--ai-secret',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Secret that encrypts per-app AI API keys at rest (AES-256-GCM); empty = per-app keys are stored as given (still never returned or logged).',
  },
  aiTimeout: {
    env: 'PARLEY_AI_TIMEOUT',
    flag: '--ai-timeout',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 600 },
    default: '30s',
    description: 'Time limit of one AI provider call; past it the route answers 504.',
  },
  aiUserRequestsPerMinute: {
    env: 'PARLEY_AI_USER_REQUESTS_PER_MINUTE',
    flag: '--ai-user-requests-per-minute',
    type: { kind: 'integer', min: 1, max: 100000 },
    default: '10',
    description: 'AI requests one user may make per minute (apps may override); more get 429 with Retry-After.',
  },
  aiAppRequestsPerDay: {
    env: 'PARLEY_AI_APP_REQUESTS_PER_DAY',
    flag: '--ai-app-requests-per-day',
    type: { kind: 'integer', min: 1, max: 100_000_000 },
    default: '1000',
    description: 'AI requests one application may make per day (apps may override); more get 429 with Retry-After.',
  },
  aiMaxMessages: {
    env: 'PARLEY_AI_MAX_MESSAGES',
    flag: '--ai-max-messages',
    type: { kind: 'integer', min: 1, max: 5000 },
    default: '500',
    description: 'Most recent messages of the period a summary reads; older ones are left out.',
  },
  aiMaxInputChars: {
    env: 'PARLEY_AI_MAX_INPUT_CHARS',
    flag: '--ai-max-input-chars',
    type: { kind: 'integer', min: 1000, max: 10_000_000 },
    default: '60000',
    description: 'Most characters of message text one summary sends to the provider; the oldest messages are dropped first.',
  },
  aiSummaryCacheTtl: {
    env: 'PARLEY_AI_SUMMARY_CACHE_TTL',
    flag: '--ai-summary-cache-ttl',
    type: { kind: 'duration', minSeconds: 1, maxSeconds: 30 * 24 * 3600 },
    default: '1h',
    description: 'How long a summary is reused for the same dialog, caller, last message, language and period.',
  },
  logLevel: {
    env: 'PARLEY_LOG_LEVEL',
    flag: '--log-level',
    type: { kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    default: 'info',
    description: 'Log verbosity. Logs are JSON lines (pino) on stdout; the start-up banner and warnings go to stderr.',
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
