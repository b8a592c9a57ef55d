import { describe, expect, it } from 'vitest';
import { createLocalBus, LocalBusHub } from '../bus-local/index.js';
import type { ClusterPresence } from '../../ports/presence.js';
import { createClusterPresence } from './index.js';

const LEASE_MS = 300;

/** Two nodes on one in-process hub (standing in for a broker), with a clock the test moves. */
async function twoNodes(): Promise<{ a: ClusterPresence; b: ClusterPresence; hub: LocalBusHub; advance(ms: number): void }> {
  let now = 1_000_000;
  const hub = new LocalBusHub(() => now);
  const open = (nodeId: string) => createClusterPresence(createLocalBus({ nodeId, namespace: 'test' }, hub), { leaseMs: LEASE_MS, now: () => now });
  const a = await open('node-a');
  const b = await open('node-b');
  return { a, b, hub, advance: (ms) => (now += ms) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('cluster presence', () => {
  it('sees another node’s connections with their resource and carbons flag, and their going', async () => {
    const { a, b } = await twoNodes();
    a.describeWith((id) => (id === 'c1' ? { resource: 'phone', carbons: true } : undefined));
    const changes: string[] = [];
    b.onOnlineChange((appId, userId, online, remote) => changes.push(`${appId}/${userId} ${online ? 'on' : 'off'} ${remote ? 'remote' : 'local'}`));
    await a.connected(1, 7, 'c1');
    await settle();
    expect(await b.isOnline(1, 7)).toBe(true);
    expect(await b.onlineUserIds(1, 10, 0)).toEqual([7]);
    expect(b.remoteConnections(1, 7)).toEqual([{ node: 'node-a', id: 'c1', appId: 1, userId: 7, resource: 'phone', carbons: true, inactive: false }]);
    expect(a.remoteConnections(1, 7)).toEqual([]);
    await a.setInactive(1, 7, 'c1', true);
    await settle();
    expect(await b.activeUserIds(1, [7])).toEqual(new Set());
    await a.disconnected(1, 7, 'c1');
    await settle();
    expect(await b.isOnline(1, 7)).toBe(false);
    expect(changes).toEqual(['1/7 on remote', '1/7 off remote']);
    await a.stop(true);
    await b.stop(true);
  });

  it('drops a node that stopped refreshing once its lease lapsed, and one that said goodbye at once', async () => {
    const { a, b, advance } = await twoNodes();
    await a.connected(1, 7, 'c1');
    await b.connected(1, 8, 'c2');
    await settle();
    expect(await a.onlineCount(1)).toBe(2);
    // node-a dies: nothing more from it; its keys lapse on the hub's clock.
    await a.stop(false);
    advance(LEASE_MS + 1);
    await expect.poll(() => b.isOnline(1, 7), { timeout: 5_000 }).toBe(false);
    expect(await b.isOnline(1, 8)).toBe(true);

    const { a: c, b: d } = await twoNodes();
    await c.connected(2, 9, 'c3');
    await settle();
    expect(await d.isOnline(2, 9)).toBe(true);
    await c.stop(true);
    await settle();
    expect(await d.isOnline(2, 9)).toBe(false);
    await b.stop(true);
    await d.stop(true);
  });

  it('a node started later reads the others’ leases', async () => {
    let now = 5_000_000;
    const hub = new LocalBusHub(() => now);
    const open = (nodeId: string) => createClusterPresence(createLocalBus({ nodeId, namespace: 'test' }, hub), { leaseMs: 10_000, now: () => now });
    const early = await open('early');
    await early.connected(3, 1, 'x');
    const late = await open('late');
    expect(await late.isOnline(3, 1)).toBe(true);
    expect(late.liveNodes()).toEqual(['early']);
    // The early node counts the late one live at once (its hello), not at its next re-read.
    await settle();
    expect(early.liveNodes()).toEqual(['late']);
    now += 1;
    await early.stop(true);
    await late.stop(true);
  });
});

describe('cluster presence after a restart', () => {
  it('a node restarted under the same id drops the leases of its previous life', async () => {
    const hub = new LocalBusHub();
    const open = (nodeId: string) => createClusterPresence(createLocalBus({ nodeId, namespace: 'test' }, hub), { leaseMs: 60_000 });
    const first = await open('same');
    const other = await open('other');
    await first.connected(4, 1, 'old');
    await settle();
    expect(await other.isOnline(4, 1)).toBe(true);
    await first.stop(false);
    const again = await open('same');
    expect(await again.isOnline(4, 1)).toBe(false);
    expect([...(await createLocalBus({ nodeId: 'reader', namespace: 'test' }, hub).state.list('lease.')).keys()]).toEqual([]);
    await again.stop(true);
    await other.stop(true);
  });
});
