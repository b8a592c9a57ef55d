import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';
import { publicOnlyLookup } from '../../src/adapters/push-webpush/index.js';
import { checkWebEndpoint, isPublicAddress } from '../../src/ports/push-endpoint.js';

/**
 * Push settings through the admin API (401 without the token, secrets never returned in full, bad input
 * changes nothing, apps apart), the raw edges of the push routes (signed out, bad bodies), and the
 * server-side request forgery guard on Web Push endpoints when private endpoints are not allowed.
 */

const TOKEN = 'push-admin-secret';
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const pem = (type: 'rsa' | 'ec') =>
  (type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' })).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('push admin API and endpoint guard (SQLite)', () => {
  let server: TestServer;
  const path = (appId = server.app.id) => `/admin/apps/${appId}/push`;

  beforeAll(async () => {
    server = await startServer({ config: { adminToken: TOKEN } });
  });
  afterAll(() => server.stop());

  it('refuses a missing or wrong admin token with 401, and an unknown app with 404', async () => {
    for (const headers of [{}, bearer('wrong'), { Authorization: TOKEN }]) {
      expect((await rawRequest(server.url, path(), { headers })).status).toBe(401);
      expect((await rawRequest(server.url, path(), { method: 'PUT', headers, body: { contact_joined: true } })).status).toBe(401);
    }
    expect((await rawRequest(server.url, path(987654), { headers: bearer(TOKEN) })).status).toBe(404);
    expect((await server.server.store.push.getConfig(server.app.id)).contactJoined).toBe(false);
  });

  it('stores credentials and shows them only as fingerprints; bad input is a 422 that changes nothing', async () => {
    const rsa = pem('rsa');
    const p8 = pem('ec');
    const service_account = { type: 'service_account', project_id: 'proj-1', client_email: 'a@proj-1.iam.gserviceaccount.com', private_key: rsa };
    const saved = await rawRequest(server.url, path(), { method: 'PUT', headers: bearer(TOKEN), body: { fcm: { service_account: JSON.stringify(service_account) }, apns: { key_id: 'ABCDE12345', team_id: 'TEAM123456', bundle_id: 'com.x.app', private_key: p8 }, chat_alert_template: '%{sender_name}: %{message_text}' } });
    expect(saved.status).toBe(200);
    const shown = await rawRequest(server.url, path(), { headers: bearer(TOKEN) });
    expect(shown.json).toMatchObject({
      vapid: { public_key: expect.stringMatching(/^[A-Za-z0-9_-]{87}$/), private_key: expect.stringMatching(/^sha256:/) },
      fcm: { project_id: 'proj-1', client_email: 'a@proj-1.iam.gserviceaccount.com', token_uri: 'https://oauth2.googleapis.com/token', private_key: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) },
      apns: { key_id: 'ABCDE12345', team_id: 'TEAM123456', bundle_id: 'com.x.app', private_key: expect.stringMatching(/^sha256:/) },
      contact_joined: false,
      call_pushes: false,
    });
    const text = JSON.stringify(shown.json);
    const vapidPrivate = (await server.server.store.push.getConfig(server.app.id)).vapid?.privateKey ?? 'missing';
    for (const secret of [rsa, p8, vapidPrivate, 'PRIVATE KEY']) expect(text).not.toContain(secret.split('\n')[1] ?? secret);
    const before = await server.server.store.push.getConfig(server.app.id);
    for (const body of [{ fcm: { service_account: '{"project_id":"x"}' } }, { apns: { key_id: 'short', team_id: 'TEAM123456', bundle_id: 'b', private_key: rsa } }, { contact_joined: 'yes' }, { chat_alert_template: 5 }, { vapid: { subject: 'ftp://x' } }, { colour: 'blue' }, { apns: { key_id: 'ABCDE12345', team_id: 'TEAM123456', bundle_id: 'b', private_key: p8 }, call_pushes: 1 }]) {
      const refused = await rawRequest(server.url, path(), { method: 'PUT', headers: bearer(TOKEN), body });
      expect(refused.status, JSON.stringify(body)).toBe(422);
    }
    expect(await server.server.store.push.getConfig(server.app.id)).toEqual(before);
    // Another app's settings are its own.
    const other = await server.createApp('push-admin-other');
    expect((await rawRequest(server.url, path(other.id), { headers: bearer(TOKEN) })).json).toMatchObject({ fcm: null, apns: null });
  });

  it('refuses bad test pushes and delivery queries with a named field; users and meetings of another app are not found', async () => {
    const admin = (route: string, init: { method?: string; body?: unknown } = {}) => rawRequest(server.url, route, { ...init, headers: bearer(TOKEN) });
    const base = `/admin/apps/${server.app.id}`;
    const userToken = await sessionToken(server.url, server.app, { login: 'push-lone', password: 'password123' });
    const userId = ((await rawRequest(server.url, '/session.json', { headers: { 'CB-Token': userToken } })).json as { session: { user_id: number } }).session.user_id;
    const refusals: [unknown, string][] = [
      [{ message: 'x' }, 'user_id'],
      [{ user_id: 'seven', message: 'x' }, 'user_id'],
      [{ user_id: userId, message: '' }, 'message'],
      [{ user_id: userId, message: 'x'.repeat(1001) }, 'message'],
      [{ user_id: userId, message: 'no device' }, 'user_id'],
    ];
    for (const [body, field] of refusals) {
      const answer = await admin(`${base}/push/test`, { method: 'POST', body });
      expect({ body, status: answer.status, fields: Object.keys((answer.json as { errors: object }).errors) }).toEqual({ body, status: 422, fields: [field] });
    }
    const other = await server.createApp('push-admin-users');
    expect((await admin(`/admin/apps/${other.id}/push/test`, { method: 'POST', body: { user_id: userId, message: 'x' } })).status).toBe(404);
    for (const query of ['limit=0', 'limit=501', 'limit=x', 'failures=maybe']) expect((await admin(`${base}/push/deliveries?${query}`)).status).toBe(422);
    expect((await admin(`${base}/push/deliveries?limit=5&failures=true`)).json).toEqual([]);
    expect((await admin('/admin/apps/987654/push/deliveries')).status).toBe(404);
    expect((await admin('/admin/apps/987654/meetings')).status).toBe(404);
    for (const id of ['nope', 'a'.repeat(24)]) expect((await admin(`${base}/meetings/${id}/recordings`)).status).toBe(404);
  });

  it('hands the VAPID public key to any session of the app, never to the signed out', async () => {
    const token = await sessionToken(server.url, server.app);
    const key = await rawRequest(server.url, '/push/vapid_public_key.json', { headers: { 'CB-Token': token } });
    expect(key.status).toBe(200);
    expect(key.json).toEqual({ public_key: (await server.server.store.push.getConfig(server.app.id)).vapid?.publicKey });
    expect((await rawRequest(server.url, '/push/vapid_public_key.json')).status).toBe(401);
    for (const [method, route] of [['GET', '/subscriptions.json'], ['POST', '/subscriptions.json'], ['DELETE', '/subscriptions/1.json'], ['POST', '/events.json']] as const) {
      expect((await rawRequest(server.url, route, { method })).status).toBe(401);
      expect((await rawRequest(server.url, route, { method, headers: { 'CB-Token': token } })).status).toBe(403);
    }
  });

  it('refuses web endpoints on loopback, private and link-local addresses when private endpoints are not allowed', async () => {
    const token = await sessionToken(server.url, server.app, { login: 'ssrf-user', password: 'password123' });
    for (const endpoint of ['https://127.0.0.1/x', 'https://[::1]/x', 'https://10.1.2.3/x', 'https://169.254.169.254/latest', 'https://[fd00::1]/x', 'https://localhost/x', 'https://0x7f.1/x', 'https://[::ffff:127.0.0.1]/x']) {
      const refused = await rawRequest(server.url, '/subscriptions.json', {
        method: 'POST',
        headers: { 'CB-Token': token },
        body: { notification_channel: 'web', push_token: { environment: 'production', web_endpoint: endpoint, web_auth: 'AAAAAAAAAAAAAAAAAAAAAA', web_p256dh: `B${'A'.repeat(86)}` }, device: { platform: 'web', udid: 'w1' } },
      });
      expect(refused.status, endpoint).toBe(422);
    }
    expect(checkWebEndpoint('https://push.example.org/abc', false)).toBeUndefined();
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true);
    for (const address of ['127.0.0.1', '10.0.0.1', '172.16.0.1', '192.168.1.1', '100.64.0.1', '169.254.1.1', '::1', 'fe80::1', 'fc00::1', '::ffff:10.0.0.1', '0.0.0.0']) expect(isPublicAddress(address), address).toBe(false);
    // Names are checked where they resolve: `localhost` resolves to loopback, so the connection is refused.
    const error = await new Promise<unknown>((resolve) => publicOnlyLookup('localhost', {}, (failure) => resolve(failure)));
    expect(error).toMatchObject({ code: 'EPUSHPRIVATE' });
  });
});
