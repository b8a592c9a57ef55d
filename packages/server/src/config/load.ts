import { readDotEnv } from './dotenv.js';
import { configSchema, type Config, type ConfigKey, type OptionDefinition } from './schema.js';

/** A bad option value: the message names the option and what it accepts. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Builds the configuration from environment variables, overridden by CLI flag values (keyed by option
 * name). The only place in the server that reads `process.env`.
 */
export function loadConfig(
  overrides: Partial<Record<ConfigKey, string>> = {},
  env: Record<string, string | undefined> = process.env,
): Config {
  const values: Record<string, unknown> = {};
  for (const [key, option] of Object.entries(configSchema) as [ConfigKey, OptionDefinition][]) {
    const raw = overrides[key] ?? env[option.env] ?? option.default;
    values[key] = parseOption(option, raw);
  }
  const config = values as Config;
  checkCombinations(config);
  checkAiProvider(config);
  return config;
}

/** Rules that span options (each option alone was valid). */
function checkCombinations(config: Config): void {
  if (config.nodeId !== '' && !/^[A-Za-z0-9_-]{1,64}$/.test(config.nodeId)) {
    throw new ConfigError(`PARLEY_NODE_ID (--node-id) = ${JSON.stringify(config.nodeId)} is invalid: expected letters, digits, - and _ (at most 64)`);
  }
  if (config.busUrl !== '' && !/^(redis|rediss|nats):\/\/.+/.test(config.busUrl)) {
    throw new ConfigError(`PARLEY_BUS_URL (--bus-url) is invalid: expected empty (one node), redis://… or nats://…`);
  }
  if (config.busUrl !== '' && config.databaseUrl === '') {
    throw new ConfigError(
      'PARLEY_BUS_URL is set but the database is the embedded SQLite, which one node alone can use: ' +
        'set PARLEY_DATABASE_URL=postgres://… for a cluster, or unset PARLEY_BUS_URL to run a single node',
    );
  }
  if (config.blobs === 's3' && config.s3Bucket === '') {
    throw new ConfigError('PARLEY_BLOBS=s3 needs PARLEY_S3_BUCKET (--s3-bucket)');
  }
  if ((config.s3AccessKeyId === '') !== (config.s3SecretAccessKey === '')) {
    throw new ConfigError('PARLEY_S3_ACCESS_KEY_ID and PARLEY_S3_SECRET_ACCESS_KEY go together: set both, or neither for the AWS default credentials');
  }
}

/** Options that only make sense together: an OpenAI-compatible server has no default address or model. */
function checkAiProvider(config: Config): void {
  const { aiBaseUrl: baseUrl, aiModel: model, aiProvider: provider } = config;
  const named = (key: 'aiBaseUrl' | 'aiModel') => `${configSchema[key].env} (${configSchema[key].flag})`;
  if (baseUrl !== '' && !/^https?:\/\/[^\s/]+/.test(baseUrl)) throw new ConfigError(`${named('aiBaseUrl')} = ${JSON.stringify(baseUrl)} is invalid: expected an http(s) URL`);
  if (provider !== 'openai-compatible') return;
  if (baseUrl === '') throw new ConfigError(`${named('aiBaseUrl')} is required when PARLEY_AI_PROVIDER is openai-compatible`);
  if (model === '') throw new ConfigError(`${named('aiModel')} is required when PARLEY_AI_PROVIDER is openai-compatible`);
}

/**
 * The CLI's configuration: flags > environment > `.env` in `folder` (the working folder). The `.env`
 * file only fills what the environment leaves unset.
 */
export function loadConfigFromFolder(
  overrides: Partial<Record<ConfigKey, string>>,
  folder: string = process.cwd(),
  env: Record<string, string | undefined> = process.env,
): Config {
  const dotEnv = readDotEnv(folder);
  return loadConfig(overrides, dotEnv ? { ...dotEnv.values, ...definedOnly(env) } : env);
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Option names whose values are secrets: never printed (config check, logs). */
export function isSecretOption(key: string, option: OptionDefinition): boolean {
  return option.secret === true || /token|secret|password|apikey|api_key|privatekey|credential/i.test(key);
}

function parseOption(option: OptionDefinition, raw: string): unknown {
  const { type } = option;
  const fail = (accepted: string): never => {
    throw new ConfigError(`${option.env} (${option.flag}) = ${JSON.stringify(raw)} is invalid: expected ${accepted}`);
  };
  const text = raw.trim();
  switch (type.kind) {
    case 'string':
      if (!type.allowEmpty && text === '') fail('a non-empty string');
      return text;
    case 'integer': {
      const value = /^-?\d+$/.test(text) ? Number(text) : NaN;
      if (!Number.isInteger(value) || value < type.min || value > type.max) fail(`an integer from ${type.min} to ${type.max}`);
      return value;
    }
    case 'duration': {
      const seconds = parseDuration(text);
      if (seconds === undefined || seconds < type.minSeconds || seconds > type.maxSeconds) {
        fail(`a duration like 90s, 30m, 2h or 1d (or plain seconds) from ${type.minSeconds}s to ${type.maxSeconds}s`);
      }
      return seconds;
    }
    case 'bytes': {
      const bytes = parseBytes(text);
      if (bytes === undefined || bytes < type.min || bytes > type.max) fail(`a size like 512kb or 1mb from ${type.min} to ${type.max} bytes`);
      return bytes;
    }
    case 'enum':
      if (!type.values.includes(text)) fail(`one of ${type.values.join(', ')}`);
      return text;
    case 'boolean':
      if (['true', '1', 'yes', 'on'].includes(text.toLowerCase())) return true;
      if (['false', '0', 'no', 'off', ''].includes(text.toLowerCase())) return false;
      return fail('true or false');
    case 'databaseUrl':
      if (text !== '' && !/^postgres(ql)?:\/\/.+/.test(text)) fail('empty (SQLite in the data folder) or a postgres:// URL');
      return text;
  }
}

const durationUnits: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)\s*([smhd]?)$/i.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (durationUnits[(match[2] || 's').toLowerCase()] ?? 1);
}

const byteUnits: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseBytes(text: string): number | undefined {
  const match = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * (byteUnits[(match[2] ?? 'b').toLowerCase()] ?? 1);
}

/**
 * The environment of this process, for the `parley` executable to hand to the CLI: this module is the one
 * place that reads `process.env`, and everything after it takes the environment as an argument (tests
 * pass their own).
 */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}
