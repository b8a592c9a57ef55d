import { configSchema, isSecretOption, type Config, type ConfigKey } from '../config/index.js';

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export function maskUrlPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** The configuration with every secret masked: set secrets show as "***", URL passwords too. */
export function maskedConfig(config: Config): Record<string, unknown> {
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const option = configSchema[key as ConfigKey];
    if (option && isSecretOption(key, option)) masked[key] = value === '' ? '' : '***';
    else masked[key] = typeof value === 'string' ? maskUrlPassword(value) : value;
  }
  return masked;
}
