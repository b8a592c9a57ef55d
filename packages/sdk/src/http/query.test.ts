import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import OfficialConnectyCube from 'connectycube';
import { serializeQuery } from './query.js';

describe('serializeQuery', () => {
  it('encodes nested keys with literal brackets and sorts the parts', () => {
    expect(serializeQuery({ limit: 10, type: { in: 2 }, a: 'x y' })).toBe('a=x%20y&limit=10&type[in]=2');
  });

  it('encodes keys and values with encodeURIComponent (space → %20, comma → %2C)', () => {
    expect(serializeQuery({ 'a b': 'c,d&e+f' })).toBe('a%20b=c%2Cd%26e%2Bf');
  });

  it('comma-joins nested arrays after sorting them as strings', () => {
    expect(serializeQuery({ type: { in: [3, 2, 10] } })).toBe('type[in]=10%2C2%2C3');
  });

  it('expands a top-level array met before any nested value', () => {
    expect(serializeQuery({ ids: [2, 1], x: { a: 1 } })).toBe('ids[]=1&ids[]=2&x[a]=1');
  });

  it('comma-joins a top-level array met after a nested value', () => {
    expect(serializeQuery({ x: { a: 1 }, ids: [1, 2] })).toBe('ids=1%2C2&x[a]=1');
  });

  it('expands every array when asked (users.getV2)', () => {
    expect(serializeQuery({ id: { in: [51941, 51946] }, limit: 10, offset: 50 }, true)).toBe(
      'id[in][]=51941&id[in][]=51946&limit=10&offset=50',
    );
    expect(serializeQuery({ full_name: { start_with: 'John Smith' } }, true)).toBe('full_name[start_with]=John%20Smith');
  });

  it('leaves empty parts for empty arrays and returns "" for an empty object', () => {
    expect(serializeQuery({})).toBe('');
    expect(serializeQuery({ b: 1, a: [] })).toBe('&b=1');
  });

  it('stringifies scalars the way String() does', () => {
    const date = new Date(Date.UTC(2017, 10, 10));
    expect(serializeQuery({ t: true, n: null, u: undefined })).toBe('n=null&t=true&u=undefined');
    expect(serializeQuery({ d: date })).toBe(`d=${encodeURIComponent(date.toString())}`);
  });

  it('does not reorder the caller’s arrays', () => {
    const list = [3, 1, 2];
    serializeQuery({ x: { a: 1 }, list });
    expect(list).toEqual([3, 1, 2]);
  });

  // The contract is written against the official SDK's output, so use it as an oracle.
  it('matches the official SDK byte for byte on random input', () => {
    OfficialConnectyCube.init({ appId: 1, authKey: 'k' }, { debug: { mode: 0 } });
    const official = OfficialConnectyCube.service;
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(scalar, { maxLength: 4 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    const data = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), value, { maxKeys: 5 });

    fc.assert(
      fc.property(data, fc.boolean(), (input, expand) => {
        const copy = structuredClone(input) as Record<string, unknown>;
        expect(serializeQuery(input, expand)).toBe(official.serializeQueryParams(copy, '', expand, 0));
      }),
      { numRuns: 300 },
    );
  });
});
