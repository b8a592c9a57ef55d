import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provideTestNats, provideTestRedis, startThrowawayNats, startThrowawayRedis, type TestBroker } from '@parley/testkit';
import { createLocalBus, LocalBusHub } from '../../src/adapters/bus-local/index.js';
import { createNatsBus } from '../../src/adapters/bus-nats/index.js';
import { createRedisBus } from '../../src/adapters/bus-redis/index.js';
import { InvalidBusAddress, type Bus, type BusOptions } from '../../src/ports/bus.js';

/**
 * The Bus and ClusterState guarantees (ports/bus.ts, ports/cluster-state.ts) on every adapter. Each
 * test gets its own namespace, so runs sharing a broker never see each other.
 */
type Connect = (options: BusOptions) => Promise<Bus>;

interface AdapterUnderTest {
  /** A connector for this test's namespace: every bus it makes talks to the same broker (or hub). */
  connector(): Connect;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
}

function brokerAdapter(provide: () => Promise<TestBroker>, create: (url: string, options: BusOptions) => Promise<Bus>): AdapterUnderTest {
  let broker: TestBroker | undefined;
  return {
    async setup() {
      broker = await provide();
    },
    teardown: () => broker?.stop() ?? Promise.resolve(),
    connector: () => (options) => create(broker!.url, options),
  };
}

const adapters: [string, AdapterUnderTest][] = [
  ['local', { connector: () => { const hub = new LocalBusHub(); return async (options) => createLocalBus(options, hub); } }],
  ['redis', brokerAdapter(provideTestRedis, createRedisBus)],
  ['nats', brokerAdapter(provideTestNats, createNatsBus)],
];

/** Collects payloads; `waitFor(n)` polls (bounded) until n arrived. */
function collector() {
  const received: string[] = [];
  return {
    received,
    handler: (payload: string) => void received.push(payload),
    waitFor: (count: number) => expect.poll(() => received.length, { timeout: 5_000, interval: 10 }).toBeGreaterThanOrEqual(count),
  };
}

