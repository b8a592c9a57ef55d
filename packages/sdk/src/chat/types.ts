// Chat REST shapes as the server sends and accepts them (rest.md §4). Field names, value types and
// list envelopes follow the contract exactly; they differ from module to module on purpose.
import type { DateInput, User } from '../users/types.js';
import type { DialogType, LastMessageMessageStatus } from './enums.js';

/** A chat filter value: equality, or an operator object (`{in: [2, 3]}` → `type[in]=2%2C3`). */
export type ChatCondition<T> =
  | T
  | {
      lt?: T;
      lte?: T;
      gt?: T;
      gte?: T;
      ne?: T;
      in?: T[];
      nin?: T[];
      all?: T[];
      /** Substring match (case-sensitive). */
      ctn?: string;
    };

/** `delete(…, {force: 1})` deletes for everyone instead of only for the caller. */
export interface ForceParams {
  force?: number | string;
}

/** Result of deleting several dialogs, or any number of messages; every key is always present. */
export interface DeleteResponse {
  SuccessfullyDeleted: { ids: string[] };
  NotFound: { ids: string[] };
  WrongPermissions: { ids: string[] };
}

// ---------------------------------------------------------------------------------------------
// Dialogs

/** App-declared custom fields (at most 3); values come back as strings. */
export type DialogExtensions = Record<string, string>;

export interface DialogPermissions {
  allow_preview: boolean;
}

export interface Dialog {
  /** 24 hex digits. */
  _id: string;
  /** The owner (creator). */
  user_id: number;
  /** 1 broadcast, 2 group, 3 private, 4 public, 5 meeting (see `DialogType` for the SDK names). */
  type: DialogType;
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
  last_message_status: LastMessageMessageStatus | null;
  /** For the calling user. */
  unread_messages_count: number;
  extensions: DialogExtensions | null;
  permissions: DialogPermissions | null;
  /** ISO 8601, seconds precision. */
  created_at: string;
  /** ISO 8601; bumped by every new message as well as by edits. */
  updated_at: string;
}

/** `chat.dialog.list` query: paging, sorting, and filters on dialog fields. */
export interface DialogListParams {
  limit?: number;
  skip?: number;
  /** `1` returns only `{items: {count}}`. */
  count?: number;
  /** `last_message_date_sent` (alias `date_sent`), `created_at`, `updated_at`, `_id` or `name`. */
  sort_asc?: string;
  sort_desc?: string;
  _id?: ChatCondition<string>;
  type?: ChatCondition<number>;
  name?: ChatCondition<string>;
  last_message_date_sent?: ChatCondition<number>;
  created_at?: ChatCondition<DateInput>;
  updated_at?: ChatCondition<DateInput>;
  /** Filter on custom fields: `{extensions: {category: 'news'}}` → `extensions[category]=news`. */
  extensions?: Record<string, ChatCondition<string>>;
  /** Other filters (e.g. `occupants_ids`, `user_id`) are passed through. */
  [key: string]: unknown;
}

export interface DialogListResponse {
  total_entries: number;
  skip: number;
  limit: number;
  items: Dialog[];
}

/** What `list({count: 1})` and `message.list({count: 1})` answer. */
export interface ChatCountResponse {
  items: { count: number };
}

/** User ids as an array, or already comma-separated (`"45, 78"`). */
export type IdList = Array<number | string> | string;

export interface CreateDialogParams {
  /** Required. 5 (meeting) is created through meetings, not here. */
  type: DialogType | (number & {});
  /** Required for group and private dialogs; the creator is added by the server. Sent as `"1, 2"`. */
  occupants_ids?: IdList;
  /** At most 5, each an occupant. Sent as `"1, 2"`. */
  admins_ids?: IdList;
  name?: string;
  photo?: string | null;
  description?: string;
  extensions?: Record<string, string | number | boolean>;
  permissions?: DialogPermissions;
}

/** Keys of `push_all` / `pull_all` in a dialog update. */
export interface DialogIdChanges {
  occupants_ids?: Array<number | string>;
  admins_ids?: Array<number | string>;
  pinned_messages_ids?: string[];
}

export interface UpdateDialogParams {
  /** Add members, admins or pinned messages. */
  push_all?: DialogIdChanges;
  /** Remove them. */
  pull_all?: DialogIdChanges;
  name?: string;
  /** `null` clears it. */
  photo?: string | null;
  description?: string | null;
  /** Replaces the custom fields; `null` resets them all. */
  extensions?: Record<string, string | number | boolean> | null;
  permissions?: DialogPermissions;
}

export interface NotificationsSettingsResponse {
  /** `1` enabled, `0` disabled. */
  notifications: { enabled: number };
}

