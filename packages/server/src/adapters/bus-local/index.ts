import { checkToken, nodeChannel, subjectChannel, type Bus, type BusHandler, type BusOptions, type BusSubscription } from '../../ports/bus.js';
import { checkKey, checkTtl, type ClusterState } from '../../ports/cluster-state.js';
import { runHandler } from '../bus-common/index.js';

/**
 * What several in-process buses share: channels and keys. One node gets its own hub; tests that run
 * several nodes in one process hand them one hub to stand in for a broker.
 */
export class LocalBusHub {
  readonly channels = new Map<string, Set<BusHandler>>();
  readonly keys = new Map<string, { value: string; expiresAt: number }>();
  constructor(readonly clock: () => number = Date.now) {}
}

/** Expired keys are dropped when read, and all of them every this many writes (bounds the map). */
const SWEEP_EVERY_PUTS = 1000;

/** The in-process bus of a single node (PARLEY_BUS_URL unset): no broker, nothing leaves the process. */
export function createLocalBus(options: BusOptions, hub: LocalBusHub = new LocalBusHub()): Bus {
  const nodeId = checkToken('node id', options.nodeId);
  const mine = new Set<{ channel: string; handler: BusHandler }>();
  let closed = false;

  function deliver(channel: string, payload: string): void {
    // Handlers run after publish returns, in publish order (microtasks are FIFO), like a broker would.
    for (const handler of hub.channels.get(channel) ?? []) {
      queueMicrotask(() => {
        if (!hub.channels.get(channel)?.has(handler)) return;
        runHandler(handler, payload, options.onHandlerError);
      });
    }
  }

  function subscribe(channel: string, handler: BusHandler): BusSubscription {
    if (closed) throw new Error('bus closed');
    // A wrapper per subscription, so the same function subscribed twice is two subscribers.
    const wrapped: BusHandler = (payload) => handler(payload);
    const entry = { channel, handler: wrapped };
    let set = hub.channels.get(channel);
    if (!set) hub.channels.set(channel, (set = new Set()));
    set.add(wrapped);
    mine.add(entry);
    return {
      async unsubscribe() {
        mine.delete(entry);
        const current = hub.channels.get(channel);
        current?.delete(wrapped);
        if (current?.size === 0) hub.channels.delete(channel);
      },
    };
  }

  return {
    kind: 'local',
    nodeId,
    state: createLocalClusterState(options.namespace, hub),
    async publishToNode(target, payload) {
      deliver(nodeChannel(options.namespace, target), payload);
    },
    async publishToSubject(subject, payload) {
      deliver(subjectChannel(options.namespace, subject), payload);
    },
    async subscribeNode(handler) {
      return subscribe(nodeChannel(options.namespace, nodeId), handler);
    },
    async subscribeSubject(subject, handler) {
      return subscribe(subjectChannel(options.namespace, subject), handler);
    },
    async ping() {
      if (closed) throw new Error('bus closed');
    },
    async close() {
      closed = true;
      for (const { channel, handler } of mine) {
        const set = hub.channels.get(channel);
        set?.delete(handler);
        if (set?.size === 0) hub.channels.delete(channel);
      }
      mine.clear();
    },
  };
}

function createLocalClusterState(namespace: string, hub: LocalBusHub): ClusterState {
  const prefix = `${checkToken('namespace', namespace)}.`;
  let puts = 0;
  const live = (key: string) => {
    const entry = hub.keys.get(prefix + key);
    if (entry && entry.expiresAt <= hub.clock()) {
      hub.keys.delete(prefix + key);
      return undefined;
    }
    return entry;
  };
  const sweep = () => {
    const now = hub.clock();
    for (const [key, entry] of hub.keys) if (entry.expiresAt <= now) hub.keys.delete(key);
  };
  return {
    async put(key, value, ttlMs) {
      hub.keys.set(prefix + checkKey(key), { value, expiresAt: hub.clock() + checkTtl(ttlMs) });
      if (++puts % SWEEP_EVERY_PUTS === 0) sweep();
    },
    async get(key) {
      return live(checkKey(key))?.value;
    },
    async refresh(key, ttlMs) {
      const entry = live(checkKey(key));
      if (!entry) return false;
      entry.expiresAt = hub.clock() + checkTtl(ttlMs);
      return true;
    },
    async delete(key) {
      const had = live(checkKey(key)) !== undefined;
      hub.keys.delete(prefix + key);
      return had;
    },
    async list(keyPrefix, limit = 10_000) {
      if (keyPrefix !== '') checkKey(keyPrefix);
      sweep();
      const found = new Map<string, string>();
      for (const [key, entry] of hub.keys) {
        if (found.size >= limit) break;
        if (key.startsWith(prefix + keyPrefix)) found.set(key.slice(prefix.length), entry.value);
      }
      return found;
    },
  };
}
