import tls from 'node:tls';
import OfficialConnectyCube from 'connectycube';
import { databaseKinds, isFeatures, loginPlain, pingServer, rawRequest, selfSignedCertificate, sessionToken, startServer, xml, type TestServer } from '@parley/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { saslRejection, XmppFixture } from './xmpp-helpers.js';

const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
const STREAM = 'http://etherx.jabber.org/streams';

describe.each(databaseKinds)('XMPP over TCP, SCRAM-SHA-1 on (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  beforeAll(async () => {
    server = await startServer({ db, xmppTcp: true, config: { chatDomain: 'chat.test', xmppScram: 'true' } });
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });
  const service = () => `xmpp://127.0.0.1:${server.xmppPort}`;

  it('negotiates the classic <stream:stream> wrapper on a raw socket: features, PLAIN, restart, bind, ping, close', async () => {
    const user = await fixture.newUser();
    const raw = await fixture.tcp();
    raw.open('chat.test');
    const features = await raw.next(isFeatures);
    expect(raw.streamHeader).toMatchObject({ xmlns: 'jabber:client', 'xmlns:stream': STREAM, from: 'chat.test', version: '1.0' });
    expect(raw.streamHeader?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(features.getChild('mechanisms', SASL)?.getChildren('mechanism').map((m) => m.text())).toEqual(['SCRAM-SHA-1', 'PLAIN']);
    expect(features.getChild('starttls', TLS)).toBeUndefined();
    raw.send(xml('auth', { xmlns: SASL, mechanism: 'PLAIN' }, Buffer.from(`\0${user.id}-${server.app.id}\0${user.password}`).toString('base64')));
    await raw.nextNamed('success', SASL);
    raw.open('chat.test');
    const bindFeatures = await raw.next(isFeatures);
    expect(bindFeatures.getChild('bind', 'urn:ietf:params:xml:ns:xmpp-bind')).toBeDefined();
    raw.send(xml('iq', { type: 'set', id: 'b1' }, xml('bind', { xmlns: 'urn:ietf:params:xml:ns:xmpp-bind' })));
    const jid = (await raw.next((e) => e.attrs.id === 'b1')).getChild('bind')?.getChildText('jid') ?? '';
    expect(jid).toMatch(new RegExp(`^${user.id}-${server.app.id}@chat\\.test/[0-9a-f]{32}$`));
    expect((await pingServer(raw, 'chat.test', 'tcp-ping')).attrs).toMatchObject({ type: 'result', to: jid });
    raw.send('</stream:stream>');
    await raw.waitClosed();
  });

  it('xmpp.js picks SCRAM-SHA-1 and logs in with the password and with a session token; a wrong secret is refused', async () => {
    const user = await fixture.newUser();
    const username = `${user.id}-${server.app.id}`;
    const byPassword = fixture.xmppJs(service(), username, user.password);
    const address = await byPassword.xmpp.start();
    expect(byPassword.mechanism()).toBe('SCRAM-SHA-1');
    expect(address.toString()).toMatch(new RegExp(`^${username}@chat\\.test/[0-9a-f]{32}$`));

    const token = await sessionToken(server.url, server.app, { login: user.login, password: user.password });
    const byToken = fixture.xmppJs(service(), username, token);
    await byToken.xmpp.start();
    expect(byToken.mechanism()).toBe('SCRAM-SHA-1');
    expect(server.server.xmpp.router.sessionsOf(server.app.id, user.id)).toHaveLength(2);

    expect(await saslRejection(fixture.xmppJs(service(), username, 'wrong-pwd').xmpp.start())).toBe('not-authorized');
    const other = await fixture.newUser();
    const otherToken = await sessionToken(server.url, server.app, { login: other.login, password: other.password });
    expect(await saslRejection(fixture.xmppJs(service(), username, otherToken).xmpp.start())).toBe('not-authorized');
    // A destroyed session's token no longer works over SCRAM.
    expect((await rawRequest(server.url, '/session.json', { method: 'DELETE', token })).status).toBe(200);
    expect(await saslRejection(fixture.xmppJs(service(), username, token).xmpp.start())).toBe('not-authorized');
  });

  it('a token bound to the user later by POST /login has no SCRAM keys: refused over SCRAM, accepted with PLAIN', async () => {
    const user = await fixture.newUser();
    const username = `${user.id}-${server.app.id}`;
    const token = await sessionToken(server.url, server.app);
    const login = await rawRequest(server.url, '/login.json', { method: 'POST', token, body: { login: user.login, password: user.password } });
    expect(login.status).toBe(200);
    expect(await saslRejection(fixture.xmppJs(service(), username, token).xmpp.start())).toBe('not-authorized');
    const raw = await fixture.tcp();
    const jid = await loginPlain(raw, { domain: 'chat.test', appId: server.app.id, userId: user.id, password: token });
    expect(jid).toContain(`${username}@chat.test/`);
  });

  it('keeps the SCRAM salt on a password change, so tokens issued before it still log in', async () => {
    const user = await fixture.newUser('first-pwd');
    const username = `${user.id}-${server.app.id}`;
    const token = await sessionToken(server.url, server.app, { login: user.login, password: 'first-pwd' });
    const changed = await rawRequest(server.url, `/users/${user.id}.json`, { method: 'PUT', token, body: { user: { old_password: 'first-pwd', password: 'second-pwd' } } });
    expect(changed.status).toBe(200);
    expect(await saslRejection(fixture.xmppJs(service(), username, 'first-pwd').xmpp.start())).toBe('not-authorized');
    await fixture.xmppJs(service(), username, 'second-pwd').xmpp.start();
    await fixture.xmppJs(service(), username, token).xmpp.start();
  });

  it('an xmpp.js user on TCP and an official-SDK user on WebSocket exchange 1-1 chat messages', async () => {
    const tcpUser = await fixture.newUser();
    const sdkUser = await fixture.newUser('password123');
    const tcpClient = fixture.xmppJs(service(), `${tcpUser.id}-${server.app.id}`, tcpUser.password);
    await tcpClient.xmpp.start();
    await tcpClient.xmpp.send(xml('presence', {}) as never);

    const cube = new (OfficialConnectyCube as unknown as { ConnectyCube: new () => OfficialCube }).ConnectyCube();
    cube.init({ appId: server.app.id, authKey: server.app.authKey }, { endpoints: { api_url: server.url, chat: 'chat.test', chat_url: server.wsUrl }, debug: { mode: 0 } });
    await cube.createSession({ login: sdkUser.login, password: 'password123' });
    await cube.chat.connect({ userId: sdkUser.id, password: 'password123' });
    try {
      const received = new Promise<{ from: number; body: string }>((resolve) => {
        cube.chat.onMessageListener = (from, message) => resolve({ from, body: message.body });
      });
      await tcpClient.xmpp.send(
        xml('message', { type: 'chat', to: `${sdkUser.id}-${server.app.id}@chat.test`, id: 'tcp-1' }, xml('body', {}, 'hello from TCP')) as never,
      );
      expect(await withTimeout(received, 5000, 'the SDK user got no message')).toEqual({ from: tcpUser.id, body: 'hello from TCP' });

      cube.chat.send(tcpUser.id, { type: 'chat', body: 'hello from the SDK' });
      await expect
        .poll(() => tcpClient.stanzas.find((s) => s.name === 'message' && s.getChildText('body') === 'hello from the SDK')?.attrs.from ?? '', { timeout: 5000 })
        .toMatch(new RegExp(`^${sdkUser.id}-${server.app.id}@chat\\.test/`));
    } finally {
      await cube.chat.disconnect();
    }
  });
});

