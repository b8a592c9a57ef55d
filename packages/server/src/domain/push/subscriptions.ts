import { toId } from '@parley/protocol';
import type { PushRepository, PushSubscriptionRecord } from '../../ports/push.js';
import { requireUser } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { readSubscription } from './input.js';

/**
 * Device subscriptions (rest.md §7.1). One per (app, udid, channel): subscribing again updates it in
 * place, and a device that signs in as another user takes its subscription along.
 */
export class PushSubscriptionService {
  constructor(
    private readonly repository: PushRepository,
    private readonly clock: Clock,
    private readonly options: { allowPrivateEndpoints: boolean },
  ) {}

  async create(actor: Actor, body: unknown): Promise<PushSubscriptionRecord> {
    const userId = requireUser(actor);
    const input = readSubscription(body, this.options.allowPrivateEndpoints);
    return this.repository.upsertSubscription({ ...input, appId: actor.appId, userId }, this.clock());
  }

  async list(actor: Actor): Promise<PushSubscriptionRecord[]> {
    return this.repository.subscriptionsOfUser(actor.appId, requireUser(actor));
  }

  /** 404 when there is no such subscription in the app, 403 when it is another user's. */
  async remove(actor: Actor, rawId: string): Promise<void> {
    const userId = requireUser(actor);
    const id = toId(rawId);
    const subscription = id === undefined ? undefined : await this.repository.findSubscription(actor.appId, id);
    if (!subscription) throw new DomainFailure('NOT_FOUND', { message: 'Subscription not found' });
    if (subscription.userId !== userId) throw new DomainFailure('FORBIDDEN', { message: 'This subscription belongs to another user' });
    await this.repository.deleteSubscription(actor.appId, subscription.id);
  }
}
