import { isObjectId, newObjectId } from '@parley/protocol';
import type { DialogRecord } from '../../ports/dialogs.js';
import type { MessageRecord, NewMessage } from '../../ports/messages.js';
import { UniqueViolation } from '../../ports/store.js';
import { ensure, rights } from '../dialogs/access.js';
import { requireUser } from '../dialogs/service.js';
import { dialogAudience } from '../dialogs/audience.js';
import type { Actor } from '../shared/actor.js';
import { capDateSent } from '../shared/date-sent.js';
import { DomainFailure, invalidField } from '../shared/failure.js';
import type { SendMessage, SentMessage } from './commands.js';
import type { MessageWriteDeps } from './deps.js';
import { checkCustomSize, checkTextSize, UNKNOWN_RECIPIENT } from './rules.js';

/** Where a message goes once its target is resolved: the dialog (if any yet) and the 1-1 recipient (0 in groups). */
interface Destination {
  dialog: DialogRecord | undefined;
  recipientId: number;
}

/**
 * Sends one message for either face (realtime.md §7.3, rest.md §4.15): checks size and rights, resolves
 * (or opens) the dialog, stores it when asked, tells the push domain, and announces it when the face
 * cannot route it itself. Nothing is stored (not even a new private dialog) when the message is refused.
 */
export async function sendMessage(deps: MessageWriteDeps, actor: Actor, command: SendMessage): Promise<SentMessage> {
  try {
    return await send(deps, actor, command);
  } finally {
    // Refused or not stored: the face's next message need not wait for this one.
    command.order?.handedIn();
  }
}

async function send(deps: MessageWriteDeps, actor: Actor, command: SendMessage): Promise<SentMessage> {
  const senderId = requireUser(actor);
  checkTextSize(command.body, deps.maxMessageBytes);
  checkCustomSize(command.custom, deps.maxMessageBytes);
  const now = deps.clock();
  const { dialog, recipientId } = 'recipientId' in command.to ? await toRecipient(deps, actor, command, command.to) : await toDialog(deps, actor, command, command.to);
  const dateSent = command.dateSent === undefined ? Math.floor(now / 1000) : capDateSent(command.dateSent, now);
  if (!command.save || !dialog) {
    return { id: command.id ?? newObjectId(now), dialog, message: undefined, dateSent, stored: false, resent: false };
  }
  // Concurrent sends of one face (a connection's pipelined messages) take their ids and their place in
  // the store in the face's order: nothing awaits between here and the hand-in below.
  if (command.order) await command.order.earlierHandedIn();
  const storedAt = command.order ? deps.clock() : now;
  const record: NewMessage = {
    id: command.id ?? newObjectId(storedAt),
    appId: actor.appId,
    dialogId: dialog.id,
    senderId,
    recipientId,
    body: command.body,
    dateSent,
    attachments: command.attachments,
    custom: command.custom,
    markable: command.markable,
    createdAt: storedAt,
    updatedAt: storedAt,
  };
  const sent = await store(deps, dialog, record, command);
  // Routed only once stored, with the stored id, date and dialog (rest.md §4.15 send_to_chat).
  if (command.announce && sent.message) {
    await deps.live.contentMessage({ dialogType: dialog.type, audience: await dialogAudience(deps.repos, actor.appId, dialog), message: sent.message, stored: sent.stored });
  }
  return sent;
}

/**
 * Stores under the client's id when it can. The one idempotency rule (ADR 0013): the same id from the
 * same sender in the same dialog is the same message (nothing stored, answered with the stored one); an
 * id someone else used, or the sender used in another dialog, is a new message under a fresh server id
 * (the SDK's ids carry ~39 random bits a second, so two users' ids do meet under load).
 */
