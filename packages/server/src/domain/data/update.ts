import { toInteger } from '@parley/protocol';
import type { ClassField, DataRecord, RecordPermissions } from '../../ports/data-store.js';
import { DomainFailure } from '../shared/failure.js';
import { defaultRecordPermissions, readRecordPermissions } from './permissions.js';
import { arrayItems, coerceValue, isScalar, isStorableText, MAX_ARRAY_ITEMS, toNumber } from './values.js';

/**
 * Record updates (rest.md §6.6): new values for declared fields, and the special operators inc, push,
 * add_to_set, pull (a value, or a filter), pull_with_filter, pull_all, pop and update by index (both
 * the docs' `field:{idx:value}` and the SDK type's `update_by_index`) [A-13]. A body is read once into
 * a plan — every field and value checked against the class — then applied to each record.
 */

type Errors = Record<string, string[]>;
const addError = (errors: Errors, field: string, message: string) => (errors[field] ??= []).push(message);

type Item = string | number | boolean;
type FilterOp = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'nin';

export type UpdateOp =
  | { kind: 'inc'; field: ClassField; by: number }
  | { kind: 'push' | 'add_to_set' | 'pull_all'; field: ClassField; items: Item[] }
  | { kind: 'pull_filter'; field: ClassField; filters: { op: FilterOp; values: Item[] }[] }
  | { kind: 'pop'; field: ClassField; fromEnd: boolean }
  | { kind: 'set_index'; field: ClassField; index: number; value: Item };

export interface UpdatePlan {
  set: Record<string, unknown>;
  parentId?: string | null;
  /** Raw `permissions` input, applied over each record's own. */
  permissions?: unknown;
  ops: UpdateOp[];
}

