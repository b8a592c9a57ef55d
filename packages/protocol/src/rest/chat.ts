/** Chat wire objects (rest.md §4.2, §4.13). Request bodies are decoded leniently by the domain. */

export interface DialogWire {
  _id: string;
  user_id: number;
  type: number;
  name: string | null;
  description: string | null;
  photo: string | null;
  xmpp_room_jid: string | null;
  occupants_ids: number[];
  occupants_count?: number;
  admins_ids: number[];
  pinned_messages_ids: string[];
  last_message: string | null;
  last_message_id: string | null;
  last_message_user_id: number | null;
  last_message_date_sent: number | null;
  last_message_status: 'sent' | 'delivered' | 'read' | null;
  unread_messages_count: number;
  extensions: Record<string, string> | null;
  permissions: { allow_preview: boolean } | null;
  created_at: string;
  updated_at: string;
}

export interface MessageWire {
  _id: string;
  chat_dialog_id: string;
  message: string | null;
  date_sent: number;
  sender_id: number;
  recipient_id: number;
  read_ids: number[];
  delivered_ids: number[];
  views_count: number;
  read: 0 | 1;
  attachments: Record<string, unknown>[];
  reactions: { own: string[]; total: Record<string, number> } | null;
  created_at: string;
  updated_at: string;
  [custom: string]: unknown;
}

/** Message keys that are never stored as custom parameters (rest.md §4.13). */
export const reservedMessageKeys: readonly string[] = [
  '_id', 'save_to_history', 'dialog_id', 'send_to_chat', 'markable', 'silent', 'chat_dialog_id', 'recipient_id',
  'message', 'attachments', 'date_sent', 'sender_id', 'read_ids', 'delivered_ids', 'views_count', 'read',
  'reactions', 'created_at', 'updated_at',
];

/** `<appId>_<dialogId>@muc.<chat domain>`: the MUC room of a dialog (realtime.md). */
export function roomJid(appId: number, dialogId: string, chatDomain: string): string {
  return `${appId}_${dialogId}@muc.${chatDomain}`;
}
