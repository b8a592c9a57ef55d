import { databaseKinds, loginPlain, rawRequest, startServer, xml, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from '../integration/xmpp-helpers.js';
import { api, signedInUser } from './helpers.js';

/**
 * Finding 6: characters XML 1.0 forbids (NUL, U+0001, U+001B, U+FFFE …) and lone surrogates are refused
 * at REST inputs (422 naming the field, nothing stored), and the stanza serialiser never emits them.
 */
const FORBIDDEN = ['\u0000', '\u0001', '\u001b', '\ufffe'];

describe.each(databaseKinds)('security: text XML cannot carry is refused and never sent (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, config: { chatDomain: 'chat.test' } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  it('REST messages, custom parameters and dialog fields with forbidden characters get a 422 naming the field; nothing is stored', async () => {
    const [alice, bob] = [await signedInUser(server), await signedInUser(server)];
    const dialog = ((await api(server, alice, 'POST', '/chat/Dialog.json', { type: 3, occupants_ids: [bob.id] })).json as { _id: string })._id;
    for (const char of FORBIDDEN) {
      const message = await api(server, alice, 'POST', '/chat/Message.json', { chat_dialog_id: dialog, message: `bad${char}text`, send_to_chat: 1 });
      expect(message.status).toBe(422);
      expect(Object.keys((message.json as { errors: Record<string, string[]> }).errors)).toEqual(['message']);
      const custom = await api(server, alice, 'POST', '/chat/Message.json', { chat_dialog_id: dialog, message: 'ok', mood: `x${char}` });
      expect(custom.status).toBe(422);
      expect(custom.json).toEqual({ errors: { mood: [expect.stringContaining('not allowed')] } });
      const named = await api(server, alice, 'POST', '/chat/Dialog.json', { type: 2, name: `G${char}`, occupants_ids: [bob.id] });
      expect(named.status).toBe(422);
      expect(Object.keys((named.json as { errors: Record<string, string[]> }).errors)).toEqual(['name']);
    }
    // A lone surrogate is refused too (not silently turned into U+FFFD).
    const lone = await rawRequest(server.url, '/chat/Message.json', { method: 'POST', token: alice.token, body: `{"chat_dialog_id":"${dialog}","message":"a\\ud800b"}` });
    expect(lone.status).toBe(422);
    expect(lone.json).toEqual({ errors: { message: [expect.stringContaining('U+D800')] } });
    const history = (await api(server, alice, 'GET', `/chat/Message.json?chat_dialog_id=${dialog}`)).json as { items: unknown[] };
    expect(history.items).toEqual([]);
  });

  it('text stored before the rule reaches XMPP clients with the characters replaced, live and from the archive', async () => {
    const [alice, bob] = [await signedInUser(server), await signedInUser(server)];
    const raw = await fixture.websocket();
    await loginPlain(raw, { domain: server.chatDomain, appId: bob.appId, userId: bob.id, password: bob.password, presence: true });
    // The domain service is below the REST guard: it stands for data written before the rule existed.
    await server.server.services.messages.send({ appId: alice.appId, userId: alice.id, sessionId: 0 }, { to: { recipientId: bob.id }, body: 'a\u0001b\u001bc', attachments: [], custom: {}, markable: false, save: true, silent: false, announce: true });
    const live = await raw.next((e) => e.name === 'message' && e.getChild('body') !== undefined);
    expect(live.getChildText('body')).toBe('a\ufffdb\ufffdc');

    raw.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: 'mam-1' }, xml('query', { xmlns: 'urn:xmpp:mam:2', queryid: 'q1' })));
    const archived = await raw.next((e) => e.name === 'message' && e.getChild('result') !== undefined);
    expect(archived.toString()).toContain('a\ufffdb\ufffdc');
    await raw.next((e) => e.name === 'iq' && e.attrs.id === 'mam-1');
  });
});