const sequence = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe.each(adapters)('Bus contract: %s', (_name, adapter) => {
  let connect: Connect;
  let namespace: string;
  const open: Bus[] = [];
  const handlerErrors: unknown[] = [];
  const node = async (nodeId: string) => {
    const bus = await connect({ nodeId, namespace, onHandlerError: (error) => handlerErrors.push(error) });
    open.push(bus);
    return bus;
  };

  beforeAll(() => adapter.setup?.(), 30_000);
  afterAll(() => adapter.teardown?.());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((bus) => bus.close()));
    handlerErrors.length = 0;
  });
  const fresh = () => {
    namespace = `t${randomBytes(6).toString('hex')}`;
    connect = adapter.connector();
  };

  it('delivers to a node inbox in publish order, and only there', async () => {
    fresh();
    const [a, b] = [await node('node-a'), await node('node-b')];
    const inboxA = collector();
    const inboxB = collector();
    await a.subscribeNode(inboxA.handler);
    await b.subscribeNode(inboxB.handler);
    const sent = sequence('m', 300);
    for (const payload of sent) await a.publishToNode('node-b', payload);
    await inboxB.waitFor(sent.length);
    expect(inboxB.received).toEqual(sent);
    // Node a's inbox got nothing: a hint to itself, sent last, arrives alone.
    await b.publishToNode('node-a', 'only-for-a');
    await inboxA.waitFor(1);
    expect(inboxA.received).toEqual(['only-for-a']);
  });

  it('fans a subject out to every subscriber, on every node including the publisher, each in order', async () => {
    fresh();
    const [a, b] = [await node('node-a'), await node('node-b')];
    const subscribers = [collector(), collector(), collector()];
    // Subscribed at the same time: each one is live when its own promise resolves.
    await Promise.all([a.subscribeSubject('user.42-1', subscribers[0]!.handler), a.subscribeSubject('user.42-1', subscribers[1]!.handler)]);
    await b.subscribeSubject('user.42-1', subscribers[2]!.handler);
    const other = collector();
    await b.subscribeSubject('user.43-1', other.handler);
    const fromA = sequence('a', 100);
    const fromB = sequence('b', 100);
    await Promise.all([
      (async () => { for (const payload of fromA) await a.publishToSubject('user.42-1', payload); })(),
      (async () => { for (const payload of fromB) await b.publishToSubject('user.42-1', payload); })(),
    ]);
    for (const subscriber of subscribers) {
      await subscriber.waitFor(200);
      // Per publisher, order is kept; the two publishers may interleave.
      expect(subscriber.received.filter((p) => p.startsWith('a'))).toEqual(fromA);
      expect(subscriber.received.filter((p) => p.startsWith('b'))).toEqual(fromB);
    }
    expect(other.received).toEqual([]);
  });

  it('stops calling a handler once unsubscribe resolved; the others keep theirs', async () => {
    fresh();
    const [a, b] = [await node('node-a'), await node('node-b')];
    const leaving = collector();
    const staying = collector();
    const subscription = await b.subscribeSubject('room.7', leaving.handler);
    await b.subscribeSubject('room.7', staying.handler);
    await a.publishToSubject('room.7', 'before');
    await leaving.waitFor(1);
    await subscription.unsubscribe();
    await subscription.unsubscribe(); // twice is harmless
    await a.publishToSubject('room.7', 'after');
    await staying.waitFor(2);
    expect(staying.received).toEqual(['before', 'after']);
    expect(leaving.received).toEqual(['before']);
    // A fully unsubscribed inbox: nothing arrives, and the publisher is not bothered.
    const inbox = collector();
    const inboxSubscription = await b.subscribeNode(inbox.handler);
    await inboxSubscription.unsubscribe();
    await a.publishToNode('node-b', 'nobody home');
    await a.publishToSubject('room.7', 'marker');
    await staying.waitFor(3);
    expect(inbox.received).toEqual([]);
  });

  it('reports a failing handler without disturbing the other subscribers', async () => {
    fresh();
    const a = await node('node-a');
    const healthy = collector();
    await a.subscribeSubject('s', () => {
      throw new Error('handler broke');
    });
    await a.subscribeSubject('s', async () => Promise.reject(new Error('async handler broke')));
    await a.subscribeSubject('s', healthy.handler);
    await a.publishToSubject('s', 'one');
    await a.publishToSubject('s', 'two');
    await healthy.waitFor(2);
    expect(healthy.received).toEqual(['one', 'two']);
    await expect.poll(() => handlerErrors.length).toBe(4);
    expect(handlerErrors.map((error) => (error as Error).message).sort()).toEqual(['async handler broke', 'async handler broke', 'handler broke', 'handler broke']);
  });

  it('refuses bad addresses and keys before sending anything', async () => {
    fresh();
    const a = await node('node-a');
    for (const subject of ['', 'a.*', 'a.>', 'a b', 'a..b', '.a', 'a.', 'x'.repeat(201), 'é']) {
      await expect(a.publishToSubject(subject, 'x')).rejects.toBeInstanceOf(InvalidBusAddress);
      await expect(a.subscribeSubject(subject, () => undefined)).rejects.toBeInstanceOf(InvalidBusAddress);
    }
    for (const nodeId of ['', 'a.b', 'a*', 'x'.repeat(65)]) await expect(a.publishToNode(nodeId, 'x')).rejects.toBeInstanceOf(InvalidBusAddress);
    await expect(connect({ nodeId: 'bad node', namespace })).rejects.toBeInstanceOf(InvalidBusAddress);
    for (const key of ['', 'a b', 'a*', 'a>', 'x'.repeat(201)]) {
      await expect(a.state.put(key, 'v', 1000)).rejects.toBeInstanceOf(InvalidBusAddress);
      await expect(a.state.get(key)).rejects.toBeInstanceOf(InvalidBusAddress);
    }
    await expect(a.state.put('k', 'v', 0)).rejects.toBeInstanceOf(RangeError);
    await expect(a.state.put('k', 'v', 1.5)).rejects.toBeInstanceOf(RangeError);
    expect(await a.state.get('k')).toBeUndefined();
  });

  it('keeps keys for their TTL, shares them between nodes, lists by prefix, deletes', async () => {
    fresh();
    const [a, b] = [await node('node-a'), await node('node-b')];
    await a.state.put('session.1-1', 'node-a', 60_000);
    await a.state.put('session.2-1', 'node-a', 60_000);
    await b.state.put('session.3-1', 'node-b', 60_000);
    await b.state.put('other.1', 'x', 60_000);
    expect(await b.state.get('session.1-1')).toBe('node-a');
    expect(Object.fromEntries(await a.state.list('session.'))).toEqual({ 'session.1-1': 'node-a', 'session.2-1': 'node-a', 'session.3-1': 'node-b' });
    expect((await a.state.list('session.', 2)).size).toBe(2);
    await a.state.put('session.1-1', 'node-b', 60_000);
    expect(await a.state.get('session.1-1')).toBe('node-b');
    expect(await b.state.delete('session.1-1')).toBe(true);
    expect(await b.state.delete('session.1-1')).toBe(false);
    expect(await a.state.get('session.1-1')).toBeUndefined();
    // Another namespace (another cluster on the same broker) sees none of it.
    const stranger = await connect({ nodeId: 'node-a', namespace: `${namespace}x` });
    open.push(stranger);
    expect((await stranger.state.list('')).size).toBe(0);
  });

  it('lets a key lapse after its TTL; refresh extends a live one and cannot revive a lapsed one', async () => {
    fresh();
    const a = await node('node-a');
    await a.state.put('lease.short', 'v', 300);
    await a.state.put('lease.kept', 'v', 300);
    expect(await a.state.refresh('lease.kept', 60_000)).toBe(true);
    await expect.poll(() => a.state.get('lease.short'), { timeout: 5_000, interval: 50 }).toBeUndefined();
    expect(await a.state.refresh('lease.short', 60_000)).toBe(false);
    expect(await a.state.get('lease.short')).toBeUndefined();
    expect(await a.state.get('lease.kept')).toBe('v');
    expect([...(await a.state.list('lease.')).keys()]).toEqual(['lease.kept']);
    expect(await a.state.refresh('lease.never', 1000)).toBe(false);
  });

  it('answers ping', async () => {
    fresh();
    await (await node('node-a')).ping(2_000);
  });
});

