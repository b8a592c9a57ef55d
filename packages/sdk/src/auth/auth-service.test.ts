import { describe, it, expect } from 'vitest';
import { ConnectyCube } from '../connectycube.js';
import { fakeFetch, replies } from '../testing/fake-fetch.js';
import type { FakeReply } from '../testing/fake-fetch.js';

const API = 'http://127.0.0.1:8080';
const USER = { id: 47592, login: 'ann' };
const SESSION = { id: 1, user_id: 47592, application_id: 7, token: 'TOK1', ts: 1, created_at: '', updated_at: '', user: USER };

function client(...queue: FakeReply[]) {
  const fake = fakeFetch(replies(...queue));
  const cc = new ConnectyCube({ fetch: fake.fetch });
  cc.init({ appId: 7, authKey: 'KEY' }, { endpoints: { api_url: API } });
  return { cc, calls: fake.calls };
}

describe('sessions and login', () => {
  it('createSession posts the credentials and stores the session and user id', async () => {
    const { cc, calls } = client({ status: 201, body: { session: SESSION } }, { body: { user: USER } });
    await expect(cc.createSession({ login: 'ann', password: 'pw123456' })).resolves.toEqual(SESSION);
    expect(calls[0]).toMatchObject({ method: 'POST', url: `${API}/session.json` });
    expect(calls[0]?.headers['CB-Token']).toBeUndefined();
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({
      application_id: 7,
      auth_key: 'KEY',
      user: { login: 'ann', password: 'pw123456' },
    });

    await cc.users.update({ full_name: 'Ann' });
    expect(calls[1]).toMatchObject({ method: 'PUT', url: `${API}/users/47592.json`, headers: { 'CB-Token': 'TOK1' } });
  });

  it('createSession refuses locally without an auth key', async () => {
    const { cc, calls } = client();
    cc.init({ appId: 7, token: 'T' });
    await expect(cc.createSession()).rejects.toThrow('Cannot create a new session without "appId" and "authKey"');
    expect(calls).toHaveLength(0);
  });

  it('getSession returns the server session without replacing the stored one', async () => {
    const { cc, calls } = client({ status: 201, body: { session: SESSION } }, { body: { session: { ...SESSION, token: 'X' } } });
    await cc.createSession();
    await expect(cc.getSession()).resolves.toMatchObject({ token: 'X' });
    expect(calls[1]).toMatchObject({ method: 'GET', url: `${API}/session.json` });
    expect(cc.service.sdkInstance.session?.token).toBe('TOK1');
  });

  it('destroySession deletes the session and forgets the token', async () => {
    const { cc, calls } = client({ status: 201, body: { session: SESSION } }, { text: '' }, { status: 201, body: { user: USER } });
    await cc.createSession();
    await expect(cc.destroySession()).resolves.toBeUndefined();
    expect(calls[1]).toMatchObject({ method: 'DELETE', url: `${API}/session.json`, body: undefined });
    expect(cc.service.sdkInstance.session).toBeNull();

    // With no session left, sign-up falls back to the auth key.
    await cc.users.signup({ login: 'bob', password: 'pw123456' });
    expect(calls[2]?.headers).toMatchObject({ 'CB-AuthKey': 'KEY' });
    expect(calls[2]?.headers['CB-Token']).toBeUndefined();
  });

  it('login posts params unwrapped and remembers the user; logout forgets it', async () => {
    const appSession = { ...SESSION, user_id: null, user: undefined };
    const { cc, calls } = client(
      { status: 201, body: { session: appSession } },
      { body: { user: USER } },
      { text: '' },
      { body: { user: USER } },
    );
    await cc.createSession();
    await expect(cc.auth.login({ email: 'a@b.c', password: 'pw' })).resolves.toEqual(USER);
    expect(calls[1]).toMatchObject({ method: 'POST', url: `${API}/login.json`, body: '{"email":"a@b.c","password":"pw"}' });

    await expect(cc.logout()).resolves.toBe('');
    expect(calls[2]).toMatchObject({ method: 'DELETE', url: `${API}/login.json` });
    await cc.users.update({});
    expect(calls[3]?.url).toBe(`${API}/users.json`);
  });

  it('setSession makes later requests use the given token and user', async () => {
    const { cc, calls } = client({ text: '' });
    cc.setSession({ token: 'EXT', user_id: 9 });
    await cc.users.delete();
    expect(calls[0]).toMatchObject({ method: 'DELETE', url: `${API}/users/9.json`, headers: { 'CB-Token': 'EXT' } });
  });

  it('methods work when detached from the instance', async () => {
    const { cc } = client({ status: 201, body: { session: SESSION } });
    const { createSession } = cc;
    await expect(createSession()).resolves.toEqual(SESSION);
  });
});
