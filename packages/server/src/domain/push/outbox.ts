import type { NewPushJob, PushMessage, PushRepository, PushSubscriptionRecord } from '../../ports/push.js';
import type { Clock } from '../shared/actor.js';

/** Shapes the message for one subscription, or undefined to skip that subscription. */
export type MessageFor = (subscription: PushSubscriptionRecord) => PushMessage | undefined;

/**
 * Puts pushes into the durable queue: one job per matching subscription of the users, committed
 * together, then wakes the delivery worker. Returns how many jobs were queued.
 */
export class PushOutbox {
  private listener: (() => void) | undefined;

  constructor(
    private readonly repository: PushRepository,
    private readonly clock: Clock,
  ) {}

  /** The delivery worker's wake-up call (new jobs are due now). */
  onQueued(listener: (() => void) | undefined): void {
    this.listener = listener;
  }

  async queue(appId: number, userIds: number[], messageFor: MessageFor): Promise<number> {
    if (userIds.length === 0) return 0;
    const jobs: NewPushJob[] = [];
    for (let start = 0; start < userIds.length; start += 500) {
      for (const subscription of await this.repository.subscriptionsOfUsers(appId, userIds.slice(start, start + 500))) {
        const message = messageFor(subscription);
        if (message) jobs.push({ appId, subscriptionId: subscription.id, message });
      }
    }
    await this.repository.enqueue(jobs, this.clock());
    if (jobs.length > 0) this.listener?.();
    return jobs.length;
  }
}
