import type { FieldErrors } from '../shared/failure.js';
import type { ExtensionsInput } from './commands.js';

export const MAX_ADMINS = 5;
export const MAX_EXTENSIONS = 3;

/**
 * Apps with no declared extension fields accept any (at most 3, values as strings); once some
 * are declared, other keys are silently dropped (rest.md §4.12). Problems go to `errors`.
 */
export function keepExtensions(input: ExtensionsInput, declared: readonly string[], errors: string[]): Record<string, string> {
  const entries = Object.entries(input).filter(([key]) => declared.length === 0 || declared.includes(key));
  if (entries.length > MAX_EXTENSIONS) errors.push(`may have at most ${MAX_EXTENSIONS} fields`);
  const extensions: Record<string, string> = {};
  for (const [key, item] of entries) {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(key)) errors.push(`'${key}' is not a valid field name`);
    else extensions[key] = typeof item === 'object' ? JSON.stringify(item) : String(item);
  }
  return extensions;
}

/**
 * The face's field errors with the extension rule's in their place: before the first of `followers`
 * (the body fields decoded after `extensions`), so the 422 lists fields in body order as before.
 */
export function withExtensionErrors(invalid: FieldErrors, messages: string[], followers: readonly string[]): FieldErrors {
  if (messages.length === 0) return { ...invalid };
  const errors: FieldErrors = {};
  let placed = false;
  for (const [field, list] of Object.entries(invalid)) {
    if (!placed && followers.includes(field)) {
      errors.extensions = [...messages];
      placed = true;
    }
    errors[field] = [...list];
  }
  if (!placed) errors.extensions = [...messages];
  return errors;
}
