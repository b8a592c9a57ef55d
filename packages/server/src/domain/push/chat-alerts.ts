import type { StoredMessageListener } from '../../ports/push-hooks.js';
import type { DialogRecord } from '../../ports/dialogs.js';
import type { MessageRecord } from '../../ports/messages.js';
import type { PresenceDirectory } from '../../ports/presence.js';
import type { Store, UserRecord } from '../../ports/store.js';
import { dialogAudience } from '../dialogs/audience.js';
import type { PrivacyService } from '../privacy/service.js';
import type { BackgroundWork } from './background.js';
import type { PushOutbox } from './outbox.js';
import { universalChannels, universalMessage } from './payload.js';

/** Longest message text put into an alert (providers cap payloads at 4 KB). */
const ALERT_TEXT_MAX_CHARS = 1000;

export const displayName = (user: UserRecord | undefined, id: number) => user?.fullName ?? user?.login ?? user?.email ?? `User ${id}`;

/** The app's template with `%{sender_name}`, `%{message_text}` and `%{dialog_name}` filled in. */
export function renderAlert(template: string, values: { sender_name: string; message_text: string; dialog_name: string }): string {
  return template.replace(/%\{(sender_name|message_text|dialog_name)\}/g, (_, key: keyof typeof values) => values[key]);
}

/**
 * Chat alerts (rest.md §4.10, §7; realtime.md §7.3 step 7): a message saved to history becomes a push
 * to each recipient with no active connection (none at all, or only `markInactive` ones), except when
 * the message is `silent`, the recipient turned the dialog's notifications off, or a privacy list
 * blocks the sender. Runs off the message path, as background work.
 */
export class ChatAlerts implements StoredMessageListener {
  constructor(
    private readonly store: Pick<Store, 'dialogs' | 'push' | 'users'>,
    private readonly presence: PresenceDirectory,
    private readonly privacy: PrivacyService,
    private readonly outbox: PushOutbox,
    private readonly background: BackgroundWork,
  ) {}

  messageStored(appId: number, dialog: DialogRecord, message: MessageRecord): void {
    this.background.run(() => this.alert(appId, dialog, message));
  }

  private async alert(appId: number, dialog: DialogRecord, message: MessageRecord): Promise<void> {
    const audience = dialog.type === 3 ? dialog.occupantIds : await dialogAudience(this.store, appId, dialog);
    const others = audience.filter((id) => id !== message.senderId);
    if (others.length === 0) return;
    const active = await this.presence.activeUserIds(appId, others);
    let recipients = others.filter((id) => !active.has(id));
    if (recipients.length === 0) return;
    const members = await Promise.all(recipients.map((id) => this.store.dialogs.member(appId, dialog.id, id)));
    recipients = recipients.filter((_, index) => members[index]?.notifications !== false);
    recipients = await this.notBlocking(appId, dialog, message.senderId, recipients);
    if (recipients.length === 0) return;

    const [config, sender] = await Promise.all([this.store.push.getConfig(appId), this.store.users.findById(appId, message.senderId)]);
    const senderName = displayName(sender, message.senderId);
    const body = (message.body ?? '').slice(0, ALERT_TEXT_MAX_CHARS);
    const text = renderAlert(config.chatAlertTemplate, {
      sender_name: senderName,
      message_text: body === '' && message.attachments.length > 0 ? 'Attachment' : body,
      dialog_name: dialog.type === 3 ? senderName : (dialog.name ?? ''),
    });
    const content = { message: text, dialog_id: dialog.id, message_id: message.id, sender_id: message.senderId, ios_sound: 'default', ios_thread_id: dialog.id };
    const channels = universalChannels(content);
    await this.outbox.queue(appId, recipients, (subscription) => (channels.includes(subscription.channel) ? universalMessage(subscription.channel, content) : undefined));
  }

  /** Recipients whose privacy lists let this sender's messages through (as live delivery would). */
  private async notBlocking(appId: number, dialog: DialogRecord, senderId: number, recipients: number[]): Promise<number[]> {
    if (dialog.type === 3) {
      const verdicts = await Promise.all(recipients.map((id) => this.privacy.verdict(appId, senderId, id, 'message')));
      return recipients.filter((_, index) => verdicts[index] === 'allow');
    }
    const refusers = await this.privacy.groupRefusers(appId, senderId, recipients);
    return recipients.filter((id) => !refusers.has(id));
  }
}
