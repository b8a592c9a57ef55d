import { databaseKinds, loginPlain, pingServer, startServer, xml, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from './xmpp-helpers.js';

/** Keep-alive, idle timeout and slow-reader protection, with small timers (design.md §5, realtime.md §3.3). */
describe.each(databaseKinds)('XMPP keep-alive and slow readers (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({
      db,
      xmppTcp: true,
      xmppTimers: { keepAliveMs: 150, idleTimeoutMs: 1500 },
      config: { chatDomain: 'chat.test' },
    });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  it('WebSocket: a client that never answers ping frames is closed with connection-timeout; an answering one stays', async () => {
    const user = await fixture.newUser();
    const silent = await fixture.websocket({ autoPong: false });
    const answering = await fixture.websocket();
    await loginPlain(silent, { domain: 'chat.test', appId: user.appId, userId: user.id, password: user.password });
    await loginPlain(answering, { domain: 'chat.test', appId: user.appId, userId: user.id, password: user.password });
    await silent.waitClosed(5000);
    expect(silent.pings).toBeGreaterThanOrEqual(2);
    expect(silent.streamErrorCondition()).toBe('connection-timeout');
    // The answering client has seen more probes than the silent one was allowed to miss, and still works.
    await expect.poll(() => answering.pings, { timeout: 5000 }).toBeGreaterThanOrEqual(silent.pings + 3);
    expect(answering.isOpen).toBe(true);
    expect((await pingServer(answering, 'chat.test')).attrs.type).toBe('result');
  });

  it('TCP: XEP-0199 pings go to quiet clients; a silent one is closed, an answering one stays', async () => {
    const user = await fixture.newUser();
    const silent = await fixture.loggedIn('tcp', user);
    const answering = await fixture.loggedIn('tcp', user);
    const answered = answering.raw.answerPings();
    await silent.raw.waitClosed(5000);
    const probes = silent.raw.received.filter((e) => e.name === 'iq' && e.getChild('ping', 'urn:xmpp:ping'));
    expect(probes.length).toBe(2);
    expect(probes[0]?.attrs).toMatchObject({ type: 'get', from: 'chat.test', to: silent.jid });
    expect(silent.raw.streamErrorCondition()).toBe('connection-timeout');
    await expect.poll(() => answered.answered, { timeout: 5000 }).toBeGreaterThanOrEqual(4);
    expect(answering.raw.isOpen).toBe(true);
    expect((await pingServer(answering.raw, 'chat.test')).attrs.type).toBe('result');
  });

  it('closes a connection that does not log in within the idle timeout', async () => {
    for (const raw of [await fixture.tcp(), await fixture.websocket()]) {
      await raw.waitClosed(5000);
      expect(raw.streamErrorCondition()).toBe('connection-timeout');
    }
  });
});


/** Default (30 s) keep-alive here, so only the outbound cap can drop the paused reader. */
describe.each(databaseKinds)('XMPP slow readers (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, xmppTcp: true, config: { chatDomain: 'chat.test', xmppMaxOutboundBytes: '64kb' } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  it.each(['tcp', 'websocket'] as const)('drops a %s client that stops reading once its outbound buffer is full; others are unaffected', async (transport) => {
    const reader = await fixture.newUser();
    const sender = await fixture.newUser();
    const slow = await fixture.loggedIn(transport, reader);
    slow.raw.answerPings();
    const busy = await fixture.loggedIn('websocket', sender);
    busy.raw.answerPings();
    slow.raw.pauseReading();
    const payload = 'x'.repeat(100 * 1024);
    const sessions = () => server.server.xmpp.router.sessionsOf(reader.appId, reader.id).length;
    // IQs addressed to the reader's full JID are routed to it; it never reads them.
    let sent = 0;
    for (; sent < 400 && sessions() > 0; sent += 1) {
      busy.raw.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: `flood-${sent}`, to: slow.jid }, xml('query', { xmlns: 'urn:example:flood' }, payload)));
      if (sent % 8 === 7) await pingServer(busy.raw, 'chat.test', `sync-${sent}`, 10_000);
    }
    await expect.poll(sessions, { timeout: 10_000 }).toBe(0);
    expect(sent).toBeLessThan(400);
    slow.raw.resumeReading();
    await slow.raw.waitClosed(10_000);
    await fixture.serverStillServes(busy.raw, sender);
  });
});
