import { connect, StorageType, StringCodec, type KV, type NatsConnection, type Subscription } from 'nats';
import { BusUnavailable, checkToken, type Bus, type BusHandler, type BusOptions, type BusSubscription } from '../../ports/bus.js';
import { checkKey, checkTtl, MAX_LEASE_MS, type ClusterState } from '../../ports/cluster-state.js';
import { channelAddressing, redact, runHandler, withTimeout } from '../bus-common/index.js';

const CONNECT_TIMEOUT_MS = 5_000;
const codec = StringCodec();

/**
 * The bus on core NATS pub/sub: one connection, subjects `<namespace>.node.<id>` and
 * `<namespace>.subject.<subject>`. NATS delivers one connection's messages on one subject in order, to
 * every subscriber, at most once: the port's contract as is.
 *
 * Keys with a TTL live in a JetStream key-value bucket with MEMORY storage: leases are not durable
 * data (after a NATS restart every node puts its leases again on its next refresh), so no write here
 * needs a disk sync. Nothing durable is ever stored in JetStream by Parley; the record is PostgreSQL.
 */
export async function createNatsBus(url: string, options: BusOptions): Promise<Bus> {
  const nodeId = checkToken('node id', options.nodeId);
  const namespace = checkToken('namespace', options.namespace);
  let connection: NatsConnection;
  try {
    connection = await connect({ servers: url, name: `parley-${nodeId}`, timeout: CONNECT_TIMEOUT_MS, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  } catch (error) {
    throw new BusUnavailable(`cannot reach NATS at ${redact(url)}: ${(error as Error).message}`);
  }
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === 'error' || status.type === 'disconnect') options.onBrokerError?.(new Error(`NATS ${status.type}: ${String(status.data)}`));
    }
  })();

  const subscriptions = new Set<Subscription>();

  async function publish(subject: string, payload: string): Promise<void> {
    // While NATS reconnects the client buffers (bounded) and may drop: at most once, as promised.
    try {
      connection.publish(subject, codec.encode(payload));
    } catch (error) {
      throw new BusUnavailable(`NATS publish failed: ${(error as Error).message}`);
    }
  }

  async function subscribe(subject: string, handler: BusHandler): Promise<BusSubscription> {
    const subscription = connection.subscribe(subject, {
      callback: (error, message) => {
        if (error) options.onBrokerError?.(error);
        else runHandler(handler, codec.decode(message.data), options.onHandlerError);
      },
    });
    subscriptions.add(subscription);
    // The server has the interest once the flush returns: publishes after this reach the handler.
    await connection.flush();
    return {
      async unsubscribe() {
        if (!subscriptions.delete(subscription)) return;
        subscription.unsubscribe();
        await connection.flush().catch(() => undefined);
      },
    };
  }

  return {
    kind: 'nats',
    nodeId,
    state: createNatsClusterState(connection, namespace),
    ...channelAddressing(namespace, nodeId, { publish, subscribe }),
    async ping(timeoutMs) {
      if (connection.isClosed()) throw new BusUnavailable('NATS connection closed');
      await withTimeout(connection.flush(), timeoutMs, 'NATS');
    },
    async close() {
      subscriptions.clear();
      if (!connection.isClosed()) await connection.drain().catch(() => connection.close());
    },
  };
}

/** A stored lease: the value and its TTL; it lives until the entry's server timestamp plus the TTL. */
interface Lease {
  v: string;
  ttl: number;
}

function createNatsClusterState(connection: NatsConnection, namespace: string): ClusterState {
  let bucket: Promise<KV> | undefined;
  // Opened on first use, so a node without JetStream still has pub/sub.
  const open = (): Promise<KV> => {
    bucket ??= connection
      .jetstream()
      .views.kv(`parley_${namespace}_leases`, { history: 1, ttl: MAX_LEASE_MS, storage: StorageType.Memory })
      .catch((error: unknown) => {
        bucket = undefined;
        throw new BusUnavailable(`NATS JetStream key-value bucket: ${(error as Error).message}`);
      });
    return bucket;
  };
  /** Runs `use` on the bucket; once more on a fresh bucket if it failed (a restarted NATS lost the memory bucket). */
  async function withKv<T>(use: (kv: KV) => Promise<T>): Promise<T> {
    const first = await open();
    try {
      return await use(first);
    } catch {
      bucket = undefined;
      try {
        return await use(await open());
      } catch (error) {
        throw error instanceof BusUnavailable ? error : new BusUnavailable(`NATS key-value: ${(error as Error).message}`);
      }
    }
  }
  async function live(kv: KV, key: string): Promise<{ lease: Lease; revision: number } | undefined> {
    const entry = await kv.get(key);
    if (!entry || entry.operation !== 'PUT') return undefined;
    const lease = JSON.parse(codec.decode(entry.value)) as Lease;
    return entry.created.getTime() + lease.ttl > Date.now() ? { lease, revision: entry.revision } : undefined;
  }
  const encode = (value: string, ttlMs: number) => codec.encode(JSON.stringify({ v: value, ttl: ttlMs } satisfies Lease));
  return {
    async put(key, value, ttlMs) {
      checkKey(key);
      const data = encode(value, checkTtl(ttlMs));
      await withKv((kv) => kv.put(key, data));
    },
    async get(key) {
      checkKey(key);
      return (await withKv((kv) => live(kv, key)))?.lease.v;
    },
    async refresh(key, ttlMs) {
      checkKey(key);
      checkTtl(ttlMs);
      return withKv(async (kv) => {
        const found = await live(kv, key);
        if (!found) return false;
        // Compare-and-set on the revision: a lease deleted or replaced meanwhile is not brought back.
        return kv.update(key, encode(found.lease.v, ttlMs), found.revision).then(
          () => true,
          () => false,
        );
      });
    },
    async delete(key) {
      checkKey(key);
      return withKv(async (kv) => {
        const found = await live(kv, key);
        await kv.delete(key);
        return found !== undefined;
      });
    },
    async list(keyPrefix, limit = 10_000) {
      if (keyPrefix !== '') checkKey(keyPrefix);
      return withKv(async (kv) => {
        // Bounded by the bucket's live keys; a prefix filter on the server needs whole tokens, keys need not be.
        const keys: string[] = [];
        for await (const key of await kv.keys()) if (key.startsWith(keyPrefix)) keys.push(key);
        const found = new Map<string, string>();
        for (const key of keys) {
          if (found.size >= limit) break;
          const entry = await live(kv, key);
          if (entry) found.set(key, entry.lease.v);
        }
        return found;
      });
    },
  };
}
