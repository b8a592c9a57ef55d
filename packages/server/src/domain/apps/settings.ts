import type { AppSettings } from '../../ports/store.js';
import { DomainFailure } from '../shared/failure.js';

export interface AppSettingDefinition {
  readonly key: keyof AppSettings;
  /** CLI flag pair: `--<flag>` turns it on, `--no-<flag>` off. */
  readonly flag: string;
  readonly description: string;
}

/**
 * Every per-application setting, declared once: the CLI flags, the admin API's validation and its
 * OpenAPI schema are derived from this list.
 */
export const appSettingDefinitions: readonly AppSettingDefinition[] = [
  {
    key: 'denySessionWithoutUser',
    flag: 'deny-session-without-user',
    description: 'Refuse createSession({login|email, password}) for an unknown user instead of signing it up (turn on to lock down sign-up).',
  },
  {
    key: 'usersV1Enabled',
    flag: 'users-v1-enabled',
    description: 'Answer the deprecated V1 user lookups (GET /users/by_login … ); off = 403.',
  },
  {
    key: 'relaxedStartWith',
    flag: 'relaxed-start-with',
    description: 'Let [start_with] user searches take 1+ characters and keep the requested limit (documented: 4+ characters, 5 results).',
  },
];

/**
 * A partial settings change from an admin request or CLI flags: only known keys with boolean values.
 * Anything else is refused as a whole, so a typo never half-applies.
 */
export function parseSettingsChange(input: unknown): Partial<AppSettings> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new DomainFailure('VALIDATION_FAILED', { fields: { settings: ['must be an object of boolean settings'] } });
  }
  const known = new Set<string>(appSettingDefinitions.map((definition) => definition.key));
  const errors: Record<string, string[]> = {};
  const change: Partial<AppSettings> = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (!known.has(key)) errors[key] = [`is not a setting (known: ${[...known].join(', ')})`];
    else if (typeof value !== 'boolean') errors[key] = ['must be true or false'];
    else change[key as keyof AppSettings] = value;
  }
  if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
  if (Object.keys(change).length === 0) throw new DomainFailure('VALIDATION_FAILED', { fields: { settings: ['name at least one setting to change'] } });
  return change;
}