async function store(deps: MessageWriteDeps, dialog: DialogRecord, record: NewMessage, { silent, order }: SendMessage): Promise<SentMessage> {
  const stored = (message: MessageRecord): SentMessage => {
    if (!silent) deps.stored.messageStored(record.appId, dialog, message);
    return { id: message.id, dialog, message, dateSent: message.dateSent, stored: true, resent: false };
  };
  // Storing first and looking only on a clash keeps the common case (a new id) to one write.
  try {
    const creating = deps.repos.messages.create(record);
    order?.handedIn();
    const { message, created } = await creating;
    if (created) return stored(message);
    if (message.senderId === record.senderId) return { id: message.id, dialog, message, dateSent: message.dateSent, stored: false, resent: true };
  } catch (error) {
    // The id is taken in another dialog.
    if (!(error instanceof UniqueViolation)) throw error;
  }
  return stored((await deps.repos.messages.create({ ...record, id: newObjectId(deps.clock()) })).message);
}

/** A 1-1 message to a user: their private dialog (opened by a first saved message), or a named dialog both are in. */
async function toRecipient(deps: MessageWriteDeps, actor: Actor, command: SendMessage, to: { recipientId: number; dialogId?: string }): Promise<Destination> {
  const senderId = requireUser(actor);
  const { appId } = actor;
  if (to.recipientId === senderId) throw invalidField('recipient_id', 'cannot be yourself');
  if (to.dialogId !== undefined) {
    if ((await deps.repos.users.findByIds(appId, [to.recipientId])).length === 0) throw invalidField('recipient_id', UNKNOWN_RECIPIENT);
    const dialog = await sharedDialog(deps, appId, to.dialogId, senderId, to.recipientId);
    if (command.announce) await deps.ensureNotBlocked(appId, senderId, to.recipientId);
    return { dialog, recipientId: dialog.type === 3 ? to.recipientId : 0 };
  }
  // Both reads at once: they cross to the store's reader in one round trip.
  const [recipient, existing] = await Promise.all([deps.repos.users.findByIds(appId, [to.recipientId]), deps.repos.dialogs.findPrivate(appId, senderId, to.recipientId)]);
  if (recipient.length === 0) throw invalidField('recipient_id', UNKNOWN_RECIPIENT);
  if (existing || !command.save) {
    if (command.announce) await deps.ensureNotBlocked(appId, senderId, to.recipientId);
    return { dialog: existing, recipientId: to.recipientId };
  }
  if (command.announce) await deps.ensureNotBlocked(appId, senderId, to.recipientId);
  return { dialog: await deps.dialogs.openPrivate(actor, to.recipientId), recipientId: to.recipientId };
}

/** A message to a dialog the sender may post in. */
async function toDialog(deps: MessageWriteDeps, actor: Actor, command: SendMessage, to: { dialogId: string; groupOnly?: boolean }): Promise<Destination> {
  const { dialog, role, userId } = await deps.dialogs.access(actor, to.dialogId);
  if (to.groupOnly && dialog.type === 3) throw new DomainFailure('CHAT_NOT_FOUND');
  ensure(rights.post(dialog, role), 'You are not allowed to post in this dialog');
  const recipientId = dialog.type === 3 ? (dialog.occupantIds.find((id) => id !== userId) ?? 0) : 0;
  if (command.announce && dialog.type === 3) await deps.ensureNotBlocked(actor.appId, userId, recipientId);
  return { dialog, recipientId };
}

/** A dialog named by a 1-1 message must hold both users (realtime.md §7.3 step 4). */
async function sharedDialog(deps: MessageWriteDeps, appId: number, dialogId: string, senderId: number, recipientId: number): Promise<DialogRecord> {
  const dialog = isObjectId(dialogId) ? await deps.repos.dialogs.findById(appId, dialogId) : undefined;
  if (!dialog) throw new DomainFailure('CHAT_FORBIDDEN', { message: 'You are not a member of this dialog' });
  const [sender, recipient] = await Promise.all([deps.repos.dialogs.member(appId, dialogId, senderId), deps.repos.dialogs.member(appId, dialogId, recipientId)]);
  ensure((sender?.isMember ?? false) && (recipient?.isMember ?? false), 'Both users must be members of this dialog');
  return dialog;
}

