import { describe, it, expect } from 'vitest';
import { ConfigError, loadConfig, parseBytes, parseDuration } from './load.js';
import { configSchema } from './schema.js';
import type { ConfigKey, OptionDefinition } from './schema.js';

/** Every test passes its own environment, so the machine's PARLEY_* variables never leak in. */
const noEnv: Record<string, string | undefined> = {};

const options = Object.entries(configSchema) as [ConfigKey, OptionDefinition][];

/** The ConfigError that loading raises (fails the test if loading succeeds). */
function configError(overrides: Partial<Record<ConfigKey, string>>, env: Record<string, string | undefined> = noEnv): ConfigError {
  try {
    loadConfig(overrides, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(overrides)} / ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig defaults', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(loadConfig({}, noEnv)).toEqual({
      host: '127.0.0.1',
      port: 8080,
      publicUrl: '',
      dataDir: './data',
      databaseUrl: '',
      nodeId: '',
      busUrl: '',
      clusterLease: 20,
      blobs: 'disk',
      s3Endpoint: '',
      s3Bucket: '',
      s3Region: 'us-east-1',
      s3AccessKeyId: '',
      s3SecretAccessKey: '',
      s3ForcePathStyle: false,
      chatDomain: 'localhost',
      sessionTtl: 7200,
      guestSessionTtl: 86400,
      bodyLimit: 1024 * 1024,
      messageMaxBytes: 65536,
      addressBookMaxContacts: 10000,
      adminToken: '',
      aiProvider: '',
      aiModel: '',
      aiApiKey: '',
      aiBaseUrl: '',
      aiSecret: '',
      aiTimeout: 30,
      aiUserRequestsPerMinute: 10,
      aiAppRequestsPerDay: 1000,
      aiMaxMessages: 500,
      aiMaxInputChars: 60000,
      aiSummaryCacheTtl: 3600,
      metricsToken: '',
      metricsPort: 0,
      metricsHost: '127.0.0.1',
      dashboard: true,
      operatorSessionTtl: 43200,
      blobMaxBytes: 100 * 1024 * 1024,
      blobUrlTtl: 3600,
      passwordHashCost: 14,
      passwordMinLength: 8,
      loginMaxFailures: 10,
      loginFailureWindow: 900,
      trustProxy: false,
      pushAllowPrivateEndpoints: false,
      pushCaFile: '',
      pushFcmUrl: 'https://fcm.googleapis.com',
      pushApnsUrl: 'https://api.push.apple.com',
      pushApnsSandboxUrl: 'https://api.sandbox.push.apple.com',
      pushRetryBaseMs: 5000,
      logLevel: 'info',
      conference: 'off',
      janusUrl: '',
      janusApiSecret: '',
      janusAdminKey: '',
      janusBin: '/usr/bin/janus',
      janusPluginsDir: '/usr/lib/x86_64-linux-gnu/janus',
      janusRtpPorts: '20000-40000',
      janusPublicIp: '',
      janusIceInterfaces: '',
      conferencePublishers: 12,
      janusPpRecBin: '/usr/bin/janus-pp-rec',
      ffmpegBin: '/usr/bin/ffmpeg',
      smtpUrl: '',
      sqliteSynchronous: 'full',
      mailFrom: 'Parley <no-reply@localhost>',
      xmppPort: 5222,
      xmppTlsCert: '',
      xmppTlsKey: '',
      xmppScram: false,
      xmppMaxStanzaBytes: 256 * 1024,
      xmppMaxDepth: 64,
      xmppMaxAttributes: 64,
      xmppMaxBytesBeforeAuth: 64 * 1024,
      xmppKeepAlive: 30,
      xmppIdleTimeout: 120,
      xmppMaxOutboundBytes: 1024 * 1024,
      xmppResumeWindow: 300,
      turn: 'auto',
      turnUrls: '',
      turnSecret: '',
      turnRealm: 'parley',
      turnListenHost: '127.0.0.1',
      turnPublicHost: '',
      turnPort: 3478,
      turnRelayMinPort: 49160,
      turnRelayMaxPort: 49200,
      turnCredentialTtl: 86400,
      turnBinary: '/usr/bin/turnserver',
      xmppMaxParkedPerUser: 5,
      xmppMaxParkedPerApp: 10000,
      xmppMaxParked: 50000,
      xmppMaxUnackedBytes: 2 * 1024 * 1024,
      xmppMaxPreAuthPerAddress: 100,
    });
  });

  it('parses every declared default without error', () => {
    const config = loadConfig({}, noEnv);
    expect(Object.keys(config).sort()).toEqual(options.map(([key]) => key).sort());
  });
});

