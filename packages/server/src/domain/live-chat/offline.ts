import type { OfflineItem, OfflineQueueRepository } from '../../ports/offline-queue.js';
import type { Clock } from '../shared/actor.js';

export interface OfflineQueueOptions {
  /** Most items kept per user; the oldest beyond it are dropped. */
  maxItems: number;
  /** How long an item is kept, in ms. */
  maxAgeMs: number;
}

/** What the contract keeps for users who were offline (realtime.md §7.10): at most N items, at most so old. */
export class OfflineQueue {
  constructor(
    private readonly store: { offline: OfflineQueueRepository },
    private readonly clock: Clock,
    private readonly options: OfflineQueueOptions,
  ) {}

  async keep(appId: number, userId: number, payload: string): Promise<void> {
    await this.store.offline.push(appId, userId, payload, this.clock(), this.options.maxItems);
  }

  /** The user's queue, oldest first, without expired items. */
  async pending(appId: number, userId: number): Promise<OfflineItem[]> {
    const oldest = this.clock() - this.options.maxAgeMs;
    return (await this.store.offline.pending(appId, userId, this.options.maxItems)).filter((item) => item.createdAt >= oldest);
  }

  async delivered(appId: number, userId: number, ids: number[]): Promise<void> {
    await this.store.offline.remove(appId, userId, ids);
  }

  /** Drops expired items of every user (the periodic sweep). */
  async purge(): Promise<number> {
    return this.store.offline.purgeOlderThan(this.clock() - this.options.maxAgeMs);
  }
}
