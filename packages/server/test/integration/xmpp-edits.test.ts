import { databaseKinds, pingServer, startServer, xml, type Element, type RawXmppClient, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from './xmpp-helpers.js';
import { decodeMessageList } from '../../src/http/decoders/message-query.js';

const DOMAIN = 'chat.test';
const CORRECT = 'urn:xmpp:message-correct:0';
const DELETE = 'urn:xmpp:message-delete:0';

/**
 * Edits, deletes and room removals on the wire (realtime.md §6.6, §7.7, §7.8, §7.11): the exact
 * shapes a raw client sees, refusals that change nothing, and applications kept apart.
 */
describe.each(databaseKinds)('XMPP edits, deletes and kicks (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, config: { chatDomain: DOMAIN, messageMaxBytes: '1kb' } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  const actor = (user: { id: number; appId: number }) => ({ appId: user.appId, userId: user.id, sessionId: 0 });
  const isMessage = (element: Element) => element.name === 'message';

  async function online(user: { id: number; password: string; appId: number }): Promise<{ raw: RawXmppClient; jid: string }> {
    const session = await fixture.loggedIn('websocket', user);
    session.raw.send(xml('presence', {}));
    await pingServer(session.raw, DOMAIN);
    return session;
  }

  async function storedBody(user: { id: number; appId: number }, dialogId: string): Promise<string[]> {
    const page = await server.server.services.messages.list(actor(user), decodeMessageList({ chat_dialog_id: dialogId, mark_as_read: 0 }));
    return 'messages' in page ? page.messages.map((message) => message.body ?? '') : [];
  }

  it('a group edit of an unknown id is still routed; a too-long edit is refused with 400 and routed nowhere', async () => {
    const [alice, bob] = [await fixture.newUser(), await fixture.newUser()];
    const dialog = (await server.server.services.dialogs.create(actor(alice), { type: 2, name: 'edits', occupantIds: [bob.id] })).dialog;
    const room = `${alice.appId}_${dialog.id}@muc.${DOMAIN}`;
    const [a, b] = [await online(alice), await online(bob)];

    a.raw.send(xml('message', { to: room, type: 'groupchat', id: 'e1' }, xml('body', {}, 'fixed'), xml('replace', { xmlns: CORRECT, id: '6744f3f61a2b3c04d5000000', last: 'true' })));
    const routed = await b.raw.next(isMessage);
    expect(routed.attrs).toMatchObject({ from: `${room}/${alice.id}`, type: 'groupchat', id: 'e1' });
    expect(routed.getChild('replace', CORRECT)?.attrs.id).toBe('6744f3f61a2b3c04d5000000');

    a.raw.send(xml('message', { to: room, type: 'groupchat', id: 'e2' }, xml('body', {}, 'x'.repeat(1500)), xml('replace', { xmlns: CORRECT, id: '6744f3f61a2b3c04d5000000', last: 'true' })));
    const refused = await a.raw.next((element) => isMessage(element) && element.attrs.type === 'error');
    expect(refused.attrs.id).toBe('e2');
    expect(refused.getChild('error')?.attrs.code).toBe('400');
    // Nothing reached bob: the next thing he gets is a later stanza of alice's.
    a.raw.send(xml('message', { to: `${bob.id}-${bob.appId}@${DOMAIN}`, type: 'chat', id: 'after' }, xml('remove', { xmlns: DELETE, id: '6744f3f61a2b3c04d5000001' })));
    expect((await b.raw.next(isMessage)).attrs.id).toBe('after');
  });

  it('a message of another application is not this application’s to change', async () => {
    const other = await server.server.services.apps.create('other app');
    const [alice, bob] = [await fixture.newUser(), await fixture.newUser()];
    const [stranger, strangerPeer] = [await fixture.newUser('secret-pwd', other.id), await fixture.newUser('secret-pwd', other.id)];
    const foreignDialog = (await server.server.services.dialogs.create(actor(stranger), { type: 3, occupantIds: [strangerPeer.id] })).dialog;
    const foreign = (await server.server.services.messages.send(actor(stranger), { to: { dialogId: foreignDialog.id }, body: 'theirs', attachments: [], custom: {}, markable: false, save: true, silent: false, announce: false })).message!;
    const [a, b] = [await online(alice), await online(bob)];
    const bare = `${bob.id}-${bob.appId}@${DOMAIN}`;
    a.raw.send(xml('message', { to: bare, type: 'chat', id: 'd1' }, xml('remove', { xmlns: DELETE, id: foreign.id })));
    // Unknown in this application: routed like any unknown id, and the other application's history is untouched.
    expect((await b.raw.next(isMessage)).getChild('remove', DELETE)?.attrs.id).toBe(foreign.id);
    a.raw.send(xml('message', { to: bare, type: 'chat', id: 'e3' }, xml('body', {}, 'hijack'), xml('replace', { xmlns: CORRECT, id: foreign.id, last: 'true' })));
    await b.raw.next(isMessage);
    expect(await storedBody(stranger, foreignDialog.id)).toEqual(['theirs']);
  });

  it('edits racing read marks on the same message all succeed (one lock order for both)', async () => {
    const [alice, bob] = [await fixture.newUser(), await fixture.newUser()];
    const dialog = (await server.server.services.dialogs.create(actor(alice), { type: 3, occupantIds: [bob.id] })).dialog;
    const ids: string[] = [];
    for (let index = 0; index < 10; index += 1) {
      ids.push((await server.server.services.messages.send(actor(alice), { to: { dialogId: dialog.id }, body: `m${index}`, attachments: [], custom: {}, markable: false, save: true, silent: false, announce: false })).id);
    }
    await Promise.all(
      ids.flatMap((id, index) => [
        server.server.services.messages.edit(actor(alice), { messageIds: [id], body: `edited ${index}`, route: { recipientId: bob.id }, announce: false }),
        server.server.services.messages.mark(actor(bob), { dialogId: dialog.id, messageIds: [id], read: true, delivered: true, strict: false }),
        server.server.services.messages.edit(actor(alice), { messageIds: [id], body: `edited ${index}`, announce: true }),
      ]),
    );
    expect((await storedBody(alice, dialog.id)).sort()).toEqual(ids.map((_id, index) => `edited ${index}`).sort());
  });

  it('REST removal sends the kick presence with a top-level actor item; the others get an unavailable presence', async () => {
    const [alice, bob, carol] = [await fixture.newUser(), await fixture.newUser(), await fixture.newUser()];
    const dialog = (await server.server.services.dialogs.create(actor(alice), { type: 2, name: 'kick', occupantIds: [bob.id, carol.id] })).dialog;
    const room = `${alice.appId}_${dialog.id}@muc.${DOMAIN}`;
    const [b, c] = [await online(bob), await online(carol)];
    for (const [session, user] of [[b, bob], [c, carol]] as const) {
      session.raw.send(xml('presence', { to: `${room}/${user.id}`, id: `j${user.id}:join` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
      await session.raw.next((element) => element.name === 'presence' && element.attrs.id === `j${user.id}:join`);
    }
    await b.raw.next((element) => element.name === 'presence' && element.attrs.from === `${room}/${carol.id}`);

    await server.server.services.dialogs.update(actor(alice), dialog.id, { pull: { occupants: [bob.id], admins: [], pinned: [] } });
    const kick = await b.raw.next((element) => element.name === 'presence' && element.attrs.type === 'unavailable');
    expect(kick.toString()).toBe(
      `<presence xmlns="jabber:client" from="${room}/${bob.id}" to="${b.jid}" type="unavailable"><x xmlns="http://jabber.org/protocol/muc#user">` +
        `<item affiliation="none" role="none"><actor jid="${alice.id}-${alice.appId}@${DOMAIN}"/></item><status code="301"/><status code="110"/><xmlns><code>301</code></xmlns></x>` +
        `<item affiliation="none" role="none"><actor jid="${alice.id}-${alice.appId}@${DOMAIN}"/></item></presence>`,
    );
    const leave = await c.raw.next((element) => element.name === 'presence' && element.attrs.type === 'unavailable');
    expect(leave.attrs.from).toBe(`${room}/${bob.id}`);
    expect(leave.getChild('x')?.getChildren('status')).toEqual([]);
    // Bob is out of the room: the online occupants are carol only.
    c.raw.send(xml('iq', { type: 'get', to: room, id: 'items' }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#items' })));
    const items = await c.raw.next((element) => element.name === 'iq' && element.attrs.id === 'items');
    expect(items.getChild('query')?.getChildren('item').map((item) => item.attrs.name)).toEqual([String(carol.id)]);
  });
});
