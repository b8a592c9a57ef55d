import type { PresenceDirectory } from '../../ports/presence.js';
import type { Store } from '../../ports/store.js';
import type { Clock } from '../shared/actor.js';

/**
 * Last activity (XEP-0012, realtime.md §9.1): 0 while the user has an available connection, otherwise
 * whole seconds since they were last seen (at least 1, so 0 always means online); undefined when the
 * user never connected to chat (or is not a user of the application).
 */
export class LastActivityService {
  constructor(
    private readonly store: Pick<Store, 'lastActivity'>,
    private readonly presence: PresenceDirectory,
    private readonly clock: Clock,
  ) {}

  /** Called when a connection becomes available and when one closes. */
  async seen(appId: number, userId: number): Promise<void> {
    await this.store.lastActivity.recordSeen(appId, userId, this.clock());
  }

  async secondsOf(appId: number, userId: number): Promise<number | undefined> {
    if (await this.presence.isOnline(appId, userId)) return 0;
    const seenAt = await this.store.lastActivity.seenAt(appId, userId);
    if (seenAt === undefined) return undefined;
    return Math.max(1, Math.ceil((this.clock() - seenAt) / 1000));
  }
}
