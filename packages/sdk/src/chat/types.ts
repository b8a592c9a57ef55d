// Chat REST shapes the SDK accepts (rest.md §4); what the server sends is declared once in
// @parley/protocol and named here as the SDK documents it. Field names, value types and list
// envelopes follow the contract exactly; they differ from module to module on purpose.
import type {
  AttachmentWire,
  ChatSearchWire,
  CountWire,
  DeleteResultWire,
  DialogListWire,
  DialogWire,
  MessageListWire,
  MessageWire,
  NotificationsSettingsWire,
  OccupantsWire,
  ReactionListWire,
  ReactionsWire,
  SystemMessageSentWire,
  UnreadCountWire,
} from '@parley/protocol';
import type { DateInput } from '../users/types.js';
import type { DialogType } from './enums.js';

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
export type DeleteResponse = DeleteResultWire;

// ---------------------------------------------------------------------------------------------
// Dialogs

/** App-declared custom fields (at most 3); values come back as strings. */
export type DialogExtensions = NonNullable<DialogWire['extensions']>;

export type DialogPermissions = NonNullable<DialogWire['permissions']>;

export type Dialog = DialogWire;

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

export type DialogListResponse = DialogListWire;

/** What `list({count: 1})` and `message.list({count: 1})` answer. */
export type ChatCountResponse = CountWire;

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

/** `1` enabled, `0` disabled. */
export type NotificationsSettingsResponse = NotificationsSettingsWire;

export interface PublicOccupantsParams {
  limit?: number;
  skip?: number;
}

/** Subscribers (public/broadcast) or occupants, as bare user objects. */
export type PublicOccupantsResponse = OccupantsWire;

// ---------------------------------------------------------------------------------------------
// Messages

export type Attachment = AttachmentWire;

export type Reactions = ReactionsWire;

export type Message = MessageWire;

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

export type MessageListResponse = MessageListWire;

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

export type CreateSystemMessageResponse = SystemMessageSentWire;

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
export type UnreadCountResponse = UnreadCountWire;

/** Emoji → ids of the users who reacted with it (`{}` when none). */
export type ListReactionsResponse = ReactionListWire;

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

export type ChatSearchResponse = ChatSearchWire;
