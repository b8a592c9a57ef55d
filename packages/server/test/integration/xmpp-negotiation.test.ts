import { databaseKinds, isFeatures, loginPlain, pingServer, rawRequest, RawXmppClient, sessionToken, startServer, xml, type TestServer } from '@parley/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';

describe.each(databaseKinds)('XMPP over WebSocket: negotiation and login (%s)', (db) => {
  let server: TestServer;
  let serial = 0;
  const clients: RawXmppClient[] = [];
  beforeAll(async () => {
    server = await startServer({ db, config: { chatDomain: 'chat.test' } });
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.stop();
  });

  const connect = async () => {
    const client = await RawXmppClient.websocket(server.wsUrl);
    clients.push(client);
    return client;
  };
  const newUser = async (appId = server.app.id) => {
    const login = `xmpp${Date.now().toString(36)}${(serial += 1)}`;
    const user = await server.server.services.users.signup(appId, { login, password: 'secret-pwd' });
    return { id: user.id, login, password: 'secret-pwd' };
  };

  it('answers the xmpp subprotocol and refuses upgrades without it', async () => {
    const client = await connect();
    expect(client.ws?.protocol).toBe('xmpp');
    await expect(RawXmppClient.websocket(server.wsUrl, { protocols: ['chat'] })).rejects.toThrow(/400/);
    await expect(RawXmppClient.websocket(server.wsUrl.replace('/ws', '/other'))).rejects.toThrow(/404/);
  });

  it('echoes the stream `to`, offers PLAIN only, and never ANONYMOUS or SASL2', async () => {
    const client = await connect();
    client.open('127.0.0.1');
    const open = await client.nextNamed('open');
    expect(open.attrs).toMatchObject({ xmlns: 'urn:ietf:params:xml:ns:xmpp-framing', from: '127.0.0.1', version: '1.0' });
    const features = await client.next(isFeatures);
    expect(features.attrs['xmlns:stream']).toBe('http://etherx.jabber.org/streams');
    expect(features.getChild('mechanisms', SASL)?.getChildren('mechanism').map((m) => m.text())).toEqual(['PLAIN']);
    expect(features.getChild('authentication')).toBeUndefined();
  });

  it('logs in with the password, binds a 32-hex resource, and offers bind/session/sm/csi after the restart', async () => {
    const user = await newUser();
    const client = await connect();
    client.open(server.chatDomain);
    await client.next(isFeatures);
    client.send(xml('auth', { xmlns: SASL, mechanism: 'PLAIN' }, Buffer.from(`\0${user.id}-${server.app.id}\0${user.password}`).toString('base64')));
    await client.nextNamed('success', SASL);
    client.open(server.chatDomain);
    const features = await client.next(isFeatures);
    expect(features.getChildElements().map((c) => `${c.name} ${c.attrs.xmlns}`)).toEqual([
      'bind urn:ietf:params:xml:ns:xmpp-bind',
      'session urn:ietf:params:xml:ns:xmpp-session',
      'sm urn:xmpp:sm:3',
      'csi urn:xmpp:csi:0',
    ]);
    expect(features.getChild('session')?.getChild('optional')).toBeDefined();
    client.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: 'b1' }, xml('bind', { xmlns: 'urn:ietf:params:xml:ns:xmpp-bind' })));
    const bound = await client.next((e) => e.attrs.id === 'b1');
    const jid = bound.getChild('bind')?.getChildText('jid') ?? '';
    expect(jid).toMatch(new RegExp(`^${user.id}-${server.app.id}@chat\\.test/[0-9a-f]{32}$`));
    expect(bound.attrs).toMatchObject({ type: 'result', to: jid });
    // The legacy session IQ is answered with a result.
    client.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id: 's1' }, xml('session', { xmlns: 'urn:ietf:params:xml:ns:xmpp-session' })));
    expect((await client.next((e) => e.attrs.id === 's1')).attrs.type).toBe('result');
  });

  it('accepts the bare JID and the local part as authzid, refuses another authzid', async () => {
    const user = await newUser();
    const local = `${user.id}-${server.app.id}`;
    for (const authzid of [`${local}@chat.test`, local]) {
      const client = await connect();
      client.open(server.chatDomain);
      await client.next(isFeatures);
      client.send(xml('auth', { xmlns: SASL, mechanism: 'PLAIN' }, Buffer.from(`${authzid}\0${local}\0${user.password}`).toString('base64')));
      expect((await client.next((e) => e.attrs.xmlns === SASL)).name).toBe('success');
    }
    const client = await connect();
    client.open(server.chatDomain);
    await client.next(isFeatures);
    client.send(xml('auth', { xmlns: SASL, mechanism: 'PLAIN' }, Buffer.from(`1-1@chat.test\0${local}\0${user.password}`).toString('base64')));
    const failure = await client.nextNamed('failure', SASL);
    expect(failure.getChildElements()[0]?.name).toBe('invalid-authzid');
    await client.waitClosed();
  });

  it('logs in with a session token as the password; an expired or foreign token is refused', async () => {
    const user = await newUser();
    const token = await sessionToken(server.url, server.app, { login: user.login, password: user.password });
    const client = await connect();
    const jid = await loginPlain(client, { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: token });
    expect(jid).toContain(`${user.id}-${server.app.id}@`);
    // Another user's token does not log this user in.
    const other = await newUser();
    const otherToken = await sessionToken(server.url, server.app, { login: other.login, password: other.password });
    await expect(loginPlain(await connect(), { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: otherToken })).rejects.toThrow('not-authorized');
    // A destroyed session's token is refused.
    expect((await rawRequest(server.url, '/session.json', { method: 'DELETE', token })).status).toBe(200);
    await expect(loginPlain(await connect(), { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: token })).rejects.toThrow('not-authorized');
  });

  it('a token login is a token lookup, never a password check: it works while the stored password hash cannot be verified', async () => {
    const user = await newUser();
    const token = await sessionToken(server.url, server.app, { login: user.login, password: user.password });
    // An scrypt cost no verification accepts (2^40): checking the password first would fail the login.
    await server.server.store.users.update(server.app.id, user.id, { passwordHash: 'scrypt$40$8$1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==' });
    const jid = await loginPlain(await connect(), { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: token });
    expect(jid).toContain(`${user.id}-${server.app.id}@`);
  });

  it('refuses a wrong password and a user of another app with not-authorized, then closes', async () => {
    const user = await newUser();
    const client = await connect();
    await expect(loginPlain(client, { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: 'wrong-pwd' })).rejects.toThrow('not-authorized');
    await client.waitClosed();
    expect(client.received.some((e) => e.name === 'close')).toBe(true);
    const otherApp = await server.createApp(`other${serial}`);
    await expect(loginPlain(await connect(), { domain: server.chatDomain, appId: otherApp.id, userId: user.id, password: user.password })).rejects.toThrow('not-authorized');
    await expect(loginPlain(await connect(), { domain: server.chatDomain, appId: server.app.id, userId: 999999, password: user.password })).rejects.toThrow('not-authorized');
  });

  it('initial presence puts the user in users.listOnline until the connection closes', async () => {
    const user = await newUser();
    const token = await sessionToken(server.url, server.app, { login: user.login, password: user.password });
    const online = async () => {
      const response = await rawRequest(server.url, '/users/online.json', { token });
      return JSON.stringify(response.json);
    };
    const client = await connect();
    const jid = await loginPlain(client, { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: user.password });
    expect(await online()).not.toContain(`"id":${user.id}`);
    client.send(xml('presence', { xmlns: 'jabber:client' }));
    const echo = await client.nextNamed('presence');
    expect(echo.attrs).toMatchObject({ from: jid, to: `${user.id}-${server.app.id}@chat.test` });
    await expect.poll(online).toContain(`"id":${user.id}`);
    client.send(xml('close', { xmlns: 'urn:ietf:params:xml:ns:xmpp-framing' }));
    await client.nextNamed('close');
    await client.waitClosed();
    await expect.poll(online).not.toContain(`"id":${user.id}`);
  });

  it('answers pings, roster gets, carbons, mobile v2, disco, and service-unavailable for unknown IQs', async () => {
    const user = await newUser();
    const client = await connect();
    const jid = await loginPlain(client, { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: user.password });
    const pong = await pingServer(client, 'chat.test', 'p1');
    expect(pong.attrs).toMatchObject({ type: 'result', id: 'p1', from: 'chat.test', to: jid });
    const iq = async (type: string, id: string, payload: ReturnType<typeof xml>, to?: string) => {
      client.send(xml('iq', { xmlns: 'jabber:client', type, id, ...(to ? { to } : {}) }, payload));
      return client.next((e) => e.name === 'iq' && e.attrs.id === id);
    };
    const roster = await iq('get', 'r1', xml('query', { xmlns: 'jabber:iq:roster' }));
    expect(roster.attrs.type).toBe('result');
    expect(roster.getChild('query', 'jabber:iq:roster')?.children).toEqual([]);
    expect((await iq('set', 'c1', xml('enable', { xmlns: 'urn:xmpp:carbons:2' }))).attrs.type).toBe('result');
    expect((await iq('set', 'm1', xml('mobile', { xmlns: 'http://tigase.org/protocol/mobile#v2', enable: 'true' }))).attrs.type).toBe('result');
    const session = server.server.xmpp.router.sessionsOf(server.app.id, user.id)[0];
    expect(session?.carbons).toBe(true);
    expect(session?.inactive).toBe(true);
    const disco = await iq('get', 'd1', xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' }), 'chat.test');
    const features = disco.getChild('query')?.getChildren('feature').map((f) => f.attrs.var);
    expect(features).toEqual(expect.arrayContaining(['urn:xmpp:ping', 'urn:xmpp:carbons:2', 'http://jabber.org/protocol/disco#info']));
    const unknown = await iq('get', 'u1', xml('query', { xmlns: 'urn:example:unknown' }), 'chat.test');
    expect(unknown.attrs.type).toBe('error');
    const error = unknown.getChild('error');
    expect(error?.attrs).toMatchObject({ code: '503', type: 'cancel' });
    expect(error?.getChild('service-unavailable', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeDefined();
  });

  it('XEP-0198: <r/> is answered with the exact count of stanzas handled since <enable/>', async () => {
    const user = await newUser();
    const client = await connect();
    await loginPlain(client, { domain: server.chatDomain, appId: server.app.id, userId: user.id, password: user.password });
    await pingServer(client, 'chat.test', 'before-enable');
    client.send(xml('enable', { xmlns: 'urn:xmpp:sm:3' }));
    const enabled = await client.nextNamed('enabled', 'urn:xmpp:sm:3');
    expect(enabled.attrs.resume).toBeUndefined();
    client.send(xml('r', { xmlns: 'urn:xmpp:sm:3' }));
    expect((await client.nextNamed('a', 'urn:xmpp:sm:3')).attrs.h).toBe('0');
    client.send(xml('presence', { xmlns: 'jabber:client' }));
    client.send(xml('iq', { xmlns: 'jabber:client', type: 'get', id: 'x', to: 'chat.test' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    client.send(xml('message', { xmlns: 'jabber:client', to: 'chat.test' }, xml('body', {}, 'hi')));
    client.send(xml('a', { xmlns: 'urn:xmpp:sm:3', h: '1' }));
    client.send(xml('r', { xmlns: 'urn:xmpp:sm:3' }));
    expect((await client.nextNamed('a', 'urn:xmpp:sm:3')).attrs.h).toBe('3');
  });
});