describe.each(databaseKinds)('XMPP over TCP with STARTTLS (%s)', (db) => {
  let server: TestServer;
  const fixture = new XmppFixture(() => server);
  const certificate = selfSignedCertificate('chat.test');
  const originalConnect = tls.connect;
  beforeAll(async () => {
    server = await startServer({ db, xmppTcp: true, config: { chatDomain: 'chat.test', xmppTlsCert: certificate.certFile, xmppTlsKey: certificate.keyFile } });
  });
  afterEach(() => {
    tls.connect = originalConnect;
  });
  afterAll(async () => {
    await fixture.close();
    await server?.stop();
  });

  it('requires STARTTLS before SASL: <auth> first gets encryption-required and the stream closes', async () => {
    const user = await fixture.newUser();
    const raw = await fixture.tcp();
    raw.open('chat.test');
    const features = await raw.next(isFeatures);
    expect(features.getChild('starttls', TLS)?.getChild('required')).toBeDefined();
    expect(features.getChild('mechanisms', SASL)).toBeUndefined();
    raw.send(xml('auth', { xmlns: SASL, mechanism: 'PLAIN' }, Buffer.from(`\0${user.id}-${server.app.id}\0${user.password}`).toString('base64')));
    expect((await raw.nextNamed('failure', SASL)).getChildElements()[0]?.name).toBe('encryption-required');
    await raw.waitClosed();
  });

  it('upgrades a raw socket with STARTTLS, restarts the stream, then offers PLAIN and logs in', async () => {
    const user = await fixture.newUser();
    const raw = await fixture.tcp();
    raw.open('chat.test');
    await raw.next(isFeatures);
    raw.send(xml('starttls', { xmlns: TLS }));
    await raw.nextNamed('proceed', TLS);
    await raw.startTls();
    expect((raw.socket as tls.TLSSocket).getPeerCertificate().subject?.CN).toBe('chat.test');
    raw.open('chat.test');
    const features = await raw.next(isFeatures);
    expect(features.getChild('starttls', TLS)).toBeUndefined();
    expect(features.getChild('mechanisms', SASL)?.getChildren('mechanism').map((m) => m.text())).toEqual(['PLAIN']);
    raw.send(xml('auth', { xmlns: SASL, mechanism: 'PLAIN' }, Buffer.from(`\0${user.id}-${server.app.id}\0${user.password}`).toString('base64')));
    await raw.nextNamed('success', SASL);
    raw.open('chat.test');
    await raw.next(isFeatures);
    raw.send(xml('iq', { type: 'set', id: 'b1' }, xml('bind', { xmlns: 'urn:ietf:params:xml:ns:xmpp-bind' })));
    await raw.next((e) => e.attrs.id === 'b1');
    expect((await pingServer(raw, 'chat.test')).attrs.type).toBe('result');
  });

  it('xmpp.js negotiates STARTTLS (trusting the test certificate) and logs in', async () => {
    // xmpp.js passes no TLS options through STARTTLS: trust the throwaway certificate for this test only.
    tls.connect = ((options: tls.ConnectionOptions) => originalConnect({ ...options, ca: certificate.cert })) as typeof tls.connect;
    const user = await fixture.newUser();
    const { xmpp } = fixture.xmppJs(`xmpp://127.0.0.1:${server.xmppPort}`, `${user.id}-${server.app.id}`, user.password);
    await xmpp.start();
    expect(xmpp.isSecure()).toBe(true);
    const [session] = server.server.xmpp.router.sessionsOf(server.app.id, user.id);
    expect(session?.connection.secure).toBe(true);
  });
});

interface OfficialCube {
  init(credentials: { appId: number; authKey: string }, config: Record<string, unknown>): void;
  createSession(params: Record<string, unknown>): Promise<unknown>;
  chat: {
    connect(params: { userId: number; password: string }): Promise<unknown>;
    disconnect(): Promise<unknown>;
    send(to: number, message: Record<string, unknown>): string;
    onMessageListener: ((from: number, message: { body: string }) => void) | undefined;
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
