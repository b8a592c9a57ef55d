import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredPrivacyItem } from '../../src/ports/privacy-lists.js';
import type { Store } from '../../src/ports/store.js';
import { openStoreWithTwoApps, storeKinds, type OpenedStore } from './stores.js';

/** The privacy list and last activity ports' guarantees (src/ports/privacy-lists.ts, last-activity.ts), on every adapter. */
const T0 = 1_700_000_000_123;

const deny = (value: string, order: number, stanzas: string[] = []): StoredPrivacyItem => ({ type: 'jid', value, action: 'deny', order, stanzas });

describe.each(storeKinds)('Privacy lists and last activity contract on %s', (kind) => {
  let opened: OpenedStore;
  let store: Store;
  let appA: number;
  let appB: number;

  beforeAll(async () => {
    const withApps = await openStoreWithTwoApps(kind, 'privacy');
    ({ store, appA, appB } = withApps);
    opened = withApps;
  });

  afterAll(async () => {
    await opened.dispose();
  });

  it('returns items exactly as written and never another user’s or app’s lists', async () => {
    const items = [deny('9-1@D', 2, ['message', 'iq']), { action: 'allow', order: 1, stanzas: [] } as StoredPrivacyItem, deny('muc.D/9', 3)];
    await store.privacyLists.replace(appA, 1, 'mine', items, T0);
    await store.privacyLists.replace(appA, 2, 'mine', [deny('x@D', 1)], T0);
    await store.privacyLists.replace(appB, 1, 'mine', [deny('y@D', 1)], T0);
    expect(await store.privacyLists.get(appA, 1, 'mine')).toEqual(items);
    expect(await store.privacyLists.get(appA, 2, 'mine')).toEqual([deny('x@D', 1)]);
    expect(await store.privacyLists.get(appB, 1, 'mine')).toEqual([deny('y@D', 1)]);
    expect(await store.privacyLists.get(appA, 3, 'mine')).toBeUndefined();
    expect(await store.privacyLists.get(appA, 1, 'other')).toBeUndefined();
  });

  it('replaces a list of the same name, keeping its default flag and position', async () => {
    await store.privacyLists.replace(appA, 10, 'first', [deny('a@D', 1)], T0);
    await store.privacyLists.replace(appA, 10, 'second', [deny('b@D', 1)], T0);
    expect(await store.privacyLists.setDefault(appA, 10, 'first')).toBe(true);
    await store.privacyLists.replace(appA, 10, 'first', [deny('c@D', 1)], T0 + 1);
    expect(await store.privacyLists.names(appA, 10)).toEqual({ names: ['first', 'second'], default: 'first' });
    expect(await store.privacyLists.defaultItems(appA, 10)).toEqual([deny('c@D', 1)]);
  });

  it('keeps exactly one default, declines it, and refuses unknown names', async () => {
    expect(await store.privacyLists.setDefault(appA, 10, 'second')).toBe(true);
    expect((await store.privacyLists.names(appA, 10)).default).toBe('second');
    expect(await store.privacyLists.setDefault(appA, 10, 'missing')).toBe(false);
    expect((await store.privacyLists.names(appA, 10)).default).toBe('second');
    // Another app's user with the same id is untouched.
    expect((await store.privacyLists.names(appB, 10)).default).toBeNull();
    expect(await store.privacyLists.setDefault(appA, 10, null)).toBe(true);
    expect(await store.privacyLists.names(appA, 10)).toEqual({ names: ['first', 'second'], default: null });
    expect(await store.privacyLists.defaultItems(appA, 10)).toBeUndefined();
  });

  it('deletes a list, the default with it, and reports unknown names', async () => {
    await store.privacyLists.setDefault(appA, 10, 'first');
    expect(await store.privacyLists.delete(appA, 10, 'first')).toBe(true);
    expect(await store.privacyLists.delete(appA, 10, 'first')).toBe(false);
    expect(await store.privacyLists.names(appA, 10)).toEqual({ names: ['second'], default: null });
    expect(await store.privacyLists.delete(appB, 10, 'second')).toBe(false);
    expect(await store.privacyLists.get(appA, 10, 'second')).toEqual([deny('b@D', 1)]);
  });

  it('loads the default lists of many users at once, only those that have one', async () => {
    await store.privacyLists.replace(appA, 20, 'd', [deny('a@D', 1)], T0);
    await store.privacyLists.setDefault(appA, 20, 'd');
    await store.privacyLists.replace(appA, 21, 'not-default', [deny('b@D', 1)], T0);
    await store.privacyLists.replace(appB, 22, 'd', [deny('c@D', 1)], T0);
    await store.privacyLists.setDefault(appB, 22, 'd');
    const many = Array.from({ length: 1200 }, (_, index) => index + 20);
    const loaded = await store.privacyLists.defaultItemsOf(appA, many);
    expect([...loaded.entries()]).toEqual([[20, [deny('a@D', 1)]]]);
    expect((await store.privacyLists.defaultItemsOf(appA, [])).size).toBe(0);
  });

  it('last activity: the latest time per user, never another user’s or app’s', async () => {
    expect(await store.lastActivity.seenAt(appA, 1)).toBeUndefined();
    await store.lastActivity.recordSeen(appA, 1, T0);
    await store.lastActivity.recordSeen(appB, 1, T0 + 50);
    expect(await store.lastActivity.seenAt(appA, 1)).toBe(T0);
    await store.lastActivity.recordSeen(appA, 1, T0 + 10_000);
    expect(await store.lastActivity.seenAt(appA, 1)).toBe(T0 + 10_000);
    expect(await store.lastActivity.seenAt(appB, 1)).toBe(T0 + 50);
    expect(await store.lastActivity.seenAt(appA, 2)).toBeUndefined();
  });
});
