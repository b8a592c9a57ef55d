import { databaseKinds, loginPlain, rawRequest, startServer, type RawXmppClient, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from '../integration/xmpp-helpers.js';

/**
 * Finding 10: one address may hold only PARLEY_XMPP_MAX_PRE_AUTH_PER_ADDRESS connections that have not
 * logged in; more get `policy-violation` at once (counted in a metric). Logging in or closing frees a slot.
 */
const LIMIT = 4;

describe.each(databaseKinds)('security: unauthenticated XMPP connections per address are capped (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, xmppTcp: true, config: { chatDomain: 'chat.test', xmppMaxPreAuthPerAddress: String(LIMIT) } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  const refusedTotal = async () => {
    const text = (await rawRequest(server.url, '/metrics')).text;
    return Number(/^parley_xmpp_preauth_refused_total\{node="[^"]+"\} (\d+)/m.exec(text)?.[1] ?? 'NaN');
  };

  async function expectRefused(client: RawXmppClient): Promise<void> {
    await client.waitClosed();
    expect(client.streamErrorCondition()).toBe('policy-violation');
  }

  it('refuses connections over the limit, over WebSocket and TCP, and frees slots on login and close', async () => {
    const before = await refusedTotal();
    const idle: RawXmppClient[] = [];
    for (let n = 0; n < LIMIT; n += 1) idle.push(await fixture.websocket());
    await expectRefused(await fixture.websocket());
    await expectRefused(await fixture.tcp());
    expect(await refusedTotal()).toBe(before + 2);

    // A login frees its slot.
    const user = await fixture.newUser();
    await loginPlain(idle[0]!, { domain: server.chatDomain, appId: user.appId, userId: user.id, password: user.password });
    const afterLogin = await fixture.websocket();
    afterLogin.open(server.chatDomain);
    await afterLogin.next((e) => e.name === 'features' || e.name === 'stream:features');
    await expectRefused(await fixture.websocket());

    // So does a close.
    idle[1]!.destroy();
    await idle[1]!.waitClosed();
    await expect.poll(async () => {
      const probe = await fixture.websocket();
      probe.open(server.chatDomain);
      const first = await probe.next(() => true).catch(() => undefined);
      return first?.name === 'open';
    }).toBe(true);
    // The logged-in connection was never affected.
    expect(server.server.xmpp.router.sessionsOf(user.appId, user.id)).toHaveLength(1);
  });
});
