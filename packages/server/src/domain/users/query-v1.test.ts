import { describe, it, expect } from 'vitest';
import { DomainFailure } from '../shared/failure.js';
import { parseUsersV1List, parseV1Filter, parseV1Order, parseV1Page, V1_MAX_PER_PAGE } from './query-v1.js';

/** Deprecated V1 list parameters (rest.md §3.8): page/per_page, filter[] and order. */

/** The QUERY_INVALID failure `run` raises (fails the test if it returns). */
function failure(run: () => unknown): DomainFailure {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainFailure);
    const domainFailure = error as DomainFailure;
    expect(domainFailure.code).toBe('QUERY_INVALID');
    return domainFailure;
  }
  throw new Error('expected the input to be rejected');
}

/** 2023-11-14T22:13:20Z */
const EPOCH_S = 1_700_000_000;
const EPOCH_MS = EPOCH_S * 1000;

describe('parseV1Page', () => {
  it('defaults to page 1 of 10', () => {
    expect(parseV1Page({})).toEqual({ page: 1, perPage: 10 });
  });

  it('reads page and per_page, capping per_page at 100', () => {
    expect(parseV1Page({ page: '3', per_page: '25' })).toEqual({ page: 3, perPage: 25 });
    expect(parseV1Page({ page: 2, per_page: 100 })).toEqual({ page: 2, perPage: 100 });
    expect(parseV1Page({ per_page: '101' })).toEqual({ page: 1, perPage: 100 });
    expect(V1_MAX_PER_PAGE).toBe(100);
  });

  it('rejects a page or per_page that is not a positive integer', () => {
    expect(failure(() => parseV1Page({ page: '0' })).message).toBe('page must be a positive integer');
    expect(failure(() => parseV1Page({ page: 'first' })).message).toBe('page must be a positive integer');
    expect(failure(() => parseV1Page({ per_page: '0' })).message).toBe('per_page must be a positive integer');
    expect(failure(() => parseV1Page({ per_page: '-10' })).message).toBe('per_page must be a positive integer');
    expect(failure(() => parseV1Page({ per_page: '2.5' })).message).toBe('per_page must be a positive integer');
  });
});

describe('parseV1Filter', () => {
  it('maps every operator: gt lt ge le eq ne', () => {
    const ops = { gt: 'gt', lt: 'lt', ge: 'gte', le: 'lte', eq: 'eq', ne: 'ne' } as const;
    for (const [operator, op] of Object.entries(ops)) {
      expect(parseV1Filter(`string login ${operator} abc`), operator).toEqual({ field: 'login', op, value: 'abc' });
    }
  });

  it('accepts the four types: number, string, date, boolean', () => {
    expect(parseV1Filter('number id eq 42')).toEqual({ field: 'id', op: 'eq', value: 42 });
    expect(parseV1Filter('string full_name eq John Smith')).toEqual({ field: 'full_name', op: 'eq', value: 'John Smith' });
    expect(parseV1Filter(`date created_at gt ${EPOCH_S}`)).toEqual({ field: 'created_at', op: 'gt', value: EPOCH_MS });
    expect(parseV1Filter('boolean blob_id eq true')).toEqual({ field: 'blob_id', op: 'eq', value: 1 });
    expect(parseV1Filter('boolean blob_id ne 0')).toEqual({ field: 'blob_id', op: 'ne', value: 0 });
  });

  it('turns values of integer fields into numbers, and rejects non-integers there', () => {
    for (const field of ['id', 'external_user_id', 'blob_id', 'timezone']) {
      expect(parseV1Filter(`number ${field} ge -5`), field).toEqual({ field, op: 'gte', value: -5 });
    }
    expect(failure(() => parseV1Filter('number id eq abc')).message).toBe("filter on id: 'abc' is not an integer of at most 2147483647");
    expect(failure(() => parseV1Filter('number timezone eq 1.5')).message).toBe("filter on timezone: '1.5' is not an integer of at most 2147483647");
  });

  it('keeps string fields as strings even when they look numeric', () => {
    expect(parseV1Filter('number external_id eq 0042')).toEqual({ field: 'external_id', op: 'eq', value: '0042' });
  });

  it('reads dates as unix seconds, ISO 8601 or JS Date.toString()', () => {
    const asDate = new Date(EPOCH_MS);
    for (const value of [String(EPOCH_S), '2023-11-14T22:13:20Z', asDate.toISOString(), asDate.toString(), 'Tue Nov 14 2023 22:13:20 GMT+0000 (Coordinated Universal Time)']) {
      expect(parseV1Filter(`date updated_at le ${value}`), value).toEqual({ field: 'updated_at', op: 'lte', value: EPOCH_MS });
    }
    expect(parseV1Filter(`date last_request_at gt ${EPOCH_S}`)).toEqual({ field: 'last_request_at', op: 'gt', value: EPOCH_MS });
    expect(failure(() => parseV1Filter('date created_at gt someday')).message).toBe("filter on created_at: 'someday' is not a date");
  });

  it('reads in with a comma-separated list, with or without spaces', () => {
    expect(parseV1Filter('number id in 1,2,3')).toEqual({ field: 'id', op: 'in', values: [1, 2, 3] });
    expect(parseV1Filter('number id in 1, 2, 3')).toEqual({ field: 'id', op: 'in', values: [1, 2, 3] });
    expect(parseV1Filter('string login in ann, bob')).toEqual({ field: 'login', op: 'in', values: ['ann', 'bob'] });
    expect(failure(() => parseV1Filter('number id in 1, two')).message).toBe("filter on id: 'two' is not an integer of at most 2147483647");
    expect(failure(() => parseV1Filter('number id eq 9999999999')).message).toBe("filter on id: '9999999999' is not an integer of at most 2147483647");
  });

  it('reads between with exactly two values', () => {
    expect(parseV1Filter(`date created_at between ${EPOCH_S}, ${EPOCH_S + 3600}`)).toEqual({
      field: 'created_at',
      op: 'between',
      low: EPOCH_MS,
      high: EPOCH_MS + 3_600_000,
    });
    expect(parseV1Filter('number id between 10,20')).toEqual({ field: 'id', op: 'between', low: 10, high: 20 });
    expect(failure(() => parseV1Filter('number id between 10')).message).toBe('filter on id: between needs two values');
    expect(failure(() => parseV1Filter('number id between 1,2,3')).message).toBe('filter on id: between needs two values');
  });

  it('trims surrounding spaces', () => {
    expect(parseV1Filter('  string login eq ann  ')).toEqual({ field: 'login', op: 'eq', value: 'ann' });
  });

  it('rejects an entry that is not "<type> <field> <operator> <value>"', () => {
    expect(failure(() => parseV1Filter('login eq ann')).message).toBe("filter 'login eq ann' must be '<type> <field> <operator> <value>'");
    expect(failure(() => parseV1Filter('')).message).toContain('must be');
  });

  it('rejects an unknown type, field or operator', () => {
    expect(failure(() => parseV1Filter('text login eq ann')).message).toBe("filter type 'text' must be one of number, string, date, boolean");
    expect(failure(() => parseV1Filter('string password eq secret')).message).toBe("filter field 'password' is not a user field");
    expect(failure(() => parseV1Filter('string login like ann')).message).toBe(
      "filter operator 'like' must be one of gt, lt, ge, le, eq, ne, between, in",
    );
    expect(failure(() => parseV1Filter('string login gte ann')).message).toContain("filter operator 'gte'");
  });

  it('rejects a boolean filter whose value is no flag', () => {
    expect(failure(() => parseV1Filter('boolean blob_id eq maybe')).message).toBe("filter on blob_id: 'maybe' is not a boolean");
  });
});

