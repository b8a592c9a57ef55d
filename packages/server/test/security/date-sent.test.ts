import { databaseKinds, loginPlain, startServer, xml, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from '../integration/xmpp-helpers.js';
import { api, signedInUser } from './helpers.js';

/**
 * Finding 9: a client-chosen `date_sent` more than 5 minutes ahead of the server is capped to the
 * server's time (REST and XMPP), so it cannot pin itself as the dialog's last message; back-dating and
 * small clock skew are kept.
 */
const YEAR_2100 = 4102444800;

describe.each(databaseKinds)('security: far-future date_sent is capped (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, config: { chatDomain: 'chat.test' } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  type Wire = { _id: string; date_sent: number; message: string };
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  it('REST: 2100 becomes now; later messages become the last message; back-dating and small skew are kept', async () => {
    const [alice, bob] = [await signedInUser(server), await signedInUser(server)];
    const dialog = ((await api(server, alice, 'POST', '/chat/Dialog.json', { type: 3, occupants_ids: [bob.id] })).json as { _id: string })._id;
    const before = nowSeconds();
    const future = (await api(server, alice, 'POST', '/chat/Message.json', { chat_dialog_id: dialog, message: 'from 2100', date_sent: YEAR_2100 })).json as Wire;
    expect(future.date_sent).toBeGreaterThanOrEqual(before);
    expect(future.date_sent).toBeLessThanOrEqual(nowSeconds());

    const skewed = (await api(server, alice, 'POST', '/chat/Message.json', { chat_dialog_id: dialog, message: 'skewed', date_sent: nowSeconds() + 120 })).json as Wire;
    expect(skewed.date_sent).toBeGreaterThan(nowSeconds() + 60);
    const old = (await api(server, alice, 'POST', '/chat/Message.json', { chat_dialog_id: dialog, message: 'yesterday', date_sent: before - 86_400 })).json as Wire;
    expect(old.date_sent).toBe(before - 86_400);

    const listed = (await api(server, bob, 'GET', '/chat/Dialog.json')).json as { items: { _id: string; last_message: string }[] };
    expect(listed.items.find((item) => item._id === dialog)?.last_message).toBe('skewed');
  });

  it('XMPP: a date_sent extra parameter in 2100 is stored as now', async () => {
    const [alice, bob] = [await signedInUser(server), await signedInUser(server)];
    const raw = await fixture.websocket();
    await loginPlain(raw, { domain: server.chatDomain, appId: alice.appId, userId: alice.id, password: alice.password, presence: true });
    const before = nowSeconds();
    raw.send(
      xml('message', { xmlns: 'jabber:client', type: 'chat', to: `${bob.id}-${bob.appId}@${server.chatDomain}`, id: 'future-1' },
        xml('body', {}, 'xmpp from 2100'),
        xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'), xml('date_sent', {}, String(YEAR_2100)))),
    );
    await expect.poll(async () => ((await api(server, bob, 'GET', '/chat/Dialog.json')).json as { items: unknown[] }).items.length).toBe(1);
    const dialog = ((await api(server, bob, 'GET', '/chat/Dialog.json')).json as { items: { _id: string }[] }).items[0]!._id;
    const [stored] = ((await api(server, bob, 'GET', `/chat/Message.json?chat_dialog_id=${dialog}`)).json as { items: Wire[] }).items;
    expect(stored?.message).toBe('xmpp from 2100');
    expect(stored?.date_sent).toBeGreaterThanOrEqual(before);
    expect(stored?.date_sent).toBeLessThanOrEqual(nowSeconds());
  });
});
