import { MAX_ID, parseDateInput, toFlag, toInteger, toList } from '@parley/protocol';
import type { UserCondition, UserField, UserQuery } from '../../ports/store.js';
import { DomainFailure } from '../shared/failure.js';
import { readList } from '../shared/lists.js';

/** Deprecated V1 list queries: `page`/`per_page`, `filter[]` and `order` strings (rest.md §3.8). */

const filterFields: readonly UserField[] = [
  'id', 'login', 'email', 'full_name', 'phone', 'website', 'external_id', 'external_user_id',
  'facebook_id', 'twitter_id', 'blob_id', 'timezone', 'created_at', 'updated_at', 'last_request_at',
];
const dateFields: readonly UserField[] = ['created_at', 'updated_at', 'last_request_at'];
const integerFields: readonly UserField[] = ['id', 'external_user_id', 'blob_id', 'timezone'];
const filterTypes = ['number', 'string', 'date', 'boolean'];
const operatorMap = { gt: 'gt', lt: 'lt', ge: 'gte', le: 'lte', eq: 'eq', ne: 'ne' } as const;

export const V1_MAX_PER_PAGE = 100;
const V1_DEFAULT_PER_PAGE = 10;

export interface V1Page {
  page: number;
  perPage: number;
}

function invalid(message: string): DomainFailure {
  return new DomainFailure('QUERY_INVALID', { message });
}

export function parseV1Page(params: Record<string, unknown>): V1Page {
  const page = params.page === undefined ? 1 : toInteger(params.page);
  const perPage = params.per_page === undefined ? V1_DEFAULT_PER_PAGE : toInteger(params.per_page);
  if (page === undefined || page < 1) throw invalid('page must be a positive integer');
  if (perPage === undefined || perPage < 1) throw invalid('per_page must be a positive integer');
  return { page, perPage: Math.min(perPage, V1_MAX_PER_PAGE) };
}

/** A filter value in the field's real type: dates → epoch ms, integer columns → numbers. */
function fieldValue(field: UserField, raw: string): string | number {
  if (dateFields.includes(field)) {
    const epochMs = parseDateInput(raw);
    if (epochMs === undefined) throw invalid(`filter on ${field}: '${raw}' is not a date`);
    return epochMs;
  }
  if (integerFields.includes(field)) {
    const value = toInteger(raw);
    if (value === undefined || Math.abs(value) > MAX_ID) throw invalid(`filter on ${field}: '${raw}' is not an integer of at most ${MAX_ID}`);
    return value;
  }
  return raw;
}

/** One `"<type> <field> <op> <value>"` entry. */
export function parseV1Filter(entry: string): UserCondition {
  const match = /^\s*(\w+)\s+(\w+)\s+(\w+)\s+(.*)$/s.exec(entry);
  if (!match) throw invalid(`filter '${entry}' must be '<type> <field> <operator> <value>'`);
  const [, type = '', field = '', operator = '', rawValue = ''] = match;
  if (!filterTypes.includes(type)) throw invalid(`filter type '${type}' must be one of ${filterTypes.join(', ')}`);
  if (!filterFields.includes(field as UserField)) throw invalid(`filter field '${field}' is not a user field`);
  const userField = field as UserField;
  const value = rawValue.trim();
  if (operator === 'in') return { field: userField, op: 'in', values: readList(value, userField).map((v) => fieldValue(userField, v)) };
  if (operator === 'between') {
    const [low, high, ...rest] = toList(value);
    if (low === undefined || high === undefined || rest.length > 0) throw invalid(`filter on ${field}: between needs two values`);
    return { field: userField, op: 'between', low: fieldValue(userField, low), high: fieldValue(userField, high) };
  }
  const op = operatorMap[operator as keyof typeof operatorMap];
  if (!op) throw invalid(`filter operator '${operator}' must be one of gt, lt, ge, le, eq, ne, between, in`);
  if (type === 'boolean') {
    const flag = toFlag(value);
    if (flag === undefined) throw invalid(`filter on ${field}: '${value}' is not a boolean`);
    return { field: userField, op, value: flag ? 1 : 0 };
  }
  return { field: userField, op, value: fieldValue(userField, value) };
}

/** `"<asc|desc> <type> <field>"`; the type token is ignored (the SDK always sends `string`, [A-38]). */
export function parseV1Order(order: unknown): UserQuery['sort'] {
  if (order === undefined || order === '') return undefined;
  const match = typeof order === 'string' ? /^\s*(asc|desc)\s+\w+\s+(\w+)\s*$/.exec(order) : null;
  if (!match || !filterFields.includes(match[2] as UserField)) {
    throw invalid(`order must be '<asc|desc> <type> <field>' with a user field`);
  }
  return { field: match[2] as UserField, direction: match[1] as 'asc' | 'desc' };
}

/** `GET /users` (V1 list) parameters. */
export function parseUsersV1List(params: Record<string, unknown>): { query: UserQuery; page: V1Page } {
  const page = parseV1Page(params);
  const filters = params.filter === undefined ? [] : Array.isArray(params.filter) ? params.filter : [params.filter];
  const conditions = filters.map((entry) => {
    if (typeof entry !== 'string') throw invalid('filter entries must be strings');
    return parseV1Filter(entry);
  });
  const sort = parseV1Order(params.order);
  return {
    query: { conditions, limit: page.perPage, offset: (page.page - 1) * page.perPage, ...(sort ? { sort } : {}) },
    page,
  };
}
