import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startServer, type TestServer } from '@parley/testkit';

/** Failed logins are limited per application, login and address; successful ones never are. */
describe('login throttling', () => {
  let server: TestServer;
  let offsetMs = 0;

  beforeAll(async () => {
    server = await startServer({ config: { loginMaxFailures: '3', loginFailureWindow: '10m' }, clock: () => Date.now() + offsetMs });
  });
  afterAll(() => server.stop());

  const createSession = (user: Record<string, string>) =>
    rawRequest(server.url, '/session.json', { method: 'POST', body: { application_id: server.app.id, auth_key: server.app.authKey, user } });

  it('answers 429 with Retry-After once a login has too many failures, until the window ends', async () => {
    expect((await createSession({ login: 'throttled', password: 'right-password' })).status).toBe(201);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await createSession({ login: 'throttled', password: 'wrong-password' })).status).toBe(401);
    }
    const blocked = await createSession({ login: 'throttled', password: 'right-password' });
    expect(blocked.status).toBe(429);
    expect(blocked.json).toEqual({ errors: { base: ['Too many failed login attempts, try again later'] } });
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(600);

    expect((await createSession({ login: 'someone-else', password: 'right-password' })).status).toBe(201);

    offsetMs += 10 * 60_000 + 1000;
    expect((await createSession({ login: 'throttled', password: 'right-password' })).status).toBe(201);
  });

  it('never throttles successful logins from one address', async () => {
    for (let index = 0; index < 40; index += 1) {
      expect((await createSession({ login: `busy-${index}`, password: 'right-password' })).status).toBe(201);
      expect((await createSession({ login: `busy-${index}`, password: 'right-password' })).status).toBe(201);
    }
  });
});
