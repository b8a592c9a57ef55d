import type { PushEventRecord, PushRepository, PushSubscriptionRecord } from '../../ports/push.js';
import type { UserCondition, UserRepository } from '../../ports/store.js';
import { requireUser } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { readEvent, type EventInput, type EventRecipients } from './input.js';
import type { PushOutbox } from './outbox.js';
import { platformMessage, universalChannels, universalMessage } from './payload.js';

const USER_PAGE = 1000;

/**
 * Push events (rest.md §7.2): resolves the recipients (ids, external ids, tags any/all/exclude) and
 * queues one push per matching subscription. Recipients without a matching subscription are skipped.
 */
export class PushEventService {
  constructor(
    private readonly repository: PushRepository,
    private readonly users: UserRepository,
    private readonly outbox: PushOutbox,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, body: unknown): Promise<PushEventRecord> {
    const userId = requireUser(actor);
    const input = readEvent(body);
    const recipients = await this.recipients(actor.appId, input.recipients);
    await this.outbox.queue(actor.appId, recipients, (subscription) => messageFor(input, subscription));
    return this.repository.recordEvent({
      appId: actor.appId,
      userId,
      channel: input.channel,
      environment: input.environment,
      message: input.message,
      createdAt: this.clock(),
    });
  }

  /** Ids and external ids name users; tags select users; `exclude` removes (alone: everyone but them). */
  private async recipients(appId: number, selectors: EventRecipients): Promise<number[]> {
    const { userIds, externalIds, tagsAny, tagsAll, tagsExclude } = selectors;
    const chosen = new Set<number>();
    const exclusion: UserCondition[] = tagsExclude.length > 0 ? [{ field: 'tags', op: 'hasNone', values: tagsExclude }] : [];
    if (userIds.length > 0) for (const id of await this.matching(appId, [{ field: 'id', op: 'in', values: userIds }, ...exclusion])) chosen.add(id);
    if (externalIds.length > 0) for (const id of await this.matching(appId, [{ field: 'external_user_id', op: 'in', values: externalIds }, ...exclusion])) chosen.add(id);
    const hasAny = (values: string[]): UserCondition => ({ field: 'tags', op: 'hasAny', values });
    const tagConditions = [...(tagsAny.length > 0 ? [hasAny(tagsAny)] : []), ...tagsAll.map((tag) => hasAny([tag]))];
    const onlyExclusion = userIds.length === 0 && externalIds.length === 0 && tagConditions.length === 0;
    if (tagConditions.length > 0 || onlyExclusion) for (const id of await this.matching(appId, [...tagConditions, ...exclusion])) chosen.add(id);
    return [...chosen].sort((a, b) => a - b);
  }

  private async matching(appId: number, conditions: UserCondition[]): Promise<number[]> {
    const ids: number[] = [];
    for (let offset = 0; ; offset += USER_PAGE) {
      const page = await this.users.query(appId, { conditions, sort: { field: 'id', direction: 'asc' }, limit: USER_PAGE, offset });
      ids.push(...page.users.map((user) => user.id));
      if (page.users.length < USER_PAGE) return ids;
    }
  }
}

/** The job for one subscription, when the event's channel and environment select it. */
function messageFor(input: EventInput, subscription: PushSubscriptionRecord) {
  if (input.environment !== null && subscription.environment !== input.environment) return undefined;
  if (input.channel !== null) {
    if (subscription.channel !== input.channel) return undefined;
    return input.platformSpecific ? platformMessage(input.channel, input.content) : universalMessage(input.channel, input.content);
  }
  return universalChannels(input.content).includes(subscription.channel) ? universalMessage(subscription.channel, input.content) : undefined;
}