/** Keys of an update body that are never field values. */
const ignoredKeys = new Set(['id', '_id', 'user_id', 'created_at', 'updated_at', 'search_criteria', 'class_name', 'permissions', '_parent_id']);
const operatorKeys = new Set(['inc', 'push', 'add_to_set', 'pull', 'pull_with_filter', 'pull_all', 'pop', 'update_by_index']);
const filterOps = new Set<FilterOp>(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function readIndexUpdates(field: ClassField, raw: Record<string, unknown>, param: string, errors: Errors, ops: UpdateOp[]): void {
  for (const [key, value] of Object.entries(raw)) {
    const index = toInteger(key);
    if (index === undefined || index < 0 || index >= MAX_ARRAY_ITEMS) addError(errors, `${param}.${key}`, 'must be an array index');
    else if (!isScalar(value) || (typeof value === 'string' && !isStorableText(value))) addError(errors, `${param}.${key}`, 'must be a string, number or boolean');
    else ops.push({ kind: 'set_index', field, index, value });
  }
}

function readPullFilter(field: ClassField, raw: Record<string, unknown>, param: string, errors: Errors): UpdateOp | undefined {
  const filters: { op: FilterOp; values: Item[] }[] = [];
  for (const [op, operand] of Object.entries(raw)) {
    if (!filterOps.has(op as FilterOp)) {
      addError(errors, `${param}.${op}`, `unknown operator '${op}'`);
      continue;
    }
    const values = arrayItems(operand);
    if (!values || values.length === 0) addError(errors, `${param}.${op}`, 'must be a value or a list of values');
    else filters.push({ op: op as FilterOp, values });
  }
  return filters.length > 0 ? { kind: 'pull_filter', field, filters } : undefined;
}

function fieldOf(fields: ClassField[], name: string, param: string, errors: Errors, types: string[]): ClassField | undefined {
  const field = fields.find((candidate) => candidate.name === name);
  if (!field) addError(errors, param, 'is not a field of this class');
  else if (!types.includes(field.type)) addError(errors, param, `works on ${types.join(' or ')} fields`);
  return field && types.includes(field.type) ? field : undefined;
}

/** Reads an update body into a plan; errors collect per parameter (nothing is applied when any exist). */
export function readUpdatePlan(fields: ClassField[], body: Record<string, unknown>, errors: Errors): UpdatePlan {
  const plan: UpdatePlan = { set: {}, ops: [] };
  for (const [key, value] of Object.entries(body)) {
    if (ignoredKeys.has(key) || operatorKeys.has(key)) continue;
    const field = fields.find((candidate) => candidate.name === key);
    if (!field) continue; // undeclared keys are dropped, as on create (rest.md §6.1)
    if (field.type === 'Array' && isObject(value)) {
      readIndexUpdates(field, value, key, errors, plan.ops);
      continue;
    }
    const coerced = coerceValue(field.type, value);
    if (coerced.ok) plan.set[key] = coerced.value;
    else addError(errors, key, coerced.message);
  }
  if (body._parent_id !== undefined) {
    if (body._parent_id === null || body._parent_id === '') plan.parentId = null;
    else if (typeof body._parent_id === 'string' && /^[0-9a-f]{24}$/.test(body._parent_id)) plan.parentId = body._parent_id;
    else addError(errors, '_parent_id', 'must be a record id');
  }
  if (body.permissions !== undefined) {
    readRecordPermissions(body.permissions, defaultRecordPermissions, errors);
    plan.permissions = body.permissions;
  }

  for (const key of operatorKeys) {
    const raw = body[key];
    if (raw === undefined) continue;
    if (!isObject(raw)) {
      addError(errors, key, 'must be an object of field: value');
      continue;
    }
    for (const [name, operand] of Object.entries(raw)) {
      const param = `${key}.${name}`;
      if (key === 'inc') {
        const field = fieldOf(fields, name, param, errors, ['Integer', 'Float']);
        const by = toNumber(operand);
        if (by === undefined || (field?.type === 'Integer' && !Number.isSafeInteger(by))) addError(errors, param, 'must be a number');
        else if (field) plan.ops.push({ kind: 'inc', field, by });
        continue;
      }
      const field = fieldOf(fields, name, param, errors, ['Array']);
      if (!field) continue;
      if (key === 'pop') {
        const end = toInteger(operand);
        if (end !== 1 && end !== -1) addError(errors, param, 'must be 1 (last) or -1 (first)');
        else plan.ops.push({ kind: 'pop', field, fromEnd: end === 1 });
      } else if (key === 'update_by_index') {
        if (isObject(operand)) readIndexUpdates(field, operand, param, errors, plan.ops);
        else addError(errors, param, 'must be an object of index: value');
      } else if ((key === 'pull' && isObject(operand)) || key === 'pull_with_filter') {
        if (!isObject(operand)) addError(errors, param, 'must be an object of operator: value');
        else {
          const op = readPullFilter(field, operand, param, errors);
          if (op) plan.ops.push(op);
        }
      } else {
        const items = arrayItems(operand);
        if (!items || !items.every((item) => typeof item !== 'string' || isStorableText(item))) addError(errors, param, 'must be a value or a list of strings, numbers or booleans');
        else plan.ops.push({ kind: key === 'pull' ? 'pull_all' : (key as 'push' | 'add_to_set' | 'pull_all'), field, items });
      }
    }
  }
  return plan;
}

const text = (item: unknown) => String(item);

function matches(item: Item, filter: { op: FilterOp; values: Item[] }): boolean {
  const [first] = filter.values;
  const number = toNumber(item);
  const limit = toNumber(first);
  switch (filter.op) {
    case 'eq':
      return text(item) === text(first);
    case 'ne':
      return text(item) !== text(first);
    case 'in':
      return filter.values.some((value) => text(value) === text(item));
    case 'nin':
      return !filter.values.some((value) => text(value) === text(item));
    default: {
      if (number === undefined || limit === undefined) return false;
      return filter.op === 'lt' ? number < limit : filter.op === 'lte' ? number <= limit : filter.op === 'gt' ? number > limit : number >= limit;
    }
  }
}

/** A plan applied to one record; throws a 422 when an operator would break the field's type. */
export function applyUpdatePlan(record: DataRecord, plan: UpdatePlan, now: number): DataRecord {
  const fields: Record<string, unknown> = { ...record.fields, ...plan.set };
  for (const op of plan.ops) {
    const name = op.field.name;
    if (op.kind === 'inc') {
      const current = typeof fields[name] === 'number' ? (fields[name] as number) : 0;
      const next = current + op.by;
      if (!Number.isFinite(next) || (op.field.type === 'Integer' && !Number.isSafeInteger(next))) throw new DomainFailure('VALIDATION_FAILED', { fields: { [`inc.${name}`]: ['result out of range'] } });
      fields[name] = next;
      continue;
    }
    const items: Item[] = Array.isArray(fields[name]) ? [...(fields[name] as Item[])] : [];
    switch (op.kind) {
      case 'push':
        items.push(...op.items);
        break;
      case 'add_to_set':
        for (const item of op.items) if (!items.some((existing) => text(existing) === text(item))) items.push(item);
        break;
      case 'pull_all':
        fields[name] = items.filter((item) => !op.items.some((value) => text(value) === text(item)));
        continue;
      case 'pull_filter':
        fields[name] = items.filter((item) => !op.filters.every((filter) => matches(item, filter)));
        continue;
      case 'pop':
        if (op.fromEnd) items.pop();
        else items.shift();
        break;
      case 'set_index':
        if (op.index > items.length) throw new DomainFailure('VALIDATION_FAILED', { fields: { [`${name}.${op.index}`]: ['index is past the end of the array'] } });
        items[op.index] = op.value;
        break;
    }
    if (items.length > MAX_ARRAY_ITEMS) throw new DomainFailure('VALIDATION_FAILED', { fields: { [name]: [`must have at most ${MAX_ARRAY_ITEMS} items`] } });
    fields[name] = items;
  }
  let permissions: RecordPermissions = record.permissions;
  if (plan.permissions !== undefined) {
    const errors: Errors = {};
    permissions = readRecordPermissions(plan.permissions, record.permissions, errors);
    if (Object.keys(errors).length > 0) throw new DomainFailure('VALIDATION_FAILED', { fields: errors });
  }
  return { ...record, fields, permissions, parentId: plan.parentId === undefined ? record.parentId : plan.parentId, updatedAt: now };
}
