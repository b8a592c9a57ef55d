import { xml } from '@xmpp/xml';
import { describe, expect, it, vi } from 'vitest';
import type { RemoteConnection, SessionDirectory } from '../ports/presence.js';
import { PreparedStanza } from './cluster/prepared-stanza.js';
import { LocalSessionRouter } from './router.js';
import { ClientSession } from './session.js';
import type { XmppConnection } from './transport/connection.js';

/** A bound, available session whose connection records what was written to it. */
function session(id: string, userId: number, resource: string): { session: ClientSession; written: string[] } {
  const written: string[] = [];
  const connection = {
    id,
    transport: 'websocket',
    remoteAddress: '127.0.0.1',
    secure: false,
    bufferedBytes: 0,
    send: (text: string) => written.push(text),
    close: () => undefined,
    destroy: () => undefined,
    ping: () => true,
    pause: () => undefined,
    resume: () => undefined,
    onData: () => undefined,
    onPong: () => undefined,
    onClose: () => undefined,
  } satisfies XmppConnection;
  const created = new ClientSession(connection, { chatDomain: 'chat.test', maxOutboundBytes: 1 << 20, runAvailableHooks: async () => undefined });
  created.authenticate(5, userId, 1);
  created.bind(resource);
  created.available = true;
  return { session: created, written };
}

const directory = (remote: RemoteConnection[]): SessionDirectory => ({
  nodeId: 'here',
  remoteConnections: (appId, userId) => remote.filter((connection) => connection.appId === appId && connection.userId === userId),
  liveNodes: () => [...new Set(remote.map((connection) => connection.node))],
  describeWith: () => undefined,
  detailsChanged: async () => undefined,
  onOnlineChange: () => undefined,
  stop: async () => undefined,
});

describe('SessionRouter', () => {
  it('serialises a stanza once for all of a user’s connections, each getting the same bytes with its own `to`', () => {
    const router = new LocalSessionRouter();
    const phone = session('c1', 7, 'phone');
    const laptop = session('c2', 7, 'laptop');
    router.register(phone.session);
    router.register(laptop.session);
    const stanza = xml('message', { type: 'chat', from: '8-5@chat.test', id: 'm1' }, xml('body', {}, 'hi'));
    const serialise = vi.spyOn(stanza, 'toString');
    expect(router.deliver(5, 7, stanza)).toBe(2);
    expect(serialise).toHaveBeenCalledTimes(1);
    expect(phone.written).toEqual(['<message to="7-5@chat.test/phone" type="chat" from="8-5@chat.test" id="m1" xmlns="jabber:client"><body>hi</body></message>']);
    expect(laptop.written[0]!.replace('laptop', 'phone')).toBe(phone.written[0]);
    // The same with the per-connection build returning one element.
    expect(router.toUser(5, 7, () => stanza)).toBe(2);
    expect(serialise).toHaveBeenCalledTimes(2);
    // A resource filter, and `except`.
    expect(router.deliver(5, 7, stanza, { resource: 'laptop' })).toBe(1);
    expect(router.deliver(5, 7, stanza, { except: laptop.session })).toBe(1);
    expect(phone.written).toHaveLength(3);
    expect(laptop.written).toHaveLength(3);
  });

  it('builds a stanza given as a function only when some connection matches, once for all of them', () => {
    const router = new LocalSessionRouter();
    const phone = session('c1', 7, 'phone');
    const laptop = session('c2', 7, 'laptop');
    router.register(phone.session);
    router.register(laptop.session);
    const build = vi.fn(() => xml('message', { type: 'chat', id: 'm2' }));
    expect(router.deliver(5, 7, build, { carbonsOnly: true })).toBe(0);
    expect(router.deliver(5, 8, build)).toBe(0);
    expect(build).not.toHaveBeenCalled();
    expect(router.deliver(5, 7, build)).toBe(2);
    expect(build).toHaveBeenCalledTimes(1);
    expect(phone.written).toEqual(['<message to="7-5@chat.test/phone" type="chat" id="m2" xmlns="jabber:client"/>']);
  });

  it('sends other nodes one hint per node with the same text and the connection ids, and counts them', () => {
    const sent: { node: string; ids: readonly string[]; text: string }[] = [];
    const remote = [
      { node: 'b', id: 'r1', appId: 5, userId: 7, resource: 'tablet', carbons: true, inactive: false },
      { node: 'b', id: 'r2', appId: 5, userId: 7, resource: 'tv', carbons: false, inactive: false },
      { node: 'c', id: 'r3', appId: 5, userId: 7, resource: 'web', carbons: false, inactive: false },
    ];
    const router = new LocalSessionRouter({
      directory: directory(remote),
      chatDomain: 'chat.test',
      remote: { send: (node: string, ids: readonly string[], prepared: PreparedStanza) => sent.push({ node, ids, text: prepared.text }) },
    });
    const local = session('c1', 7, 'phone');
    router.register(local.session);
    const stanza = xml('message', { type: 'chat', from: '8-5@chat.test', id: 'm2' }, xml('body', {}, 'hi'));
    const serialise = vi.spyOn(stanza, 'toString');
    expect(router.deliver(5, 7, stanza)).toBe(4);
    expect(serialise).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([
      { node: 'b', ids: ['r1', 'r2'], text: '<message type="chat" from="8-5@chat.test" id="m2" xmlns="jabber:client"><body>hi</body></message>' },
      { node: 'c', ids: ['r3'], text: sent[0]!.text },
    ]);
    // Carbons only reach connections that enabled them, on every node; a full JID only its resource.
    sent.length = 0;
    expect(router.deliver(5, 7, stanza, { carbonsOnly: true })).toBe(1);
    expect(sent.map((hint) => hint.ids)).toEqual([['r1']]);
    expect(router.toUser(5, 7, (target) => (target.resource === 'web' ? stanza : undefined))).toBe(1);
    expect(sent.at(-1)!.ids).toEqual(['r3']);
  });

  it('writes a stanza from another node to the named connections of this one', () => {
    const router = new LocalSessionRouter();
    const phone = session('c1', 7, 'phone');
    router.register(phone.session);
    const text = PreparedStanza.of(xml('message', { type: 'chat', id: 'm3' }, xml('body', {}, 'from afar'))).text;
    expect(router.deliverLocal(['c1', 'gone'], PreparedStanza.fromText(text))).toBe(1);
    expect(phone.written).toEqual(['<message to="7-5@chat.test/phone" type="chat" id="m3" xmlns="jabber:client"><body>from afar</body></message>']);
  });
});
