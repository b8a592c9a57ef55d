import { isObjectId, newObjectId } from '@parley/protocol';
import { ignoreStoredMessages, type StoredMessageListener } from '../../ports/push-hooks.js';
import type { DialogRecord, NewMessage } from '../../ports/chat-store.js';
import { UniqueViolation, type Store } from '../../ports/store.js';
import { ensure, rights, type DialogRole } from '../dialogs/access.js';
import { requireUser, type DialogService } from '../dialogs/service.js';
import type { Actor, Clock } from '../shared/actor.js';
import { DomainFailure } from '../shared/failure.js';
import { dialogAudience } from './audience.js';
import { candidateId, checkContentSize, normaliseDateSent, type AcceptedContent, type LiveContent } from './content.js';

export interface LiveChatOptions {
  /** Largest message text (and custom parameters), in bytes; the REST limit applies here too. */
  maxMessageBytes: number;
}

export type MarkerKind = 'received' | 'displayed';

/** Whether a user may enter a group dialog's room (realtime.md §6.3), as a value the face maps to its codes. */
export type RoomAccess =
  | { allowed: true; dialog: DialogRecord; affiliation: 'owner' | 'admin' | 'member' }
  | { allowed: false; reason: 'not-found' | 'private' | 'not-occupant' };

const affiliationOf = (role: DialogRole) => (role === 'owner' || role === 'admin' ? role : 'member');

/**
 * Real-time chat decisions (realtime.md §6–§7): who may send what where, what becomes history, and
 * which users a group message reaches. Transport-free: the XMPP face routes what this returns.
 */
export class LiveChatService {
  constructor(
    private readonly store: Store,
    private readonly dialogs: DialogService,
    private readonly clock: Clock,
    private readonly options: LiveChatOptions,
    /** Chat alerts for offline recipients (the push domain), told after each new message is stored. */
    private readonly stored: StoredMessageListener = ignoreStoredMessages,
  ) {}

  /** A 1-1 content message (realtime.md §7.3, type chat): authorises, resolves the dialog, stores when asked. */
  async acceptPrivate(actor: Actor, recipientId: number, content: LiveContent): Promise<AcceptedContent> {
    const senderId = requireUser(actor);
    checkContentSize(content, this.options.maxMessageBytes);
    if (recipientId === senderId) throw new DomainFailure('VALIDATION_FAILED', { fields: { to: ['cannot be yourself'] } });
    if ((await this.store.users.findByIds(actor.appId, [recipientId])).length === 0) throw new DomainFailure('CHAT_NOT_FOUND');
    const now = this.clock();
    let dialog: DialogRecord | undefined;
    if (content.dialogId !== undefined) {
      dialog = await this.sharedDialog(actor.appId, content.dialogId, senderId, recipientId);
    } else {
      dialog = await this.store.dialogs.findPrivate(actor.appId, senderId, recipientId);
      if (!dialog && content.saveToHistory) dialog = (await this.dialogs.create(actor, { type: 3, occupants_ids: [recipientId] })).dialog;
    }
    const dateSent = normaliseDateSent(content.dateSent, now);
    if (!content.saveToHistory || !dialog) {
      return { id: candidateId(content.id, now), dialogId: dialog?.id ?? null, dateSent, stored: false, retransmission: false };
    }
    return this.persist(actor.appId, senderId, dialog, dialog.type === 3 ? recipientId : 0, content, dateSent);
  }

  /** The other member of a private dialog the user belongs to (messages addressed to the dialog, not the user). */
  async privatePeer(actor: Actor, dialogId: string): Promise<number> {
    const userId = requireUser(actor);
    const { dialog, role } = await this.dialogs.access(actor, dialogId);
    const peer = dialog.occupantIds.find((id) => id !== userId);
    if (dialog.type !== 3 || role === 'outsider' || peer === undefined) throw new DomainFailure('CHAT_NOT_FOUND');
    return peer;
  }

  /** A group content message (type groupchat): the sender must be allowed to post; joining is not required. */
  async acceptGroup(actor: Actor, dialogId: string, content: LiveContent): Promise<AcceptedContent & { audience: number[] }> {
    const senderId = requireUser(actor);
    checkContentSize(content, this.options.maxMessageBytes);
    const { dialog, role } = await this.dialogs.access(actor, dialogId);
    if (dialog.type === 3) throw new DomainFailure('CHAT_NOT_FOUND');
    ensure(rights.post(dialog, role), 'You are not allowed to post in this dialog');
    const now = this.clock();
    const dateSent = normaliseDateSent(content.dateSent, now);
    const accepted = content.saveToHistory
      ? await this.persist(actor.appId, senderId, dialog, 0, content, dateSent)
      : { id: candidateId(content.id, now), dialogId: dialog.id, dateSent, stored: false, retransmission: false };
    return { ...accepted, audience: await this.audience(actor.appId, dialog) };
  }

