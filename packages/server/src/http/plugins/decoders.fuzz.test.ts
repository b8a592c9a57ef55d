import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainFailure } from '../../domain/shared/failure.js';
import { parseUsersV1List } from '../../domain/users/query-v1.js';
import { parseUsersV2Query } from '../../domain/users/query-v2.js';
import { canonicalUrl, parseQuery } from './query.js';

/** Bounded fuzzing of the REST decoders: any input either decodes or fails as a DomainFailure. */
const queryText = fc.array(
  fc.tuple(
    fc.constantFrom('id', 'login', 'full_name', 'user_tags', 'created_at', 'limit', 'offset', 'sort_desc', 'filter', 'order', 'page', 'per_page', '__proto__', 'constructor'),
    fc.array(fc.constantFrom('[in]', '[nin]', '[start_with]', '[gt]', '[]', '[a]', '[0]', ''), { maxLength: 4 }),
    fc.string({ maxLength: 20 }),
  ),
  { maxLength: 12 },
).map((parts) => parts.map(([key, suffix, value]) => `${key}${suffix.join('')}=${encodeURIComponent(value)}`).join('&'));

function expectOnlyDomainFailures(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainFailure);
  }
}

describe('REST decoders under fuzzing', () => {
  it('parse any query string into a plain object without prototype pollution', () => {
    fc.assert(
      fc.property(fc.oneof(queryText, fc.string({ maxLength: 200 })), (text) => {
        const parsed = parseQuery(text);
        expect(typeof parsed).toBe('object');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
      }),
      { numRuns: 500 },
    );
  });

  it('decode users V2 and V1 queries or refuse them as DomainFailure', () => {
    fc.assert(
      fc.property(queryText, (text) => {
        const params = parseQuery(text);
        expectOnlyDomainFailures(() => parseUsersV2Query(params, { relaxedStartWith: false }));
        expectOnlyDomainFailures(() => parseUsersV1List(params));
      }),
      { numRuns: 1000 },
    );
  });

  it('canonicalise any URL: one .json suffix dropped, doubled slashes collapsed, query kept', () => {
    fc.assert(
      fc.property(fc.webPath(), fc.string({ maxLength: 10 }), (path, query) => {
        const url = canonicalUrl(`${path}.json?${query}`);
        expect(url).toBe(`${path.replace(/\/{2,}/g, '/')}?${query}`);
      }),
      { numRuns: 500 },
    );
  });
});
