import { toList, type UserFields } from '@parley/protocol';
import type { UserProfile } from '../../ports/store.js';
import { DomainFailure } from '../shared/failure.js';

export const MAX_TAGS = 5;

/** Limits of user fields (rest.md ); the password minimum is configuration. */
const limits = {
  login: { min: 3, max: 70 },
  email: { max: 255 },
  text: 255,
  customData: 65536,
  tag: 64,
};

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function optionalText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  return text.length === 0 ? null : text;
}

/**
 * Validates the profile part of a sign-up or update body and maps it to a partial profile: keys the
 * client did not send stay absent. Collects every field error before failing, so nothing is written.
 */
export function parseProfileFields(input: UserFields): { change: Partial<UserProfile>; errors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const change: Partial<UserProfile> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  const has = (key: keyof UserFields) => input[key] !== undefined;

  if (has('login')) {
    const login = optionalText(input.login);
    if (login !== null && (login.length < limits.login.min || login.length > limits.login.max)) {
      add('login', `is invalid, length must be ${limits.login.min} to ${limits.login.max} characters`);
    }
    change.login = login;
  }
  if (has('email')) {
    const email = optionalText(input.email)?.trim() ?? null;
    if (email !== null && (email.length > limits.email.max || !emailPattern.test(email))) add('email', 'is invalid');
    change.email = email;
  }
  const textFields: [keyof UserFields, keyof UserProfile, number][] = [
    ['full_name', 'fullName', limits.text],
    ['phone', 'phone', limits.text],
    ['website', 'website', limits.text],
    ['avatar', 'avatar', limits.text],
    ['custom_data', 'customData', limits.customData],
    ['external_id', 'externalId', limits.text],
    ['facebook_id', 'facebookId', limits.text],
    ['twitter_id', 'twitterId', limits.text],
  ];
  for (const [wire, field, max] of textFields) {
    if (!has(wire)) continue;
    const text = optionalText(input[wire]);
    if (text !== null && text.length > max) add(wire, `is too long (maximum is ${max} characters)`);
    (change as Record<string, unknown>)[field] = text;
  }
  const integerFields: [keyof UserFields, keyof UserProfile][] = [
    ['blob_id', 'blobId'],
    ['external_user_id', 'externalUserId'],
    ['timezone', 'timezone'],
  ];
  for (const [wire, field] of integerFields) {
    if (has(wire)) (change as Record<string, unknown>)[field] = input[wire] ?? null;
  }
  if (has('tag_list')) {
    const tags = [...new Set(toList(input.tag_list))];
    if (tags.length > MAX_TAGS) add('tag_list', `must have at most ${MAX_TAGS} tags`);
    if (tags.some((tag) => tag.length > limits.tag)) add('tag_list', `tags must be at most ${limits.tag} characters`);
    change.tags = tags;
  }
  return { change, errors };
}

export function validatePassword(password: string | undefined, minLength: number, errors: Record<string, string[]>): void {
  if (password === undefined || password.length === 0) (errors.password ??= []).push('cannot be blank');
  else if (password.length < minLength) (errors.password ??= []).push(`is too short (minimum is ${minLength} characters)`);
  else if (password.length > 1024) (errors.password ??= []).push('is too long (maximum is 1024 characters)');
}

export function throwIfErrors(errors: Record<string, string[]>): void {
  if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
}
