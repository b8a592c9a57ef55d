import { describe, it, expect } from 'vitest';
import { DomainFailure } from '../shared/failure.js';
import { parseUsersV2Query, V2_MAX_LIMIT } from './query-v2.js';
import type { V2Options } from './query-v2.js';
import type { UserQuery } from '../../ports/store.js';

/** `GET /users/v2` parameters (rest.md §3.3), as qs hands them over. */

const strict: V2Options = { relaxedStartWith: false };
const relaxed: V2Options = { relaxedStartWith: true };

function parse(params: Record<string, unknown>, options: V2Options = strict): UserQuery {
  return parseUsersV2Query(params, options);
}

/** The QUERY_INVALID failure the parameters raise (fails the test if they parse). */
function failure(params: Record<string, unknown>, options: V2Options = strict): DomainFailure {
  try {
    parseUsersV2Query(params, options);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainFailure);
    const domainFailure = error as DomainFailure;
    expect(domainFailure.code).toBe('QUERY_INVALID');
    expect(domainFailure.detail.message).toBe(domainFailure.message);
    return domainFailure;
  }
  throw new Error(`expected ${JSON.stringify(params)} to be rejected`);
}

/** 2023-11-14T22:13:20Z */
const EPOCH_S = 1_700_000_000;
const EPOCH_MS = EPOCH_S * 1000;

describe('parseUsersV2Query: primary filters', () => {
  it('reads a stand-alone field given a value as equality', () => {
    expect(parse({ login: 'adminFirstUser' })).toEqual({ conditions: [{ field: 'login', op: 'eq', value: 'adminFirstUser' }], limit: 100, offset: 0 });
  });

  it('accepts every stand-alone field with eq', () => {
    for (const field of ['login', 'email', 'full_name', 'phone', 'external_id', 'facebook_id', 'twitter_id']) {
      expect(parse({ [field]: 'v' }).conditions, field).toEqual([{ field, op: 'eq', value: 'v' }]);
    }
  });

  it('turns id values into integers, and rejects ids that are not integers', () => {
    expect(parse({ id: '51941' }).conditions).toEqual([{ field: 'id', op: 'eq', value: 51941 }]);
    expect(parse({ id: 51941 }).conditions).toEqual([{ field: 'id', op: 'eq', value: 51941 }]);
    expect(failure({ id: 'abc' }).message).toContain("'abc' is not a user id");
    expect(failure({ id: '1.5' }).message).toContain('not a user id');
    expect(failure({ id: { in: ['1', 'x'] } }).message).toContain("'x' is not a user id");
    expect(failure({ id: '9999999999' }).message).toContain("'9999999999' is not a user id");
  });

  it('reads [in] as a list given as an array or as a comma-separated string', () => {
    const expected = [{ field: 'id', op: 'in', values: [51941, 51946] }];
    expect(parse({ id: { in: ['51941', '51946'] } }).conditions).toEqual(expected);
    expect(parse({ id: { in: '51941,51946' } }).conditions).toEqual(expected);
    expect(parse({ id: { in: '51941, 51946' } }).conditions).toEqual(expected);
    expect(parse({ login: { in: 'a, b' } }).conditions).toEqual([{ field: 'login', op: 'in', values: ['a', 'b'] }]);
    expect(parse({ login: { in: ['a', 'b'] } }).conditions).toEqual([{ field: 'login', op: 'in', values: ['a', 'b'] }]);
  });

  it('parses the SDK example id[in][]=51941&id[in][]=51946&limit=10&offset=50', () => {
    expect(parse({ id: { in: ['51941', '51946'] }, limit: '10', offset: '50' })).toEqual({
      conditions: [{ field: 'id', op: 'in', values: [51941, 51946] }],
      limit: 10,
      offset: 50,
    });
  });

  it('requires a primary filter: nothing, only nin or only dates are rejected', () => {
    const required = /At least one stand-alone field/;
    expect(failure({}).message).toMatch(required);
    expect(failure({ limit: '10', page: '2' }).message).toMatch(required);
    expect(failure({ login: { nin: ['a'] } }).message).toMatch(required);
    expect(failure({ user_tags: { nin: 'vip' } }).message).toMatch(required);
    expect(failure({ created_at: { gt: String(EPOCH_S) } }).message).toMatch(required);
  });

  it('[nin] narrows a query that has a primary filter', () => {
    expect(parse({ login: { start_with: 'abcd' }, id: { nin: '1, 2' } }).conditions).toEqual([
      { field: 'id', op: 'nin', values: [1, 2] },
      { field: 'login', op: 'startsWith', value: 'abcd' },
    ]);
  });

  it('rejects compare operators on stand-alone fields', () => {
    for (const operator of ['gt', 'lt', 'gte', 'lte']) {
      expect(failure({ id: { [operator]: '5' } }).message).toBe(`id is a stand-alone field and cannot be compared with ${operator}`);
    }
  });

  it('rejects unknown operators', () => {
    expect(failure({ login: { like: 'x' } }).message).toBe("login: unknown operator 'like'");
    expect(failure({ login: 'x', user_tags: { all: 'a' } }).message).toBe("user_tags: unknown operator 'all'");
  });

  it('ignores unknown keys such as page', () => {
    expect(parse({ login: 'x', page: '3', foo: 'bar' })).toEqual(parse({ login: 'x' }));
  });
});

