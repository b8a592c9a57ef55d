import { databaseKinds, startServer, xml, type RawXmppClient, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from './xmpp-helpers.js';

const MB = 1024 * 1024;

/** Hostile input after login: each case is sent by its own client; `write` gets the raw client. */
interface AbuseCase {
  name: string;
  condition: string;
  write(client: RawXmppClient): void | Promise<void>;
}

const laughs = [
  "<!DOCTYPE lolz [<!ENTITY lol 'lol'>",
  ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} '${`&lol${i === 0 ? '' : i};`.repeat(10)}'>`),
  ']>',
].join('');

const cases: AbuseCase[] = [
  {
    name: 'billion-laughs DOCTYPE',
    condition: 'restricted-xml',
    write: (c) => c.send(`${laughs}<message xmlns="jabber:client" to="chat.test"><body>&lol9;</body></message>`),
  },
  {
    name: 'a 10 MB stanza',
    condition: 'policy-violation',
    write: async (c) => {
      // WebSocket: in 512 KiB frames (a single 10 MB frame is refused by the framing layer, see below).
      const chunk = 'a'.repeat(MB / 2);
      c.send('<message xmlns="jabber:client" to="chat.test"><body>');
      for (let sent = 0; sent < 10 * MB && c.isOpen; sent += chunk.length) {
        c.send(chunk);
        await new Promise((resolve) => setImmediate(resolve));
      }
      c.send('</body></message>');
    },
  },
  {
    name: '1,000-deep nesting',
    condition: 'policy-violation',
    write: (c) => c.send(`<message xmlns="jabber:client" to="chat.test">${'<a>'.repeat(1000)}${'</a>'.repeat(1000)}</message>`),
  },
  { name: 'garbage markup', condition: 'not-well-formed', write: (c) => c.send('<<>>&&;;</nope>') },
  { name: 'control bytes', condition: 'not-well-formed', write: (c) => c.sendBytes(Buffer.from([0x00, 0x01, 0x02, 0x1b])) },
  { name: 'invalid UTF-8', condition: 'unsupported-encoding', write: (c) => c.sendBytes(Buffer.from([0x3c, 0xff, 0xfe, 0xc3, 0x28, 0x3e])) },
];

describe.each(databaseKinds)('XMPP abuse over raw sockets (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  let survivor: { raw: RawXmppClient; jid: string };
  let survivorUser: Awaited<ReturnType<XmppFixture['newUser']>>;
  beforeAll(async () => {
    server = await startServer({ db, xmppTcp: true, config: { chatDomain: 'chat.test' } });
    survivorUser = await fixture.newUser();
    survivor = await fixture.loggedIn('websocket', survivorUser);
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  describe.each(['websocket', 'tcp'] as const)('over %s', (transport) => {
    it.each(cases)('$name → $condition closes only that connection', async ({ condition, write }) => {
      const attacker = await fixture.newUser();
      const { raw } = await fixture.loggedIn(transport, attacker);
      await write(raw);
      const closed = await raw.waitClosed(20_000);
      expect(raw.streamErrorCondition()).toBe(condition);
      if (transport === 'websocket') expect(closed.code).toBe(1000);
      await expect.poll(() => server.server.xmpp.router.sessionsOf(attacker.appId, attacker.id).length).toBe(0);
      await fixture.serverStillServes(survivor.raw, survivorUser);
    });

    it('before login too: garbage closes the stream with not-well-formed', async () => {
      const raw = transport === 'websocket' ? await fixture.websocket() : await fixture.tcp();
      raw.open('chat.test');
      raw.send('<<<garbage>>>');
      await raw.waitClosed();
      expect(raw.streamErrorCondition()).toBe('not-well-formed');
      await fixture.serverStillServes(survivor.raw, survivorUser);
    });
  });

  it('WebSocket framing: one 10 MB frame is refused with close 1009 before parsing; invalid UTF-8 in a text frame with 1007', async () => {
    const attacker = await fixture.newUser();
    const big = await fixture.loggedIn('websocket', attacker);
    big.raw.send(`<message xmlns="jabber:client" to="chat.test"><body>${'a'.repeat(10 * MB)}</body></message>`);
    expect((await big.raw.waitClosed(20_000)).code).toBe(1009);
    const bad = await fixture.loggedIn('websocket', attacker);
    bad.raw.ws?.send(Buffer.from([0x3c, 0xff, 0xfe, 0x3e]), { binary: false });
    expect((await bad.raw.waitClosed()).code).toBe(1007);
    await expect.poll(() => server.server.xmpp.router.sessionsOf(attacker.appId, attacker.id).length).toBe(0);
    await fixture.serverStillServes(survivor.raw, survivorUser);
  });

  it('the already-connected session still gets answers after all that', async () => {
    survivor.raw.send(xml('iq', { xmlns: 'jabber:client', type: 'get', id: 'final', to: 'chat.test' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    expect((await survivor.raw.next((e) => e.attrs.id === 'final')).attrs.type).toBe('result');
  });
});
