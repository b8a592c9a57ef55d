// Chat constants with the official SDK's export names and values, so code written against
// `import { DialogType } from 'connectycube'` keeps working with `@parley/sdk` unchanged.

/**
 * Dialog type numbers exactly as the official SDK 6.1.2 exports them, including its reverse
 * lookup (`DialogType[4] === 'BROADCAST'`).
 *
 * **Careful:** the SDK's names for 1 and 4 are swapped compared with the server's meaning
 * (rest.md §4.1, [A-1]). On the wire, `1` is a *broadcast* dialog and `4` a *public* group,
 * so `DialogType.PUBLIC` (1) creates a broadcast and `DialogType.BROADCAST` (4) creates a public
 * group. Both values are kept as the official SDK has them, so existing apps see the same
 * behaviour as on ConnectyCube's cloud. In new code, write the numbers: 1 broadcast, 2 group,
 * 3 private, 4 public, 5 meeting.
 */
export const DialogType = Object.freeze({
  PUBLIC: 1,
  GROUP: 2,
  PRIVATE: 3,
  BROADCAST: 4,
  MEETING: 5,
  1: 'PUBLIC',
  2: 'GROUP',
  3: 'PRIVATE',
  4: 'BROADCAST',
  5: 'MEETING',
} as const);

/** A dialog type number on the wire: 1 broadcast, 2 group, 3 private, 4 public, 5 meeting. */
export type DialogType = (typeof DialogType)['PUBLIC' | 'GROUP' | 'PRIVATE' | 'BROADCAST' | 'MEETING'];

/** Values of a dialog's `last_message_status`. */
export const LastMessageMessageStatus = Object.freeze({
  SENT: 'sent',
  DELIVERED: 'delivered',
  READ: 'read',
} as const);

export type LastMessageMessageStatus = (typeof LastMessageMessageStatus)[keyof typeof LastMessageMessageStatus];

/** Date fields dialogs can be sorted by (`sort_asc` / `sort_desc`). */
export const DialogDateProp = Object.freeze({
  CREATED: 'created_at',
  UPDATED: 'updated_at',
  LAST_MESSAGE: 'last_message_date_sent',
} as const);

export type DialogDateProp = (typeof DialogDateProp)[keyof typeof DialogDateProp];
