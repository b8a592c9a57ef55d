import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, loginPlain, rawRequest, sessionToken, startServer, type TestServer } from '@parley/testkit';
import { ADMIN_TOKEN, admin, validation } from './admin-helpers.js';
import { XmppFixture } from './xmpp-helpers.js';

/**
 * The admin API's users, sessions, live connections and dialogs: what an operator does to an account
 * (search, update, password, block, delete) takes effect on REST and XMPP; bad input changes nothing;
 * another application's objects are 404.
 */
describe.each(databaseKinds)('admin API: users, sessions, connections, dialogs on %s', (db) => {
  let server: TestServer;
  const xmpp = new XmppFixture(() => server);
  const users = () => `/admin/apps/${server.app.id}/users`;
  const login = (user: { login: string; password: string }) =>
    rawRequest(server.url, '/session.json', { method: 'POST', body: { application_id: server.app.id, auth_key: server.app.authKey, user } });

  beforeAll(async () => {
    server = await startServer({ db, config: { adminToken: ADMIN_TOKEN } });
  });
  afterAll(async () => {
    await xmpp.close();
    await server.stop();
  });

  it('creates, searches, shows and updates users; bad input is refused and changes nothing', async () => {
    const created = await admin(server, 'POST', users(), { login: 'op-alice', password: 'password123', full_name: 'Alice Op' });
    expect(created.status).toBe(201);
    const alice = created.json as { id: number; login: string; blocked_at: null };
    expect(alice).toMatchObject({ login: 'op-alice', full_name: 'Alice Op', blocked_at: null });
    validation(await admin(server, 'POST', users(), { login: 'op-alice', password: 'password123' }), 'login');
    validation(await admin(server, 'POST', users(), { login: 'op-short', password: 'x' }), 'password');

    const found = (await admin(server, 'GET', `${users()}?login=op-ali`)).json as { total: number; items: { id: number }[] };
    expect(found).toMatchObject({ total: 1, items: [{ id: alice.id }] });
    expect(((await admin(server, 'GET', `${users()}?full_name=nobody`)).json as { total: number }).total).toBe(0);
    validation(await admin(server, 'GET', `${users()}?limit=abc`), 'limit');

    expect((await admin(server, 'GET', `${users()}/${alice.id}`)).json).toMatchObject({ id: alice.id, login: 'op-alice' });
    expect((await admin(server, 'PATCH', `${users()}/${alice.id}`, { full_name: 'Alice Operator' })).json).toMatchObject({ full_name: 'Alice Operator' });
    for (const body of [{ email: 'not-an-email' }, {}, { password: 'newpassword1' }]) {
      expect((await admin(server, 'PATCH', `${users()}/${alice.id}`, body)).status).toBe(422);
    }
    expect((await server.server.services.users.get(server.app.id, alice.id)).fullName).toBe('Alice Operator');
    expect((await admin(server, 'GET', `${users()}/999999`)).status).toBe(404);

    const other = await server.createApp('Other tenant');
    expect((await admin(server, 'GET', `/admin/apps/${other.id}/users/${alice.id}`)).status).toBe(404);
    expect((await admin(server, 'DELETE', `/admin/apps/${other.id}/users/${alice.id}`)).status).toBe(404);
    expect(await server.server.services.users.get(server.app.id, alice.id)).toBeDefined();
  });

  it('sets a password: old sessions and connections end, the new password works', async () => {
    const user = await xmpp.newUser('password-one');
    const token = await sessionToken(server.url, server.app, { login: user.login, password: 'password-one' });
    const { raw } = await xmpp.loggedIn('websocket', user);
    validation(await admin(server, 'PUT', `${users()}/${user.id}/password`, { password: 'x' }), 'password');
    validation(await admin(server, 'PUT', `${users()}/${user.id}/password`, {}), 'password');
    expect((await rawRequest(server.url, `/users/${user.id}.json`, { token })).status).toBe(200);

    expect((await admin(server, 'PUT', `${users()}/${user.id}/password`, { password: 'password-two' })).status).toBe(200);
    expect((await raw.closed).code).toBeDefined();
    expect((await rawRequest(server.url, `/users/${user.id}.json`, { token })).status).toBe(401);
    expect((await login({ login: user.login, password: 'password-one' })).status).toBe(401);
    expect((await login({ login: user.login, password: 'password-two' })).status).toBe(201);
  });

  it('blocks and unblocks: no REST or XMPP login while blocked', async () => {
    const user = await xmpp.newUser('password-b1');
    const path = `${users()}/${user.id}/blocked`;
    validation(await admin(server, 'PUT', path, { blocked: 'yes' }), 'blocked');
    expect((await admin(server, 'PUT', path, { blocked: true })).json).toMatchObject({ blocked_at: expect.any(String) });
    expect((await login({ login: user.login, password: 'password-b1' })).status).toBe(401);
    await expect(xmpp.loggedIn('websocket', user)).rejects.toThrow(/not-authorized/);
    expect((await admin(server, 'PUT', path, { blocked: false })).json).toMatchObject({ blocked_at: null });
    expect((await login({ login: user.login, password: 'password-b1' })).status).toBe(201);
  });

  it('lists and revokes sessions, lists and kicks live connections', async () => {
    const user = await xmpp.newUser('password-s1');
    const token = await sessionToken(server.url, server.app, { login: user.login, password: 'password-s1' });
    const sessions = (await admin(server, 'GET', `/admin/apps/${server.app.id}/sessions?user_id=${user.id}`)).json as { id: number; userId: number }[];
    expect(sessions).toHaveLength(1);
    expect(JSON.stringify(sessions)).not.toContain(token);
    validation(await admin(server, 'GET', `/admin/apps/${server.app.id}/sessions?user_id=abc`), 'user_id');
    expect((await admin(server, 'DELETE', `/admin/apps/${server.app.id}/sessions/999999`)).status).toBe(404);
    expect((await admin(server, 'DELETE', `/admin/apps/${server.app.id}/sessions/${sessions[0]?.id}`)).status).toBe(204);
    expect((await rawRequest(server.url, `/users/${user.id}.json`, { token })).status).toBe(401);

    const first = await xmpp.loggedIn('websocket', user);
    const second = await xmpp.loggedIn('websocket', user);
    const listed = (await admin(server, 'GET', `/admin/apps/${server.app.id}/connections?user_id=${user.id}`)).json as { id: string; transport: string; userId: number }[];
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ userId: user.id, transport: 'websocket', appId: server.app.id, secure: false });
    expect(((await admin(server, 'GET', '/admin/status')).json as { connections: { websocket: number } }).connections.websocket).toBeGreaterThanOrEqual(2);

    const kick = `/admin/apps/${server.app.id}/connections/kick`;
    for (const body of [{}, { id: '../x' }, { userId: 'abc' }, { userId: user.id, reason: 5 }]) expect((await admin(server, 'POST', kick, body)).status).toBeGreaterThanOrEqual(404);
    expect(server.server.xmpp.router.sessionsOf(server.app.id, user.id)).toHaveLength(2);
    expect((await admin(server, 'POST', kick, { id: listed[0]?.id })).json).toEqual({ kicked: 1 });
    await first.raw.closed;
    expect(first.raw.received.some((element) => element.name === 'stream:error' || element.getChild('policy-violation') !== undefined)).toBe(true);
    const other = await server.createApp('Kick other');
    expect((await admin(server, 'POST', `/admin/apps/${other.id}/connections/kick`, { userId: user.id })).json).toEqual({ kicked: 0 });
    expect((await admin(server, 'POST', kick, { userId: user.id })).json).toEqual({ kicked: 1 });
    await second.raw.closed;
    expect(await loginPlain(await xmpp.websocket(), { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: 'password-s1' })).toContain(`${user.id}-`);
  });

  it("lists a user's dialogs, shows and deletes a dialog; deleting a user ends its connections", async () => {
    const owner = await xmpp.newUser('password-d1');
    const peer = await xmpp.newUser('password-d2');
    const token = await sessionToken(server.url, server.app, { login: owner.login, password: 'password-d1' });
    const dialog = (await rawRequest(server.url, '/chat/Dialog.json', { method: 'POST', token, body: { type: 2, name: 'Ops room', occupants_ids: [peer.id] } })).json as { _id: string };
    const listed = (await admin(server, 'GET', `${users()}/${peer.id}/dialogs`)).json as { total_entries: number; items: { _id: string }[] };
    expect(listed).toMatchObject({ total_entries: 1, items: [{ _id: dialog._id }] });
    expect((await admin(server, 'GET', `/admin/apps/${server.app.id}/dialogs/${dialog._id}`)).json).toMatchObject({ _id: dialog._id, name: 'Ops room', occupants_ids: [owner.id, peer.id] });
    expect((await admin(server, 'GET', `/admin/apps/${server.app.id}/dialogs/not-an-id`)).status).toBe(404);
    expect((await admin(server, 'GET', `${users()}/999999/dialogs`)).status).toBe(404);
    const other = await server.createApp('Dialog other');
    expect((await admin(server, 'DELETE', `/admin/apps/${other.id}/dialogs/${dialog._id}`)).status).toBe(404);
    expect((await admin(server, 'DELETE', `/admin/apps/${server.app.id}/dialogs/${dialog._id}`)).status).toBe(204);
    expect((await rawRequest(server.url, `/chat/Dialog.json?_id=${dialog._id}`, { token })).json).toMatchObject({ total_entries: 0 });

    const { raw } = await xmpp.loggedIn('websocket', peer);
    expect((await admin(server, 'DELETE', `${users()}/${peer.id}`)).status).toBe(204);
    await raw.closed;
    expect((await admin(server, 'GET', `${users()}/${peer.id}`)).status).toBe(404);
    expect((await admin(server, 'DELETE', `${users()}/${peer.id}`)).status).toBe(404);
  });
});
