import { databaseKinds, loginPlain, pingServer, startServer, xml, type RawXmppClient, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XmppFixture } from '../integration/xmpp-helpers.js';
import { api, signedInUser, type SignedInUser } from './helpers.js';

/**
 * Finding 5: deleting a user, changing a password, logging a session out and deleting an app close the
 * XMPP connections resting on those credentials at once, and the sessions cannot be resumed.
 */
const SM = 'urn:xmpp:sm:3';

describe.each(databaseKinds)('security: revoked credentials end XMPP connections (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, config: { chatDomain: 'chat.test' } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  async function connect(user: SignedInUser, secret = user.password, app = server.app): Promise<RawXmppClient> {
    const raw = await fixture.websocket();
    await loginPlain(raw, { domain: server.chatDomain, appId: app.id, userId: user.id, password: secret, presence: true });
    await pingServer(raw, server.chatDomain);
    return raw;
  }

  async function expectRevoked(raw: RawXmppClient): Promise<void> {
    await raw.waitClosed();
    expect(raw.streamErrorCondition()).toBe('not-authorized');
  }

  it('a deleted user\'s connection closes at once and cannot send any more', async () => {
    const user = await signedInUser(server);
    const peer = await signedInUser(server);
    const raw = await connect(user);
    expect((await api(server, user, 'DELETE', `/users/${user.id}.json`)).status).toBe(200);
    await expectRevoked(raw);
    await expect.poll(() => server.server.xmpp.router.sessionsOf(server.app.id, user.id).length).toBe(0);
    raw.send(xml('message', { xmlns: 'jabber:client', type: 'chat', to: `${peer.id}-${server.app.id}@${server.chatDomain}` }, xml('body', {}, 'ghost')));
    const dialogs = (await api(server, peer, 'GET', '/chat/Dialog.json')).json as { items: unknown[] };
    expect(dialogs.items).toEqual([]);
  });

  it('a password change closes the connections that logged in with the password; its parked sessions cannot be resumed', async () => {
    const user = await signedInUser(server);
    const byPassword = await connect(user);
    const byToken = await connect(user, user.token);
    // A parked (dropped, resumable) session of the same user.
    const parkedRaw = await connect(user);
    parkedRaw.send(xml('enable', { xmlns: SM, resume: 'true' }));
    const enabled = await parkedRaw.next((e) => e.name === 'enabled');
    parkedRaw.destroy();
    await expect.poll(() => server.server.xmpp.resumable.parkedSessions().some((s) => s.sm.id === enabled.attrs.id)).toBe(true);

    const changed = await api(server, user, 'PUT', `/users/${user.id}.json`, { user: { password: 'new-secret-pwd', old_password: user.password } });
    expect(changed.status).toBe(200);
    await expectRevoked(byPassword);
    expect(server.server.xmpp.resumable.parkedSessions().some((s) => s.sm.id === enabled.attrs.id)).toBe(false);
    expect((await pingServer(byToken, server.chatDomain)).attrs.type).toBe('result');

    const again = await fixture.websocket();
    await loginPlain(again, { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: 'new-secret-pwd', bind: false });
    again.send(xml('resume', { xmlns: SM, previd: enabled.attrs.id ?? '', h: '0' }));
    expect((await again.next((e) => e.attrs.xmlns === SM)).name).toBe('failed');
  });

  it('logging a session out closes the connections that logged in with its token, not the others', async () => {
    const user = await signedInUser(server);
    const other = await signedInUser(server);
    const byToken = await connect(user, user.token);
    const byPassword = await connect(user);
    const otherUser = await connect(other, other.token);
    expect((await api(server, user, 'DELETE', '/session.json')).status).toBe(200);
    await expectRevoked(byToken);
    expect((await pingServer(byPassword, server.chatDomain)).attrs.type).toBe('result');
    expect((await pingServer(otherUser, server.chatDomain)).attrs.type).toBe('result');
  });

  it('an operator revoking a session closes the connections that logged in with its token, not the others', async () => {
    const user = await signedInUser(server);
    const byToken = await connect(user, user.token);
    const byPassword = await connect(user);
    const [session] = await server.server.store.sessions.listActive(server.app.id, { userId: user.id, now: Date.now(), limit: 10, offset: 0 });
    await server.server.services.sessionAdmin.revoke(server.app.id, session!.id);
    await expectRevoked(byToken);
    expect((await pingServer(byPassword, server.chatDomain)).attrs.type).toBe('result');
  });

  it('deleting an app (its revocation) closes every connection of that app only', async () => {
    const otherApp = await server.createApp('Revoked app');
    const inOther = await signedInUser(server, otherApp);
    const inMain = await signedInUser(server);
    const revoked = await connect(inOther, inOther.password, otherApp);
    const kept = await connect(inMain);
    expect(await server.server.services.revocations.revoke({ appId: otherApp.id, reason: 'app-deleted' })).toBe(1);
    await expectRevoked(revoked);
    expect((await pingServer(kept, server.chatDomain)).attrs.type).toBe('result');
  });
});