describe('loadConfig sources', () => {
  it('reads PARLEY_* environment variables', () => {
    const config = loadConfig(
      {},
      {
        PARLEY_HOST: '0.0.0.0',
        PARLEY_PORT: '9000',
        PARLEY_DATA_DIR: '/var/lib/parley',
        PARLEY_DATABASE_URL: 'postgres://u:p@db:5432/parley',
        PARLEY_SESSION_TTL: '30m',
        PARLEY_BODY_LIMIT: '512kb',
        PARLEY_TRUST_PROXY: 'true',
        PARLEY_LOG_LEVEL: 'debug',
      },
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/var/lib/parley',
      databaseUrl: 'postgres://u:p@db:5432/parley',
      sessionTtl: 1800,
      bodyLimit: 512 * 1024,
      trustProxy: true,
      logLevel: 'debug',
    });
  });

  it('ignores variables that are not the option names', () => {
    expect(loadConfig({}, { PORT: '1', HOST: 'x', PARLEY_PORTS: '2' }).port).toBe(8080);
  });

  it('lets flag values beat environment variables', () => {
    const env = { PARLEY_PORT: '9000', PARLEY_LOG_LEVEL: 'debug', PARLEY_TRUST_PROXY: 'true' };
    const config = loadConfig({ port: '9100', logLevel: 'warn', trustProxy: 'false' }, env);
    expect(config).toMatchObject({ port: 9100, logLevel: 'warn', trustProxy: false });
  });

  it('lets a flag set an option to empty even when the environment has a value', () => {
    expect(loadConfig({ databaseUrl: '' }, { PARLEY_DATABASE_URL: 'postgres://db/parley' }).databaseUrl).toBe('');
  });

  it('validates a flag value even when the environment value is fine', () => {
    const error = configError({ port: 'eighty' }, { PARLEY_PORT: '80' });
    expect(error.message).toContain('"eighty"');
  });

  it('trims surrounding spaces', () => {
    expect(loadConfig({ port: ' 8081 ', host: ' example.org ' }, noEnv)).toMatchObject({ port: 8081, host: 'example.org' });
  });
});

