import { startServer, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initAgainst, officialSdk, rejection } from '../scenarios/sdk.js';

/**
 * Locking down sign-up, as a newcomer does it with the admin API and sees it with the official SDK:
 * while `denySessionWithoutUser` is on, createSession({login, password}) of an unknown login is refused
 * and creates nobody; known users still sign in.
 */
describe('app settings with the official SDK', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ config: { adminToken: 'settings-admin-token' } });
  });
  afterAll(() => server.stop());

  const setDeny = async (value: boolean) => {
    const response = await fetch(`${server.url}/admin/apps/${server.app.id}/settings`, {
      method: 'PATCH',
      headers: { Authorization: 'Bearer settings-admin-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ denySessionWithoutUser: value }),
    });
    expect(response.status).toBe(200);
  };

  it('denySessionWithoutUser refuses createSession for an unknown login and creates nobody', async () => {
    const cube = initAgainst(officialSdk.create(), server.url, server.app);
    // Default: an unknown login signs up on the fly (the documented cloud default).
    const walkIn = await cube.createSession({ login: 'walk-in-user', password: 'password123' });
    expect(walkIn.user_id).toEqual(expect.any(Number));

    await setDeny(true);
    const refused = await rejection(initAgainst(officialSdk.create(), server.url, server.app).createSession({ login: 'uninvited', password: 'password123' }));
    expect(refused.code).toBe(401);
    const { users } = await server.server.services.userAdmin.search(server.app.id, { login: 'uninvited', limit: 10, offset: 0 });
    expect(users).toEqual([]);
    const known = await initAgainst(officialSdk.create(), server.url, server.app).createSession({ login: 'walk-in-user', password: 'password123' });
    expect(known.user_id).toBe(walkIn.user_id);

    await setDeny(false);
    const reopened = await initAgainst(officialSdk.create(), server.url, server.app).createSession({ login: 'uninvited', password: 'password123' });
    expect(reopened.user_id).toEqual(expect.any(Number));
  });
});
