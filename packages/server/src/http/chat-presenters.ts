import { isoSeconds, roomJid, type DeleteResultWire, type DialogWire, type MessageWire } from '@parley/protocol';
import type { DialogView } from '../ports/dialogs.js';
import type { MessageRecord } from '../ports/messages.js';
import type { MessagePage } from '../domain/messages/service.js';

/** Dialogs and messages → the contract's JSON (rest.md §4.2, §4.13). */

function lastMessageStatus(view: DialogView, viewerId: number): DialogWire['last_message_status'] {
  const last = view.dialog.lastMessage;
  if (!last || last.userId !== viewerId) return null;
  const receipt = view.lastMessageReceipts;
  if (receipt?.readIds.some((id) => id !== viewerId)) return 'read';
  if (receipt?.deliveredIds.some((id) => id !== viewerId)) return 'delivered';
  return 'sent';
}

export function dialogWire(view: DialogView, viewerId: number, chatDomain: string): DialogWire {
  const { dialog, member } = view;
  const subscribed = dialog.type === 1 || dialog.type === 4;
  const wire: DialogWire = {
    _id: dialog.id,
    user_id: dialog.ownerId,
    type: dialog.type,
    name: dialog.name,
    description: dialog.description,
    photo: dialog.photo,
    xmpp_room_jid: dialog.type === 3 ? null : roomJid(dialog.appId, dialog.id, chatDomain),
    occupants_ids: subscribed ? [] : dialog.occupantIds,
    admins_ids: dialog.adminIds,
    pinned_messages_ids: dialog.pinnedMessageIds,
    last_message: dialog.lastMessage?.body ?? null,
    last_message_id: dialog.lastMessage?.id ?? null,
    last_message_user_id: dialog.lastMessage?.userId ?? null,
    last_message_date_sent: dialog.lastMessage?.dateSent ?? null,
    last_message_status: lastMessageStatus(view, viewerId),
    unread_messages_count: member?.isMember ? member.unreadCount : 0,
    extensions: dialog.extensions,
    permissions: dialog.permissions,
    created_at: isoSeconds(dialog.createdAt),
    updated_at: isoSeconds(dialog.updatedAt),
  };
  if (subscribed) wire.occupants_count = dialog.subscribersCount;
  return wire;
}

export function messageWire(message: MessageRecord, page: MessagePage, viewerId: number): MessageWire {
  const receipt = page.receipts.get(message.id);
  const readIds = [message.senderId, ...(receipt?.readIds ?? []).filter((id) => id !== message.senderId)];
  const deliveredIds = [message.senderId, ...(receipt?.deliveredIds ?? []).filter((id) => id !== message.senderId)];
  const reactions = page.reactions.get(message.id) ?? [];
  const total: Record<string, number> = {};
  for (const { reaction } of reactions) total[reaction] = (total[reaction] ?? 0) + 1;
  const readByOthers = readIds.length - 1;
  return {
    ...message.custom,
    _id: message.id,
    chat_dialog_id: message.dialogId,
    message: message.body,
    date_sent: message.dateSent,
    sender_id: message.senderId,
    recipient_id: message.recipientId,
    read_ids: readIds,
    delivered_ids: deliveredIds,
    views_count: page.dialogType === 1 || page.dialogType === 4 ? readByOthers : 0,
    read: readByOthers > 0 ? 1 : 0,
    attachments: message.attachments,
    reactions: reactions.length === 0 ? null : { own: reactions.filter((r) => r.userId === viewerId).map((r) => r.reaction), total },
    created_at: isoSeconds(message.createdAt),
    updated_at: isoSeconds(message.updatedAt),
  };
}

export function messagesWire(page: MessagePage, viewerId: number): MessageWire[] {
  return page.messages.map((message) => messageWire(message, page, viewerId));
}

export function deleteSummaryWire(summary: { deleted: string[]; notFound: string[]; wrongPermissions: string[] }): DeleteResultWire {
  return {
    SuccessfullyDeleted: { ids: summary.deleted },
    NotFound: { ids: summary.notFound },
    WrongPermissions: { ids: summary.wrongPermissions },
  };
}
