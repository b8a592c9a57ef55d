import { describe, it, expect, vi } from 'vitest';
import { ConnectyCube } from '../connectycube.js';
import type { SessionExpiredListener } from '../config.js';
import { fakeFetch, replies } from '../testing/fake-fetch.js';
import type { FakeReply } from '../testing/fake-fetch.js';

const API = 'http://127.0.0.1:8080';
const EXPIRED: FakeReply = { status: 401, body: { errors: { base: ['Required session does not exist'] } } };
const NEW_SESSION = { id: 2, user_id: 7, application_id: 1, token: 'NEW', ts: 1, created_at: '', updated_at: '' };

function setup(listener: SessionExpiredListener | undefined, ...queue: FakeReply[]) {
  const fake = fakeFetch(replies(...queue));
  const cc = new ConnectyCube({ fetch: fake.fetch });
  cc.init({ appId: 1, authKey: 'key', token: 'OLD' }, { endpoints: { api_url: API }, on: { sessionExpired: listener } });
  return { cc, fake };
}

describe('on.sessionExpired', () => {
  it('lets the app renew the session and replays the request with the new token', async () => {
    const { cc, fake } = setup(
      (_handleResponse, retry) => {
        void cc.createSession({ login: 'ann', password: 'pw123456' }).then(retry);
      },
      EXPIRED,
      { status: 201, body: { session: NEW_SESSION } },
      { body: { users: [] } },
    );

    await expect(cc.users.listOnline()).resolves.toEqual({ users: [] });
    expect(fake.calls.map((c) => `${c.method} ${c.url.slice(API.length)} ${c.headers['CB-Token']}`)).toEqual([
      'GET /users/online.json? OLD',
      'POST /session.json OLD', // the stale token is still set while renewing; the server ignores it
      'GET /users/online.json? NEW',
    ]);
    expect(cc.service.sdkInstance.session?.token).toBe('NEW');
  });

  it('stores the session passed to retry, including its user id', async () => {
    const { cc, fake } = setup((_h, retry) => retry(NEW_SESSION), EXPIRED, { body: { users: [] } }, { body: { user: {} } });
    await cc.users.listOnline();
    await cc.users.update({ full_name: 'Ann' });
    expect(fake.calls[2]).toMatchObject({ method: 'PUT', url: `${API}/users/7.json`, headers: { 'CB-Token': 'NEW' } });
  });

  it('rejects with the original error when the app calls handleResponse', async () => {
    const { cc } = setup((handleResponse) => handleResponse(), EXPIRED);
    await expect(cc.users.getOnlineCount()).rejects.toEqual({ code: 401, info: EXPIRED.body });
  });

  it('rejects with the original error when an async listener fails', async () => {
    const { cc } = setup(() => Promise.reject(new Error('cannot renew')), EXPIRED);
    await expect(cc.users.getOnlineCount()).rejects.toEqual({ code: 401, info: EXPIRED.body });
  });

  it('is not used for /session requests', async () => {
    const listener = vi.fn<SessionExpiredListener>();
    const { cc } = setup(listener, EXPIRED);
    await expect(cc.getSession()).rejects.toEqual({ code: 401, info: EXPIRED.body });
    expect(listener).not.toHaveBeenCalled();
  });

  it('is not used for other 401s or other statuses', async () => {
    const listener = vi.fn<SessionExpiredListener>();
    const { cc } = setup(
      listener,
      { status: 401, body: { errors: { base: ['Token is required'] } } },
      { status: 403, body: { errors: { base: ['Required session does not exist'] } } },
      { status: 401, body: { errors: ['Required session does not exist'] } },
    );
    await expect(cc.users.listOnline()).rejects.toMatchObject({ code: 401 });
    await expect(cc.users.listOnline()).rejects.toMatchObject({ code: 403 });
    await expect(cc.users.listOnline()).rejects.toMatchObject({ code: 401 });
    expect(listener).not.toHaveBeenCalled();
  });

  it('rejects normally when no listener is configured', async () => {
    const { cc } = setup(undefined, EXPIRED);
    await expect(cc.users.listOnline()).rejects.toEqual({ code: 401, info: EXPIRED.body });
  });

  it('runs the flow again if the replay also meets an expired session', async () => {
    let calls = 0;
    const { cc } = setup(
      (handleResponse, retry) => {
        calls += 1;
        if (calls === 1) retry(NEW_SESSION);
        else handleResponse();
      },
      EXPIRED,
      EXPIRED,
    );
    await expect(cc.users.listOnline()).rejects.toMatchObject({ code: 401 });
    expect(calls).toBe(2);
  });
});
