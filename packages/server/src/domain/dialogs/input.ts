import { toFlag, toId, toInteger, toList } from '@parley/protocol';
import type { DialogPermissions, DialogType } from '../../ports/dialogs.js';
import { DomainFailure } from '../shared/failure.js';
import { MAX_LIST_ITEMS, surelyTooLong } from '../shared/lists.js';

/** Decoding of dialog request bodies (rest.md §4.4, §4.5, §4.12), lenient as the cloud is. */

export const MAX_ADMINS = 5;
export const MAX_EXTENSIONS = 3;
const MAX_TEXT = 1000;

export type Fields = Record<string, string[]>;

export function addError(errors: Fields, field: string, message: string): void {
  (errors[field] ??= []).push(message);
}

export function throwIfErrors(errors: Fields): void {
  if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
}

export function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new DomainFailure('VALIDATION_FAILED', { fields: { base: ['body must be an object'] } });
  return body as Record<string, unknown>;
}

/** User ids as a JSON array or the SDK's `"1, 2"` string. */
export function readUserIds(value: unknown, field: string, errors: Fields): number[] {
  const items = surelyTooLong(value) ? [] : toList(value);
  if (items.length > MAX_LIST_ITEMS || surelyTooLong(value)) {
    addError(errors, field, `has too many items (maximum is ${MAX_LIST_ITEMS})`);
    return [];
  }
  const ids = new Set<number>();
  for (const item of items) {
    const id = toId(item);
    if (id === undefined) addError(errors, field, `'${item}' is not a user id`);
    else ids.add(id);
  }
  return [...ids];
}

export function readText(value: unknown, field: string, errors: Fields): string | null | undefined {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (typeof value !== 'string' && typeof value !== 'number') {
    addError(errors, field, 'must be a string');
    return undefined;
  }
  const text = String(value);
  if (text.length > MAX_TEXT) addError(errors, field, `is too long (maximum is ${MAX_TEXT} characters)`);
  return text;
}

/**
 * Apps with no declared extension fields accept any (at most 3, values as strings); once some
 * are declared, other keys are silently dropped (rest.md §4.12).
 */
export function readExtensions(value: unknown, errors: Fields, declared: readonly string[] = []): Record<string, string> | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    addError(errors, 'extensions', 'must be an object');
    return undefined;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([key, item]) => item !== undefined && item !== null && (declared.length === 0 || declared.includes(key)));
  if (entries.length > MAX_EXTENSIONS) addError(errors, 'extensions', `may have at most ${MAX_EXTENSIONS} fields`);
  const extensions: Record<string, string> = {};
  for (const [key, item] of entries) {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(key)) addError(errors, 'extensions', `'${key}' is not a valid field name`);
    else extensions[key] = typeof item === 'object' ? JSON.stringify(item) : String(item);
  }
  return extensions;
}

export function readPermissions(value: unknown, errors: Fields): DialogPermissions | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const allow = typeof value === 'object' && !Array.isArray(value) ? toFlag((value as Record<string, unknown>).allow_preview) : undefined;
  if (allow === undefined) {
    addError(errors, 'permissions', 'must be {"allow_preview": true|false}');
    return undefined;
  }
  return { allow_preview: allow };
}

export function readType(value: unknown, errors: Fields): DialogType | undefined {
  const type = toInteger(value);
  if (value === undefined) addError(errors, 'type', 'cannot be blank');
  else if (type === undefined || type < 1 || type > 4) addError(errors, 'type', 'must be 1 (broadcast), 2 (group), 3 (private) or 4 (public)');
  else return type as DialogType;
  return undefined;
}

/** `push_all` / `pull_all` of an update: the three set-valued keys. */
export interface SetChanges {
  occupants: number[];
  admins: number[];
  pinned: string[];
}

export function readSetChanges(value: unknown, key: string, errors: Fields): SetChanges {
  const changes: SetChanges = { occupants: [], admins: [], pinned: [] };
  if (value === undefined || value === null) return changes;
  if (typeof value !== 'object' || Array.isArray(value)) {
    addError(errors, key, 'must be an object');
    return changes;
  }
  const record = value as Record<string, unknown>;
  changes.occupants = readUserIds(record.occupants_ids, 'occupants_ids', errors);
  changes.admins = readUserIds(record.admins_ids, 'admins_ids', errors);
  changes.pinned = toList(record.pinned_messages_ids);
  if (changes.pinned.length > MAX_LIST_ITEMS) {
    addError(errors, 'pinned_messages_ids', `has too many items (maximum is ${MAX_LIST_ITEMS})`);
    changes.pinned = [];
  }
  if (changes.pinned.some((id) => !/^[0-9a-f]{24}$/.test(id))) addError(errors, 'pinned_messages_ids', 'must be message ids');
  return changes;
}
