import { describe, expect, it } from 'vitest';
import { xml as clientXml } from '@xmpp/client';
import { databaseKinds, pingServer, xml, type TestServer } from '@parley/testkit';
import { standardClient, standardClientSuite } from './standard-client.js';

/**
 * XEP-0280 for standard clients (realtime.md §6.2): a user's `@xmpp/client` connection with carbons
 * enabled gets a sent carbon of what the same user sends from an SDK-style connection (the stanza the
 * SDKs write), and nothing once it disabled them.
 */

const CARBONS = 'urn:xmpp:carbons:2';

describe.each(databaseKinds)('XMPP carbons for a standard client on %s', (db) => {
  let server: TestServer;
  const { fixture, clients } = standardClientSuite(db, (started) => (server = started));

  it('gets sent carbons of what the same user sends from the SDK, until it disables them', async () => {
    const alice = await fixture.newUser();
    const bob = await fixture.newUser();
    const desktop = await standardClient(server, alice);
    clients.push(desktop);
    const enabled = await desktop.iq('set', clientXml('enable', { xmlns: CARBONS }));
    expect(enabled.attrs.type).toBe('result');

    // Alice's phone: what the SDKs write for chat.send(bob, { type: 'chat', body, extension: { save_to_history: 1 } }).
    const phone = await fixture.loggedIn('websocket', alice);
    phone.raw.send(xml('presence', { xmlns: 'jabber:client' }));
    const bare = `${bob.id}-${server.app.id}@${server.chatDomain}`;
    const send = (id: string, body: string) =>
      phone.raw.send(xml('message', { xmlns: 'jabber:client', type: 'chat', to: bare, id }, xml('body', {}, body), xml('extraParams', { xmlns: 'jabber:client' }, xml('save_to_history', {}, '1'))));
    send('6744f3f61a2b3c04d5000001', 'from my phone');

    const carbon = await desktop.next((s) => s.name === 'message' && s.getChild('sent', CARBONS) !== undefined);
    expect(carbon.attrs).toMatchObject({ type: 'chat', from: `${alice.id}-${server.app.id}@${server.chatDomain}` });
    const inner = carbon.getChild('sent', CARBONS)?.getChild('forwarded', 'urn:xmpp:forward:0')?.getChild('message');
    expect(inner?.getChildText('body')).toBe('from my phone');
    expect(inner?.attrs).toMatchObject({ to: bare, from: phone.jid });
    expect(inner?.getChild('extraParams')?.getChildText('dialog_id')).toMatch(/^[0-9a-f]{24}$/);
    // The phone (the sender) gets no carbon of its own message.
    await pingServer(phone.raw, server.chatDomain);
    expect(phone.raw.received.filter((e) => e.name === 'message')).toEqual([]);

    expect((await desktop.iq('set', clientXml('disable', { xmlns: CARBONS }))).attrs.type).toBe('result');
    send('6744f3f61a2b3c04d5000002', 'not copied');
    await pingServer(phone.raw, server.chatDomain);
    await desktop.iq('get', clientXml('ping', { xmlns: 'urn:xmpp:ping' }), server.chatDomain);
    expect(desktop.stanzas.filter((s) => s.getChild('sent', CARBONS) !== undefined)).toHaveLength(1);
  });
});