describe.each([
  ['redis', startThrowawayRedis, createRedisBus],
  ['nats', startThrowawayNats, createNatsBus],
] as const)('Bus reconnect: %s', (_name, startBroker, create) => {
  it('resubscribes after the broker crashed and came back; hints sent meanwhile may be lost, never replayed twice', async () => {
    const broker = await startBroker();
    const buses: Bus[] = [];
    try {
      const namespace = `t${randomBytes(6).toString('hex')}`;
      const a = await create(broker.url, { nodeId: 'node-a', namespace, onBrokerError: () => undefined });
      buses.push(a);
      const b = await create(broker.url, { nodeId: 'node-b', namespace, onBrokerError: () => undefined });
      buses.push(b);
      const inbox = collector();
      await b.subscribeNode(inbox.handler);
      await a.publishToNode('node-b', 'before');
      await inbox.waitFor(1);
      await a.state.put('lease.a', 'node-a', 60_000);
      await broker.restart();
      // Keep publishing numbered hints until one arrives: both clients reconnected and b resubscribed.
      let sent = 0;
      await expect
        .poll(
          async () => {
            await a.publishToNode('node-b', `after-${sent++}`).catch(() => undefined);
            return inbox.received.length;
          },
          { timeout: 15_000, interval: 100 },
        )
        .toBeGreaterThan(1);
      const after = inbox.received.slice(1);
      expect(new Set(after).size).toBe(after.length);
      expect(after.every((payload) => /^after-\d+$/.test(payload))).toBe(true);
      await b.ping(2_000);
      // The brokers keep leases in memory: after a crash they are gone, and putting them again works.
      expect(await a.state.get('lease.a')).toBeUndefined();
      await a.state.put('lease.a', 'node-a', 60_000);
      expect(await b.state.get('lease.a')).toBe('node-a');
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
      await broker.stop();
    }
  }, 30_000);
});
