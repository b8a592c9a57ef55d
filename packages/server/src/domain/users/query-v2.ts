import { MAX_ID, parseDateInput, toInteger } from '@parley/protocol';
import type { UserCondition, UserField, UserQuery } from '../../ports/store.js';
import { DomainFailure } from '../shared/failure.js';
import { readList } from '../shared/lists.js';

/** Fields a V2 query may filter on by themselves (rest.md §3.3). */
const standAloneFields = ['id', 'login', 'email', 'full_name', 'phone', 'external_id', 'facebook_id', 'twitter_id'] as const;
/** Fields that only narrow a query that already has a primary filter. */
const additionalDateFields = ['last_request_at', 'created_at', 'updated_at'] as const;
const sortableFields: readonly UserField[] = [...standAloneFields, ...additionalDateFields, 'website', 'timezone'];

const compareOperators = { gt: 'gt', lt: 'lt', gte: 'gte', lte: 'lte' } as const;

export const V2_MAX_LIMIT = 100;
const START_WITH_MIN = 4;
const START_WITH_LIMIT = 5;

export interface V2Options {
  relaxedStartWith: boolean;
}

function invalid(message: string): DomainFailure {
  return new DomainFailure('QUERY_INVALID', { message });
}

function scalar(value: unknown, field: string): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw invalid(`${field}: expected a value`);
}

function typedValue(field: UserField, raw: string): string | number {
  if (field !== 'id') return raw;
  const id = toInteger(raw);
  if (id === undefined || Math.abs(id) > MAX_ID) throw invalid(`id: '${raw}' is not a user id`);
  return id;
}

/** Parses `GET /users/v2` parameters into a store query, enforcing the docs' validity rules. */
export function parseUsersV2Query(params: Record<string, unknown>, options: V2Options): UserQuery {
  const conditions: UserCondition[] = [];
  let hasPrimary = false;
  let forcedLimit: number | undefined;

  for (const field of standAloneFields) {
    const value = params[field];
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      conditions.push({ field, op: 'eq', value: typedValue(field, scalar(value, field)) });
      hasPrimary = true;
      continue;
    }
    for (const [operator, operand] of Object.entries(value as Record<string, unknown>)) {
      if (operator === 'in' || operator === 'nin') {
        const values = readList(operand, field).map((item) => typedValue(field, item));
        conditions.push({ field, op: operator, values });
        if (operator === 'in') hasPrimary = true;
      } else if (operator === 'start_with') {
        const prefix = scalar(operand, field);
        if (!options.relaxedStartWith && prefix.length < START_WITH_MIN) {
          throw invalid(`${field}[start_with] needs at least ${START_WITH_MIN} characters`);
        }
        if (prefix.length === 0) throw invalid(`${field}[start_with] needs at least 1 character`);
        conditions.push({ field, op: 'startsWith', value: prefix });
        hasPrimary = true;
        if (!options.relaxedStartWith) forcedLimit = START_WITH_LIMIT;
      } else if (operator in compareOperators) {
        throw invalid(`${field} is a stand-alone field and cannot be compared with ${operator}`);
      } else {
        throw invalid(`${field}: unknown operator '${operator}'`);
      }
    }
  }

  const tags = params.user_tags;
  if (tags !== undefined) {
    if (typeof tags === 'object' && tags !== null && !Array.isArray(tags)) {
      for (const [operator, operand] of Object.entries(tags as Record<string, unknown>)) {
        if (operator === 'in') conditions.push({ field: 'tags', op: 'hasAny', values: readList(operand, 'tags') });
        else if (operator === 'nin') conditions.push({ field: 'tags', op: 'hasNone', values: readList(operand, 'tags') });
        else throw invalid(`user_tags: unknown operator '${operator}'`);
        if (operator === 'in') hasPrimary = true;
      }
    } else {
      conditions.push({ field: 'tags', op: 'hasAny', values: readList(tags, 'tags') });
      hasPrimary = true;
    }
  }

  for (const field of additionalDateFields) {
    const value = params[field];
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalid(`${field} is an additional field: use it with gt, lt, gte or lte`);
    }
    for (const [operator, operand] of Object.entries(value as Record<string, unknown>)) {
      const op = compareOperators[operator as keyof typeof compareOperators];
      if (!op) throw invalid(`${field}: only gt, lt, gte, lte are allowed`);
      const epochMs = parseDateInput(operand);
      if (epochMs === undefined) throw invalid(`${field}[${operator}]: '${String(operand)}' is not a date`);
      conditions.push({ field, op, value: epochMs });
    }
  }

  if (!hasPrimary) {
    throw invalid('At least one stand-alone field (id, login, email, full_name, phone, external_id, facebook_id, twitter_id, user_tags) with eq, in or start_with is required');
  }

  const limit = Math.min(forcedLimit ?? clampedInteger(params.limit, 'limit', V2_MAX_LIMIT, V2_MAX_LIMIT, 1), V2_MAX_LIMIT);
  const offset = clampedInteger(params.offset, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
  return { conditions, limit, offset, ...sortOf(params) };
}

function clampedInteger(value: unknown, name: string, fallback: number, max: number, min: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = toInteger(value);
  if (parsed === undefined || parsed < min) throw invalid(`${name} must be an integer of at least ${min}`);
  return Math.min(parsed, max);
}

function sortOf(params: Record<string, unknown>): Pick<UserQuery, 'sort'> {
  for (const direction of ['asc', 'desc'] as const) {
    const field = params[`sort_${direction}`];
    if (field === undefined) continue;
    if (typeof field !== 'string' || !sortableFields.includes(field as UserField)) {
      throw invalid(`sort_${direction}: '${String(field)}' is not a sortable user field`);
    }
    return { sort: { field: field as UserField, direction } };
  }
  return {};
}
