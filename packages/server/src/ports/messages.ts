/**
 * Storage of messages. Like every store port, each method takes the application id and adapters put it
 * in every query.
 *
 * Guarantees (checked by test/contract/chat-store.contract.test.ts on each adapter):
 * - `messages.create` is atomic and idempotent by message id: it stores the message, moves the dialog's
 *   last message forward only when the new message is newer (date_sent, then id), bumps `updated_at`,
 *   increments the unread counter of every other member and un-hides the dialog for them — or, when the
 *   id exists, changes nothing and returns the stored message with `created: false`;
 * - unread counters always equal a recount (unread = in a member's history, not sent by them, not read
 *   by them, not hidden for them), also under concurrent writers;
 * - deleting messages recomputes the dialog's last message.
 */

import type { DialogRecord, MessageReceipts } from './dialogs.js';

export interface MessageRecord {
  id: string;
  appId: number;
  dialogId: string;
  /** Store-wide insertion order, used for clear-history points. */
  seq: number;
  senderId: number;
  recipientId: number;
  body: string | null;
  /** Unix seconds. */
  dateSent: number;
  attachments: Record<string, unknown>[];
  custom: Record<string, unknown>;
  markable: boolean;
  createdAt: number;
  updatedAt: number;
}

export type NewMessage = Omit<MessageRecord, 'seq'>;

/** Receipts are kept with the dialog types (a dialog shows its last message's); re-exported for message readers. */
export type { MessageReceipts };

export type MessageField = '_id' | 'message' | 'date_sent' | 'sender_id' | 'recipient_id' | 'created_at' | 'updated_at' | 'attachments.type';

export type MessageCondition =
  | { field: MessageField; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: string | number }
  | { field: MessageField; op: 'in' | 'nin'; values: (string | number)[] }
  | { field: MessageField; op: 'ctn'; value: string };

export interface MessageQuery {
  conditions: MessageCondition[];
  sort: { field: '_id' | 'date_sent' | 'created_at' | 'updated_at'; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

/** Whose history: messages up to `clearedSeq` and those the user hid are left out. */
export interface MessageViewer {
  userId: number;
  clearedSeq: number;
}

/** A position in whole-archive order: (date_sent, id). */
export interface ArchiveCursor {
  /** Unix seconds. */
  dateSent: number;
  id: string;
}

/**
 * One page of a user's whole archive (XEP-0313 without `with`): the messages of every dialog the user is
 * a member of, each dialog after the user's clear point and without what they hid, in (date_sent, id) order.
 */
export interface UserArchiveQuery {
  /** Unix-second bounds on date_sent (inclusive). */
  start?: number;
  end?: number;
  /** Exclusive cursors in (date_sent, id) order. */
  after?: ArchiveCursor;
  before?: ArchiveCursor;
  /** Newest first (paging backward); otherwise oldest first. */
  newestFirst: boolean;
  limit: number;
}

export interface MessageSearch {
  text: string;
  dialogIds?: string[];
  /** Epoch ms bounds on date_sent. */
  from?: number;
  to?: number;
  limit: number;
}

export interface MessageRepository {
  /**
   * Stores a new message once committed (group-committed: the promise settles after the commit). The
   * message is handed in when `create` is called, and messages are stored in hand-in order.
   */
  create(message: NewMessage): Promise<{ message: MessageRecord; created: boolean }>;
  findById(appId: number, messageId: string): Promise<MessageRecord | undefined>;
  findByIds(appId: number, messageIds: string[]): Promise<MessageRecord[]>;
  /** A user's view of a dialog's history (after their clear point, without what they hid). */
  list(appId: number, dialogId: string, viewer: MessageViewer, query: MessageQuery): Promise<MessageRecord[]>;
  count(appId: number, dialogId: string, viewer: MessageViewer, conditions: MessageCondition[]): Promise<number>;
  /** A page of a user's whole archive across their dialogs (see UserArchiveQuery), in SQL. */
  userArchive(appId: number, userId: number, query: UserArchiveQuery): Promise<MessageRecord[]>;
  /** How many messages the whole archive holds within the date bounds. */
  userArchiveCount(appId: number, userId: number, window: Pick<UserArchiveQuery, 'start' | 'end'>): Promise<number>;
  /** The newest `limit` messages of a dialog, for previews (no per-user filtering). */
  latest(appId: number, dialogId: string, limit: number): Promise<MessageRecord[]>;
  receipts(appId: number, messageIds: string[]): Promise<Map<string, MessageReceipts>>;
  reactions(appId: number, messageIds: string[]): Promise<Map<string, { userId: number; reaction: string }[]>>;
  /** Marks messages (all of the dialog when `messageIds` is undefined) read and/or delivered for a user. */
  mark(appId: number, dialogId: string, userId: number, messageIds: string[] | undefined, marks: { read?: boolean; delivered?: boolean }, now: number): Promise<void>;
  updateBody(appId: number, messageId: string, body: string, now: number): Promise<void>;
  hideFor(appId: number, dialogId: string, userId: number, messageIds: string[]): Promise<void>;
  deleteForEveryone(appId: number, dialogId: string, messageIds: string[]): Promise<void>;
  /** Clears a user's history (or everyone's) up to the newest message. */
  clearHistory(appId: number, dialogId: string, userId: number | 'everyone'): Promise<void>;
  react(appId: number, messageId: string, userId: number, change: { add?: string; remove?: string }, now: number): Promise<void>;
  search(appId: number, userId: number, search: MessageSearch): Promise<MessageRecord[]>;
  /** Dialogs of a user whose name contains the text. */
  searchDialogs(appId: number, userId: number, search: MessageSearch): Promise<DialogRecord[]>;
  /** Unread counters: per requested dialog, and the total over all of the user's dialogs. */
  unreadCounts(appId: number, userId: number, dialogIds: string[]): Promise<{ total: number; byDialog: Map<string, number> }>;
  /** Recounts unread counters from the history (for tests and repairs); returns user → count. */
  recountUnread(appId: number, dialogId: string): Promise<Map<number, number>>;
}
