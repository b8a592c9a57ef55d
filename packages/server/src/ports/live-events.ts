/**
 * Events that start outside the real-time face (a REST call) but must reach users' live connections.
 * The XMPP face implements it; the composition root hands it to the domain. Guarantees: best effort,
 * to the connections available at the moment of the call, and it resolves once the stanzas are handed
 * to the connections. Nothing is queued for offline users, except 1-1 edits, deletes and `send_to_chat`
 * messages (realtime.md §7.10). Privacy lists apply (realtime.md §10.5): nothing is delivered to a user
 * who blocks the actor, or by an actor to a user they block mutually (1-1), and group messages and
 * reactions skip members with a `muc` deny item for the actor.
 */
import type { MessageRecord } from './messages.js';

export interface SystemMessageEvent {
  appId: number;
  senderId: number;
  recipientId: number;
  id: string;
  /** Keys of the system message, sent as extraParams children after `moduleIdentifier`. */
  extension: Record<string, unknown>;
}

/**
 * Where a dialog event goes: a private dialog (type 3) as `type="chat"` from the actor's bare JID,
 * any other dialog as `type="groupchat"` from the actor's room occupant JID (realtime.md §7.7–§7.9).
 */
export interface DialogEventTarget {
  appId: number;
  dialogId: string;
  dialogType: number;
  /** Users whose available connections get it (private: both users; groups: every member, the actor included). */
  audience: readonly number[];
  /** The user who made the change (the stanza's `from`). */
  actorId: number;
  /** Stanza id. */
  id: string;
  messageId: string;
}

/** A message's text changed (XEP-0308 replace stanza, realtime.md §7.7). */
export interface MessageEditedEvent extends DialogEventTarget {
  body: string;
}

/** A message was deleted for everyone (the remove stanza, realtime.md §7.8). */
export type MessageDeletedEvent = DialogEventTarget;

/** A user's reactions on a message changed (realtime.md §7.9). */
export interface ReactionsChangedEvent extends DialogEventTarget {
  add?: string;
  remove?: string;
}

/**
 * A message stored through REST with `send_to_chat=1` (rest.md §4.15), routed as if the sender had sent
 * it over XMPP (realtime.md §7.3 steps 6–7): 1-1 to the recipient's available connections (offline queue
 * when none) with sent carbons to the sender's connections; groups to the members' and joined
 * connections, the sender's included, from the sender's occupant JID.
 */
export interface ContentMessageEvent {
  dialogType: number;
  /** Group members (types 1 and 4: subscribers); for a private dialog both users. */
  audience: readonly number[];
  message: Pick<MessageRecord, 'appId' | 'dialogId' | 'id' | 'senderId' | 'recipientId' | 'body' | 'dateSent' | 'attachments' | 'custom'>;
  /** False for an idempotent resend of a stored id: routed again, not queued again. */
  stored: boolean;
}

/**
 * Users lost access to a group dialog (realtime.md §6.6): removed by `actorId` (kick), left by themselves
 * (`removed` = [actorId]), or the dialog was deleted (`'everyone'`).
 */
export interface OccupantsRemovedEvent {
  appId: number;
  dialogId: string;
  actorId: number;
  removed: readonly number[] | 'everyone';
}

/**
 * A call signal started outside XMPP (`POST /calls/reject.json`, realtime.md §12.4): a `WebRTCVideoChat`
 * headline from the sender's bare JID to the recipient's available connections; never stored or queued.
 */
export interface CallSignalEvent {
  appId: number;
  senderId: number;
  recipientId: number;
  id: string;
  /** extraParams children after `moduleIdentifier`, in order; objects become nested elements. */
  fields: readonly (readonly [string, unknown])[];
}

export interface LiveEvents {
  /** Returns how many connections received it. */
  systemMessage(event: SystemMessageEvent): Promise<number>;
  contentMessage(event: ContentMessageEvent): Promise<number>;
  messageEdited(event: MessageEditedEvent): Promise<number>;
  messageDeleted(event: MessageDeletedEvent): Promise<number>;
  reactionsChanged(event: ReactionsChangedEvent): Promise<number>;
  occupantsRemoved(event: OccupantsRemovedEvent): Promise<number>;
  callSignal(event: CallSignalEvent): Promise<number>;
}
