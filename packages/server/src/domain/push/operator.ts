import type { PushDeliveryQuery, PushDeliveryRecord, PushRepository } from '../../ports/push.js';
import type { UserRepository } from '../../ports/store.js';
import { DomainFailure } from '../shared/failure.js';
import type { PushOutbox } from './outbox.js';
import { universalChannels, universalMessage } from './payload.js';

const TEXT_MAX_CHARS = 1000;

/**
 * What an operator does with pushes from the dashboard or the admin API: send a test push to one
 * user's devices, and read what the providers answered lately.
 */
export class PushOperatorService {
  constructor(
    private readonly repository: PushRepository,
    private readonly users: UserRepository,
    private readonly outbox: PushOutbox,
  ) {}

  /** Queues `text` as a universal push to every device of the user; answers how many were queued. */
  async sendTest(appId: number, userId: number, text: unknown): Promise<{ queued: number }> {
    if (typeof text !== 'string' || text.trim() === '' || text.length > TEXT_MAX_CHARS) {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { message: [`must be text of 1 to ${TEXT_MAX_CHARS} characters`] } });
    }
    if ((await this.users.findByIds(appId, [userId])).length === 0) throw new DomainFailure('NOT_FOUND', { message: 'User not found' });
    const content = { message: text, test_push: 1 };
    const channels = universalChannels(content);
    const queued = await this.outbox.queue(appId, [userId], (subscription) => (channels.includes(subscription.channel) ? universalMessage(subscription.channel, content) : undefined));
    if (queued === 0) throw new DomainFailure('VALIDATION_FAILED', { fields: { user_id: ['has no push subscription (a device or browser must subscribe first)'] } });
    return { queued };
  }

  deliveries(appId: number, query: PushDeliveryQuery): Promise<PushDeliveryRecord[]> {
    return this.repository.recentDeliveries(appId, query);
  }
}
