import { newObjectId } from '@parley/protocol';
import type { DataClassRecord, DataRecord } from '../../ports/data-store.js';
import { defaultRecordPermissions, readRecordPermissions } from './permissions.js';
import { coerceValue } from './values.js';

/** Reading new records (rest.md §6.2): declared fields coerced, others dropped, system fields ignored. */

type Errors = Record<string, string[]>;
const addError = (errors: Errors, field: string, message: string) => (errors[field] ??= []).push(message);

/** Most records one multi-create may carry. */
export const MAX_MULTI_RECORDS = 500;

export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{24}$/.test(value);
}

export function readParentId(raw: unknown, prefix: string, errors: Errors): string | null {
  if (raw === undefined || raw === null || raw === '') return null;
  if (isRecordId(raw)) return raw;
  addError(errors, `${prefix}_parent_id`, 'must be a record id');
  return null;
}

/** One record from a create body; errors are named `<prefix><field>` (prefix `record.2.` in multi). */
export function readNewRecord(dataClass: DataClassRecord, userId: number, body: unknown, now: number, errors: Errors, prefix = ''): DataRecord {
  const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (input !== body) addError(errors, prefix === '' ? 'base' : prefix.slice(0, -1), 'must be an object of field values');
  const fields: Record<string, unknown> = {};
  for (const field of dataClass.fields) {
    const raw = input[field.name];
    if (raw === undefined) continue;
    const coerced = coerceValue(field.type, raw);
    if (coerced.ok) fields[field.name] = coerced.value;
    else addError(errors, `${prefix}${field.name}`, coerced.message);
  }
  const permissionErrors: Errors = {};
  const permissions = readRecordPermissions(input.permissions, defaultRecordPermissions, permissionErrors);
  for (const [key, messages] of Object.entries(permissionErrors)) for (const message of messages) addError(errors, `${prefix}${key}`, message);
  return {
    id: newObjectId(now),
    appId: dataClass.appId,
    classId: dataClass.id,
    parentId: readParentId(input._parent_id, prefix, errors),
    userId,
    fields,
    permissions,
    createdAt: now,
    updatedAt: now,
  };
}

/** `{"record":{"1":{…},"2":{…}}}` → entries in numeric key order (the SDK numbers from 1, the docs from 0). */
export function numberedRecords(body: unknown, errors: Errors): [string, unknown][] {
  const record = typeof body === 'object' && body !== null ? (body as { record?: unknown }).record : undefined;
  if (typeof record !== 'object' || record === null) {
    addError(errors, 'record', 'must be an object of numbered records');
    return [];
  }
  const entries = Array.isArray(record) ? record.map((item, index): [string, unknown] => [String(index), item]) : Object.entries(record as Record<string, unknown>);
  const numbered = entries.filter(([key]) => /^\d+$/.test(key));
  if (numbered.length !== entries.length) addError(errors, 'record', 'keys must be numbers');
  if (numbered.length === 0) addError(errors, 'record', 'cannot be blank');
  if (numbered.length > MAX_MULTI_RECORDS) addError(errors, 'record', `at most ${MAX_MULTI_RECORDS} records`);
  return numbered.sort(([a], [b]) => Number(a) - Number(b));
}
