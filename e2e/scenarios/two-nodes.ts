import net from 'node:net';
import type { ConfigKey } from '@parley/server/config';
import { startCluster, startTestS3, type TestCluster, type TestServer } from '@parley/testkit';

export type ClusterBus = 'redis' | 'nats';

export interface TwoNodeCluster extends TestCluster {
  /** One address in front of every node (each TCP connection to the next node, like a sticky-free balancer); the nodes' PARLEY_PUBLIC_URL. */
  frontUrl: string;
}

export interface StartNodesOptions {
  bus: ClusterBus;
  /** How many nodes (default 2). */
  nodes?: number;
  /** One clock for every node, so a scenario moving time moves it cluster-wide. */
  clock?: () => number;
  /** Option values for every node, besides the public URL and the shared S3 (e.g. the push providers). */
  config?: Partial<Record<ConfigKey, string>>;
}

/**
 * The test kit's cluster (nodes on one PostgreSQL database and one bus) behind a round-robin front,
 * whose address is every node's public URL — as behind a load balancer, links the server makes and
 * recognises (its own files) are the same on every node. Files live in one local S3-compatible server
 * (PARLEY_BLOBS=s3), as a cluster needs: a file uploaded through one node is read through another.
 */
export async function startNodes(options: StartNodesOptions): Promise<TwoNodeCluster> {
  let nodes: TestServer[] = [];
  const front = await roundRobinFront(() => nodes);
  const s3 = await startTestS3().catch(async (error: unknown) => {
    await front.close();
    throw error;
  });
  try {
    const config = { ...options.config, publicUrl: front.url, ...s3.serverConfig };
    const cluster = await startCluster({ bus: options.bus, nodes: options.nodes ?? 2, config, ...(options.clock ? { clock: options.clock } : {}) });
    nodes = cluster.nodes;
    return {
      ...cluster,
      frontUrl: front.url,
      async stop() {
        await front.close();
        await cluster.stop();
        await s3.stop();
      },
    };
  } catch (error) {
    await front.close();
    await s3.stop();
    throw error;
  }
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
