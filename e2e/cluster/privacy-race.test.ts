import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  loginPlain,
  provideTestPostgres,
  provideTestRedis,
  rawRequest,
  RawXmppClient,
  sessionToken,
  startServer,
  xml,
  type Element,
  type TestBroker,
  type TestDatabase,
  type TestPostgres,
  type TestServer,
} from '@parley/testkit';
import { objectId } from '../../bench/lib/burst-sender.js';

const PRIVACY = 'jabber:iq:privacy';
const PASSWORD = 'password123';
/** How late node A's bus traffic reaches the broker: a slow link, not a lost one. */
const BUS_DELAY_MS = 300;

/** A TCP relay to `port` that holds every chunk from the client for `delayMs` (order kept). */
async function slowLink(port: number, delayMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A privacy list change made on one node must hold on every node once the server has confirmed it
 * (XEP-0016: the list is active when the IQ result comes). Node A reaches the bus over a slow link
 * (300 ms, nothing lost); alice on node A blocks bob, bob on node B writes to her right after
 * alice's server confirmed the block.
 *
 * Without the wait for the other nodes (cluster routing as merged from `croute`), node B still held
 * alice's old (empty) default list in its privacy cache until the `privacy` hint from node A arrived,
 * so bob's message reached alice after she was told the block is active.
 */
describe('privacy lists across nodes: a confirmed block holds on the other node at once', () => {
  let postgres: TestPostgres;
  let database: TestDatabase;
  let redis: TestBroker;
  let link: Awaited<ReturnType<typeof slowLink>>;
  const nodes: TestServer[] = [];

  beforeAll(async () => {
    postgres = await provideTestPostgres();
    database = await createTestDatabase(postgres.adminUrl);
    redis = await provideTestRedis();
    link = await slowLink(Number(new URL(redis.url).port), BUS_DELAY_MS);
    const busNamespace = `privrace_${randomBytes(4).toString('hex')}`;
    for (const [nodeId, busUrl] of [
      ['race-a', `redis://127.0.0.1:${link.port}`],
      ['race-b', redis.url],
    ] as const) {
      nodes.push(await startServer({ databaseUrl: database.url, busNamespace, config: { busUrl, nodeId } }));
    }
  });

  afterAll(async () => {
    for (const node of nodes) await node.stop();
    await link?.close();
    await database?.drop();
    await redis?.stop();
    await postgres?.stop();
  });

  it('bounces bob’s message sent right after alice’s server confirmed the block', async () => {
    const [nodeA, nodeB] = nodes as [TestServer, TestServer];
    const app = nodeA.app;
    const appToken = await sessionToken(nodeA.url, app);
    const ids: number[] = [];
    for (const name of ['alice', 'bob']) {
      const created = await rawRequest(nodeA.url, '/users.json', { method: 'POST', token: appToken, body: { user: { login: `race-${name}-${Date.now().toString(36)}`, password: PASSWORD } } });
      expect(created.status).toBe(201);
      ids.push((created.json as { user: { id: number } }).user.id);
    }
    const [aliceId, bobId] = ids as [number, number];
    const domain = nodeA.chatDomain;
    const jid = (id: number) => `${id}-${app.id}@${domain}`;
    const alice = await RawXmppClient.websocket(nodeA.wsUrl);
    await loginPlain(alice, { domain, userId: aliceId, appId: app.id, password: PASSWORD, presence: true });
    const bob = await RawXmppClient.websocket(nodeB.wsUrl);
    await loginPlain(bob, { domain, userId: bobId, appId: app.id, password: PASSWORD, presence: true });
    const aliceGot: string[] = [];
    alice.onElement((element) => element.name === 'message' && aliceGot.push(element.getChildText('body') ?? ''));
    const bobErrors: string[] = [];
    bob.onElement((element) => element.name === 'message' && element.attrs.type === 'error' && bobErrors.push(element.attrs.id ?? ''));
    const say = (body: string): string => {
      const id = objectId();
      bob.send(xml('message', { xmlns: 'jabber:client', type: 'chat', to: jid(aliceId), id }, xml('body', {}, body)));
      return id;
    };
    const iq = async (client: RawXmppClient, child: Element): Promise<Element> => {
      const id = `iq-${randomBytes(4).toString('hex')}`;
      client.send(xml('iq', { xmlns: 'jabber:client', type: 'set', id }, child));
      const answer = await client.next((element) => element.name === 'iq' && element.attrs.id === id);
      expect(answer.attrs.type).toBe('result');
      return answer;
    };
    try {
      // Before the block: bob reaches alice across the nodes (node B learns she is online, and
      // looks up her privacy lists: none).
      await expect.poll(() => {
        say(`hello-${aliceGot.length}`);
        return aliceGot.some((id) => id.startsWith('hello-'));
      }, { timeout: 10_000, interval: 500 }).toBe(true);

      await iq(alice, xml('query', { xmlns: PRIVACY }, xml('list', { name: 'block-bob' }, xml('item', { type: 'jid', value: jid(bobId), action: 'deny', order: '1' }))));
      await iq(alice, xml('query', { xmlns: PRIVACY }, xml('default', { name: 'block-bob' })));
      // The block is confirmed: what bob sends now must not reach alice.
      const afterBlock = say('after-block');
      await expect.poll(() => bobErrors, { timeout: 5_000 }).toContain(afterBlock);
      expect(aliceGot).not.toContain('after-block');
    } finally {
      alice.destroy();
      bob.destroy();
    }
  });
});
