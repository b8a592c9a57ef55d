import { databaseKinds, isFeatures, loginPlain, startServer, xml, type RawXmppClient, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saslRejection, XmppFixture } from './xmpp-helpers.js';

const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';

/** Failed PLAIN attempt over WebSocket; resolves with the SASL condition once the server closed. */
async function failedPlain(client: RawXmppClient, server: TestServer, user: { id: number; appId: number }, password: string): Promise<string> {
  client.open(server.chatDomain);
  await client.next(isFeatures);
  client.send(xml('auth', { xmlns: SASL, mechanism: 'PLAIN' }, Buffer.from(`\0${user.id}-${user.appId}\0${password}`).toString('base64')));
  const outcome = await client.next((e) => e.attrs.xmlns === SASL && (e.name === 'failure' || e.name === 'success'));
  if (outcome.name === 'failure') await client.waitClosed();
  return outcome.name === 'success' ? 'success' : (outcome.getChildElements()[0]?.name ?? '');
}

describe.each(databaseKinds)('XMPP login throttling (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, xmppTcp: true, config: { chatDomain: 'chat.test', loginMaxFailures: '3', xmppScram: 'true' } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  it('PLAIN: after the allowed failures even the right password gets temporary-auth-failure and the stream closes at once', async () => {
    const user = await fixture.newUser();
    for (let i = 0; i < 3; i += 1) expect(await failedPlain(await fixture.websocket(), server, user, `wrong-${i}`)).toBe('not-authorized');
    const blocked = await fixture.websocket();
    expect(await failedPlain(blocked, server, user, user.password)).toBe('temporary-auth-failure');
    expect(blocked.received.some((e) => e.name === 'close')).toBe(true);
    // Another user from the same address is not affected.
    const other = await fixture.newUser();
    expect(await failedPlain(await fixture.websocket(), server, other, other.password)).toBe('success');
  });

  it('a successful login resets the counter', async () => {
    const user = await fixture.newUser();
    for (let i = 0; i < 2; i += 1) expect(await failedPlain(await fixture.websocket(), server, user, `wrong-${i}`)).toBe('not-authorized');
    expect(await failedPlain(await fixture.websocket(), server, user, user.password)).toBe('success');
    for (let i = 0; i < 2; i += 1) expect(await failedPlain(await fixture.websocket(), server, user, `wrong-${i}`)).toBe('not-authorized');
    expect(await failedPlain(await fixture.websocket(), server, user, user.password)).toBe('success');
  });

  it('SCRAM-SHA-1: failed proofs count too; over the limit the right password is refused', async () => {
    const user = await fixture.newUser();
    const username = `${user.id}-${server.app.id}`;
    const service = `xmpp://127.0.0.1:${server.xmppPort}`;
    for (let i = 0; i < 3; i += 1) expect(await saslRejection(fixture.xmppJs(service, username, `wrong-${i}`).xmpp.start())).toBe('not-authorized');
    const blocked = fixture.xmppJs(service, username, user.password);
    expect(await saslRejection(blocked.xmpp.start())).toBe('temporary-auth-failure');
    expect(blocked.mechanism()).toBe('SCRAM-SHA-1');
  });
});

describe.each(databaseKinds)('XMPP client address behind a trusted proxy (%s)', (db) => {
  let trusting: TestServer;
  let direct: TestServer;
  const viaTrusting = new XmppFixture(() => trusting);
  const viaDirect = new XmppFixture(() => direct);
  beforeAll(async () => {
    trusting = await startServer({ db, config: { chatDomain: 'chat.test', loginMaxFailures: '2', trustProxy: 'true' } });
    direct = await startServer({ db, config: { chatDomain: 'chat.test', loginMaxFailures: '2' } });
  });
  afterAll(async () => {
    await viaTrusting.close();
    await viaDirect.close();
    await trusting?.stop();
    await direct?.stop();
  });
  const from = (address: string) => ({ headers: { 'X-Forwarded-For': `${address}, 10.0.0.1` } });

  it('with trustProxy the WebSocket client address is the first X-Forwarded-For entry (throttled per forwarded address)', async () => {
    const user = await viaTrusting.newUser();
    for (let i = 0; i < 2; i += 1) expect(await failedPlain(await viaTrusting.websocket(from('203.0.113.7')), trusting, user, 'wrong')).toBe('not-authorized');
    expect(await failedPlain(await viaTrusting.websocket(from('203.0.113.7')), trusting, user, user.password)).toBe('temporary-auth-failure');
    expect(await failedPlain(await viaTrusting.websocket(from('198.51.100.9')), trusting, user, user.password)).toBe('success');
    const bound = await viaTrusting.websocket(from('198.51.100.9'));
    await loginPlain(bound, { domain: 'chat.test', appId: user.appId, userId: user.id, password: user.password });
    expect(trusting.server.xmpp.router.sessionsOf(user.appId, user.id)[0]?.remoteAddress).toBe('198.51.100.9');
  });

  it('without trustProxy X-Forwarded-For is ignored (the socket address counts)', async () => {
    const user = await viaDirect.newUser();
    for (let i = 0; i < 2; i += 1) expect(await failedPlain(await viaDirect.websocket(from('203.0.113.7')), direct, user, 'wrong')).toBe('not-authorized');
    expect(await failedPlain(await viaDirect.websocket(from('198.51.100.9')), direct, user, user.password)).toBe('temporary-auth-failure');
  });
});
