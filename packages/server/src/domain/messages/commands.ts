import type { DialogRecord } from '../../ports/dialogs.js';
import type { MessageRecord } from '../../ports/messages.js';

/**
 * The typed commands of the one messages domain (ADR 0013). Each face decodes its wire format into
 * them: the HTTP face a ConnectyCube REST body, the XMPP face a stanza. No raw body reaches the domain.
 */

/**
 * Where a new message goes:
 * - `{dialogId}`: a dialog the sender may post in (REST `chat_dialog_id`); with `groupOnly`, a private
 *   dialog is unknown (an XMPP `groupchat` to a room JID);
 * - `{recipientId}`: the private dialog with that user, opened when the message is saved and there is
 *   none yet (REST `recipient_id`, an XMPP `chat` to a user JID); with `dialogId`, a dialog both users
 *   are members of (`extraParams/dialog_id`).
 */
export type MessageTarget = { dialogId: string; groupOnly?: boolean } | { recipientId: number; dialogId?: string };

export interface SendMessage {
  /** The client's id, a lower-case ObjectId (other ids are dropped by the face): see ADR 0013 for reuse. */
  id?: string;
  to: MessageTarget;
  body: string | null;
  attachments: Record<string, unknown>[];
  custom: Record<string, unknown>;
  /** Unix seconds as the client gave them; absent = now. Capped to the server clock. */
  dateSent?: number;
  markable: boolean;
  /** False for an XMPP message without `save_to_history`: authorised and routed, never stored. */
  save: boolean;
  /** No chat alert (push) for offline recipients. */
  silent: boolean;
  /**
   * Route the stored message to live connections (REST `send_to_chat=1`), after the privacy check a
   * routed message passes. The XMPP face routes its own stanza and checks privacy itself (it bounces).
   */
  announce: boolean;
  /** Keeps this message's place among messages a face sends concurrently (XMPP: one connection's). */
  order?: WriteOrder;
}

/**
 * The order of a face's concurrent sends (ADR 0022): `send` hands a message to the store only after
 * `earlierHandedIn()` resolved and calls `handedIn()` right after (the store keeps hand-in order), or
 * once it knows it stores nothing. A message renamed after an id clash is stored after its successors.
 */
export interface WriteOrder {
  earlierHandedIn(): Promise<void>;
  handedIn(): void;
}

/** What became of a sent message: the id, dialog and date every routed copy carries. */
export interface SentMessage {
  id: string;
  /** The dialog; undefined for an unsaved 1-1 message without a private dialog yet. */
  dialog: DialogRecord | undefined;
  /** The stored record (undefined when not saved). */
  message: MessageRecord | undefined;
  /** Unix seconds. */
  dateSent: number;
  /** True when this call stored it. */
  stored: boolean;
  /** True when the same sender already sent this id to this dialog: nothing stored, nothing queued again. */
  resent: boolean;
}

/**
 * An addressed change over XMPP: the stanza names the peer (1-1) or the room (groups), and an unknown
 * message id is still routed (it may never have been saved). Without it (REST) every named message
 * must exist and share one dialog.
 */
export type ChangeRoute = { recipientId: number } | { roomId: string };

export interface EditMessage {
  /** REST: absent = none named (an edit needs ids). */
  messageIds?: string[];
  body: string;
  /** REST: the dialog the named messages must be in. */
  dialogId?: string;
  route?: ChangeRoute;
  /** Send the edit to live connections (REST); the XMPP face routes its own stanza. */
  announce: boolean;
}

export interface RemoveMessages {
  messageIds: string[];
  /** True: deleted for everyone (sender, or a group's owner/admins); false: hidden for the caller only. */
  forEveryone: boolean;
  route?: ChangeRoute;
  announce: boolean;
}

export interface ReactToMessage {
  messageId: string;
  add?: string;
  remove?: string;
}

/**
 * Read/delivered state. `strict` (REST): the dialog must be readable and every named message is
 * marked (no ids = the whole dialog). Not strict (an XMPP marker): applied only when the message is
 * in that dialog, not the marker sender's own, and the sender is a member; otherwise nothing changes.
 */
export interface MarkMessages {
  /** REST may leave it to the named messages' dialog. */
  dialogId?: string;
  messageIds?: string[];
  read: boolean;
  delivered: boolean;
  strict: boolean;
}

export interface ChangeOutcome {
  /** The members a routed group change goes to (empty for 1-1 routes and REST). */
  audience: number[];
}