describe('loadConfig values by kind', () => {
  it('integers: accepts the range and rejects others, naming env var, flag and the range', () => {
    expect(loadConfig({ port: '0' }, noEnv).port).toBe(0);
    expect(loadConfig({ port: '65535' }, noEnv).port).toBe(65535);
    expect(loadConfig({ passwordHashCost: '10' }, noEnv).passwordHashCost).toBe(10);
    for (const bad of ['65536', '-1', '80.5', '8O', '', '1e3']) {
      const { message } = configError({ port: bad });
      expect(message, bad).toContain('PARLEY_PORT');
      expect(message, bad).toContain('--port');
      expect(message, bad).toContain('an integer from 0 to 65535');
    }
    expect(configError({ passwordHashCost: '9' }).message).toBe('PARLEY_PASSWORD_HASH_COST (--password-hash-cost) = "9" is invalid: expected an integer from 10 to 20');
  });

  it('durations: 90s, 30m, 2h, 1d and plain seconds', () => {
    const cases: [string, number][] = [
      ['90s', 90],
      ['30m', 1800],
      ['2h', 7200],
      ['1d', 86400],
      ['7200', 7200],
      ['2H', 7200],
      ['15 m', 900],
    ];
    for (const [text, seconds] of cases) {
      expect(loadConfig({ sessionTtl: text }, noEnv).sessionTtl, text).toBe(seconds);
      expect(parseDuration(text), text).toBe(seconds);
    }
  });

  it('durations: rejects bad units, fractions and out-of-range values', () => {
    for (const bad of ['2w', '1.5h', 'h', '-5m', '', '59s', '91d']) {
      const { message } = configError({ sessionTtl: bad });
      expect(message, bad).toContain('PARLEY_SESSION_TTL');
      expect(message, bad).toContain('--session-ttl');
      expect(message, bad).toContain('a duration like 90s, 30m, 2h or 1d (or plain seconds) from 60s to 7776000s');
    }
    expect(parseDuration('2w')).toBeUndefined();
    expect(parseDuration('1.5h')).toBeUndefined();
  });

  it('sizes: 512kb, 1mb, plain bytes and gb', () => {
    const cases: [string, number][] = [
      ['512kb', 512 * 1024],
      ['1mb', 1024 * 1024],
      ['1MB', 1024 * 1024],
      ['2048', 2048],
      ['4096b', 4096],
      ['1gb', 1024 ** 3],
    ];
    for (const [text, bytes] of cases) {
      expect(loadConfig({ bodyLimit: text }, noEnv).bodyLimit, text).toBe(bytes);
      expect(parseBytes(text), text).toBe(bytes);
    }
  });

  it('sizes: rejects bad units, fractions and out-of-range values', () => {
    for (const bad of ['1tb', '1.5mb', 'mb', '1023', '2gb', '']) {
      const { message } = configError({ bodyLimit: bad });
      expect(message, bad).toContain('PARLEY_BODY_LIMIT');
      expect(message, bad).toContain('--body-limit');
      expect(message, bad).toContain('a size like 512kb or 1mb from 1024 to 1073741824 bytes');
    }
    expect(parseBytes('1tb')).toBeUndefined();
  });

  it('enums: accepts the listed values and names them all when rejecting', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      expect(loadConfig({ logLevel: level }, noEnv).logLevel).toBe(level);
    }
    expect(configError({ logLevel: 'verbose' }).message).toBe(
      'PARLEY_LOG_LEVEL (--log-level) = "verbose" is invalid: expected one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(configError({ logLevel: 'INFO' }).message).toContain('expected one of');
  });

  it('booleans: true/1/yes/on and false/0/no/off/empty, any case', () => {
    for (const yes of ['true', '1', 'yes', 'on', 'TRUE', 'On']) expect(loadConfig({ trustProxy: yes }, noEnv).trustProxy, yes).toBe(true);
    for (const no of ['false', '0', 'no', 'off', '', 'False']) expect(loadConfig({ trustProxy: no }, noEnv).trustProxy, no).toBe(false);
    expect(configError({ trustProxy: 'maybe' }).message).toBe('PARLEY_TRUST_PROXY (--trust-proxy) = "maybe" is invalid: expected true or false');
  });

  it('strings: rejects an empty value unless the option allows it', () => {
    expect(configError({ host: '' }).message).toBe('PARLEY_HOST (--host) = "" is invalid: expected a non-empty string');
    expect(configError({ dataDir: '   ' }).message).toContain('PARLEY_DATA_DIR (--data-dir)');
    expect(configError({}, { PARLEY_CHAT_DOMAIN: '' }).message).toContain('PARLEY_CHAT_DOMAIN (--chat-domain)');
    expect(loadConfig({ publicUrl: '' }, noEnv).publicUrl).toBe('');
    expect(loadConfig({ publicUrl: 'https://chat.example.com' }, noEnv).publicUrl).toBe('https://chat.example.com');
  });

  it('database URL: empty or postgres:// / postgresql://, nothing else', () => {
    expect(loadConfig({ databaseUrl: '' }, noEnv).databaseUrl).toBe('');
    expect(loadConfig({ databaseUrl: 'postgres://u@h/db' }, noEnv).databaseUrl).toBe('postgres://u@h/db');
    expect(loadConfig({ databaseUrl: 'postgresql://u@h/db' }, noEnv).databaseUrl).toBe('postgresql://u@h/db');
    for (const bad of ['mysql://u@h/db', 'sqlite:./x.db', 'postgres://']) {
      expect(configError({ databaseUrl: bad }).message, bad).toBe(
        `PARLEY_DATABASE_URL (--database-url) = ${JSON.stringify(bad)} is invalid: expected empty (SQLite in the data folder) or a postgres:// URL`,
      );
    }
  });

  it('names the environment variable when the bad value came from the environment', () => {
    const { message } = configError({}, { PARLEY_GUEST_SESSION_TTL: 'forever' });
    expect(message).toContain('PARLEY_GUEST_SESSION_TTL');
    expect(message).toContain('--guest-session-ttl');
    expect(message).toContain('"forever"');
  });
});

