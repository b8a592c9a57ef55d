import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { createLocalBus } from '../adapters/bus-local/index.js';
import { createNatsBus } from '../adapters/bus-nats/index.js';
import { createRedisBus } from '../adapters/bus-redis/index.js';
import { createClusterPresence } from '../adapters/presence-cluster/index.js';
import type { Config } from '../config/index.js';
import type { Logger } from '../ops/logging.js';
import type { Bus } from '../ports/bus.js';
import type { ClusterPresence } from '../ports/presence.js';

/** PARLEY_NODE_ID, or host name, process id and a random suffix: unique per process. */
export function resolveNodeId(config: Config): string {
  if (config.nodeId !== '') return config.nodeId;
  const host = os.hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40) || 'node';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** The cluster bus of PARLEY_BUS_URL (config validation already refused it with SQLite). */
export async function openBus(config: Config, nodeId: string, logger: Logger, namespace = 'parley'): Promise<Bus> {
  const options = {
    nodeId,
    namespace,
    onHandlerError: (error: unknown) => logger.error({ err: error }, 'bus handler failed'),
    onBrokerError: (error: unknown) => logger.warn({ err: error }, 'bus connection trouble'),
  };
  if (config.busUrl === '') return createLocalBus(options);
  return config.busUrl.startsWith('nats://') ? createNatsBus(config.busUrl, options) : createRedisBus(config.busUrl, options);
}

/** Leases on the bus's TTL keys: one node or many, one code path (in memory on the local bus). */
export function openPresence(config: Config, bus: Bus, logger: Logger): Promise<ClusterPresence> {
  return createClusterPresence(bus, { leaseMs: config.clusterLease * 1000, onError: (error) => logger.warn({ err: error }, 'cluster presence write failed') });
}