export interface PublicOccupantsParams {
  limit?: number;
  skip?: number;
}

/** Subscribers (public/broadcast) or occupants, as bare user objects. */
export interface PublicOccupantsResponse {
  items: User[];
}

// ---------------------------------------------------------------------------------------------
// Messages

/** Free-form attachment fields; the server keeps whatever the app sends. */
export interface Attachment {
  type?: string;
  uid?: string;
  id?: string;
  url?: string;
  name?: string;
  size?: number | string;
  [key: string]: unknown;
}

export interface Reactions {
  /** The caller's own reactions. */
  own: string[];
  /** Everyone's count per emoji (the caller's included). */
  total: Record<string, number>;
}

export interface Message {
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
  attachments: Attachment[];
  reactions: Reactions | null;
  /** ISO 8601, seconds precision. */
  created_at: string;
  updated_at: string;
  /** Custom parameters are returned top-level. */
  [custom: string]: unknown;
}

export interface MessageListParams {
  /** Required by the server. */
  chat_dialog_id?: string;
  limit?: number;
  skip?: number;
  /** `1` returns only `{items: {count}}`. */
  count?: number;
  /** `date_sent` (also `_id`, `created_at`, `updated_at`). */
  sort_asc?: string;
  sort_desc?: string;
  /** Default 1: returned messages are marked read for the caller; `0` disables. */
  mark_as_read?: number | string;
  /** `1` reads the last 20 messages of a dialog that allows preview, without being a member. */
  preview?: number | string;
  _id?: ChatCondition<string>;
  message?: ChatCondition<string>;
  date_sent?: ChatCondition<number>;
  sender_id?: ChatCondition<number>;
  recipient_id?: ChatCondition<number>;
  updated_at?: ChatCondition<DateInput>;
  created_at?: ChatCondition<DateInput>;
  [key: string]: unknown;
}

/** Note: no `total_entries` here, unlike dialogs. */
export interface MessageListResponse {
  skip: number;
  limit: number;
  items: Message[];
}

export interface CreateMessageParams {
  /** The dialog, or… */
  chat_dialog_id?: string;
  /** …a user: posts to the private dialog with them (created if missing). */
  recipient_id?: number | string;
  message?: string;
  attachments?: Attachment[];
  /** `1` also delivers the message in real time, as if the sender sent it. */
  send_to_chat?: number | string;
  /** `1` asks recipients to send delivered/read markers. */
  markable?: number | string;
  /** Any other key is stored as a custom parameter. */
  [custom: string]: unknown;
}

export interface UpdateMessageParams {
  /** Required when no ids are given (then every message of the dialog is updated). */
  chat_dialog_id?: string;
  /** `1` marks read for the caller. */
  read?: number | string;
  /** `1` marks delivered for the caller. */
  delivered?: number | string;
  /** New text (the sender only). */
  message?: string;
}

export interface CreateSystemMessageParams {
  recipientId: number;
  /** Other keys travel as the notification's extension parameters. */
  [key: string]: unknown;
}

export interface CreateSystemMessageResponse {
  messageId: string;
  recipientId: number;
  extensionParams?: Record<string, unknown>;
}

export interface UnreadCountParams {
  /** An array is sent joined with `", "`. */
  chat_dialog_ids?: string[] | string;
  /**
   * Alias of `chat_dialog_ids` used by the JS docs' example (rest.md [A-52]); sent as given, so an
   * array goes out as `dialogs_ids[]=…` exactly as the official SDK sends it.
   */
  dialogs_ids?: string[] | string;
}

/** `total` over all the caller's dialogs, plus one key per requested dialog id. */
export interface UnreadCountResponse {
  total: number;
  [chatDialogId: string]: number;
}

/** Emoji → ids of the users who reacted with it (`{}` when none). */
export type ListReactionsResponse = Record<string, number[]>;

// ---------------------------------------------------------------------------------------------
// Search

export interface ChatSearchParams {
  /** At least 4 characters; a case-sensitive substring of message texts and dialog names. */
  search_text?: string;
  limit?: number;
  /**
   * Newer bound. Converted with `new Date(value).toISOString()`, so numbers are **milliseconds**
   * (as in the official SDK); an invalid date rejects the call with a RangeError.
   */
  start_date?: number | string | Date;
  /** Older bound; required with `start_date`. Converted like `start_date`. */
  end_date?: number | string | Date;
  /** At most 10; an array is sent joined with `","`. */
  chat_dialog_ids?: string[] | string;
  [key: string]: unknown;
}

export interface ChatSearchResponse {
  results: {
    dialogs: Dialog[];
    messages: Message[];
    users: User[];
  };
}
