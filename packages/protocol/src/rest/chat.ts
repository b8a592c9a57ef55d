/** Chat wire objects (rest.md §4.2, §4.13). Request bodies are decoded by the HTTP face (rest/messages.ts). */
import type { UserWire } from './users.js';

/** A dialog (rest.md §4.2); @parley/sdk exposes it as `Dialog`. */
export interface DialogWire {
  /** 24 hex digits. */
  _id: string;
  /** The owner (creator). */
  user_id: number;
  /**
   * 1 broadcast, 2 group, 3 private, 4 public, 5 meeting. A plain number, as the official SDK types
   * it (`DialogType | number`): its `DialogType` names 1 and 4 the other way round ([A-1]).
   */
  type: number;
  /** `null` for private dialogs. */
  name: string | null;
  description: string | null;
  /** A blob uid, URL or custom-object reference. */
  photo: string | null;
  /** `<appId>_<_id>@muc.<chat domain>`; `null` for private dialogs. */
  xmpp_room_jid: string | null;
  /** Members of group, private and meeting dialogs; `[]` for public and broadcast ones. */
  occupants_ids: number[];
  /** Public and broadcast dialogs only: the number of subscribers. */
  occupants_count?: number;
  admins_ids: number[];
  pinned_messages_ids: string[];
  last_message: string | null;
  last_message_id: string | null;
  last_message_user_id: number | null;
  /** Unix seconds. */
  last_message_date_sent: number | null;
  /** Set only when the caller sent the last message. */
  last_message_status: 'sent' | 'delivered' | 'read' | null;
  /** For the calling user. */
  unread_messages_count: number;
  /** App-declared custom fields (at most 3); values come back as strings. */
  extensions: Record<string, string> | null;
  permissions: { allow_preview: boolean } | null;
  /** ISO 8601, seconds precision. */
  created_at: string;
  /** ISO 8601; bumped by every new message as well as by edits. */
  updated_at: string;
}

/** `GET /chat/Dialog` (rest.md §4.3). */
export interface DialogListWire {
  total_entries: number;
  skip: number;
  limit: number;
  items: DialogWire[];
}

/** A list route called with `count=1` (dialogs and messages). */
export interface CountWire {
  items: { count: number };
}

/** Deleting several dialogs, or any number of messages: every key is always present. */
export interface DeleteResultWire {
  SuccessfullyDeleted: { ids: string[] };
  NotFound: { ids: string[] };
  WrongPermissions: { ids: string[] };
}

/** A message attachment: free-form, the server keeps whatever the app sends; these keys are the usual ones. */
export interface AttachmentWire {
  type?: string;
  uid?: string;
  id?: string;
  url?: string;
  name?: string;
  size?: number | string;
  [key: string]: unknown;
}

export interface ReactionsWire {
  /** The caller's own reactions. */
  own: string[];
  /** Everyone's count per emoji (the caller's included). */
  total: Record<string, number>;
}

/** A message (rest.md §4.13); @parley/sdk exposes it as `Message`. */
export interface MessageWire {
  _id: string;
  chat_dialog_id: string;
  message: string | null;
  /** Unix seconds. */
  date_sent: number;
  sender_id: number;
  /** The other participant in private dialogs, else `0`. */
  recipient_id: number;
  read_ids: number[];
  delivered_ids: number[];
  /** Public and broadcast dialogs: distinct readers other than the sender; else 0. */
  views_count: number;
  /** `1` once someone other than the sender has read it. */
  read: 0 | 1;
  attachments: AttachmentWire[];
  reactions: ReactionsWire | null;
  /** ISO 8601, seconds precision. */
  created_at: string;
  updated_at: string;
  /** Custom parameters are returned top-level. */
  [custom: string]: unknown;
}

/** `GET /chat/Message` (rest.md §4.14): no `total_entries`, unlike dialogs. */
export interface MessageListWire {
  skip: number;
  limit: number;
  items: MessageWire[];
}

/** `GET`/`PUT /chat/Dialog/:id/notifications` (rest.md §4.10): `1` enabled, `0` disabled. */
export interface NotificationsSettingsWire {
  notifications: { enabled: number };
}

/** `GET /chat/Dialog/:id/occupants` (rest.md §4.11): subscribers or occupants as bare users. */
export interface OccupantsWire {
  items: UserWire[];
}

/** `GET /chat/Message/unread` (rest.md §4.19): `total` over the caller's dialogs, plus one key per requested dialog. */
export interface UnreadCountWire {
  total: number;
  [chatDialogId: string]: number;
}

/** `GET /chat/Message/:id/reactions` (rest.md §4.20): emoji → ids of the users who reacted (`{}` when none). */
export type ReactionListWire = Record<string, number[]>;

/** `POST /chat/Message/system` (rest.md §4.18). */
export interface SystemMessageSentWire {
  messageId: string;
  recipientId: number;
  extensionParams?: Record<string, unknown>;
}

/** `GET /chat/search` (rest.md §4.21). */
export interface ChatSearchWire {
  results: { dialogs: DialogWire[]; messages: MessageWire[]; users: UserWire[] };
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
