import { toId } from '@parley/protocol';
import { isStorableText } from './values.js';
import type { Access, AccessRule, ClassPermissions, DataClassRecord, PermissionLevel, RecordAction, RecordPermissions, RecordScope } from '../../ports/data-store.js';
import { readList } from '../shared/lists.js';

/**
 * Custom-object permissions (rest.md §6.1): the class scheme (per action: a rule, and for
 * read/update/delete whether the class rule or each record's own rule applies) and record rules.
 * Record rules are sent as `ids`/`groups` (docs), `user_ids`/`user_groups` (SDK type) or
 * `users_ids`/`users_groups` (docs' responses) [A-12]; they are returned with the last spelling.
 */

export const recordAccessValues: readonly Access[] = ['open', 'owner', 'open_for_users_ids', 'open_for_groups'];
export const classAccessValues: readonly Access[] = ['open', 'owner', 'not_allowed', 'open_for_users_ids', 'open_for_groups'];

export const defaultRecordPermissions: RecordPermissions = {
  read: { access: 'open', userIds: [], groups: [] },
  update: { access: 'owner', userIds: [], groups: [] },
  delete: { access: 'owner', userIds: [], groups: [] },
};

export const defaultClassPermissions: ClassPermissions = {
  create: { access: 'open', userIds: [], groups: [] },
  read: { access: 'open', userIds: [], groups: [], level: 'record' },
  update: { access: 'owner', userIds: [], groups: [], level: 'record' },
  delete: { access: 'owner', userIds: [], groups: [], level: 'record' },
};

type Errors = Record<string, string[]>;
const addError = (errors: Errors, field: string, message: string) => (errors[field] ??= []).push(message);

/** One rule from its wire object; errors are named `<prefix>.<key>`. */
export function readRule(raw: unknown, allowed: readonly Access[], prefix: string, errors: Errors): AccessRule | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    addError(errors, prefix, 'must be an object with an access value');
    return undefined;
  }
  const input = raw as Record<string, unknown>;
  const access = input.access;
  if (typeof access !== 'string' || !allowed.includes(access as Access)) {
    addError(errors, `${prefix}.access`, `must be one of ${allowed.join(', ')}`);
    return undefined;
  }
  const rawIds = input.ids ?? input.user_ids ?? input.users_ids;
  const rawGroups = input.groups ?? input.user_groups ?? input.users_groups;
  const ids = new Set<number>();
  for (const item of readList(rawIds, `${prefix}.ids`)) {
    const id = toId(item);
    if (id === undefined) addError(errors, `${prefix}.ids`, 'must be user ids');
    else ids.add(id);
  }
  const userIds = [...ids];
  const groups = [...new Set(readList(rawGroups, `${prefix}.groups`))];
  if (groups.some((group) => group.length > 100 || !isStorableText(group))) addError(errors, `${prefix}.groups`, 'must be text of at most 100 characters each');
  if (access === 'open_for_users_ids' && userIds.length === 0) addError(errors, `${prefix}.ids`, 'cannot be blank');
  if (access === 'open_for_groups' && groups.length === 0) addError(errors, `${prefix}.groups`, 'cannot be blank');
  return {
    access: access as Access,
    userIds: access === 'open_for_users_ids' ? userIds : [],
    groups: access === 'open_for_groups' ? groups : [],
  };
}

/** A record's `permissions` input over the defaults (or over `base` on update). */
export function readRecordPermissions(raw: unknown, base: RecordPermissions, errors: Errors): RecordPermissions {
  if (raw === undefined || raw === null) return base;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    addError(errors, 'permissions', 'must be an object');
    return base;
  }
  const input = raw as Record<string, unknown>;
  const result = { ...base };
  for (const action of ['read', 'update', 'delete'] as const) {
    if (input[action] === undefined) continue;
    const rule = readRule(input[action], recordAccessValues, `permissions.${action}`, errors);
    if (rule) result[action] = rule;
  }
  return result;
}

/** A class scheme from the admin API / CLI: `{create:{access}, read:{access, level}, …}` over the defaults. */
export function readClassPermissions(raw: unknown, errors: Errors): ClassPermissions {
  if (raw === undefined || raw === null) return defaultClassPermissions;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    addError(errors, 'permissions', 'must be an object');
    return defaultClassPermissions;
  }
  const input = raw as Record<string, unknown>;
  const result: ClassPermissions = { ...defaultClassPermissions };
  if (input.create !== undefined) {
    const rule = readRule(input.create, classAccessValues.filter((access) => access !== 'owner'), 'permissions.create', errors);
    if (rule) result.create = rule;
  }
  for (const action of ['read', 'update', 'delete'] as const) {
    const value = input[action];
    if (value === undefined) continue;
    const rule = readRule(value, classAccessValues, `permissions.${action}`, errors);
    const level = (value as { level?: unknown }).level ?? defaultClassPermissions[action].level;
    if (level !== 'class' && level !== 'record') addError(errors, `permissions.${action}.level`, 'must be class or record');
    if (rule && rule.access === 'not_allowed' && level === 'record') addError(errors, `permissions.${action}.level`, 'not_allowed is a class-level rule');
    if (rule) result[action] = { ...rule, level: level as PermissionLevel };
  }
  return result;
}

/** Whether a user (with their tags) passes a rule evaluated without a record (class level). */
function passes(rule: AccessRule, userId: number | null, groups: string[]): boolean {
  switch (rule.access) {
    case 'open':
      return true;
    case 'open_for_users_ids':
      return userId !== null && rule.userIds.includes(userId);
    case 'open_for_groups':
      return userId !== null && rule.groups.some((group) => groups.includes(group));
    default:
      return false;
  }
}

export function mayCreate(permissions: ClassPermissions, userId: number, groups: string[]): boolean {
  return passes(permissions.create, userId, groups);
}

/** Which records `action` may touch for this caller, as the store applies it in SQL. */
export function scopeFor(dataClass: DataClassRecord, action: RecordAction, userId: number | null, groups: string[]): RecordScope {
  const rule = dataClass.permissions[action];
  if (rule.level === 'record') return { kind: 'recordRule', action, userId: userId ?? 0, groups: userId === null ? [] : groups };
  if (rule.access === 'owner') return userId === null ? { kind: 'none' } : { kind: 'owner', userId };
  return passes(rule, userId, groups) ? { kind: 'all' } : { kind: 'none' };
}