describe('parseV1Order', () => {
  it('reads "<asc|desc> <type> <field>", ignoring the type token', () => {
    expect(parseV1Order('asc string created_at')).toEqual({ field: 'created_at', direction: 'asc' });
    expect(parseV1Order('desc string id')).toEqual({ field: 'id', direction: 'desc' });
    expect(parseV1Order('desc number full_name')).toEqual({ field: 'full_name', direction: 'desc' });
  });

  it('is absent when not given', () => {
    expect(parseV1Order(undefined)).toBeUndefined();
    expect(parseV1Order('')).toBeUndefined();
  });

  it('rejects a malformed order or one on an unknown field', () => {
    const message = "order must be '<asc|desc> <type> <field>' with a user field";
    expect(failure(() => parseV1Order('up string id')).message).toBe(message);
    expect(failure(() => parseV1Order('asc id')).message).toBe(message);
    expect(failure(() => parseV1Order('asc string password')).message).toBe(message);
    expect(failure(() => parseV1Order(['asc string id'])).message).toBe(message);
  });
});

describe('parseUsersV1List', () => {
  it('defaults to every user, 10 per page, first page', () => {
    expect(parseUsersV1List({})).toEqual({ query: { conditions: [], limit: 10, offset: 0 }, page: { page: 1, perPage: 10 } });
  });

  it('turns page and per_page into limit and offset', () => {
    expect(parseUsersV1List({ page: '3', per_page: '20' }).query).toEqual({ conditions: [], limit: 20, offset: 40 });
    expect(parseUsersV1List({ page: '2', per_page: '500' })).toEqual({ query: { conditions: [], limit: 100, offset: 100 }, page: { page: 2, perPage: 100 } });
  });

  it('takes filter as one string or as a list, and the order', () => {
    expect(parseUsersV1List({ filter: 'string login eq ann' }).query.conditions).toEqual([{ field: 'login', op: 'eq', value: 'ann' }]);
    expect(parseUsersV1List({ filter: ['number id gt 5', `date created_at lt ${EPOCH_S}`], order: 'desc string created_at' }).query).toEqual({
      conditions: [
        { field: 'id', op: 'gt', value: 5 },
        { field: 'created_at', op: 'lt', value: EPOCH_MS },
      ],
      sort: { field: 'created_at', direction: 'desc' },
      limit: 10,
      offset: 0,
    });
  });

  it('rejects filter entries that are not strings, or bad entries among good ones', () => {
    expect(failure(() => parseUsersV1List({ filter: [{ a: 1 }] })).message).toBe('filter entries must be strings');
    expect(failure(() => parseUsersV1List({ filter: ['number id gt 5', 'nonsense'] })).message).toContain("filter 'nonsense'");
    expect(failure(() => parseUsersV1List({ per_page: '0' })).message).toBe('per_page must be a positive integer');
    expect(failure(() => parseUsersV1List({ order: 'sideways string id' })).message).toContain('order must be');
  });
});
