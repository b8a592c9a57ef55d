import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.js';
import { openStoreWithTwoApps, storeKinds, type OpenedStore } from './stores.js';

/** The offline queue port's guarantees (src/ports/offline-queue.ts), on every adapter. */
const T0 = 1_700_000_000_123;

describe.each(storeKinds)('Offline queue contract on %s', (kind) => {
  let opened: OpenedStore;
  let store: Store;
  let appA: number;
  let appB: number;

  beforeAll(async () => {
    const withApps = await openStoreWithTwoApps(kind, 'offline');
    ({ store, appA, appB } = withApps);
    opened = withApps;
  });

  afterAll(async () => {
    await opened.dispose();
  });

  const payloads = async (appId: number, userId: number) => (await store.offline.pending(appId, userId, 100)).map((item) => item.payload);

  it('returns a user’s items oldest first and never another user’s or app’s', async () => {
    await store.offline.push(appA, 1, 'first', T0, 10);
    await store.offline.push(appA, 2, 'other user', T0, 10);
    await store.offline.push(appB, 1, 'other app', T0, 10);
    await store.offline.push(appA, 1, 'second', T0 + 1, 10);
    expect(await payloads(appA, 1)).toEqual(['first', 'second']);
    expect(await payloads(appA, 2)).toEqual(['other user']);
    expect(await payloads(appB, 1)).toEqual(['other app']);
    const [item] = await store.offline.pending(appA, 1, 1);
    expect(item).toMatchObject({ payload: 'first', createdAt: T0 });
  });

  it('keeps at most `cap` items per user, dropping the oldest', async () => {
    for (let index = 0; index < 5; index += 1) await store.offline.push(appA, 3, `m${index}`, T0 + index, 3);
    expect(await payloads(appA, 3)).toEqual(['m2', 'm3', 'm4']);
    expect(await payloads(appA, 1)).toEqual(['first', 'second']);
  });

  it('removes only the named items of that user, and removing twice is harmless', async () => {
    const [first] = await store.offline.pending(appA, 1, 1);
    const [otherApp] = await store.offline.pending(appB, 1, 1);
    await store.offline.remove(appA, 1, [first!.id, otherApp!.id]);
    await store.offline.remove(appA, 1, [first!.id]);
    await store.offline.remove(appA, 1, []);
    expect(await payloads(appA, 1)).toEqual(['second']);
    expect(await payloads(appB, 1)).toEqual(['other app']);
  });

  it('purges items created before the cutoff, for every user', async () => {
    await store.offline.push(appA, 4, 'old', T0 - 10_000, 10);
    await store.offline.push(appA, 4, 'new', T0 + 10_000, 10);
    expect(await store.offline.purgeOlderThan(T0)).toBe(1);
    expect(await payloads(appA, 4)).toEqual(['new']);
    expect(await payloads(appA, 1)).toEqual(['second']);
  });
});
