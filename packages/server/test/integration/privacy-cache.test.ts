import { afterEach, describe, expect, it } from 'vitest';
import { PrivacyService } from '../../src/domain/privacy/service.js';
import type { StoredPrivacyItem } from '../../src/ports/privacy-lists.js';
import type { Store } from '../../src/ports/store.js';
import { openStoreWithTwoApps, type OpenedStore } from '../contract/stores.js';

const ALICE = 1;
const BOB = 2;
/** A fall-through item: alice refuses everyone. */
const DENY_ALL: StoredPrivacyItem[] = [{ action: 'deny', order: 1, stanzas: [] }];

/**
 * The privacy cache on a real (SQLite) store: a change resolves only after the change listeners (a
 * cluster's other nodes) are done, and a list read from the store while it changed is not cached.
 */
describe('privacy list cache', () => {
  let opened: OpenedStore | undefined;
  afterEach(async () => {
    await opened?.dispose();
    opened = undefined;
  });

  /** The store, where alice's default-list reads can be held after they read (an old snapshot in flight). */
  async function storeWithHeldReads(): Promise<{ store: Store; appId: number; holdNextRead(): () => void }> {
    const withApps = await openStoreWithTwoApps('sqlite', 'privacy-cache');
    opened = withApps;
    const real = withApps.store.privacyLists;
    let held: Promise<void> | undefined;
    const privacyLists: Store['privacyLists'] = {
      replace: (...args) => real.replace(...args),
      get: (...args) => real.get(...args),
      names: (...args) => real.names(...args),
      delete: (...args) => real.delete(...args),
      setDefault: (...args) => real.setDefault(...args),
      defaultItemsOf: (...args) => real.defaultItemsOf(...args),
      async defaultItems(appId, userId) {
        const items = await real.defaultItems(appId, userId);
        if (userId !== ALICE) return items;
        const gate = held;
        held = undefined;
        await gate;
        return items;
      },
    };
    return {
      store: { ...withApps.store, privacyLists },
      appId: withApps.appA,
      holdNextRead() {
        let release = () => {};
        held = new Promise((resolve) => (release = resolve));
        return release;
      },
    };
  }

  it('does not cache a list read while it changed: the next verdict sees the change', async () => {
    const { store, appId, holdNextRead } = await storeWithHeldReads();
    const privacy = new PrivacyService(store, Date.now, { cacheTtlMs: 60_000 });
    const alice = { appId, userId: ALICE, sessionId: 1 };
    const release = holdNextRead();
    // Bob's message is being checked: alice's (empty) default list was read, not yet returned.
    const inFlight = privacy.verdict(appId, BOB, ALICE, 'message');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await privacy.replace(alice, 'block', DENY_ALL);
    await privacy.setDefault(alice, 'block');
    release();
    expect(await inFlight).toBe('allow');
    expect(await privacy.verdict(appId, BOB, ALICE, 'message')).toBe('blocked-by-recipient');
  });

  it('resolves a change only once its listeners are done', async () => {
    const { store, appId } = await storeWithHeldReads();
    const privacy = new PrivacyService(store, Date.now, { cacheTtlMs: 60_000 });
    const events: string[] = [];
    let finishListener = () => {};
    privacy.onListsChanged(async (changedApp, userId) => {
      events.push(`listener ${changedApp}/${userId}`);
      await new Promise<void>((resolve) => (finishListener = resolve));
    });
    const change = privacy.replace({ appId, userId: ALICE, sessionId: 1 }, 'block', DENY_ALL).then(() => events.push('confirmed'));
    await expect.poll(() => events).toEqual([`listener ${appId}/${ALICE}`]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(events).toEqual([`listener ${appId}/${ALICE}`]);
    finishListener();
    await change;
    expect(events).toEqual([`listener ${appId}/${ALICE}`, 'confirmed']);
  });
});
