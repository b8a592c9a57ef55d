import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewPushSubscription, PushMessage } from '../../src/ports/push.js';
import type { Store } from '../../src/ports/store.js';
import { openStoreWithTwoApps, storeKinds, type OpenedStore } from './stores.js';

/** The push port's store guarantees (src/ports/push.ts), on every adapter. */
const T0 = 1_700_000_000_000;
const message: PushMessage = { payload: { message: 'hi' }, pushType: 'alert', urgent: false, expiresAt: 0 };

describe.each(storeKinds)('Push store contract on %s', (kind) => {
  let opened: OpenedStore;
  let store: Store;
  let appA: number;
  let appB: number;
  const users: Record<string, number> = {};

  beforeAll(async () => {
    const withApps = await openStoreWithTwoApps(kind, 'push');
    ({ store, appA, appB } = withApps);
    opened = withApps;
    for (const [name, appId] of [['a1', appA], ['a2', appA], ['b1', appB]] as const) {
      users[name] = (await store.users.create(appId, {
        login: `${name}-${kind}`, email: null, fullName: null, phone: null, website: null, customData: null, avatar: null, blobId: null, externalUserId: null,
        externalId: null, facebookId: null, twitterId: null, timezone: null, tags: [], isGuest: false, passwordHash: null, scram: null, createdAt: T0, updatedAt: T0, lastRequestAt: null,
      })).id;
    }
  });
  afterAll(() => opened.dispose());

  const subscription = (appId: number, userId: number, udid: string, token: string): NewPushSubscription => ({
    appId, userId, channel: 'gcm', environment: 'production', platform: 'android', udid, token, bundleId: null, webAuth: null, webP256dh: null,
  });

  it('keeps one subscription per app, udid and channel: updated in place, moved to a new user, apart per app', async () => {
    const first = await store.push.upsertSubscription(subscription(appA, users.a1 as number, 'dev-1', 't1'), T0);
    const again = await store.push.upsertSubscription(subscription(appA, users.a2 as number, 'dev-1', 't2'), T0 + 1);
    expect(again).toMatchObject({ id: first.id, userId: users.a2, token: 't2', createdAt: T0, updatedAt: T0 + 1 });
    expect(await store.push.subscriptionsOfUser(appA, users.a1 as number)).toEqual([]);
    const other = await store.push.upsertSubscription(subscription(appB, users.b1 as number, 'dev-1', 't3'), T0);
    expect(other.id).not.toBe(first.id);
    expect(await store.push.findSubscription(appB, first.id)).toBeUndefined();
    expect(await store.push.deleteSubscription(appB, first.id)).toBe(false);
    expect(await store.push.subscriptionsOfUsers(appA, [users.a1 as number, users.a2 as number, users.b1 as number])).toEqual([again]);
  });

  it('leases claimed jobs, retries after a delay, never returns failed or completed ones', async () => {
    const sub = await store.push.upsertSubscription(subscription(appA, users.a1 as number, 'dev-q', 'tq'), T0);
    await store.push.enqueue([1, 2, 3].map((n) => ({ appId: appA, subscriptionId: sub.id, message: { ...message, payload: { n } } })), T0);
    const claimed = await store.push.claim(T0, 2, 1000);
    expect(claimed.map((job) => job.message.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    // Leased: a second claim before the lease ends sees only the third.
    expect((await store.push.claim(T0 + 10, 10, 1000)).map((job) => job.message.payload)).toEqual([{ n: 3 }]);
    const [one, two] = claimed as [(typeof claimed)[number], (typeof claimed)[number]];
    await store.push.complete(one.id);
    await store.push.retry(two.id, T0 + 5000, 'provider down');
    await store.push.fail((await store.push.claim(T0 + 2000, 10, 1000))[0]?.id ?? -1, 'poison');
    expect(await store.push.claim(T0 + 4000, 10, 1000)).toEqual([]);
    expect(await store.push.nextDueAt()).toBe(T0 + 5000);
    const [retried] = await store.push.claim(T0 + 5000, 10, 1000);
    expect(retried).toMatchObject({ id: two.id, attempts: 1, message: { payload: { n: 2 } } });
    expect(await store.push.pendingCount(appA)).toBe(1);
    expect(await store.push.pendingCount(appB)).toBe(0);
    await store.push.complete(two.id);
    expect(await store.push.pendingCount()).toBe(0);
  });

  it('keeps each app’s settings apart, with defaults until saved', async () => {
    const defaults = await store.push.getConfig(appB);
    expect(defaults).toMatchObject({ fcm: null, apns: null, vapid: null, contactJoined: false, callPushes: false });
    await store.push.saveConfig(appA, { ...defaults, contactJoined: true }, T0);
    expect((await store.push.getConfig(appA)).contactJoined).toBe(true);
    expect((await store.push.getConfig(appB)).contactJoined).toBe(false);
  });

  it('logs delivery answers per app, newest first, filtered to failures or one user, pruned by age', async () => {
    const entry = (appId: number, userId: number, outcome: 'delivered' | 'rejected' | 'retry', createdAt: number) => ({
      appId, jobId: createdAt - T0 + 1, subscriptionId: 1, userId, channel: 'web' as const, outcome, reason: outcome === 'delivered' ? null : `${outcome} ${'x'.repeat(600)}`, attempt: 1, elapsedMs: 12.4, createdAt,
    });
    await store.push.logDelivery(entry(appA, users.a1 as number, 'delivered', T0));
    await store.push.logDelivery(entry(appA, users.a2 as number, 'rejected', T0 + 1));
    await store.push.logDelivery(entry(appA, users.a1 as number, 'retry', T0 + 2));
    await store.push.logDelivery(entry(appB, users.b1 as number, 'rejected', T0 + 3));
    const all = await store.push.recentDeliveries(appA, { limit: 10, failuresOnly: false });
    expect(all.map((row) => [row.createdAt, row.outcome])).toEqual([[T0 + 2, 'retry'], [T0 + 1, 'rejected'], [T0, 'delivered']]);
    expect(all[2]).toMatchObject({ appId: appA, userId: users.a1, channel: 'web', reason: null, attempt: 1, elapsedMs: 12 });
    expect(all[0]?.reason?.length).toBe(500);
    expect((await store.push.recentDeliveries(appA, { limit: 10, failuresOnly: true })).map((row) => row.outcome)).toEqual(['retry', 'rejected']);
    expect((await store.push.recentDeliveries(appA, { limit: 10, failuresOnly: false, userId: users.a2 as number })).map((row) => row.createdAt)).toEqual([T0 + 1]);
    expect(await store.push.recentDeliveries(appA, { limit: 1, failuresOnly: false })).toHaveLength(1);
    await store.push.pruneDeliveries(T0 + 2);
    expect((await store.push.recentDeliveries(appA, { limit: 10, failuresOnly: false })).map((row) => row.createdAt)).toEqual([T0 + 2]);
    expect((await store.push.recentDeliveries(appB, { limit: 10, failuresOnly: false })).map((row) => row.createdAt)).toEqual([T0 + 3]);
  });
});