describe('parseUsersV2Query: start_with', () => {
  it('takes a prefix of at least 4 characters and forces limit 5', () => {
    expect(parse({ full_name: { start_with: 'John Smith' }, limit: '50' })).toEqual({
      conditions: [{ field: 'full_name', op: 'startsWith', value: 'John Smith' }],
      limit: 5,
      offset: 0,
    });
    expect(parse({ login: { start_with: 'abcd' } }).limit).toBe(5);
  });

  it('rejects a prefix shorter than 4 characters', () => {
    expect(failure({ login: { start_with: 'abc' } }).message).toBe('login[start_with] needs at least 4 characters');
    expect(failure({ login: { start_with: '' } }).message).toBe('login[start_with] needs at least 4 characters');
  });

  it('with the relaxed app setting takes 1+ characters and keeps the requested limit', () => {
    expect(parse({ login: { start_with: 'a' }, limit: '50' }, relaxed)).toEqual({
      conditions: [{ field: 'login', op: 'startsWith', value: 'a' }],
      limit: 50,
      offset: 0,
    });
    expect(parse({ login: { start_with: 'ab' } }, relaxed).limit).toBe(100);
    expect(failure({ login: { start_with: '' } }, relaxed).message).toBe('login[start_with] needs at least 1 character');
  });

  it('rejects a prefix that is not a value', () => {
    expect(failure({ login: { start_with: ['abcd', 'efgh'] } }).message).toBe('login: expected a value');
  });
});

describe('parseUsersV2Query: user_tags', () => {
  it('is a primary filter given as a value, a list or [in]', () => {
    const expected = [{ field: 'tags', op: 'hasAny', values: ['vip', 'accountant'] }];
    expect(parse({ user_tags: 'vip,accountant' }).conditions).toEqual(expected);
    expect(parse({ user_tags: 'vip, accountant' }).conditions).toEqual(expected);
    expect(parse({ user_tags: ['vip', 'accountant'] }).conditions).toEqual(expected);
    expect(parse({ user_tags: { in: ['vip', 'accountant'] } }).conditions).toEqual(expected);
    expect(parse({ user_tags: { in: 'vip, accountant' } }).conditions).toEqual(expected);
  });

  it('[nin] excludes tags, next to a primary filter', () => {
    expect(parse({ login: 'x', user_tags: { nin: ['a', 'b'] } }).conditions).toEqual([
      { field: 'login', op: 'eq', value: 'x' },
      { field: 'tags', op: 'hasNone', values: ['a', 'b'] },
    ]);
  });
});

