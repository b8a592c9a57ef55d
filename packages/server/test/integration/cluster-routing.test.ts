import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomJid, type DialogWire } from '@parley/protocol';
import { loginPlain, rawRequest, RawXmppClient, sessionToken, startCluster, xml, type Element, type TestCluster, type TestServer } from '@parley/testkit';

/**
 * Two (and for node death, three) real Parley nodes in this process on one PostgreSQL database and one
 * Redis or NATS broker: alice and bob on different nodes talk as they would on one. Conversations
 * read "alice on node 0 sends … / bob on node 1 receives …".
 */

const CLIENT = 'jabber:client';
const SM = 'urn:xmpp:sm:3';
const CHAT_STATES = 'http://jabber.org/protocol/chatstates';
const MARKERS = 'urn:xmpp:chat-markers:0';
const CARBONS = 'urn:xmpp:carbons:2';
const PRIVACY = 'jabber:iq:privacy';
const LAST = 'jabber:iq:last';
const STREAMING = 'https://connectycube.com/protocol/status_streaming';
const MUC = 'http://jabber.org/protocol/muc';
const LEASE_SECONDS = 2;

interface Person {
  id: number;
  login: string;
  password: string;
  bare: string;
}

interface Online extends Person {
  raw: RawXmppClient;
  jid: string;
  node: TestServer;
}