  /** Every member a group dialog's traffic goes to: occupants (types 2, 5) or subscribers (1, 4). */
  async audience(appId: number, dialog: DialogRecord): Promise<number[]> {
    return dialogAudience(this.store, appId, dialog);
  }

  /** Group members by dialog id, for events that only know the id (typing, reactions). */
  async audienceOf(actor: Actor, dialogId: string): Promise<number[]> {
    const { dialog, role } = await this.dialogs.access(actor, dialogId);
    ensure(rights.read(dialog, role));
    return this.audience(actor.appId, dialog);
  }

  /**
   * Persists a delivered/read marker (realtime.md §7.6) when the message exists in that dialog and the
   * marker's sender is a member other than the message's sender. Returns whether anything applied.
   */
  async mark(actor: Actor, dialogId: string, messageId: string, kind: MarkerKind): Promise<boolean> {
    const userId = requireUser(actor);
    const id = messageId.toLowerCase();
    if (!isObjectId(dialogId) || !isObjectId(id)) return false;
    const message = await this.store.messages.findById(actor.appId, id);
    if (!message || message.dialogId !== dialogId || message.senderId === userId) return false;
    const member = await this.store.dialogs.member(actor.appId, dialogId, userId);
    if (!member?.isMember) return false;
    const marks = kind === 'displayed' ? { read: true, delivered: true } : { delivered: true };
    await this.store.messages.mark(actor.appId, dialogId, userId, [id], marks, this.clock());
    return true;
  }

  /** Whether the user may join the dialog's room: occupants of 2/5, any user of the app for 1/4. */
  async roomAccess(actor: Actor, dialogId: string): Promise<RoomAccess> {
    if (!isObjectId(dialogId)) return { allowed: false, reason: 'not-found' };
    try {
      const { dialog, role } = await this.dialogs.access(actor, dialogId);
      if (dialog.type === 3) return { allowed: false, reason: 'private' };
      if ((dialog.type === 2 || dialog.type === 5) && role === 'outsider') return { allowed: false, reason: 'not-occupant' };
      return { allowed: true, dialog, affiliation: affiliationOf(role) };
    } catch (error) {
      if (error instanceof DomainFailure && error.code === 'CHAT_NOT_FOUND') return { allowed: false, reason: 'not-found' };
      throw error;
    }
  }

  /** A dialog named by a 1-1 message must hold both users (realtime.md §7.3 step 4). */
  private async sharedDialog(appId: number, dialogId: string, senderId: number, recipientId: number): Promise<DialogRecord> {
    const dialog = isObjectId(dialogId) ? await this.store.dialogs.findById(appId, dialogId) : undefined;
    if (!dialog) throw new DomainFailure('CHAT_FORBIDDEN', { message: 'You are not a member of this dialog' });
    const [sender, recipient] = await Promise.all([this.store.dialogs.member(appId, dialogId, senderId), this.store.dialogs.member(appId, dialogId, recipientId)]);
    ensure((sender?.isMember ?? false) && (recipient?.isMember ?? false), 'Both users must be members of this dialog');
    return dialog;
  }

  /**
   * Stores the message under the client's id when it can: the same id from the same sender in the same
   * dialog is a retransmission (stored once); an id already used elsewhere is replaced by a fresh one.
   */
  private async persist(appId: number, senderId: number, dialog: DialogRecord, recipientId: number, content: LiveContent, dateSent: number): Promise<AcceptedContent> {
    const now = this.clock();
    const record = (id: string): NewMessage => ({
      id,
      appId,
      dialogId: dialog.id,
      senderId,
      recipientId,
      body: content.body,
      dateSent,
      attachments: content.attachments,
      custom: content.custom,
      markable: false,
      createdAt: now,
      updatedAt: now,
    });
    // Storing first and looking only on a clash keeps the common case (a new id) to one write.
    try {
      const { message, created } = await this.store.messages.create(record(candidateId(content.id, now)));
      if (created) {
        if (!content.silent) this.stored.messageStored(appId, dialog, message);
        return { id: message.id, dialogId: dialog.id, dateSent, stored: true, retransmission: false };
      }
      if (message.senderId === senderId) return { id: message.id, dialogId: dialog.id, dateSent: message.dateSent, stored: false, retransmission: true };
    } catch (error) {
      // The id is taken in another dialog: not a retransmission.
      if (!(error instanceof UniqueViolation)) throw error;
    }
    const { message } = await this.store.messages.create(record(newObjectId(now)));
    if (!content.silent) this.stored.messageStored(appId, dialog, message);
    return { id: message.id, dialogId: dialog.id, dateSent: message.dateSent, stored: true, retransmission: false };
  }
}
