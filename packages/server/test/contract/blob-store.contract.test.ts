import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewBlob } from '../../src/ports/blob-store.js';
import type { Store } from '../../src/ports/store.js';
import { openStoreWithTwoApps, storeKinds, type OpenedStore } from './stores.js';

/** The blob metadata port (src/ports/blob-store.ts), identically on every store adapter. */

/** Epoch ms past 2^31 with a millisecond part: bigint columns must round-trip. */
const T0 = 1_700_000_000_123;
let uidCounter = 0;
const nextUid = () => `${(uidCounter += 1).toString(16).padStart(32, '0')}00`;

function newBlob(ownerId: number, extra: Partial<NewBlob> = {}): NewBlob {
  return { ownerId, uid: nextUid(), name: 'file.bin', contentType: 'application/octet-stream', isPublic: false, storedSize: null, uploadedAt: null, completedAt: null, createdAt: T0, updatedAt: T0, ...extra };
}

describe.each(storeKinds)('blob store contract: %s', (kind) => {
  let opened: OpenedStore;
  let store: Store;
  let appA: number;
  let appB: number;

  beforeAll(async () => {
    const withApps = await openStoreWithTwoApps(kind, 'blobs');
    ({ store, appA, appB } = withApps);
    opened = withApps;
  });
  afterAll(() => opened?.dispose());

  it('creates and finds by id and uid, with every field round-tripping', async () => {
    const created = await store.blobs.create(appA, newBlob(7, { name: 'Ünïcode.pdf', contentType: 'application/pdf', isPublic: true }));
    expect(created).toEqual({ id: expect.any(Number), appId: appA, ...newBlob(7, { uid: created.uid, name: 'Ünïcode.pdf', contentType: 'application/pdf', isPublic: true }) });
    expect(await store.blobs.findById(appA, created.id)).toEqual(created);
    expect(await store.blobs.findByUid(appA, created.uid)).toEqual(created);
    expect(await store.blobs.findByUidInAnyApp(created.uid)).toEqual(created);
  });

  it('never crosses applications (except the documented uid-only lookup)', async () => {
    const blob = await store.blobs.create(appA, newBlob(7));
    expect(await store.blobs.findById(appB, blob.id)).toBeUndefined();
    expect(await store.blobs.findByUid(appB, blob.uid)).toBeUndefined();
    expect(await store.blobs.update(appB, blob.id, { name: 'stolen' })).toBeUndefined();
    expect(await store.blobs.delete(appB, blob.id)).toBe(false);
    expect((await store.blobs.listByOwner(appB, 7, { offset: 0, limit: 100 })).total).toBe(0);
    expect(await store.blobs.findById(appA, blob.id)).toEqual(blob);
  });

  it('updates only the given fields (bigint times and sizes included)', async () => {
    const blob = await store.blobs.create(appA, newBlob(8));
    const size = 5 * 1024 ** 3;
    const updated = await store.blobs.update(appA, blob.id, { storedSize: size, uploadedAt: T0 + 1, updatedAt: T0 + 2 });
    expect(updated).toEqual({ ...blob, storedSize: size, uploadedAt: T0 + 1, updatedAt: T0 + 2 });
    expect(await store.blobs.update(appA, blob.id, { completedAt: T0 + 3, name: 'renamed' })).toEqual({ ...updated, completedAt: T0 + 3, name: 'renamed' });
  });

  it("lists an owner's blobs in id order with the total, a page at a time", async () => {
    const owner = 99;
    const mine = [];
    for (let i = 0; i < 5; i += 1) mine.push(await store.blobs.create(appA, newBlob(owner)));
    await store.blobs.create(appA, newBlob(100));
    const first = await store.blobs.listByOwner(appA, owner, { offset: 0, limit: 2 });
    expect(first.total).toBe(5);
    expect(first.blobs.map((blob) => blob.id)).toEqual(mine.slice(0, 2).map((blob) => blob.id));
    expect((await store.blobs.listByOwner(appA, owner, { offset: 4, limit: 2 })).blobs.map((blob) => blob.id)).toEqual([mine[4]?.id]);
  });

  it('uids are unique across applications', async () => {
    const blob = await store.blobs.create(appA, newBlob(1));
    await expect(store.blobs.create(appB, newBlob(1, { uid: blob.uid }))).rejects.toThrow();
  });

  it('delete removes the row once', async () => {
    const blob = await store.blobs.create(appA, newBlob(1));
    expect(await store.blobs.delete(appA, blob.id)).toBe(true);
    expect(await store.blobs.delete(appA, blob.id)).toBe(false);
    expect(await store.blobs.findByUidInAnyApp(blob.uid)).toBeUndefined();
  });
});
