import { toFlag, toId, toInteger, toList } from '@parley/protocol';
import type { DialogPermissions, DialogType } from '../../ports/dialogs.js';
import type { ChangeAdmins, CreateDialog, ExtensionsInput, ListDialogs, OccupantsPage, SetChanges, SetNotifications, UpdateDialog } from '../../domain/dialogs/commands.js';
import { addError, invalidField, throwIfInvalid, type FieldErrors } from '../../domain/shared/failure.js';
import { readLimit, readSkip } from '../../domain/shared/filters.js';
import { MAX_LIST_ITEMS, surelyTooLong } from '../../domain/shared/lists.js';
import { bodyObject, deferInvalid } from './body.js';
import { parseDialogQuery } from './dialog-query.js';

/**
 * ConnectyCube bodies and queries of the dialog routes (schemas in @parley/protocol rest/dialogs.ts),
 * decoded leniently as the cloud does into the dialogs domain's commands. Field errors are collected in
 * the command's `invalid` (the service reports them with its own rules, after its access checks).
 */

const MAX_TEXT = 1000;

/** User ids as a JSON array or the SDK's `"1, 2"` string. */
function readUserIds(value: unknown, field: string, errors: FieldErrors): number[] {
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

function readText(value: unknown, field: string, errors: FieldErrors): string | null | undefined {
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

/** Custom fields as sent, without null values; which are kept is the domain's rule (declared fields). */
function readExtensions(value: unknown, errors: FieldErrors): ExtensionsInput | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    addError(errors, 'extensions', 'must be an object');
    return undefined;
  }
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined && item !== null));
}

function readPermissions(value: unknown, errors: FieldErrors): DialogPermissions | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const allow = typeof value === 'object' && !Array.isArray(value) ? toFlag((value as Record<string, unknown>).allow_preview) : undefined;
  if (allow === undefined) {
    addError(errors, 'permissions', 'must be {"allow_preview": true|false}');
    return undefined;
  }
  return { allow_preview: allow };
}

function readType(value: unknown, errors: FieldErrors): DialogType | undefined {
  const type = toInteger(value);
  if (value === undefined) addError(errors, 'type', 'cannot be blank');
  else if (type === undefined || type < 1 || type > 4) addError(errors, 'type', 'must be 1 (broadcast), 2 (group), 3 (private) or 4 (public)');
  else return type as DialogType;
  return undefined;
}

function readSetChanges(value: unknown, key: string, errors: FieldErrors): SetChanges {
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

/** `POST /chat/Dialog` (rest.md §4.4); also the admin API's create. A body that is not an object is refused at once. */
export function decodeCreateDialog(body: unknown): CreateDialog {
  const input = bodyObject(body);
  const invalid: FieldErrors = {};
  return {
    type: readType(input.type, invalid),
    name: readText(input.name, 'name', invalid) ?? null,
    ...(input.occupants_ids === undefined ? {} : { occupantIds: readUserIds(input.occupants_ids, 'occupants_ids', invalid) }),
    adminIds: readUserIds(input.admins_ids, 'admins_ids', invalid),
    extensions: readExtensions(input.extensions, invalid) ?? null,
    permissions: readPermissions(input.permissions, invalid) ?? null,
    description: readText(input.description, 'description', invalid) ?? null,
    photo: readText(input.photo, 'photo', invalid) ?? null,
    invalid,
  };
}

/** `PUT /chat/Dialog/{id}` (rest.md §4.5): the service reports a body that is not an object after its access check. */
export function decodeUpdateDialog(body: unknown): UpdateDialog {
  const invalid: FieldErrors = {};
  const input = deferInvalid(invalid, {}, () => bodyObject(body));
  const command: UpdateDialog = { push: readSetChanges(input.push_all, 'push_all', invalid), pull: readSetChanges(input.pull_all, 'pull_all', invalid), invalid };
  const fields = {
    name: readText(input.name, 'name', invalid),
    description: readText(input.description, 'description', invalid),
    photo: readText(input.photo, 'photo', invalid),
    extensions: readExtensions(input.extensions, invalid),
    permissions: readPermissions(input.permissions, invalid),
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) Object.assign(command, { [key]: value });
  return command;
}

/** `PUT /chat/Dialog/{id}/admins` (rest.md §4.9): a bad body is answered before the dialog is looked up. */
export function decodeAdminsChange(body: unknown): ChangeAdmins {
  const input = bodyObject(body);
  const invalid: FieldErrors = {};
  const push = readSetChanges(input.push_all, 'push_all', invalid);
  const pull = readSetChanges(input.pull_all, 'pull_all', invalid);
  throwIfInvalid(invalid);
  return { add: push.admins, remove: pull.admins };
}

/** `PUT /chat/Dialog/{id}/notifications` (rest.md §4.10): `enabled` is required; a non-flag is reported after the access check. */
export function decodeNotificationsSetting(body: unknown): SetNotifications {
  const input = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  if (input.enabled === undefined) throw invalidField('enabled', 'cannot be blank');
  const enabled = toFlag(input.enabled);
  return enabled === undefined ? { enabled: false, invalid: { enabled: ['must be 1 or 0'] } } : { enabled, invalid: {} };
}

/** `GET /chat/Dialog` (rest.md §4.3); also the admin API's list of a user's dialogs. */
export function decodeDialogList(params: Record<string, unknown>): ListDialogs {
  const invalid: FieldErrors = {};
  const query = deferInvalid(invalid, { conditions: [], sort: { field: 'updated_at', direction: 'desc' }, limit: 0, offset: 0 }, () => parseDialogQuery(params));
  return { query, count: toFlag(params.count) ?? false, invalid };
}

/** `GET /chat/Dialog/{id}/occupants`: `limit` (at most 100) and `skip`. */
export function decodeOccupantsPage(params: Record<string, unknown>): OccupantsPage {
  const invalid: FieldErrors = {};
  const window = deferInvalid(invalid, { limit: 0, skip: 0 }, () => ({ limit: readLimit(params.limit, 100, 100), skip: readSkip(params.skip) }));
  return { ...window, invalid };
}
