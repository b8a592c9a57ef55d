import { describe, it, expect } from 'vitest';
import { serializeQuery } from '../http/query.js';
import { legacyRoute } from './legacy-lookup.js';

describe('legacyRoute (users.get)', () => {
  it('looks a number up by id with no query', () => {
    expect(legacyRoute(42)).toEqual({ path: '42', query: undefined });
  });

  it.each([
    [{ login: 'ann' }, 'by_login'],
    [{ email: 'a@b.c' }, 'by_email'],
    [{ facebook_id: '100' }, 'by_facebook_id'],
    [{ twitter_id: '200' }, 'by_twitter_id'],
    [{ phone: '+61' }, 'phone'],
    [{ full_name: 'Ann Lee', page: 2 }, 'by_full_name'],
    [{ tags: ['vip', 'a'] }, 'by_tags'],
  ])('routes %j to /users/%s with the params as query', (params, path) => {
    expect(legacyRoute(params)).toEqual({ path, query: params });
  });

  it('puts `external` in the path and sends no query', () => {
    expect(legacyRoute({ external: 'abc' })).toEqual({ path: 'external/abc', query: undefined });
  });

  it('falls back to the list route', () => {
    expect(legacyRoute({ page: 1, per_page: 10 })).toEqual({ path: '', query: { page: 1, per_page: 10 } });
  });

  it('formats filters and order as V1 strings', () => {
    const { query } = legacyRoute({
      filter: [
        { field: 'id', param: 'in', value: [1, 2] },
        { field: 'created_at', param: 'gt', value: '2020-01-01T00:00:00Z' },
        'string login eq ann',
      ],
      order: { sort: 'desc', field: 'created_at' },
    });
    expect(query).toEqual({
      filter: ['number id in 1,2', 'date created_at gt 2020-01-01T00:00:00Z', 'string login eq ann'],
      order: 'desc date created_at',
    });
  });

  it('wraps a single filter in a list, sent as filter[] when it is the first nested key', () => {
    const { query } = legacyRoute({ filter: { field: 'full_name', param: 'eq', value: 'Ann Lee' }, per_page: 5 });
    expect(serializeQuery(query ?? {})).toBe('filter[]=string%20full_name%20eq%20Ann%20Lee&per_page=5');
  });

  it('does not modify the caller’s params', () => {
    const params = { order: { sort: 'asc' as const, field: 'id' } };
    legacyRoute(params);
    expect(params.order).toEqual({ sort: 'asc', field: 'id' });
  });
});
