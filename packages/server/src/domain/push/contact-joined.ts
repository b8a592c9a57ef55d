import { phoneMatchKey } from '../../ports/address-book.js';
import type { UserJoinedListener } from '../../ports/push-hooks.js';
import type { Store, UserRecord } from '../../ports/store.js';
import type { BackgroundWork } from './background.js';
import { displayName } from './chat-alerts.js';
import type { PushOutbox } from './outbox.js';
import { universalChannels, universalMessage } from './payload.js';

/**
 * "Contact joined" (rest.md §8, an app setting as on the ConnectyCube dashboard): a new user whose
 * phone is in other users' address books makes each of those owners get a push.
 */
export class ContactJoinedPushes implements UserJoinedListener {
  constructor(
    private readonly store: Pick<Store, 'push'>,
    private readonly outbox: PushOutbox,
    private readonly background: BackgroundWork,
  ) {}

  userJoined(appId: number, user: UserRecord): void {
    this.background.run(() => this.notifyOwners(appId, user));
  }

  private async notifyOwners(appId: number, user: UserRecord): Promise<void> {
    const phoneKey = phoneMatchKey(user.phone);
    if (phoneKey === null || user.isGuest) return;
    if (!(await this.store.push.getConfig(appId)).contactJoined) return;
    const owners = await this.store.push.bookOwnersOfPhone(appId, phoneKey, user.id);
    if (owners.length === 0) return;
    const content = { message: `${displayName(user, user.id)} joined`, contact_joined: 1, user_id: user.id, phone: user.phone };
    const channels = universalChannels(content);
    await this.outbox.queue(appId, owners, (subscription) => (channels.includes(subscription.channel) ? universalMessage(subscription.channel, content) : undefined));
  }
}