describe('parseUsersV2Query: additional date fields', () => {
  const asDate = new Date(EPOCH_MS);

  it('compares with gt, lt, gte and lte', () => {
    for (const [operator, op] of [['gt', 'gt'], ['lt', 'lt'], ['gte', 'gte'], ['lte', 'lte']] as const) {
      expect(parse({ login: 'x', created_at: { [operator]: String(EPOCH_S) } }).conditions[1]).toEqual({ field: 'created_at', op, value: EPOCH_MS });
    }
  });

  it('accepts every date field', () => {
    for (const field of ['created_at', 'updated_at', 'last_request_at']) {
      expect(parse({ login: 'x', [field]: { gt: String(EPOCH_S) } }).conditions[1], field).toEqual({ field, op: 'gt', value: EPOCH_MS });
    }
  });

  it('reads unix seconds, ISO 8601 and JS Date.toString() as the same instant', () => {
    for (const value of [String(EPOCH_S), EPOCH_S, '2023-11-14T22:13:20Z', '2023-11-14T22:13:20.000Z', asDate.toISOString(), asDate.toString(), 'Tue Nov 14 2023 22:13:20 GMT+0000 (Coordinated Universal Time)']) {
      expect(parse({ login: 'x', updated_at: { lte: value } }).conditions[1], String(value)).toEqual({ field: 'updated_at', op: 'lte', value: EPOCH_MS });
    }
  });

  it('keeps both ends of a range', () => {
    expect(parse({ login: 'x', created_at: { gt: String(EPOCH_S), lt: '2023-11-14T23:13:20Z' } }).conditions).toEqual([
      { field: 'login', op: 'eq', value: 'x' },
      { field: 'created_at', op: 'gt', value: EPOCH_MS },
      { field: 'created_at', op: 'lt', value: EPOCH_MS + 3_600_000 },
    ]);
  });

  it('rejects a value that is no date', () => {
    expect(failure({ login: 'x', created_at: { gt: 'yesterday-ish' } }).message).toBe("created_at[gt]: 'yesterday-ish' is not a date");
    expect(failure({ login: 'x', created_at: { gt: '' } }).message).toContain('is not a date');
  });

  it('rejects a date field used with a primary operator or alone', () => {
    expect(failure({ login: 'x', created_at: String(EPOCH_S) }).message).toBe('created_at is an additional field: use it with gt, lt, gte or lte');
    expect(failure({ login: 'x', created_at: { in: String(EPOCH_S) } }).message).toBe('created_at: only gt, lt, gte, lte are allowed');
    expect(failure({ login: 'x', updated_at: { start_with: '2023' } }).message).toBe('updated_at: only gt, lt, gte, lte are allowed');
  });
});

describe('parseUsersV2Query: limit, offset and sort', () => {
  it('defaults to limit 100 and offset 0', () => {
    expect(parse({ login: 'x' })).toMatchObject({ limit: 100, offset: 0 });
    expect(parse({ login: 'x', limit: '', offset: '' })).toMatchObject({ limit: 100, offset: 0 });
    expect(V2_MAX_LIMIT).toBe(100);
  });

  it('takes a limit up to 100 and caps larger ones', () => {
    expect(parse({ login: 'x', limit: '1' }).limit).toBe(1);
    expect(parse({ login: 'x', limit: '100' }).limit).toBe(100);
    expect(parse({ login: 'x', limit: '101' }).limit).toBe(100);
    expect(parse({ login: 'x', limit: '5000' }).limit).toBe(100);
  });

  it('rejects a limit below 1 or not an integer', () => {
    expect(failure({ login: 'x', limit: '0' }).message).toBe('limit must be an integer of at least 1');
    expect(failure({ login: 'x', limit: '-5' }).message).toBe('limit must be an integer of at least 1');
    expect(failure({ login: 'x', limit: 'ten' }).message).toBe('limit must be an integer of at least 1');
  });

  it('takes any non-negative offset and rejects others', () => {
    expect(parse({ login: 'x', offset: '250' }).offset).toBe(250);
    expect(failure({ login: 'x', offset: '-1' }).message).toBe('offset must be an integer of at least 0');
    expect(failure({ login: 'x', offset: 'x' }).message).toBe('offset must be an integer of at least 0');
  });

  it('sorts ascending or descending on a user field', () => {
    expect(parse({ login: 'x', sort_asc: 'full_name' }).sort).toEqual({ field: 'full_name', direction: 'asc' });
    expect(parse({ login: 'x', sort_desc: 'created_at' }).sort).toEqual({ field: 'created_at', direction: 'desc' });
    expect(parse({ login: 'x' }).sort).toBeUndefined();
  });

  it('rejects sorting on something that is not a sortable user field', () => {
    expect(failure({ login: 'x', sort_asc: 'password' }).message).toBe("sort_asc: 'password' is not a sortable user field");
    expect(failure({ login: 'x', sort_desc: ['id'] }).message).toBe("sort_desc: 'id' is not a sortable user field");
  });
});
