/**
 * Storage of dialogs and their members. Like every store port, each method takes the application id
 * and adapters put it in every query. Every membership change locks its dialog row first, like a new
 * message does (ports/messages.ts), so counters and the last message stay exact under concurrent
 * writers (test/contract/chat-store.contract.test.ts runs on each adapter).
 */

export type DialogType = 1 | 2 | 3 | 4 | 5;

export interface DialogPermissions {
  allow_preview: boolean;
}

export interface LastMessage {
  id: string;
  body: string | null;
  userId: number;
  /** Unix seconds. */
  dateSent: number;
}

export interface DialogRecord {
  id: string;
  appId: number;
  type: DialogType;
  ownerId: number;
  name: string | null;
  description: string | null;
  photo: string | null;
  /** Members of types 2, 3, 5; empty for 1 and 4 (their members are subscribers). */
  occupantIds: number[];
  adminIds: number[];
  pinnedMessageIds: string[];
  subscribersCount: number;
  extensions: Record<string, string> | null;
  permissions: DialogPermissions | null;
  lastMessage: LastMessage | null;
  createdAt: number;
  updatedAt: number;
}

export type NewDialog = Omit<DialogRecord, 'lastMessage' | 'subscribersCount'>;

/** One user's state in one dialog. */
export interface MemberState {
  /** Occupant (2, 3, 5) or subscriber (1, 4). */
  isMember: boolean;
  hidden: boolean;
  unreadCount: number;
  /** Messages with seq ≤ this are cleared from this user's history. */
  clearedSeq: number;
  /** Messages with seq ≤ this predate the membership: readable, never unread. */
  joinedSeq: number;
  notifications: boolean;
}

export interface DialogView {
  dialog: DialogRecord;
  member: MemberState | undefined;
  /** Receipts of the last message when the viewer sent it (for `last_message_status`). */
  lastMessageReceipts?: MessageReceipts;
}

/** Who read and who got a message (for `read_ids`, `delivered_ids` and a dialog's `last_message_status`). */
export interface MessageReceipts {
  readIds: number[];
  deliveredIds: number[];
}

/** Scalar or set fields of a dialog change; membership is changed with join/leave. */
export type DialogChange = Partial<Pick<DialogRecord, 'name' | 'description' | 'photo' | 'adminIds' | 'pinnedMessageIds' | 'extensions' | 'permissions' | 'updatedAt'>>;

export type DialogField = '_id' | 'type' | 'name' | 'last_message_date_sent' | 'created_at' | 'updated_at' | 'user_id';

export type DialogCondition =
  | { field: DialogField; op: 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte'; value: string | number }
  | { field: DialogField; op: 'in' | 'nin'; values: (string | number)[] }
  | { field: DialogField; op: 'ctn'; value: string }
  | { field: 'occupants_ids'; op: 'in' | 'all' | 'nin'; values: number[] }
  | { field: 'extension'; key: string; op: 'eq' | 'ne' | 'ctn'; value: string }
  | { field: 'extension'; key: string; op: 'in' | 'nin'; values: string[] };

export interface DialogQuery {
  conditions: DialogCondition[];
  sort: { field: '_id' | 'name' | 'last_message_date_sent' | 'created_at' | 'updated_at'; direction: 'asc' | 'desc' };
  limit: number;
  offset: number;
}

export interface DialogRepository {
  /** Creates the dialog and its member rows in one transaction. A second private dialog for one pair → UniqueViolation('private'). */
  create(dialog: NewDialog, memberIds: number[], now: number): Promise<DialogRecord>;
  findById(appId: number, dialogId: string): Promise<DialogRecord | undefined>;
  findPrivate(appId: number, userA: number, userB: number): Promise<DialogRecord | undefined>;
  member(appId: number, dialogId: string, userId: number): Promise<MemberState | undefined>;
  /** Dialogs a user sees: member of, plus every broadcast; minus hidden ones. */
  listFor(appId: number, userId: number, query: DialogQuery): Promise<DialogView[]>;
  countFor(appId: number, userId: number, query: Omit<DialogQuery, 'sort' | 'limit' | 'offset'>): Promise<number>;
  update(appId: number, dialogId: string, change: DialogChange): Promise<DialogRecord | undefined>;
  /** Adds members (occupants for 2/3/5, subscribers for 1/4); existing members are left as they are. */
  join(appId: number, dialogId: string, userIds: number[], now: number): Promise<DialogRecord | undefined>;
  /** Removes members (and their admin rights); their per-user state goes with them. */
  leave(appId: number, dialogId: string, userIds: number[], now: number): Promise<DialogRecord | undefined>;
  /** Hides the dialog for one user (and clears their history up to now), keeping membership. */
  hideFor(appId: number, dialogId: string, userId: number): Promise<void>;
  setNotifications(appId: number, dialogId: string, userId: number, enabled: boolean): Promise<void>;
  memberIds(appId: number, dialogId: string, limit: number, offset: number): Promise<number[]>;
  /** Deletes the dialog with its history. */
  delete(appId: number, dialogId: string): Promise<boolean>;
}
