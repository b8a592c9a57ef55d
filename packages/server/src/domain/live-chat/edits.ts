import { isObjectId } from '@parley/protocol';
import type { DialogRecord, MessageRecord } from '../../ports/chat-store.js';
import type { Store } from '../../ports/store.js';
import { ensure, rights, type DialogRole } from '../dialogs/access.js';
import { requireUser, type DialogService } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { dialogAudience } from './audience.js';

/** An edit (XEP-0308 replace, realtime.md §7.7) or a delete (realtime.md §7.8) as the face decoded it. */
export interface MessageChange {
  /** The edited or deleted message's id (`replace@id`, `remove@id`). */
  messageId: string;
  /** `extraParams/dialog_id` of a 1-1 stanza, if any. */
  dialogId?: string;
}

export interface LiveEditOptions {
  /** Largest message text, in bytes (the REST limit). */
  maxMessageBytes: number;
}

/** Who may change a stored message: only its sender edits; the sender or a group's owner/admins delete (rest.md §4.17). */
export const editRights = {
  edit: (message: MessageRecord, userId: number) => message.senderId === userId,
  delete: (message: MessageRecord, userId: number, dialog: DialogRecord, role: DialogRole) => message.senderId === userId || rights.deleteAnyMessage(dialog, role),
};

/**
 * Edits and deletes sent over the real-time face: authorised and applied to history before anything is
 * routed. An unknown message id is still routed (it may not have been saved); someone else's message is
 * a 403 and nothing changes. The face routes the stanza like a content message of the same type.
 */
export class LiveEditService {
  constructor(
    private readonly store: Store,
    private readonly dialogs: DialogService,
    private readonly clock: Clock,
    private readonly options: LiveEditOptions,
  ) {}

  /** A 1-1 edit (type chat) to `recipientId`. */
  async editPrivate(actor: Actor, recipientId: number, change: MessageChange, body: string): Promise<void> {
    this.checkBody(body);
    const userId = await this.privateRoute(actor, recipientId);
    const target = await this.stored(actor, change.messageId);
    if (!target) return;
    ensure(editRights.edit(target.message, userId), 'Only the sender can edit a message');
    await this.store.messages.updateBody(actor.appId, target.message.id, body, this.clock());
  }

  /** A group edit (type groupchat) in `dialogId`; returns the members it goes to. */
  async editGroup(actor: Actor, dialogId: string, change: MessageChange, body: string): Promise<number[]> {
    this.checkBody(body);
    const { dialog, userId } = await this.groupRoute(actor, dialogId);
    const target = await this.stored(actor, change.messageId, dialog.id);
    if (target) {
      ensure(editRights.edit(target.message, userId), 'Only the sender can edit a message');
      await this.store.messages.updateBody(actor.appId, target.message.id, body, this.clock());
    }
    return dialogAudience(this.store, actor.appId, dialog);
  }

  /** A 1-1 delete (type chat) to `recipientId`. */
  async removePrivate(actor: Actor, recipientId: number, change: MessageChange): Promise<void> {
    const userId = await this.privateRoute(actor, recipientId);
    const target = await this.stored(actor, change.messageId);
    if (!target) return;
    ensure(editRights.delete(target.message, userId, target.dialog, target.role), 'You are not allowed to delete this message');
    await this.store.messages.deleteForEveryone(actor.appId, target.dialog.id, [target.message.id]);
  }

  /** A group delete (type groupchat) in `dialogId`; returns the members it goes to. */
  async removeGroup(actor: Actor, dialogId: string, change: MessageChange): Promise<number[]> {
    const { dialog, userId } = await this.groupRoute(actor, dialogId);
    const target = await this.stored(actor, change.messageId, dialog.id);
    if (target) {
      ensure(editRights.delete(target.message, userId, target.dialog, target.role), 'You are not allowed to delete this message');
      await this.store.messages.deleteForEveryone(actor.appId, dialog.id, [target.message.id]);
    }
    return dialogAudience(this.store, actor.appId, dialog);
  }

  private checkBody(body: string): void {
    if (Buffer.byteLength(body) > this.options.maxMessageBytes) {
      throw new DomainFailure('VALIDATION_FAILED', { fields: { message: [`is too long (maximum is ${this.options.maxMessageBytes} bytes)`] } });
    }
  }

  /** The recipient of a 1-1 change must be another user of the app. */
  private async privateRoute(actor: Actor, recipientId: number): Promise<number> {
    const userId = requireUser(actor);
    if (recipientId === userId) throw new DomainFailure('VALIDATION_FAILED', { fields: { to: ['cannot be yourself'] } });
    if ((await this.store.users.findByIds(actor.appId, [recipientId])).length === 0) throw new DomainFailure('CHAT_NOT_FOUND');
    return userId;
  }

  /** A group change goes where the sender may post (as a content message would). */
  private async groupRoute(actor: Actor, dialogId: string): Promise<{ dialog: DialogRecord; userId: number }> {
    const { dialog, role, userId } = await this.dialogs.access(actor, dialogId);
    if (dialog.type === 3) throw new DomainFailure('CHAT_NOT_FOUND');
    ensure(rights.post(dialog, role), 'You are not allowed to post in this dialog');
    return { dialog, userId };
  }

  /**
   * The stored message with the caller's role in its dialog, or undefined when there is none to change.
   * A message of a dialog the caller cannot read (or of another dialog than the room's) is forbidden.
   */
  private async stored(actor: Actor, messageId: string, roomDialogId?: string): Promise<{ message: MessageRecord; dialog: DialogRecord; role: DialogRole } | undefined> {
    const id = messageId.toLowerCase();
    const message = isObjectId(id) ? await this.store.messages.findById(actor.appId, id) : undefined;
    if (!message) return undefined;
    ensure(roomDialogId === undefined || message.dialogId === roomDialogId, 'The message is not in this dialog');
    const { dialog, role } = await this.dialogs.access(actor, message.dialogId);
    ensure(rights.read(dialog, role), 'You are not a member of this dialog');
    return { message, dialog, role };
  }
}
