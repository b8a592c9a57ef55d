/**
 * When each user was last seen on real-time chat (realtime.md §9.1): written when a connection becomes
 * available and when one closes, so a whole cluster (and a restarted node) answers the same.
 *
 * Guarantees (test/contract/privacy-lists.contract.test.ts, on each adapter):
 * - `seenAt` returns the latest `recordSeen` time of that user, undefined when never recorded;
 * - other users' and applications' times are never returned.
 */
export interface LastActivityRepository {
  recordSeen(appId: number, userId: number, at: number): Promise<void>;
  seenAt(appId: number, userId: number): Promise<number | undefined>;
}
