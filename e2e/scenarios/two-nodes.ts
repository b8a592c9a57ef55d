import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { createTestDatabase, provideTestNats, provideTestPostgres, provideTestRedis, startServer, type StartServerOptions, type TestServer } from '@parley/testkit';

export type ClusterBus = 'redis' | 'nats';

export interface TwoNodeCluster {
  nodes: TestServer[];
  /** One address in front of every node (each TCP connection to the next node, like a sticky-free balancer); the nodes' PARLEY_PUBLIC_URL. */
  frontUrl: string;
  /** The application every node serves (made by the first node, found by the others). */
  app: TestServer['app'];
  stop(): Promise<void>;
}

export interface StartNodesOptions {
  bus: ClusterBus;
  /** How many nodes (default 2). */
  nodes?: number;
  /** One clock for every node, so a scenario moving time moves it cluster-wide. */
  clock?: StartServerOptions['clock'];
}

/**
 * In-process Parley nodes sharing one throwaway PostgreSQL database and one bus (its own namespace, so
 * parallel clusters on the same broker never hear each other). Nodes start one after the other: the
 * first migrates the database and creates the default app, the next ones find both.
 */
export async function startNodes(options: StartNodesOptions): Promise<TwoNodeCluster> {
  const postgres = await provideTestPostgres();
  const broker = await (options.bus === 'redis' ? provideTestRedis() : provideTestNats());
  const database = await createTestDatabase(postgres.adminUrl);
  const namespace = `c${randomBytes(6).toString('hex')}`;
  const nodes: TestServer[] = [];
  const front = await roundRobinFront(() => nodes);
  const stop = async () => {
    await front.close();
    for (const node of nodes.splice(0).reverse()) await node.stop();
    await database.drop();
    await broker.stop();
    await postgres.stop();
  };
  try {
    for (let index = 0; index < (options.nodes ?? 2); index += 1) {
      nodes.push(
        await startServer({
          config: { databaseUrl: database.url, busUrl: broker.url, nodeId: `${namespace}-n${index + 1}`, publicUrl: front.url },
          busNamespace: namespace,
          ...(options.clock ? { clock: options.clock } : {}),
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const first = nodes[0];
  if (!first) throw new Error('a cluster needs at least one node');
  return { nodes, frontUrl: front.url, app: first.app, stop };
}

/**
 * A TCP round-robin on a free loopback port: each new connection goes to the next node, as a
 * sticky-free load balancer in TCP mode does. Clients behind it see one origin, as in production.
 */
async function roundRobinFront(nodes: () => TestServer[]): Promise<{ url: string; close(): Promise<void> }> {
  let turn = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const all = nodes();
    const node = all[turn % all.length];
    turn += 1;
    if (!node) return client.destroy();
    const { port } = new URL(node.url);
    const upstream = net.connect(Number(port), '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
