/**
 * Several real Parley nodes in this process, the way a cluster runs them: one PostgreSQL database
 * shared by every node, one Redis or NATS broker (the bus), a distinct PARLEY_NODE_ID per node and one
 * bus namespace of their own (so parallel test files on the same broker never hear each other).
 *
 *   const cluster = await startCluster({ bus: 'redis', nodes: 2 });
 *   // alice on cluster.nodes[0], bob on cluster.nodes[1], same cluster.app
 *   await cluster.stop();
 */
import { randomBytes } from 'node:crypto';
import type { ConfigKey } from '@parley/server/config';
import { provideTestNats, provideTestRedis, type BrokerKind, type TestBroker } from './brokers.js';
import { createTestDatabase, provideTestPostgres, type TestDatabase, type TestPostgres } from './postgres.js';
import { startServer, type StartServerOptions, type TestApp, type TestServer } from './server.js';

export interface StartClusterOptions {
  bus: BrokerKind;
  /** How many nodes (default 2). */
  nodes?: number;
  /** Option values for every node, as in `startServer` (the database, bus and node id are set here). */
  config?: Partial<Record<ConfigKey, string>>;
  /** Option values of one node (by index), over `config`. */
  nodeConfig?: (index: number) => Partial<Record<ConfigKey, string>>;
  /** Server time in epoch ms for every node. */
  clock?: () => number;
  /** Passed to every node's `startServer` (XMPP over TCP, timers, logger, overrides). */
  server?: Pick<StartServerOptions, 'xmppTcp' | 'xmppTimers' | 'logger' | 'overrides' | 'metricsListener'>;
}

export interface TestCluster {
  /** The nodes, started in order; node ids `node-0`, `node-1` … with a per-cluster suffix. */
  nodes: TestServer[];
  /** The application every node serves (one database, one default app). */
  app: TestApp;
  /** The bus URL the nodes share (`redis://…` or `nats://…`). */
  busUrl: string;
  /** The shared database's URL. */
  databaseUrl: string;
  /** The bus namespace the nodes share. */
  busNamespace: string;
  /** Starts one more node on the same database and bus (e.g. after one was killed). */
  addNode(config?: Partial<Record<ConfigKey, string>>): Promise<TestServer>;
  /** Stops every node that is still running, then drops the database and releases the broker. */
  stop(): Promise<void>;
}

const providers: Record<BrokerKind, () => Promise<TestBroker>> = { redis: provideTestRedis, nats: provideTestNats };

/** N nodes on one fresh PostgreSQL database and one broker; every node shares the default app. */
export async function startCluster(options: StartClusterOptions): Promise<TestCluster> {
  const count = options.nodes ?? 2;
  if (!Number.isInteger(count) || count < 1) throw new RangeError('nodes must be a positive integer');
  const suffix = randomBytes(3).toString('hex');
  const busNamespace = `cluster_${suffix}`;
  let postgres: TestPostgres | undefined;
  let database: TestDatabase | undefined;
  let broker: TestBroker | undefined;
  const nodes: TestServer[] = [];
  const stopped = new Set<TestServer>();

  const release = async () => {
    for (const node of nodes) {
      if (stopped.has(node)) continue;
      stopped.add(node);
      await node.stop().catch(() => undefined);
    }
    await database?.drop().catch(() => undefined);
    await postgres?.stop();
    await broker?.stop();
  };

  try {
    postgres = await provideTestPostgres();
    database = await createTestDatabase(postgres.adminUrl);
    broker = await providers[options.bus]();
    const shared = { databaseUrl: database.url, busUrl: broker.url };
    const start = async (index: number, extra: Partial<Record<ConfigKey, string>> = {}) => {
      const node = await startServer({
        ...options.server,
        databaseUrl: shared.databaseUrl,
        busNamespace,
        ...(options.clock ? { clock: options.clock } : {}),
        config: { ...options.config, ...options.nodeConfig?.(index), ...extra, busUrl: shared.busUrl, nodeId: `node-${index}-${suffix}` },
      });
      // A node stopped or killed by the test is not stopped again by `cluster.stop()`.
      const { stop, kill } = node;
      node.stop = async () => {
        stopped.add(node);
        await stop();
      };
      node.kill = async () => {
        stopped.add(node);
        await kill();
      };
      nodes.push(node);
      return node;
    };
    // One after the other: the first node migrates the database and creates the default app.
    for (let index = 0; index < count; index += 1) await start(index);
    return {
      nodes,
      app: nodes[0]!.app,
      busUrl: shared.busUrl,
      databaseUrl: shared.databaseUrl,
      busNamespace,
      addNode: (config) => start(nodes.length, config),
      stop: release,
    };
  } catch (error) {
    await release();
    throw error;
  }
}