describe('loadConfig cluster and shared files', () => {
  const postgres = 'postgres://u:p@db:5432/parley';

  it('refuses a bus with the embedded SQLite, saying what to do', () => {
    for (const busUrl of ['redis://127.0.0.1:6379', 'nats://127.0.0.1:4222']) {
      const { message } = configError({}, { PARLEY_BUS_URL: busUrl });
      expect(message).toBe(
        'PARLEY_BUS_URL is set but the database is the embedded SQLite, which one node alone can use: ' +
          'set PARLEY_DATABASE_URL=postgres://… for a cluster, or unset PARLEY_BUS_URL to run a single node',
      );
    }
  });

  it('takes a Redis or NATS bus with PostgreSQL, and a node id', () => {
    for (const busUrl of ['redis://127.0.0.1:6379', 'rediss://user:secret@redis:6380/0', 'nats://127.0.0.1:4222']) {
      const config = loadConfig({}, { PARLEY_BUS_URL: busUrl, PARLEY_DATABASE_URL: postgres, PARLEY_NODE_ID: 'node-1_a' });
      expect(config).toMatchObject({ busUrl, databaseUrl: postgres, nodeId: 'node-1_a' });
    }
  });

  it('rejects other bus URLs and node ids that are not one token', () => {
    for (const busUrl of ['http://x', 'redis:/x', 'amqp://rabbit']) {
      expect(configError({ busUrl, databaseUrl: postgres }).message).toBe('PARLEY_BUS_URL (--bus-url) is invalid: expected empty (one node), redis://… or nats://…');
    }
    for (const nodeId of ['a.b', 'a b', 'x'.repeat(65), 'é']) {
      expect(configError({ nodeId }).message).toMatch(/^PARLEY_NODE_ID \(--node-id\) = .* is invalid: expected letters, digits, - and _ \(at most 64\)$/);
    }
  });

  it('S3 blobs need a bucket, and a key id only with its secret', () => {
    expect(configError({ blobs: 's3' }).message).toBe('PARLEY_BLOBS=s3 needs PARLEY_S3_BUCKET (--s3-bucket)');
    expect(configError({ blobs: 's3', s3Bucket: 'b', s3AccessKeyId: 'id' }).message).toMatch(/go together/);
    expect(configError({ blobs: 's3', s3Bucket: 'b', s3SecretAccessKey: 'secret' }).message).toMatch(/go together/);
    const config = loadConfig(
      {},
      { PARLEY_BLOBS: 's3', PARLEY_S3_BUCKET: 'files', PARLEY_S3_ENDPOINT: 'http://127.0.0.1:9000', PARLEY_S3_ACCESS_KEY_ID: 'id', PARLEY_S3_SECRET_ACCESS_KEY: 'secret', PARLEY_S3_FORCE_PATH_STYLE: 'true' },
    );
    expect(config).toMatchObject({ blobs: 's3', s3Bucket: 'files', s3Endpoint: 'http://127.0.0.1:9000', s3Region: 'us-east-1', s3AccessKeyId: 'id', s3SecretAccessKey: 'secret', s3ForcePathStyle: true });
  });
});

describe('configSchema naming', () => {
  const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const upperSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

  it('derives every flag from its key in kebab case (dataDir ↔ --data-dir)', () => {
    expect(configSchema.dataDir.flag).toBe('--data-dir');
    for (const [key, option] of options) expect(option.flag, key).toBe(`--${kebab(key)}`);
  });

  it('derives every environment variable as PARLEY_ + the key in upper snake case', () => {
    expect(configSchema.dataDir.env).toBe('PARLEY_DATA_DIR');
    for (const [key, option] of options) expect(option.env, key).toBe(`PARLEY_${upperSnake(key)}`);
  });

  it('rejects a bad value of every option with a message naming its env var and flag', () => {
    const badValue: Record<OptionDefinition['type']['kind'], string> = {
      string: '',
      integer: 'not-a-number',
      duration: 'not-a-duration',
      bytes: 'not-a-size',
      enum: 'not-a-choice',
      boolean: 'not-a-flag',
      databaseUrl: 'not-a-url',
    };
    for (const [key, option] of options) {
      if (option.type.kind === 'string' && option.type.allowEmpty) continue;
      const bad = badValue[option.type.kind];
      const { message } = configError({ [key]: bad });
      expect(message.startsWith(`${option.env} (${option.flag}) = ${JSON.stringify(bad)} is invalid: expected `), key).toBe(true);
    }
  });
});

describe('AI provider options', () => {
  it('need a base URL and a model for openai-compatible, and an http(s) base URL', () => {
    expect(configError({ aiProvider: 'openai-compatible', aiModel: 'llama3' }).message).toBe('PARLEY_AI_BASE_URL (--ai-base-url) is required when PARLEY_AI_PROVIDER is openai-compatible');
    expect(configError({ aiProvider: 'openai-compatible', aiBaseUrl: 'http://127.0.0.1:11434/v1' }).message).toBe('PARLEY_AI_MODEL (--ai-model) is required when PARLEY_AI_PROVIDER is openai-compatible');
    expect(configError({ aiProvider: 'google', aiBaseUrl: 'file:///etc' }).message).toBe('PARLEY_AI_BASE_URL (--ai-base-url) = "file:///etc" is invalid: expected an http(s) URL');
    expect(loadConfig({ aiProvider: 'openai-compatible', aiModel: 'llama3', aiBaseUrl: 'http://127.0.0.1:11434/v1' }, noEnv).aiProvider).toBe('openai-compatible');
    expect(loadConfig({ aiProvider: 'google' }, noEnv).aiBaseUrl).toBe('');
  });
});

describe('.env files', () => {
  it('parses comments, export, quotes and inline comments (precedence: cli-startup.test.ts)', async () => {
    const { parseDotEnv } = await import('./dotenv.js');
    expect(parseDotEnv('# c\nexport A=1\nB="two words"\nC=\'x # y\'\nD=plain # note\n\nnot a line\nE=\n')).toEqual({ A: '1', B: 'two words', C: 'x # y', D: 'plain', E: '' });
  });
});
