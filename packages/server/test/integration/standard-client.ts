import { client, xml, type Client, type XmlElement } from '@xmpp/client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startServer, type StartServerOptions, type TestDatabaseKind, type TestServer } from '@parley/testkit';
import { XmppFixture } from './xmpp-helpers.js';

/** The `@xmpp/stream-management` state of a client (not in our typings of `@xmpp/client`). */
export function streamManagement(xmpp: Client): { enabled: boolean; id: string; inbound: number; once(event: 'resumed', listener: () => void): void } {
  return (xmpp as unknown as { streamManagement: ReturnType<typeof streamManagement> }).streamManagement;
}

/** Resolves when `condition()` holds, checking every few ms (rejects after `timeoutMs`). */
async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A standard XMPP client (`@xmpp/client`: stream management with resumption, carbons by hand). */
export interface StandardClient {
  xmpp: Client;
  /** Every stanza received, in order (across resumptions). */
  stanzas: XmlElement[];
  /** Resolves with the first received stanza (already received or future) that matches. */
  next(test: (stanza: XmlElement) => boolean, timeoutMs?: number): Promise<XmlElement>;
  /** Resolves once `count` stanzas match (already received ones included). */
  collect(test: (stanza: XmlElement) => boolean, count: number, timeoutMs?: number): Promise<XmlElement[]>;
  /** iq round trip. */
  iq(type: 'get' | 'set', payload: XmlElement, to?: string): Promise<XmlElement>;
  stop(): Promise<void>;
}

/**
 * Logs a standard client in as the user, with initial presence; reconnects quickly. Over TCP (the server
 * must be started with `xmppTcp`): Node 20 has no global WebSocket for xmpp.js.
 */
export async function standardClient(server: TestServer, user: { id: number; password: string }): Promise<StandardClient> {
  const xmpp = client({
    service: `xmpp://127.0.0.1:${server.xmppPort ?? 0}`,
    domain: server.chatDomain,
    timeout: 5000,
    credentials: async (authenticate) => authenticate({ username: `${user.id}-${server.app.id}`, password: user.password }, 'PLAIN'),
  });
  xmpp.reconnect.delay = 20;
  xmpp.on('error', () => undefined);
  const stanzas: XmlElement[] = [];
  const waiters = new Set<() => void>();
  xmpp.on('stanza', (stanza: XmlElement) => {
    stanzas.push(stanza);
    for (const wake of [...waiters]) wake();
  });
  const collect = (test: (stanza: XmlElement) => boolean, count: number, timeoutMs = 5000) =>
    new Promise<XmlElement[]>((resolve, reject) => {
      const check = () => {
        const found = stanzas.filter(test);
        if (found.length < count) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found.slice(0, count));
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`only ${stanzas.filter(test).length} of ${count} stanzas arrived`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  let iqSerial = 0;
  await xmpp.start();
  // xmpp.js resets its inbound count when it processes <enabled/>; start() resolves before that.
  await until(() => streamManagement(xmpp).enabled);
  await xmpp.send(xml('presence'));
  const standard: StandardClient = {
    xmpp,
    stanzas,
    collect,
    next: async (test, timeoutMs) => (await collect(test, 1, timeoutMs))[0]!,
    async iq(type, payload, to) {
      const id = `iq-${(iqSerial += 1)}`;
      await xmpp.send(xml('iq', { type, id, ...(to ? { to } : {}) }, payload));
      return (await collect((s) => s.name === 'iq' && s.attrs.id === id && (s.attrs.type === 'result' || s.attrs.type === 'error'), 1))[0]!;
    },
    async stop() {
      xmpp.reconnect.stop();
      await xmpp.stop().catch(() => undefined);
    },
  };
  // The server handles a connection's stanzas in order: once the ping is answered, the presence is.
  await standard.iq('get', xml('ping', { xmlns: 'urn:xmpp:ping' }), server.chatDomain);
  return standard;
}

/**
 * The hooks of a suite of standard-client tests: a server with a TCP listener for the suite (handed to
 * `onStart`), and after each test its clients stopped and the fixture's connections closed.
 */
export function standardClientSuite(
  db: TestDatabaseKind,
  onStart: (server: TestServer) => void,
  options: Omit<StartServerOptions, 'db' | 'xmppTcp'> = {},
): { fixture: XmppFixture; clients: StandardClient[] } {
  let server: TestServer | undefined;
  const fixture = new XmppFixture(() => {
    if (!server) throw new Error('the suite server has not started');
    return server;
  });
  const clients: StandardClient[] = [];
  beforeAll(async () => {
    server = await startServer({ ...options, db, xmppTcp: true });
    onStart(server);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.stop();
    await fixture.close();
  });
  afterAll(() => server?.stop());
  return { fixture, clients };
}
