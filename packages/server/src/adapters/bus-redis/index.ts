import { Redis } from 'ioredis';
import {
  BusUnavailable,
  checkToken,
  type Bus,
  type BusHandler,
  type BusOptions,
  type BusSubscription,
} from '../../ports/bus.js';
import { checkKey, checkTtl, type ClusterState } from '../../ports/cluster-state.js';
import { channelAddressing, redact, runHandler, withTimeout } from '../bus-common/index.js';

const CONNECT_TIMEOUT_MS = 5_000;
const SCAN_BATCH = 500;

/**
 * The bus on Redis pub/sub (one connection for commands and publishing, one for subscriptions),
 * keys with a TTL as plain Redis keys with PX expiry. Redis delivers the messages of one connection to
 * one channel in order, to every subscriber, at most once: that is the port's contract as is.
 */
export async function createRedisBus(url: string, options: BusOptions): Promise<Bus> {
  const nodeId = checkToken('node id', options.nodeId);
  const namespace = checkToken('namespace', options.namespace);
  const common = { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 1 };
  // Publishing fails fast while Redis is away (a hint is not worth waiting for); subscribing waits.
  const commands = new Redis(url, { ...common, enableOfflineQueue: false });
  const subscriber = new Redis(url, { ...common, autoResubscribe: true });
  for (const connection of [commands, subscriber]) connection.on('error', (error: unknown) => options.onBrokerError?.(error));
  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
  } catch (error) {
    commands.disconnect();
    subscriber.disconnect();
    throw new BusUnavailable(`cannot reach Redis at ${redact(url)}: ${(error as Error).message}`);
  }

  /** Per channel: its handlers, and the SUBSCRIBE every subscriber waits for (so none returns early). */
  const channels = new Map<string, { handlers: Set<BusHandler>; ready: Promise<unknown> }>();
  subscriber.on('message', (channel: string, payload: string) => {
    for (const handler of channels.get(channel)?.handlers ?? []) runHandler(handler, payload, options.onHandlerError);
  });

  async function publish(channel: string, payload: string): Promise<void> {
    try {
      await commands.publish(channel, payload);
    } catch (error) {
      throw new BusUnavailable(`Redis publish failed: ${(error as Error).message}`);
    }
  }

  async function subscribe(channel: string, handler: BusHandler): Promise<BusSubscription> {
    const wrapped: BusHandler = (payload) => handler(payload);
    let entry = channels.get(channel);
    if (!entry) {
      entry = { handlers: new Set(), ready: subscriber.subscribe(channel) };
      channels.set(channel, entry);
    }
    entry.handlers.add(wrapped);
    const current = entry;
    try {
      await current.ready;
    } catch (error) {
      current.handlers.delete(wrapped);
      if (current.handlers.size === 0 && channels.get(channel) === current) channels.delete(channel);
      throw new BusUnavailable(`Redis subscribe failed: ${(error as Error).message}`);
    }
    return {
      async unsubscribe() {
        if (!current.handlers.delete(wrapped)) return;
        if (current.handlers.size === 0 && channels.get(channel) === current) {
          channels.delete(channel);
          await subscriber.unsubscribe(channel).catch(() => undefined);
        }
      },
    };
  }

  return {
    kind: 'redis',
    nodeId,
    state: createRedisClusterState(commands, namespace),
    ...channelAddressing(namespace, nodeId, { publish, subscribe }),
    async ping(timeoutMs) {
      await withTimeout(commands.ping(), timeoutMs, 'Redis');
    },
    async close() {
      channels.clear();
      await Promise.all([commands, subscriber].map((connection) => connection.quit().catch(() => connection.disconnect())));
    },
  };
}

function createRedisClusterState(redis: Redis, namespace: string): ClusterState {
  const prefix = `${namespace}.state.`;
  const unavailable = (error: unknown): never => {
    throw new BusUnavailable(`Redis: ${(error as Error).message}`);
  };
  return {
    async put(key, value, ttlMs) {
      await redis.set(prefix + checkKey(key), value, 'PX', checkTtl(ttlMs)).catch(unavailable);
    },
    async get(key) {
      return (await redis.get(prefix + checkKey(key)).catch(unavailable)) ?? undefined;
    },
    async refresh(key, ttlMs) {
      return (await redis.pexpire(prefix + checkKey(key), checkTtl(ttlMs)).catch(unavailable)) === 1;
    },
    async delete(key) {
      return (await redis.del(prefix + checkKey(key)).catch(unavailable)) === 1;
    },
    async list(keyPrefix, limit = 10_000) {
      if (keyPrefix !== '') checkKey(keyPrefix);
      // Key characters are never glob characters, so the prefix needs no escaping.
      const found = new Map<string, string>();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}${keyPrefix}*`, 'COUNT', SCAN_BATCH).catch(unavailable);
        cursor = next;
        const wanted = keys.slice(0, limit - found.size);
        if (wanted.length > 0) {
          const values = await redis.mget(...wanted).catch(unavailable);
          // A key that lapsed between SCAN and MGET reads as null: it is gone, leave it out.
          wanted.forEach((key, i) => values[i] != null && found.set(key.slice(prefix.length), values[i]!));
        }
      } while (cursor !== '0' && found.size < limit);
      return found;
    },
  };
}