describe.each(['redis', 'nats'] as const)('two nodes on PostgreSQL and %s', (bus) => {
  let cluster: TestCluster;
  let n0: TestServer;
  let n1: TestServer;
  let serial = 0;
  const raws: RawXmppClient[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ bus, nodes: 2, config: { clusterLease: `${LEASE_SECONDS}s` } });
    [n0, n1] = cluster.nodes as [TestServer, TestServer];
  }, 60_000);

  afterAll(async () => {
    for (const raw of raws) raw.destroy();
    await cluster?.stop();
  });

  const appId = () => cluster.app.id;
  const domain = () => n0.chatDomain;

  async function person(): Promise<Person> {
    const login = `c${Date.now().toString(36)}${(serial += 1)}`;
    const user = await n0.server.services.users.signup(appId(), { login, password: 'secret-pwd' });
    return { id: user.id, login, password: 'secret-pwd', bare: `${user.id}-${appId()}@${domain()}` };
  }

  /** Logs in on `node`; with presence, waits until every running node sees the user online. */
  async function connect(node: TestServer, who: Person, options: { presence?: boolean } = {}): Promise<Online> {
    const raw = await RawXmppClient.websocket(node.wsUrl);
    raws.push(raw);
    const jid = await loginPlain(raw, { domain: domain(), appId: appId(), userId: who.id, password: who.password });
    if (options.presence ?? true) {
      raw.send(xml('presence', { xmlns: CLIENT }));
      await raw.next((e) => e.name === 'presence' && e.attrs.from === jid);
      await everyNodeSees(who, true);
    }
    return { ...who, raw, jid, node };
  }

  async function everyNodeSees(who: Person, online: boolean, nodes: TestServer[] = [n0, n1]): Promise<void> {
    await expect
      .poll(async () => (await Promise.all(nodes.map((node) => node.server.services.presence.isOnline(appId(), who.id)))).every((seen) => seen === online), { timeout: 10_000 })
      .toBe(true);
  }

  const chat = (to: string, id: string, body: string) =>
    xml('message', { xmlns: CLIENT, type: 'chat', to, id }, xml('body', {}, body), xml('extraParams', { xmlns: CLIENT }, xml('save_to_history', {}, '1')));
  const isBody = (text: string) => (e: Element) => e.name === 'message' && e.getChildText('body') === text;

  async function iq(raw: RawXmppClient, type: 'get' | 'set', payload: Element, to?: string): Promise<Element> {
    const id = `iq${(serial += 1)}`;
    raw.send(xml('iq', { xmlns: CLIENT, type, id, ...(to ? { to } : {}) }, payload));
    return raw.next((e) => e.name === 'iq' && e.attrs.id === id);
  }

  async function token(who: Person, node: TestServer = n0): Promise<string> {
    return sessionToken(node.url, cluster.app, { login: who.login, password: who.password });
  }

  it('1-1 chat: alice on node 0 → bob on node 1, in order, stored once; alice’s resource on node 1 gets the carbons', async () => {
    const alice = await connect(n0, await person());
    const bob = await connect(n1, await person());
    const aliceElsewhere = await connect(n1, alice);
    expect((await iq(aliceElsewhere.raw, 'set', xml('enable', { xmlns: CARBONS }))).attrs.type).toBe('result');
    await expect.poll(() => n0.server.xmpp.router.remoteSessionsOf(appId(), alice.id).some((session) => session.carbons), { timeout: 10_000 }).toBe(true);

    const count = 40;
    for (let n = 0; n < count; n += 1) alice.raw.send(chat(bob.bare, `m-${bus}-${n}`, `hello ${n}`));
    const got: Element[] = [];
    for (let n = 0; n < count; n += 1) got.push(await bob.raw.next((e) => e.name === 'message' && e.getChildText('body') !== null && e.getChildText('body') !== undefined));
    const received = got.map((message) => message.getChildText('body'));
    expect(received).toEqual(Array.from({ length: count }, (_, n) => `hello ${n}`));
    const carbon = await aliceElsewhere.raw.next((e) => e.name === 'message' && e.getChild('sent', CARBONS) !== undefined);
    expect(carbon.getChild('sent', CARBONS)!.getChild('forwarded')!.getChild('message')!.getChildText('body')).toBe('hello 0');
    expect(carbon.attrs.to).toBe(aliceElsewhere.jid);

    const dialogId = got[0]!.getChild('extraParams')!.getChildText('dialog_id')!;
    const history = await rawRequest(n1.url, `/chat/Message.json?chat_dialog_id=${dialogId}&mark_as_read=0&limit=100`, { token: await token(bob, n1) });
    expect(history.status).toBe(200);
    const items = (history.json as { items: { _id: string }[] }).items;
    expect(new Set(items.map((item) => item._id)).size).toBe(count);
  });

  it('typing and markers cross nodes', async () => {
    const alice = await connect(n0, await person());
    const bob = await connect(n1, await person());
    alice.raw.send(xml('message', { xmlns: CLIENT, type: 'chat', to: bob.bare, id: 'typing-1' }, xml('composing', { xmlns: CHAT_STATES })));
    const typing = await bob.raw.next((e) => e.name === 'message' && e.getChild('composing', CHAT_STATES) !== undefined);
    expect(typing.attrs.from).toBe(alice.jid);

    alice.raw.send(chat(bob.bare, `mk-${bus}`, 'read me'));
    const delivered = await bob.raw.next(isBody('read me'));
    const dialogId = delivered.getChild('extraParams')!.getChildText('dialog_id')!;
    bob.raw.send(xml('message', { xmlns: CLIENT, type: 'chat', to: alice.bare, id: 'mark-1' }, xml('displayed', { xmlns: MARKERS, id: String(delivered.attrs.id) }), xml('extraParams', { xmlns: CLIENT }, xml('dialog_id', {}, dialogId))));
    const marker = await alice.raw.next((e) => e.name === 'message' && e.getChild('displayed', MARKERS) !== undefined);
    expect(marker.getChild('displayed', MARKERS)!.attrs.id).toBe(delivered.attrs.id);
    expect(marker.attrs.from).toBe(bob.jid);
  });

  it('an IQ between two clients (full JIDs) crosses nodes both ways', async () => {
    const alice = await connect(n0, await person());
    const bob = await connect(n1, await person());
    alice.raw.send(xml('iq', { xmlns: CLIENT, type: 'get', to: bob.jid, id: `v-${bus}` }, xml('query', { xmlns: 'jabber:iq:version' })));
    const asked = await bob.raw.next((e) => e.name === 'iq' && e.attrs.id === `v-${bus}`);
    expect(asked.attrs).toMatchObject({ type: 'get', from: alice.jid, to: bob.jid });
    bob.raw.send(xml('iq', { xmlns: CLIENT, type: 'result', to: alice.jid, id: `v-${bus}` }, xml('query', { xmlns: 'jabber:iq:version' }, xml('name', {}, 'bob-client'))));
    const answer = await alice.raw.next((e) => e.name === 'iq' && e.attrs.id === `v-${bus}`);
    expect(answer.attrs).toMatchObject({ type: 'result', from: bob.jid, to: alice.jid });
    expect(answer.getChild('query')!.getChildText('name')).toBe('bob-client');
  });

  it('group chat: members and joined occupants on both nodes get the message once; a join on node 1 is announced on node 0', async () => {
    const alice = await connect(n0, await person());
    const bob = await connect(n1, await person());
    const carol = await connect(n1, await person());
    const created = await rawRequest(n0.url, '/chat/Dialog.json', { method: 'POST', token: await token(alice), body: { type: 2, name: 'Across nodes', occupants_ids: `${bob.id},${carol.id}` } });
    expect(created.status).toBe(201);
    const dialog = created.json as DialogWire;
    const room = roomJid(appId(), dialog._id, domain());

    alice.raw.send(xml('presence', { xmlns: CLIENT, to: `${room}/${alice.id}` }, xml('x', { xmlns: MUC })));
    await alice.raw.next((e) => e.name === 'presence' && e.attrs.from === `${room}/${alice.id}`);
    await expect.poll(() => n1.server.xmpp.router.remoteSessionsOf(appId(), alice.id).length, { timeout: 10_000 }).toBeGreaterThan(0);
    carol.raw.send(xml('presence', { xmlns: CLIENT, to: `${room}/${carol.id}` }, xml('x', { xmlns: MUC })));
    const announced = await alice.raw.next((e) => e.name === 'presence' && e.attrs.from === `${room}/${carol.id}`);
    expect(announced.attrs.type).toBeUndefined();

    alice.raw.send(xml('message', { xmlns: CLIENT, type: 'groupchat', to: room, id: `g-${bus}` }, xml('body', {}, 'hi all'), xml('extraParams', { xmlns: CLIENT }, xml('save_to_history', {}, '1'))));
    for (const member of [alice, bob, carol]) {
      const got = await member.raw.next(isBody('hi all'));
      expect(got.attrs).toMatchObject({ type: 'groupchat', from: `${room}/${alice.id}`, to: member.jid });
    }
    // Carol is both a member and joined: one copy.
    const copies = async () => carol.raw.received.filter(isBody('hi all')).length;
    await iq(carol.raw, 'get', xml('ping', { xmlns: 'urn:xmpp:ping' }), domain());
    expect(await copies()).toBe(1);

    // Occupants listed on node 0 include carol, joined on node 1.
    await expect
      .poll(async () => (await iq(alice.raw, 'get', xml('query', { xmlns: 'http://jabber.org/protocol/disco#items' }), room)).getChild('query')!.getChildren('item').map((item) => item.attrs.name).sort(), { timeout: 10_000 })
      .toEqual([String(alice.id), String(carol.id)].sort());
  });

  it('presence and online counts are cluster-wide (REST on node 0 lists a user connected to node 1)', async () => {
    const bob = await connect(n1, await person());
    const asker = await person();
    const listed = await rawRequest(n0.url, '/users/online.json?limit=100', { token: await token(asker) });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.json)).toContain(String(bob.id));
    const counted = await rawRequest(n0.url, '/users/online.json?count=1', { token: await token(asker) });
    expect((counted.json as { count: number }).count).toBe(await n1.server.services.presence.onlineCount(appId()));
    bob.raw.destroy();
    await everyNodeSees(bob, false);
  });

  it('last activity: a subscriber on node 0 hears a user on node 1 come and go', async () => {
    const alice = await connect(n0, await person());
    const bob = await person();
    alice.raw.send(xml('iq', { xmlns: CLIENT, type: 'set', id: 'sub' }, xml('subscribe', { xmlns: STREAMING, user_jid: bob.bare, enable: 'true' })));
    const isPush = (e: Element) => e.name === 'iq' && e.attrs.type === 'set' && e.attrs.from === bob.bare && e.getChild('query')?.attrs.xmlns === LAST;
    const bobOnline = await connect(n1, bob);
    expect((await alice.raw.next(isPush)).getChild('query')!.attrs.seconds).toBe('0');
    expect((await iq(alice.raw, 'get', xml('query', { xmlns: LAST }), bob.bare)).getChild('query')!.attrs.seconds).toBe('0');
    bobOnline.raw.send(xml('close', { xmlns: 'urn:ietf:params:xml:ns:xmpp-framing' }));
    const gone = await alice.raw.next(isPush);
    expect(Number(gone.getChild('query')!.attrs.seconds)).toBeGreaterThanOrEqual(1);
  });

  it('privacy lists: a block set on node 1 holds at once for a sender on node 0', async () => {
    const alice = await connect(n0, await person());
    const bob = await connect(n1, await person());
    // Node 0 has looked at bob's (empty) list before he blocks.
    alice.raw.send(chat(bob.bare, `p-${bus}-1`, 'before the block'));
    await bob.raw.next(isBody('before the block'));
    const deny = xml('item', { type: 'jid', value: alice.bare, action: 'deny', order: '1' }, xml('message'));
    expect((await iq(bob.raw, 'set', xml('query', { xmlns: PRIVACY }, xml('list', { name: 'block' }, deny)))).attrs.type).toBe('result');
    expect((await iq(bob.raw, 'set', xml('query', { xmlns: PRIVACY }, xml('default', { name: 'block' })))).attrs.type).toBe('result');
    // Confirmed only once node 0 dropped its copy: the very next message bounces.
    const id = `p-${bus}-after`;
    alice.raw.send(chat(bob.bare, id, 'after the block'));
    const bounce = await alice.raw.next((e) => e.name === 'message' && e.attrs.id === id && e.attrs.type === 'error');
    expect(bounce.getChild('error')!.getChild('service-unavailable')).toBeDefined();
    expect(bob.raw.received.filter(isBody('after the block'))).toEqual([]);
  });

  it('REST send_to_chat on node 0 reaches the recipient on node 1', async () => {
    const alice = await person();
    const bob = await connect(n1, await person());
    const sent = await rawRequest(n0.url, '/chat/Message.json', { method: 'POST', token: await token(alice), body: { recipient_id: bob.id, message: 'over REST', send_to_chat: 1 } });
    expect(sent.status).toBe(201);
    const got = await bob.raw.next(isBody('over REST'));
    expect(got.attrs).toMatchObject({ type: 'chat', id: (sent.json as { _id: string })._id, from: alice.bare, to: bob.jid });
  });

  it('call signalling: a WebRTCVideoChat headline from node 0 reaches the callee on node 1', async () => {
    const alice = await connect(n0, await person());
    const bob = await connect(n1, await person());
    const signal = xml(
      'message',
      { xmlns: CLIENT, type: 'headline', to: bob.bare, id: `call-${bus}` },
      xml('extraParams', { xmlns: CLIENT }, xml('moduleIdentifier', {}, 'WebRTCVideoChat'), xml('signalType', {}, 'call'), xml('sessionID', {}, `s-${bus}`), xml('callType', {}, '1'), xml('callerID', {}, String(alice.id)), xml('opponentsIDs', {}, xml('opponentID', {}, String(bob.id))), xml('sdp', {}, 'v=0')),
    );
    alice.raw.send(signal);
    const got = await bob.raw.next((e) => e.name === 'message' && e.attrs.id === `call-${bus}`);
    expect(got.attrs).toMatchObject({ type: 'headline', from: alice.jid });
    expect(got.getChild('extraParams')!.getChildText('signalType')).toBe('call');
  });

  it('revocation: deleting the account over REST on node 0 closes its connection on node 1', async () => {
    const bob = await person();
    const bobToken = await token(bob);
    const online = await connect(n1, bob);
    const deleted = await rawRequest(n0.url, `/users/${bob.id}.json`, { method: 'DELETE', token: bobToken });
    expect(deleted.status).toBe(200);
    const error = await online.raw.next((e) => e.name === 'stream:error' || e.name === 'error');
    expect(error.getChild('not-authorized')).toBeDefined();
    await online.raw.closed;
    await everyNodeSees(bob, false);
  });

  it('resumption on the other node fails cleanly and what was not acknowledged comes from the offline queue', async () => {
    const alice = await connect(n0, await person());
    const bob = await person();
    const first = await connect(n1, bob);
    first.raw.send(xml('enable', { xmlns: SM, resume: 'true' }));
    const enabled = await first.raw.next((e) => e.name === 'enabled');
    const previd = enabled.attrs.id!;
    expect(previd.startsWith(`${n1.server.nodeId}.`)).toBe(true);
    for (let n = 0; n < 3; n += 1) alice.raw.send(chat(bob.bare, `r-${bus}-${n}`, `unacked ${n}`));
    for (let n = 0; n < 3; n += 1) await first.raw.next(isBody(`unacked ${n}`));
    // Bob's network drops without acknowledging; he comes back through the other node.
    first.raw.destroy();
    await expect.poll(() => n1.server.xmpp.resumable.parkedCount, { timeout: 10_000 }).toBe(1);

    const again = await RawXmppClient.websocket(n0.wsUrl);
    raws.push(again);
    await loginPlain(again, { domain: domain(), appId: appId(), userId: bob.id, password: bob.password, bind: false });
    again.send(xml('resume', { xmlns: SM, previd, h: '0' }));
    const failed = await again.next((e) => e.name === 'failed' || e.name === 'resumed');
    expect(failed.name).toBe('failed');
    expect(failed.getChild('item-not-found')).toBeDefined();
    // The session on node 1 was ended at once, its unacknowledged messages queued.
    expect(n1.server.xmpp.resumable.parkedCount).toBe(0);
    again.send(xml('iq', { xmlns: CLIENT, type: 'set', id: 'bind-2' }, xml('bind', { xmlns: 'urn:ietf:params:xml:ns:xmpp-bind' })));
    await again.next((e) => e.name === 'iq' && e.attrs.id === 'bind-2');
    again.send(xml('presence', { xmlns: CLIENT }));
    const bodies: string[] = [];
    for (let n = 0; n < 3; n += 1) bodies.push((await again.next((e) => e.name === 'message' && e.getChildText('body')?.startsWith('unacked') === true)).getChildText('body')!);
    expect(bodies.sort()).toEqual(['unacked 0', 'unacked 1', 'unacked 2']);
  });

  it('a node that dies: its users show offline once its leases lapse, and subscribers elsewhere hear it', async () => {
    const n2 = await cluster.addNode();
    const alice = await connect(n0, await person());
    const dave = await person();
    const daveOnline = await connect(n2, dave);
    await everyNodeSees(dave, true, [n0, n1, n2]);
    // Both in a room: alice joined on node 0, dave on node 2.
    const created = await rawRequest(n0.url, '/chat/Dialog.json', { method: 'POST', token: await token(alice), body: { type: 2, name: 'Doomed node', occupants_ids: String(dave.id) } });
    const room = roomJid(appId(), (created.json as DialogWire)._id, domain());
    alice.raw.send(xml('presence', { xmlns: CLIENT, to: `${room}/${alice.id}` }, xml('x', { xmlns: MUC })));
    await alice.raw.next((e) => e.name === 'presence' && e.attrs.from === `${room}/${alice.id}`);
    await expect.poll(() => n2.server.xmpp.router.remoteSessionsOf(appId(), alice.id).length, { timeout: 10_000 }).toBeGreaterThan(0);
    daveOnline.raw.send(xml('presence', { xmlns: CLIENT, to: `${room}/${dave.id}` }, xml('x', { xmlns: MUC })));
    expect((await alice.raw.next((e) => e.name === 'presence' && e.attrs.from === `${room}/${dave.id}`)).attrs.type).toBeUndefined();
    alice.raw.send(xml('iq', { xmlns: CLIENT, type: 'set', id: 'sub-dave' }, xml('subscribe', { xmlns: STREAMING, user_jid: dave.bare, enable: 'true' })));
    const isPush = (e: Element) => e.name === 'iq' && e.attrs.type === 'set' && e.attrs.from === dave.bare && e.getChild('query')?.attrs.xmlns === LAST;
    expect((await alice.raw.next(isPush)).getChild('query')!.attrs.seconds).toBe('0');

    await n2.kill();
    // Nothing said goodbye: dave is still listed until the lease (2 s) lapses.
    expect(await n0.server.services.presence.isOnline(appId(), dave.id)).toBe(true);
    // Nor can it drop its cached privacy lists: a change on node 0 waits for it a bounded time, then is confirmed.
    const unblock = xml('query', { xmlns: PRIVACY }, xml('list', { name: 'nobody' }, xml('item', { action: 'allow', order: '1' })));
    expect((await iq(alice.raw, 'set', unblock)).attrs.type).toBe('result');
    await everyNodeSees(dave, false);
    // Both arrive, in either order: the offline push, and (the dead node cannot say it) dave leaving the
    // room, told by node 0 to its occupants once the node's rooms lapsed.
    await expect.poll(() => alice.raw.received.filter(isPush).length, { timeout: 10_000 }).toBe(2);
    const offline = alice.raw.received.filter(isPush)[1]!;
    expect(Number(offline.getChild('query')!.attrs.seconds)).toBeGreaterThanOrEqual(1);
    const fromDave = (e: Element) => e.name === 'presence' && e.attrs.from === `${room}/${dave.id}`;
    await expect.poll(() => alice.raw.received.filter(fromDave).map((e) => e.attrs.type ?? 'available'), { timeout: 10_000 }).toEqual(['available', 'unavailable']);
  });
});
