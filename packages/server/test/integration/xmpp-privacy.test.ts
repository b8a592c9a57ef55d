import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startServer, xml, type Element, type RawXmppClient, type TestServer } from '@parley/testkit';
import { XmppFixture } from './xmpp-helpers.js';

/**
 * Privacy lists (realtime.md §10) and last activity (§9) over a raw XMPP stream: every bad-input rule
 * answers the contract's error and changes nothing; items come back exactly as stored, in order; MUC
 * items, fall-through items and one-way/mutual semantics of XEP-0016 decide delivery.
 */
const PRIVACY = 'jabber:iq:privacy';
const LAST = 'jabber:iq:last';
const STREAMING = 'https://connectycube.com/protocol/status_streaming';

describe.each(databaseKinds)('privacy lists and last activity over XMPP on %s', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  let serial = 0;

  beforeAll(async () => {
    server = await startServer({ db });
  });
  afterAll(async () => {
    await fixture.close();
    await server.stop();
  });

  async function online(): Promise<{ raw: RawXmppClient; jid: string; id: number; bare: string }> {
    const user = await fixture.newUser();
    const { raw, jid } = await fixture.loggedIn('websocket', user);
    raw.send(xml('presence'));
    await iq(raw, 'get', xml('ping', { xmlns: 'urn:xmpp:ping' }), server.chatDomain);
    return { raw, jid, id: user.id, bare: jid.split('/')[0]! };
  }

  /** Sends an iq and returns the reply with the same id. */
  async function iq(raw: RawXmppClient, type: 'get' | 'set', payload: Element, to?: string): Promise<Element> {
    const id = `t${(serial += 1)}`;
    raw.send(xml('iq', { xmlns: 'jabber:client', type, id, ...(to ? { to } : {}) }, payload));
    return raw.next((element) => element.name === 'iq' && element.attrs.id === id);
  }

  const privacy = (...children: Element[]) => xml('query', { xmlns: PRIVACY }, ...children);
  const errorOf = (reply: Element) => ({ type: reply.attrs.type, code: reply.getChild('error')?.attrs.code, condition: reply.getChild('error')?.children.find((child) => typeof child !== 'string' && child.name !== 'text') });
  const condition = (reply: Element) => {
    const found = errorOf(reply).condition;
    return found && typeof found !== 'string' ? found.name : undefined;
  };
  const names = async (raw: RawXmppClient) => (await iq(raw, 'get', privacy())).getChild('query')!.toString();

  it('returns items exactly as stored, sorted by order, and names with the default first', async () => {
    const alice = await online();
    const stored = [
      xml('item', { type: 'jid', value: `muc.${server.chatDomain}/34`, action: 'deny', order: '2' }, xml('message'), xml('presence-in'), xml('presence-out'), xml('iq')),
      xml('item', { type: 'jid', value: `34-${server.app.id}@${server.chatDomain}`, action: 'deny', order: '1' }, xml('message'), xml('presence-in'), xml('presence-out'), xml('iq')),
      xml('item', { action: 'allow', order: '9' }),
      xml('item', { type: 'subscription', value: 'none', action: 'deny', order: '5' }, xml('message')),
    ];
    expect((await iq(alice.raw, 'set', privacy(xml('list', { name: 'ordered' }, ...stored)))).attrs.type).toBe('result');
    const list = (await iq(alice.raw, 'get', privacy(xml('list', { name: 'ordered' })))).getChild('query')!.getChild('list')!;
    expect(list.getChildren('item').map((item) => item.attrs.order)).toEqual(['1', '2', '5', '9']);
    expect(list.getChildren('item')[0]!.toString()).toBe(`<item type="jid" value="34-${server.app.id}@${server.chatDomain}" action="deny" order="1"><message/><presence-in/><presence-out/><iq/></item>`);
    expect(list.getChildren('item')[2]!.toString()).toBe('<item type="subscription" value="none" action="deny" order="5"><message/></item>');
    expect(list.getChildren('item')[3]!.toString()).toBe('<item action="allow" order="9"/>');
    await iq(alice.raw, 'set', privacy(xml('default', { name: 'ordered' })));
    expect(await names(alice.raw)).toBe('<query xmlns="jabber:iq:privacy"><default name="ordered"/><list name="ordered"/></query>');
  });

  it('answers every bad request with the contract error and changes nothing', async () => {
    const alice = await online();
    const item = xml('item', { type: 'jid', value: `7-${server.app.id}@${server.chatDomain}`, action: 'deny', order: '1' });
    await iq(alice.raw, 'set', privacy(xml('list', { name: 'kept' }, item)));
    await iq(alice.raw, 'set', privacy(xml('default', { name: 'kept' })));
    const before = await names(alice.raw);
    const kept = async () => (await iq(alice.raw, 'get', privacy(xml('list', { name: 'kept' })))).getChild('query')!.toString();
    const keptBefore = await kept();

    const cases: Array<[string, 'get' | 'set', Element, string, string]> = [
      ['set with two children', 'set', privacy(xml('default', { name: 'kept' }), xml('list', { name: 'x' })), 'bad-request', '400'],
      ['set with no child', 'set', privacy(), 'bad-request', '400'],
      ['unknown element', 'set', privacy(xml('bogus')), 'bad-request', '400'],
      ['list without a name', 'set', privacy(xml('list', {}, item)), 'bad-request', '400'],
      ['item with a bad action', 'set', privacy(xml('list', { name: 'kept' }, xml('item', { action: 'maybe', order: '1' }))), 'bad-request', '400'],
      ['item without order', 'set', privacy(xml('list', { name: 'kept' }, xml('item', { action: 'deny' }))), 'bad-request', '400'],
      ['item with a negative order', 'set', privacy(xml('list', { name: 'kept' }, xml('item', { action: 'deny', order: '-1' }))), 'bad-request', '400'],
      ['duplicate orders', 'set', privacy(xml('list', { name: 'kept' }, xml('item', { action: 'deny', order: '1' }), xml('item', { action: 'allow', order: '1' }))), 'bad-request', '400'],
      ['unknown item type', 'set', privacy(xml('list', { name: 'kept' }, xml('item', { type: 'planet', value: 'x', action: 'deny', order: '1' }))), 'bad-request', '400'],
      ['typed item without value', 'set', privacy(xml('list', { name: 'kept' }, xml('item', { type: 'jid', action: 'deny', order: '1' }))), 'bad-request', '400'],
      ['name too long', 'set', privacy(xml('list', { name: 'n'.repeat(256) }, item)), 'bad-request', '400'],
      ['delete an unknown list', 'set', privacy(xml('list', { name: 'missing' })), 'item-not-found', '404'],
      ['default to an unknown list', 'set', privacy(xml('default', { name: 'missing' })), 'item-not-found', '404'],
      ['an active list', 'set', privacy(xml('active', { name: 'kept' })), 'feature-not-implemented', '501'],
      ['get two lists', 'get', privacy(xml('list', { name: 'kept' }), xml('list', { name: 'x' })), 'bad-request', '400'],
      ['get an unknown list', 'get', privacy(xml('list', { name: 'missing' })), 'item-not-found', '404'],
    ];
    for (const [name, type, payload, expected, code] of cases) {
      const reply = await iq(alice.raw, type, payload);
      expect({ name, type: reply.attrs.type, condition: condition(reply), code: reply.getChild('error')?.attrs.code }).toEqual({ name, type: 'error', condition: expected, code });
    }
    expect(await names(alice.raw)).toBe(before);
    expect(await kept()).toBe(keptBefore);
    // Declining an active list (none is ever set) is harmless.
    expect((await iq(alice.raw, 'set', privacy(xml('active')))).attrs.type).toBe('result');
  });

  it('MUC items block group traffic from that occupant only; allow items win over later denies; fall-through items match everyone', async () => {
    const [alice, bob, carol] = [await online(), await online(), await online()];
    const muc = `muc.${server.chatDomain}/${bob.id}`;
    const bobJid = bob.bare;
    const message = (from: { raw: RawXmppClient }, to: string, body: string) => from.raw.send(xml('message', { xmlns: 'jabber:client', type: 'chat', to, id: body }, xml('body', {}, body)));
    const arrival = (who: { raw: RawXmppClient }, body: string) => who.raw.next((element) => element.name === 'message' && element.getChildText('body') === body);
    const bounce = (who: { raw: RawXmppClient }, id: string) => who.raw.next((element) => element.name === 'message' && element.attrs.type === 'error' && element.attrs.id === id);

    // Only a MUC item for bob: 1-1 from bob still arrives.
    await iq(alice.raw, 'set', privacy(xml('list', { name: 'muc-only' }, xml('item', { type: 'jid', value: muc, action: 'deny', order: '1' }))));
    await iq(alice.raw, 'set', privacy(xml('default', { name: 'muc-only' })));
    message(bob, alice.bare, 'through');
    await arrival(alice, 'through');

    // allow bob, then deny everyone (no type): bob passes, carol bounces with 503.
    await iq(alice.raw, 'set', privacy(xml('list', { name: 'muc-only' }, xml('item', { type: 'jid', value: bobJid, action: 'allow', order: '1' }), xml('item', { action: 'deny', order: '2' }, xml('message')))));
    message(bob, alice.bare, 'allowed');
    await arrival(alice, 'allowed');
    message(carol, alice.bare, 'denied');
    expect(condition(await bounce(carol, 'denied'))).toBe('service-unavailable');
    // A one-way (children) block does not stop the owner writing.
    message(alice, carol.bare, 'owner writes');
    await arrival(carol, 'owner writes');
  });

  it('a MUC item stops group messages and typing from that occupant to the owner only, without errors', async () => {
    const [alice, bob, carol] = [await online(), await online(), await online()];
    const actor = { appId: server.app.id, userId: bob.id, sessionId: 0 };
    const dialog = (await server.server.services.dialogs.create(actor, { type: 2, name: 'privacy', occupantIds: [alice.id, carol.id] })).dialog;
    const room = `${server.app.id}_${dialog.id}@muc.${server.chatDomain}`;
    await iq(alice.raw, 'set', privacy(xml('list', { name: 'quiet-bob' }, xml('item', { type: 'jid', value: `muc.${server.chatDomain}/${bob.id}`, action: 'deny', order: '1' }))));
    await iq(alice.raw, 'set', privacy(xml('default', { name: 'quiet-bob' })));

    bob.raw.send(xml('message', { xmlns: 'jabber:client', type: 'groupchat', to: room, id: 'g1' }, xml('composing', { xmlns: 'http://jabber.org/protocol/chatstates' })));
    bob.raw.send(xml('message', { xmlns: 'jabber:client', type: 'groupchat', to: room, id: 'g2' }, xml('body', {}, 'from bob')));
    // Carol gets both; bob gets his reflection and no error.
    await carol.raw.next((element) => element.name === 'message' && element.getChild('composing') !== undefined);
    await carol.raw.next((element) => element.getChildText('body') === 'from bob');
    const reflection = await bob.raw.next((element) => element.name === 'message');
    expect(reflection.attrs.type).toBe('groupchat');
    // Carol's message is the barrier for alice: bob's traffic was routed before it.
    carol.raw.send(xml('message', { xmlns: 'jabber:client', type: 'groupchat', to: room, id: 'g3' }, xml('body', {}, 'from carol')));
    const first = await alice.raw.next((element) => element.name === 'message');
    expect(first.getChildText('body')).toBe('from carol');
    await bob.raw.next((element) => element.getChildText('body') === 'from carol');
    // Bob's 1-1 messages still reach alice.
    bob.raw.send(xml('message', { xmlns: 'jabber:client', type: 'chat', to: alice.bare, id: 'p1' }, xml('body', {}, 'private')));
    expect((await alice.raw.next((element) => element.name === 'message')).getChildText('body')).toBe('private');
  });

  it('status streaming: bad user_jid is refused, replies to pushes are swallowed, subscribing to oneself works', async () => {
    const alice = await online();
    const bad = await iq(alice.raw, 'set', xml('subscribe', { xmlns: STREAMING, user_jid: 'nobody', enable: 'true' }));
    expect(condition(bad)).toBe('bad-request');
    const foreign = await iq(alice.raw, 'set', xml('subscribe', { xmlns: STREAMING, user_jid: `1-${server.app.id + 1000}@${server.chatDomain}`, enable: 'true' }));
    expect(condition(foreign)).toBe('bad-request');

    alice.raw.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: 'sub' }, xml('subscribe', { xmlns: STREAMING, user_jid: alice.bare, enable: 'true' })));
    const push = await alice.raw.next((element) => element.name === 'iq' && element.attrs.type === 'set' && element.getChild('query')?.attrs.xmlns === LAST);
    expect(push.attrs.from).toBe(alice.bare);
    expect(push.getChild('query')!.attrs.seconds).toBe('0');
    // What xmpp.js answers to an unknown set; nothing comes back for it.
    alice.raw.send(xml('iq', { xmlns: 'jabber:client', type: 'error', id: String(push.attrs.id), to: alice.bare }, xml('error', { type: 'cancel' }, xml('service-unavailable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }))));
    const pong = await iq(alice.raw, 'get', xml('ping', { xmlns: 'urn:xmpp:ping' }), server.chatDomain);
    expect(pong.attrs.type).toBe('result');
    const own = await iq(alice.raw, 'get', xml('query', { xmlns: LAST }), alice.bare);
    expect(own.getChild('query')!.attrs.seconds).toBe('0');
  });
});
