import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginPlain, rawRequest, RawXmppClient, startServer, xml, type TestServer } from '@parley/testkit';

const NODE_ID = 'metrics-node-a';

/** Reads one sample of a Prometheus text exposition (0 when absent); `labels` as `{a="1"}`, the node label follows them. */
function sample(text: string, name: string, labels = ''): number {
  const prefix = labels === '' ? `${name}{node=` : `${name}${labels.slice(0, -1)},node=`;
  const line = text.split('\n').find((entry) => entry.startsWith(prefix));
  return line ? Number(line.split(' ').pop()) : 0;
}

/**
 * /metrics: XMPP and domain metrics that move under a small load, no CORS headers, a token when one is
 * configured, and a separate listener (PARLEY_METRICS_PORT).
 */
describe('metrics', () => {
  let server: TestServer;
  const TOKEN = 'metrics-token-for-tests';
  const scrape = async () => {
    const response = await rawRequest(server.url, '/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    return response.text;
  };

  beforeAll(async () => {
    server = await startServer({ config: { metricsToken: TOKEN, nodeId: NODE_ID } });
  });
  afterAll(() => server.stop());

  it('labels every series with the node (PARLEY_NODE_ID), so the nodes of a cluster stay apart', async () => {
    const series = (await scrape()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(series.length).toBeGreaterThan(20);
    expect(series.filter((line) => !line.includes(`node="${NODE_ID}"`))).toEqual([]);
    expect(series.some((line) => line.startsWith('parley_process_cpu_user_seconds_total{'))).toBe(true);
  });

  it('needs the token when one is set, and answers without CORS headers', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }] as Record<string, string>[]) {
      expect((await rawRequest(server.url, '/metrics', { headers: { Origin: 'https://evil.example', ...headers } })).status).toBe(401);
    }
    const ok = await rawRequest(server.url, '/metrics', { headers: { Origin: 'https://evil.example', Authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect([...ok.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    const preflight = await rawRequest(server.url, '/metrics', { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    // Other routes keep their CORS headers.
    expect((await rawRequest(server.url, '/health', { headers: { Origin: 'https://app.example' } })).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('counts connections by transport, stanzas in/out, messages stored, the offline queue and logins', async () => {
    const users = server.server.services.users;
    const alice = await users.signup(server.app.id, { login: 'metrics-alice', password: 'password-a' });
    const bob = await users.signup(server.app.id, { login: 'metrics-bob', password: 'password-b' });
    const before = await scrape();

    const session = (password: string) =>
      rawRequest(server.url, '/session.json', { method: 'POST', body: { application_id: server.app.id, auth_key: server.app.authKey, user: { login: 'metrics-alice', password } } });
    expect((await session('password-a')).status).toBe(201);
    expect((await session('wrong-password')).status).toBe(401);

    const client = await RawXmppClient.websocket(server.wsUrl);
    await loginPlain(client, { domain: server.chatDomain, appId: server.app.id, userId: alice.id, password: 'password-a', presence: true });
    const dialog = (await server.server.services.dialogs.create({ appId: server.app.id, userId: alice.id, sessionId: 0 }, { type: 3, occupantIds: [bob.id] })).dialog;
    for (let i = 0; i < 3; i += 1) {
      client.send(
        xml('message', { type: 'chat', to: `${bob.id}-${server.app.id}@${server.chatDomain}`, id: `metrics-${i}` }, xml('body', {}, `hello ${i}`), xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'), xml('dialog_id', {}, dialog.id))),
      );
    }
    await expect.poll(async () => sample(await scrape(), 'parley_messages_stored_total') - sample(before, 'parley_messages_stored_total')).toBe(3);

    const during = await scrape();
    expect(sample(during, 'parley_xmpp_connections', '{transport="websocket"}')).toBe(1);
    expect(sample(during, 'parley_xmpp_connections', '{transport="tcp"}')).toBe(0);
    expect(sample(during, 'parley_xmpp_stanzas_total', '{direction="in",kind="message"}') - sample(before, 'parley_xmpp_stanzas_total', '{direction="in",kind="message"}')).toBe(3);
    expect(sample(during, 'parley_xmpp_stanzas_total', '{direction="out",kind="iq"}')).toBeGreaterThan(sample(before, 'parley_xmpp_stanzas_total', '{direction="out",kind="iq"}'));
    expect(sample(during, 'parley_offline_stanzas_total', '{event="queued"}') - sample(before, 'parley_offline_stanzas_total', '{event="queued"}')).toBe(3);
    expect(sample(during, 'parley_logins_total', '{outcome="ok"}') - sample(before, 'parley_logins_total', '{outcome="ok"}')).toBeGreaterThanOrEqual(2);
    // One failed login: an attempt that never turned ok.
    const delta = (outcome: string) => sample(during, 'parley_logins_total', `{outcome="${outcome}"}`) - sample(before, 'parley_logins_total', `{outcome="${outcome}"}`);
    expect(delta('attempt') - delta('ok')).toBe(1);
    expect(sample(during, 'parley_db_message_write_seconds_count')).toBeGreaterThanOrEqual(3);

    client.destroy();
    await expect.poll(async () => sample(await scrape(), 'parley_xmpp_connections', '{transport="websocket"}')).toBe(0);
  });
});

describe('metrics on a separate listener', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ metricsListener: true });
  });
  afterAll(() => server.stop());

  it('serves /metrics there and not on the HTTP port', async () => {
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const separate = await fetch(server.metricsUrl ?? '');
    expect(separate.status).toBe(200);
    expect(await separate.text()).toContain('parley_xmpp_connections');
    expect((await rawRequest(server.url, '/metrics')).status).toBe(404);
  });
});
