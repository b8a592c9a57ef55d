import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';

/**
 * `GET /calls/turn_credentials.json` (rest.md §10.2) on the real server with an external TURN configured:
 * credentials expire `ttl` after issue (server clock), the password is the HMAC coturn checks, and only a
 * user session gets them, naming its own user (a session is bound to its own application and user).
 */
describe('TURN credentials route', () => {
  let server: TestServer;
  let now = Date.UTC(2026, 0, 1);
  const secret = 'calls-turn-secret';
  const urls = 'stun:127.0.0.1:3478,turn:127.0.0.1:3478?transport=udp';

  beforeAll(async () => {
    server = await startServer({ clock: () => now, config: { turn: 'external', turnUrls: urls, turnSecret: secret, turnCredentialTtl: '10m' } });
  });
  afterAll(async () => {
    await server.stop();
  });

  async function user(appId = server.app.id) {
    const login = `turn${Math.random().toString(36).slice(2, 10)}`;
    const created = await server.server.services.users.signup(appId, { login, password: 'secret-pwd' });
    return { id: created.id, login, password: 'secret-pwd' };
  }

  it('issues expiry:userId with the HMAC-SHA1 password, expiring ttl seconds after issue', async () => {
    const alice = await user();
    const token = await sessionToken(server.url, server.app, alice);
    const first = await rawRequest(server.url, '/calls/turn_credentials.json', { token });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const body = first.json as { username: string; password: string; ttl: number; uris: string[]; iceServers: { urls: string[]; username?: string; credential?: string }[] };
    expect(body.username).toBe(`${now / 1000 + 600}:${alice.id}`);
    expect(body.password).toBe(createHmac('sha1', secret).update(body.username).digest('base64'));
    expect(body.ttl).toBe(600);
    expect(body.uris).toEqual(urls.split(','));
    expect(body.iceServers).toEqual([
      { urls: ['stun:127.0.0.1:3478'] },
      { urls: ['turn:127.0.0.1:3478?transport=udp'], username: body.username, credential: body.password },
    ]);
    now += 5 * 60_000;
    const later = (await rawRequest(server.url, '/calls/turn_credentials.json', { token })).json as { username: string };
    expect(later.username).toBe(`${now / 1000 + 600}:${alice.id}`);
  });

  it('refuses no token, an unknown token and an application session; another app gets only its own user', async () => {
    expect((await rawRequest(server.url, '/calls/turn_credentials.json')).status).toBe(401);
    expect((await rawRequest(server.url, '/calls/turn_credentials.json', { token: 'f'.repeat(40) })).status).toBe(401);
    const appToken = await sessionToken(server.url, server.app);
    const refused = await rawRequest(server.url, '/calls/turn_credentials.json', { token: appToken });
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ errors: { base: ['Forbidden. Need user.'] } });
    const other = await server.createApp('turn-other');
    const stranger = await user(other.id);
    // A session of another application authenticates only as its own user: the username names that user.
    const strangerToken = await sessionToken(server.url, other, stranger);
    const theirs = (await rawRequest(server.url, '/calls/turn_credentials.json', { token: strangerToken })).json as { username: string };
    expect(theirs.username.split(':')[1]).toBe(String(stranger.id));
  });
});
