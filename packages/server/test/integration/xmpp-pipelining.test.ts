import { databaseKinds, pingServer, startServer, xml, type Element, type RawXmppClient, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from './xmpp-helpers.js';

const DOMAIN = 'chat.test';
const SM = 'urn:xmpp:sm:3';
const CORRECT = 'urn:xmpp:message-correct:0';
const PRIVACY = 'jabber:iq:privacy';

/**
 * A connection's content messages are pipelined (ADR 0022): a sender that does not wait still sees
 * arrival order everywhere — stored, routed, bounced and counted in XEP-0198 `h` — and a stanza that is
 * not a content message (an edit, an `<r/>`) sees every message sent before it.
 */
describe.each(databaseKinds)('XMPP pipelined messages (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  let serial = 0;
  beforeAll(async () => {
    server = await startServer({ db, config: { chatDomain: DOMAIN } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  type Online = { raw: RawXmppClient; id: number; appId: number; bare: string };

  /** Logged in, stream management on, available (the presence and the ping count in h: 2). */
  async function online(): Promise<Online> {
    const user = await fixture.newUser();
    const { raw, jid } = await fixture.loggedIn('websocket', user);
    raw.send(xml('enable', { xmlns: SM }));
    await raw.nextNamed('enabled', SM);
    raw.send(xml('presence'));
    await pingServer(raw, DOMAIN);
    return { raw, id: user.id, appId: user.appId, bare: jid.split('/')[0]! };
  }

  const chat = (to: string, id: string, body: string, ...extra: Element[]) =>
    xml('message', { type: 'chat', to, id }, xml('body', {}, body), xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1')), ...extra);
  const groupchat = (room: string, id: string, body: string) =>
    xml('message', { type: 'groupchat', to: room, id }, xml('body', {}, body), xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1')));

  /** The next `count` elements the client receives that pass `test`, in order. */
  async function collect(raw: RawXmppClient, count: number, test: (element: Element) => boolean): Promise<Element[]> {
    const seen: Element[] = [];
    while (seen.length < count) seen.push(await raw.next(test, 30_000));
    return seen;
  }

  async function ackedH(raw: RawXmppClient): Promise<number> {
    raw.send(xml('r', { xmlns: SM }));
    // A shared, busy machine may take seconds over a burst.
    return Number((await raw.nextNamed('a', SM, 30_000)).attrs.h);
  }

  /** Counts the most creates of this sender in flight at once (each settles after its commit). */
  function watchCreates(senderId: number): { most: () => number; stop: () => void } {
    const repository = server.server.store.messages;
    const original = repository.create;
    let now = 0;
    let most = 0;
    repository.create = async (message) => {
      if (message.senderId !== senderId) return original.call(repository, message);
      now += 1;
      most = Math.max(most, now);
      try {
        return await original.call(repository, message);
      } finally {
        now -= 1;
      }
    };
    return { most: () => most, stop: () => void (repository.create = original) };
  }

  it('a sender blasting messages has them overlap their commits, yet stored, delivered and acknowledged in order', { timeout: 90_000 }, async () => {
    const [alice, bob] = [await online(), await online()];
    const count = 200;
    const watch = watchCreates(alice.id);
    try {
      for (let n = 0; n < count; n += 1) alice.raw.send(chat(bob.bare, `blast-${n}`, `blast ${n}`));
      expect(await ackedH(alice.raw)).toBe(2 + count);
    } finally {
      watch.stop();
    }
    // Without pipelining a connection has one create at a time.
    expect(watch.most()).toBeGreaterThan(1);

    const routed = await collect(bob.raw, count, (element) => element.name === 'message' && element.getChildText('body')?.startsWith('blast') === true);
    expect(routed.map((element) => element.getChildText('body'))).toEqual(Array.from({ length: count }, (_, n) => `blast ${n}`));
    const ids = routed.map((element) => element.attrs.id!);
    const stored = await server.server.store.messages.findByIds(alice.appId, ids);
    const seqOf = new Map(stored.map((message) => [message.id, message.seq]));
    const seqs = ids.map((id) => seqOf.get(id) ?? -1);
    expect(seqs.every((seq, n) => seq > 0 && (n === 0 || seq > (seqs[n - 1] ?? 0)))).toBe(true);
    const dialogId = routed[0]!.getChild('extraParams')!.getChildText('dialog_id')!;
    const [last] = await server.server.store.messages.latest(alice.appId, dialogId, 1);
    expect(last?.body).toBe(`blast ${count - 1}`);
  });

  it('an edit right after a send finds the message; an <r/> covers every message before it', async () => {
    const [alice, bob] = [await online(), await online()];
    const id = '6744f3f61a2b3c04d5a0b1c2';
    alice.raw.send(chat(bob.bare, 'first', 'one'));
    alice.raw.send(chat(bob.bare, id, 'typo'));
    alice.raw.send(xml('message', { type: 'chat', to: bob.bare, id: 'fix' }, xml('body', {}, 'fixed'), xml('replace', { xmlns: CORRECT, id })));
    expect(await ackedH(alice.raw)).toBe(5);
    const routed = await collect(bob.raw, 3, (element) => element.name === 'message' && element.attrs.type === 'chat');
    expect(routed.map((element) => element.getChildText('body'))).toEqual(['one', 'typo', 'fixed']);
    const [stored] = await server.server.store.messages.findByIds(alice.appId, [id]);
    expect(stored?.body).toBe('fixed');
  });

  it('refusals in the middle of a burst bounce in place; the other messages keep their order', async () => {
    const [alice, bob, carol] = [await online(), await online(), await online()];
    // carol blocks alice: alice's messages to her bounce with 503.
    const block = xml('query', { xmlns: PRIVACY }, xml('list', { name: 'no-alice' }, xml('item', { type: 'jid', value: alice.bare, action: 'deny', order: '1' }, xml('message'))));
    for (const payload of [block, xml('query', { xmlns: PRIVACY }, xml('default', { name: 'no-alice' }))]) {
      const iqId = `p${(serial += 1)}`;
      carol.raw.send(xml('iq', { type: 'set', id: iqId }, payload));
      expect((await carol.raw.next((element) => element.name === 'iq' && element.attrs.id === iqId)).attrs.type).toBe('result');
    }
    const actor = { appId: alice.appId, userId: bob.id, sessionId: 0 };
    const group = (await server.server.services.dialogs.create(actor, { type: 2, name: 'pipelined', occupantIds: [alice.id] })).dialog;
    const room = `${alice.appId}_${group.id}@muc.${DOMAIN}`;
    const strangers = (await server.server.services.dialogs.create({ ...actor, userId: carol.id }, { type: 2, name: 'closed', occupantIds: [bob.id] })).dialog;
    const closedRoom = `${alice.appId}_${strangers.id}@muc.${DOMAIN}`;

    alice.raw.send(groupchat(room, 'g1', 'group 1'));
    alice.raw.send(chat(carol.bare, 'to-carol', 'blocked'));
    alice.raw.send(chat(bob.bare, 'm1', 'private 1'));
    alice.raw.send(groupchat(closedRoom, 'not-member', 'nowhere'));
    alice.raw.send(groupchat(room, 'g2', 'group 2'));
    alice.raw.send(chat(bob.bare, 'm2', 'private 2'));
    alice.raw.send(xml('r', { xmlns: SM }));

    // What alice sees comes in her order: the reflection of g1, the bounce, the other bounce, g2's reflection.
    const back = await collect(alice.raw, 4, (element) => element.name === 'message');
    expect(Number((await alice.raw.nextNamed('a', SM, 30_000)).attrs.h)).toBe(2 + 6);
    expect(back.map((element) => (element.attrs.type === 'error' ? `error ${element.attrs.id} ${element.getChild('error')?.attrs.code}` : element.getChildText('body')))).toEqual([
      'group 1',
      'error to-carol 503',
      'error not-member 403',
      'group 2',
    ]);
    const atBob = await collect(bob.raw, 4, (element) => element.name === 'message' && element.getChild('body') !== undefined);
    expect(atBob.map((element) => element.getChildText('body'))).toEqual(['group 1', 'private 1', 'group 2', 'private 2']);
    const reached = await carol.raw.next((element) => element.name === 'message' && element.getChild('body') !== undefined, 300).catch(() => undefined);
    expect(reached).toBeUndefined();
    const [groupLast] = await server.server.store.messages.latest(alice.appId, group.id, 1);
    expect(groupLast?.body).toBe('group 2');
  });
});
