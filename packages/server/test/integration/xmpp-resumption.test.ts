import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MessageWire } from '@parley/protocol';
import { xml as clientXml } from '@xmpp/client';
import { databaseKinds, loginPlain, pingServer, rawRequest, sessionToken, startServer, xml, type Element, type RawXmppClient, type TestServer } from '@parley/testkit';
import { standardClient, standardClientSuite, streamManagement } from './standard-client.js';
import { XmppFixture } from './xmpp-helpers.js';

/**
 * XEP-0198 resumption (realtime.md §11.1, §7.10) over real sockets: a standard client (`@xmpp/client`,
 * which enables with resume="true") loses its connection in the middle of a 1,000-message burst,
 * resumes, and gets every message exactly once, in order; history holds each message once. Without
 * resumption, what the client never acknowledged comes back from the offline queue.
 */

const BURST = 1000;
const SM = 'urn:xmpp:sm:3';

describe.each(databaseKinds)('XMPP stream resumption on %s', (db) => {
  let server: TestServer;
  const { fixture, clients } = standardClientSuite(db, (started) => (server = started));

  const isChat = (stanza: { name: string; attrs: Record<string, string | undefined>; getChild(name: string): unknown }) =>
    stanza.name === 'message' && stanza.attrs.type === 'chat' && stanza.getChild('body') !== undefined;

  /** A raw sender, logged in and available. */
  async function sender(): Promise<{ raw: RawXmppClient; id: number; password: string; login: string }> {
    const user = await fixture.newUser();
    const { raw } = await fixture.loggedIn('websocket', user);
    raw.send(xml('presence', { xmlns: 'jabber:client' }));
    return { raw, ...user };
  }

  function burst(raw: RawXmppClient, to: string, count: number, prefix: string): void {
    for (let n = 0; n < count; n += 1) {
      raw.send(
        xml(
          'message',
          { xmlns: 'jabber:client', type: 'chat', to, id: `${prefix}-${n}` },
          xml('body', {}, `${prefix} ${n}`),
          xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1')),
        ),
      );
    }
  }

  async function history(user: { login: string; password: string }, dialogId: string): Promise<MessageWire[]> {
    const token = await sessionToken(server.url, server.app, { login: user.login, password: user.password });
    const all: MessageWire[] = [];
    for (let skip = 0; ; skip += 100) {
      const page = await rawRequest(server.url, `/chat/Message.json?chat_dialog_id=${dialogId}&mark_as_read=0&sort_asc=date_sent&limit=100&skip=${skip}`, { token });
      expect(page.status).toBe(200);
      const items = (page.json as { items: MessageWire[] }).items;
      all.push(...items);
      if (items.length < 100) return all;
    }
  }

  it('a standard client cut off mid-burst resumes and gets every message exactly once, in order', async () => {
    const alice = await sender();
    const bob = await fixture.newUser();
    const bobClient = await standardClient(server, bob);
    clients.push(bobClient);
    const bobJid = bobClient.xmpp.jid?.toString() ?? '';
    const [session] = server.server.xmpp.router.sessionsOf(server.app.id, bob.id);
    // xmpp.js enables stream management with resume="true" right after binding.
    await expect.poll(() => session?.sm.id).not.toBe('');

    const resumed = new Promise<void>((resolve) => streamManagement(bobClient.xmpp).once('resumed', resolve));
    let cut = false;
    bobClient.xmpp.on('stanza', () => {
      // Destroy bob's socket (server side: the client sees a dead connection) once a third arrived.
      if (!cut && bobClient.stanzas.filter(isChat).length === 300) {
        cut = true;
        session?.connection.destroy();
      }
    });
    burst(alice.raw, `${bob.id}-${server.app.id}@${server.chatDomain}`, BURST, 'burst');
    await resumed;
    const received = await bobClient.collect(isChat, BURST, 20000);

    expect(cut).toBe(true);
    // Same session object, same full JID, no new bind.
    expect(bobClient.xmpp.jid?.toString()).toBe(bobJid);
    expect(server.server.xmpp.router.sessionsOf(server.app.id, bob.id)).toEqual([session]);
    const ids = received.map((m) => m.attrs.id);
    expect(new Set(ids).size).toBe(BURST);
    expect(received.map((m) => m.getChildText('body'))).toEqual(Array.from({ length: BURST }, (_, n) => `burst ${n}`));
    // Nothing more arrives twice (a ping round trip flushes anything still in flight).
    await bobClient.iq('get', clientXml('ping', { xmlns: 'urn:xmpp:ping' }), server.chatDomain);
    expect(bobClient.stanzas.filter(isChat)).toHaveLength(BURST);

    const dialogId = received[0]?.getChild('extraParams')?.getChildText('dialog_id') ?? '';
    const stored = await history(alice, dialogId);
    expect(stored).toHaveLength(BURST);
    expect(new Set(stored.map((m) => m._id)).size).toBe(BURST);
    expect(stored.map((m) => m.message).sort()).toEqual(Array.from({ length: BURST }, (_, n) => `burst ${n}`).sort());
    expect(new Set(stored.map((m) => m._id))).toEqual(new Set(ids));
  }, 60000);

  it('a resumable session is not online for REST while detached, keeps its rooms, and is online again once resumed', async () => {
    const alice = await sender();
    const bob = await fixture.newUser();
    const aliceToken = await sessionToken(server.url, server.app, { login: alice.login, password: alice.password });
    const created = await rawRequest(server.url, '/chat/Dialog.json', { method: 'POST', token: aliceToken, body: { type: 2, name: 'Resumed room', occupants_ids: String(bob.id) } });
    const room = `${server.app.id}_${(created.json as { _id: string })._id}@muc.${server.chatDomain}`;
    const joinRoom = (raw: RawXmppClient, nick: number) => raw.send(xml('presence', { xmlns: 'jabber:client', to: `${room}/${nick}` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
    joinRoom(alice.raw, alice.id);
    await alice.raw.next((e) => e.name === 'presence' && e.attrs.from === `${room}/${alice.id}`);
    const bobClient = await standardClient(server, bob);
    clients.push(bobClient);
    await bobClient.xmpp.send(clientXml('presence', { to: `${room}/${bob.id}` }, clientXml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
    await bobClient.next((s) => s.name === 'presence' && s.attrs.from === `${room}/${bob.id}`);
    await alice.raw.next((e) => e.name === 'presence' && e.attrs.from === `${room}/${bob.id}` && e.attrs.type === undefined);
    const [session] = server.server.xmpp.router.sessionsOf(server.app.id, bob.id);
    expect(await server.server.services.presence.isOnline(server.app.id, bob.id)).toBe(true);
    bobClient.xmpp.reconnect.stop();
    const disconnected = new Promise<void>((resolve) => bobClient.xmpp.once('disconnect', () => resolve()));
    session?.connection.destroy();
    await disconnected;
    await expect.poll(() => server.server.services.presence.isOnline(server.app.id, bob.id)).toBe(false);
    // Still registered (buffering) while it may be resumed.
    expect(server.server.xmpp.router.sessionsOf(server.app.id, bob.id)).toEqual([session]);
    const online = new Promise<void>((resolve) => streamManagement(bobClient.xmpp).once('resumed', resolve));
    bobClient.xmpp.reconnect.start();
    await (bobClient.xmpp.reconnect as unknown as { reconnect(): Promise<void> }).reconnect();
    await online;
    expect(await server.server.services.presence.isOnline(server.app.id, bob.id)).toBe(true);
    expect(server.server.xmpp.router.sessionsOf(server.app.id, bob.id)).toEqual([session]);
    // Bob never left the room: alice saw no LEAVE, and bob is still among its online occupants.
    const items = await bobClient.iq('get', clientXml('query', { xmlns: 'http://jabber.org/protocol/disco#items' }), room);
    expect(items.getChild('query')?.getChildren('item').map((item) => item.attrs.jid)).toContain(`${room}/${bob.id}`);
    await pingServer(alice.raw, server.chatDomain);
    expect(alice.raw.received.filter((e) => e.name === 'presence' && e.attrs.from === `${room}/${bob.id}` && e.attrs.type === 'unavailable')).toEqual([]);
  });

  it('a resume with an unknown id or of another user fails and the client binds afresh', async () => {
    const bob = await fixture.newUser();
    const eve = await fixture.newUser();
    const bobClient = await standardClient(server, bob);
    clients.push(bobClient);
    const [session] = server.server.xmpp.router.sessionsOf(server.app.id, bob.id);
    for (const previd of [session?.sm.id ?? '', 'no-such-id']) {
      const raw = await fixture.websocket();
      const jid = await loginPlain(raw, { domain: server.chatDomain, appId: server.app.id, userId: eve.id, password: eve.password, bind: false });
      expect(jid).toContain(`${eve.id}-`);
      raw.send(xml('resume', { xmlns: SM, previd, h: '0' }));
      const failed = await raw.next((e) => e.attrs.xmlns === SM);
      expect(failed.name).toBe('failed');
      expect(failed.getChild('item-not-found')).toBeDefined();
      raw.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: 'b' }, xml('bind', { xmlns: 'urn:ietf:params:xml:ns:xmpp-bind' })));
      expect((await raw.next((e) => e.attrs.id === 'b')).attrs.type).toBe('result');
    }
    // Bob's session was not touched.
    expect(server.server.xmpp.router.sessionsOf(server.app.id, bob.id)).toEqual([session]);
    expect(session?.detached).toBe(false);
  });

  it('without resumption, what the client never acknowledged comes back from the offline queue', async () => {
    const alice = await sender();
    const bob = await fixture.newUser();
    const bobRaw = await fixture.websocket();
    await loginPlain(bobRaw, { domain: server.chatDomain, appId: server.app.id, userId: bob.id, password: bob.password });
    bobRaw.send(xml('enable', { xmlns: SM }));
    const enabled = await bobRaw.next((e) => e.name === 'enabled');
    expect(enabled.attrs.resume).toBeUndefined();
    bobRaw.send(xml('presence', { xmlns: 'jabber:client' }));

    const total = 200;
    const acked = 50;
    burst(alice.raw, `${bob.id}-${server.app.id}@${server.chatDomain}`, total, 'plain');
    // Bob handles the first 50 messages, acknowledges exactly them (h counts every stanza), then dies.
    let stanzas = 0;
    const handled: string[] = [];
    while (handled.length < acked) {
      const element: Element = await bobRaw.next((e) => e.name === 'message' || e.name === 'presence' || e.name === 'iq');
      stanzas += 1;
      if (element.name === 'message' && element.attrs.type === 'chat') handled.push(element.getChildText('body') ?? '');
    }
    bobRaw.send(xml('a', { xmlns: SM, h: String(stanzas) }));
    await pingOwn(bobRaw);
    bobRaw.destroy();
    await expect.poll(() => server.server.xmpp.router.sessionsOf(server.app.id, bob.id).length).toBe(0);

    // Alice's stream handles her stanzas in order: after this pong the whole burst was accepted.
    expect((await pingServer(alice.raw, server.chatDomain, undefined, 20000)).attrs.type).toBe('result');
    await expect.poll(async () => (await server.server.services.offline.pending(server.app.id, bob.id)).length).toBe(total - acked);
    const fresh = await standardClient(server, bob);
    clients.push(fresh);
    const flushed = await fresh.collect(isChat, total - acked, 10000);
    const bodies = [...handled, ...flushed.map((m) => m.getChildText('body') ?? '')];
    expect(bodies.sort()).toEqual(Array.from({ length: total }, (_, n) => `plain ${n}`).sort());
    for (const message of flushed) expect(message.getChild('delay', 'urn:xmpp:delay')).toBeDefined();
  }, 30000);

  /** A ping the server answers after handling everything bob sent before it (the `<a/>` included). */
  async function pingOwn(raw: RawXmppClient): Promise<void> {
    expect((await pingServer(raw, server.chatDomain)).attrs.type).toBe('result');
  }
});

describe.each(databaseKinds)('XMPP resume window on %s', (db) => {
  let server: TestServer;
  const { fixture, clients } = standardClientSuite(db, (started) => (server = started), { config: { xmppResumeWindow: '1' } });

  it('a session not resumed within the window ends; what it buffered reaches the offline queue', async () => {
    const alice = await fixture.newUser();
    const { raw: aliceRaw } = await fixture.loggedIn('websocket', alice);
    aliceRaw.send(xml('presence', { xmlns: 'jabber:client' }));
    const bob = await fixture.newUser();
    const bobClient = await standardClient(server, bob);
    bobClient.xmpp.reconnect.stop();
    const [session] = server.server.xmpp.router.sessionsOf(server.app.id, bob.id);
    expect(session?.sm.id).not.toBe('');
    const disconnected = new Promise<void>((resolve) => bobClient.xmpp.once('disconnect', () => resolve()));
    session?.connection.destroy();
    await disconnected;
    await expect.poll(() => session?.detached).toBe(true);

    // Sent while bob's session is detached: buffered, not delivered anywhere yet.
    for (let n = 0; n < 3; n += 1) {
      aliceRaw.send(xml('message', { xmlns: 'jabber:client', type: 'chat', to: `${bob.id}-${server.app.id}@${server.chatDomain}` }, xml('body', {}, `late ${n}`)));
    }
    expect((await pingServer(aliceRaw, server.chatDomain)).attrs.type).toBe('result');
    expect(session?.sm.unacked.pending().filter((item) => item.text.includes('late ')).length).toBe(3);

    await expect.poll(() => server.server.xmpp.router.sessionsOf(server.app.id, bob.id).length, { timeout: 5000 }).toBe(0);
    await expect.poll(async () => (await server.server.services.offline.pending(server.app.id, bob.id)).length).toBe(3);
    const fresh = await standardClient(server, bob);
    clients.push(fresh);
    const flushed = await fresh.collect(isChatMessage, 3);
    expect(flushed.map((m) => m.getChildText('body'))).toEqual(['late 0', 'late 1', 'late 2']);
    expect(fresh.xmpp.jid?.toString()).not.toBe(session?.jid);
    await bobClient.stop();
  });
});

describe.each(databaseKinds)('XMPP resumption after a keep-alive timeout on %s', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);

  beforeAll(async () => {
    server = await startServer({ db, xmppTimers: { keepAliveMs: 100, idleTimeoutMs: 5000 } });
  });
  afterEach(() => fixture.close());
  afterAll(() => server.stop());

  it('a client that stopped answering is detached (not ended) and can resume with its JID', async () => {
    const bob = await fixture.newUser();
    const silent = await fixture.websocket({ autoPong: false });
    const jid = await loginPlain(silent, { domain: server.chatDomain, appId: server.app.id, userId: bob.id, password: bob.password, presence: true });
    silent.send(xml('enable', { xmlns: SM, resume: 'true' }));
    const enabled = await silent.next((e) => e.name === 'enabled');
    expect(enabled.attrs).toMatchObject({ resume: 'true', max: '300' });
    await silent.waitClosed(5000);
    expect(silent.received.some((e) => e.name === 'stream:error' && e.getChild('connection-timeout') !== undefined)).toBe(true);
    const [session] = server.server.xmpp.router.sessionsOf(server.app.id, bob.id);
    await expect.poll(() => session?.detached).toBe(true);

    const again = await fixture.websocket();
    await loginPlain(again, { domain: server.chatDomain, appId: server.app.id, userId: bob.id, password: bob.password, bind: false });
    again.send(xml('resume', { xmlns: SM, previd: enabled.attrs.id ?? '', h: '0' }));
    const resumed = await again.next((e) => e.attrs.xmlns === SM && (e.name === 'resumed' || e.name === 'failed'));
    expect(resumed.name).toBe('resumed');
    expect((await pingServer(again, server.chatDomain)).attrs.to).toBe(jid);
    expect(server.server.xmpp.router.sessionsOf(server.app.id, bob.id)).toEqual([session]);
  });
});

function isChatMessage(stanza: { name: string; attrs: Record<string, string | undefined>; getChild(name: string): unknown }): boolean {
  return stanza.name === 'message' && stanza.attrs.type === 'chat' && stanza.getChild('body') !== undefined;
}
