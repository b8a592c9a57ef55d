/**
 * Stanzas kept for users who had no available connection (realtime.md §7.10). The payload is
 * opaque to the store (the XMPP face serialises what it wants replayed).
 *
 * Guarantees (test/contract/offline-queue.contract.test.ts, on each adapter):
 * - `pending` returns a user's items oldest first (by insertion order), never another user's or app's;
 * - `push` keeps at most `cap` items per user: the oldest beyond it are dropped in the same transaction;
 * - `remove` deletes only the named items of that user; removing twice is harmless;
 * - `purgeOlderThan` drops items created before the cutoff, for every user.
 */
export interface OfflineItem {
  id: number;
  payload: string;
  /** Epoch ms. */
  createdAt: number;
}

export interface OfflineQueueRepository {
  push(appId: number, userId: number, payload: string, createdAt: number, cap: number): Promise<void>;
  pending(appId: number, userId: number, limit: number): Promise<OfflineItem[]>;
  remove(appId: number, userId: number, ids: number[]): Promise<void>;
  purgeOlderThan(cutoff: number): Promise<number>;
}
