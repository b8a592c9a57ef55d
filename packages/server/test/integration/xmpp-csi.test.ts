import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, pingServer, startServer, xml, type Element, type RawXmppClient, type TestServer } from '@parley/testkit';
import { XmppFixture } from './xmpp-helpers.js';

/**
 * Client state (realtime.md §11.2, XEP-0352 and Tigase mobile v2): an inactive client still gets
 * messages, but presences and typing only when it becomes active again — the latest per sender.
 */

const CSI = 'urn:xmpp:csi:0';
const CHAT_STATES = 'http://jabber.org/protocol/chatstates';

describe.each(databaseKinds)('XMPP client state indication on %s', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);

  beforeAll(async () => {
    server = await startServer({ db });
  });
  afterEach(() => fixture.close());
  afterAll(() => server.stop());

  async function available(user: { id: number; password: string; appId: number }): Promise<{ raw: RawXmppClient; jid: string }> {
    const session = await fixture.loggedIn('websocket', user);
    session.raw.send(xml('presence', { xmlns: 'jabber:client' }));
    await pingServer(session.raw, server.chatDomain);
    return session;
  }

  const typing = (to: string, state: string) => xml('message', { xmlns: 'jabber:client', type: 'chat', to }, xml(state, { xmlns: CHAT_STATES }));
  const isTyping = (e: Element) => e.name === 'message' && e.getChildElements().some((c) => c.attrs.xmlns === CHAT_STATES) && !e.getChild('body');
  const bare = (user: { id: number }) => `${user.id}-${server.app.id}@${server.chatDomain}`;

  it.each([
    ['XEP-0352 nonzas', (raw: RawXmppClient, inactive: boolean) => raw.send(xml(inactive ? 'inactive' : 'active', { xmlns: CSI }))],
    [
      'Tigase mobile v2',
      (raw: RawXmppClient, inactive: boolean) =>
        raw.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: `m-${inactive}` }, xml('mobile', { xmlns: 'http://tigase.org/protocol/mobile#v2', enable: String(inactive) }))),
    ],
  ])('%s: messages flow, presences and typing wait for active (latest only)', async (_name, setInactive) => {
    const alice = await fixture.newUser();
    const bob = await fixture.newUser();
    const aliceSession = await available(alice);
    const bobPhone = await available(bob);
    setInactive(bobPhone.raw, true);
    await pingServer(bobPhone.raw, server.chatDomain);

    aliceSession.raw.send(typing(bare(bob), 'composing'));
    aliceSession.raw.send(typing(bare(bob), 'paused'));
    aliceSession.raw.send(xml('message', { xmlns: 'jabber:client', type: 'chat', to: bare(bob), id: 'm1' }, xml('body', {}, 'while away')));
    // Bob's second resource comes online: its presence echo would reach the phone.
    const bobLaptop = await available(bob);
    const message = await bobPhone.raw.next((e) => e.name === 'message' && e.getChildText('body') === 'while away');
    expect(message.getChildText('body')).toBe('while away');
    // A ping answered after all of that: nothing held back has arrived.
    await pingServer(aliceSession.raw, server.chatDomain);
    await pingServer(bobPhone.raw, server.chatDomain);
    expect(bobPhone.raw.received.filter(isTyping)).toEqual([]);
    expect(bobPhone.raw.received.filter((e) => e.name === 'presence' && e.attrs.from === bobLaptop.jid)).toEqual([]);

    setInactive(bobPhone.raw, false);
    await pingServer(bobPhone.raw, server.chatDomain);
    const typed = bobPhone.raw.received.filter(isTyping);
    expect(typed.map((e) => e.getChildElements()[0]?.name)).toEqual(['paused']);
    expect(typed[0]?.attrs.from).toBe(aliceSession.jid);
    expect(bobPhone.raw.received.filter((e) => e.name === 'presence' && e.attrs.from === bobLaptop.jid)).toHaveLength(1);

    // Active again: typing flows at once.
    aliceSession.raw.send(typing(bare(bob), 'composing'));
    const live = await bobPhone.raw.next((e) => isTyping(e) && e.getChild('composing') !== undefined);
    expect(live.attrs.from).toBe(aliceSession.jid);
  });
});
