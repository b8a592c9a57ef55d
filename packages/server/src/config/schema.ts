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
  nodeId: {
    env: 'PARLEY_NODE_ID',
    flag: '--node-id',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Name of this node in a cluster (letters, digits, - and _, at most 64); empty = hostname-pid-random, unique per process.',
  },
  busUrl: {
    env: 'PARLEY_BUS_URL',
    flag: '--bus-url',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Empty = the in-process bus (one node); redis://host:6379 or nats://host:4222 = the cluster bus between nodes. Needs PostgreSQL (PARLEY_DATABASE_URL).',
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
  xmppMaxParkedPerUser: {
    env: 'PARLEY_XMPP_MAX_PARKED_PER_USER',
    flag: '--xmpp-max-parked-per-user',
    type: { kind: 'integer', min: 1, max: 1000 },
    default: '5',
    description: 'Most dropped XMPP sessions of one user waiting to be resumed; beyond it the oldest ends at once (its unacknowledged messages go to the offline queue).',
  },
  xmppMaxParkedPerApp: {
    env: 'PARLEY_XMPP_MAX_PARKED_PER_APP',
    flag: '--xmpp-max-parked-per-app',
    type: { kind: 'integer', min: 1, max: 10_000_000 },
    default: '10000',
    description: 'Most dropped XMPP sessions of one application waiting to be resumed on this node; beyond it the oldest ends at once.',
  },
  xmppMaxParked: {
    env: 'PARLEY_XMPP_MAX_PARKED',
    flag: '--xmpp-max-parked',
    type: { kind: 'integer', min: 1, max: 10_000_000 },
    default: '50000',
    description: 'Most dropped XMPP sessions waiting to be resumed on this node, all applications together; beyond it the oldest ends at once.',
  },
  xmppMaxUnackedBytes: {
    env: 'PARLEY_XMPP_MAX_UNACKED_BYTES',
    flag: '--xmpp-max-unacked-bytes',
    type: { kind: 'bytes', min: 16 * 1024, max: 1024 * 1024 * 1024 },
    default: '2mb',
    description: 'Most bytes of stanzas an XMPP session keeps for resending until the client acknowledges them (XEP-0198); a live session over it gets resource-constraint, a parked one ends (its messages go to the offline queue).',
  },
  xmppMaxPreAuthPerAddress: {
    env: 'PARLEY_XMPP_MAX_PRE_AUTH_PER_ADDRESS',
    flag: '--xmpp-max-pre-auth-per-address',
    type: { kind: 'integer', min: 1, max: 100_000 },
    default: '100',
    description: 'Most XMPP connections one client address may hold open before they log in (many clients behind one NAT count as one address); more are refused with policy-violation (counted in parley_xmpp_preauth_refused_total).',
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
    description: 'Secret for the admin API (Authorization: Bearer TOKEN), e.g. defining custom-object classes; empty = admin routes disabled (404).',
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
  turn: {
    env: 'PARLEY_TURN',
    flag: '--turn',
    type: { kind: 'enum', values: ['auto', 'managed', 'external', 'off'] },
    default: 'auto',
    description: 'TURN relay for calls: managed = `parley serve` runs coturn (PARLEY_TURN_BINARY) itself; external = your coturn at PARLEY_TURN_URLS with PARLEY_TURN_SECRET; off = no TURN (host/STUN candidates only); auto = managed when the coturn binary is installed, else off.',
  },
  turnUrls: {
    env: 'PARLEY_TURN_URLS',
    flag: '--turn-urls',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Comma-separated TURN/STUN URLs handed to clients (turn:host:3478?transport=udp,…); required for external TURN; empty with managed TURN = built from PARLEY_TURN_PUBLIC_HOST and PARLEY_TURN_PORT.',
  },
  turnSecret: {
    env: 'PARLEY_TURN_SECRET',
    flag: '--turn-secret',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Shared secret of coturn `use-auth-secret` (static-auth-secret); required for external TURN; empty with managed TURN = a random secret per start.',
  },
  turnRealm: {
    env: 'PARLEY_TURN_REALM',
    flag: '--turn-realm',
    type: { kind: 'string' },
    default: 'parley',
    description: 'TURN realm of the managed coturn.',
  },
  turnListenHost: {
    env: 'PARLEY_TURN_LISTEN_HOST',
    flag: '--turn-listen-host',
    type: { kind: 'string' },
    default: '127.0.0.1',
    description: 'Address the managed coturn listens on and relays from (0.0.0.0 or the host\'s own address in a deployment).',
  },
  turnPublicHost: {
    env: 'PARLEY_TURN_PUBLIC_HOST',
    flag: '--turn-public-host',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'Public address of the managed coturn behind NAT (coturn external-ip, and the host of the URLs handed to clients); empty = PARLEY_TURN_LISTEN_HOST.',
  },
  turnPort: {
    env: 'PARLEY_TURN_PORT',
    flag: '--turn-port',
    type: { kind: 'integer', min: 1, max: 65535 },
    default: '3478',
    description: 'UDP/TCP port of the managed coturn.',
  },
  turnRelayMinPort: {
    env: 'PARLEY_TURN_RELAY_MIN_PORT',
    flag: '--turn-relay-min-port',
    type: { kind: 'integer', min: 1024, max: 65535 },
    default: '49160',
    description: 'Lowest UDP port the managed coturn relays media on (open this range in the firewall).',
  },
  turnRelayMaxPort: {
    env: 'PARLEY_TURN_RELAY_MAX_PORT',
    flag: '--turn-relay-max-port',
    type: { kind: 'integer', min: 1024, max: 65535 },
    default: '49200',
    description: 'Highest UDP port the managed coturn relays media on.',
  },
  turnCredentialTtl: {
    env: 'PARLEY_TURN_CREDENTIAL_TTL',
    flag: '--turn-credential-ttl',
    type: { kind: 'duration', minSeconds: 60, maxSeconds: 7 * 24 * 3600 },
    default: '1d',
    description: 'Lifetime of the TURN credentials handed out by GET /calls/turn_credentials.json.',
  },
  turnBinary: {
    env: 'PARLEY_TURN_BINARY',
    flag: '--turn-binary',
    type: { kind: 'string' },
    default: '/usr/bin/turnserver',
    description: 'coturn executable for managed TURN.',
  },
  pushAllowPrivateEndpoints: {
    env: 'PARLEY_PUSH_ALLOW_PRIVATE_ENDPOINTS',
    flag: '--push-allow-private-endpoints',
    type: { kind: 'boolean' },
    default: 'false',
    description: 'Let Web Push endpoints be loopback, private or link-local addresses (tests and private deployments only: otherwise a subscription could make the server call internal services).',
  },
  pushCaFile: {
    env: 'PARLEY_PUSH_CA_FILE',
    flag: '--push-ca-file',
    type: { kind: 'string', allowEmpty: true },
    default: '',
    description: 'PEM file of extra certificate authorities trusted for push provider connections, besides the system ones and NODE_EXTRA_CA_CERTS (certificates are always verified).',
  },
  pushFcmUrl: {
    env: 'PARLEY_PUSH_FCM_URL',
    flag: '--push-fcm-url',
    type: { kind: 'string' },
    default: 'https://fcm.googleapis.com',
    description: 'Origin of the FCM HTTP v1 API (the OAuth token URL comes from each service account\'s token_uri).',
  },
  pushApnsUrl: {
    env: 'PARLEY_PUSH_APNS_URL',
    flag: '--push-apns-url',
    type: { kind: 'string' },
    default: 'https://api.push.apple.com',
    description: 'APNs origin for subscriptions with environment production.',
  },
  pushApnsSandboxUrl: {
    env: 'PARLEY_PUSH_APNS_SANDBOX_URL',
    flag: '--push-apns-sandbox-url',
    type: { kind: 'string' },
    default: 'https://api.sandbox.push.apple.com',
    description: 'APNs origin for subscriptions with environment development.',
  },
  pushRetryBaseMs: {
    env: 'PARLEY_PUSH_RETRY_BASE_MS',
    flag: '--push-retry-base-ms',
    type: { kind: 'integer', min: 10, max: 3_600_000 },
    default: '5000',
    description: 'First retry delay (ms) of a push the provider could not take; it doubles per attempt up to 15 minutes. Pushes are retried until delivered, never dropped for an outage.',
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
