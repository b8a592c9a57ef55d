import { describe, it, expect } from 'vitest';
import { SDK_HEADER, buildRequest } from './request.js';
import { apiBase, apiUrl, routePath } from './url.js';

const BASE = 'http://127.0.0.1:8080';

describe('URL building', () => {
  it('uses api_url verbatim, else https:// + api host', () => {
    expect(apiBase({ api: 'api.example.com', api_url: 'https://x.example/api' })).toBe('https://x.example/api');
    expect(apiBase({ api: 'api.example.com' })).toBe('https://api.example.com');
  });

  it('appends .json after ids and drops empty parts', () => {
    expect(apiUrl(BASE, routePath('users', 42))).toBe(`${BASE}/users/42.json`);
    expect(apiUrl(BASE, routePath('users', undefined))).toBe(`${BASE}/users.json`);
    expect(apiUrl(BASE, routePath('users', 'password', 'reset'))).toBe(`${BASE}/users/password/reset.json`);
    expect(routePath('chat/Dialog', 'a1,b2')).toBe('chat/Dialog/a1,b2');
  });
});

describe('buildRequest', () => {
  it('sends POST data as JSON with the JSON content type', () => {
    const { url, init } = buildRequest({ method: 'POST', path: 'users', data: { user: { login: 'ann', x: undefined } } }, BASE, 'TOK');
    expect(url).toBe(`${BASE}/users.json`);
    expect(init).toEqual({
      method: 'POST',
      headers: { 'Content-Type': 'application/json;charset=utf-8', 'CB-SDK': SDK_HEADER, 'CB-Token': 'TOK' },
      body: '{"user":{"login":"ann"}}',
    });
  });

  it('puts GET data in the query string, even an empty object (bare ?)', () => {
    expect(buildRequest({ method: 'GET', path: 'users/online', data: { limit: 5 } }, BASE, 'T').url).toBe(
      `${BASE}/users/online.json?limit=5`,
    );
    expect(buildRequest({ method: 'GET', path: 'users/online', data: {} }, BASE, 'T').url).toBe(`${BASE}/users/online.json?`);
    expect(buildRequest({ method: 'GET', path: 'session' }, BASE, 'T').url).toBe(`${BASE}/session.json`);
  });

  it('expands arrays on request (users.getV2)', () => {
    const { url } = buildRequest({ method: 'GET', path: 'users/v2', data: { id: { in: [1, 2] } }, expandArrays: true }, BASE, 'T');
    expect(url).toBe(`${BASE}/users/v2.json?id[in][]=1&id[in][]=2`);
  });

  it('sends DELETE data as an urlencoded body and GET/DELETE with the form content type', () => {
    const { url, init } = buildRequest({ method: 'DELETE', path: 'chat/Dialog/abc', data: { force: 1 } }, BASE, 'T');
    expect(url).toBe(`${BASE}/chat/Dialog/abc.json`);
    expect(init.body).toBe('force=1');
    expect(init.headers['Content-Type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
    const bare = buildRequest({ method: 'DELETE', path: 'session' }, BASE, 'T').init;
    expect(bare.body).toBeUndefined();
    expect(bare.headers['Content-Type']).toBe('application/x-www-form-urlencoded; charset=UTF-8');
  });

  it('sends CB-AuthKey only when there is no token', () => {
    const withoutToken = buildRequest({ method: 'POST', path: 'users', data: {}, authKey: 'KEY' }, BASE, undefined);
    expect(withoutToken.init.headers['CB-AuthKey']).toBe('KEY');
    expect(withoutToken.init.headers['CB-Token']).toBeUndefined();
    const withToken = buildRequest({ method: 'POST', path: 'users', data: {}, authKey: 'KEY' }, BASE, 'TOK');
    expect(withToken.init.headers['CB-Token']).toBe('TOK');
    expect(withToken.init.headers['CB-AuthKey']).toBeUndefined();
  });

  it('sends no CB-* headers to S3 URLs', () => {
    const { init } = buildRequest({ method: 'GET', path: 'x' }, 'https://bucket.s3.amazonaws.com', 'TOK');
    expect(init.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' });
  });
});

describe('buildRequest against the official SDK', () => {
  // The server contract is written against the official SDK's requests: use it as an oracle.
  it('produces the same URL, method, headers and body', async () => {
    const { default: official } = await import('connectycube');
    official.init({ appId: 1, authKey: 'k' }, { debug: { mode: 0 } });
    const cases: Array<{ method: 'GET' | 'POST' | 'PUT' | 'DELETE'; data?: object; expandArrays?: boolean; authKey?: string; token?: string }> = [
      { method: 'GET' },
      { method: 'GET', data: {}, token: 'T' },
      { method: 'GET', data: { id: { in: [2, 1] }, login: 'a b' }, expandArrays: true, token: 'T' },
      { method: 'GET', data: { tags: ['b', 'a'], page: 1 }, token: 'T' },
      { method: 'POST', data: { user: { login: 'x', password: 'y' } }, authKey: 'KEY' },
      { method: 'POST', data: { user: { login: 'x' } }, authKey: 'KEY', token: 'T' },
      { method: 'POST', token: 'T' },
      { method: 'PUT', data: { user: { full_name: 'A' } }, token: 'T' },
      { method: 'DELETE', token: 'T' },
      { method: 'DELETE', data: { force: 1 }, token: 'T' },
    ];

    for (const { method, data, expandArrays, authKey, token } of cases) {
      official.service.setSession(token ? { token } : null);
      const [theirs, theirUrl] = official.service.buildRequestAndURL({
        url: `${BASE}/x.json`,
        type: method as never,
        data: data === undefined ? undefined : structuredClone(data),
        useArrayQuery: expandArrays,
        authKey,
      });
      const ours = buildRequest({ method, path: 'x', data, expandArrays, authKey }, BASE, token);
      expect(ours.url).toBe(theirUrl);
      expect({ body: undefined, ...ours.init }).toEqual({ body: undefined, ...theirs });
    }
  });
});
