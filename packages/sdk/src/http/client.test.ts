import { describe, it, expect } from 'vitest';
import { SessionState } from '../auth/session-state.js';
import { resolveConfig } from '../config.js';
import type { InitConfig } from '../config.js';
import { fakeFetch } from '../testing/fake-fetch.js';
import type { FakeReply } from '../testing/fake-fetch.js';
import { HttpClient } from './client.js';
import type { FetchLike } from './types.js';

const API = 'http://127.0.0.1:8080';

function clientWith(fetch: FetchLike, options: InitConfig = {}) {
  const config = resolveConfig({ appId: 1, authKey: 'k' }, { endpoints: { api_url: API }, fetch, ...options });
  const session = new SessionState();
  session.set({ token: 'TOK' });
  return new HttpClient({ config: () => config, session });
}

function replyOnce(reply: FakeReply) {
  const fake = fakeFetch(() => reply);
  return { fake, client: clientWith(fake.fetch) };
}

describe('HttpClient', () => {
  it('builds the full URL from api_url and sends the token', async () => {
    const { fake, client } = replyOnce({ body: { user: { id: 5 } } });
    await expect(client.request({ method: 'GET', path: 'users/5' })).resolves.toEqual({ user: { id: 5 } });
    expect(fake.calls[0]).toMatchObject({ url: `${API}/users/5.json`, method: 'GET', headers: { 'CB-Token': 'TOK' } });
  });

  it('returns the raw text for text-mode endpoints', async () => {
    const { client } = replyOnce({ text: '' });
    await expect(client.request({ method: 'DELETE', path: 'session', responseMode: 'text' })).resolves.toBe('');
  });

  it('rejects with {code, info} carrying the parsed error body', async () => {
    const { client } = replyOnce({ status: 422, body: { errors: { login: ['has already been taken.'] } } });
    await expect(client.request({ method: 'POST', path: 'users', data: {} })).rejects.toEqual({
      code: 422,
      info: { errors: { login: ['has already been taken.'] } },
    });
  });

  it('parses JSON error bodies of text-mode endpoints too', async () => {
    const { client } = replyOnce({ status: 403, body: { errors: ['Forbidden'] } });
    await expect(client.request({ method: 'DELETE', path: 'users/1', responseMode: 'text' })).rejects.toEqual({
      code: 403,
      info: { errors: ['Forbidden'] },
    });
  });

  it('rejects a 2xx JSON endpoint whose body is not JSON with info " "', async () => {
    const { client } = replyOnce({ text: '' });
    await expect(client.request({ method: 'GET', path: 'session' })).rejects.toEqual({ code: 200, info: ' ' });
  });

  it('reports network failures as code 0', async () => {
    const client = clientWith(() => Promise.reject(new TypeError('fetch failed')));
    await expect(client.request({ method: 'GET', path: 'session' })).rejects.toEqual({
      code: 0,
      info: { errors: { base: ['fetch failed'] } },
    });
  });

  it('abandons requests after `timeout` ms', async () => {
    const hanging: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
    const client = clientWith(hanging, { timeout: 20 });
    await expect(client.request({ method: 'GET', path: 'session' })).rejects.toEqual({
      code: 0,
      info: { errors: { base: ['Request timed out'] } },
    });
  });

  it('calls the global fetch when none is injected', async () => {
    const original = globalThis.fetch;
    const fake = fakeFetch(() => ({ body: { ok: 1 } }));
    globalThis.fetch = fake.fetch as typeof fetch;
    try {
      const config = resolveConfig({ appId: 1 }, { endpoints: { api_url: API } });
      const client = new HttpClient({ config: () => config, session: new SessionState() });
      await expect(client.request({ method: 'GET', path: 'x' })).resolves.toEqual({ ok: 1 });
      expect(fake.calls).toHaveLength(1);
    } finally {
      globalThis.fetch = original;
    }
  });
});
