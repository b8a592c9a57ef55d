import { client, type Client, type XmlElement } from '@xmpp/client';
import { loginPlain, pingServer, RawXmppClient, type TestServer } from '@parley/testkit';

/** Shared set-up of the XMPP integration suites: users, raw clients, xmpp.js clients; closes all of them. */
export class XmppFixture {
  private serial = 0;
  private readonly raws: RawXmppClient[] = [];
  private readonly clients: Client[] = [];

  constructor(private readonly server: () => TestServer) {}

  async newUser(password = 'secret-pwd', appId = this.server().app.id): Promise<{ id: number; login: string; password: string; appId: number }> {
    const login = `x${Date.now().toString(36)}${(this.serial += 1)}`;
    const user = await this.server().server.services.users.signup(appId, { login, password });
    return { id: user.id, login, password, appId };
  }

  async websocket(options: Parameters<typeof RawXmppClient.websocket>[1] = {}): Promise<RawXmppClient> {
    const raw = await RawXmppClient.websocket(this.server().wsUrl, options);
    this.raws.push(raw);
    return raw;
  }

  async tcp(): Promise<RawXmppClient> {
    const port = this.server().xmppPort;
    if (port === undefined) throw new Error('server started without xmppTcp');
    const raw = await RawXmppClient.tcp(port);
    this.raws.push(raw);
    return raw;
  }

  /** A raw client logged in with PLAIN and bound; returns it with its full JID. */
  async loggedIn(transport: 'websocket' | 'tcp', user: { id: number; password: string; appId: number }): Promise<{ raw: RawXmppClient; jid: string }> {
    const raw = transport === 'websocket' ? await this.websocket() : await this.tcp();
    const jid = await loginPlain(raw, { domain: this.server().chatDomain, appId: user.appId, userId: user.id, password: user.password });
    return { raw, jid };
  }

  /** The server still answers this session and still lets a new one log in (after an abuse case). */
  async serverStillServes(survivor: RawXmppClient, user: { id: number; password: string; appId: number }): Promise<void> {
    const pong = await pingServer(survivor, this.server().chatDomain);
    if (pong.attrs.type !== 'result') throw new Error(`survivor ping failed: ${pong.toString()}`);
    const fresh = await this.loggedIn('websocket', user);
    const again = await pingServer(fresh.raw, this.server().chatDomain);
    if (again.attrs.type !== 'result') throw new Error(`new login ping failed: ${again.toString()}`);
    fresh.raw.destroy();
  }

  /**
   * An xmpp.js client (`@xmpp/client` as the official SDK bundles it) with reconnect off; records the
   * SASL mechanism it chose (its preference: SCRAM-SHA-1, then PLAIN).
   */
  xmppJs(service: string, username: string, password: string): { xmpp: Client; mechanism: () => string | undefined; stanzas: XmlElement[] } {
    let chosen: string | undefined;
    const xmpp = client({
      service,
      domain: this.server().chatDomain,
      timeout: 5000,
      credentials: async (authenticate, mechanisms) => {
        chosen = mechanisms[0];
        await authenticate({ username, password }, chosen ?? 'PLAIN');
      },
    });
    xmpp.reconnect.stop();
    xmpp.on('error', () => undefined);
    const stanzas: XmlElement[] = [];
    xmpp.on('stanza', (stanza: XmlElement) => stanzas.push(stanza));
    this.clients.push(xmpp);
    return { xmpp, mechanism: () => chosen, stanzas };
  }

  async close(): Promise<void> {
    for (const raw of this.raws) raw.destroy();
    for (const xmpp of this.clients) await xmpp.stop().catch(() => undefined);
  }
}

/** The SASL condition an xmpp.js `start()` rejected with. */
export async function saslRejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { condition?: string }).condition ?? String(error);
  }
  throw new Error('expected the login to be refused');
}
